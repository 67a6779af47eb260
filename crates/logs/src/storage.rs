//! Where logs live. Groups by account, region and name (`logs_groups_v1`); everything under a group is keyed by
//! the group's id (one incarnation of its name), so a deleted group's data is simply unreachable until the sweeper
//! removes it: streams by name (`logs_streams_v1`) and by last event time (`logs_streams_by_time_v1`), blocks
//! (`logs_blocks_v1`: compressed, maybe sealed events) with two indexes of their metadata, by group and first
//! timestamp (`logs_block_times_v1`, for FilterLogEvents and retention) and by stream and first timestamp
//! (`logs_stream_blocks_v1`, for GetLogEvents), and the ids whose data is still to sweep (`logs_orphans_v1`).

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::filters::{self, METRIC_FILTERS, MetricFilter};
use crate::model::{LogGroup, LogStream};

/// (account, region, group name) -> [`LogGroup`] (JSON).
pub const GROUPS: Table = Table::new("logs_groups_v1");
/// (group id, stream name) -> [`LogStream`] (JSON).
pub const STREAMS: Table = Table::new("logs_streams_v1");
/// (group id, last event ms, stream name) -> ().
pub const STREAMS_BY_TIME: Table = Table::new("logs_streams_by_time_v1");
/// (group id, block id) -> a stored block ([`StoredBlock`]).
pub const BLOCKS: Table = Table::new("logs_blocks_v1");
/// (group id, first timestamp, block id) -> [`BlockMeta`] (postcard).
pub const BLOCK_TIMES: Table = Table::new("logs_block_times_v1");
/// (group id, stream id, first timestamp, block id) -> [`BlockMeta`] (postcard).
pub const STREAM_BLOCKS: Table = Table::new("logs_stream_blocks_v1");
/// (group id, stream id or 0 for the whole group) -> (): data of deleted groups and streams, still to remove.
pub const ORPHANS: Table = Table::new("logs_orphans_v1");

/// Every table of the logs engine's store (filters and exports list theirs beside them).
pub const TABLES: &[Table] = &[GROUPS, STREAMS, STREAMS_BY_TIME, BLOCKS, BLOCK_TIMES, STREAM_BLOCKS, ORPHANS];

/// What the indexes know of a block without opening it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockMeta {
    pub block_id: u64,
    pub stream_id: u64,
    pub stream: String,
    pub min_ts: i64,
    pub max_ts: i64,
    pub count: u32,
    /// Bytes of the plain encoding (what decompression yields).
    pub plain_len: u32,
    /// Bytes of messages plus 26 per event: what CloudWatch Logs counts as stored.
    pub event_bytes: u64,
}

/// A block as stored: the key that sealed it (a KMS key ARN), if any, and the compressed (then sealed) bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlock {
    pub key: Option<String>,
    pub payload: Vec<u8>,
}

const BLOCK_FORMAT: u8 = 1;

