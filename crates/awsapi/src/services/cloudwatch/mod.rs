//! CloudWatch (`monitoring`): wire shapes of the metric and dashboard operations, one module per operation family.

mod dashboards;
mod data;
mod list;
mod put;
mod shapes;
mod statistics;
mod widget;

pub use dashboards::{delete_dashboards, get_dashboard, list_dashboards, put_dashboard};
pub use data::get_metric_data;
pub use list::list_metrics;
pub use put::put_metric_data;
pub use statistics::get_metric_statistics;
pub use widget::get_metric_widget_image;
