//! Running replays: each active replay sends the next chunk of its archive's events of its time range back to its
//! bus, each event with a new id and `replay-name`, to the bus's rules (those the replay names, when it names
//! some); the chunk's deliveries commit with the replay's progress (the last event replayed and its time), only if
//! the replay is still in the state it was read in. A replay whose last chunk was short is COMPLETED; a
//! CANCELLING one becomes CANCELLED at its next turn. Replayed events are not archived again.

use skywatch_store::{Mutation, ReadError, Reader};

use super::storage::{ArchiveChange, active_replays, archived};
use super::{Replay, ReplayState};
use crate::delivery::metrics::Tally;
use crate::delivery::plan::RouteOptions;
use crate::envelope::replayed;
use crate::{Events, EventsError};

/// Events a replay sends a turn.
pub const CHUNK: usize = 100;
/// Replays advanced a turn.
const REPLAYS_A_TURN: usize = 64;

impl Events {
    /// Advances every active replay by one chunk at `now_ms`; how many replays moved.
    pub async fn run_replays(&self, now_ms: i64) -> Result<usize, EventsError> {
        let events = self.clone();
        let (changes, tally) = self
            .store
            .read(move |reader| {
                let mut tally = Tally::default();
                let mut changes = Vec::new();
                for (account, region, replay) in active_replays(reader, REPLAYS_A_TURN)? {
                    changes.push(events.advance(reader, (&account, &region), replay, now_ms, &mut tally)?);
                }
                Ok((changes, tally))
            })
            .await?;
        let moved = changes.len();
        if moved > 0 {
            self.commit_counted(changes, tally, now_ms).await?;
        }
        Ok(moved)
    }

    fn advance(
        &self,
        reader: &Reader,
        (account, region): (&str, &str),
        replay: Replay,
        now_ms: i64,
        tally: &mut Tally,
    ) -> Result<Mutation, ReadError> {
        let expected = replay.state;
        let mut next = replay.clone();
        let mut deliveries = Vec::new();
        if expected == ReplayState::Cancelling {
            next.state = ReplayState::Cancelled;
            next.ended_ms = Some(now_ms);
        } else {
            let range = (replay.event_start_ms, replay.event_end_ms);
            let chunk = archived(reader, replay.archive_id, range, replay.cursor, CHUNK)?;
            let options =
                RouteOptions { ingested_ms: now_ms, replay: Some(&replay.filter_arns), ..RouteOptions::default() };
            for (time_ms, id, event) in &chunk {
                let new_id = uuid::Uuid::new_v4().to_string();
                let Some(text) = replayed(event, &new_id, &replay.name) else { continue };
                let routed = self.route_with(reader, (account, region, &replay.bus), text, options, tally)?;
                deliveries.extend(routed.changes);
                next.cursor = Some((*time_ms, *id));
                next.last_replayed_ms = Some(*time_ms);
            }
            next.replayed += chunk.len() as u64;
            if chunk.len() < CHUNK {
                next.state = ReplayState::Completed;
                next.ended_ms = Some(now_ms);
            } else {
                next.state = ReplayState::Running;
            }
        }
        let change = ArchiveChange::Advance {
            account: account.to_owned(),
            region: region.to_owned(),
            replay: Box::new(next),
            expected,
            deliveries,
        };
        Ok(change.mutation())
    }
}
