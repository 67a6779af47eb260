//! The gauge view: a semicircular dial per series, filled up to its latest value, with threshold bands from the
//! horizontal annotations, the value in the middle, the range at the ends and the label below.

use std::f64::consts::PI;

use plotters::prelude::DrawingBackend;

use super::arc::{on_circle, ring_sector};
use super::canvas::{Align, Canvas, Label};
use super::color::Rgba;
use super::geometry::{Rect, grid_in_columns};
use super::numbers::{format_value, format_with_unit, unit_suffix};
use super::text::{fit_text, text_width};
use super::theme::Colors;
use super::timeseries::{NO_DATA, Prepared, prepare};
use super::{Chart, ChartError, HAnnotation, chrome};
use crate::view::HFill;

const LABEL_SIZE: f64 = 12.0;
const RANGE_SIZE: f64 = 11.0;
/// Room below the dial: the range labels, then the series label.
const BELOW: f64 = RANGE_SIZE + 6.0 + LABEL_SIZE + 6.0;

/// The range a gauge spans: the left axis bounds, else zero to 100 or the value, whichever is more.
pub(crate) fn gauge_range(chart: &Chart, value: Option<f64>) -> (f64, f64) {
    let value = value.unwrap_or(0.0);
    let min = chart.left_axis.min.filter(|min| min.is_finite()).unwrap_or(value.min(0.0));
    let max = chart.left_axis.max.filter(|max| max.is_finite()).unwrap_or(value.max(100.0));
    if max > min { (min, max) } else { (min, min + min.abs().max(1.0)) }
}

pub(crate) fn draw<DB: DrawingBackend>(canvas: &Canvas<DB>, chart: &Chart, colors: &Colors) -> Result<(), ChartError> {
    let series = prepare(chart);
    let chrome = chrome::layout(chart, &[]);
    let content = chrome.content;
    if series.is_empty() {
        let label = Label::new(NO_DATA, content.center_x(), content.center_y() + 5.0, 14.0, colors.muted);
        canvas.text(&label.align(Align::Center))?;
        return chrome::draw(canvas, &chrome, colors);
    }
    // The arrangement that gives the biggest dials.
    let count = series.len();
    let columns = (1..=count)
        .max_by(|a, b| {
            let radius =
                |columns: usize| grid_in_columns(content, count, columns).first().map_or(0.0, |c| dial_radius(*c));
            radius(*a).total_cmp(&radius(*b)).then(b.cmp(a))
        })
        .unwrap_or(1);
    for (cell, s) in grid_in_columns(content, count, columns).into_iter().zip(&series) {
        draw_gauge(canvas, chart, cell, s, colors)?;
    }
    chrome::draw(canvas, &chrome, colors)
}

/// The radius of the dial that fits a cell with its labels.
fn dial_radius(cell: Rect) -> f64 {
    ((cell.width() - 24.0) / 2.0).min(cell.height() - BELOW - 10.0).min(220.0)
}

/// The angle of `value` on a dial from `min` (left, `PI`) to `max` (right, 0).
fn angle_of(value: f64, (min, max): (f64, f64)) -> f64 {
    PI * (1.0 - ((value - min) / (max - min)).clamp(0.0, 1.0))
}

