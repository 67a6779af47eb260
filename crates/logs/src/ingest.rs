//! PutLogEvents' acceptance rules, as CloudWatch Logs applies them: a batch is refused whole when it is malformed
//! (more than 10,000 events or 1,048,576 bytes counting 26 bytes an event, out of chronological order, spanning
//! more than 24 hours); otherwise events more than 14 days old, older than the group's retention, or more than
//! two hours ahead are returned in `rejectedLogEventsInfo` and the rest are stored. Then [`build_block`] turns
//! the accepted events into a compressed (and, with a key, sealed) block.

use crate::LogsError;
use crate::block::{self, Event};
use crate::keys::Keyring;
use crate::storage::{BlockMeta, NewBlock, StoredBlock, block_place};

/// The most events a batch holds.
pub const MAX_EVENTS: usize = 10_000;
/// The most bytes a batch holds: the messages' UTF-8 bytes plus [`EVENT_OVERHEAD`] each.
pub const MAX_BATCH_BYTES: usize = 1_048_576;
/// What CloudWatch Logs adds to each event's message bytes when it counts a batch (and stored bytes).
pub const EVENT_OVERHEAD: usize = 26;
/// The widest time span of one batch.
pub const MAX_SPAN_MS: i64 = 24 * 3_600_000;
/// Events older than this are rejected as too old.
pub const MAX_AGE_MS: i64 = 14 * 86_400_000;
/// Events further ahead than this are rejected as too new.
pub const MAX_AHEAD_MS: i64 = 2 * 3_600_000;

/// One event as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputEvent {
    pub timestamp_ms: i64,
    pub message: String,
}

/// `rejectedLogEventsInfo`: indexes into the batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rejected {
    pub too_new_start: Option<usize>,
    pub too_old_end: Option<usize>,
    pub expired_end: Option<usize>,
}

impl Rejected {
    pub fn is_empty(&self) -> bool {
        *self == Rejected::default()
    }
}

/// Checks a batch and says which events (a contiguous run, as the batch is in time order) to store.
pub fn accept(
    events: &[InputEvent],
    now_ms: i64,
    retention_days: Option<u32>,
) -> Result<(std::ops::Range<usize>, Rejected), LogsError> {
    if events.is_empty() || events.len() > MAX_EVENTS {
        return Err(LogsError::constraint(
            "logEvents",
            &format!("[{} events]", events.len()),
            &format!(
                "Member must have length {}",
                if events.is_empty() { "greater than or equal to 1" } else { "less than or equal to 10000" }
            ),
        ));
    }
    let mut bytes = 0usize;
    for (index, event) in events.iter().enumerate() {
        if event.message.is_empty() {
            return Err(LogsError::constraint(
                &format!("logEvents.{}.member.message", index + 1),
                "",
                "Member must have length greater than or equal to 1",
            ));
        }
        if event.timestamp_ms < 0 {
            return Err(LogsError::constraint(
                &format!("logEvents.{}.member.timestamp", index + 1),
                &event.timestamp_ms.to_string(),
                "Member must have value greater than or equal to 0",
            ));
        }
        bytes = bytes.saturating_add(event.message.len() + EVENT_OVERHEAD);
    }
    if bytes > MAX_BATCH_BYTES {
        return Err(LogsError::InvalidParameter(format!(
            "Upload too large: {bytes} bytes exceeds limit of {MAX_BATCH_BYTES}"
        )));
    }
    if events.windows(2).any(|pair| pair[1].timestamp_ms < pair[0].timestamp_ms) {
        return Err(LogsError::InvalidParameter(
            "Log events in a single PutLogEvents request must be in chronological order.".into(),
        ));
    }
    let (first, last) = (events[0].timestamp_ms, events[events.len() - 1].timestamp_ms);
    if last.saturating_sub(first) > MAX_SPAN_MS {
        return Err(LogsError::InvalidParameter(
            "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.".into(),
        ));
    }
    let too_old = now_ms.saturating_sub(MAX_AGE_MS);
    let expired = retention_days.map(|days| now_ms.saturating_sub(i64::from(days) * 86_400_000));
    let too_new = now_ms.saturating_add(MAX_AHEAD_MS);
    let mut rejected = Rejected::default();
    let old_count = events.partition_point(|e| e.timestamp_ms < too_old);
    if old_count > 0 {
        rejected.too_old_end = Some(old_count - 1);
    }
    let expired_count = expired.map_or(0, |cut| events.partition_point(|e| e.timestamp_ms < cut));
    if expired_count > old_count {
        rejected.expired_end = Some(expired_count - 1);
    }
    let new_start = events.partition_point(|e| e.timestamp_ms <= too_new);
    if new_start < events.len() {
        rejected.too_new_start = Some(new_start);
    }
    let start = old_count.max(expired_count).min(new_start);
    Ok((start..new_start, rejected))
}

/// What CloudWatch Logs counts as an event's stored bytes.
pub fn event_bytes(message: &str) -> u64 {
    (message.len() + EVENT_OVERHEAD) as u64
}

