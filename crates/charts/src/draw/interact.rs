//! Geometry for interaction in the browser: where the plot of a time series chart is, the time under a pixel and
//! the values nearest a time (hover readout, drag-to-zoom).

use serde::{Deserialize, Serialize};

use super::series::{clean_points, typical_step};
use super::timeseries;
use super::{Chart, View};

/// The rectangle the time axis spans, in chart pixels (the SVG's `width`/`height` units).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlotArea {
    /// The x of the range start.
    pub left: f64,
    /// The y of the top of the plot.
    pub top: f64,
    /// The width of the whole time range.
    pub width: f64,
    /// The height of the plot, down to the time axis line.
    pub height: f64,
}

impl PlotArea {
    /// The x of the range end.
    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    /// The y of the time axis line.
    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

/// Where [`svg`](super::svg) draws the plot of a time series chart; `None` for other views, for charts too small
/// to have a plot and for charts that cannot be drawn.
pub fn plot_area(chart: &Chart) -> Option<PlotArea> {
    if chart.view != View::TimeSeries || super::check(chart).is_err() {
        return None;
    }
    let plot = timeseries::layout(chart).frame?.plot;
    Some(PlotArea { left: plot.left, top: plot.top, width: plot.width(), height: plot.height() })
}

/// The time (epoch ms) at chart pixel `x_px`; `None` outside the plot or without one.
pub fn time_at(chart: &Chart, x_px: f64) -> Option<i64> {
    let area = plot_area(chart)?;
    if !x_px.is_finite() || x_px < area.left - 0.5 || x_px > area.right() + 0.5 {
        return None;
    }
    let (start, end) = chart.x_range_ms;
    let fraction = ((x_px - area.left) / area.width).clamp(0.0, 1.0);
    Some(start + ((end - start) as f64 * fraction).round() as i64)
}

/// The point of each series nearest `time_ms` within the chart's range and within one step of the series (the
/// typical spacing of its points; a fiftieth of the range for a lone point): `(series index, point time, value)`
/// in series order. Series with no such point are left out.
pub fn values_at(chart: &Chart, time_ms: i64) -> Vec<(usize, i64, f64)> {
    let (start, end) = chart.x_range_ms;
    let mut out = Vec::new();
    for (index, series) in chart.series.iter().enumerate() {
        let points = clean_points(series);
        let step = typical_step(&points).unwrap_or(((end - start) / 50).max(1));
        let at = points.partition_point(|(time, _)| *time < time_ms);
        let nearest = [at.checked_sub(1), Some(at)]
            .into_iter()
            .flatten()
            .filter_map(|i| points.get(i))
            .filter(|(time, _)| *time >= start && *time <= end)
            .min_by_key(|(time, _)| (time - time_ms).abs());
        if let Some(&(time, value)) = nearest
            && (time - time_ms).abs() <= step
        {
            out.push((index, time, value));
        }
    }
    out
}
