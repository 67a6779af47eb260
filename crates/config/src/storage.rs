//! Where Config keeps its state: the recorder (`config_recorders_v1`) and delivery channel
//! (`config_channels_v1`) of each account and region, every configuration item by resource and capture time
//! (`config_items_v1`), the latest state of each discovered resource (`config_resources_v1`), what third parties
//! reported with PutResourceConfig (`config_reported_v1`), and the notices of changes the recorder has not yet
//! turned into items (`config_notices_v1`: written in the same commit as the call that changed the resource, so
//! no change is missed across a restart). Values are JSON.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::model::{DeliveryChannel, Item, Recorder};

/// (account, region, recorder name) -> [`Recorder`].
pub const RECORDERS: Table = Table::new("config_recorders_v1");
/// (account, region, channel name) -> [`DeliveryChannel`].
pub const CHANNELS: Table = Table::new("config_channels_v1");
/// (account, region, resource type, resource id, capture ms) -> [`Item`].
pub const ITEMS: Table = Table::new("config_items_v1");
/// (account, region, resource type, resource id) -> [`Resource`].
pub const RESOURCES: Table = Table::new("config_resources_v1");
/// (account, region, resource type, resource id) -> [`Reported`].
pub const REPORTED: Table = Table::new("config_reported_v1");
/// (time ms, event id, index) -> [`Notice`].
pub const NOTICES: Table = Table::new("config_notices_v1");
/// (account, region, capture ms, resource type, resource id) -> nothing: items by time, for history files.
pub const ITEM_TIMES: Table = Table::new("config_item_times_v1");

/// The tables of the recorder and its items (rules and remediation declare theirs beside them).
pub const RECORDER_TABLES: &[Table] = &[RECORDERS, CHANNELS, ITEMS, RESOURCES, REPORTED, NOTICES, ITEM_TIMES];

/// The latest state of one discovered resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub resource_type: String,
    pub resource_id: String,
    #[serde(default)]
    pub resource_name: Option<String>,
    /// Capture time of its newest item.
    pub last_capture_ms: i64,
    /// When it was deleted, if it was.
    #[serde(default)]
    pub deleted_ms: Option<i64>,
    /// Its compliance summary, kept by rule evaluation (`COMPLIANT`, `NON_COMPLIANT`, ...).
    #[serde(default)]
    pub compliance: Option<String>,
    /// Each rule's latest compliance of it.
    #[serde(default)]
    pub rule_compliance: BTreeMap<String, skywatch_configrules::Compliance>,
}

/// A third-party resource as PutResourceConfig reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reported {
    pub resource_type: String,
    pub resource_id: String,
    #[serde(default)]
    pub resource_name: Option<String>,
    pub schema_version_id: String,
    /// The configuration text as reported (a JSON document).
    pub configuration: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// When it was first reported.
    pub created_ms: i64,
    /// Set by DeleteResourceConfig.
    #[serde(default)]
    pub deleted: bool,
}

/// A change to a resource the recorder has yet to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub account: String,
    pub region: String,
    pub resource_type: String,
    /// The resource's ARN as the call named it (or `type/id` for third-party resources).
    pub arn: String,
    /// The CloudTrail event of the call that made the change.
    pub event_id: String,
    pub time_ms: i64,
}

fn scoped(account: &str, region: &str) -> Key {
    Key::new().str(account).str(region)
}

fn resource_key(account: &str, region: &str, resource_type: &str, id: &str) -> Key {
    scoped(account, region).str(resource_type).str(id)
}

/// The first key after `key` that does not start with it (keys of fixed parts: the next key).
fn just_after(key: &Key) -> Vec<u8> {
    let mut bytes = key.as_bytes().to_vec();
    bytes.push(0);
    bytes
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8], what: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|error| ReadError::Corrupt(format!("{what}: {error}")))
}

