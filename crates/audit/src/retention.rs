//! Event history retention: records older than the history's length (90 days, as CloudTrail keeps event
//! history) are removed in batches by a background sweep.

use skywatch_store::{Mutation, ReadError, Store, WriteError};

use crate::storage::{RemoveAuditEvents, expired};

/// CloudTrail keeps 90 days of event history.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// Records removed per commit.
const BATCH: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Removes every record older than `cutoff_ms`, a batch per commit; how many it removed.
pub async fn expire(store: &Store, cutoff_ms: i64) -> Result<usize, RetentionError> {
    let mut removed = 0;
    loop {
        let keys = store.read(move |reader| expired(reader, cutoff_ms, BATCH)).await?;
        let count = keys.len();
        if count == 0 {
            return Ok(removed);
        }
        store.apply(vec![Mutation::new(RemoveAuditEvents { keys })]).await?;
        removed += count;
        if count < BATCH {
            return Ok(removed);
        }
    }
}
