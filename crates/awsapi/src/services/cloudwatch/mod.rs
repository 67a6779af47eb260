//! CloudWatch (`monitoring`): wire shapes of the metric and dashboard operations, one module per operation family.

mod dashboards;
mod data;
mod list;
mod put;
mod shapes;
mod statistics;
mod widget;