/// A change to the recorder's tables.
#[derive(Debug, Clone)]
pub enum RecorderChange {
    PutRecorder {
        account: String,
        region: String,
        recorder: Box<Recorder>,
    },
    DeleteRecorder {
        account: String,
        region: String,
        name: String,
    },
    PutChannel {
        account: String,
        region: String,
        channel: Box<DeliveryChannel>,
    },
    DeleteChannel {
        account: String,
        region: String,
        name: String,
    },
    Report {
        account: String,
        region: String,
        reported: Box<Reported>,
    },
    Notice(Vec<Notice>),
    /// A new item and its resource's latest state.
    Record {
        item: Box<Item>,
        resource: Box<Resource>,
    },
    /// Notices the recorder has handled.
    Handled(Vec<Vec<u8>>),
    /// A delivery channel's status (the channel itself as it is now).
    ChannelStatus {
        account: String,
        region: String,
        name: String,
        status: Box<crate::model::ChannelStatus>,
    },
}

impl RecorderChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for RecorderChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            RecorderChange::PutRecorder { account, region, recorder } => {
                tx.put(RECORDERS, scoped(account, region).str(&recorder.name).as_bytes(), &json(recorder)?)
            }
            RecorderChange::DeleteRecorder { account, region, name } => {
                tx.remove(RECORDERS, scoped(account, region).str(name).as_bytes())
            }
            RecorderChange::PutChannel { account, region, channel } => {
                tx.put(CHANNELS, scoped(account, region).str(&channel.name).as_bytes(), &json(channel)?)
            }
            RecorderChange::DeleteChannel { account, region, name } => {
                tx.remove(CHANNELS, scoped(account, region).str(name).as_bytes())
            }
            RecorderChange::Report { account, region, reported } => {
                let key = resource_key(account, region, &reported.resource_type, &reported.resource_id);
                tx.put(REPORTED, key.as_bytes(), &json(reported)?)
            }
            RecorderChange::Notice(notices) => {
                for (index, notice) in notices.iter().enumerate() {
                    let key = Key::new().i64(notice.time_ms).str(&notice.event_id).u64(index as u64);
                    tx.put(NOTICES, key.as_bytes(), &json(notice)?)?;
                }
                Ok(())
            }
            RecorderChange::Record { item, resource } => write_item(tx, item, resource),
            RecorderChange::Handled(keys) => {
                for key in keys {
                    tx.remove(NOTICES, key)?;
                }
                Ok(())
            }
            RecorderChange::ChannelStatus { account, region, name, status } => {
                let key = scoped(account, region).str(name);
                let Some(bytes) = tx.get(CHANNELS, key.as_bytes())? else { return Ok(()) };
                let mut channel: DeliveryChannel =
                    serde_json::from_slice(&bytes).map_err(|error| WriteError::Storage(error.to_string()))?;
                channel.status = (**status).clone();
                tx.put(CHANNELS, key.as_bytes(), &json(&channel)?)
            }
        }
    }
}

/// Writes an item with its time index and its resource's latest state, inside a commit.
pub(crate) fn write_item(tx: &mut Tx<'_>, item: &Item, resource: &Resource) -> Result<(), WriteError> {
    let at = resource_key(&item.account_id, &item.aws_region, &item.resource_type, &item.resource_id);
    tx.put(ITEMS, at.clone().i64(item.capture_ms).as_bytes(), &json(item)?)?;
    let by_time =
        scoped(&item.account_id, &item.aws_region).i64(item.capture_ms).str(&item.resource_type).str(&item.resource_id);
    tx.put(ITEM_TIMES, by_time.as_bytes(), &[])?;
    crate::announce::item(tx, item)?;
    tx.put(RESOURCES, at.as_bytes(), &json(resource)?)
}

/// A resource's latest state, read inside a commit.
pub(crate) fn resource_in(
    tx: &mut Tx<'_>,
    (account, region): (&str, &str),
    resource_type: &str,
    id: &str,
) -> Result<Option<Resource>, WriteError> {
    tx.get(RESOURCES, resource_key(account, region, resource_type, id).as_bytes())?
        .map(|bytes| serde_json::from_slice(&bytes).map_err(|error| WriteError::Storage(error.to_string())))
        .transpose()
}

/// Whether an item of the resource was captured at exactly `capture_ms`, read inside a commit.
pub(crate) fn item_at_in(
    tx: &mut Tx<'_>,
    (account, region): (&str, &str),
    (resource_type, id): (&str, &str),
    capture_ms: i64,
) -> Result<bool, WriteError> {
    Ok(tx.get(ITEMS, resource_key(account, region, resource_type, id).i64(capture_ms).as_bytes())?.is_some())
}

