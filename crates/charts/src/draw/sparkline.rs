//! The small line under a single value: the series over the chart's range, with a faint area under it.

use plotters::prelude::DrawingBackend;

use super::canvas::Canvas;
use super::geometry::{Point, Rect};
use super::series::split_at_gaps;
use super::timeseries::Prepared;
use super::{Chart, ChartError};

/// Draws `series` filling `area` (time across, values between their own minimum and maximum).
pub(crate) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    chart: &Chart,
    series: &Prepared,
    area: Rect,
    area_alpha: f64,
) -> Result<(), ChartError> {
    let (start, end) = chart.x_range_ms;
    let points: Vec<(i64, f64)> = series.points.iter().copied().filter(|(t, _)| *t >= start && *t <= end).collect();
    let (low, high) =
        points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), (_, v)| (low.min(*v), high.max(*v)));
    if points.is_empty() || area.width() < 4.0 || area.height() < 4.0 {
        return Ok(());
    }
    let span = if high > low { high - low } else { 1.0 };
    let x = |time: i64| area.left + (time - start) as f64 / (end - start) as f64 * area.width();
    let y = |value: f64| {
        if high > low { area.bottom - (value - low) / span * area.height() } else { area.center_y() }
    };
    for run in split_at_gaps(&points, series.step) {
        let line: Vec<Point> = run.iter().map(|(t, v)| (x(*t), y(*v))).collect();
        if line.len() == 1 {
            canvas.dot(line[0], 1.5, series.color)?;
            continue;
        }
        let mut outline = line.clone();
        if let (Some(first), Some(last)) = (line.first(), line.last()) {
            outline.push((last.0, area.bottom));
            outline.push((first.0, area.bottom));
        }
        canvas.polygon(&outline, series.color.with_alpha(area_alpha))?;
        canvas.polyline(&line, 1.25, series.color)?;
    }
    Ok(())
}
