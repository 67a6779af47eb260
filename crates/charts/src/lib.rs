//! Metric charts: the CloudWatch metric-widget JSON model ([`widget`]) and the drawing of fetched data into
//! SVG (console, server and browser) or PNG (GetMetricWidgetImage, feature `png`) ([`draw`]).

pub mod draw;
mod table;
mod view;
pub mod widget;

#[cfg(feature = "png")]
pub use draw::png;
pub use draw::{
    Axis, Chart, ChartError, ChartSeries, HAnnotation, PALETTE, PlotArea, Theme, VAnnotation, plot_area, series_color,
    svg, time_at, values_at,
};
pub use table::{SummaryColumn, TableLayout, TableOptions};
pub use view::{HFill, LegendPosition, VFill, View};
pub use widget::{MetricWidget, WidgetError};
