//! The graph panel: statistic and period controls (a GET form that works without scripts; with them every
//! change lands in the URL at once), the chart of the graphed metrics, its legend and notes.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use skywatch_charts::series_color;

use super::add_to_dashboard::AddToDashboard;
use super::chart::MetricChart;
use super::state::{MetricsState, PATH, encode_metric};
use super::{GraphResource, PageState, staying};
use crate::api::{GraphData, PERIODS, STATISTICS, period_label};
use crate::components::query::use_time_range;

#[component]
pub fn GraphPanel(graph: GraphResource) -> impl IntoView {
    view! {
        <section class="panel graph-panel" data-testid="graph-panel">
            <div class="panel-header">
                <h2>"Untitled graph"</h2>
                <RangeNote/>
                <div class="spacer"></div>
                <GraphControls/>
                <AddToDashboard/>
            </div>
            <Transition fallback=|| view! { <div class="graph-placeholder muted">"Loading graph…"</div> }>
                {move || Suspend::new(async move {
                    match graph.await {
                        Ok(Some(data)) => view! { <GraphBody data=data/> }.into_any(),
                        Ok(None) => view! {
                            <div class="graph-placeholder" data-testid="graph-empty">
                                <strong>"Your CloudWatch graph is empty."</strong>
                                " Select some metrics below to appear here."
                            </div>
                        }
                            .into_any(),
                        Err(e) => view! {
                            <div class="error" role="alert" data-testid="graph-error">{e.to_string()}</div>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The time range the graph covers, as the top bar's picker chose it.
#[component]
fn RangeNote() -> impl IntoView {
    let range = use_time_range();
    view! {
        <span class="muted graph-range" data-testid="graph-range" title="Change it with the time range in the top bar">
            {move || format!("Last {} · UTC", range.get().to_query_value())}
        </span>
    }
}

#[component]
fn GraphBody(data: GraphData) -> impl IntoView {
    let empty = data.series.iter().all(|s| s.points.is_empty());
    let summary = format!(
        "{} · {}{}",
        data.statistic,
        period_label(data.period_seconds),
        if data.automatic_period { " (auto)" } else { "" }
    );
    let legend = data
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let label = s.metric.label();
            let title = format!("{} · {}", s.metric.namespace, label);
            view! {
                <li data-testid="legend-entry" data-metric=encode_metric(&s.metric) title=title>
                    <span class="swatch" style=format!("background:{}", series_color(i))></span>
                    {label}
                </li>
            }
        })
        .collect_view();
    let note = data.note.clone();
    view! {
        <div class="graph-meta">
            <span data-testid="graph-summary">{summary}</span>
            {empty
                .then(|| {
                    view! {
                        <span class="graph-note" data-testid="graph-no-data">
                            "No data in this time range for the selected metrics: try a longer time range."
                        </span>
                    }
                })}
            {note.map(|note| view! { <span class="graph-note" data-testid="graph-note">{note}</span> })}
        </div>
        <MetricChart data=data/>
        <ul class="legend" data-testid="graph-legend">{legend}</ul>
    }
}

/// Statistic and period. A GET form carrying the rest of the page's state, so it works without scripts.
#[component]
fn GraphControls() -> impl IntoView {
    let page = expect_context::<PageState>();
    let navigate = use_navigate();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
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
            .chain(own.into_iter().filter(|(key, _)| *key != "stat" && *key != "period"))
            .map(|(key, value)| view! { <input type="hidden" name=key value=value/> })
            .collect_view()
    };
    let statistic = move || page.state.with(|s| s.statistic.clone());
    let period = move || page.state.with(|s| s.period.map(|p| p.to_string()).unwrap_or_default());
    let on_statistic = {
        let navigate = navigate.clone();
        move |ev| {
            let value = event_target_value(&ev);
            let link = page.link(|s| MetricsState { statistic: value, ..s.clone() });
            navigate(&link, staying(false));
        }
    };
    let on_period = move |ev| {
        let value = event_target_value(&ev).parse::<i64>().ok();
        let link = page.link(|s| MetricsState { period: value, ..s.clone() });
        navigate(&link, staying(false));
    };
    view! {
        <form method="get" action=PATH class="graph-controls" data-testid="graph-controls">
            {carried}
            <label class="control">
                <span>"Statistic"</span>
                <select name="stat" data-testid="stat-select" prop:value=statistic on:change=on_statistic>
                    {STATISTICS
                        .iter()
                        .map(|stat| {
                            let stat = *stat;
                            view! { <option value=stat selected=move || statistic() == stat>{stat}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="control">
                <span>"Period"</span>
                <select name="period" data-testid="period-select" prop:value=period on:change=on_period>
                    <option value="" selected=move || period().is_empty()>"Auto"</option>
                    {PERIODS
                        .iter()
                        .map(|(seconds, label)| {
                            let value = seconds.to_string();
                            let is = value.clone();
                            view! { <option value=value selected=move || period() == is>{*label}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            // Only needed without scripts: once the page is hydrated, changes apply at once.
            <Show when=move || !hydrated.get()>
                <button type="submit" class="primary" data-testid="graph-apply">"Apply"</button>
            </Show>
        </form>
    }
}
