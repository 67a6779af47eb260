//! Alarm pieces shared by the alarm pages: the state badge, a composite rule drawn as a tree of its children's
//! states, the state timeline, and the metric graph with its threshold (or band) and the alarm's state band.

use leptos::html::Div;
use leptos::prelude::*;
use skywatch_charts::{Chart, ChartSeries, HAnnotation, LegendPosition, Theme, VAnnotation, series_color};

use crate::api::{AlarmGraph, RuleNode, StateSpan};
use crate::components::chart_svg::{Canvas, chart_svg, hydrated, markup_for};
use crate::components::query::href;
use crate::components::theme::ConsoleTheme;

/// The CSS class of a state: `state-alarm`, `state-ok`, `state-insufficient-data`.
pub fn state_class(state: &str) -> String {
    format!("alarm-state state-{}", state.to_lowercase().replace('_', "-"))
}

/// `In alarm`, `OK`, `Insufficient data`, as the AWS console words states.
pub fn state_words(state: &str) -> &'static str {
    match state {
        "ALARM" => "In alarm",
        "OK" => "OK",
        _ => "Insufficient data",
    }
}

/// A state as a colored badge.
#[component]
pub fn StateBadge(state: String) -> impl IntoView {
    view! {
        <span class=state_class(&state) data-testid="alarm-state" data-state=state.clone()>
            {state_words(&state)}
        </span>
    }
}

/// A link to an alarm's page that keeps the console's region, account and range.
pub fn alarm_href(name: &str, query: &leptos_router::params::ParamsMap) -> String {
    href(&format!("/cloudwatch/alarms/alarm/{}", crate::components::query::encode(name)), query, &[])
}

/// A composite rule as a tree: each node says whether it holds now.
#[component]
pub fn RuleTree(node: RuleNode) -> impl IntoView {
    view! { <ul class="rule-tree" data-testid="rule-tree">{rule_item(node)}</ul> }
}

fn holds_mark(holds: bool) -> impl IntoView {
    let (class, text) = if holds { ("rule-holds yes", "true") } else { ("rule-holds no", "false") };
    view! { <span class=class data-testid="rule-holds">{text}</span> }
}

fn rule_item(node: RuleNode) -> AnyView {
    let query = leptos_router::hooks::use_query_map();
    match node {
        RuleNode::Constant(value) => view! {
            <li data-testid="rule-node"><code>{if value { "TRUE" } else { "FALSE" }}</code>" "{holds_mark(value)}</li>
        }
        .into_any(),
        RuleNode::Child { wanted, alarm, actual, holds } => {
            let link = alarm_href(alarm.rsplit(":alarm:").next().unwrap_or(&alarm), &query.read_untracked());
            let actual_view = match actual {
                Some(state) => view! { <StateBadge state=state/> }.into_any(),
                None => view! { <span class="badge badge-error" data-testid="rule-missing">"no such alarm"</span> }
                    .into_any(),
            };
            view! {
                <li data-testid="rule-node" data-kind="child">
                    <code>{wanted}"("</code><a href=link data-testid="rule-child">{alarm.clone()}</a><code>")"</code>
                    " is " {actual_view} " " {holds_mark(holds)}
                </li>
            }
            .into_any()
        }
        RuleNode::Not { inner, holds } => view! {
            <li data-testid="rule-node" data-kind="not">
                <strong>"NOT"</strong>" "{holds_mark(holds)}
                <ul>{rule_item(*inner)}</ul>
            </li>
        }
        .into_any(),
        RuleNode::All { children, holds } | RuleNode::Any { children, holds } if children.is_empty() => {
            view! { <li>{holds_mark(holds)}</li> }.into_any()
        }
        RuleNode::All { children, holds } => group("AND", "all of", children, holds),
        RuleNode::Any { children, holds } => group("OR", "any of", children, holds),
    }
}

fn group(word: &'static str, words: &'static str, children: Vec<RuleNode>, holds: bool) -> AnyView {
    view! {
        <li data-testid="rule-node" data-kind=word.to_lowercase()>
            <strong>{word}</strong>" " <span class="muted">{words}</span>" "{holds_mark(holds)}
            <ul>{children.into_iter().map(rule_item).collect_view()}</ul>
        </li>
    }
    .into_any()
}

/// The state colors of the timeline and the graph's band.
pub fn state_color(state: &str, dark: bool) -> &'static str {
    match (state, dark) {
        ("ALARM", false) => "#d91515",
        ("ALARM", true) => "#ff5d64",
        ("OK", false) => "#037f0c",
        ("OK", true) => "#29ad32",
        (_, false) => "#8d99a8",
        (_, true) => "#5f6b7a",
    }
}

