//! A dense grid of text cells (the table view): a header band, zebra rows, a swatch before a cell's text, right-
//! aligned numbers, tinted cells, and column widths fitted to the content and the room there is.

use plotters::prelude::DrawingBackend;

use super::ChartError;
use super::canvas::{Align, Canvas, Label};
use super::color::Rgba;
use super::frame::crisp;
use super::geometry::Rect;
use super::text::{fit_text, text_width};
use super::theme::Colors;

pub(crate) const FONT_SIZE: f64 = 12.0;
const HEADER_SIZE: f64 = 11.0;
const PAD: f64 = 8.0;
const SWATCH: f64 = 9.0;
const MIN_NUMBER_WIDTH: f64 = 44.0;

/// One cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub text: String,
    /// Right-aligned.
    pub numeric: bool,
    /// A colored square before the text.
    pub swatch: Option<Rgba>,
    /// A background tint (threshold highlight).
    pub tint: Option<Rgba>,
    /// Drawn in the muted color.
    pub muted: bool,
}

impl Cell {
    pub(crate) fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }

    pub(crate) fn number(text: impl Into<String>) -> Self {
        Self { text: text.into(), numeric: true, ..Self::default() }
    }
}

/// A header row and body rows; the first column holds row titles.
pub(crate) struct Grid {
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

fn cell_width(cell: &Cell, size: f64, bold: bool) -> f64 {
    text_width(&cell.text, size, bold) + if cell.swatch.is_some() { SWATCH + 6.0 } else { 0.0 } + 2.0 * PAD
}

/// The widths of the columns that fit `width`, in order: the title column first (kept to at most 45% of the width
/// unless it is the only one), then as many others as fit, all stretched to fill the width.
pub(crate) fn column_widths(grid: &Grid, width: f64) -> Vec<f64> {
    let columns = grid.header.len();
    let wanted: Vec<f64> = (0..columns)
        .map(|column| {
            let header = grid.header.get(column).map_or(0.0, |cell| cell_width(cell, HEADER_SIZE, true));
            let body =
                grid.rows.iter().filter_map(|row| row.get(column)).map(|cell| cell_width(cell, FONT_SIZE, false));
            body.fold(header, f64::max)
        })
        .collect();
    let Some(&title_wanted) = wanted.first() else { return Vec::new() };
    let title = title_wanted.min((width * 0.45).max(90.0)).min(width);
    let mut widths = vec![title];
    let mut used = title;
    for want in wanted.iter().skip(1) {
        let want = want.max(MIN_NUMBER_WIDTH);
        if used + want > width {
            break;
        }
        widths.push(want);
        used += want;
    }
    // Give spare room to the title column first, then evenly to the others.
    let mut spare = width - used;
    let grow = (title_wanted - widths[0]).clamp(0.0, spare);
    widths[0] += grow;
    spare -= grow;
    if widths.len() > 1 {
        let share = spare / (widths.len() - 1) as f64;
        widths.iter_mut().skip(1).for_each(|width| *width += share);
    } else {
        widths[0] += spare;
    }
    widths
}

/// Draws the grid in `area` with rows `row_height` tall; rows that do not fit end in a "+N more" row.
pub(crate) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    grid: &Grid,
    area: Rect,
    row_height: f64,
    colors: &Colors,
) -> Result<(), ChartError> {
    let widths = column_widths(grid, area.width());
    let mut lefts = Vec::with_capacity(widths.len());
    let mut x = area.left;
    for width in &widths {
        lefts.push(x);
        x += width;
    }
    let right = x;
    let header_height = row_height;
    canvas.fill_rect(area.left, area.top, right, area.top + header_height, colors.header)?;
    draw_row(canvas, &grid.header, &widths, &lefts, area.top, header_height, HEADER_SIZE, colors, true)?;
    let body_top = area.top + header_height;
    let fitting = (((area.bottom - body_top) / row_height).floor().max(0.0)) as usize;
    let (shown, hidden) = if grid.rows.len() > fitting {
        (fitting.saturating_sub(1), grid.rows.len() - fitting.saturating_sub(1))
    } else {
        (grid.rows.len(), 0)
    };
    for (index, row) in grid.rows[..shown].iter().enumerate() {
        let top = body_top + index as f64 * row_height;
        if index % 2 == 1 {
            canvas.fill_rect(area.left, top, right, top + row_height, colors.stripe)?;
        }
        draw_row(canvas, row, &widths, &lefts, top, row_height, FONT_SIZE, colors, false)?;
    }
    if hidden > 0 && fitting > 0 {
        let top = body_top + shown as f64 * row_height;
        let note = format!("+{hidden} more");
        canvas.text(&Label::new(&note, area.left + PAD, top + row_height / 2.0 + 4.0, FONT_SIZE, colors.muted))?;
    }
    canvas.hline(area.left, right, crisp(body_top), 1.0, colors.axis)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn draw_row<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    cells: &[Cell],
    widths: &[f64],
    lefts: &[f64],
    top: f64,
    height: f64,
    size: f64,
    colors: &Colors,
    header: bool,
) -> Result<(), ChartError> {
    let baseline = top + height / 2.0 + size * 0.36;
    for ((cell, width), left) in cells.iter().zip(widths).zip(lefts) {
        if let Some(tint) = cell.tint {
            canvas.fill_rect(left + 1.0, top + 1.0, left + width - 1.0, top + height - 1.0, tint)?;
        }
        let swatch_room = if cell.swatch.is_some() { SWATCH + 6.0 } else { 0.0 };
        let text = fit_text(&cell.text, size, header, width - 2.0 * PAD - swatch_room);
        // The swatch goes just before the text, wherever the text is aligned.
        let swatch_left =
            if cell.numeric { left + width - PAD - text_width(&text, size, header) - swatch_room } else { left + PAD };
        if let Some(swatch) = cell.swatch {
            let middle = top + height / 2.0;
            canvas.fill_rect(
                swatch_left,
                middle - SWATCH / 2.0,
                swatch_left + SWATCH,
                middle + SWATCH / 2.0,
                swatch,
            )?;
        }
        let text_left = swatch_left + swatch_room;
        let color = if header || cell.muted { colors.muted } else { colors.text };
        let label = if cell.numeric {
            Label::new(&text, left + width - PAD, baseline, size, color).align(Align::Right)
        } else {
            Label::new(&text, text_left, baseline, size, color)
        };
        canvas.text(&if header { label.bold() } else { label })?;
    }
    Ok(())
}
