//! The single value view: the latest value of each series as a big number under its label, in a grid of cells,
//! with a sparkline of the series under it when the chart asks for one.

use plotters::prelude::DrawingBackend;

use super::canvas::{Align, Canvas, Label};
use super::geometry::{Rect, grid_cells};
use super::numbers::{format_value, unit_suffix};
use super::text::{fit_text, text_width};
use super::theme::Colors;
use super::timeseries::{NO_DATA, Prepared, prepare};
use super::{Chart, ChartError, chrome, sparkline};

const LABEL_SIZE: f64 = 12.0;
const MIN_CELL_WIDTH: f64 = 150.0;
const MAX_VALUE_SIZE: f64 = 48.0;
const MIN_VALUE_SIZE: f64 = 14.0;
const SUFFIX_SIZE: f64 = 14.0;

pub(crate) fn draw<DB: DrawingBackend>(canvas: &Canvas<DB>, chart: &Chart, colors: &Colors) -> Result<(), ChartError> {
    let series = prepare(chart);
    let chrome = chrome::layout(chart, &[]);
    let content = chrome.content;
    if series.iter().all(|s| s.points.is_empty()) {
        let label = Label::new(NO_DATA, content.center_x(), content.center_y() + 5.0, 14.0, colors.muted);
        canvas.text(&label.align(Align::Center))?;
        return chrome::draw(canvas, &chrome, colors);
    }
    for (cell, s) in grid_cells(content, series.len(), MIN_CELL_WIDTH).into_iter().zip(&series) {
        draw_cell(canvas, chart, cell, s, colors)?;
    }
    chrome::draw(canvas, &chrome, colors)
}

/// The height of a sparkline in a cell, or zero without one.
fn sparkline_height(chart: &Chart, cell: Rect) -> f64 {
    if chart.sparkline { (cell.height() * 0.28).clamp(0.0, 40.0) } else { 0.0 }
}

fn draw_cell<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    chart: &Chart,
    cell: Rect,
    series: &Prepared,
    colors: &Colors,
) -> Result<(), ChartError> {
    let inner_left = cell.left + 4.0;
    let inner_width = cell.width() - 12.0;
    let spark = sparkline_height(chart, cell);
    let spark = if spark >= 12.0 { spark } else { 0.0 };
    let value_cell = Rect { bottom: cell.bottom - if spark > 0.0 { spark + 8.0 } else { 0.0 }, ..cell };
    let value_size = value_size(value_cell, series, inner_width);
    // The label, the value and the sparkline below it, as a block centred vertically in the cell.
    let spark_block = if spark > 0.0 { spark + 8.0 } else { 0.0 };
    let block = LABEL_SIZE + 10.0 + value_size * 0.9 + spark_block;
    let top = cell.top + ((cell.height() - block) / 2.0).max(0.0);
    // Label with a colored bar in front of it.
    let label_baseline = top + LABEL_SIZE + 2.0;
    canvas.fill_rect(inner_left, label_baseline - 10.0, inner_left + 3.0, label_baseline + 2.0, series.color)?;
    let label = fit_text(&series.label, LABEL_SIZE, false, inner_width - 10.0);
    canvas.text(&Label::new(&label, inner_left + 9.0, label_baseline, LABEL_SIZE, colors.text))?;

    let (latest, value_text, suffix) = value_texts(series);
    let size = value_size;
    let baseline = (label_baseline + 10.0 + size * 0.9).min(value_cell.bottom - 4.0);
    let color = if latest.is_some() { colors.title } else { colors.muted };
    // The value ends where the suffix starts, whatever font the viewer has.
    let join = inner_left + text_width(&value_text, size, false);
    canvas.text(&Label::new(&value_text, join, baseline, size, color).align(Align::Right))?;
    if !suffix.is_empty() && latest.is_some() {
        canvas.text(&Label::new(suffix, join + 4.0, baseline, SUFFIX_SIZE, colors.muted))?;
    }
    if spark > 0.0 {
        let top = baseline + 8.0;
        let area = Rect { left: inner_left, top, right: inner_left + inner_width, bottom: top + spark };
        sparkline::draw(canvas, chart, series, area, colors.area_alpha * 0.5)?;
    }
    Ok(())
}

/// The latest value, its text and its unit suffix.
fn value_texts(series: &Prepared) -> (Option<f64>, String, &str) {
    let latest = series.points.last().map(|(_, value)| *value);
    let text = latest.map_or_else(|| "--".to_string(), format_value);
    (latest, text, series.unit.as_deref().and_then(unit_suffix).unwrap_or(""))
}

/// The biggest font size (within limits) at which the value and its suffix fit the cell.
fn value_size(cell: Rect, series: &Prepared, inner_width: f64) -> f64 {
    let (_, text, suffix) = value_texts(series);
    let suffix_width = if suffix.is_empty() { 0.0 } else { text_width(suffix, SUFFIX_SIZE, false) + 4.0 };
    let room_height = cell.height() - (LABEL_SIZE + 14.0);
    let mut size = (room_height * 0.8).clamp(MIN_VALUE_SIZE, MAX_VALUE_SIZE);
    while size > MIN_VALUE_SIZE && text_width(&text, size, false) + suffix_width > inner_width {
        size -= 1.0;
    }
    size
}