/// The states over the range as a bar of colored stretches, with their times on hover.
#[component]
pub fn StateTimeline(spans: Vec<StateSpan>, start_ms: i64, end_ms: i64) -> impl IntoView {
    let theme = use_context::<ConsoleTheme>();
    let dark = move || theme.is_some_and(ConsoleTheme::is_dark);
    let total = (end_ms - start_ms).max(1) as f64;
    let spans = StoredValue::new(spans);
    view! {
        <div class="state-timeline" data-testid="state-timeline" role="img" aria-label="Alarm state over the time range">
            {move || {
                spans
                    .get_value()
                    .into_iter()
                    .map(|span| {
                        let width = (span.to_ms - span.from_ms) as f64 / total * 100.0;
                        let style = format!("width:{width:.3}%;background:{}", state_color(&span.state, dark()));
                        let title = format!(
                            "{} from {} to {} UTC",
                            state_words(&span.state),
                            crate::pages::dashboard::format_time_at(span.from_ms, 0),
                            crate::pages::dashboard::format_time_at(span.to_ms, 0)
                        );
                        view! { <span class="state-span" style=style title=title data-testid="state-span" data-state=span.state.clone()></span> }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// The width an alarm graph is drawn at until the browser measures its box.
pub const ALARM_CHART_WIDTH: u32 = 900;

/// An alarm graph's height on the alarm's page.
pub const ALARM_CHART_HEIGHT: u32 = 260;

/// The canvas of an alarm graph `width` by `height` in the dark or light theme.
pub fn alarm_canvas(dark: bool, width: u32, height: u32) -> Canvas {
    Canvas { width: width.clamp(240, 4_000), height, dark, utc_offset_minutes: 0 }
}

/// An alarm graph: the metric, the threshold line (shaded on its breaching side) or the band, and the ALARM
/// stretches of `spans` as bands behind the data.
pub fn alarm_chart(graph: &AlarmGraph, spans: &[StateSpan], canvas: Canvas) -> Chart {
    let dark = canvas.dark;
    let mut series = vec![ChartSeries {
        label: graph.label.clone(),
        color: Some(series_color(0).to_owned()),
        unit: graph.unit.clone(),
        right_axis: false,
        points: graph.points.clone(),
    }];
    let mut horizontal = Vec::new();
    if let Some(threshold) = graph.threshold {
        let fill = match graph.symbol.as_str() {
            ">" | ">=" => Some(skywatch_charts::HFill::Above),
            "<" | "<=" => Some(skywatch_charts::HFill::Below),
            _ => None,
        };
        horizontal.push(HAnnotation {
            value: threshold,
            band_to: None,
            label: Some(format!("{} {}", graph.symbol, threshold)),
            color: Some(state_color("ALARM", dark).to_owned()),
            fill,
            right_axis: false,
        });
    }
    if let Some((lower, upper)) = &graph.band {
        let band_color = "#8d99a8".to_owned();
        series.push(ChartSeries {
            label: "Band (upper)".into(),
            color: Some(band_color.clone()),
            unit: None,
            right_axis: false,
            points: upper.clone(),
        });
        series.push(ChartSeries {
            label: "Band (lower)".into(),
            color: Some(band_color),
            unit: None,
            right_axis: false,
            points: lower.clone(),
        });
    }
    let vertical = spans
        .iter()
        .filter(|s| s.state == "ALARM")
        .map(|s| VAnnotation {
            time_ms: s.from_ms,
            band_to_ms: Some(s.to_ms),
            label: None,
            color: Some(state_color("ALARM", dark).to_owned()),
            fill: None,
        })
        .collect();
    Chart {
        width: canvas.width,
        height: canvas.height,
        theme: if dark { Theme::Dark } else { Theme::Light },
        utc_offset_minutes: canvas.utc_offset_minutes,
        series,
        x_range_ms: (graph.start_ms, graph.end_ms),
        horizontal_annotations: horizontal,
        vertical_annotations: vertical,
        legend: LegendPosition::Hidden,
        ..Chart::default()
    }
}

/// On the server: `graph` drawn for the page's first render (the default width, the page's theme), off the async
/// runtime.
#[cfg(feature = "ssr")]
pub async fn prerender_alarm_chart(mut graph: AlarmGraph, spans: &[StateSpan], dark: bool, height: u32) -> AlarmGraph {
    let chart = alarm_chart(&graph, spans, alarm_canvas(dark, ALARM_CHART_WIDTH, height));
    graph.drawn = crate::components::chart_svg::prerender(chart, "error").await;
    graph
}

/// The alarm graph at the width of its box (measured in the browser).
#[component]
pub fn AlarmChart(
    graph: AlarmGraph,
    spans: Vec<StateSpan>,
    #[prop(default = ALARM_CHART_HEIGHT)] height: u32,
) -> impl IntoView {
    let theme = use_context::<ConsoleTheme>();
    let dark = move || theme.is_some_and(ConsoleTheme::is_dark);
    let width = RwSignal::new(ALARM_CHART_WIDTH);
    let node = NodeRef::<Div>::new();
    let measure = move || {
        if let Some(element) = node.get_untracked() {
            let measured = u32::try_from(element.client_width()).unwrap_or(0);
            if measured > 0 && measured != width.get_untracked() {
                width.set(measured);
            }
        }
    };
    Effect::new(move |_| {
        if node.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let note = graph.note.clone();
    let data = StoredValue::new((graph, spans));
    let hydrated = hydrated();
    let markup = move || {
        let canvas = alarm_canvas(dark(), width.get(), height);
        data.with_value(|(graph, spans)| {
            markup_for(graph.drawn.as_ref(), canvas, hydrated, || {
                chart_svg(&alarm_chart(graph, spans, canvas), "error")
            })
        })
    };
    view! {
        <div class="graph-canvas" node_ref=node data-testid="alarm-graph" inner_html=markup></div>
        {note.map(|note| view! { <p class="graph-note muted" data-testid="alarm-graph-note">{note}</p> })}
    }
}