fn draw_gauge<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    chart: &Chart,
    cell: Rect,
    series: &Prepared,
    colors: &Colors,
) -> Result<(), ChartError> {
    let latest = series.points.last().map(|(_, value)| *value);
    let range = gauge_range(chart, latest);
    let radius = dial_radius(cell);
    if radius < 14.0 {
        return draw_compact(canvas, cell, series, latest, colors);
    }
    let thickness = (radius * 0.2).clamp(5.0, 36.0);
    let ring_gap = (radius * 0.03).clamp(1.5, 4.0);
    let ring_width = (radius * 0.06).clamp(2.5, 8.0);
    let outer = radius + ring_gap + ring_width;
    let block = outer + BELOW;
    let center = (cell.center_x(), cell.top + ((cell.height() - block) / 2.0).max(0.0) + outer);

    // Track, value arc, threshold ring and ticks.
    canvas.polygon(&ring_sector(center, radius - thickness, radius, PI, 0.0), colors.grid)?;
    if let Some(value) = latest {
        let to = angle_of(value, range);
        if to < PI {
            canvas.polygon(&ring_sector(center, radius - thickness, radius, PI, to), series.color)?;
        }
    }
    for annotation in chart.horizontal_annotations.iter().filter(|a| !a.right_axis) {
        draw_threshold(canvas, annotation, center, (radius - thickness, radius + ring_gap, outer), range, colors)?;
    }

    // The value and its unit in the middle.
    let inner = radius - thickness;
    let value_text = latest.map_or_else(|| "--".to_string(), format_value);
    let suffix = latest.and(series.unit.as_deref().and_then(unit_suffix)).unwrap_or("");
    let mut size = (radius * 0.42).clamp(8.0, 60.0);
    let suffix_size = |size: f64| (size * 0.45).max(8.0);
    let total = |size: f64| {
        let suffix_width = if suffix.is_empty() { 0.0 } else { 3.0 + text_width(suffix, suffix_size(size), false) };
        text_width(&value_text, size, false) + suffix_width
    };
    while size > 8.0 && total(size) > inner * 1.55 {
        size -= 1.0;
    }
    let baseline = center.1 - (inner * 0.12).max(2.0);
    let join = center.0 - total(size) / 2.0 + text_width(&value_text, size, false);
    let color = if latest.is_some() { colors.title } else { colors.muted };
    canvas.text(&Label::new(&value_text, join, baseline, size, color).align(Align::Right))?;
    if !suffix.is_empty() {
        canvas.text(&Label::new(suffix, join + 3.0, baseline, suffix_size(size), colors.muted))?;
    }

    // The range at the ends and the label below.
    let range_size = (radius * 0.3).clamp(8.0, RANGE_SIZE);
    let ends_baseline = center.1 + range_size + 4.0;
    let min_text = format_value(range.0);
    let max_text = format_value(range.1);
    let end_x = radius - thickness / 2.0;
    for (text, x) in [(&min_text, center.0 - end_x), (&max_text, center.0 + end_x)] {
        canvas.text(&Label::new(text, x, ends_baseline, range_size, colors.muted).align(Align::Center))?;
    }
    let label = fit_text(&series.label, LABEL_SIZE, false, cell.width() - 8.0);
    let label_baseline = ends_baseline + LABEL_SIZE + 6.0;
    canvas.text(&Label::new(&label, center.0, label_baseline, LABEL_SIZE, colors.text).align(Align::Center))?;
    Ok(())
}

/// A threshold: a colored stretch of the outer ring for a band or a filled side, and a tick across the dial at
/// the value. `radii` are the dial's inner edge and the ring's inner and outer edges.
fn draw_threshold<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    annotation: &HAnnotation,
    center: (f64, f64),
    radii: (f64, f64, f64),
    range: (f64, f64),
    colors: &Colors,
) -> Result<(), ChartError> {
    let color = annotation.color.as_deref().and_then(Rgba::parse).unwrap_or(colors.annotation);
    let (dial_inner, ring_inner, ring_outer) = radii;
    let stretch = match (annotation.band_to, annotation.fill) {
        (Some(to), _) => Some((annotation.value.min(to), annotation.value.max(to))),
        (None, Some(HFill::Above)) => Some((annotation.value, range.1)),
        (None, Some(HFill::Below)) => Some((range.0, annotation.value)),
        (None, None) => None,
    };
    if let Some((low, high)) = stretch {
        let (from, to) = (angle_of(low, range), angle_of(high, range));
        if from - to > 1e-3 {
            canvas.polygon(&ring_sector(center, ring_inner, ring_outer, from, to), color)?;
        }
    }
    for value in std::iter::once(annotation.value).chain(annotation.band_to) {
        if value < range.0 || value > range.1 {
            continue;
        }
        let angle = angle_of(value, range);
        let tick = [on_circle(center, dial_inner, angle), on_circle(center, ring_outer, angle)];
        canvas.polyline(&tick, 1.5, color)?;
    }
    Ok(())
}

/// Too small for a dial: the value over the label.
fn draw_compact<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    cell: Rect,
    series: &Prepared,
    latest: Option<f64>,
    colors: &Colors,
) -> Result<(), ChartError> {
    let text = latest.map_or_else(|| "--".to_string(), |value| format_with_unit(value, series.unit.as_deref()));
    let size = (cell.height() * 0.45).clamp(9.0, 20.0);
    let baseline = cell.center_y() + size * 0.2;
    canvas.text(&Label::new(&text, cell.center_x(), baseline, size, colors.title).align(Align::Center))?;
    let label = fit_text(&series.label, 10.0, false, cell.width() - 4.0);
    let label = Label::new(&label, cell.center_x(), (baseline + 13.0).min(cell.bottom), 10.0, colors.text);
    canvas.text(&label.align(Align::Center))
}
