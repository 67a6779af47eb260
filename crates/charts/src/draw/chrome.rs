//! What surrounds a view's content: the title above it and the legend below or to the right of it.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Label};
use super::geometry::Rect;
use super::legend::{self, Legend, LegendItem, ROW_HEIGHT};
use super::text::fit_text;
use super::theme::Colors;
use super::{Chart, ChartError};
use crate::view::LegendPosition;

/// Space around the edges.
pub(crate) const PAD: f64 = 10.0;
pub(crate) const TITLE_SIZE: f64 = 14.0;
/// Charts smaller than this get no legend.
const MIN_LEGEND_SIZE: (f64, f64) = (160.0, 120.0);

/// Where the content goes and where the legend was placed.
pub(crate) struct Chrome {
    pub content: Rect,
    title: Option<String>,
    legend: Option<(Legend, f64, f64)>,
}

/// Lays out the title and a legend of `items` around the content.
pub(crate) fn layout(chart: &Chart, items: &[LegendItem]) -> Chrome {
    let (width, height) = (f64::from(chart.width), f64::from(chart.height));
    let title = chart
        .title
        .as_deref()
        .map(str::trim)
        .filter(|title| !title.is_empty())
        .map(|title| fit_text(title, TITLE_SIZE, true, width - 2.0 * PAD))
        .filter(|title| !title.is_empty());
    let top = if title.is_some() { 30.0 } else { 8.0 };
    let mut content = Rect { left: PAD, top, right: width - PAD, bottom: height - 6.0 };
    let show_legend = !items.is_empty() && width >= MIN_LEGEND_SIZE.0 && height >= MIN_LEGEND_SIZE.1;
    let legend = match chart.legend {
        LegendPosition::Bottom if show_legend => {
            let max_rows = ((height * 0.25).max(ROW_HEIGHT) / ROW_HEIGHT).floor() as usize;
            let legend = legend::rows(items, width - 2.0 * PAD, max_rows);
            let legend_top = height - 6.0 - legend.height;
            content.bottom = legend_top - 4.0;
            Some((legend, PAD, legend_top))
        }
        LegendPosition::Right if show_legend => {
            let column_width = legend::column_width(items).clamp(60.0, (width * 0.35).max(60.0));
            let max_rows = ((content.height() - 4.0) / ROW_HEIGHT).floor() as usize;
            let legend = legend::column(items, column_width, max_rows);
            let legend_left = width - PAD - column_width;
            content.right = legend_left - 14.0;
            Some((legend, legend_left, content.top + 4.0))
        }
        _ => None,
    };
    Chrome { content, title, legend }
}

/// Draws the title and the legend.
pub(crate) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    chrome: &Chrome,
    colors: &Colors,
) -> Result<(), ChartError> {
    if let Some(title) = &chrome.title {
        canvas.text(&Label::new(title, PAD, 8.0 + TITLE_SIZE, TITLE_SIZE, colors.title).bold())?;
    }
    if let Some((legend, left, top)) = &chrome.legend {
        legend::draw(canvas, legend, *left, *top, colors.text, colors.muted)?;
    }
    Ok(())
}
