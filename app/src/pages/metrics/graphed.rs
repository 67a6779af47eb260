//! The Graphed metrics tab: each metric on the graph with its color, label, statistic and period, and a
//! button that takes it off.

use leptos::prelude::*;
use skywatch_charts::series_color;

use super::PageState;
use super::state::encode_metric;
use crate::api::{MetricId, period_label};

#[component]
pub fn GraphedMetrics() -> impl IntoView {
    let page = expect_context::<PageState>();
    let rows = move || {
        let (metrics, statistic, period) = page.state.with(|s| (s.metrics.clone(), s.statistic.clone(), s.period));
        if metrics.is_empty() {
            return view! {
                <div class="empty-state" data-testid="graphed-empty">
                    <h3>"No metrics on the graph"</h3>
                    <p>"Select metrics on the Browse tab to graph them."</p>
                </div>
            }
            .into_any();
        }
        let period = period.map(period_label).unwrap_or_else(|| "Auto".to_owned());
        view! {
            <table class="grid" data-testid="graphed-table">
                <thead>
                    <tr>
                        <th class="check"><span class="sr-only">"Color"</span></th>
                        <th>"Label"</th>
                        <th>"Namespace"</th>
                        <th>"Metric name"</th>
                        <th>"Dimensions"</th>
                        <th>"Statistic"</th>
                        <th>"Period"</th>
                        <th class="actions"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {metrics
                        .into_iter()
                        .enumerate()
                        .map(|(i, metric)| view! {
                            <GraphedRow index=i metric=metric statistic=statistic.clone() period=period.clone()/>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! { <section class="panel graphed" data-testid="graphed-metrics">{rows}</section> }
}

#[component]
fn GraphedRow(index: usize, metric: MetricId, statistic: String, period: String) -> impl IntoView {
    let page = expect_context::<PageState>();
    let remove = {
        let metric = metric.clone();
        move || page.link(|s| s.toggled(&metric))
    };
    let label = metric.label();
    view! {
        <tr data-testid="graphed-row" data-metric=encode_metric(&metric)>
            <td class="check"><span class="swatch" style=format!("background:{}", series_color(index))></span></td>
            <td data-testid="graphed-label">{label.clone()}</td>
            <td>{metric.namespace.clone()}</td>
            <td>{metric.metric_name.clone()}</td>
            <td>
                {metric
                    .dimensions
                    .iter()
                    .map(|(name, value)| view! { <span class="chip">{format!("{name}: {value}")}</span> })
                    .collect_view()}
            </td>
            <td data-testid="graphed-statistic">{statistic}</td>
            <td data-testid="graphed-period">{period}</td>
            <td class="actions">
                <a
                    class="button-link"
                    href=remove
                    data-noscroll="true"
                    aria-label=format!("Remove {label} from the graph")
                    data-testid="graphed-remove"
                >
                    "Remove"
                </a>
            </td>
        </tr>
    }
}
