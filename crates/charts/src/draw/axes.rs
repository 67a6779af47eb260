//! The axes of a time series: y scales from the data, grid lines and tick labels, axis titles with units, and the
//! time axis along the bottom.

use plotters::prelude::DrawingBackend;

use super::canvas::{Align, Canvas, Label};
use super::frame::{Frame, crisp};
use super::numbers::format_tick;
use super::text::text_width;
use super::theme::Colors;
use super::ticks::{TimeTick, ValueScale, auto_range, value_scale};
use super::{Axis, ChartError};

pub(crate) const TICK_SIZE: f64 = 11.0;
pub(crate) const AXIS_TITLE_SIZE: f64 = 11.0;
/// Room taken by a rotated axis title.
pub(crate) const AXIS_TITLE_BAND: f64 = 16.0;
/// Gap between the plot and tick labels.
const LABEL_GAP: f64 = 6.0;

/// The scale of an axis covering `values`, or `None` when there are none and the axis sets no bounds.
pub(crate) fn y_scale(values: impl Iterator<Item = f64>, axis: &Axis, plot_height: f64) -> Option<ValueScale> {
    let (low, high) = values
        .filter(|value| value.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |acc, v| (acc.0.min(v), acc.1.max(v)));
    let target = ((plot_height / 40.0).floor() as usize).clamp(2, 8);
    let fixed_min = axis.min.filter(|value| value.is_finite());
    let fixed_max = axis.max.filter(|value| value.is_finite());
    if low > high {
        return match (fixed_min, fixed_max) {
            (Some(min), Some(max)) => Some(value_scale(min, max, fixed_min, fixed_max, target)),
            _ => None,
        };
    }
    let (low, high) = auto_range(low, high);
    Some(value_scale(low, high, fixed_min, fixed_max, target))
}

/// The widest tick label of a scale.
pub(crate) fn labels_width(scale: &ValueScale) -> f64 {
    scale.ticks.iter().map(|tick| text_width(&format_tick(*tick, scale.step), TICK_SIZE, false)).fold(0.0, f64::max)
}

/// The text along an axis: its label, and the unit its series share when units are shown.
pub(crate) fn axis_title<'a>(axis: &Axis, units: impl Iterator<Item = Option<&'a str>>) -> Option<String> {
    // Series of unknown unit do not count; the others must agree.
    let mut units = units.flatten().filter(|unit| !unit.is_empty() && *unit != "None");
    let first = units.next();
    let unit = first.filter(|first| units.all(|unit| unit == *first)).filter(|_| axis.show_units);
    let label = axis.label.as_deref().map(str::trim).filter(|label| !label.is_empty());
    match (label, unit) {
        (Some(label), Some(unit)) if label != unit => Some(format!("{label} ({unit})")),
        (Some(label), _) => Some(label.to_string()),
        (None, Some(unit)) => Some(unit.to_string()),
        (None, None) => None,
    }
}

/// The room left of (or right of) the plot an axis needs.
pub(crate) fn band_width(scale: Option<&ValueScale>, title: Option<&str>) -> f64 {
    let Some(scale) = scale else { return 0.0 };
    let title = if title.is_some() { AXIS_TITLE_BAND } else { 0.0 };
    labels_width(scale) + LABEL_GAP + 2.0 + title
}

/// Grid lines of the main scale (the left one, else the right one).
pub(crate) fn draw_grid<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: &Frame,
    colors: &Colors,
) -> Result<(), ChartError> {
    let right = frame.left.is_none();
    let Some(scale) = frame.scale(right) else { return Ok(()) };
    for tick in &scale.ticks {
        if let Some(y) = frame.y(*tick, right) {
            canvas.hline(frame.plot.left, frame.plot.right, crisp(y), 1.0, colors.grid)?;
        }
    }
    Ok(())
}

/// Tick labels and titles of both y axes.
pub(crate) fn draw_y_labels<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: &Frame,
    titles: (Option<&str>, Option<&str>),
    outer: (f64, f64),
    colors: &Colors,
) -> Result<(), ChartError> {
    for (right, scale) in [(false, &frame.left), (true, &frame.right)] {
        let Some(scale) = scale else { continue };
        for tick in &scale.ticks {
            let Some(y) = frame.y(*tick, right) else { continue };
            let text = format_tick(*tick, scale.step);
            let (x, align) = if right {
                (frame.plot.right + LABEL_GAP, Align::Left)
            } else {
                (frame.plot.left - LABEL_GAP, Align::Right)
            };
            canvas.text(&Label::new(&text, x, y + 4.0, TICK_SIZE, colors.muted).align(align))?;
        }
    }
    let center = frame.plot.center_y();
    if let Some(title) = titles.0.filter(|_| frame.left.is_some()) {
        let label = Label::new(title, outer.0 + AXIS_TITLE_SIZE, center, AXIS_TITLE_SIZE, colors.muted);
        canvas.text(&label.align(Align::Center).vertical())?;
    }
    if let Some(title) = titles.1.filter(|_| frame.right.is_some()) {
        let label = Label::new(title, outer.1, center, AXIS_TITLE_SIZE, colors.muted);
        canvas.text(&label.align(Align::Center).vertical())?;
    }
    Ok(())
}

/// The base line, tick marks and time labels along the bottom; labels that would overlap are skipped.
pub(crate) fn draw_x<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: &Frame,
    ticks: &[TimeTick],
    chart_width: f64,
    colors: &Colors,
) -> Result<(), ChartError> {
    let plot = frame.plot;
    let base = crisp(plot.bottom);
    canvas.hline(plot.left, plot.right, base, 1.0, colors.axis)?;
    let mut last_right = f64::NEG_INFINITY;
    for tick in ticks {
        let x = frame.x(tick.ms);
        if x < plot.left - 0.5 || x > plot.right + 0.5 {
            continue;
        }
        canvas.vline(crisp(x), base, base + 4.0, 1.0, colors.axis)?;
        let half = text_width(&tick.label, TICK_SIZE, false) / 2.0;
        let center = x.clamp(half + 2.0, chart_width - half - 2.0);
        if center - half < last_right + 8.0 {
            continue;
        }
        last_right = center + half;
        let label = Label::new(&tick.label, center, base + 4.0 + TICK_SIZE + 2.0, TICK_SIZE, colors.muted);
        canvas.text(&label.align(Align::Center))?;
    }
    Ok(())
}
