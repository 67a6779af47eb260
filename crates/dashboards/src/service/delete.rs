//! DeleteDashboards: 1 to 100 names; every named dashboard that exists is deleted and names with no dashboard are
//! passed over, answering success. This follows the current CloudWatch API model (botocore's `cloudwatch` service
//! model: "If there is an error during this call, the operation attempts to delete as many dashboards as
//! possible", with no not-found error listed for the operation); older documentation said no dashboard is deleted
//! when a name is wrong. The deletes are committed together, so a store failure deletes none of them.

use skywatch_store::{Mutation, Reader};

use super::storage::{DashboardChange, dashboard};

/// The most names one DeleteDashboards takes ("You can specify up to 100 dashboards to delete").
pub const MAX_DELETE_NAMES: usize = 100;

/// Why DeleteDashboards deleted nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeleteDashboardsError {
    /// An empty `DashboardNames`. The model marks the member required with no minimum length; AWS's answer to an
    /// empty list is not recorded, so this is inferred from PutMetricData's answer to an empty `MetricData`
    /// (`MissingParameter`, "The parameter MetricData is required.").
    #[error("The parameter DashboardNames is required.")]
    NoNames,
    /// More than [`MAX_DELETE_NAMES`] names.
    #[error("The parameter DashboardNames must not have more than {MAX_DELETE_NAMES} members; it has {0}.")]
    TooManyNames(usize),
    /// The store could not be read.
    #[error("storage read failed: {0}")]
    Storage(String),
}

/// The deletes of the dashboards of `account` among `names` (each at most once); names with no dashboard are
/// passed over. Nothing is planned when the list is empty or too long.
pub fn delete_dashboards(
    reader: &Reader,
    account: &str,
    names: &[String],
) -> Result<Vec<Mutation>, DeleteDashboardsError> {
    check_names(names)?;
    let mut mutations = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for name in names {
        if !seen.insert(name.as_str()) {
            continue;
        }
        if dashboard(reader, account, name)
            .map_err(|error| DeleteDashboardsError::Storage(error.to_string()))?
            .is_some()
        {
            mutations.push(DashboardChange::Delete { account: account.to_owned(), name: name.clone() }.mutation());
        }
    }
    Ok(mutations)
}

/// Checks the number of names: 1 to [`MAX_DELETE_NAMES`].
pub fn check_names(names: &[String]) -> Result<(), DeleteDashboardsError> {
    match names.len() {
        0 => Err(DeleteDashboardsError::NoNames),
        n if n > MAX_DELETE_NAMES => Err(DeleteDashboardsError::TooManyNames(n)),
        _ => Ok(()),
    }
}
