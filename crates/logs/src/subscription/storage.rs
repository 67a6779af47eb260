//! Where subscription filters live (`logs_subscription_filters_v1`, by account, region, group and name), the
//! queue of deliveries not yet made (`logs_subscription_outbox_v1`, by due time), and each filter's delivery
//! record (`logs_subscription_status_v1`: deliveries made and given up, the last error). A delivery is queued in
//! the commit that stored its events and leaves the queue in the commit that records its outcome.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, Mutation, ReadError, Reader, Table, Tx, WriteError};

use super::payload::Payload;
use super::{MAX_SUBSCRIPTION_FILTERS, SubscriptionFilter};
use crate::storage::{group_key, read_group};

/// (account, region, group, filter name) -> [`SubscriptionFilter`] (JSON).
pub const SUBSCRIPTION_FILTERS: Table = Table::new("logs_subscription_filters_v1");
/// (due ms, delivery id) -> [`Delivery`] (JSON).
pub const OUTBOX: Table = Table::new("logs_subscription_outbox_v1");
/// (account, region, group, filter name) -> [`DeliveryStatus`] (JSON).
pub const STATUS: Table = Table::new("logs_subscription_status_v1");

/// A payload waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: u64,
    pub account: String,
    pub region: String,
    pub log_group: String,
    pub filter_name: String,
    pub destination_arn: String,
    pub payload: Payload,
    /// Attempts made so far.
    pub attempts: u32,
    pub created_ms: i64,
    pub due_ms: i64,
    pub last_error: Option<String>,
}

/// How a filter's deliveries have gone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryStatus {
    pub delivered: u64,
    pub events_delivered: u64,
    pub failed: u64,
    pub last_delivery_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_ms: Option<i64>,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    Delivered,
    /// Tried again at `due_ms`.
    Retry {
        due_ms: i64,
        error: String,
    },
    /// Given up.
    Dropped {
        error: String,
    },
}

fn filter_prefix(account: &str, region: &str, group: &str) -> Key {
    Key::new().str(account).str(region).str(group)
}

fn filter_key(account: &str, region: &str, group: &str, name: &str) -> Key {
    filter_prefix(account, region, group).str(name)
}

fn outbox_key(due_ms: i64, id: u64) -> Key {
    Key::new().i64(due_ms).u64(id)
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

/// A change to the subscription tables.
#[derive(Debug, Clone)]
pub enum SubscriptionChange {
    /// Creates or replaces a filter, if its group still exists, and queues its control message.
    Put {
        account: String,
        region: String,
        filter: Box<SubscriptionFilter>,
        control: Option<Box<Delivery>>,
    },
    Delete {
        account: String,
        region: String,
        group: String,
        name: String,
    },
    Enqueue(Box<Delivery>),
    /// Takes a delivery off the queue (back on it, later, for a retry) and records the outcome.
    Settle {
        delivery: Box<Delivery>,
        settled: Settled,
        now_ms: i64,
    },
}

impl SubscriptionChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for SubscriptionChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            SubscriptionChange::Put { account, region, filter, control } => {
                if read_group(tx, &group_key(account, region, &filter.log_group_name))?.is_none() {
                    return Ok(());
                }
                let key = filter_key(account, region, &filter.log_group_name, &filter.filter_name);
                tx.put(SUBSCRIPTION_FILTERS, key.as_bytes(), &json(filter)?)?;
                if let Some(control) = control {
                    tx.put(OUTBOX, outbox_key(control.due_ms, control.id).as_bytes(), &json(control)?)?;
                }
                Ok(())
            }
            SubscriptionChange::Delete { account, region, group, name } => {
                let key = filter_key(account, region, group, name);
                tx.remove(SUBSCRIPTION_FILTERS, key.as_bytes())?;
                tx.remove(STATUS, key.as_bytes())
            }
            SubscriptionChange::Enqueue(delivery) => {
                tx.put(OUTBOX, outbox_key(delivery.due_ms, delivery.id).as_bytes(), &json(delivery)?)
            }
            SubscriptionChange::Settle { delivery, settled, now_ms } => settle(tx, delivery, settled, *now_ms),
        }
    }
}

