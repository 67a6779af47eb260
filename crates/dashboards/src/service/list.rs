//! ListDashboards: by name, optionally by prefix, in pages of 1000 with an opaque NextToken.

use skywatch_store::Reader;

use super::storage::dashboards;
use super::{dashboard_arn, token};
use crate::name::MAX_NAME_LEN;

/// The most dashboards one ListDashboards page holds.
pub const PAGE_SIZE: usize = 1000;

/// One dashboard of a ListDashboards page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardEntry {
    /// `DashboardName`.
    pub name: String,
    /// `DashboardArn`.
    pub arn: String,
    /// `LastModified`, in epoch milliseconds.
    pub last_modified_ms: i64,
    /// `Size`: the body's size in bytes.
    pub size: u64,
}

/// One page of dashboards and the token of the next, if there are more.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DashboardPage {
    /// `DashboardEntries`, by name.
    pub entries: Vec<DashboardEntry>,
    /// `NextToken`.
    pub next_token: Option<String>,
}

/// Why ListDashboards refused a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListDashboardsError {
    /// The prefix is too long or has characters outside `A-Z a-z 0-9 . - _`.
    #[error(
        "The value for field DashboardNamePrefix must be at most 255 characters of alphanumerics, period (.), dash (-) and underscore (_)."
    )]
    InvalidPrefix,
    /// The NextToken was not given by an earlier ListDashboards.
    #[error("The value for field NextToken is invalid.")]
    InvalidNextToken,
    /// The store could not be read.
    #[error("storage read failed: {0}")]
    Storage(String),
}

/// Checks a DashboardNamePrefix: at most 255 characters of `A-Z a-z 0-9 . - _`.
pub fn validate_prefix(prefix: &str) -> Result<(), ListDashboardsError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if prefix.chars().count() > MAX_NAME_LEN || !prefix.chars().all(allowed) {
        return Err(ListDashboardsError::InvalidPrefix);
    }
    Ok(())
}

/// The page of `account`'s dashboards whose names start with `prefix` (all when None), continuing `next_token`;
/// their ARNs in the partition of `region`.
pub fn list_dashboards(
    reader: &Reader,
    region: &str,
    account: &str,
    prefix: Option<&str>,
    next_token: Option<&str>,
) -> Result<DashboardPage, ListDashboardsError> {
    let prefix = prefix.unwrap_or("");
    validate_prefix(prefix)?;
    let after = next_token.map(|text| token::decode(text).ok_or(ListDashboardsError::InvalidNextToken)).transpose()?;
    let mut records = dashboards(reader, account, prefix, after.as_deref(), PAGE_SIZE + 1)
        .map_err(|error| ListDashboardsError::Storage(error.to_string()))?;
    let more = records.len() > PAGE_SIZE;
    records.truncate(PAGE_SIZE);
    let next_token = if more { records.last().map(|record| token::encode(&record.name)) } else { None };
    let entries = records
        .into_iter()
        .map(|record| DashboardEntry {
            arn: dashboard_arn(region, account, &record.name),
            size: u64::try_from(record.body.len()).unwrap_or(u64::MAX),
            last_modified_ms: record.last_modified_ms,
            name: record.name,
        })
        .collect();
    Ok(DashboardPage { entries, next_token })
}
