//! The time series view: lines (or stacked areas) over time with gaps, annotations, axes and legend.

use plotters::prelude::DrawingBackend;

use super::axes::{self, TICK_SIZE};
use super::canvas::{Align, Canvas, Label};
use super::color::Rgba;
use super::frame::Frame;
use super::geometry::{Point, Rect, clip_polygon, clip_polyline};
use super::legend::LegendItem;
use super::series::{StackedPoint, clean_points, split_at_gaps, stack, typical_step};
use super::theme::Colors;
use super::ticks::time_ticks;
use super::{Chart, ChartError, chrome, series_color};

/// Series line width in chart pixels.
const LINE_WIDTH: f64 = 1.5;
/// Radius of a lone point between two gaps.
const DOT_RADIUS: f64 = 2.0;
pub(crate) const NO_DATA: &str = "No data available.";

/// A series ready to draw.
pub(crate) struct Prepared {
    pub label: String,
    pub color: Rgba,
    pub right: bool,
    pub unit: Option<String>,
    pub points: Vec<(i64, f64)>,
    pub step: Option<i64>,
}

/// Cleans the chart's series and gives each its color.
pub(crate) fn prepare(chart: &Chart) -> Vec<Prepared> {
    chart
        .series
        .iter()
        .enumerate()
        .map(|(index, series)| {
            let points = clean_points(series);
            let fallback = Rgba::parse(series_color(index)).unwrap_or(Rgba::rgb(0x1f, 0x77, 0xb4));
            Prepared {
                label: series.label.clone(),
                color: series.color.as_deref().and_then(Rgba::parse).unwrap_or(fallback),
                right: series.right_axis,
                unit: series.unit.clone(),
                step: typical_step(&points),
                points,
            }
        })
        .collect()
}

pub(crate) fn legend_items(series: &[Prepared]) -> Vec<LegendItem> {
    series.iter().map(|s| LegendItem { label: s.label.clone(), color: s.color }).collect()
}

/// Stacks the left-axis series among themselves and the right-axis ones among themselves.
fn stacked_points(series: &[Prepared]) -> Vec<Vec<StackedPoint>> {
    let mut out: Vec<Vec<StackedPoint>> = vec![Vec::new(); series.len()];
    for right in [false, true] {
        let indices: Vec<usize> = (0..series.len()).filter(|i| series[*i].right == right).collect();
        let points: Vec<Vec<(i64, f64)>> = indices.iter().map(|i| series[*i].points.clone()).collect();
        for (index, stacked) in indices.into_iter().zip(stack(&points)) {
            out[index] = stacked;
        }
    }
    out
}

/// Where everything of a time series chart goes.
pub(crate) struct Layout {
    pub series: Vec<Prepared>,
    pub chrome: chrome::Chrome,
    pub stacked: Option<Vec<Vec<StackedPoint>>>,
    pub titles: (Option<String>, Option<String>),
    /// `None` when the chart is too small for a plot.
    pub frame: Option<Frame>,
}

/// Lays out a time series chart: legend and title, the y scales from the data in range, and the plot.
pub(crate) fn layout(chart: &Chart) -> Layout {
    let series = prepare(chart);
    let chrome = chrome::layout(chart, &legend_items(&series));
    let content = chrome.content;
    let (start_ms, end_ms) = chart.x_range_ms;
    let stacked = chart.stacked.then(|| stacked_points(&series));

    let plot_top = content.top + 6.0;
    let plot_bottom = content.bottom - (TICK_SIZE + 12.0);
    let values = |right: bool| -> Vec<f64> {
        let mut values: Vec<f64> = Vec::new();
        for (index, s) in series.iter().enumerate().filter(|(_, s)| s.right == right) {
            let in_range = |time: &i64| *time >= start_ms && *time <= end_ms;
            match &stacked {
                Some(stacked) => values.extend(
                    stacked[index].iter().filter(|(t, _)| in_range(t)).flat_map(|(_, (low, high))| [*low, *high]),
                ),
                None => values.extend(s.points.iter().filter(|(t, _)| in_range(t)).map(|(_, v)| *v)),
            }
        }
        let annotations = chart.horizontal_annotations.iter().filter(|a| a.right_axis == right);
        values.extend(annotations.flat_map(|a| std::iter::once(a.value).chain(a.band_to)));
        values
    };
    let has_right = series.iter().any(|s| s.right) || chart.horizontal_annotations.iter().any(|a| a.right_axis);
    let left_scale = axes::y_scale(values(false).into_iter(), &chart.left_axis, plot_bottom - plot_top);
    let right_scale = if has_right {
        axes::y_scale(values(true).into_iter(), &chart.right_axis, plot_bottom - plot_top)
    } else {
        None
    };
    let left_title = axes::axis_title(&chart.left_axis, series.iter().filter(|s| !s.right).map(|s| s.unit.as_deref()));
    let right_title = if has_right {
        axes::axis_title(&chart.right_axis, series.iter().filter(|s| s.right).map(|s| s.unit.as_deref()))
    } else {
        None
    };
    let left_band = axes::band_width(left_scale.as_ref(), left_title.as_deref());
    let right_band = axes::band_width(right_scale.as_ref(), right_title.as_deref());
    let plot = Rect {
        left: content.left + left_band.max(4.0),
        top: plot_top,
        right: content.right - right_band.max(8.0),
        bottom: plot_bottom,
    };
    let frame = (plot.width() >= 10.0 && plot.height() >= 10.0).then_some(Frame {
        plot,
        start_ms,
        end_ms,
        left: left_scale,
        right: right_scale,
    });
    Layout { series, chrome, stacked, titles: (left_title, right_title), frame }
}

