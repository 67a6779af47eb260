//! The "Metric filters" tab of a log group's page: the group's filters (pattern, metric, value, default value,
//! dimensions, unit; the metric linked to All metrics), an editor that creates or replaces one
//! (PutMetricFilter) with AWS's "Test pattern" panel (sample lines, prefilled with the group's newest events, run
//! through TestMetricFilter: the lines that matched and the values extracted), and deleting one after a
//! confirmation (DeleteMetricFilter). Refusals show the operation's own message.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use super::group::Notices;
use super::{error_text, maybe_time};
use crate::api::{
    MAX_FILTER_DIMENSIONS, MAX_TEST_LINES, METRIC_UNITS, MetricFilterView, PatternMatch, logs_metric_filter_delete,
    logs_metric_filter_put, logs_metric_filter_test, logs_metric_filters, logs_sample_events,
};
use crate::components::query::{href, use_region};

const METRICS_PATH: &str = "/cloudwatch/metrics";

/// A link to the filter's metric in All metrics: its namespace browsed at the filter's dimension names with the
/// metric name searched, and graphed when it has no dimensions (then it is one series). None for names that
/// page's URL writes with escapes (`!`, `~`, `=`, `%`).
fn metric_href(filter: &MetricFilterView, query: &ParamsMap) -> Option<String> {
    let plain = |text: &str| !text.is_empty() && !text.contains(['!', '~', '=', '%']);
    let mut names: Vec<&str> = filter.dimensions.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    if !plain(&filter.namespace) || !plain(&filter.metric) || !names.iter().all(|n| plain(n)) {
        return None;
    }
    let dims = if names.is_empty() { "!none".to_owned() } else { names.join("~") };
    let graphed = if names.is_empty() { format!("{}~{}", filter.namespace, filter.metric) } else { String::new() };
    Some(href(
        METRICS_PATH,
        query,
        &[("ns", &filter.namespace), ("dims", &dims), ("q", &filter.metric), ("m", &graphed)],
    ))
}

/// A number as the table writes it: `1`, `0.5`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{value:.0}") } else { value.to_string() }
}

