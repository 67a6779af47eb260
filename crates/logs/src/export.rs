//! Export tasks (CreateExportTask, DescribeExportTasks, CancelExportTask): a log group's events, in a time range
//! and from streams with a name prefix, written as gzip objects in AWS's layout to a directory standing in for the
//! S3 bucket. The task record and its tables are in [`task`], where objects land on disk in [`path`], the objects
//! themselves in [`files`], and the background runner that moves a task PENDING -> RUNNING -> COMPLETED (or
//! FAILED, or CANCELLED between two chunks) in [`runner`].
//!
//! An account has at most one active (PENDING or RUNNING) task, as in AWS. Two CreateExportTask calls of one
//! account racing each other are kept apart by a reservation the first holds until its task is committed.

pub mod files;
pub mod path;
pub mod runner;
pub mod task;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

pub use runner::{ExportRun, ExportSettings, Step};
pub use task::{ExportChange, ExportProgress, ExportStatus, ExportTask};

/// What the export operations and the runner share: the runner's wake-up and the accounts creating a task now.
#[derive(Debug, Default)]
pub struct Exports {
    wake: tokio::sync::Notify,
    creating: Mutex<HashSet<String>>,
}

impl Exports {
    /// Reserves `account`'s one active task while a CreateExportTask commits, or None when another call of the
    /// account holds it. The reservation ends when dropped (after the commit, or with a call that failed).
    pub(crate) fn reserve(self: &Arc<Self>, account: &str) -> Option<Reservation> {
        let mut creating = self.creating.lock().unwrap_or_else(PoisonError::into_inner);
        creating.insert(account.to_owned()).then(|| Reservation { exports: Arc::clone(self), account: account.into() })
    }

    /// Tells the runner a task is waiting.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }
}

/// An account's claim on creating its one active task.
#[derive(Debug)]
pub(crate) struct Reservation {
    exports: Arc<Exports>,
    account: String,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.exports.creating.lock().unwrap_or_else(PoisonError::into_inner).remove(&self.account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_holds_one_reservation_until_it_is_dropped() {
        let exports = Arc::new(Exports::default());
        let first = exports.reserve("111111111111").expect("free");
        assert!(exports.reserve("111111111111").is_none(), "the account is creating a task");
        let other = exports.reserve("222222222222").expect("another account is independent");
        drop(first);
        assert!(exports.reserve("111111111111").is_some(), "free again once dropped");
        drop(other);
    }
}
