//! GetDashboard.

use skywatch_store::Reader;

use super::dashboard_arn;
use super::storage::dashboard;

/// A stored dashboard as GetDashboard returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// `DashboardName`.
    pub name: String,
    /// `DashboardArn`.
    pub arn: String,
    /// `DashboardBody`, exactly as it was put.
    pub body: String,
    /// When it was last put, in epoch milliseconds.
    pub last_modified_ms: i64,
}

/// Why GetDashboard found nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GetDashboardError {
    /// No dashboard has this name in the account.
    #[error("Dashboard {0} does not exist")]
    NotFound(String),
    /// The store could not be read.
    #[error("storage read failed: {0}")]
    Storage(String),
}

/// The dashboard `name` of `account`, its ARN in the partition of `region`.
pub fn get_dashboard(reader: &Reader, region: &str, account: &str, name: &str) -> Result<Dashboard, GetDashboardError> {
    let record = dashboard(reader, account, name).map_err(|error| GetDashboardError::Storage(error.to_string()))?;
    let record = record.ok_or_else(|| GetDashboardError::NotFound(name.to_owned()))?;
    Ok(Dashboard {
        arn: dashboard_arn(region, account, &record.name),
        name: record.name,
        body: record.body,
        last_modified_ms: record.last_modified_ms,
    })
}
