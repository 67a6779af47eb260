//! The pie view: a donut of the series' latest positive values, clockwise from the top in series order, the total
//! in the middle and a legend of label, value and percent beside or below it.

use std::f64::consts::PI;

use plotters::prelude::DrawingBackend;

use super::arc::{on_circle, ring_sector};
use super::canvas::{Align, Canvas, Label};
use super::color::Rgba;
use super::geometry::Rect;
use super::numbers::format_with_unit;
use super::text::{fit_text, text_width};
use super::theme::Colors;
use super::timeseries::{NO_DATA, prepare};
use super::{Chart, ChartError, chrome};
use crate::view::LegendPosition;

const FONT_SIZE: f64 = 12.0;
const ROW_HEIGHT: f64 = 19.0;
const SWATCH: f64 = 10.0;
const GAP: f64 = 8.0;
/// The hole's share of the radius.
const HOLE: f64 = 0.6;

/// A slice: label, value, its text, share of the total and color.
struct Slice {
    label: String,
    value: f64,
    text: String,
    percent: String,
    color: Rgba,
}

fn percent_text(share: f64) -> String {
    let percent = share * 100.0;
    if percent >= 9.95 || percent == 0.0 { format!("{percent:.0}%") } else { format!("{percent:.1}%") }
}

pub(crate) fn draw<DB: DrawingBackend>(canvas: &Canvas<DB>, chart: &Chart, colors: &Colors) -> Result<(), ChartError> {
    let chrome = chrome::layout(chart, &[]);
    let content = chrome.content;
    let series = prepare(chart);
    let positive: Vec<_> = series
        .iter()
        .filter_map(|s| s.points.last().map(|(_, value)| (s, *value)))
        .filter(|(_, value)| *value > 0.0)
        .collect();
    let total: f64 = positive.iter().map(|(_, value)| value).sum();
    if positive.is_empty() || !total.is_finite() {
        let label = Label::new(NO_DATA, content.center_x(), content.center_y() + 5.0, 14.0, colors.muted);
        canvas.text(&label.align(Align::Center))?;
        return chrome::draw(canvas, &chrome, colors);
    }
    let slices: Vec<Slice> = positive
        .iter()
        .map(|(s, value)| Slice {
            label: s.label.clone(),
            value: *value,
            text: format_with_unit(*value, s.unit.as_deref()),
            percent: percent_text(value / total),
            color: s.color,
        })
        .collect();
    let common_unit = positive
        .first()
        .and_then(|(s, _)| s.unit.as_deref())
        .filter(|unit| positive.iter().all(|(s, _)| s.unit.as_deref() == Some(*unit)));

    // The legend beside the pie when there is width to spare, else below it.
    let value_width = slices.iter().map(|slice| text_width(&slice.text, FONT_SIZE, false)).fold(0.0, f64::max);
    let percent_width = text_width("100%", FONT_SIZE, false);
    let label_wanted = slices.iter().map(|slice| text_width(&slice.label, FONT_SIZE, false)).fold(0.0, f64::max);
    let numbers_width = value_width + GAP + percent_width;
    let wanted = SWATCH + GAP + label_wanted.min(220.0) + 2.0 * GAP + numbers_width + 2.0;
    let show_legend = chart.legend != LegendPosition::Hidden && content.width() >= 120.0 && content.height() >= 60.0;
    let beside = content.width() >= content.height() * 1.25 && content.width() >= 200.0;
    let (pie_area, legend_area) = if !show_legend {
        (content, None)
    } else if beside {
        let width = wanted.min(content.width() * 0.58);
        let legend = Rect { left: content.right - width, ..content };
        (Rect { right: legend.left - 2.0 * GAP, ..content }, Some(legend))
    } else {
        let max_rows = ((content.height() * 0.42) / ROW_HEIGHT).floor().max(1.0) as usize;
        let height = slices.len().min(max_rows) as f64 * ROW_HEIGHT;
        let width = wanted.min(content.width());
        let left = content.center_x() - width / 2.0;
        let legend = Rect { left, right: left + width, top: content.bottom - height, bottom: content.bottom };
        (Rect { bottom: legend.top - GAP, ..content }, Some(legend))
    };

    let radius = (pie_area.width().min(pie_area.height()) / 2.0 - 2.0).min(260.0);
    if radius >= 8.0 {
        let center = (pie_area.center_x(), pie_area.center_y());
        draw_donut(canvas, center, radius, &slices, total, colors)?;
        let hole = radius * HOLE;
        let total_text = format_with_unit(total, common_unit);
        let mut size = (hole * 0.5).clamp(10.0, 34.0);
        while size > 9.0 && text_width(&total_text, size, false) > hole * 1.6 {
            size -= 1.0;
        }
        // A total of percentages means nothing.
        if hole >= 22.0 && common_unit != Some("Percent") {
            let caption_size = (size * 0.45).clamp(9.0, 12.0);
            let baseline = center.1 + size * 0.3;
            canvas.text(&Label::new(&total_text, center.0, baseline, size, colors.title).align(Align::Center))?;
            let caption = Label::new("Total", center.0, baseline + caption_size + 4.0, caption_size, colors.muted);
            canvas.text(&caption.align(Align::Center))?;
        }
    }
    if let Some(area) = legend_area {
        draw_legend(canvas, area, &slices, (value_width, percent_width), colors)?;
    }
    chrome::draw(canvas, &chrome, colors)
}