pub(crate) fn draw<DB: DrawingBackend>(canvas: &Canvas<DB>, chart: &Chart, colors: &Colors) -> Result<(), ChartError> {
    let Layout { series, chrome, stacked, titles, frame } = layout(chart);
    let Some(frame) = frame else { return chrome::draw(canvas, &chrome, colors) };
    let plot = frame.plot;
    let content = chrome.content;

    axes::draw_grid(canvas, &frame, colors)?;
    super::annotate::draw_fills(canvas, &frame, &chart.horizontal_annotations, &chart.vertical_annotations, colors)?;
    match &stacked {
        Some(stacked) => draw_stacked(canvas, &frame, &series, stacked, colors)?,
        None => draw_lines(canvas, &frame, &series)?,
    }
    super::annotate::draw_lines(canvas, &frame, &chart.horizontal_annotations, &chart.vertical_annotations, colors)?;
    let (start_ms, end_ms) = chart.x_range_ms;
    let ticks = time_ticks(start_ms, end_ms, chart.utc_offset_minutes, (plot.width() / 70.0).floor() as usize);
    axes::draw_x(canvas, &frame, &ticks, f64::from(chart.width), colors)?;
    axes::draw_y_labels(
        canvas,
        &frame,
        (titles.0.as_deref(), titles.1.as_deref()),
        (content.left, content.right),
        colors,
    )?;
    if series.iter().all(|s| s.points.is_empty()) {
        let label = Label::new(NO_DATA, plot.center_x(), plot.center_y() + 5.0, 14.0, colors.muted);
        canvas.text(&label.align(Align::Center))?;
    }
    chrome::draw(canvas, &chrome, colors)
}

fn to_pixels(frame: &Frame, points: &[(i64, f64)], right: bool) -> Vec<Point> {
    points.iter().filter_map(|(time, value)| Some((frame.x(*time), frame.y(*value, right)?))).collect()
}

fn stroke_run<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: &Frame,
    pixels: &[Point],
    color: Rgba,
) -> Result<(), ChartError> {
    for piece in clip_polyline(pixels, &frame.plot) {
        if piece.len() == 1 {
            canvas.dot(piece[0], DOT_RADIUS, color)?;
        } else {
            canvas.polyline(&piece, LINE_WIDTH, color)?;
        }
    }
    Ok(())
}

fn draw_lines<DB: DrawingBackend>(canvas: &Canvas<DB>, frame: &Frame, series: &[Prepared]) -> Result<(), ChartError> {
    for s in series {
        for run in split_at_gaps(&s.points, s.step) {
            stroke_run(canvas, frame, &to_pixels(frame, &run, s.right), s.color)?;
        }
    }
    Ok(())
}

fn draw_stacked<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: &Frame,
    series: &[Prepared],
    stacked: &[Vec<StackedPoint>],
    colors: &Colors,
) -> Result<(), ChartError> {
    let runs: Vec<Vec<Vec<StackedPoint>>> =
        series.iter().zip(stacked).map(|(s, points)| split_at_gaps(points, s.step)).collect();
    for (s, runs) in series.iter().zip(&runs) {
        for run in runs.iter().filter(|run| run.len() > 1) {
            let tops: Vec<(i64, f64)> = run.iter().map(|(t, (_, high))| (*t, *high)).collect();
            let bottoms: Vec<(i64, f64)> = run.iter().rev().map(|(t, (low, _))| (*t, *low)).collect();
            let mut outline = to_pixels(frame, &tops, s.right);
            outline.extend(to_pixels(frame, &bottoms, s.right));
            canvas.polygon(&clip_polygon(&outline, &frame.plot), s.color.with_alpha(colors.area_alpha))?;
        }
    }
    for (s, runs) in series.iter().zip(&runs) {
        for run in runs {
            let tops: Vec<(i64, f64)> = run.iter().map(|(t, (_, high))| (*t, *high)).collect();
            stroke_run(canvas, frame, &to_pixels(frame, &tops, s.right), s.color)?;
        }
    }
    Ok(())
}
