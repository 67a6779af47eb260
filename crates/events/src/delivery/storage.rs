//! Where delivery lives. An accepted event is kept once (`events_pending_v1`, with the count of its deliveries
//! still queued in `events_pending_refs_v1`) while its deliveries wait in the outbox (`events_outbox_v1`, by due
//! time), each naming its rule and a copy of the target as it was when the event matched. The commit that
//! settles a delivery takes it off the queue (back on, later, for a retry), updates its target's record
//! (`events_target_status_v1`), writes a dead letter (`events_dead_letters_v1`) when the target has a dead-letter
//! queue and the delivery is given up, and drops the event with its last delivery.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::model::Target;

/// (event id) -> [`PendingEvent`] (JSON).
pub const PENDING: Table = Table::new("events_pending_v1");
/// (event id) -> deliveries of it still queued (u32, big-endian).
pub const PENDING_REFS: Table = Table::new("events_pending_refs_v1");
/// (due ms, delivery id) -> [`Delivery`] (JSON).
pub const OUTBOX: Table = Table::new("events_outbox_v1");
/// (account, region, bus, rule, target id) -> [`TargetStatus`] (JSON).
pub const TARGET_STATUS: Table = Table::new("events_target_status_v1");
/// (queue ARN, dead letter id) -> [`DeadLetter`] (JSON).
pub const DEAD_LETTERS: Table = Table::new("events_dead_letters_v1");

/// Dead letters one queue keeps, at most (the oldest go first).
pub const MAX_DEAD_LETTERS: usize = 1000;

/// An event some deliveries still wait for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEvent {
    /// The event's JSON text, as delivered.
    pub event: String,
    /// When EventBridge took it, epoch ms.
    pub ingested_ms: i64,
    /// Buses it has passed through before the one that matched it (an event forwarded from one bus to another is
    /// not forwarded again).
    #[serde(default)]
    pub hops: u8,
}

/// A target's delivery of one event, waiting for its attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: u64,
    /// The [`PendingEvent`] delivered.
    pub event: u64,
    pub account: String,
    pub region: String,
    pub bus: String,
    pub rule: String,
    pub rule_arn: String,
    pub target: Target,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the event was taken (retries are bounded by the target's maximum event age from then).
    pub created_ms: i64,
    pub due_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// How a target's deliveries have gone (the console's delivery status).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetStatus {
    /// Deliveries made.
    pub delivered: u64,
    /// Deliveries given up.
    pub failed: u64,
    /// Given-up deliveries sent to the dead-letter queue.
    pub dead_lettered: u64,
    /// Attempts that failed and were retried.
    pub retried: u64,
    pub last_delivery_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_ms: Option<i64>,
}

/// An event a target could not get, as its dead-letter queue keeps it: the event and SQS message attributes
/// EventBridge sets (`RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`, `EXHAUSTED_RETRY_CONDITION`,
/// `RETRY_ATTEMPTS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub id: u64,
    pub body: String,
    pub attributes: Vec<(String, String)>,
    pub sent_ms: i64,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    Delivered,
    /// Not attempted (its API destination's rate): due again at `due_ms`, its attempts unchanged.
    Wait {
        due_ms: i64,
    },
    /// Tried again at `due_ms`.
    Retry {
        due_ms: i64,
        error: String,
    },
    /// Given up; kept in the dead-letter queue `queue` when there is one.
    Failed {
        error: String,
        dead_letter: Option<(String, DeadLetter)>,
    },
}

fn outbox_key(due_ms: i64, id: u64) -> Key {
    Key::new().i64(due_ms).u64(id)
}

