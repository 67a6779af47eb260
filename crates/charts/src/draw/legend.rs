//! The legend: a colored swatch and the label of each series, flowing in rows below the plot or stacked in a column
//! to its right, with "+N more" when they do not all fit.

use super::ChartError;
use super::canvas::{Canvas, Label};
use super::color::Rgba;
use super::text::{fit_text, text_width};
use plotters::prelude::DrawingBackend;

pub(crate) const FONT_SIZE: f64 = 12.0;
pub(crate) const ROW_HEIGHT: f64 = 18.0;
const SWATCH: f64 = 10.0;
const SWATCH_GAP: f64 = 6.0;
const ITEM_GAP: f64 = 18.0;

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub label: String,
    pub color: Rgba,
}

/// An entry placed relative to the legend's top-left corner; `color` is `None` for the "+N more" note.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub x: f64,
    pub baseline: f64,
    pub label: String,
    pub color: Option<Rgba>,
}

/// A laid-out legend and its size.
#[derive(Debug, Clone, Default)]
pub(crate) struct Legend {
    pub items: Vec<Placed>,
    pub height: f64,
}

fn item_width(label: &str) -> f64 {
    SWATCH + SWATCH_GAP + text_width(label, FONT_SIZE, false)
}

fn more_note(hidden: usize) -> String {
    format!("+{hidden} more")
}

/// Rows of entries within `width`, at most `max_rows` rows.
pub(crate) fn rows(items: &[LegendItem], width: f64, max_rows: usize) -> Legend {
    let max_rows = max_rows.max(1);
    // (row, x, width, entry)
    let mut flowed: Vec<(usize, f64, f64, Placed)> = Vec::new();
    let (mut x, mut row) = (0.0, 0usize);
    for item in items {
        let label = fit_text(&item.label, FONT_SIZE, false, (width - SWATCH - SWATCH_GAP).max(10.0));
        let item_w = item_width(&label);
        if x > 0.0 && x + item_w > width {
            row += 1;
            x = 0.0;
        }
        flowed.push((row, x, item_w, Placed { x, baseline: baseline(row), label, color: Some(item.color) }));
        x += item_w + ITEM_GAP;
    }
    if flowed.last().is_some_and(|(row, ..)| *row >= max_rows) {
        flowed.retain(|(row, ..)| *row < max_rows);
        loop {
            let note = more_note(items.len() - flowed.len());
            let note_w = text_width(&note, FONT_SIZE, false);
            let last_row = max_rows - 1;
            let next_x = flowed
                .last()
                .filter(|(row, ..)| *row == last_row)
                .map_or(0.0, |(_, x, item_w, _)| x + item_w + ITEM_GAP);
            if next_x + note_w <= width || flowed.is_empty() {
                let entry = Placed { x: next_x, baseline: baseline(last_row), label: note, color: None };
                flowed.push((last_row, next_x, note_w, entry));
                break;
            }
            flowed.pop();
        }
    }
    let rows_used = flowed.iter().map(|(row, ..)| row + 1).max().unwrap_or(0);
    Legend { height: rows_used as f64 * ROW_HEIGHT, items: flowed.into_iter().map(|(.., entry)| entry).collect() }
}

/// One entry per row in a column `width` wide, at most `max_rows` rows.
pub(crate) fn column(items: &[LegendItem], width: f64, max_rows: usize) -> Legend {
    let max_rows = max_rows.max(1);
    let mut placed = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if index + 1 == max_rows && items.len() > max_rows {
            placed.push(Placed {
                x: 0.0,
                baseline: baseline(index),
                label: more_note(items.len() - index),
                color: None,
            });
            break;
        }
        let label = fit_text(&item.label, FONT_SIZE, false, width - SWATCH - SWATCH_GAP);
        placed.push(Placed { x: 0.0, baseline: baseline(index), label, color: Some(item.color) });
    }
    Legend { height: placed.len() as f64 * ROW_HEIGHT, items: placed }
}

/// The width a column legend wants for `items`.
pub(crate) fn column_width(items: &[LegendItem]) -> f64 {
    items.iter().map(|item| item_width(&item.label)).fold(0.0, f64::max)
}

fn baseline(row: usize) -> f64 {
    row as f64 * ROW_HEIGHT + 13.0
}

/// Draws a laid-out legend with its top-left corner at (`left`, `top`).
pub(crate) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    legend: &Legend,
    left: f64,
    top: f64,
    text: Rgba,
    muted: Rgba,
) -> Result<(), ChartError> {
    for item in &legend.items {
        let (x, y) = (left + item.x, top + item.baseline);
        match item.color {
            Some(color) => {
                canvas.fill_rect(x, y - 9.5, x + SWATCH, y + 0.5, color)?;
                canvas.text(&Label::new(&item.label, x + SWATCH + SWATCH_GAP, y, FONT_SIZE, text))?;
            }
            None => canvas.text(&Label::new(&item.label, x, y, FONT_SIZE, muted))?,
        }
    }
    Ok(())
}
