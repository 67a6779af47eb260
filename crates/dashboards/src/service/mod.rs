//! The dashboard service over the store: PutDashboard, GetDashboard, ListDashboards and DeleteDashboards. Reads
//! take a store [`Reader`] snapshot; writes validate and return the [`Mutation`]s to commit, so callers commit them
//! in one batch with the call's CloudTrail record. Dashboards are global per account, not per region.

mod delete;
mod get;
mod list;
mod operations;
mod put;
pub mod storage;
mod token;

pub use delete::{DeleteDashboardsError, MAX_DELETE_NAMES, delete_dashboards};
pub use get::{Dashboard, GetDashboardError, get_dashboard};
pub use list::{DashboardEntry, DashboardPage, ListDashboardsError, PAGE_SIZE, list_dashboards, validate_prefix};
pub use operations::{
    DeleteDashboards, DeleteDashboardsInput, GetDashboard, GetDashboardInput, ListDashboards, ListDashboardsInput,
    PutDashboard, PutDashboardInput,
};
pub use put::{MAX_BODY_BYTES, PutDashboardError, RenameDashboardError, put_dashboard, rename_dashboard};
pub use skywatch_store::{Mutation, Reader};
pub use storage::{DashboardRecord, TABLES};

/// The ARN of a dashboard seen from `region`: `arn:{partition}:cloudwatch::{account}:dashboard/{name}`. Dashboards
/// are global, so the ARN has no region; the caller's region only chooses the partition.
pub fn dashboard_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:cloudwatch::{account}:dashboard/{name}", skywatch_model::partition(region))
}
