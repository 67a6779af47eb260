//! One module per console page.

pub mod alarm;
pub mod alarm_composite;
pub mod alarm_create;
pub mod alarms;
pub mod coming_soon;
pub mod config;
pub mod dashboard;
pub mod dashboards;
pub mod event_history;
pub mod eventbridge;
pub mod home;
pub mod login;
pub mod logs;
pub mod metrics;
pub mod not_found;
pub mod topics;
pub mod users;
pub mod xray;
