//! Where alarms live: their configurations (`alarms_v1`), their states (`alarm_states_v1`), and their history
//! (`alarm_history_v1` by time, `alarm_history_by_alarm_v1` by alarm), all keyed by account and region; values are
//! JSON. Changes that depend on what is stored (a state written only while its alarm exists and is as the
//! evaluator read it, tags and action switches changed in place) read inside the commit, so they cannot race.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::definition::{Alarm, AlarmType};
use crate::status::Status;

/// Alarm configurations: (account, region, name) -> [`Alarm`] as JSON.
pub const ALARMS: Table = Table::new("alarms_v1");
/// Alarm states: (account, region, name) -> [`Status`] as JSON.
pub const STATES: Table = Table::new("alarm_states_v1");
/// History: (account, region, time ms, sequence) -> [`HistoryItem`] as JSON.
pub const HISTORY: Table = Table::new("alarm_history_v1");
/// History by alarm: (account, region, name, time ms, sequence) -> nothing.
pub const HISTORY_BY_ALARM: Table = Table::new("alarm_history_by_alarm_v1");

/// Every table of the alarm service.
pub const TABLES: &[Table] = &[ALARMS, STATES, HISTORY, HISTORY_BY_ALARM];

/// One alarm history entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub name: String,
    pub alarm_type: String,
    pub timestamp_ms: i64,
    /// `ConfigurationUpdate`, `StateUpdate` or `Action`.
    pub item_type: String,
    pub summary: String,
    /// JSON text.
    pub data: String,
}

impl HistoryItem {
    pub fn new(alarm: &Alarm, timestamp_ms: i64, item_type: &str, summary: String, data: String) -> Self {
        Self {
            name: alarm.name.clone(),
            alarm_type: alarm.alarm_type().as_str().to_owned(),
            timestamp_ms,
            item_type: item_type.to_owned(),
            summary,
            data,
        }
    }
}

/// Orders history entries written in the same millisecond (unique within the process; a restart takes longer
/// than a millisecond, so keys never collide).
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

fn key(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

/// A change to the alarm tables.
#[derive(Debug, Clone)]
pub enum AlarmChange {
    /// Insert or replace a configuration; a new alarm gets `initial` as its state, an existing one keeps its own.
    Put { account: String, region: String, alarm: Box<Alarm>, initial: Status },
    /// Sets an alarm's state if the alarm exists and, when `expected_updated_ms` is given, its stored state was
    /// last updated then (the state an evaluation was computed from); with it, the history entries and the
    /// changes its actions make (deliveries to topics), applied only if the state is.
    SetState {
        account: String,
        region: String,
        name: String,
        expected_updated_ms: Option<i64>,
        status: Box<Status>,
        history: Vec<HistoryItem>,
        carried: Vec<Mutation>,
    },
    /// Deletes an alarm and its state (its history stays, as in CloudWatch).
    Delete { account: String, region: String, name: String },
    /// Turns an existing alarm's actions on or off.
    ActionsEnabled { account: String, region: String, name: String, enabled: bool },
    /// Adds or replaces tags, then removes keys, on an existing alarm.
    Tags { account: String, region: String, name: String, set: Vec<(String, String)>, remove: Vec<String> },
    /// Appends history entries.
    History { account: String, region: String, items: Vec<HistoryItem> },
}

impl AlarmChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

fn to_json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

fn stored_alarm(tx: &mut Tx<'_>, key: &Key) -> Result<Option<Alarm>, WriteError> {
    Ok(tx.get(ALARMS, key.as_bytes())?.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

fn put_history(tx: &mut Tx<'_>, account: &str, region: &str, items: &[HistoryItem]) -> Result<(), WriteError> {
    for item in items {
        let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let by_time = Key::new().str(account).str(region).i64(item.timestamp_ms).u64(sequence);
        let by_alarm = Key::new().str(account).str(region).str(&item.name).i64(item.timestamp_ms).u64(sequence);
        tx.put(HISTORY, by_time.as_bytes(), &to_json(item)?)?;
        tx.put(HISTORY_BY_ALARM, by_alarm.as_bytes(), &[])?;
    }
    Ok(())
}

impl Change for AlarmChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            AlarmChange::Put { account, region, alarm, initial } => {
                let key = key(account, region, &alarm.name);
                tx.put(ALARMS, key.as_bytes(), &to_json(alarm)?)?;
                if tx.get(STATES, key.as_bytes())?.is_none() {
                    tx.put(STATES, key.as_bytes(), &to_json(initial)?)?;
                }
                Ok(())
            }
            AlarmChange::SetState { account, region, name, expected_updated_ms, status, history, carried } => {
                let key = key(account, region, name);
                if tx.get(ALARMS, key.as_bytes())?.is_none() {
                    return Ok(());
                }
                if let Some(expected) = expected_updated_ms {
                    let current: Option<Status> =
                        tx.get(STATES, key.as_bytes())?.and_then(|bytes| serde_json::from_slice(&bytes).ok());
                    if current.is_some_and(|current| current.updated_ms != *expected) {
                        return Ok(());
                    }
                }
                tx.put(STATES, key.as_bytes(), &to_json(status)?)?;
                put_history(tx, account, region, history)?;
                carried.iter().try_for_each(|change| change.apply(tx))
            }
            AlarmChange::Delete { account, region, name } => {
                let key = key(account, region, name);
                tx.remove(ALARMS, key.as_bytes())?;
                tx.remove(STATES, key.as_bytes())
            }
            AlarmChange::ActionsEnabled { account, region, name, enabled } => {
                let key = key(account, region, name);
                if let Some(mut alarm) = stored_alarm(tx, &key)? {
                    alarm.actions.enabled = *enabled;
                    tx.put(ALARMS, key.as_bytes(), &to_json(&alarm)?)?;
                }
                Ok(())
            }
            AlarmChange::Tags { account, region, name, set, remove } => {
                let key = key(account, region, name);
                if let Some(mut alarm) = stored_alarm(tx, &key)? {
                    for (tag, value) in set {
                        match alarm.tags.iter_mut().find(|(k, _)| k == tag) {
                            Some(existing) => existing.1 = value.clone(),
                            None => alarm.tags.push((tag.clone(), value.clone())),
                        }
                    }
                    alarm.tags.retain(|(k, _)| !remove.contains(k));
                    tx.put(ALARMS, key.as_bytes(), &to_json(&alarm)?)?;
                }
                Ok(())
            }
            AlarmChange::History { account, region, items } => put_history(tx, account, region, items),
        }
    }
}

