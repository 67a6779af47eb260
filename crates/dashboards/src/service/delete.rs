//! DeleteDashboards: up to 100 names; every existing one is deleted, and missing ones are named in the error, as
//! AWS "attempts to delete as many dashboards as possible".

use skywatch_store::{Mutation, Reader};

use super::storage::{DashboardChange, dashboard};

/// The most names one DeleteDashboards takes.
pub const MAX_DELETE_NAMES: usize = 100;

/// Why DeleteDashboards failed (in whole or in part).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeleteDashboardsError {
    /// More than [`MAX_DELETE_NAMES`] names; nothing is deleted.
    #[error("The parameter DashboardNames must not have more than {MAX_DELETE_NAMES} members; it has {0}.")]
    TooManyNames(usize),
    /// These names have no dashboard; the others were deleted.
    #[error("{}", not_found_message(.0))]
    NotFound(Vec<String>),
    /// The store could not be read; nothing is deleted.
    #[error("storage read failed: {0}")]
    Storage(String),
}

fn not_found_message(names: &[String]) -> String {
    match names {
        [name] => format!("Dashboard {name} does not exist"),
        names => format!("Dashboards {} do not exist", names.join(", ")),
    }
}

/// What a DeleteDashboards does: the deletes to commit (with the audit record) and the reply, which may be an
/// error even when some dashboards are deleted.
#[derive(Debug, Clone)]
pub struct DeletePlan {
    /// One `DeleteDashboard` per existing dashboard named.
    pub mutations: Vec<Mutation>,
    /// Ok, or the names that do not exist.
    pub result: Result<(), DeleteDashboardsError>,
}

/// Plans the deletion of `names` from `account`.
pub fn delete_dashboards(reader: &Reader, account: &str, names: &[String]) -> DeletePlan {
    let refuse = |error| DeletePlan { mutations: Vec::new(), result: Err(error) };
    if names.len() > MAX_DELETE_NAMES {
        return refuse(DeleteDashboardsError::TooManyNames(names.len()));
    }
    let mut mutations = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for name in names {
        if !seen.insert(name.as_str()) {
            continue;
        }
        match dashboard(reader, account, name) {
            Ok(Some(_)) => {
                mutations.push(DashboardChange::Delete { account: account.to_owned(), name: name.clone() }.mutation())
            }
            Ok(None) => missing.push(name.clone()),
            Err(error) => return refuse(DeleteDashboardsError::Storage(error.to_string())),
        }
    }
    let result = if missing.is_empty() { Ok(()) } else { Err(DeleteDashboardsError::NotFound(missing)) };
    DeletePlan { mutations, result }
}