/// The block of `events` (in time order, at least one) of stream `stream`, compressed, and sealed with `key`.
/// Blocking (compression and encryption): call it off the async runtime.
pub fn build_block(
    keys: &Keyring,
    (group_id, block_id): (u64, u64),
    (stream_id, stream): (u64, &str),
    events: &[Event],
    key: Option<&str>,
) -> Result<NewBlock, LogsError> {
    let plain = block::encode(events);
    let compressed = block::compress(&plain);
    let payload = match key {
        Some(arn) => keys.seal(arn, &block_place(group_id, block_id), &compressed)?,
        None => compressed,
    };
    let min_ts = events.iter().map(|e| e.timestamp_ms).min().unwrap_or(0);
    let max_ts = events.iter().map(|e| e.timestamp_ms).max().unwrap_or(0);
    let meta = BlockMeta {
        block_id,
        stream_id,
        stream: stream.to_owned(),
        min_ts,
        max_ts,
        count: u32::try_from(events.len()).unwrap_or(u32::MAX),
        plain_len: u32::try_from(plain.len()).unwrap_or(u32::MAX),
        event_bytes: events.iter().map(|e| event_bytes(&e.message)).sum(),
    };
    Ok(NewBlock { meta, stored: StoredBlock { key: key.map(str::to_owned), payload } })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    const DAY: i64 = 86_400_000;

    fn batch(times: &[i64]) -> Vec<InputEvent> {
        times.iter().map(|&t| InputEvent { timestamp_ms: t, message: "m".into() }).collect()
    }

    fn refusal(events: &[InputEvent]) -> String {
        match accept(events, NOW, None) {
            Err(LogsError::InvalidParameter(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// Issue 14: the rejected-events edge cases, as a table: (timestamps, retention, stored range, rejected).
    #[test]
    fn rejected_events_are_reported_by_index() {
        let two_hours = 2 * 3_600_000;
        type Case = (Vec<i64>, Option<u32>, std::ops::Range<usize>, Rejected);
        let cases: Vec<Case> = vec![
            (vec![NOW], None, 0..1, Rejected::default()),
            (vec![NOW - 14 * DAY, NOW - 13 * DAY], None, 0..2, Rejected::default()),
            (vec![NOW - DAY + two_hours, NOW + two_hours], None, 0..2, Rejected::default()),
            (
                vec![NOW - 14 * DAY - 1, NOW - 14 * DAY + 1],
                None,
                1..2,
                Rejected { too_old_end: Some(0), ..Default::default() },
            ),
            (vec![NOW, NOW + two_hours + 1], None, 0..1, Rejected { too_new_start: Some(1), ..Default::default() }),
            (
                vec![NOW - DAY - two_hours, NOW - DAY - 1, NOW - two_hours],
                Some(1),
                2..3,
                Rejected { expired_end: Some(1), ..Default::default() },
            ),
            (
                vec![NOW - 14 * DAY - two_hours, NOW - 14 * DAY + two_hours, NOW - 13 * DAY - two_hours],
                Some(1),
                3..3,
                Rejected { too_old_end: Some(0), expired_end: Some(2), ..Default::default() },
            ),
            (
                vec![NOW + two_hours + 1, NOW + two_hours + 2],
                None,
                0..0,
                Rejected { too_new_start: Some(0), ..Default::default() },
            ),
        ];
        for (times, retention, stored, rejected) in cases {
            let (range, got) = accept(&batch(&times), NOW, retention).unwrap();
            assert_eq!((range.clone(), got), (stored.clone(), rejected), "{times:?} retention {retention:?}");
        }
    }

    #[test]
    fn malformed_batches_are_refused_whole() {
        assert!(refusal(&batch(&[NOW, NOW - 1])).contains("chronological order"));
        assert!(refusal(&batch(&[NOW - DAY - 1, NOW])).contains("span more than 24 hours"));
        assert!(accept(&batch(&[NOW - DAY, NOW]), NOW, None).is_ok());
        let big = vec![InputEvent { timestamp_ms: NOW, message: "x".repeat(MAX_BATCH_BYTES - EVENT_OVERHEAD + 1) }];
        assert_eq!(refusal(&big), "Upload too large: 1048577 bytes exceeds limit of 1048576");
        let exact = vec![InputEvent { timestamp_ms: NOW, message: "x".repeat(MAX_BATCH_BYTES - EVENT_OVERHEAD) }];
        assert!(accept(&exact, NOW, None).is_ok());
        assert!(refusal(&batch(&vec![NOW; MAX_EVENTS + 1])).contains("less than or equal to 10000"));
        assert!(refusal(&[]).contains("greater than or equal to 1"));
        let empty = vec![InputEvent { timestamp_ms: NOW, message: String::new() }];
        assert!(refusal(&empty).contains("logEvents.1.member.message"));
        assert!(refusal(&batch(&[-1])).contains("logEvents.1.member.timestamp"));
    }
}
