//! The graph itself: the fetched series drawn as one SVG by `skywatch-charts`, in the console's theme and at the
//! width of its box (measured in the browser; a default on the server, scaled by CSS until hydration). The server's
//! drawing for the first render is made with the data ([`prerender`]), off the async runtime.

use leptos::html::Div;
use leptos::prelude::*;
use skywatch_charts::{Chart, ChartSeries, LegendPosition, Theme, series_color};

use crate::api::GraphData;
use crate::components::chart_svg::{Canvas, chart_svg, hydrated, markup_for};
use crate::components::theme::ConsoleTheme;

/// The width drawn for until the browser measures the box.
pub const DEFAULT_WIDTH: u32 = 1_100;
const HEIGHT: u32 = 300;

/// The canvas of the graph at `width` in the dark or light theme.
pub fn canvas(dark: bool, width: u32) -> Canvas {
    Canvas { width: width.clamp(240, 4_000), height: HEIGHT, dark, utc_offset_minutes: 0 }
}

/// The chart of the graph on `canvas`.
pub fn graph_chart(data: &GraphData, canvas: Canvas) -> Chart {
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
    Chart {
        width: canvas.width,
        height: canvas.height,
        theme: if canvas.dark { Theme::Dark } else { Theme::Light },
        utc_offset_minutes: canvas.utc_offset_minutes,
        series,
        x_range_ms: (data.start_ms, data.end_ms),
        legend: LegendPosition::Hidden,
        ..Chart::default()
    }
}

/// On the server: `data` with the graph drawn for the page's first render (the default width, the page's theme).
#[cfg(feature = "ssr")]
pub async fn prerender(mut data: GraphData, dark: bool) -> GraphData {
    let chart = graph_chart(&data, canvas(dark, DEFAULT_WIDTH));
    data.drawn = crate::components::chart_svg::prerender(chart, "error").await;
    data
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
    let hydrated = hydrated();
    let markup = move || {
        let canvas = canvas(dark(), width.get());
        data.with_value(|data| {
            markup_for(data.drawn.as_ref(), canvas, hydrated, || chart_svg(&graph_chart(data, canvas), "error"))
        })
    };
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
