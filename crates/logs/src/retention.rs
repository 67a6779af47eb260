//! Background upkeep of the log store: retention drops blocks whose every event is older than the group's retention
//! (reads already hide expired events in a block that straddles the cut), and the sweeper removes what deleted
//! groups and streams left. Both work in bounded batches, one commit each, so a group of millions of blocks never
//! makes one huge transaction, and both resume where they are after a restart (the orphans are in the store).

use std::ops::ControlFlow;

use skywatch_store::{Direction, Reader};

use crate::storage::{self, BlockMeta, LogsChange};
use crate::{Logs, LogsError};

/// Blocks removed in one commit.
pub const BATCH: usize = 512;

/// What one pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upkeep {
    pub expired_blocks: usize,
    pub swept_blocks: usize,
    pub swept_streams: usize,
}

/// The first timestamp still kept under `retention_days` at `now_ms`.
pub fn retention_cut(now_ms: i64, retention_days: Option<u32>) -> Option<i64> {
    retention_days.map(|days| now_ms.saturating_sub(i64::from(days) * 86_400_000))
}

fn expired_blocks(reader: &Reader, group_id: u64, cut: i64) -> Result<Vec<BlockMeta>, LogsError> {
    let mut out = Vec::new();
    storage::group_blocks(reader, group_id, ((i64::MIN, 0), (cut, 0)), Direction::Forward, |meta| {
        if meta.max_ts < cut {
            out.push(meta);
        }
        if out.len() >= BATCH { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

fn any_blocks(reader: &Reader, group_id: u64, stream_id: u64) -> Result<Vec<BlockMeta>, LogsError> {
    let mut out = Vec::new();
    let visit = |meta: BlockMeta| {
        out.push(meta);
        if out.len() >= BATCH { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    };
    let all = ((i64::MIN, 0), (i64::MAX, u64::MAX));
    if stream_id == 0 {
        storage::group_blocks(reader, group_id, all, Direction::Forward, visit)?;
    } else {
        storage::stream_blocks(reader, (group_id, stream_id), all, Direction::Forward, visit)?;
    }
    Ok(out)
}

impl Logs {
    /// One pass of retention over every group, then of the sweeper over every orphan.
    pub async fn upkeep(&self, now_ms: i64) -> Result<Upkeep, LogsError> {
        let mut done = Upkeep::default();
        let mut after: Option<Vec<u8>> = None;
        loop {
            let page = {
                let after = after.clone();
                self.store.read(move |r| storage::all_groups(r, after.as_deref(), 256)).await?
            };
            let Some((last, _)) = page.last() else { break };
            after = Some(last.clone());
            for (key, group) in page {
                let Some(cut) = retention_cut(now_ms, group.retention_days) else { continue };
                let mut owner = skywatch_store::KeyReader::new(&key);
                let (Some(account), Some(region)) = (owner.str(), owner.str()) else { continue };
                loop {
                    let id = group.id;
                    let blocks = self.store.read(move |r| Ok(expired_blocks(r, id, cut))).await??;
                    if blocks.is_empty() {
                        break;
                    }
                    done.expired_blocks += blocks.len();
                    let owner = Some((account.clone(), region.clone(), group.name.clone()));
                    let full = blocks.len() >= BATCH;
                    self.store.apply(vec![LogsChange::RemoveBlocks { owner, group_id: id, blocks }.mutation()]).await?;
                    if !full {
                        break;
                    }
                }
            }
        }
        let orphans = self.store.read(|r| storage::orphans(r, 1024)).await?;
        for (group_id, stream_id) in orphans {
            loop {
                let blocks = self.store.read(move |r| Ok(any_blocks(r, group_id, stream_id))).await??;
                if blocks.is_empty() {
                    break;
                }
                done.swept_blocks += blocks.len();
                let change = LogsChange::RemoveBlocks { owner: None, group_id, blocks };
                self.store.apply(vec![change.mutation()]).await?;
            }
            if stream_id == 0 {
                loop {
                    let names =
                        self.store.read(move |r| storage::streams_by_name(r, group_id, "", None, false, BATCH)).await?;
                    if names.is_empty() {
                        break;
                    }
                    done.swept_streams += names.len();
                    let names = names.into_iter().map(|s| (s.name, s.last_event_ms)).collect();
                    self.store.apply(vec![LogsChange::PurgeStreams { group_id, names }.mutation()]).await?;
                }
            }
            self.store.apply(vec![LogsChange::Swept { group_id, stream_id }.mutation()]).await?;
        }
        Ok(done)
    }

    /// Runs [`Logs::upkeep`] every `every` until the process ends.
    pub async fn run_upkeep(self, every: std::time::Duration, clock: impl Fn() -> i64 + Send + 'static) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match self.upkeep(clock()).await {
                Ok(done) if done != Upkeep::default() => tracing::info!(?done, "log store upkeep"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "log store upkeep failed"),
            }
        }
    }
}
