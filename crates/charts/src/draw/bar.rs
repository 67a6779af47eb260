//! The bar view: one horizontal bar per series for its latest value, labels on the left, values at the bar ends
//! and a value axis with grid lines along the bottom.

use plotters::prelude::DrawingBackend;

use super::axes::TICK_SIZE;
use super::canvas::{Align, Canvas, Label};
use super::frame::crisp;
use super::geometry::Rect;
use super::numbers::{format_tick, format_with_unit};
use super::text::{fit_text, text_width};
use super::theme::Colors;
use super::ticks::value_scale;
use super::timeseries::{NO_DATA, prepare};
use super::{Chart, ChartError, chrome};

const LABEL_SIZE: f64 = 12.0;
const VALUE_SIZE: f64 = 11.0;
/// The thinnest row drawn; more series than fit end in a "+N more" row.
const MIN_ROW: f64 = 12.0;
const MAX_BAR: f64 = 26.0;
const GAP: f64 = 6.0;

/// A bar to draw: label, value (if any), its text and color.
struct Row {
    label: String,
    value: Option<f64>,
    text: String,
    color: super::color::Rgba,
}

pub(crate) fn draw<DB: DrawingBackend>(canvas: &Canvas<DB>, chart: &Chart, colors: &Colors) -> Result<(), ChartError> {
    let chrome = chrome::layout(chart, &[]);
    let content = chrome.content;
    let rows: Vec<Row> = prepare(chart)
        .into_iter()
        .map(|s| {
            let value = s.points.last().map(|(_, value)| *value);
            let text = value.map_or_else(|| "--".to_string(), |v| format_with_unit(v, s.unit.as_deref()));
            Row { label: s.label, value, text, color: s.color }
        })
        .collect();
    if rows.iter().all(|row| row.value.is_none()) {
        let label = Label::new(NO_DATA, content.center_x(), content.center_y() + 5.0, 14.0, colors.muted);
        canvas.text(&label.align(Align::Center))?;
        return chrome::draw(canvas, &chrome, colors);
    }
    let axis_height = TICK_SIZE + 10.0;
    let rows_area = Rect { bottom: content.bottom - axis_height, ..content };
    let fitting = ((rows_area.height() / MIN_ROW).floor() as usize).max(1);
    let (shown, hidden) =
        if rows.len() > fitting { (fitting - 1, rows.len() - (fitting - 1)) } else { (rows.len(), 0) };
    let shown_rows = &rows[..shown];
    let row_count = shown + usize::from(hidden > 0);

    // Columns: labels, then the bars with room for the value texts at their ends.
    let label_width = shown_rows
        .iter()
        .map(|row| text_width(&row.label, LABEL_SIZE, false))
        .fold(0.0, f64::max)
        .min(content.width() * 0.35)
        .max(24.0);
    let value_room = shown_rows.iter().map(|row| text_width(&row.text, VALUE_SIZE, false)).fold(0.0, f64::max) + GAP;
    let (low, high) = shown_rows
        .iter()
        .filter_map(|row| row.value)
        .fold((0.0f64, 0.0f64), |(low, high), value| (low.min(value), high.max(value)));
    let negative_room = if low < 0.0 { value_room } else { 0.0 };
    let plot = Rect {
        left: content.left + label_width + GAP + negative_room,
        top: rows_area.top,
        right: content.right - if high > 0.0 || low >= 0.0 { value_room } else { 4.0 },
        bottom: rows_area.bottom,
    };
    if plot.width() < 20.0 || row_count == 0 {
        return chrome::draw(canvas, &chrome, colors);
    }
    let fixed = |bound: Option<f64>| bound.filter(|value| value.is_finite());
    let target = ((plot.width() / 70.0).floor() as usize).clamp(2, 8);
    let scale = value_scale(low, high, fixed(chart.left_axis.min), fixed(chart.left_axis.max), target);
    let span = scale.max - scale.min;
    let x = |value: f64| plot.left + ((value - scale.min) / span).clamp(0.0, 1.0) * plot.width();

    // Grid and value axis.
    let mut last_right = f64::NEG_INFINITY;
    for tick in &scale.ticks {
        let tick_x = crisp(x(*tick));
        canvas.vline(tick_x, plot.top, plot.bottom, 1.0, colors.grid)?;
        let text = format_tick(*tick, scale.step);
        let half = text_width(&text, TICK_SIZE, false) / 2.0;
        if tick_x - half >= last_right + 6.0 {
            let label = Label::new(&text, tick_x, plot.bottom + TICK_SIZE + 6.0, TICK_SIZE, colors.muted);
            canvas.text(&label.align(Align::Center))?;
            last_right = tick_x + half;
        }
    }
    canvas.vline(crisp(x(0.0)), plot.top, plot.bottom, 1.0, colors.axis)?;

    // Bars.
    let row_height = plot.height() / row_count as f64;
    let bar = (row_height * 0.62).clamp(2.0, MAX_BAR);
    let label_size = LABEL_SIZE.min(row_height - 1.0).max(8.0);
    for (index, row) in shown_rows.iter().enumerate() {
        let middle = plot.top + (index as f64 + 0.5) * row_height;
        let baseline = middle + label_size * 0.36;
        let label = fit_text(&row.label, label_size, false, label_width);
        canvas.text(&Label::new(&label, content.left, baseline, label_size, colors.text))?;
        let zero = x(0.0);
        let Some(value) = row.value else {
            canvas.text(&Label::new(&row.text, zero + GAP, baseline, VALUE_SIZE, colors.muted))?;
            continue;
        };
        let end = x(value);
        canvas.fill_rect(zero, middle - bar / 2.0, end, middle + bar / 2.0, row.color)?;
        let text = Label::new(&row.text, end, baseline, VALUE_SIZE.min(label_size), colors.text);
        if value < 0.0 {
            canvas.text(&Label { x: end - GAP, ..text }.align(Align::Right))?;
        } else {
            canvas.text(&Label { x: end + GAP, ..text })?;
        }
    }
    if hidden > 0 {
        let baseline = plot.top + (shown as f64 + 0.5) * row_height + label_size * 0.36;
        canvas.text(&Label::new(&format!("+{hidden} more"), content.left, baseline, label_size, colors.muted))?;
    }
    chrome::draw(canvas, &chrome, colors)
}
