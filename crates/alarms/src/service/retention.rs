//! Alarm history retention: CloudWatch keeps an alarm's history two weeks, deleted alarms' too. Entries older than
//! that are removed in batches by the server's hourly housekeeping.

use skywatch_store::{Mutation, ReadError, Store, WriteError};

use super::storage::{DropHistory, expired_history};

/// How long history is kept.
pub const HISTORY_RETENTION_MS: i64 = 14 * 86_400_000;
/// Entries removed per commit.
const BATCH: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum HistoryRetentionError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Removes every history entry older than two weeks before `now_ms`, a batch per commit; how many it removed.
pub async fn expire_history(store: &Store, now_ms: i64) -> Result<usize, HistoryRetentionError> {
    let cutoff = now_ms.saturating_sub(HISTORY_RETENTION_MS);
    let mut removed = 0;
    loop {
        let keys = store.read(move |reader| expired_history(reader, cutoff, BATCH)).await?;
        let count = keys.len();
        if count > 0 {
            store.apply(vec![Mutation::new(DropHistory(keys))]).await?;
            removed += count;
        }
        if count < BATCH {
            return Ok(removed);
        }
    }
}