/// The extracted values' names of the matches, in their order (`$2` before `$10`).
fn value_columns(matches: &[PatternMatch]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (name, _) in matches.iter().flat_map(|m| &m.values) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let position = |name: &str| name.strip_prefix('$').and_then(|n| n.parse::<u32>().ok());
    names.sort_by(|a, b| match (position(a), position(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    });
    names
}

#[component]
pub fn MetricFilters(group: String) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let group = StoredValue::new(group);
    // The editor: None closed; a blank filter creates, a listed one is replaced.
    let editing = RwSignal::new(None::<MetricFilterView>);
    let deleting = RwSignal::new(None::<String>);
    let list = Resource::new(
        move || (region.get(), query.read().get("account"), notices.version.get()),
        move |(region, account, _)| logs_metric_filters(region, account, group.get_value()),
    );
    let delete = Action::new(move |name: &String| {
        let account = query.read_untracked().get("account");
        logs_metric_filter_delete(region.get_untracked(), account, group.get_value(), name.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            let name = deleting.get_untracked().unwrap_or_default();
            deleting.set(None);
            notices.outcome(result, format!("Metric filter {name} deleted."));
        }
    });
    view! {
        <section class="panel" data-testid="metric-filters-panel">
            <header class="panel-header">
                <h2>"Metric filters"</h2>
                <span class="spacer"></span>
                <button class="primary" on:click=move |_| editing.set(Some(MetricFilterView { value: "1".into(), ..Default::default() }))
                    disabled=move || editing.read().is_some() data-testid="create-metric-filter">"Create metric filter"</button>
            </header>
            {move || editing.get().map(|filter| view! { <MetricFilterEditor group=group.get_value() filter=filter editing=editing/> })}
            {move || deleting.get().map(|name| view! {
                <div class="table-toolbar">
                    <span class="confirm" data-testid="delete-metric-filter-confirm">
                        {format!("Delete metric filter {name}? Its metric keeps the data already published. ")}
                        <button class="danger" disabled=move || delete.pending().get()
                            on:click=move |_| { delete.dispatch(name.clone()); } data-testid="delete-metric-filter-yes">"Delete"</button>
                        <button class="secondary" on:click=move |_| deleting.set(None)>"Cancel"</button>
                    </span>
                </div>
            })}
            <Transition fallback=|| view! { <p class="muted panel-body">"Loading metric filters…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(filters) => view! { <FilterTable filters=filters editing=editing deleting=deleting/> }.into_any(),
                        Err(e) => view! { <div class="error" role="alert" data-testid="metric-filters-error">{error_text(&e)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FilterTable(
    filters: Vec<MetricFilterView>,
    editing: RwSignal<Option<MetricFilterView>>,
    deleting: RwSignal<Option<String>>,
) -> impl IntoView {
    let query = use_query_map();
    if filters.is_empty() {
        return view! {
            <p class="empty" data-testid="metric-filters-empty">
                "No metric filters. Create one to count or measure matching events as a CloudWatch metric, from the \
                 events ingested after it exists."
            </p>
        }
        .into_any();
    }
    let rows = filters
        .into_iter()
        .map(|filter| {
            let link = metric_href(&filter, &query.read_untracked());
            let metric = format!("{} / {}", filter.namespace, filter.metric);
            let metric = match link {
                Some(link) => view! { <a href=link data-testid="metric-filter-metric">{metric}</a> }.into_any(),
                None => view! { <span data-testid="metric-filter-metric">{metric}</span> }.into_any(),
            };
            let dimensions = if filter.dimensions.is_empty() {
                view! { <span class="muted">"–"</span> }.into_any()
            } else {
                filter
                    .dimensions
                    .iter()
                    .map(|(name, value)| view! { <span class="chip mono">{format!("{name} = {value}")}</span> })
                    .collect_view()
                    .into_any()
            };
            let (edited, deleted) = (filter.clone(), filter.name.clone());
            view! {
                <tr data-testid="metric-filter-row" data-name=filter.name.clone()>
                    <td class="nowrap" title=format!("Created {} UTC", maybe_time(Some(filter.created_ms))) data-testid="metric-filter-name">{filter.name.clone()}</td>
                    <td class="mono small logs-pattern-cell" data-testid="metric-filter-pattern" title=filter.pattern.clone()>
                        {if filter.pattern.is_empty() { "(every event)".to_owned() } else { filter.pattern.clone() }}
                    </td>
                    <td class="small">{metric}</td>
                    <td class="mono small nowrap" data-testid="metric-filter-value">{filter.value.clone()}</td>
                    <td class="num" data-testid="metric-filter-default">{filter.default_value.map(number).unwrap_or_else(|| "–".to_owned())}</td>
                    <td class="small" data-testid="metric-filter-dimensions">{dimensions}</td>
                    <td class="small nowrap" data-testid="metric-filter-unit">{filter.unit.clone().unwrap_or_else(|| "–".to_owned())}</td>
                    <td class="actions nowrap">
                        <button class="link-button logs-edit" on:click=move |_| editing.set(Some(edited.clone())) data-testid="metric-filter-edit">"Edit"</button>
                        " "
                        <button class="link-button logs-edit" on:click=move |_| deleting.set(Some(deleted.clone())) data-testid="metric-filter-delete">"Delete"</button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="logs-table-scroll">
        <table class="grid logs-filters" data-testid="metric-filters-table">
            <thead><tr>
                <th>"Filter name"</th><th>"Filter pattern"</th><th>"Metric (namespace / name)"</th><th>"Metric value"</th>
                <th class="num">"Default value"</th><th>"Dimensions"</th><th>"Unit"</th><th class="actions"></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any()
}

/// One dimension row of the editor: its id (the list's key), name and value.
type DimensionRow = (u32, RwSignal<String>, RwSignal<String>);

/// The create or edit form, with the "Test pattern" panel.
#[component]
fn MetricFilterEditor(
    group: String,
    filter: MetricFilterView,
    editing: RwSignal<Option<MetricFilterView>>,
) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let group = StoredValue::new(group);
    let replacing = !filter.name.is_empty();
    let name = RwSignal::new(filter.name.clone());
    let pattern = RwSignal::new(filter.pattern.clone());
    let namespace = RwSignal::new(filter.namespace.clone());
    let metric = RwSignal::new(filter.metric.clone());
    let value = RwSignal::new(filter.value.clone());
    let default_value = RwSignal::new(filter.default_value.map(number).unwrap_or_default());
    let unit = RwSignal::new(filter.unit.clone().unwrap_or_default());
    let next_id = StoredValue::new(filter.dimensions.len() as u32);
    let dimensions = RwSignal::new(
        filter
            .dimensions
            .iter()
            .enumerate()
            .map(|(i, (n, v))| (i as u32, RwSignal::new(n.clone()), RwSignal::new(v.clone())))
            .collect::<Vec<DimensionRow>>(),
    );
    let error = RwSignal::new(None::<String>);
    let save = Action::new(move |filter: &MetricFilterView| {
        logs_metric_filter_put(region.get_untracked(), account(), group.get_value(), filter.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(()) => {
                    let verb = if replacing { "saved" } else { "created" };
                    notices.outcome(Ok(()), format!("Metric filter {} {verb}.", name.get_untracked().trim()));
                    editing.set(None);
                }
                Err(e) => error.set(Some(error_text(&e))),
            }
        }
    });
    let add_dimension = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        dimensions.update(|d| d.push((id, RwSignal::new(String::new()), RwSignal::new(String::new()))));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let default_text = default_value.get_untracked();
        let default_value = match default_text.trim() {
            "" => None,
            text => match text.parse::<f64>() {
                Ok(number) => Some(number),
                Err(_) => {
                    error.set(Some(format!("The default value {text} is not a number.")));
                    return;
                }
            },
        };
        let unit = unit.get_untracked();
        let filter = MetricFilterView {
            name: name.get_untracked(),
            pattern: pattern.get_untracked(),
            namespace: namespace.get_untracked(),
            metric: metric.get_untracked(),
            value: value.get_untracked(),
            default_value,
            dimensions: dimensions
                .get_untracked()
                .iter()
                .map(|(_, n, v)| (n.get_untracked(), v.get_untracked()))
                .filter(|(n, v)| !n.trim().is_empty() || !v.trim().is_empty())
                .collect(),
            unit: (!unit.is_empty()).then_some(unit),
            created_ms: 0,
        };
        error.set(None);
        save.dispatch(filter);
    };
    let title =
        if replacing { format!("Edit metric filter {}", filter.name) } else { "Create metric filter".to_owned() };
    let field = move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    view! {
        <form class="panel-body logs-filter-editor" data-testid="metric-filter-form" on:submit=submit>
            <h3>{title}</h3>
            <div class="form-grid logs-grid-pattern">
                <label>
                    "Filter name"
                    <input type="text" required maxlength="512" spellcheck="false" placeholder="5xx-responses" disabled=replacing
                        prop:value=move || name.get() on:input=field(name) data-testid="metric-filter-name-input"/>
                </label>
                <label>
                    "Filter pattern"
                    <input type="text" class="mono" maxlength="1024" spellcheck="false"
                        placeholder=r#"{ $.status >= 500 }  ·  [ip, id, user, timestamp, request, status=5*, bytes]  ·  ERROR"#
                        prop:value=move || pattern.get() on:input=field(pattern) data-testid="metric-filter-pattern-input"/>
                </label>
            </div>
            <TestPattern group=group.get_value() pattern=pattern/>
            <div class="form-grid logs-grid-metric">
                <label>
                    "Metric namespace"
                    <input type="text" required maxlength="255" spellcheck="false" placeholder="Shop"
                        prop:value=move || namespace.get() on:input=field(namespace) data-testid="metric-filter-namespace"/>
                </label>
                <label>
                    "Metric name"
                    <input type="text" required maxlength="255" spellcheck="false" placeholder="ServerErrors"
                        prop:value=move || metric.get() on:input=field(metric) data-testid="metric-filter-metric-name"/>
                </label>
                <label title="A number, or a field the pattern extracts ($status, $.latency, $4)">
                    "Metric value"
                    <input type="text" class="mono" required maxlength="100" spellcheck="false" placeholder="1 or $.latency"
                        prop:value=move || value.get() on:input=field(value) data-testid="metric-filter-value-input"/>
                </label>
                <label title="Published for events that do not match (not with dimensions)">
                    "Default value (optional)"
                    <input type="text" inputmode="decimal" maxlength="40" placeholder="0"
                        prop:value=move || default_value.get() on:input=field(default_value) data-testid="metric-filter-default-input"/>
                </label>
                <label>
                    "Unit (optional)"
                    <select data-testid="metric-filter-unit-select" on:change=field(unit)>
                        <option value="" selected=move || unit.get().is_empty()>"No unit"</option>
                        {METRIC_UNITS.iter().map(|u| view! {
                            <option value=*u selected=move || unit.get() == *u>{*u}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="logs-dimensions">
                <span class="logs-field-title">"Dimensions (optional, up to 3): a name and the field that gives its value"</span>
                <For each=move || dimensions.get() key=|row| row.0 let:row>
                    <div class="inline-form" data-testid="metric-filter-dimension">
                        <input type="text" aria-label="Dimension name" placeholder="Name, e.g. Status" maxlength="255" spellcheck="false"
                            prop:value=move || row.1.get() on:input=field(row.1) data-testid="dimension-name"/>
                        <span class="muted">"="</span>
                        <input type="text" class="mono" aria-label="Dimension value" placeholder="$status or $.path" maxlength="255" spellcheck="false"
                            prop:value=move || row.2.get() on:input=field(row.2) data-testid="dimension-value"/>
                        <button type="button" class="link-button logs-edit" on:click=move |_| dimensions.update(|d| d.retain(|r| r.0 != row.0))>"Remove"</button>
                    </div>
                </For>
                <div>
                    <button type="button" class="secondary" on:click=add_dimension
                        disabled=move || { dimensions.read().len() >= MAX_FILTER_DIMENSIONS } data-testid="metric-filter-add-dimension">"Add dimension"</button>
                </div>
            </div>
            {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="metric-filter-error">{e}</div> })}
            <div class="inline-form">
                <button type="submit" class="primary" disabled=move || save.pending().get() data-testid="metric-filter-save">
                    {if replacing { "Save changes" } else { "Create metric filter" }}
                </button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None) data-testid="metric-filter-cancel">"Cancel"</button>
            </div>
        </form>
    }
}

/// "Test pattern": sample lines (one event a line, prefilled with the group's newest events) run through
/// TestMetricFilter; the lines that matched with the values extracted from each.
#[component]
fn TestPattern(group: String, pattern: RwSignal<String>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let group = StoredValue::new(group);
    let samples = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<(Vec<PatternMatch>, usize), String>>);
    let load = Action::new(move |_: &()| logs_sample_events(region.get_untracked(), account(), group.get_value()));
    let test = Action::new(move |(pattern, lines): &(String, Vec<String>)| {
        let (pattern, lines) = (pattern.clone(), lines.clone());
        let count = lines.iter().filter(|l| !l.trim().is_empty()).count();
        let region = region.get_untracked();
        let account = account();
        async move { logs_metric_filter_test(region, account, pattern, lines).await.map(|found| (found, count)) }
    });
    // The editor exists only in the browser: the newest events are read once it opens.
    Effect::new(move |_| {
        load.dispatch(());
    });
    Effect::new(move |_| {
        if let Some(Ok(lines)) = load.value().get() {
            samples.set(lines.join("\n"));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = test.value().get() {
            outcome.set(Some(result.map_err(|e| error_text(&e))));
        }
    });
    let run = move |_| {
        let lines: Vec<String> = samples.get_untracked().lines().map(str::to_owned).collect();
        test.dispatch((pattern.get_untracked(), lines));
    };
    let line_count = move || samples.read().lines().filter(|l| !l.trim().is_empty()).count();
    view! {
        <div class="logs-test-panel" data-testid="test-pattern">
            <div class="inline-form">
                <span class="logs-field-title">"Test pattern"</span>
                <span class="muted small">{move || format!("Sample log events, one a line ({} of at most {MAX_TEST_LINES})", line_count())}</span>
                <span class="spacer"></span>
                <button type="button" class="link-button logs-edit" disabled=move || load.pending().get()
                    on:click=move |_| { load.dispatch(()); } data-testid="test-pattern-load">"Load the newest events"</button>
                <button type="button" class="link-button logs-edit" on:click=move |_| { samples.set(String::new()); outcome.set(None); }
                    data-testid="test-pattern-clear">"Clear"</button>
            </div>
            <textarea class="code" rows="7" spellcheck="false" aria-label="Sample log events"
                placeholder="Paste log lines here, one event a line, or load the group's newest events."
                prop:value=move || samples.get() on:input=move |ev| samples.set(event_target_value(&ev)) data-testid="test-pattern-samples"></textarea>
            <div class="inline-form">
                <button type="button" class="secondary" on:click=run disabled=move || test.pending().get() data-testid="test-pattern-run">"Test pattern"</button>
                {move || match load.value().get() {
                    Some(Err(e)) => Some(view! { <span class="error-text">{error_text(&e)}</span> }.into_any()),
                    Some(Ok(lines)) if lines.is_empty() => Some(view! { <span class="muted small" data-testid="test-pattern-no-events">"The group has no events yet: paste sample lines."</span> }.into_any()),
                    _ => None,
                }}
            </div>
            {move || outcome.get().map(|outcome| match outcome {
                Ok((matches, lines)) => view! { <TestResults matches=matches lines=lines/> }.into_any(),
                Err(e) => view! { <div class="error" role="alert" data-testid="test-pattern-error">{e}</div> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn TestResults(matches: Vec<PatternMatch>, lines: usize) -> impl IntoView {
    let columns = value_columns(&matches);
    let summary = format!(
        "Results: found {} match{} out of {lines} event{} in the sample log.",
        matches.len(),
        if matches.len() == 1 { "" } else { "es" },
        if lines == 1 { "" } else { "s" },
    );
    let table = (!matches.is_empty()).then(|| {
        let head = columns.iter().map(|c| view! { <th class="mono">{c.clone()}</th> }).collect_view();
        let rows = matches
            .into_iter()
            .map(|m| {
                let cells = columns
                    .iter()
                    .map(|c| {
                        let value = m.values.iter().find(|(name, _)| name == c).map(|(_, v)| v.clone());
                        view! { <td class="mono small" data-testid="test-value" data-field=c.clone()>{value.unwrap_or_else(|| "–".to_owned())}</td> }
                    })
                    .collect_view();
                view! {
                    <tr data-testid="test-match" data-line=m.line.to_string()>
                        <td class="num">{m.line}</td>
                        {cells}
                        <td class="mono small logs-pattern-cell" title=m.message.clone()>{m.message.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="logs-table-scroll">
            <table class="grid compact logs-test-results" data-testid="test-pattern-results">
                <thead><tr><th class="num">"Line"</th>{head}<th>"Event message"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
        }
    });
    view! {
        <p class="small logs-test-summary" role="status" data-testid="test-pattern-summary">{summary}</p>
        {table}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(namespace: &str, metric: &str, dimensions: &[(&str, &str)]) -> MetricFilterView {
        MetricFilterView {
            namespace: namespace.into(),
            metric: metric.into(),
            dimensions: dimensions.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_filters_metric_links_to_all_metrics() {
        let mut query = ParamsMap::new();
        query.insert("region".to_owned(), "eu-west-1".to_owned());
        let cases: &[(MetricFilterView, Option<&str>)] = &[
            (
                filter("Shop", "Errors", &[]),
                Some("/cloudwatch/metrics?region=eu-west-1&ns=Shop&dims=%21none&q=Errors&m=Shop~Errors"),
            ),
            (
                filter("Shop/Web", "Latency", &[("Status", "$status"), ("Path", "$.path")]),
                Some("/cloudwatch/metrics?region=eu-west-1&ns=Shop%2FWeb&dims=Path~Status&q=Latency"),
            ),
            (filter("Odd~Namespace", "Errors", &[]), None),
            (filter("Shop", "100%", &[]), None),
        ];
        for (filter, expected) in cases {
            assert_eq!(metric_href(filter, &query).as_deref(), *expected, "{filter:?}");
        }
    }

    #[test]
    fn extracted_values_are_columns_in_field_order() {
        let found = |values: &[(&str, &str)]| PatternMatch {
            line: 1,
            message: String::new(),
            values: values.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect(),
        };
        let matches = [found(&[("$10", "a"), ("$2", "b")]), found(&[("$1", "c"), ("$2", "d")])];
        assert_eq!(value_columns(&matches), ["$1", "$2", "$10"]);
        assert_eq!(value_columns(&[found(&[("$status", "500"), ("$.path", "/")])]), ["$.path", "$status"]);
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.25), "0.25");
    }
}
