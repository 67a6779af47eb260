//! Where topics live: topics (`sns_topics_v1`), subscriptions (`sns_subscriptions_v1`, under their topic), the
//! outbox of deliveries not yet made (`sns_outbox_v1`, by due time), and each subscription's delivery log
//! (`sns_delivery_log_v1`). Values are JSON. A delivery is written with the call that caused it and removed in
//! the same commit that logs its outcome, so none is lost or made twice across a restart.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::model::{Subscription, Topic};

/// (account, region, topic name) -> [`Topic`].
pub const TOPICS: Table = Table::new("sns_topics_v1");
/// (account, region, topic name, subscription id) -> [`Subscription`].
pub const SUBSCRIPTIONS: Table = Table::new("sns_subscriptions_v1");
/// (due ms, delivery id) -> [`Delivery`].
pub const OUTBOX: Table = Table::new("sns_outbox_v1");
/// (subscription id, time ms, sequence) -> [`LogEntry`].
pub const DELIVERY_LOG: Table = Table::new("sns_delivery_log_v1");

/// Every table of the topic service.
pub const TABLES: &[Table] = &[TOPICS, SUBSCRIPTIONS, OUTBOX, DELIVERY_LOG];

/// Entries kept in one subscription's delivery log; older ones are dropped as new ones arrive.
pub const LOG_ENTRIES_KEPT: usize = 200;

/// A post waiting to be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: String,
    pub account: String,
    pub region: String,
    pub topic_arn: String,
    pub subscription_id: String,
    pub endpoint: String,
    /// `Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`.
    pub message_type: String,
    pub message_id: String,
    pub body: String,
    pub raw: bool,
    /// Attempts made so far.
    pub attempts: u32,
    pub created_ms: i64,
    pub due_ms: i64,
}

impl Delivery {
    pub fn subscription_arn(&self) -> String {
        format!("{}:{}", self.topic_arn, self.subscription_id)
    }
}

/// One attempt, as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub time_ms: i64,
    pub message_id: String,
    pub message_type: String,
    pub attempt: u32,
    /// The endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// `delivered`, `retrying` or `failed`.
    pub outcome: String,
    pub error: Option<String>,
    pub duration_ms: i64,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

fn topic_key(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

fn subscription_key(account: &str, region: &str, topic: &str, id: &str) -> Key {
    topic_key(account, region, topic).str(id)
}

fn outbox_key(due_ms: i64, id: &str) -> Key {
    Key::new().i64(due_ms).str(id)
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

/// A change to the topic tables.
#[derive(Debug, Clone)]
pub enum SnsChange {
    PutTopic {
        account: String,
        region: String,
        topic: Topic,
    },
    /// Deletes a topic and every subscription of it.
    DeleteTopic {
        account: String,
        region: String,
        name: String,
        subscriptions: Vec<String>,
    },
    PutSubscription {
        account: String,
        region: String,
        topic: String,
        subscription: Box<Subscription>,
    },
    DeleteSubscription {
        account: String,
        region: String,
        topic: String,
        id: String,
    },
    /// Marks a pending subscription confirmed, if it still exists.
    Confirm {
        account: String,
        region: String,
        topic: String,
        id: String,
    },
    Enqueue(Box<Delivery>),
    /// Removes a delivery from the outbox and logs the attempt; `retry` puts it back with a new due time.
    Attempted {
        delivery: Box<Delivery>,
        entry: LogEntry,
        retry: Option<i64>,
    },
}

impl SnsChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for SnsChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            SnsChange::PutTopic { account, region, topic } => {
                tx.put(TOPICS, topic_key(account, region, &topic.name).as_bytes(), &json(topic)?)
            }
            SnsChange::DeleteTopic { account, region, name, subscriptions } => {
                tx.remove(TOPICS, topic_key(account, region, name).as_bytes())?;
                for id in subscriptions {
                    tx.remove(SUBSCRIPTIONS, subscription_key(account, region, name, id).as_bytes())?;
                }
                Ok(())
            }
            SnsChange::PutSubscription { account, region, topic, subscription } => {
                // Only under a topic that still exists.
                if tx.get(TOPICS, topic_key(account, region, topic).as_bytes())?.is_none() {
                    return Ok(());
                }
                let key = subscription_key(account, region, topic, &subscription.id);
                tx.put(SUBSCRIPTIONS, key.as_bytes(), &json(subscription)?)
            }
            SnsChange::DeleteSubscription { account, region, topic, id } => {
                tx.remove(SUBSCRIPTIONS, subscription_key(account, region, topic, id).as_bytes())
            }
            SnsChange::Confirm { account, region, topic, id } => {
                let key = subscription_key(account, region, topic, id);
                let Some(bytes) = tx.get(SUBSCRIPTIONS, key.as_bytes())? else { return Ok(()) };
                let Ok(mut subscription) = serde_json::from_slice::<Subscription>(&bytes) else { return Ok(()) };
                subscription.confirmed = true;
                tx.put(SUBSCRIPTIONS, key.as_bytes(), &json(&subscription)?)
            }
            SnsChange::Enqueue(delivery) => {
                tx.put(OUTBOX, outbox_key(delivery.due_ms, &delivery.id).as_bytes(), &json(delivery)?)
            }
            SnsChange::Attempted { delivery, entry, retry } => {
                tx.remove(OUTBOX, outbox_key(delivery.due_ms, &delivery.id).as_bytes())?;
                if let Some(due_ms) = retry {
                    let next = Delivery { due_ms: *due_ms, attempts: delivery.attempts + 1, ..(**delivery).clone() };
                    tx.put(OUTBOX, outbox_key(next.due_ms, &next.id).as_bytes(), &json(&next)?)?;
                }
                let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
                let key = Key::new().str(&delivery.subscription_id).i64(entry.time_ms).u64(sequence);
                tx.put(DELIVERY_LOG, key.as_bytes(), &json(entry)?)
            }
        }
    }
}

