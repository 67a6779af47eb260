//! The metric picker of the widget dialogs: a search over the account's metrics (namespace, name, dimensions)
//! with a checkbox per metric; the chosen ones are kept across searches.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{MetricId, metric_search};
use crate::components::query::use_region;

/// Rows shown for one search.
const SHOWN: usize = 60;

/// The text of a metric in the picker: `Namespace › Metric › Dim=Value, …`.
pub fn describe(metric: &MetricId) -> String {
    let dims: Vec<String> = metric.dimensions.iter().map(|(n, v)| format!("{n}={v}")).collect();
    if dims.is_empty() {
        format!("{} › {}", metric.namespace, metric.metric_name)
    } else {
        format!("{} › {} › {}", metric.namespace, metric.metric_name, dims.join(", "))
    }
}

#[component]
pub fn MetricPicker(selected: RwSignal<Vec<MetricId>>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = Memo::new(move |_| query.read().get("account"));
    let search = RwSignal::new(String::new());
    let found = Resource::new(
        move || (region.get(), account.get(), search.get()),
        |(region, account, search)| metric_search(region, account, search, SHOWN),
    );
    view! {
        <div class="picker" data-testid="metric-picker">
            <input
                type="search"
                placeholder="Search metrics: namespace, name or dimension"
                prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev))
                data-testid="picker-search"
            />
            <div class="picker-results">
                <Transition fallback=|| view! { <p class="muted">"Searching…"</p> }>
                    {move || Suspend::new(async move {
                        match found.await {
                            Ok(rows) if rows.is_empty() => view! { <p class="muted" data-testid="picker-empty">"No metrics match."</p> }.into_any(),
                            Ok(rows) => view! {
                                <table class="grid compact">
                                    <tbody>
                                        {rows
                                            .into_iter()
                                            .map(|row| {
                                                let metric = row.metric.clone();
                                                let toggle_metric = metric.clone();
                                                let checked = move || selected.read().contains(&metric);
                                                let toggle = move |_| {
                                                    let metric = toggle_metric.clone();
                                                    selected.update(|s| match s.iter().position(|m| *m == metric) {
                                                        Some(at) => {
                                                            s.remove(at);
                                                        }
                                                        None => s.push(metric),
                                                    });
                                                };
                                                view! {
                                                    <tr data-testid="picker-row">
                                                        <td class="check"><input type="checkbox" prop:checked=checked on:change=toggle data-testid="picker-check"/></td>
                                                        <td>{describe(&row.metric)}</td>
                                                        <td class="muted">{row.unit.unwrap_or_default()}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                            .into_any(),
                            Err(e) => view! { <p class="error-text">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <p class="muted picker-chosen" data-testid="picker-chosen">
                {move || format!("{} metric(s) chosen", selected.read().len())}
            </p>
        </div>
    }
}
