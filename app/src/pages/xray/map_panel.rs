//! The panel beside the service map for the selected node or edge: its requests by class, average latency and
//! rate, its response-time histogram, and its most recent traces (GetTraceSummaries with `service("...")` or
//! `edge("...", "...")`), with a link to all of them in the trace list.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::controls::{short_id, status_cell, trace_href, use_group};
use crate::api::{MapStats, ServiceMap, TraceList, xray_traces};
use crate::components::histogram::ResponseHistogram;
use crate::components::query::{href, use_region, use_time_range};
use crate::components::service_map::Selection;
use crate::components::xray_format::{edge_filter, kind, label, milliseconds, node_filter, percent, rate, seconds};
use crate::pages::dashboard::format_time_at;

/// Traces listed in the panel.
const TRACES_SHOWN: usize = 10;

#[component]
pub fn MapPanel(map: ServiceMap, selection: Selection, close: Callback<()>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let group = use_group();
    let window_ms = (map.end_ms - map.start_ms).max(60_000);
    let found = match selection {
        Selection::Node(i) => map.nodes.get(i).map(|n| (label(n), kind(n), n.stats.clone(), node_filter(n), "node")),
        Selection::Edge(i) => map.edges.get(i).and_then(|e| {
            let (from, to) = (map.nodes.get(e.from)?, map.nodes.get(e.to)?);
            Some((
                format!("{} → {}", label(from), label(to)),
                "Edge".to_owned(),
                e.stats.clone(),
                edge_filter(from, to),
                "edge",
            ))
        }),
    };
    let Some((title, subtitle, stats, filter, what)) = found else {
        return ().into_any();
    };
    let filter = StoredValue::new(filter);
    let traces = Resource::new(
        move || (region.get(), query.read().get("account"), range.get().to_query_value(), group.get()),
        move |(region, account, range, group)| xray_traces(region, account, range, group, filter.get_value(), None),
    );
    let all_traces = move || {
        let group = query.read().get("group").unwrap_or_default();
        href("/xray/traces", &query.read(), &[("group", &group), ("filter", &filter.get_value())])
    };
    view! {
        <section class="panel map-drawer" data-testid="map-panel" data-kind=what aria-label=format!("Details of {title}")>
            <header class="panel-header">
                <h2 data-testid="map-panel-title">{title.clone()}</h2>
                <span class="muted small">{subtitle}</span>
                <span class="spacer"></span>
                <button type="button" class="close-button" aria-label="Close" data-testid="map-panel-close"
                    on:click=move |_| close.run(())>"✕"</button>
            </header>
            <div class="panel-body drawer-columns">
                <div>
                    <h3 class="section-label">"Requests"</h3>
                    <StatsTable stats=stats.clone() window_ms=window_ms/>
                </div>
                <div>
                    <h3 class="section-label">"Response time distribution"</h3>
                    <ResponseHistogram histogram=stats.histogram.clone() test_id="map-histogram"/>
                </div>
                <div>
                <div class="section-row">
                    <h3 class="section-label">"Traces"</h3>
                    <span class="spacer"></span>
                    <a href=all_traces data-testid="map-panel-traces-link">"View in traces ›"</a>
                </div>
                <code class="filter-chip small" data-testid="map-panel-filter">{filter.get_value()}</code>
                <PanelTraces traces=traces/>
                </div>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn StatsTable(stats: MapStats, window_ms: i64) -> impl IntoView {
    let total = stats.total();
    let row = |name: &'static str, class: &'static str, count: i64| {
        view! {
            <tr>
                <td><span class=format!("swatch ring-swatch-{class}")></span>{name}</td>
                <td class="num" data-testid=format!("stat-{class}")>{count}</td>
                <td class="num">{percent(count, total)}</td>
            </tr>
        }
    };
    view! {
        <div class="stat-cards">
            <div class="stat"><div class="muted small">"Average latency"</div>
                <div class="stat-value" data-testid="stat-latency">{stats.average_ms().map(milliseconds).unwrap_or_else(|| "-".into())}</div></div>
            <div class="stat"><div class="muted small">"Requests / min"</div>
                <div class="stat-value" data-testid="stat-rate">{rate(stats.per_minute(window_ms))}</div></div>
            <div class="stat"><div class="muted small">"Requests"</div>
                <div class="stat-value" data-testid="stat-total">{total}</div></div>
        </div>
        <table class="grid compact-grid" data-testid="map-panel-stats">
            <tbody>
                {row("OK", "ok", stats.ok)}
                {row("Error (4xx)", "error", stats.error)}
                {row("Throttled (429)", "throttle", stats.throttle)}
                {row("Fault (5xx)", "fault", stats.fault)}
            </tbody>
        </table>
    }
    .into_any()
}

/// The selection's most recent traces.
#[component]
fn PanelTraces(traces: Resource<Result<TraceList, ServerFnError>>) -> impl IntoView {
    let query = use_query_map();
    view! {
                <Transition fallback=|| view! { <p class="muted small">"Loading traces…"</p> }>
                    {move || Suspend::new(async move {
                        match traces.await {
                            Ok(list) if list.rows.is_empty() => view! {
                                <p class="muted small" data-testid="map-panel-no-traces">"No traces in this range."</p>
                            }.into_any(),
                            Ok(list) => view! {
                                <table class="grid compact-grid" data-testid="map-panel-traces">
                                    <thead><tr><th>"Trace"</th><th>"Started"</th><th class="num">"Response"</th><th>"Status"</th></tr></thead>
                                    <tbody>
                                        {list.rows.into_iter().take(TRACES_SHOWN).map(|row| view! {
                                            <tr data-testid="map-panel-trace">
                                                <td class="mono small nowrap"><a href=trace_href(&row.id, &query.read_untracked()) data-testid="trace-link">{short_id(&row.id)}</a></td>
                                                <td class="small nowrap">{format_time_at(row.start_ms, 0)}</td>
                                                <td class="num small">{row.response_time.map(seconds).unwrap_or_else(|| "-".into())}</td>
                                                <td class="small">{status_cell(row.status, row.fault, row.error, row.throttle)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <div class="error small" role="alert">{e.to_string()}</div> }.into_any(),
                        }
                    })}
                </Transition>
    }
    .into_any()
}
