//! The Browse tab: where the browser is (breadcrumbs), the search box, and the level's rows: namespace cards,
//! dimension sets, or the metrics of one set with checkboxes that put them on the graph.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::empty::{NamespaceEmpty, NoMatch, NoMetricsYet};
use super::state::{MetricsState, PAGE_ROWS, PATH, encode_dimension_set, encode_metric};
use super::{PageState, staying};
use crate::api::{BrowseLevel, BrowseView, GroupRow, MAX_GRAPHED, MetricRow, NamespaceRow};

/// How long the search waits for typing to pause before it updates the URL.
const SEARCH_DELAY_MS: u64 = 250;

/// How a dimension-name set reads.
pub fn set_label(names: &[String]) -> String {
    if names.is_empty() { "Metrics with no dimensions".to_owned() } else { names.join(", ") }
}

/// `1234567` -> `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[component]
pub fn Browser(browse: Resource<Result<BrowseView, ServerFnError>>) -> impl IntoView {
    view! {
        <section class="panel browser" data-testid="metrics-browser">
            <div class="browser-bar">
                <Crumbs/>
                <div class="spacer"></div>
                <SearchBox/>
            </div>
            <Transition fallback=|| view! { <p class="muted browser-loading">"Loading metrics…"</p> }>
                {move || Suspend::new(async move {
                    match browse.await {
                        Ok(view) => view! { <BrowseBody view=view/> }.into_any(),
                        Err(e) => view! {
                            <div class="error" role="alert" data-testid="browse-error">{e.to_string()}</div>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// All › namespace › dimension set; each level above the current one is a link.
#[component]
fn Crumbs() -> impl IntoView {
    let page = expect_context::<PageState>();
    let all = move || page.link(|s| s.browsing(None, None));
    let crumbs = move || {
        let (namespace, set) = page.state.with(|s| (s.namespace.clone(), s.dimension_set.clone()));
        let namespace_crumb = namespace.clone().map(|ns| {
            let link = {
                let ns = ns.clone();
                move || page.link(|s| s.browsing(Some(&ns), None))
            };
            let current = set.is_none();
            view! {
                <span class="crumb-sep">"›"</span>
                {if current {
                    view! { <span class="crumb-current" data-testid="crumb-namespace">{ns}</span> }.into_any()
                } else {
                    view! { <a href=link data-noscroll="true" data-testid="crumb-namespace">{ns}</a> }.into_any()
                }}
            }
        });
        let set_crumb = set.map(|set| {
            view! {
                <span class="crumb-sep">"›"</span>
                <span class="crumb-current" data-testid="crumb-dimensions">{set_label(&set)}</span>
            }
        });
        let at_top = namespace.is_none();
        view! {
            {if at_top {
                view! { <span class="crumb-current" data-testid="crumb-all">"All metrics"</span> }.into_any()
            } else {
                view! { <a href=all data-noscroll="true" data-testid="crumb-all">"All metrics"</a> }.into_any()
            }}
            {namespace_crumb}
            {set_crumb}
        }
    };
    view! { <nav class="browse-crumbs" aria-label="Browse" data-testid="browse-crumbs">{crumbs}</nav> }
}

/// Filters by any text. A GET form (Enter submits without scripts); with scripts the URL follows the typing.
#[component]
fn SearchBox() -> impl IntoView {
    let page = expect_context::<PageState>();
    let navigate = use_navigate();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // Kept as typed (the server splits it into words), so a pause after a space does not eat the space.
    let searched = move |text: String| page.link(|s| MetricsState { search: text, show: PAGE_ROWS, ..s.clone() });
    let input = NodeRef::<leptos::html::Input>::new();
    let cancel = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
    };
    let on_input = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            cancel();
            let text = event_target_value(&ev);
            let navigate = navigate.clone();
            let handle = set_timeout_with_handle(
                move || navigate(&searched(text), staying(true)),
                std::time::Duration::from_millis(SEARCH_DELAY_MS),
            );
            pending.set_value(handle.ok());
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        cancel();
        let text = input.get_untracked().map(|input| input.value()).unwrap_or_default();
        navigate(&searched(text), staying(true));
    };
    let carried = move || {
        let pairs = page.query.with(|q| {
            ["region", "account", "range"]
                .into_iter()
                .filter_map(|key| q.get(key).map(|v| (key, v)))
                .collect::<Vec<_>>()
        });
        let own = page.state.with(MetricsState::to_pairs);
        pairs
            .into_iter()
            .chain(own.into_iter().filter(|(key, _)| *key != "q" && *key != "show"))
            .map(|(key, value)| view! { <input type="hidden" name=key value=value/> })
            .collect_view()
    };
    view! {
        <form method="get" action=PATH role="search" class="metrics-search" on:submit=on_submit>
            {carried}
            <input
                type="search"
                name="q"
                node_ref=input
                value=move || page.state.with(|s| s.search.clone())
                prop:value=move || page.state.with(|s| s.search.clone())
                placeholder="Search for any metric, dimension or resource id"
                aria-label="Search metrics"
                title="Search metrics (/)"
                autocomplete="off"
                data-shortcut="search"
                data-testid="metrics-search"
                on:input=on_input
            />
        </form>
    }
}

#[component]
fn BrowseBody(view: BrowseView) -> impl IntoView {
    let page = expect_context::<PageState>();
    if view.total_metrics == 0 {
        return view! { <NoMetricsYet endpoint=view.endpoint region=view.region/> }.into_any();
    }
    let searching = page.state.with_untracked(|s| !s.search.is_empty());
    let nothing = match &view.level {
        BrowseLevel::Namespaces(rows) => rows.is_empty(),
        BrowseLevel::Groups(rows) => rows.is_empty(),
        BrowseLevel::Metrics { total, .. } => *total == 0,
    };
    match (nothing, searching) {
        (true, true) => return view! { <NoMatch/> }.into_any(),
        (true, false) => return view! { <NamespaceEmpty/> }.into_any(),
        _ => {}
    }
    match view.level {
        BrowseLevel::Namespaces(rows) => view! { <NamespaceCards rows=rows/> }.into_any(),
        BrowseLevel::Groups(rows) => view! { <GroupTable rows=rows/> }.into_any(),
        BrowseLevel::Metrics { columns, rows, total } => {
            view! { <MetricTable columns=columns rows=rows total=total/> }.into_any()
        }
    }
}

#[component]
fn NamespaceCards(rows: Vec<NamespaceRow>) -> impl IntoView {
    let (aws, custom): (Vec<NamespaceRow>, Vec<NamespaceRow>) =
        rows.into_iter().partition(|row| row.namespace.starts_with("AWS/"));
    let total: usize = aws.iter().chain(&custom).map(|row| row.metrics).sum();
    let section = |title: &'static str, rows: Vec<NamespaceRow>| {
        (!rows.is_empty()).then(|| {
            view! {
                <h3 class="section-title">{title} <span class="muted">{format!(" ({})", rows.len())}</span></h3>
                <div class="ns-grid">{rows.into_iter().map(|row| view! { <NamespaceCard row=row/> }).collect_view()}</div>
            }
        })
    };
    view! {
        <div class="table-caption" data-testid="metrics-count">{format!("{} metrics", thousands(total))}</div>
        {section("Custom namespaces", custom)}
        {section("AWS namespaces", aws)}
    }
}

#[component]
fn NamespaceCard(row: NamespaceRow) -> impl IntoView {
    let page = expect_context::<PageState>();
    let namespace = row.namespace.clone();
    let link = move || page.link(|s| s.browsing(Some(&namespace), None));
    view! {
        <a class="ns-card" href=link data-noscroll="true" data-testid="namespace-row" data-namespace=row.namespace.clone()>
            <span class="ns-name">{row.namespace.clone()}</span>
            <span class="ns-count" data-testid="namespace-count">{thousands(row.metrics)}</span>
        </a>
    }
}

#[component]
fn GroupTable(rows: Vec<GroupRow>) -> impl IntoView {
    let page = expect_context::<PageState>();
    let across = page.state.with_untracked(|s| s.namespace.is_none());
    let total: usize = rows.iter().map(|row| row.metrics).sum();
    let caption = format!(
        "{} metrics in {} dimension set{}",
        thousands(total),
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    view! {
        <div class="table-caption" data-testid="metrics-count">{caption}</div>
        <table class="grid" data-testid="dimension-sets">
            <thead>
                <tr>
                    {across.then(|| view! { <th>"Namespace"</th> })}
                    <th>"Dimensions"</th>
                    <th class="num">"Metrics"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let namespace = row.namespace.clone();
                        let set = row.dimension_set.clone();
                        let link = move || page.link(|s| s.browsing(Some(&namespace), Some(&set)));
                        view! {
                            <tr
                                data-testid="dimension-set-row"
                                data-namespace=row.namespace.clone()
                                data-dims=encode_dimension_set(&row.dimension_set)
                            >
                                {across.then(|| view! { <td>{row.namespace.clone()}</td> })}
                                <td>
                                    <a href=link data-noscroll="true" data-testid="dimension-set-link">
                                        {set_label(&row.dimension_set)}
                                    </a>
                                </td>
                                <td class="num" data-testid="dimension-set-count">{thousands(row.metrics)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn MetricTable(columns: Vec<String>, rows: Vec<MetricRow>, total: usize) -> impl IntoView {
    let page = expect_context::<PageState>();
    let shown = rows.len();
    let more = (shown < total).then(|| {
        let link = move || page.link(|s| MetricsState { show: s.show + PAGE_ROWS, ..s.clone() });
        view! {
            <a class="show-more" href=link data-noscroll="true" data-testid="metrics-show-more">
                {format!("Show {} more", thousands((total - shown).min(PAGE_ROWS)))}
            </a>
        }
    });
    view! {
        <div class="table-caption" data-testid="metrics-count">
            {if shown < total {
                format!("Showing {} of {} metrics", thousands(shown), thousands(total))
            } else {
                format!("{} metric{}", thousands(total), if total == 1 { "" } else { "s" })
            }}
            <span class="muted">{format!(" · up to {MAX_GRAPHED} on the graph")}</span>
        </div>
        <table class="grid metric-table" data-testid="metrics-table">
            <thead>
                <tr>
                    <th class="check"><span class="sr-only">"Graph"</span></th>
                    {columns.iter().map(|name| view! { <th>{name.clone()}</th> }).collect_view()}
                    <th>"Metric name"</th>
                    <th>"Unit"</th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(|row| view! { <MetricRowView row=row/> }).collect_view()}</tbody>
        </table>
        {more}
    }
}

#[component]
fn MetricRowView(row: MetricRow) -> impl IntoView {
    let page = expect_context::<PageState>();
    let navigate = use_navigate();
    let metric = row.metric.clone();
    let checked = {
        let metric = metric.clone();
        Memo::new(move |_| page.state.with(|s| s.is_graphed(&metric)))
    };
    let full = move || page.state.with(|s| s.metrics.len() >= MAX_GRAPHED);
    let toggle = {
        let metric = metric.clone();
        move |_| navigate(&page.link(|s| s.toggled(&metric)), staying(false))
    };
    let label = format!("Graph {}", metric.label());
    view! {
        <tr data-testid="metric-row" data-metric=encode_metric(&metric) class:selected=move || checked.get()>
            <td class="check">
                <input
                    type="checkbox"
                    aria-label=label
                    checked=move || checked.get()
                    prop:checked=move || checked.get()
                    disabled=move || full() && !checked.get()
                    title=move || if full() && !checked.get() { format!("At most {MAX_GRAPHED} metrics per graph") } else { String::new() }
                    data-testid="metric-checkbox"
                    on:change=toggle
                />
            </td>
            {metric.dimensions.iter().map(|(_, value)| view! { <td class="mono">{value.clone()}</td> }).collect_view()}
            <td>{metric.metric_name.clone()}</td>
            <td class="muted">{row.unit.clone().unwrap_or_default()}</td>
        </tr>
    }
}