/// The recorders of an account and region (at most one in practice).
pub fn recorders(reader: &Reader, account: &str, region: &str) -> Result<Vec<Recorder>, ReadError> {
    reader.prefixed(RECORDERS, &scoped(account, region))?.iter().map(|(_, bytes)| parse(bytes, "recorder")).collect()
}

/// The delivery channels of an account and region.
pub fn channels(reader: &Reader, account: &str, region: &str) -> Result<Vec<DeliveryChannel>, ReadError> {
    reader
        .prefixed(CHANNELS, &scoped(account, region))?
        .iter()
        .map(|(_, bytes)| parse(bytes, "delivery channel"))
        .collect()
}

/// Every delivery channel of every account and region, with its account and region.
pub fn all_channels(reader: &Reader) -> Result<Vec<(String, String, DeliveryChannel)>, ReadError> {
    let mut found = Vec::new();
    let mut corrupt = false;
    reader.scan(CHANNELS, (None, None), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        match (parts.str(), parts.str(), parse::<DeliveryChannel>(value, "delivery channel")) {
            (Some(account), Some(region), Ok(channel)) => found.push((account, region, channel)),
            _ => corrupt = true,
        }
        ControlFlow::Continue(())
    })?;
    if corrupt {
        return Err(ReadError::Corrupt("delivery channel".into()));
    }
    Ok(found)
}

/// One resource's latest state.
pub fn resource(
    reader: &Reader,
    account: &str,
    region: &str,
    resource_type: &str,
    id: &str,
) -> Result<Option<Resource>, ReadError> {
    reader
        .get(RESOURCES, resource_key(account, region, resource_type, id).as_bytes())?
        .map(|bytes| parse(&bytes, "resource"))
        .transpose()
}