fn settle(tx: &mut Tx<'_>, delivery: &Delivery, settled: &Settled, now_ms: i64) -> Result<(), WriteError> {
    tx.remove(OUTBOX, outbox_key(delivery.due_ms, delivery.id).as_bytes())?;
    if let Settled::Retry { due_ms, error } = settled {
        let next = Delivery {
            due_ms: *due_ms,
            attempts: delivery.attempts.saturating_add(1),
            last_error: Some(error.clone()),
            ..delivery.clone()
        };
        tx.put(OUTBOX, outbox_key(next.due_ms, next.id).as_bytes(), &json(&next)?)?;
    }
    // The record is kept only while the filter exists.
    let key = filter_key(&delivery.account, &delivery.region, &delivery.log_group, &delivery.filter_name);
    if tx.get(SUBSCRIPTION_FILTERS, key.as_bytes())?.is_none() {
        return Ok(());
    }
    let mut status: DeliveryStatus =
        tx.get(STATUS, key.as_bytes())?.and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
    match settled {
        Settled::Delivered => {
            status.delivered += 1;
            status.events_delivered += delivery.payload.log_events.len() as u64;
            status.last_delivery_ms = Some(now_ms);
        }
        Settled::Retry { error, .. } => {
            status.last_error = Some(error.clone());
            status.last_error_ms = Some(now_ms);
        }
        Settled::Dropped { error } => {
            status.failed += 1;
            status.last_error = Some(error.clone());
            status.last_error_ms = Some(now_ms);
        }
    }
    tx.put(STATUS, key.as_bytes(), &json(&status)?)
}

/// Removes the filters (and their records) of a group being deleted.
pub(crate) fn delete_group_filters(
    tx: &mut Tx<'_>,
    account: &str,
    region: &str,
    group: &str,
) -> Result<(), WriteError> {
    let prefix = filter_prefix(account, region, group);
    for key in tx.keys_with_prefix(SUBSCRIPTION_FILTERS, &prefix, MAX_SUBSCRIPTION_FILTERS * 4)? {
        tx.remove(SUBSCRIPTION_FILTERS, &key)?;
        tx.remove(STATUS, &key)?;
    }
    Ok(())
}

/// The subscription filters of a group whose names start with `prefix`, by name.
pub fn subscription_filters(
    reader: &Reader,
    (account, region): (&str, &str),
    group: &str,
    prefix: &str,
) -> Result<Vec<SubscriptionFilter>, ReadError> {
    let base = filter_prefix(account, region, group).str_prefix(prefix);
    let end = base.prefix_end();
    let mut out = Vec::new();
    reader.scan(SUBSCRIPTION_FILTERS, (Some(base.as_bytes()), end.as_deref()), Direction::Forward, |_, value| {
        if let Ok(filter) = serde_json::from_slice::<SubscriptionFilter>(value) {
            out.push(filter);
        }
        if out.len() > MAX_SUBSCRIPTION_FILTERS * 4 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

/// The delivery record of filter `name` of a group.
pub fn delivery_status(
    reader: &Reader,
    (account, region): (&str, &str),
    group: &str,
    name: &str,
) -> Result<DeliveryStatus, ReadError> {
    let key = filter_key(account, region, group, name);
    Ok(reader.get(STATUS, key.as_bytes())?.and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default())
}

/// Up to `limit` deliveries due by `now_ms` (and at most about `max_bytes` of them), soonest first.
pub fn due(reader: &Reader, now_ms: i64, limit: usize, max_bytes: usize) -> Result<Vec<Delivery>, ReadError> {
    let end = Key::new().i64(now_ms.saturating_add(1));
    let mut out = Vec::new();
    let mut bytes = 0usize;
    reader.scan(OUTBOX, (None, Some(end.as_bytes())), Direction::Forward, |_, value| {
        if out.len() >= limit || (bytes >= max_bytes && !out.is_empty()) {
            return ControlFlow::Break(());
        }
        bytes += value.len();
        if let Ok(delivery) = serde_json::from_slice::<Delivery>(value) {
            out.push(delivery);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// How many deliveries are queued, counting at most `limit`.
pub fn queued(reader: &Reader, limit: usize) -> Result<usize, ReadError> {
    let mut count = 0;
    reader.scan(OUTBOX, (None, None), Direction::Forward, |_, _| {
        count += 1;
        if count >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(count)
}