fn corrupt(what: &str) -> ReadError {
    ReadError::Corrupt(what.to_owned())
}

/// Topic `name`.
pub fn topic(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Topic>, ReadError> {
    reader
        .get(TOPICS, topic_key(account, region, name).as_bytes())?
        .map(|bytes| serde_json::from_slice(&bytes).map_err(|_| corrupt("topic")))
        .transpose()
}

/// Up to `limit` topics of `account` and `region` by name, after `after`.
pub fn topics(
    reader: &Reader,
    account: &str,
    region: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Topic>, ReadError> {
    let base = Key::new().str(account).str(region);
    let end = base.prefix_end();
    let from = match after {
        Some(after) => {
            let mut past = topic_key(account, region, after).into_bytes();
            past.push(0);
            past
        }
        None => base.into_bytes(),
    };
    let mut out = Vec::new();
    reader.scan(TOPICS, (Some(&from), end.as_deref()), Direction::Forward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(topic) = serde_json::from_slice::<Topic>(value) {
            out.push(topic);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// The subscriptions of topic `name`, by id, after `after`, up to `limit`.
pub fn subscriptions(
    reader: &Reader,
    account: &str,
    region: &str,
    name: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Subscription>, ReadError> {
    let base = topic_key(account, region, name);
    let end = base.prefix_end();
    let from = match after {
        Some(after) => {
            let mut past = subscription_key(account, region, name, after).into_bytes();
            past.push(0);
            past
        }
        None => base.into_bytes(),
    };
    let mut out = Vec::new();
    reader.scan(SUBSCRIPTIONS, (Some(&from), end.as_deref()), Direction::Forward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(subscription) = serde_json::from_slice::<Subscription>(value) {
            out.push(subscription);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Subscription `id` of topic `name`.
pub fn subscription(
    reader: &Reader,
    account: &str,
    region: &str,
    name: &str,
    id: &str,
) -> Result<Option<Subscription>, ReadError> {
    reader
        .get(SUBSCRIPTIONS, subscription_key(account, region, name, id).as_bytes())?
        .map(|bytes| serde_json::from_slice(&bytes).map_err(|_| corrupt("subscription")))
        .transpose()
}

/// Up to `limit` deliveries due by `now_ms`, soonest first.
pub fn due(reader: &Reader, now_ms: i64, limit: usize) -> Result<Vec<Delivery>, ReadError> {
    let end = Key::new().i64(now_ms.saturating_add(1)).into_bytes();
    let mut out = Vec::new();
    reader.scan(OUTBOX, (None, Some(&end)), Direction::Forward, |_, value| {
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

/// When the next delivery is due, if any is waiting.
pub fn next_due(reader: &Reader) -> Result<Option<i64>, ReadError> {
    let mut next = None;
    reader.scan(OUTBOX, (None, None), Direction::Forward, |key, _| {
        next = KeyReader::new(key).i64();
        ControlFlow::Break(())
    })?;
    Ok(next)
}

/// How many deliveries are waiting.
pub fn waiting(reader: &Reader) -> Result<u64, ReadError> {
    reader.len(OUTBOX)
}

/// A subscription's delivery log, newest first, up to `limit` entries.
pub fn delivery_log(reader: &Reader, subscription_id: &str, limit: usize) -> Result<Vec<LogEntry>, ReadError> {
    let base = Key::new().str(subscription_id);
    let end = base.prefix_end();
    let mut out = Vec::new();
    reader.scan(DELIVERY_LOG, (Some(base.as_bytes()), end.as_deref()), Direction::Backward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(entry) = serde_json::from_slice::<LogEntry>(value) {
            out.push(entry);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// The log keys of a subscription beyond the newest [`LOG_ENTRIES_KEPT`], to drop.
pub fn log_overflow(reader: &Reader, subscription_id: &str) -> Result<Vec<Vec<u8>>, ReadError> {
    let base = Key::new().str(subscription_id);
    let end = base.prefix_end();
    let mut seen = 0usize;
    let mut old = Vec::new();
    reader.scan(DELIVERY_LOG, (Some(base.as_bytes()), end.as_deref()), Direction::Backward, |key, _| {
        seen += 1;
        if seen > LOG_ENTRIES_KEPT {
            old.push(key.to_vec());
        }
        ControlFlow::Continue(())
    })?;
    Ok(old)
}

/// Drops log entries by key.
#[derive(Debug, Clone)]
pub struct DropLogEntries(pub Vec<Vec<u8>>);

impl Change for DropLogEntries {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        for key in &self.0 {
            tx.remove(DELIVERY_LOG, key)?;
        }
        Ok(())
    }
}
