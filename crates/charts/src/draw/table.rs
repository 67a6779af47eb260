//! The table view: per series its summaries (Min, Max, Sum, Average, …) over the shown points and its most recent
//! datapoints, one row per series (horizontal layout) or one column per series (vertical layout). Cells whose value
//! lies in a shaded threshold region are tinted with the threshold's color.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use plotters::prelude::DrawingBackend;

use super::canvas::{Align, Canvas, Label};
use super::color::Rgba;
use super::grid::{self, Cell, Grid};
use super::numbers::format_value;
use super::theme::Colors;
use super::timeseries::{NO_DATA, Prepared, prepare};
use super::{Chart, ChartError, HAnnotation, chrome};
use crate::table::{SummaryColumn, TableLayout};
use crate::view::HFill;

/// The most datapoint columns (or rows) considered.
const MAX_TIMES: usize = 120;

pub(crate) fn draw<DB: DrawingBackend>(canvas: &Canvas<DB>, chart: &Chart, colors: &Colors) -> Result<(), ChartError> {
    let chrome = chrome::layout(chart, &[]);
    let content = chrome.content;
    let (start, end) = chart.x_range_ms;
    let mut series = prepare(chart);
    for s in &mut series {
        s.points.retain(|(time, _)| *time >= start && *time <= end);
    }
    if series.is_empty() {
        let label = Label::new(NO_DATA, content.center_x(), content.center_y() + 5.0, 14.0, colors.muted);
        canvas.text(&label.align(Align::Center))?;
        return chrome::draw(canvas, &chrome, colors);
    }
    let times = if chart.table.show_time_series_data { recent_times(&series) } else { Vec::new() };
    let grid = match chart.table.layout {
        TableLayout::Horizontal => horizontal(chart, &series, &times, colors),
        TableLayout::Vertical => vertical(chart, &series, &times, colors),
    };
    let row_height = if content.height() < 120.0 { 18.0 } else { 22.0 };
    grid::draw(canvas, &grid, content, row_height, colors)?;
    chrome::draw(canvas, &chrome, colors)
}

/// The distinct point times of all series, newest first.
fn recent_times(series: &[Prepared]) -> Vec<i64> {
    let mut times: Vec<i64> = series.iter().flat_map(|s| s.points.iter().map(|(time, _)| *time)).collect();
    times.sort_unstable_by(|a, b| b.cmp(a));
    times.dedup();
    times.truncate(MAX_TIMES);
    times
}

/// `HH:MM` in the chart's zone, with the date when the times span more than one day.
fn time_labels(chart: &Chart, times: &[i64]) -> Vec<String> {
    let zone = FixedOffset::east_opt(chart.utc_offset_minutes.clamp(-1439, 1439) * 60);
    let local = |ms: i64| DateTime::from_timestamp_millis(ms).zip(zone).map(|(time, zone)| time.with_timezone(&zone));
    let days = times.iter().filter_map(|ms| local(*ms)).map(|time| time.date_naive());
    let with_date = days.clone().min() != days.max();
    let seconds = times.iter().filter_map(|ms| local(*ms)).any(|time| time.second() != 0);
    times
        .iter()
        .map(|ms| match local(*ms) {
            Some(time) if with_date => {
                format!("{:02}/{:02} {:02}:{:02}", time.month(), time.day(), time.hour(), time.minute())
            }
            Some(time) if seconds => format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second()),
            Some(time) => format!("{:02}:{:02}", time.hour(), time.minute()),
            None => String::new(),
        })
        .collect()
}

fn value_at(series: &Prepared, time: i64) -> Option<f64> {
    series.points.binary_search_by_key(&time, |(t, _)| *t).ok().map(|index| series.points[index].1)
}

/// A number cell, tinted when the value is in a threshold's shaded region.
fn number(value: Option<f64>, thresholds: &[HAnnotation], colors: &Colors) -> Cell {
    let Some(value) = value else { return Cell { muted: true, ..Cell::number("–") } };
    let tint = thresholds.iter().rev().find_map(|annotation| {
        let inside = match (annotation.band_to, annotation.fill) {
            (Some(to), _) => value >= annotation.value.min(to) && value <= annotation.value.max(to),
            (None, Some(HFill::Above)) => value >= annotation.value,
            (None, Some(HFill::Below)) => value <= annotation.value,
            (None, None) => false,
        };
        let color = annotation.color.as_deref().and_then(Rgba::parse).unwrap_or(colors.annotation);
        inside.then(|| color.with_alpha(colors.fill_alpha * 2.0))
    });
    Cell { tint, ..Cell::number(format_value(value)) }
}

/// The thresholds a summary is compared with: none for a sum, which is not on the datapoints' scale.
fn compared(column: SummaryColumn, thresholds: &[HAnnotation]) -> &[HAnnotation] {
    if column == SummaryColumn::Sum { &[] } else { thresholds }
}

fn values(series: &Prepared) -> Vec<f64> {
    series.points.iter().map(|(_, value)| *value).collect()
}

fn label_cell(series: &Prepared) -> Cell {
    Cell { swatch: Some(series.color), ..Cell::text(series.label.clone()) }
}

/// One row per series: label, summaries, datapoints newest first.
fn horizontal(chart: &Chart, series: &[Prepared], times: &[i64], colors: &Colors) -> Grid {
    let thresholds = &chart.horizontal_annotations;
    let summaries = &chart.table.summary_columns;
    let mut header = vec![Cell::text("Label")];
    header.extend(summaries.iter().map(|column| Cell::number(column.title())));
    header.extend(time_labels(chart, times).into_iter().map(Cell::number));
    let rows = series
        .iter()
        .map(|s| {
            let values = values(s);
            let mut row = vec![label_cell(s)];
            row.extend(
                summaries.iter().map(|column| number(column.of(&values), compared(*column, thresholds), colors)),
            );
            row.extend(times.iter().map(|time| number(value_at(s, *time), thresholds, colors)));
            row
        })
        .collect();
    Grid { header, rows }
}

/// One column per series: summaries, then datapoints newest first, down the rows.
fn vertical(chart: &Chart, series: &[Prepared], times: &[i64], colors: &Colors) -> Grid {
    let thresholds = &chart.horizontal_annotations;
    let mut header = vec![Cell::text("")];
    header.extend(series.iter().map(|s| Cell { numeric: true, ..label_cell(s) }));
    let all_values: Vec<Vec<f64>> = series.iter().map(values).collect();
    let mut rows: Vec<Vec<Cell>> = chart
        .table
        .summary_columns
        .iter()
        .map(|column| {
            let mut row = vec![Cell { muted: true, ..Cell::text(column.title()) }];
            row.extend(
                all_values.iter().map(|values| number(column.of(values), compared(*column, thresholds), colors)),
            );
            row
        })
        .collect();
    for (time, label) in times.iter().zip(time_labels(chart, times)) {
        let mut row = vec![Cell { muted: true, ..Cell::text(label) }];
        row.extend(series.iter().map(|s| number(value_at(s, *time), thresholds, colors)));
        rows.push(row);
    }
    Grid { header, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_carry_dates_only_across_days() {
        const T0: i64 = 1_710_374_400_000;
        let chart = Chart { utc_offset_minutes: 60, ..Chart::default() };
        assert_eq!(time_labels(&chart, &[T0 + 600_000, T0]), ["01:10", "01:00"]);
        assert_eq!(time_labels(&chart, &[T0 + 86_400_000, T0])[0], "03/15 01:00");
    }
}