/// Resources of an account and region, of one type when given, in key order after `after` (a resource type
/// and id), until `keep` has kept `limit`.
pub fn resources(
    reader: &Reader,
    (account, region): (&str, &str),
    resource_type: Option<&str>,
    after: Option<(&str, &str)>,
    limit: usize,
    mut keep: impl FnMut(&Resource) -> bool,
) -> Result<Vec<Resource>, ReadError> {
    let prefix = match resource_type {
        Some(t) => scoped(account, region).str(t),
        None => scoped(account, region),
    };
    let low = match after {
        Some((t, id)) => just_after(&resource_key(account, region, t, id)),
        None => prefix.as_bytes().to_vec(),
    };
    let high = prefix.prefix_end();
    let mut found = Vec::new();
    let mut failure = None;
    reader.scan(RESOURCES, (Some(&low), high.as_deref()), Direction::Forward, |_, value| {
        match parse::<Resource>(value, "resource") {
            Ok(resource) if keep(&resource) => found.push(resource),
            Ok(_) => {}
            Err(error) => {
                failure = Some(error);
                return ControlFlow::Break(());
            }
        }
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    match failure {
        Some(error) => Err(error),
        None => Ok(found),
    }
}

/// One item of a resource by capture time.
pub fn item(
    reader: &Reader,
    (account, region): (&str, &str),
    resource_type: &str,
    id: &str,
    capture_ms: i64,
) -> Result<Option<Item>, ReadError> {
    let key = resource_key(account, region, resource_type, id).i64(capture_ms);
    reader.get(ITEMS, key.as_bytes())?.map(|bytes| parse(&bytes, "configuration item")).transpose()
}

/// A resource's items with `earlier <= capture <= later`, newest first (`reverse`) or oldest first, starting
/// after capture time `after` when given, at most `limit`.
#[allow(clippy::too_many_arguments)]
pub fn history(
    reader: &Reader,
    (account, region): (&str, &str),
    resource_type: &str,
    id: &str,
    (earlier, later): (i64, i64),
    reverse: bool,
    after: Option<i64>,
    limit: usize,
) -> Result<Vec<Item>, ReadError> {
    let at = || resource_key(account, region, resource_type, id);
    let (mut low, mut high) = (at().i64(earlier).into_bytes(), just_after(&at().i64(later)));
    match (after, reverse) {
        (Some(ms), true) => high = high.min(at().i64(ms).into_bytes()),
        (Some(ms), false) => low = low.max(just_after(&at().i64(ms))),
        (None, _) => {}
    }
    let direction = if reverse { Direction::Backward } else { Direction::Forward };
    let mut found = Vec::new();
    reader.scan(ITEMS, (Some(&low), Some(&high)), direction, |_, value| {
        found.push(value.to_vec());
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.iter().map(|bytes| parse(bytes, "configuration item")).collect()
}

/// A resource's newest item.
pub fn latest(reader: &Reader, scope: (&str, &str), resource_type: &str, id: &str) -> Result<Option<Item>, ReadError> {
    Ok(history(reader, scope, resource_type, id, (i64::MIN, i64::MAX), true, None, 1)?.pop())
}

/// A third-party resource's reported state.
pub fn reported(
    reader: &Reader,
    (account, region): (&str, &str),
    resource_type: &str,
    id: &str,
) -> Result<Option<Reported>, ReadError> {
    reader
        .get(REPORTED, resource_key(account, region, resource_type, id).as_bytes())?
        .map(|bytes| parse(&bytes, "reported resource"))
        .transpose()
}

/// The oldest notices, with their keys, at most `limit`.
pub fn notices(reader: &Reader, limit: usize) -> Result<Vec<(Vec<u8>, Notice)>, ReadError> {
    let mut found = Vec::new();
    reader.scan(NOTICES, (None, None), Direction::Forward, |key, value| {
        found.push((key.to_vec(), value.to_vec()));
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.into_iter().map(|(key, value)| Ok((key, parse(&value, "notice")?))).collect()
}

/// Resource counts of an account and region by type (deleted resources left out).
pub fn counts(reader: &Reader, account: &str, region: &str) -> Result<BTreeMap<String, u64>, ReadError> {
    let mut counts = BTreeMap::new();
    let mut failure = None;
    let prefix = scoped(account, region);
    let end = prefix.prefix_end();
    reader.scan(RESOURCES, (Some(prefix.as_bytes()), end.as_deref()), Direction::Forward, |_, value| {
        match parse::<Resource>(value, "resource") {
            Ok(resource) if resource.deleted_ms.is_none() => *counts.entry(resource.resource_type).or_insert(0) += 1,
            Ok(_) => {}
            Err(error) => {
                failure = Some(error);
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })?;
    match failure {
        Some(error) => Err(error),
        None => Ok(counts),
    }
}

/// How many third-party resources an account and region has reported, counting at most `limit`.
pub fn reported_count(reader: &Reader, account: &str, region: &str, limit: usize) -> Result<usize, ReadError> {
    let prefix = scoped(account, region);
    let end = prefix.prefix_end();
    let mut count = 0;
    reader.scan(REPORTED, (Some(prefix.as_bytes()), end.as_deref()), Direction::Forward, |_, _| {
        count += 1;
        if count >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(count)
}

/// Items of an account and region captured in `(after, until]`, oldest first, at most `limit`.
pub fn items_between(
    reader: &Reader,
    (account, region): (&str, &str),
    (after, until): (i64, i64),
    limit: usize,
) -> Result<Vec<Item>, ReadError> {
    // Every key of a capture time starts with (account, region, ms): past all of `after`'s, through `until`'s.
    let low = scoped(account, region).i64(after).prefix_end();
    let high = scoped(account, region).i64(until).prefix_end();
    let mut keys = Vec::new();
    let mut corrupt = false;
    reader.scan(ITEM_TIMES, (low.as_deref(), high.as_deref()), Direction::Forward, |key, _| {
        let mut parts = KeyReader::new(key);
        match (parts.str(), parts.str(), parts.i64(), parts.str(), parts.str()) {
            (Some(_), Some(_), Some(ms), Some(t), Some(id)) => keys.push((ms, t, id)),
            _ => corrupt = true,
        }
        if keys.len() >= limit || corrupt { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    if corrupt {
        return Err(ReadError::Corrupt("configuration item time key".into()));
    }
    let mut items = Vec::with_capacity(keys.len());
    for (ms, resource_type, id) in keys {
        if let Some(found) = item(reader, (account, region), &resource_type, &id, ms)? {
            items.push(found);
        }
    }
    Ok(items)
}
