//! CloudWatch (`monitoring`): wire shapes of the metric, dashboard and alarm operations, one module per operation family.

mod alarms;
mod dashboards;
mod data;
mod list;
mod put;
mod shapes;
mod statistics;
mod widget;