fn draw_donut<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    center: (f64, f64),
    radius: f64,
    slices: &[Slice],
    total: f64,
    colors: &Colors,
) -> Result<(), ChartError> {
    let hole = radius * HOLE;
    let mut angle = PI / 2.0;
    let mut edges = Vec::with_capacity(slices.len());
    for slice in slices {
        let sweep = slice.value / total * 2.0 * PI;
        canvas.polygon(&ring_sector(center, hole, radius, angle, angle - sweep), slice.color)?;
        edges.push(angle);
        angle -= sweep;
    }
    if slices.len() > 1 {
        for edge in edges {
            let line = [on_circle(center, hole - 1.0, edge), on_circle(center, radius + 1.0, edge)];
            canvas.polyline(&line, 1.5, colors.background)?;
        }
    }
    Ok(())
}

/// Rows of swatch, label, value and percent; the last row says how many more there are when they do not fit.
fn draw_legend<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    area: Rect,
    slices: &[Slice],
    (value_width, percent_width): (f64, f64),
    colors: &Colors,
) -> Result<(), ChartError> {
    let rows = ((area.height() / ROW_HEIGHT).floor() as usize).max(1);
    let (shown, hidden) = if slices.len() > rows { (rows - 1, slices.len() - (rows - 1)) } else { (slices.len(), 0) };
    let block = (shown + usize::from(hidden > 0)) as f64 * ROW_HEIGHT;
    let top = area.top + ((area.height() - block) / 2.0).max(0.0);
    let label_room = area.width() - SWATCH - GAP - 2.0 * GAP - value_width - GAP - percent_width;
    let label_wanted = slices.iter().map(|slice| text_width(&slice.label, FONT_SIZE, false)).fold(0.0, f64::max);
    let numbers_hidden = label_room < label_wanted.min(40.0);
    let label_room = if numbers_hidden { area.width() - SWATCH - GAP } else { label_room };
    for (index, slice) in slices[..shown].iter().enumerate() {
        let baseline = top + index as f64 * ROW_HEIGHT + 13.0;
        canvas.fill_rect(area.left, baseline - 9.5, area.left + SWATCH, baseline + 0.5, slice.color)?;
        let label = fit_text(&slice.label, FONT_SIZE, false, label_room);
        canvas.text(&Label::new(&label, area.left + SWATCH + GAP, baseline, FONT_SIZE, colors.text))?;
        if !numbers_hidden {
            let value_right = area.right - percent_width - GAP;
            let value = Label::new(&slice.text, value_right, baseline, FONT_SIZE, colors.title);
            canvas.text(&value.align(Align::Right))?;
            let percent = Label::new(&slice.percent, area.right, baseline, FONT_SIZE, colors.muted);
            canvas.text(&percent.align(Align::Right))?;
        }
    }
    if hidden > 0 {
        let baseline = top + shown as f64 * ROW_HEIGHT + 13.0;
        canvas.text(&Label::new(&format!("+{hidden} more"), area.left, baseline, FONT_SIZE, colors.muted))?;
    }
    Ok(())
}
