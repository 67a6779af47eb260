//! CloudWatch dashboards: the dashboard body (`body`: the widget grid, parsed and validated with CloudWatch's
//! messages and data paths, and auto placement), dashboard names (`name`), generated read-only dashboards
//! (`automatic`), and with the default feature `store` the dashboard service over the store.

pub mod automatic;
pub mod body;
pub mod name;
#[cfg(feature = "store")]
pub mod service;

pub use body::{
    AlarmWidget, DashboardBody, LogWidget, PeriodOverride, Placement, TextWidget, ValidationMessage, Widget,
    WidgetKind, parse_body,
};
pub use name::{MAX_NAME_LEN, NameError, validate_name};
pub use skywatch_charts::widget::{MetricWidget, TimeSpec};
