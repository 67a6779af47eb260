//! Drawing metric data the caller has already fetched: the [`Chart`] description and its rendering into an SVG
//! string ([`svg`]) or, with the `png` feature, a PNG image ([`png`]).

mod annotate;
mod arc;
mod axes;
mod bar;
mod canvas;
mod chrome;
mod color;
mod frame;
mod from_widget;
mod gauge;
mod geometry;
mod grid;
mod interact;
mod legend;
mod numbers;
mod pie;
#[cfg(feature = "png")]
mod png_out;
mod series;
mod single_value;
mod sparkline;
mod svg_out;
mod table;
mod text;
mod theme;
mod ticks;
mod timeseries;
#[cfg(test)]
mod unit_tests;

use plotters::prelude::DrawingBackend;
use serde::{Deserialize, Serialize};

pub use crate::table::{SummaryColumn, TableLayout, TableOptions};
pub use crate::view::{HFill, LegendPosition, VFill, View};
pub use interact::{PlotArea, plot_area, time_at, values_at};
pub use theme::{PALETTE, Theme, series_color};

use canvas::Canvas;

/// The largest width or height drawn, in pixels.
pub const MAX_SIDE: u32 = 4000;

/// Everything needed to draw one chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    /// Drawn at the top left when present.
    pub title: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Light or dark colors.
    pub theme: Theme,
    /// How the data is shown.
    pub view: View,
    /// Stacked areas instead of lines (time series).
    pub stacked: bool,
    /// The series in drawing (and legend) order.
    pub series: Vec<ChartSeries>,
    /// The time range shown, epoch milliseconds `[start, end]`.
    pub x_range_ms: (i64, i64),
    /// Bounds and label of the left y axis.
    pub left_axis: Axis,
    /// Bounds and label of the right y axis.
    pub right_axis: Axis,
    /// Threshold lines and bands.
    pub horizontal_annotations: Vec<HAnnotation>,
    /// Event lines and bands.
    pub vertical_annotations: Vec<VAnnotation>,
    /// Where the legend goes.
    pub legend: LegendPosition,
    /// The time zone of the time axis, in minutes east of UTC.
    pub utc_offset_minutes: i32,
    /// Single values: a small line of each series under its value.
    #[serde(default)]
    pub sparkline: bool,
    /// How the table view is drawn.
    #[serde(default)]
    pub table: TableOptions,
}

impl Default for Chart {
    fn default() -> Self {
        Self {
            title: None,
            width: 600,
            height: 400,
            theme: Theme::Light,
            view: View::TimeSeries,
            stacked: false,
            series: Vec::new(),
            x_range_ms: (0, 3 * 3_600_000),
            left_axis: Axis::default(),
            right_axis: Axis::default(),
            horizontal_annotations: Vec::new(),
            vertical_annotations: Vec::new(),
            legend: LegendPosition::Bottom,
            utc_offset_minutes: 0,
            sparkline: false,
            table: TableOptions::default(),
        }
    }
}

/// One line (or area, or value) of a chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChartSeries {
    /// The legend text.
    pub label: String,
    /// `#rrggbb`; the palette color of the series' position when absent or unreadable.
    pub color: Option<String>,
    /// The CloudWatch unit (`Percent`, `Bytes`, …), shown on the axis and after single values.
    pub unit: Option<String>,
    /// Drawn against the right axis.
    pub right_axis: bool,
    /// The present data points, `(epoch ms, value)`. Missing periods are simply absent: the line breaks where
    /// consecutive points are more than 1.5 typical steps apart.
    pub points: Vec<(i64, f64)>,
}

/// A y axis's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The lowest value shown; automatic when absent.
    pub min: Option<f64>,
    /// The highest value shown; automatic when absent.
    pub max: Option<f64>,
    /// Text along the axis.
    pub label: Option<String>,
    /// Whether the series' common unit is shown along the axis.
    pub show_units: bool,
}

impl Default for Axis {
    fn default() -> Self {
        Self { min: None, max: None, label: None, show_units: true }
    }
}

/// A horizontal line at a value (or a band between two values).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HAnnotation {
    /// Where the line is.
    pub value: f64,
    /// The other edge, for a band.
    pub band_to: Option<f64>,
    /// Text drawn at the right end of the line.
    pub label: Option<String>,
    /// `#rrggbb`; a theme red when absent.
    pub color: Option<String>,
    /// Which side of a line is shaded.
    pub fill: Option<HFill>,
    /// The value is on the right axis.
    pub right_axis: bool,
}

/// A vertical line at a time (or a band between two times).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VAnnotation {
    /// Where the line is, epoch milliseconds.
    pub time_ms: i64,
    /// The other edge, for a band.
    pub band_to_ms: Option<i64>,
    /// Text drawn at the top of the line.
    pub label: Option<String>,
    /// `#rrggbb`; a theme red when absent.
    pub color: Option<String>,
    /// Which side of a line is shaded.
    pub fill: Option<VFill>,
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    /// Zero or too large a size.
    #[error("a chart must be 1 to {MAX_SIDE} pixels on each side, not {width}x{height}")]
    InvalidSize {
        /// The width asked for.
        width: u32,
        /// The height asked for.
        height: u32,
    },
    /// The time range ends before it starts.
    #[error("the time range must end after it starts")]
    InvalidRange,
    /// The drawing backend failed.
    #[error("drawing failed: {0}")]
    Drawing(String),
    /// The image could not be encoded.
    #[error("encoding the image failed: {0}")]
    Encode(String),
}

fn check(chart: &Chart) -> Result<(), ChartError> {
    if chart.width == 0 || chart.height == 0 || chart.width > MAX_SIDE || chart.height > MAX_SIDE {
        return Err(ChartError::InvalidSize { width: chart.width, height: chart.height });
    }
    if chart.x_range_ms.0 >= chart.x_range_ms.1 {
        return Err(ChartError::InvalidRange);
    }
    Ok(())
}

/// Draws the whole chart onto a canvas.
fn render<DB: DrawingBackend>(canvas: &Canvas<DB>, chart: &Chart) -> Result<(), ChartError> {
    let colors = chart.theme.colors();
    canvas.clear(colors.background)?;
    match chart.view {
        View::TimeSeries => timeseries::draw(canvas, chart, &colors)?,
        View::SingleValue => single_value::draw(canvas, chart, &colors)?,
        View::Gauge => gauge::draw(canvas, chart, &colors)?,
        View::Bar => bar::draw(canvas, chart, &colors)?,
        View::Pie => pie::draw(canvas, chart, &colors)?,
        View::Table => table::draw(canvas, chart, &colors)?,
    }
    canvas.present()
}

/// Draws the chart as one `<svg>` element (no XML prolog) with `width`, `height` and a `viewBox`, ready to be put
/// into HTML.
pub fn svg(chart: &Chart) -> Result<String, ChartError> {
    check(chart)?;
    svg_out::render_svg(chart)
}

/// Draws the chart as a PNG image of `width`×`height` pixels.
#[cfg(feature = "png")]
pub fn png(chart: &Chart) -> Result<Vec<u8>, ChartError> {
    check(chart)?;
    png_out::render_png(chart)
}
