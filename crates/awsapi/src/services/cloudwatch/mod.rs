//! CloudWatch (`monitoring`): wire shapes of the metric operations, one module per operation family.

mod data;
mod list;
mod put;
mod shapes;
mod statistics;
mod widget;

pub use data::get_metric_data;
pub use list::list_metrics;
pub use put::put_metric_data;
pub use statistics::get_metric_statistics;
pub use widget::get_metric_widget_image;
