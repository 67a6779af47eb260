//! X-Ray › Traces: the traces of the time range (and group) that match a filter expression, newest first, with
//! their response-time distribution; a page cursor for more. Everything is in the URL (`filter=`, `group=`,
//! `range=`, `token=`), and the filter form works without scripts. A refused expression is shown with X-Ray's
//! words and where it went wrong.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use super::controls::{GroupSelect, status_cell, trace_href, use_group};
use crate::api::{TraceList, xray_traces};
use crate::components::histogram::ResponseHistogram;
use crate::components::query::{href, href_keeping, use_region, use_time_range};
use crate::components::xray_format::seconds;
use crate::pages::dashboard::format_time_at;

/// Examples offered under the filter box.
const EXAMPLES: [&str; 4] = ["fault", "responsetime > 0.5", "http.status = 500", "annotation.customer = \"acme\""];

#[component]
pub fn TracesPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let group = use_group();
    let param = move |key: &str| query.read().get(key).unwrap_or_default();
    let list = Resource::new(
        move || {
            (region.get(), param("account"), range.get().to_query_value(), group.get(), param("filter"), param("token"))
        },
        |(region, account, range, group, filter, token)| {
            xray_traces(region, Some(account).filter(|a| !a.is_empty()), range, group, filter, Some(token))
        },
    );
    view! {
        <Title text="X-Ray traces"/>
        <div class="breadcrumb">"X-Ray › Traces"</div>
        <div class="title-row">
            <h1 data-testid="page-title">"Traces"</h1>
            <span class="spacer"></span>
            <GroupSelect/>
            <a class="button-link" href=move || {
                let group = query.read().get("group").unwrap_or_default();
                href("/xray/service-map", &query.read(), &[("group", &group)])
            } data-testid="view-map">"Service map"</a>
        </div>
        <FilterForm/>
        <Transition fallback=|| view! { <p class="muted">"Loading traces…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <TraceTable list=list/> }.into_any(),
                    Err(e) => view! {
                        <div class="error" role="alert" data-testid="filter-error">{e.to_string()}</div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn FilterForm() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let text = RwSignal::new(query.read_untracked().get("filter").unwrap_or_default());
    // Follows the URL (back, a link from the map).
    Effect::new(move |_| text.set(query.read().get("filter").unwrap_or_default()));
    let carried = move || {
        ["region", "account", "range", "group"]
            .into_iter()
            .filter_map(|key| query.read().get(key).map(|v| (key, v)))
            .map(|(key, v)| view! { <input type="hidden" name=key value=v/> })
            .collect_view()
    };
    let run = move |filter: String| {
        let link = href_keeping(
            &location.pathname.get_untracked(),
            &query.read_untracked(),
            &[("filter", filter.trim())],
            &["token"],
        );
        navigate(&link, NavigateOptions { scroll: false, ..Default::default() });
    };
    let run_example = run.clone();
    view! {
        <form method="get" class="panel filter-panel" data-testid="trace-filter" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            run(text.get_untracked());
        }>
            {carried}
            <div class="filter-row">
                <input type="search" name="filter" class="filter-input mono" aria-label="Filter expression"
                    placeholder="Filter expression, e.g. service(\"api\") { fault } AND responsetime > 1"
                    title="Filter expression (/)" data-shortcut="search" maxlength="2000" spellcheck="false"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                    data-testid="filter-input"/>
                <button type="submit" class="primary" data-testid="filter-run">"Run query"</button>
                <a href=move || href(&location.pathname.get(), &query.read(), &[("group", &query.read().get("group").unwrap_or_default())])
                    data-testid="filter-clear">"Clear"</a>
            </div>
            <div class="filter-examples small muted">
                "Examples: "
                {EXAMPLES.into_iter().map(|example| {
                    let run = run_example.clone();
                    view! {
                        <button type="button" class="chip chip-button mono" on:click=move |_| {
                            text.set(example.to_owned());
                            run(example.to_owned());
                        }>{example}</button>
                    }
                }).collect_view()}
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn TraceTable(list: TraceList) -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let TraceList { rows, start_ms, end_ms, processed, next_token, clamped } = list;
    let count = rows.len();
    let faults = rows.iter().filter(|r| r.fault).count();
    let errors = rows.iter().filter(|r| r.error || r.throttle).count();
    let mut histogram: Vec<(u32, i64)> = rows
        .iter()
        .filter_map(|r| r.response_time)
        .map(|s| ((s * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32, 1))
        .collect();
    histogram.sort_unstable();
    let next = next_token.map(|token| {
        let link = href_keeping(&location.pathname.get_untracked(), &query.read_untracked(), &[("token", &token)], &[]);
        view! { <a class="pager" href=link data-testid="traces-next">"More traces ›"</a> }
    });
    view! {
        {clamped.then(|| view! {
            <p class="muted small" data-testid="traces-clamped">"X-Ray searches at most 24 hours: showing the last 24 hours of the range."</p>
        })}
        <div class="trace-overview">
            <section class="panel overview-panel">
                <header class="panel-header"><h2>"Response time distribution"</h2></header>
                <div class="panel-body"><ResponseHistogram histogram=histogram test_id="traces-histogram"/></div>
            </section>
            <section class="panel overview-panel">
                <header class="panel-header"><h2>"Overview"</h2></header>
                <div class="panel-body stat-cards">
                    <div class="stat"><div class="muted small">"Traces"</div><div class="stat-value" data-testid="traces-count">{count}</div></div>
                    <div class="stat"><div class="muted small">"Faults"</div><div class="stat-value fault-text">{faults}</div></div>
                    <div class="stat"><div class="muted small">"Errors"</div><div class="stat-value error-text-soft">{errors}</div></div>
                    <div class="stat"><div class="muted small">"Searched"</div><div class="stat-value">{processed}</div></div>
                </div>
                <p class="muted small range-note">{format!("{} – {} UTC", format_time_at(start_ms, 0), format_time_at(end_ms, 0))}</p>
            </section>
        </div>
        {if rows.is_empty() {
            view! { <p class="empty" data-testid="traces-empty">"No traces match in this time range."</p> }.into_any()
        } else {
            view! {
                <section class="panel">
                    <header class="panel-header"><h2>"Traces " <span class="count">{format!("({count})")}</span></h2></header>
                    <table class="grid" data-testid="traces-table">
                        <thead>
                            <tr>
                                <th>"ID"</th><th>"Trace start (UTC)"</th><th class="num">"Response time"</th>
                                <th>"Method"</th><th>"URL"</th><th>"Status"</th><th>"Entry"</th><th class="num">"Annotations"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr data-testid="trace-row" data-trace-id=row.id.clone() class:fault-row=row.fault>
                                    <td class="mono small nowrap"><a href=trace_href(&row.id, &query.read_untracked()) data-testid="trace-link">{row.id.clone()}</a></td>
                                    <td class="small nowrap">{format_time_at(row.start_ms, 0)}{format!(":{:02}", (row.start_ms / 1000).rem_euclid(60))}</td>
                                    <td class="num">{row.response_time.map(seconds).unwrap_or_else(|| "-".into())}</td>
                                    <td class="mono small">{row.method.clone().unwrap_or_default()}</td>
                                    <td class="mono small url-cell" title=row.url.clone().unwrap_or_default()>{row.url.clone().unwrap_or_default()}</td>
                                    <td>{status_cell(row.status, row.fault, row.error, row.throttle)}</td>
                                    <td class="small nowrap">{row.entry.clone().unwrap_or_default()}{row.partial.then_some(" (partial)")}</td>
                                    <td class="num small">{row.annotations}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }.into_any()
        }}
        {next}
    }
    .into_any()
}
