//! One module per console page.

pub mod coming_soon;
pub mod dashboard;
pub mod dashboards;
pub mod event_history;
pub mod home;
pub mod login;
pub mod metrics;
pub mod not_found;
pub mod users;