impl StoredBlock {
    pub fn encode(&self) -> Vec<u8> {
        let key = self.key.as_deref().unwrap_or("");
        let mut out = Vec::with_capacity(3 + key.len() + self.payload.len());
        out.push(BLOCK_FORMAT);
        out.extend_from_slice(&(key.len() as u16).to_be_bytes());
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(&self.payload);
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, ReadError> {
        let corrupt = || ReadError::Corrupt("log block header".into());
        let (&format, rest) = bytes.split_first().ok_or_else(corrupt)?;
        if format != BLOCK_FORMAT || rest.len() < 2 {
            return Err(corrupt());
        }
        let key_len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        let rest = &rest[2..];
        if key_len > rest.len() {
            return Err(corrupt());
        }
        let (key, payload) = rest.split_at(key_len);
        let key = std::str::from_utf8(key).map_err(|_| corrupt())?;
        Ok(Self { key: (!key.is_empty()).then(|| key.to_owned()), payload: payload.to_vec() })
    }
}

/// The associated data a block is sealed with: its place.
pub fn block_place(group_id: u64, block_id: u64) -> [u8; 16] {
    let mut place = [0u8; 16];
    place[..8].copy_from_slice(&group_id.to_be_bytes());
    place[8..].copy_from_slice(&block_id.to_be_bytes());
    place
}

pub(crate) fn group_key(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

fn stream_key(group_id: u64, name: &str) -> Key {
    Key::new().u64(group_id).str(name)
}

fn stream_time_key(group_id: u64, last_event_ms: i64, name: &str) -> Key {
    Key::new().u64(group_id).i64(last_event_ms).str(name)
}

pub(crate) fn block_key(group_id: u64, block_id: u64) -> Key {
    Key::new().u64(group_id).u64(block_id)
}

pub(crate) fn block_time_key(group_id: u64, min_ts: i64, block_id: u64) -> Key {
    Key::new().u64(group_id).i64(min_ts).u64(block_id)
}

pub(crate) fn stream_block_key(group_id: u64, stream_id: u64, min_ts: i64, block_id: u64) -> Key {
    Key::new().u64(group_id).u64(stream_id).i64(min_ts).u64(block_id)
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

fn meta_bytes(meta: &BlockMeta) -> Result<Vec<u8>, WriteError> {
    postcard::to_stdvec(meta).map_err(|e| WriteError::Storage(e.to_string()))
}

pub(crate) fn read_meta(bytes: &[u8]) -> Result<BlockMeta, ReadError> {
    postcard::from_bytes(bytes).map_err(|_| ReadError::Corrupt("log block metadata".into()))
}

/// A block to write with its metadata.
#[derive(Debug, Clone)]
pub struct NewBlock {
    pub meta: BlockMeta,
    pub stored: StoredBlock,
}

/// One accepted batch of a stream: its blocks and what it changes in the stream's and group's rows.
#[derive(Debug, Clone)]
pub struct Batch {
    pub account: String,
    pub region: String,
    pub group: String,
    pub group_id: u64,
    pub stream: String,
    pub stream_id: u64,
    pub blocks: Vec<NewBlock>,
    pub ingestion_ms: i64,
}

/// A change to the logs tables.
#[derive(Debug, Clone)]
pub enum LogsChange {
    /// Creates or replaces a group's row (a new group, retention, key or tags).
    PutGroup {
        account: String,
        region: String,
        group: Box<LogGroup>,
    },
    /// Removes a group; its streams and blocks become orphans.
    DeleteGroup {
        account: String,
        region: String,
        name: String,
        id: u64,
    },
    /// Creates a stream, if its group is still the same incarnation.
    PutStream {
        account: String,
        region: String,
        group: String,
        group_id: u64,
        stream: Box<LogStream>,
    },
    /// Removes a stream; its blocks become orphans.
    DeleteStream {
        group_id: u64,
        name: String,
        id: u64,
        last_event_ms: Option<i64>,
    },
    /// Stores a batch, if its group and stream still exist as they were.
    Ingest(Box<Batch>),
    /// Removes blocks (retention, compaction, sweeping) and takes their bytes off the group's count when it is
    /// still `group` in `account` and `region`.
    RemoveBlocks {
        owner: Option<(String, String, String)>,
        group_id: u64,
        blocks: Vec<BlockMeta>,
    },
    /// Removes the rows of a deleted group's streams (name, last event ms).
    PurgeStreams {
        group_id: u64,
        names: Vec<(String, Option<i64>)>,
    },
    /// Marks an orphan swept.
    Swept {
        group_id: u64,
        stream_id: u64,
    },
    /// Creates or replaces a metric filter, if its group still exists.
    PutMetricFilter {
        account: String,
        region: String,
        filter: Box<MetricFilter>,
    },
    DeleteMetricFilter {
        account: String,
        region: String,
        group: String,
        name: String,
    },
}

impl LogsChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

pub(crate) fn read_group(tx: &mut Tx<'_>, key: &Key) -> Result<Option<LogGroup>, WriteError> {
    Ok(tx.get(GROUPS, key.as_bytes())?.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

fn read_stream(tx: &mut Tx<'_>, key: &Key) -> Result<Option<LogStream>, WriteError> {
    Ok(tx.get(STREAMS, key.as_bytes())?.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

impl Change for LogsChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            LogsChange::PutGroup { account, region, group } => {
                tx.put(GROUPS, group_key(account, region, &group.name).as_bytes(), &json(group)?)
            }
            LogsChange::DeleteGroup { account, region, name, id } => {
                let key = group_key(account, region, name);
                if read_group(tx, &key)?.is_some_and(|g| g.id == *id) {
                    tx.remove(GROUPS, key.as_bytes())?;
                    tx.put(ORPHANS, Key::new().u64(*id).u64(0).as_bytes(), &[])?;
                    // A group's filters go with it (a hundred at most).
                    let prefix = filters::group_prefix(account, region, name);
                    for name in tx.keys_with_prefix(METRIC_FILTERS, &prefix, filters::MAX_METRIC_FILTERS * 2)? {
                        tx.remove(METRIC_FILTERS, &name)?;
                    }
                    crate::subscription::storage::delete_group_filters(tx, account, region, name)?;
                }
                Ok(())
            }
            LogsChange::PutStream { account, region, group, group_id, stream } => {
                if read_group(tx, &group_key(account, region, group))?.is_none_or(|g| g.id != *group_id) {
                    return Ok(());
                }
                tx.put(STREAMS, stream_key(*group_id, &stream.name).as_bytes(), &json(stream)?)?;
                let last = stream.last_event_ms.unwrap_or(0);
                tx.put(STREAMS_BY_TIME, stream_time_key(*group_id, last, &stream.name).as_bytes(), &[])
            }
            LogsChange::DeleteStream { group_id, name, id, last_event_ms } => {
                let key = stream_key(*group_id, name);
                if read_stream(tx, &key)?.is_some_and(|s| s.id == *id) {
                    tx.remove(STREAMS, key.as_bytes())?;
                    let last = last_event_ms.unwrap_or(0);
                    tx.remove(STREAMS_BY_TIME, stream_time_key(*group_id, last, name).as_bytes())?;
                    tx.put(ORPHANS, Key::new().u64(*group_id).u64(*id).as_bytes(), &[])?;
                }
                Ok(())
            }
            LogsChange::Ingest(batch) => ingest(tx, batch),
            LogsChange::RemoveBlocks { owner, group_id, blocks } => {
                let mut bytes = 0u64;
                for meta in blocks {
                    // Only what is still there counts: a block removed twice is taken off once.
                    if tx.get(BLOCKS, block_key(*group_id, meta.block_id).as_bytes())?.is_none() {
                        continue;
                    }
                    tx.remove(BLOCKS, block_key(*group_id, meta.block_id).as_bytes())?;
                    tx.remove(BLOCK_TIMES, block_time_key(*group_id, meta.min_ts, meta.block_id).as_bytes())?;
                    let stream_block = stream_block_key(*group_id, meta.stream_id, meta.min_ts, meta.block_id);
                    tx.remove(STREAM_BLOCKS, stream_block.as_bytes())?;
                    bytes = bytes.saturating_add(meta.event_bytes);
                }
                if let Some((account, region, name)) = owner {
                    let key = group_key(account, region, name);
                    if let Some(mut group) = read_group(tx, &key)?
                        && group.id == *group_id
                    {
                        group.stored_bytes = group.stored_bytes.saturating_sub(bytes);
                        tx.put(GROUPS, key.as_bytes(), &json(&group)?)?;
                    }
                }
                Ok(())
            }
            LogsChange::PurgeStreams { group_id, names } => {
                for (name, last_event_ms) in names {
                    tx.remove(STREAMS, stream_key(*group_id, name).as_bytes())?;
                    let last = last_event_ms.unwrap_or(0);
                    tx.remove(STREAMS_BY_TIME, stream_time_key(*group_id, last, name).as_bytes())?;
                }
                Ok(())
            }
            LogsChange::Swept { group_id, stream_id } => {
                tx.remove(ORPHANS, Key::new().u64(*group_id).u64(*stream_id).as_bytes())
            }
            LogsChange::PutMetricFilter { account, region, filter } => {
                if read_group(tx, &group_key(account, region, &filter.log_group_name))?.is_none() {
                    return Ok(());
                }
                let key = filters::filter_key(account, region, &filter.log_group_name, &filter.filter_name);
                tx.put(METRIC_FILTERS, key.as_bytes(), &json(filter)?)
            }
            LogsChange::DeleteMetricFilter { account, region, group, name } => {
                tx.remove(METRIC_FILTERS, filters::filter_key(account, region, group, name).as_bytes())
            }
        }
    }
}

fn ingest(tx: &mut Tx<'_>, batch: &Batch) -> Result<(), WriteError> {
    let group_key = group_key(&batch.account, &batch.region, &batch.group);
    let Some(mut group) = read_group(tx, &group_key)?.filter(|g| g.id == batch.group_id) else {
        return Ok(());
    };
    let stream_key = stream_key(batch.group_id, &batch.stream);
    let Some(mut stream) = read_stream(tx, &stream_key)?.filter(|s| s.id == batch.stream_id) else {
        return Ok(());
    };
    let mut bytes = 0u64;
    for block in &batch.blocks {
        let meta = &block.meta;
        tx.put(BLOCKS, block_key(batch.group_id, meta.block_id).as_bytes(), &block.stored.encode())?;
        let encoded = meta_bytes(meta)?;
        tx.put(BLOCK_TIMES, block_time_key(batch.group_id, meta.min_ts, meta.block_id).as_bytes(), &encoded)?;
        let stream_block = stream_block_key(batch.group_id, batch.stream_id, meta.min_ts, meta.block_id);
        tx.put(STREAM_BLOCKS, stream_block.as_bytes(), &encoded)?;
        bytes = bytes.saturating_add(meta.event_bytes);
        group.max_span_ms = group.max_span_ms.max(meta.max_ts.saturating_sub(meta.min_ts));
        stream.first_event_ms = Some(stream.first_event_ms.map_or(meta.min_ts, |f| f.min(meta.min_ts)));
        let last = stream.last_event_ms.map_or(meta.max_ts, |l| l.max(meta.max_ts));
        if Some(last) != stream.last_event_ms {
            let old = stream.last_event_ms.unwrap_or(0);
            tx.remove(STREAMS_BY_TIME, stream_time_key(batch.group_id, old, &batch.stream).as_bytes())?;
            tx.put(STREAMS_BY_TIME, stream_time_key(batch.group_id, last, &batch.stream).as_bytes(), &[])?;
            stream.last_event_ms = Some(last);
        }
    }
    stream.last_ingestion_ms = Some(batch.ingestion_ms);
    stream.sequence += 1;
    tx.put(STREAMS, stream_key.as_bytes(), &json(&stream)?)?;
    group.stored_bytes = group.stored_bytes.saturating_add(bytes);
    tx.put(GROUPS, group_key.as_bytes(), &json(&group)?)
}

fn corrupt(what: &str) -> ReadError {
    ReadError::Corrupt(what.to_owned())
}

/// Group `name` of `account` and `region`.
pub fn group(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<LogGroup>, ReadError> {
    reader
        .get(GROUPS, group_key(account, region, name).as_bytes())?
        .map(|bytes| serde_json::from_slice(&bytes).map_err(|_| corrupt("log group")))
        .transpose()
}

/// Groups of `account` and `region` whose names start with `prefix`, by name, after `after`, while `keep` says
/// so, up to `limit`.
pub fn groups(
    reader: &Reader,
    (account, region): (&str, &str),
    prefix: &str,
    after: Option<&str>,
    limit: usize,
    mut keep: impl FnMut(&LogGroup) -> bool,
) -> Result<Vec<LogGroup>, ReadError> {
    let base = Key::new().str(account).str(region).str_prefix(prefix);
    let end = base.prefix_end();
    let from = match after {
        Some(after) if after >= prefix => {
            let mut past = group_key(account, region, after).into_bytes();
            past.push(0);
            past
        }
        _ => base.into_bytes(),
    };
    let mut out = Vec::new();
    reader.scan(GROUPS, (Some(&from), end.as_deref()), Direction::Forward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(group) = serde_json::from_slice::<LogGroup>(value)
            && keep(&group)
        {
            out.push(group);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Every group of every account and region (the retention sweep), in pages after `after`.
pub fn all_groups(reader: &Reader, after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, LogGroup)>, ReadError> {
    let from = after.map(|a| {
        let mut past = a.to_vec();
        past.push(0);
        past
    });
    let mut out = Vec::new();
    reader.scan(GROUPS, (from.as_deref(), None), Direction::Forward, |key, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(group) = serde_json::from_slice::<LogGroup>(value) {
            out.push((key.to_vec(), group));
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Stream `name` of the group with id `group_id`.
pub fn stream(reader: &Reader, group_id: u64, name: &str) -> Result<Option<LogStream>, ReadError> {
    reader
        .get(STREAMS, stream_key(group_id, name).as_bytes())?
        .map(|bytes| serde_json::from_slice(&bytes).map_err(|_| corrupt("log stream")))
        .transpose()
}

/// Streams of a group whose names start with `prefix`, by name (or its reverse), after `after`, up to `limit`.
pub fn streams_by_name(
    reader: &Reader,
    group_id: u64,
    prefix: &str,
    after: Option<&str>,
    descending: bool,
    limit: usize,
) -> Result<Vec<LogStream>, ReadError> {
    let base = Key::new().u64(group_id).str_prefix(prefix);
    let base_bytes = base.as_bytes().to_vec();
    let end = base.prefix_end();
    let (from, to, direction) = match (after, descending) {
        (Some(after), false) => {
            let mut past = stream_key(group_id, after).into_bytes();
            past.push(0);
            (Some(past.max(base_bytes)), end, Direction::Forward)
        }
        (None, false) => (Some(base_bytes), end, Direction::Forward),
        (Some(after), true) => {
            let before = stream_key(group_id, after).into_bytes();
            let to = match end {
                Some(end) => before.min(end),
                None => before,
            };
            (Some(base_bytes), Some(to), Direction::Backward)
        }
        (None, true) => (Some(base_bytes), end, Direction::Backward),
    };
    let mut out = Vec::new();
    reader.scan(STREAMS, (from.as_deref(), to.as_deref()), direction, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(stream) = serde_json::from_slice::<LogStream>(value) {
            out.push(stream);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Streams of a group by last event time (streams without events first), or its reverse, after the position
/// `after` (last event ms, name), up to `limit`.
pub fn streams_by_time(
    reader: &Reader,
    group_id: u64,
    after: Option<(i64, &str)>,
    descending: bool,
    limit: usize,
) -> Result<Vec<LogStream>, ReadError> {
    let base = Key::new().u64(group_id);
    let end = base.prefix_end();
    let base = base.into_bytes();
    let (from, to, direction) = match (after, descending) {
        (Some((ms, name)), false) => {
            let mut past = stream_time_key(group_id, ms, name).into_bytes();
            past.push(0);
            (Some(past), end, Direction::Forward)
        }
        (Some((ms, name)), true) => {
            (Some(base), Some(stream_time_key(group_id, ms, name).into_bytes()), Direction::Backward)
        }
        (None, false) => (Some(base), end, Direction::Forward),
        (None, true) => (Some(base), end, Direction::Backward),
    };
    let mut names = Vec::new();
    reader.scan(STREAMS_BY_TIME, (from.as_deref(), to.as_deref()), direction, |key, _| {
        if names.len() >= limit {
            return ControlFlow::Break(());
        }
        let mut reader = skywatch_store::KeyReader::new(key);
        if let (Some(_), Some(_), Some(name)) = (reader.u64(), reader.i64(), reader.str()) {
            names.push(name);
        }
        ControlFlow::Continue(())
    })?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        if let Some(stream) = stream(reader, group_id, &name)? {
            out.push(stream);
        }
    }
    Ok(out)
}

/// How many streams a group has, counting up to `cap`.
pub fn stream_count(reader: &Reader, group_id: u64, cap: usize) -> Result<usize, ReadError> {
    let base = Key::new().u64(group_id);
    let end = base.prefix_end();
    let mut count = 0;
    reader.scan(STREAMS, (Some(base.as_bytes()), end.as_deref()), Direction::Forward, |_, _| {
        count += 1;
        if count >= cap { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(count)
}

/// A stored block.
pub fn block(reader: &Reader, group_id: u64, block_id: u64) -> Result<Option<StoredBlock>, ReadError> {
    reader.get(BLOCKS, block_key(group_id, block_id).as_bytes())?.map(|bytes| StoredBlock::decode(&bytes)).transpose()
}

/// Visits the metadata of a group's blocks whose (first timestamp, block id) is in `[from, to)`, in that order
/// (or its reverse), until `visit` breaks.
pub fn group_blocks(
    reader: &Reader,
    group_id: u64,
    (from, to): ((i64, u64), (i64, u64)),
    direction: Direction,
    visit: impl FnMut(BlockMeta) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let from = Key::new().u64(group_id).i64(from.0).u64(from.1).into_bytes();
    let to = Key::new().u64(group_id).i64(to.0).u64(to.1).into_bytes();
    visit_metas(reader, BLOCK_TIMES, (&from, &to), direction, visit)
}

/// Visits the metadata of a stream's blocks whose (first timestamp, block id) is in `[from, to)`, as
/// [`group_blocks`].
pub fn stream_blocks(
    reader: &Reader,
    (group_id, stream_id): (u64, u64),
    (from, to): ((i64, u64), (i64, u64)),
    direction: Direction,
    visit: impl FnMut(BlockMeta) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let from = Key::new().u64(group_id).u64(stream_id).i64(from.0).u64(from.1).into_bytes();
    let to = Key::new().u64(group_id).u64(stream_id).i64(to.0).u64(to.1).into_bytes();
    visit_metas(reader, STREAM_BLOCKS, (&from, &to), direction, visit)
}

fn visit_metas(
    reader: &Reader,
    table: Table,
    (from, to): (&[u8], &[u8]),
    direction: Direction,
    mut visit: impl FnMut(BlockMeta) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let mut failed = None;
    reader.scan(table, (Some(from), Some(to)), direction, |_, value| match read_meta(value) {
        Ok(meta) => visit(meta),
        Err(error) => {
            failed = Some(error);
            ControlFlow::Break(())
        }
    })?;
    failed.map_or(Ok(()), Err)
}

/// Up to `limit` orphans: (group id, stream id or 0 for the whole group).
pub fn orphans(reader: &Reader, limit: usize) -> Result<Vec<(u64, u64)>, ReadError> {
    let mut out = Vec::new();
    reader.scan(ORPHANS, (None, None), Direction::Forward, |key, _| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        let mut reader = skywatch_store::KeyReader::new(key);
        if let (Some(group), Some(stream)) = (reader.u64(), reader.u64()) {
            out.push((group, stream));
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_blocks_round_trip_and_refuse_garbage() {
        for key in [None, Some("arn:aws:kms:us-east-1:123456789012:key/k".to_owned())] {
            let block = StoredBlock { key, payload: vec![1, 2, 3] };
            assert_eq!(StoredBlock::decode(&block.encode()).unwrap(), block);
        }
        for garbage in [&[][..], &[2, 0, 0], &[1, 0], &[1, 0, 9, b'a']] {
            assert!(StoredBlock::decode(garbage).is_err(), "{garbage:?}");
        }
    }
}