fn corrupt(what: &str) -> ReadError {
    ReadError::Corrupt(what.to_owned())
}

/// Alarm `name` of `account` in `region`.
pub fn alarm(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Alarm>, ReadError> {
    reader
        .get(ALARMS, key(account, region, name).as_bytes())?
        .map(|bytes| serde_json::from_slice(&bytes).map_err(|_| corrupt("alarm")))
        .transpose()
}

/// The state of alarm `name`.
pub fn status(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Status>, ReadError> {
    reader
        .get(STATES, key(account, region, name).as_bytes())?
        .map(|bytes| serde_json::from_slice(&bytes).map_err(|_| corrupt("alarm state")))
        .transpose()
}

/// Visits the alarms of `account` and `region` whose names start with `prefix`, by name, from just after `after`,
/// until `visit` breaks.
pub fn each_alarm(
    reader: &Reader,
    account: &str,
    region: &str,
    prefix: &str,
    after: Option<&str>,
    mut visit: impl FnMut(Alarm) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let start = Key::new().str(account).str(region).str_prefix(prefix);
    let end = start.prefix_end();
    let from = match after {
        Some(after) if after >= prefix => {
            let mut past = key(account, region, after).into_bytes();
            past.push(0);
            past
        }
        _ => start.into_bytes(),
    };
    let mut failed = None;
    reader.scan(
        ALARMS,
        (Some(&from), end.as_deref()),
        Direction::Forward,
        |_, value| match serde_json::from_slice::<Alarm>(value) {
            Ok(alarm) => visit(alarm),
            Err(_) => {
                failed = Some(corrupt("alarm"));
                ControlFlow::Break(())
            }
        },
    )?;
    failed.map_or(Ok(()), Err)
}

/// One stored alarm: its account, region, configuration and state.
pub type StoredAlarm = (String, String, Alarm, Option<Status>);

/// Every alarm of every account and region with its state: what one evaluation cycle works from.
pub fn everything(reader: &Reader) -> Result<Vec<StoredAlarm>, ReadError> {
    let mut alarms = Vec::new();
    let mut skipped = 0usize;
    reader.scan(ALARMS, (None, None), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        match (parts.str(), parts.str(), serde_json::from_slice::<Alarm>(value)) {
            (Some(account), Some(region), Ok(alarm)) => alarms.push((account, region, alarm)),
            _ => skipped += 1,
        }
        ControlFlow::Continue(())
    })?;
    if skipped > 0 {
        tracing::warn!(skipped, "unreadable alarm records skipped");
    }
    alarms
        .into_iter()
        .map(|(account, region, alarm)| {
            let state = status(reader, &account, &region, &alarm.name).ok().flatten();
            Ok((account, region, alarm, state))
        })
        .collect()
}

/// How many alarms `account` has in `region`.
pub fn alarm_count(reader: &Reader, account: &str, region: &str) -> Result<usize, ReadError> {
    let mut count = 0;
    each_alarm(reader, account, region, "", None, |_| {
        count += 1;
        ControlFlow::Continue(())
    })?;
    Ok(count)
}

/// Where a history listing resumes: the time and sequence of the last entry returned.
pub type HistoryCursor = (i64, u64);

/// Visits history entries of `account` and `region` (of alarm `name` when given) from `start_ms` to `end_ms`
/// inclusive, newest first unless `ascending`, strictly past `after`, until `visit` breaks.
#[allow(clippy::too_many_arguments)]
pub fn each_history(
    reader: &Reader,
    account: &str,
    region: &str,
    name: Option<&str>,
    (start_ms, end_ms): (i64, i64),
    ascending: bool,
    after: Option<HistoryCursor>,
    mut visit: impl FnMut(HistoryCursor, HistoryItem) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let base = match name {
        Some(name) => Key::new().str(account).str(region).str(name),
        None => Key::new().str(account).str(region),
    };
    let mut low = base.clone().i64(start_ms).into_bytes();
    let mut high = base.clone().i64(end_ms.saturating_add(1)).into_bytes();
    if let Some((time, sequence)) = after {
        let cursor = base.clone().i64(time).u64(sequence).into_bytes();
        if ascending {
            low = cursor;
            low.push(0);
        } else {
            high = cursor;
        }
    }
    let direction = if ascending { Direction::Forward } else { Direction::Backward };
    let table = if name.is_some() { HISTORY_BY_ALARM } else { HISTORY };
    let skip = base.as_bytes().len();
    let mut failed = None;
    reader.scan(table, (Some(&low), Some(&high)), direction, |key, value| {
        let mut parts = KeyReader::new(&key[skip..]);
        let (Some(time), Some(sequence)) = (parts.i64(), parts.u64()) else {
            failed = Some(corrupt("alarm history key"));
            return ControlFlow::Break(());
        };
        let item = if name.is_some() {
            let by_time = Key::new().str(account).str(region).i64(time).u64(sequence);
            match reader.get(HISTORY, by_time.as_bytes()) {
                Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
                _ => None,
            }
        } else {
            serde_json::from_slice(value).ok()
        };
        match item {
            Some(item) => visit((time, sequence), item),
            None => ControlFlow::Continue(()),
        }
    })?;
    failed.map_or(Ok(()), Err)
}

/// Whether `alarm_type` is among `types` (all types when `types` is empty).
pub fn type_selected(types: &[AlarmType], alarm_type: AlarmType) -> bool {
    types.is_empty() || types.contains(&alarm_type)
}

/// A history entry's keys: in the table by time, and in the index by alarm.
pub type HistoryKeys = (Vec<u8>, Vec<u8>);

/// History entries older than `cutoff_ms`, at most `limit`.
pub fn expired_history(reader: &Reader, cutoff_ms: i64, limit: usize) -> Result<Vec<HistoryKeys>, ReadError> {
    let mut out = Vec::new();
    reader.scan(HISTORY, (None, None), Direction::Forward, |key, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        let mut parts = KeyReader::new(key);
        let (Some(account), Some(region), Some(time), Some(sequence)) =
            (parts.str(), parts.str(), parts.i64(), parts.u64())
        else {
            return ControlFlow::Continue(());
        };
        if time < cutoff_ms {
            let name = serde_json::from_slice::<HistoryItem>(value).map(|item| item.name).unwrap_or_default();
            let by_alarm = Key::new().str(&account).str(&region).str(&name).i64(time).u64(sequence);
            out.push((key.to_vec(), by_alarm.into_bytes()));
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Removes history entries from both tables.
#[derive(Debug, Clone)]
pub struct DropHistory(pub Vec<HistoryKeys>);

impl Change for DropHistory {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        for (by_time, by_alarm) in &self.0 {
            tx.remove(HISTORY, by_time)?;
            tx.remove(HISTORY_BY_ALARM, by_alarm)?;
        }
        Ok(())
    }
}
