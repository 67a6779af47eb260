//! The graph itself: the fetched series drawn as one SVG by `skywatch-charts`, in the console's theme and at the
//! width of its box (measured in the browser; a default on the server, scaled by CSS until hydration).

use leptos::html::Div;
use leptos::prelude::*;
use skywatch_charts::{Chart, ChartSeries, LegendPosition, Theme, series_color};

use crate::api::GraphData;
use crate::components::theme::ConsoleTheme;

const DEFAULT_WIDTH: u32 = 1_100;
const HEIGHT: u32 = 300;

/// The SVG markup of the graph, or an error note if it cannot be drawn.
pub fn chart_markup(data: &GraphData, dark: bool, width: u32) -> String {
    let series = data
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| ChartSeries {
            label: s.metric.label(),
            color: Some(series_color(i).to_owned()),
            unit: s.unit.clone(),
            right_axis: false,
            points: s.points.clone(),
        })
        .collect();
    let chart = Chart {
        width: width.clamp(240, 4_000),
        height: HEIGHT,
        theme: if dark { Theme::Dark } else { Theme::Light },
        series,
        x_range_ms: (data.start_ms, data.end_ms),
        legend: LegendPosition::Hidden,
        ..Chart::default()
    };
    crate::components::chart_svg::chart_svg(&chart, "error")
}

#[component]
pub fn MetricChart(data: GraphData) -> impl IntoView {
    let theme = use_context::<ConsoleTheme>();
    let dark = move || theme.is_some_and(ConsoleTheme::is_dark);
    let width = RwSignal::new(DEFAULT_WIDTH);
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
    let data = StoredValue::new(data);
    let markup = move || data.with_value(|data| chart_markup(data, dark(), width.get()));
    view! {
        <div
            class="graph-canvas"
            node_ref=node
            data-testid="metrics-graph"
            data-chart-theme=move || if dark() { "dark" } else { "light" }
            inner_html=markup
        ></div>
    }
}
