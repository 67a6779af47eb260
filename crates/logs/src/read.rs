//! Reading events back in time order: a merge over the blocks of a group (FilterLogEvents, Live Tail's catch-up,
//! exports) or of one stream (GetLogEvents), forward or backward from a position, within a time range.
//!
//! Events are ordered by [`EventKey`] (timestamp, block id, index in the block), a total order that pages resume
//! from exactly. Blocks are found by their first timestamp; a block may start before the range and reach into it,
//! but never by more than the group's widest block (`LogGroup::max_span_ms`), so the merge looks that far back and
//! no further, and opens a block only when its first event could be the next one out. A scan stops after a budget
//! of decompressed bytes and says where, so one request's work is bounded whatever the data.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::ops::ControlFlow;

use skywatch_store::{Direction, ReadError, Reader};

use crate::LogsError;
use crate::block::{self, Events};
use crate::keys::Keyring;
use crate::storage::{self, BlockMeta, block_place};

/// An event's place in the order of a group's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventKey {
    pub timestamp_ms: i64,
    pub block_id: u64,
    pub index: u32,
}

impl EventKey {
    /// The text a page token carries.
    pub fn to_cursor(self) -> String {
        format!("{}.{}.{}", self.timestamp_ms, self.block_id, self.index)
    }

    pub fn from_cursor(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '.');
        Some(Self {
            timestamp_ms: parts.next()?.parse().ok()?,
            block_id: parts.next()?.parse().ok()?,
            index: parts.next()?.parse().ok()?,
        })
    }

    /// The event id FilterLogEvents reports: digits that sort as the events do.
    pub fn event_id(self) -> String {
        format!("{:020}{:020}{:010}", self.timestamp_ms.max(0), self.block_id, self.index)
    }
}

/// One event as a scan shows it, borrowed from its decoded block.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    pub key: EventKey,
    pub ingestion_ms: i64,
    pub stream: &'a str,
    pub message: &'a str,
}

/// What to read.
#[derive(Clone)]
pub struct Scan<'a> {
    pub group_id: u64,
    /// One stream's blocks (GetLogEvents) or the whole group's.
    pub stream_id: Option<u64>,
    /// Events with `from_ms <= timestamp < to_ms`.
    pub from_ms: i64,
    pub to_ms: i64,
    /// Resume strictly after (forward) or before (backward) this event.
    pub position: Option<EventKey>,
    pub direction: Direction,
    /// The group's widest block (last timestamp minus first).
    pub max_span_ms: i64,
    /// Only these streams (by name), when given.
    pub streams: Option<&'a dyn Fn(&str) -> bool>,
    /// The most decompressed bytes to read before stopping.
    pub budget_bytes: u64,
}

/// How a scan ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Every event in range was visited.
    Exhausted,
    /// The visitor stopped after the event at this key.
    Stopped(EventKey),
    /// The budget ran out; every event up to this key (in the scan's direction) was visited.
    OutOfBudget(Option<EventKey>),
}

/// A decoded block and the next event to hand out.
struct Cursor {
    plain: Vec<u8>,
    stream: String,
    /// (key, ingestion ms, message start, message end), in key order.
    events: Vec<(EventKey, i64, usize, usize)>,
    next: usize,
    forward: bool,
}

impl Cursor {
    fn head(&self) -> Option<EventKey> {
        if self.forward {
            self.events.get(self.next).map(|e| e.0)
        } else {
            self.events.len().checked_sub(self.next + 1).and_then(|i| self.events.get(i)).map(|e| e.0)
        }
    }

    fn take(&mut self) -> Option<(EventKey, i64, &str, &str)> {
        let index = if self.forward { self.next } else { self.events.len().checked_sub(self.next + 1)? };
        let &(key, ingested, start, end) = self.events.get(index)?;
        self.next += 1;
        let message = std::str::from_utf8(self.plain.get(start..end)?).ok()?;
        Some((key, ingested, &self.stream, message))
    }
}

