//! One widget's content: a chart drawn by `skywatch-charts` at the widget's size in the console's theme and time
//! zone, with a readout of the values under the pointer and drag-to-zoom on time series; markdown; alarm rows;
//! a log query; or why the widget could not be drawn.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use skywatch_charts::{Chart, Theme, series_color};
#[cfg(feature = "ssr")]
use skywatch_dashboards::body::Placement;
use skywatch_model::TimeRange;

use super::board::Board;
use super::format_time_at;
#[cfg(feature = "ssr")]
use super::grid::{DEFAULT_WIDTH, content_size};
use super::toolbar::use_offset_minutes;
#[cfg(feature = "ssr")]
use crate::api::Rendered;
use crate::api::WidgetContent;
use crate::components::chart_svg::{Canvas, Prerendered, chart_svg, hydrated, markup_for};
use crate::components::query::href_keeping;
use crate::components::theme::ConsoleTheme;

#[component]
pub fn WidgetBody(
    index: usize,
    content: WidgetContent,
    drawn: Option<Prerendered>,
    size: Signal<(u32, u32)>,
) -> impl IntoView {
    match content {
        WidgetContent::Chart { chart, period_seconds } => {
            view! { <ChartView index=index chart=*chart prerendered=drawn period_seconds=period_seconds size=size/> }
                .into_any()
        }
        WidgetContent::Text { html, .. } => {
            view! { <div class="widget-text markdown" data-testid="widget-text" inner_html=html></div> }.into_any()
        }
        WidgetContent::Alarms { alarms } => view! {
            <ul class="alarm-rows" data-testid="widget-alarms">
                {alarms
                    .into_iter()
                    .map(|alarm| {
                        let state = alarm.state.clone().unwrap_or_else(|| "Not found".to_owned());
                        let class = format!("alarm-state state-{}", state.to_lowercase().replace(' ', "-"));
                        view! {
                            <li title=alarm.arn.clone()>
                                <span class=class data-testid="alarm-state">{state}</span>
                                <span class="alarm-name">{alarm.name}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
        WidgetContent::Log { query, region } => view! {
            <div class="widget-log" data-testid="widget-log">
                <pre class="query">{query}</pre>
                <p class="muted">
                    {format!(
                        "Logs Insights results are shown here once CloudWatch Logs is available{}.",
                        region.map(|r| format!(" in {r}")).unwrap_or_default()
                    )}
                </p>
            </div>
        }
        .into_any(),
        WidgetContent::Error { message } => {
            view! { <div class="widget-error error-text" data-testid="widget-error">{message}</div> }.into_any()
        }
    }
}

/// `chart` set up to be drawn on `canvas`.
fn on_canvas(mut chart: Chart, canvas: Canvas) -> Chart {
    chart.width = canvas.width;
    chart.height = canvas.height;
    chart.theme = if canvas.dark { Theme::Dark } else { Theme::Light };
    chart.utc_offset_minutes = canvas.utc_offset_minutes;
    chart
}

/// On the server: `rendered` with each chart widget drawn for the page's first render (at its place in a grid of
/// the default width, in the page's theme, in UTC), all on one blocking thread off the async runtime.
#[cfg(feature = "ssr")]
pub async fn prerender_widgets(rendered: Rendered, placements: &[Placement], dark: bool) -> Rendered {
    let Rendered::Dashboard(dashboard, _) = rendered else {
        return rendered;
    };
    let charts = dashboard
        .widgets
        .iter()
        .zip(placements)
        .map(|(widget, place)| match &widget.content {
            WidgetContent::Chart { chart, .. } => {
                let (width, height) = content_size(place, DEFAULT_WIDTH);
                let canvas = Canvas { width, height, dark, utc_offset_minutes: 0 };
                Some(on_canvas((**chart).clone(), canvas))
            }
            _ => None,
        })
        .collect();
    let drawn = crate::components::chart_svg::prerender_each(charts, "error-text").await;
    Rendered::Dashboard(dashboard, drawn)
}

/// The pointer's readout: where it is and the values of each series there.
#[derive(Debug, Clone, PartialEq)]
struct Readout {
    x: f64,
    time_ms: i64,
    rows: Vec<(String, String, f64)>,
}

#[component]
fn ChartView(
    index: usize,
    chart: Chart,
    prerendered: Option<Prerendered>,
    period_seconds: i64,
    size: Signal<(u32, u32)>,
) -> impl IntoView {
    let board = expect_context::<Board>();
    let theme = use_context::<ConsoleTheme>();
    let dark = move || theme.is_some_and(ConsoleTheme::is_dark);
    let offset = use_offset_minutes();
    let base = StoredValue::new(chart);
    // The chart as drawn now: size, theme and time zone of the page.
    let drawn = Memo::new(move |_| {
        let (width, height) = size.get();
        let canvas = Canvas { width, height, dark: dark(), utc_offset_minutes: offset.get() };
        on_canvas(base.get_value(), canvas)
    });
    let prerendered = StoredValue::new(prerendered);
    let hydrated = hydrated();
    let markup = move || {
        drawn.with(|chart| {
            prerendered.with_value(|pre| {
                markup_for(pre.as_ref(), Canvas::of(chart), hydrated, || chart_svg(chart, "error-text"))
            })
        })
    };
    let node = NodeRef::<Div>::new();
    let readout = RwSignal::new(None::<Readout>);
    let selecting = RwSignal::new(None::<(f64, f64)>);
    let local_x = move |ev: &leptos::ev::PointerEvent| -> Option<f64> {
        let element = node.get_untracked()?;
        let rect = element.get_bounding_client_rect();
        Some(f64::from(ev.client_x()) - rect.left())
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some(x) = local_x(&ev) else {
            return;
        };
        if let Some((from, _)) = selecting.get_untracked() {
            selecting.set(Some((from, x)));
        }
        let next = drawn.with_untracked(|chart| {
            let time_ms = skywatch_charts::time_at(chart, x)?;
            let rows = skywatch_charts::values_at(chart, time_ms)
                .into_iter()
                .filter_map(|(series, _, value)| {
                    let s = chart.series.get(series)?;
                    let color = s.color.clone().unwrap_or_else(|| series_color(series).to_owned());
                    Some((s.label.clone(), color, value))
                })
                .collect::<Vec<_>>();
            Some(Readout { x, time_ms, rows })
        });
        readout.set(next);
    };
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if board.editing.get_untracked() || ev.button() != 0 {
            return;
        }
        if let Some(x) = local_x(&ev) {
            let inside = drawn.with_untracked(|chart| skywatch_charts::time_at(chart, x).is_some());
            if inside {
                ev.prevent_default();
                selecting.set(Some((x, x)));
            }
        }
    };
    let on_up = move |_: leptos::ev::PointerEvent| {
        let Some((from, to)) = selecting.get_untracked() else {
            return;
        };
        selecting.set(None);
        if (to - from).abs() < 6.0 {
            return;
        }
        let times = drawn.with_untracked(|chart| {
            let a = skywatch_charts::time_at(chart, from.min(to))?;
            let b = skywatch_charts::time_at(chart, from.max(to))?;
            Some((a, b))
        });
        if let Some((start_ms, end_ms)) = times.filter(|(a, b)| a < b) {
            let range = TimeRange::Absolute { start_ms, end_ms }.to_query_value();
            let target =
                href_keeping(&location.pathname.get_untracked(), &query.read_untracked(), &[("range", &range)], &[]);
            navigate(&target, NavigateOptions { scroll: false, ..Default::default() });
        }
    };
    let zoomable = drawn.with_untracked(|chart| skywatch_charts::plot_area(chart).is_some());
    let series_count = base.with_value(|c| c.series.len());
    let points = base.with_value(|c| c.series.iter().map(|s| s.points.len()).sum::<usize>());
    view! {
        <div
            class="widget-chart"
            class:zoomable=zoomable
            node_ref=node
            data-testid="widget-chart"
            data-view=base.with_value(|c| c.view.as_str().to_owned())
            data-series=series_count
            data-points=points
            data-period=period_seconds
            data-widget=index
            data-drawn-width=move || drawn.with(|chart| chart.width)
            data-theme=move || if dark() { "dark" } else { "light" }
            on:pointermove=on_move
            on:pointerleave=move |_| readout.set(None)
            on:pointerdown=on_down
            on:pointerup=on_up
        >
            <div class="chart-svg" inner_html=markup></div>
            {move || selecting.get().filter(|(a, b)| (a - b).abs() >= 2.0).map(|(a, b)| {
                let style = format!("left: {:.0}px; width: {:.0}px", a.min(b), (a - b).abs());
                view! { <div class="zoom-selection" style=style data-testid="zoom-selection"></div> }
            })}
            {move || readout.get().filter(|r| !r.rows.is_empty() && selecting.get().is_none()).map(|r| view! { <ReadoutBox readout=r/> })}
        </div>
    }
}

#[component]
fn ReadoutBox(readout: Readout) -> impl IntoView {
    let offset = use_offset_minutes();
    let flip = readout.x > 220.0;
    let style = if flip {
        format!("right: calc(100% - {:.0}px + 12px)", readout.x)
    } else {
        format!("left: {:.0}px", readout.x + 12.0)
    };
    let line = format!("left: {:.0}px", readout.x);
    view! {
        <div class="hover-line" style=line></div>
        <div class="hover-readout" style=style data-testid="hover-readout">
            <div class="time">{format_time_at(readout.time_ms, offset.get_untracked())}</div>
            {readout
                .rows
                .into_iter()
                .map(|(label, color, value)| view! {
                    <div class="row">
                        <span class="swatch" style=format!("background: {color}")></span>
                        <span class="label">{label}</span>
                        <span class="value">{format_value(value)}</span>
                    </div>
                })
                .collect_view()}
        </div>
    }
}

/// A readout value: up to three decimals, thousands kept readable.
pub fn format_value(value: f64) -> String {
    if value.abs() >= 1e6 {
        format!("{:.3}M", value / 1e6)
    } else if value.fract() == 0.0 {
        format!("{value:.0}")
    } else if value.abs() >= 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}").trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}
