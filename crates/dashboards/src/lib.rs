//! CloudWatch dashboards: the dashboard body (`body`: the widget grid, parsed and validated with CloudWatch's
//! messages and data paths, and auto placement), dashboard names (`name`), generated read-only dashboards
//! (`automatic`), the console's editing of a body (`edit`, `arrange`) and what it draws (`view`); with the
//! default feature `store` the dashboard service over the store, and with `engine` the rendering of a body's
//! widgets with their metric data (`render`).

pub mod arrange;
pub mod automatic;
pub mod body;
pub mod edit;
#[cfg(feature = "engine")]
mod markdown;
pub mod name;
#[cfg(feature = "engine")]
pub mod render;
#[cfg(feature = "store")]
pub mod service;
pub mod view;

pub use body::{
    AlarmWidget, DashboardBody, LogWidget, PeriodOverride, Placement, TextWidget, ValidationMessage, Widget,
    WidgetKind, parse_body,
};
#[cfg(feature = "engine")]
pub use markdown::to_safe_html;
pub use name::{MAX_NAME_LEN, NameError, validate_name};
pub use skywatch_charts::widget::{MetricWidget, TimeSpec};