fn status_key(delivery: &Delivery) -> Key {
    Key::new()
        .str(&delivery.account)
        .str(&delivery.region)
        .str(&delivery.bus)
        .str(&delivery.rule)
        .str(&delivery.target.id)
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

/// A change to the delivery tables.
#[derive(Debug, Clone)]
pub enum DeliveryChange {
    /// Keeps `event` (id `id`) for its `deliveries`, which are queued with it.
    Enqueue { id: u64, event: Box<PendingEvent>, deliveries: Vec<Delivery> },
    /// Takes a delivery off the queue (back on it, later, for a retry) and records the outcome.
    Settle { delivery: Box<Delivery>, settled: Settled, now_ms: i64 },
}

impl DeliveryChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for DeliveryChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            DeliveryChange::Enqueue { id, event, deliveries } => {
                if deliveries.is_empty() {
                    return Ok(());
                }
                let key = Key::new().u64(*id);
                tx.put(PENDING, key.as_bytes(), &json(event)?)?;
                let refs = u32::try_from(deliveries.len()).unwrap_or(u32::MAX);
                tx.put(PENDING_REFS, key.as_bytes(), &refs.to_be_bytes())?;
                for delivery in deliveries {
                    tx.put(OUTBOX, outbox_key(delivery.due_ms, delivery.id).as_bytes(), &json(delivery)?)?;
                }
                Ok(())
            }
            DeliveryChange::Settle { delivery, settled, now_ms } => settle(tx, delivery, settled, *now_ms),
        }
    }
}

fn settle(tx: &mut Tx<'_>, delivery: &Delivery, settled: &Settled, now_ms: i64) -> Result<(), WriteError> {
    let queued = outbox_key(delivery.due_ms, delivery.id);
    if tx.get(OUTBOX, queued.as_bytes())?.is_none() {
        // Settled already (a round that overlapped a restart); nothing more to count.
        return Ok(());
    }
    tx.remove(OUTBOX, queued.as_bytes())?;
    if let Settled::Wait { due_ms } = settled {
        let next = Delivery { due_ms: *due_ms, ..delivery.clone() };
        return tx.put(OUTBOX, outbox_key(next.due_ms, next.id).as_bytes(), &json(&next)?);
    }
    match settled {
        Settled::Retry { due_ms, error } => {
            let next = Delivery {
                due_ms: *due_ms,
                attempts: delivery.attempts.saturating_add(1),
                last_error: Some(error.clone()),
                ..delivery.clone()
            };
            tx.put(OUTBOX, outbox_key(next.due_ms, next.id).as_bytes(), &json(&next)?)?;
        }
        Settled::Delivered | Settled::Failed { .. } => release(tx, delivery.event)?,
        Settled::Wait { .. } => {}
    }
    if let Settled::Failed { dead_letter: Some((queue, letter)), .. } = settled {
        tx.put(DEAD_LETTERS, Key::new().str(queue).u64(letter.id).as_bytes(), &json(letter)?)?;
        // A queue keeps its newest letters, as an SQS queue's retention would drop the oldest.
        let kept = tx.keys_with_prefix(DEAD_LETTERS, &Key::new().str(queue), MAX_DEAD_LETTERS + 1)?;
        if kept.len() > MAX_DEAD_LETTERS
            && let Some(oldest) = kept.first()
        {
            tx.remove(DEAD_LETTERS, oldest)?;
        }
    }
    let key = status_key(delivery);
    let target = Key::new()
        .str(&delivery.account)
        .str(&delivery.region)
        .str(&delivery.bus)
        .str(&delivery.rule)
        .str(&delivery.target.id);
    if tx.get(crate::storage::TARGETS, target.as_bytes())?.is_none() {
        // The record is kept only while the target exists.
        return Ok(());
    }
    let mut status: TargetStatus =
        tx.get(TARGET_STATUS, key.as_bytes())?.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
    match settled {
        Settled::Delivered => {
            status.delivered += 1;
            status.last_delivery_ms = Some(now_ms);
        }
        Settled::Retry { error, .. } => {
            status.retried += 1;
            status.last_error = Some(error.clone());
            status.last_error_ms = Some(now_ms);
        }
        Settled::Wait { .. } => {}
        Settled::Failed { error, dead_letter } => {
            status.failed += 1;
            status.dead_lettered += u64::from(dead_letter.is_some());
            status.last_error = Some(error.clone());
            status.last_error_ms = Some(now_ms);
        }
    }
    tx.put(TARGET_STATUS, key.as_bytes(), &json(&status)?)
}

