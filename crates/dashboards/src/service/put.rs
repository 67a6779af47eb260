//! PutDashboard (create or replace) and the console's rename: validation, then the mutations to commit.

use skywatch_store::{Mutation, Reader};

use super::storage::{DashboardChange, dashboard};

use crate::body::{ValidationMessage, parse_body};
use crate::name::{NameError, validate_name};

/// The largest dashboard body, in bytes of UTF-8.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Why PutDashboard refused a dashboard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PutDashboardError {
    /// The name is empty, too long or has characters outside `A-Z a-z 0-9 - _`.
    #[error("{0}")]
    InvalidName(#[from] NameError),
    /// The body is over [`MAX_BODY_BYTES`].
    #[error("The value for field DashboardBody must be at most {MAX_BODY_BYTES} bytes long; it has {size}.")]
    BodyTooLarge {
        /// Its size in bytes.
        size: usize,
    },
    /// The body does not validate; every problem, with its data path.
    #[error("The dashboard body is invalid, there are {} validation errors: {}", .0.len(), describe(.0))]
    InvalidBody(Vec<ValidationMessage>),
}

/// The messages as AWS lists them in the error text: a JSON array of `{"dataPath", "message"}`.
fn describe(messages: &[ValidationMessage]) -> String {
    let items: Vec<serde_json::Value> = messages
        .iter()
        .map(|message| serde_json::json!({ "dataPath": message.data_path, "message": message.message }))
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_default()
}

/// Validates a PutDashboard and returns the mutation storing the body exactly as given, modified at `now_ms`.
pub fn put_dashboard(account: &str, name: &str, body: &str, now_ms: i64) -> Result<Vec<Mutation>, PutDashboardError> {
    validate_name(name)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(PutDashboardError::BodyTooLarge { size: body.len() });
    }
    parse_body(body).map_err(PutDashboardError::InvalidBody)?;
    Ok(vec![
        DashboardChange::Put {
            account: account.to_owned(),
            name: name.to_owned(),
            last_modified_ms: now_ms,
            body: body.to_owned(),
        }
        .mutation(),
    ])
}

/// Why a rename was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameDashboardError {
    /// The new name is not a valid dashboard name.
    #[error("{0}")]
    InvalidName(#[from] NameError),
    /// There is no dashboard to rename.
    #[error("Dashboard {0} does not exist")]
    NotFound(String),
    /// A dashboard already has the new name.
    #[error("Dashboard {0} already exists")]
    AlreadyExists(String),
    /// The store could not be read.
    #[error("storage read failed: {0}")]
    Storage(String),
}

/// The console's rename: the mutations that store the body (unchanged) under `to` and delete `from`, to commit
/// together with the audit record.
pub fn rename_dashboard(
    reader: &Reader,
    account: &str,
    from: &str,
    to: &str,
    now_ms: i64,
) -> Result<Vec<Mutation>, RenameDashboardError> {
    validate_name(to)?;
    let storage = |error: skywatch_store::ReadError| RenameDashboardError::Storage(error.to_string());
    let record = dashboard(reader, account, from).map_err(storage)?;
    let record = record.ok_or_else(|| RenameDashboardError::NotFound(from.to_owned()))?;
    if from == to {
        return Ok(Vec::new());
    }
    if dashboard(reader, account, to).map_err(storage)?.is_some() {
        return Err(RenameDashboardError::AlreadyExists(to.to_owned()));
    }
    Ok(vec![
        DashboardChange::Put {
            account: account.to_owned(),
            name: to.to_owned(),
            last_modified_ms: now_ms,
            body: record.body,
        }
        .mutation(),
        DashboardChange::Delete { account: account.to_owned(), name: from.to_owned() }.mutation(),
    ])
}