/// Heap entry: the cursor's head key, ordered so that the next event out is on top.
struct Head {
    key: EventKey,
    cursor: usize,
    forward: bool,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.forward { Reverse(self.key).cmp(&Reverse(other.key)) } else { self.key.cmp(&other.key) }
    }
}

fn corrupt(error: block::CorruptBlock) -> LogsError {
    LogsError::Storage(error.to_string())
}

/// Opens a block: its bytes, the key it was sealed with, decompression, and the events in `scan`'s range.
fn open_block(reader: &Reader, keys: &Keyring, scan: &Scan<'_>, meta: &BlockMeta) -> Result<Option<Cursor>, LogsError> {
    let Some(stored) = storage::block(reader, scan.group_id, meta.block_id)? else {
        return Ok(None);
    };
    let compressed = match &stored.key {
        Some(arn) => keys.open(arn, &block_place(scan.group_id, meta.block_id), &stored.payload)?,
        None => stored.payload,
    };
    let plain = block::decompress(&compressed, meta.plain_len as usize).map_err(corrupt)?;
    let forward = scan.direction == Direction::Forward;
    let mut events = Vec::with_capacity(meta.count as usize);
    let base = plain.as_ptr() as usize;
    for (index, event) in Events::new(&plain).map_err(corrupt)?.enumerate() {
        let (ts, ingested, message) = event.map_err(corrupt)?;
        let key = EventKey { timestamp_ms: ts, block_id: meta.block_id, index: index as u32 };
        if ts < scan.from_ms || ts >= scan.to_ms {
            continue;
        }
        if let Some(position) = scan.position
            && (if forward { key <= position } else { key >= position })
        {
            continue;
        }
        let start = message.as_ptr() as usize - base;
        events.push((key, ingested, start, start + message.len()));
    }
    // Events are stored in timestamp order; the sort only guards against a block that is not.
    events.sort_unstable_by_key(|e| e.0);
    Ok((!events.is_empty()).then(|| Cursor { plain, stream: meta.stream.clone(), events, next: 0, forward }))
}

/// Metadata of the next blocks in the scan's order, read a page at a time; `bound` is the (first timestamp,
/// block id) the next page starts from (forward, inclusive) or stops below (backward, exclusive).
struct Metas {
    page: std::vec::IntoIter<BlockMeta>,
    bound: (i64, u64),
    done: bool,
}

const META_PAGE: usize = 256;

impl Metas {
    fn new(scan: &Scan<'_>) -> Self {
        let pivot = scan.position.map(|p| p.timestamp_ms);
        let bound = match scan.direction {
            Direction::Forward => (pivot.unwrap_or(scan.from_ms).max(scan.from_ms).saturating_sub(scan.max_span_ms), 0),
            Direction::Backward => (pivot.map_or(scan.to_ms, |p| p.saturating_add(1)).min(scan.to_ms), 0),
        };
        Self { page: Vec::new().into_iter(), bound, done: false }
    }

