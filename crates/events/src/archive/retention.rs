//! Archive retention: events older than their archive's retention (in days; 0 keeps them forever) are dropped,
//! and the events of deleted archives swept, a bounded batch a pass, each batch a commit.

use skywatch_store::Mutation;

use super::storage::{ArchiveChange, all_archives, archived_before, orphans};
use crate::{Events, EventsError};

/// Events dropped a batch, at most.
const BATCH: usize = 512;
/// Archives looked at a pass, at most.
const ARCHIVES_A_PASS: usize = 10_000;

impl Events {
    /// One retention pass at `now_ms`; how many archived events it dropped.
    pub async fn sweep_archives(&self, now_ms: i64) -> Result<usize, EventsError> {
        let changes = self
            .store
            .read(move |reader| {
                let mut changes: Vec<Mutation> = Vec::new();
                let mut dropped = 0;
                for (account, region, archive) in all_archives(reader, ARCHIVES_A_PASS)? {
                    if archive.retention_days <= 0 || dropped >= BATCH {
                        continue;
                    }
                    let cutoff = now_ms.saturating_sub(archive.retention_days.saturating_mul(86_400_000));
                    let keys = archived_before(reader, archive.id, cutoff, BATCH - dropped)?;
                    if !keys.is_empty() {
                        dropped += keys.len();
                        let name = Some(archive.name);
                        changes.push(ArchiveChange::Drop { account, region, name, keys }.mutation());
                    }
                }
                for archive_id in orphans(reader, 16)? {
                    let keys = archived_before(reader, archive_id, i64::MAX, BATCH)?;
                    dropped += keys.len();
                    let change = if keys.is_empty() {
                        ArchiveChange::Swept { archive_id }
                    } else {
                        ArchiveChange::Drop { account: String::new(), region: String::new(), name: None, keys }
                    };
                    changes.push(change.mutation());
                }
                Ok((changes, dropped))
            })
            .await?;
        let (changes, dropped) = changes;
        if !changes.is_empty() {
            self.store.apply(changes).await.map_err(|e| EventsError::Storage(e.to_string()))?;
        }
        Ok(dropped)
    }
}
