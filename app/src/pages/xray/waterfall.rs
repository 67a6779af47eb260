//! A trace's waterfall: one row per segment and subsegment, indented by depth, each with its HTTP status,
//! duration, and a bar placed on the trace's time axis, coloured by how it ended (fault, throttle, error, ok).
//! Rows are focusable; a click or Enter opens the row's details (the page keeps which one in `span=`).

use leptos::prelude::*;

use crate::api::SpanRow;
use crate::components::xray_format::seconds;

/// Ticks on the time axis.
const TICKS: usize = 5;

/// The row's health class.
pub fn health(span: &SpanRow) -> &'static str {
    if span.fault {
        "fault"
    } else if span.throttle {
        "throttle"
    } else if span.error {
        "error"
    } else {
        "ok"
    }
}

/// Left offset and width of a bar, in percent of the axis from `start` over `total` seconds.
pub fn bar(span: &SpanRow, start: f64, total: f64, trace_end: f64) -> (f64, f64) {
    if total <= 0.0 {
        return (0.0, 100.0);
    }
    let end = span.end.unwrap_or(trace_end).max(span.start);
    let left = ((span.start - start) / total * 100.0).clamp(0.0, 100.0);
    let width = ((end - span.start) / total * 100.0).clamp(0.0, 100.0 - left);
    (left, width)
}

/// The duration beside its bar: after it, or inside its end when the bar reaches the axis' end.
fn label_view(left: f64, width: f64, duration: String) -> impl IntoView {
    let end = left + width;
    if end > 80.0 {
        let style = format!("right: calc({:.3}% + 6px)", 100.0 - end);
        view! { <span class="wf-bar-label inside small" style=style>{duration}</span> }
    } else {
        let style = format!("left: calc({end:.3}% + 6px)");
        view! { <span class="wf-bar-label small" style=style>{duration}</span> }
    }
}

#[component]
pub fn Waterfall(
    spans: Vec<SpanRow>,
    start: f64,
    total: f64,
    selected: Signal<String>,
    highlighted: Signal<String>,
    on_open: Callback<String>,
) -> impl IntoView {
    let trace_end = start + total;
    let ticks = (0..TICKS)
        .map(|i| {
            let at = i as f64 / (TICKS - 1) as f64;
            view! { <span class="tick" style=format!("left: {:.2}%", at * 100.0)>{seconds(at * total)}</span> }
        })
        .collect_view();
    view! {
        <div class="waterfall" role="table" aria-label="Segments and subsegments" data-testid="waterfall">
            <div class="wf-row wf-head" role="row">
                <span class="wf-name" role="columnheader">"Name"</span>
                <span class="wf-status" role="columnheader">"Status"</span>
                <span class="wf-duration" role="columnheader">"Duration"</span>
                <span class="wf-track wf-axis" role="columnheader">{ticks}</span>
            </div>
            {spans
                .into_iter()
                .map(|span| {
                    let (left, width) = bar(&span, start, total, trace_end);
                    let class = health(&span);
                    let id = span.id.clone();
                    let open_id = id.clone();
                    let key_id = id.clone();
                    let is_open = {
                        let id = id.clone();
                        move || selected.get() == id
                    };
                    let name = span.name.clone();
                    let is_highlighted = move || !highlighted.get().is_empty() && highlighted.get() == name;
                    let duration = match span.end {
                        Some(end) => seconds((end - span.start).max(0.0)),
                        None => "in progress".to_owned(),
                    };
                    let marker = (class != "ok").then(|| {
                        let word = match class {
                            "fault" => "Fault",
                            "throttle" => "Throttle",
                            _ => "Error",
                        };
                        view! { <span class=format!("marker marker-{class}") data-testid=format!("marker-{class}")>{word}</span> }
                    });
                    let label = format!("{} {}, {duration}", if span.segment { "Segment" } else { "Subsegment" }, span.name);
                    view! {
                        <div class="wf-row" role="row" tabindex="0" aria-label=label
                            class:segment=span.segment class:selected=is_open class:highlighted=is_highlighted
                            data-testid="span-row" data-name=span.name.clone() data-span-id=id.clone()
                            data-health=class data-depth=span.depth
                            on:click=move |_| on_open.run(open_id.clone())
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Enter" || ev.key() == " " {
                                    ev.prevent_default();
                                    on_open.run(key_id.clone());
                                }
                            }>
                            <span class="wf-name" role="cell" style=format!("padding-left: {}px", 8 + span.depth.min(24) * 14)>
                                <span class=format!("health-dot health-{class}") aria-hidden="true"></span>
                                <span class="wf-label" title=span.name.clone()>{span.name.clone()}</span>
                                {span.kind.clone().map(|k| view! { <span class="wf-kind muted small">{k}</span> })}
                                {(!span.annotations.is_empty()).then(|| view! { <span class="wf-flag small" title="Annotations">"◆"</span> })}
                                {(!span.exceptions.is_empty()).then(|| view! { <span class="wf-flag wf-exception small" title="Exception">"⚠"</span> })}
                            </span>
                            <span class="wf-status mono small" role="cell">
                                {span.status.map(|s| s.to_string()).unwrap_or_else(|| "-".into())}
                                {marker}
                            </span>
                            <span class="wf-duration small" role="cell">{duration.clone()}</span>
                            <span class="wf-track" role="cell">
                                <span class=format!("wf-bar bar-{class}") class:in-progress=span.in_progress
                                    style=format!("left: {left:.3}%; width: max({width:.3}%, 2px)")>
                                </span>
                                {label_view(left, width, duration)}
                            </span>
                        </div>
                    }
                    .into_any()
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: f64, end: Option<f64>) -> SpanRow {
        SpanRow {
            id: "a".into(),
            depth: 0,
            segment: true,
            name: "a".into(),
            kind: None,
            start,
            end,
            in_progress: end.is_none(),
            method: None,
            url: None,
            status: None,
            error: false,
            fault: false,
            throttle: false,
            annotations: Vec::new(),
            metadata: None,
            http: None,
            aws: None,
            sql: None,
            user: None,
            exceptions: Vec::new(),
            raw: None,
        }
    }

    #[test]
    fn bars_sit_on_the_trace_axis() {
        assert_eq!(bar(&span(10.0, Some(12.0)), 10.0, 4.0, 14.0), (0.0, 50.0));
        assert_eq!(bar(&span(13.0, None), 10.0, 4.0, 14.0), (75.0, 25.0), "in progress runs to the end");
        assert_eq!(bar(&span(9.0, Some(30.0)), 10.0, 4.0, 14.0), (0.0, 100.0), "clamped to the axis");
        assert_eq!(bar(&span(1.0, Some(1.0)), 1.0, 0.0, 1.0), (0.0, 100.0));
    }
}
