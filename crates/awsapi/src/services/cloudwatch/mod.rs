//! CloudWatch (`monitoring`): wire shapes of the metric, dashboard and alarm operations, one module per operation family.

mod alarms;
mod dashboards;
mod data;
mod list;
mod put;
mod put_cbor;
mod put_fast;
mod put_json;
mod put_query;
mod shapes;
mod statistics;
mod widget;