    fn next(&mut self, reader: &Reader, scan: &Scan<'_>) -> Result<Option<BlockMeta>, ReadError> {
        loop {
            if let Some(meta) = self.page.next() {
                return Ok(Some(meta));
            }
            if self.done {
                return Ok(None);
            }
            let mut page = Vec::with_capacity(META_PAGE);
            let visit = |meta: BlockMeta| {
                page.push(meta);
                if page.len() >= META_PAGE { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            };
            let range = match scan.direction {
                Direction::Forward => (self.bound, (scan.to_ms, 0)),
                Direction::Backward => ((i64::MIN, 0), self.bound),
            };
            match scan.stream_id {
                Some(stream_id) => {
                    storage::stream_blocks(reader, (scan.group_id, stream_id), range, scan.direction, visit)?
                }
                None => storage::group_blocks(reader, scan.group_id, range, scan.direction, visit)?,
            }
            if page.len() < META_PAGE {
                self.done = true;
            }
            if let Some(last) = page.last() {
                self.bound = match scan.direction {
                    Direction::Forward => match last.block_id.checked_add(1) {
                        Some(next) => (last.min_ts, next),
                        None => (last.min_ts.saturating_add(1), 0),
                    },
                    Direction::Backward => (last.min_ts, last.block_id),
                };
            }
            self.page = page.into_iter();
        }
    }
}

/// Visits the events `scan` selects in its order until `visit` breaks, the range ends or the budget runs out.
pub fn scan_events(
    reader: &Reader,
    keys: &Keyring,
    scan: &Scan<'_>,
    mut visit: impl FnMut(Found<'_>) -> ControlFlow<()>,
) -> Result<Ended, LogsError> {
    let forward = scan.direction == Direction::Forward;
    let mut metas = Metas::new(scan);
    let mut pending = metas.next(reader, scan)?;
    let mut cursors: Vec<Cursor> = Vec::new();
    let mut heap = BinaryHeap::new();
    let mut spent = 0u64;
    let mut last_out: Option<EventKey> = None;
    let mut live_streams: HashMap<String, Option<u64>> = HashMap::new();
    loop {
        let head = heap.peek().map(|h: &Head| h.key);
        // Open the next block while its events could come before the current head.
        if let Some(meta) = &pending {
            let needed = match head {
                None => true,
                Some(head) if forward => meta.min_ts <= head.timestamp_ms,
                Some(head) => meta.min_ts.saturating_add(scan.max_span_ms) >= head.timestamp_ms,
            };
            if needed {
                let meta = pending.take().unwrap_or_else(|| unreachable!("pending was Some"));
                pending = metas.next(reader, scan)?;
                let overlaps = meta.max_ts >= scan.from_ms && meta.min_ts < scan.to_ms;
                let wanted = scan.streams.is_none_or(|keep| keep(&meta.stream));
                if !overlaps || !wanted || !stream_is_live(reader, scan, &meta, &mut live_streams)? {
                    continue;
                }
                if spent >= scan.budget_bytes {
                    return Ok(Ended::OutOfBudget(last_out));
                }
                spent = spent.saturating_add(u64::from(meta.plain_len));
                if let Some(cursor) = open_block(reader, keys, scan, &meta)? {
                    let key = cursor.head().unwrap_or_else(|| unreachable!("cursors are not empty"));
                    heap.push(Head { key, cursor: cursors.len(), forward });
                    cursors.push(cursor);
                }
                continue;
            }
        }
        let Some(Head { cursor: index, .. }) = heap.pop() else {
            return Ok(Ended::Exhausted);
        };
        let Some(cursor) = cursors.get_mut(index) else { return Ok(Ended::Exhausted) };
        let Some((key, ingestion_ms, stream, message)) = cursor.take() else { continue };
        last_out = Some(key);
        let flow = visit(Found { key, ingestion_ms, stream, message });
        if let Some(next) = cursor.head() {
            heap.push(Head { key: next, cursor: index, forward });
        } else {
            // Free the block's bytes once it is read out.
            cursor.plain = Vec::new();
            cursor.events = Vec::new();
        }
        if flow.is_break() {
            return Ok(Ended::Stopped(key));
        }
    }
}

/// Whether a block's stream is still the stream of that name (not a deleted one whose blocks await sweeping).
fn stream_is_live(
    reader: &Reader,
    scan: &Scan<'_>,
    meta: &BlockMeta,
    cache: &mut HashMap<String, Option<u64>>,
) -> Result<bool, ReadError> {
    if scan.stream_id.is_some() {
        return Ok(true);
    }
    let live = match cache.get(&meta.stream) {
        Some(&live) => live,
        None => {
            let live = storage::stream(reader, scan.group_id, &meta.stream)?.map(|s| s.id);
            cache.insert(meta.stream.clone(), live);
            live
        }
    };
    Ok(live == Some(meta.stream_id))
}