/// One delivery of event `id` is done: the event goes with its last one.
fn release(tx: &mut Tx<'_>, id: u64) -> Result<(), WriteError> {
    let key = Key::new().u64(id);
    let left = tx
        .get(PENDING_REFS, key.as_bytes())?
        .and_then(|b| <[u8; 4]>::try_from(b.as_slice()).ok())
        .map_or(0, u32::from_be_bytes);
    if left <= 1 {
        tx.remove(PENDING_REFS, key.as_bytes())?;
        tx.remove(PENDING, key.as_bytes())
    } else {
        tx.put(PENDING_REFS, key.as_bytes(), &(left - 1).to_be_bytes())
    }
}

/// Removes the delivery records of the targets of a rule (deleted, or losing those targets).
pub(crate) fn forget_targets(
    tx: &mut Tx<'_>,
    (account, region, bus, rule): (&str, &str, &str, &str),
    ids: Option<&[String]>,
) -> Result<(), WriteError> {
    let base = Key::new().str(account).str(region).str(bus).str(rule);
    match ids {
        Some(ids) => {
            for id in ids {
                tx.remove(TARGET_STATUS, base.clone().str(id).as_bytes())?;
            }
        }
        None => {
            for key in tx.keys_with_prefix(TARGET_STATUS, &base, 1024)? {
                tx.remove(TARGET_STATUS, &key)?;
            }
        }
    }
    Ok(())
}

/// Up to `limit` deliveries due by `now_ms`, soonest first.
pub fn due(reader: &Reader, now_ms: i64, limit: usize) -> Result<Vec<Delivery>, ReadError> {
    let end = Key::new().i64(now_ms.saturating_add(1));
    let mut out = Vec::new();
    reader.scan(OUTBOX, (None, Some(end.as_bytes())), Direction::Forward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(delivery) = serde_json::from_slice::<Delivery>(value) {
            out.push(delivery);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// When the soonest queued delivery is due, if any is queued.
pub fn next_due(reader: &Reader) -> Result<Option<i64>, ReadError> {
    let mut next = None;
    reader.scan(OUTBOX, (None, None), Direction::Forward, |key, _| {
        next = skywatch_store::KeyReader::new(key).i64();
        ControlFlow::Break(())
    })?;
    Ok(next)
}

/// The event a delivery delivers.
pub fn pending_event(reader: &Reader, id: u64) -> Result<Option<PendingEvent>, ReadError> {
    reader
        .get(PENDING, Key::new().u64(id).as_bytes())?
        .map(|b| serde_json::from_slice(&b).map_err(|_| ReadError::Corrupt("pending event".into())))
        .transpose()
}

/// How a target's deliveries have gone.
pub fn target_status(
    reader: &Reader,
    (account, region, bus, rule): (&str, &str, &str, &str),
    id: &str,
) -> Result<TargetStatus, ReadError> {
    let key = Key::new().str(account).str(region).str(bus).str(rule).str(id);
    Ok(reader.get(TARGET_STATUS, key.as_bytes())?.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default())
}

/// The dead letters in queue `queue`, oldest first, up to `limit`.
pub fn dead_letters(reader: &Reader, queue: &str, limit: usize) -> Result<Vec<DeadLetter>, ReadError> {
    let base = Key::new().str(queue);
    let end = base.prefix_end();
    let mut out = Vec::new();
    reader.scan(DEAD_LETTERS, (Some(base.as_bytes()), end.as_deref()), Direction::Forward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(letter) = serde_json::from_slice(value) {
            out.push(letter);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}
