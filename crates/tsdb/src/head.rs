//! The in-memory head: every series' identity and its open chunk (points not yet sealed), plus which
//! write-ahead log records it holds. Guarded by one mutex in the engine; every method here is quick.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::codec::ChunkEncoder;
use crate::point::HeadPoint;
use crate::series::{SeriesKey, SeriesRecord};

/// One series in memory.
pub struct SeriesState {
    pub key: Arc<SeriesKey>,
    pub unit: Option<String>,
    /// Its catalogue entry is committed (until then every write re-sends it).
    pub durable: bool,
    /// When it was last written (epoch ms, arrival time): ListMetrics' RecentlyActive.
    pub last_put_ms: i64,
    /// Points since the last sealed chunk.
    pub open: ChunkEncoder,
    /// The open chunk changed since the last checkpoint.
    pub dirty: bool,
    /// Sealed chunks whose commit is in flight: (newest timestamp, chunk number, chunk). Queries read them until
    /// the store has them.
    pub sealing: Vec<(i64, u64, Arc<Vec<u8>>)>,
}

/// Every series, by id and by key.
#[derive(Default)]
pub struct Head {
    pub series: FxHashMap<u64, SeriesState>,
    pub ids: FxHashMap<Arc<SeriesKey>, u64>,
    pub next_id: u64,
    /// Write-ahead log records applied since the last checkpoint, and their size.
    pub applied: Vec<u64>,
    pub applied_bytes: usize,
}

impl Head {
    /// The id of `key`, creating a (not yet durable) series when it is new.
    pub fn id_for(&mut self, key: &SeriesKey, unit: Option<&str>) -> u64 {
        if let Some(id) = self.ids.get(key) {
            return *id;
        }
        self.create(key, unit)
    }

    fn create(&mut self, key: &SeriesKey, unit: Option<&str>) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        let key = Arc::new(key.clone());
        self.ids.insert(Arc::clone(&key), id);
        self.series.insert(
            id,
            SeriesState {
                key,
                unit: unit.map(str::to_owned),
                durable: false,
                last_put_ms: 0,
                open: ChunkEncoder::new(),
                dirty: false,
                sealing: Vec::new(),
            },
        );
        id
    }

    /// Restores a committed catalogue entry.
    pub fn restore(&mut self, id: u64, record: SeriesRecord) {
        let key = Arc::new(record.key);
        self.ids.insert(Arc::clone(&key), id);
        self.next_id = self.next_id.max(id);
        self.series.insert(
            id,
            SeriesState {
                key,
                unit: record.unit,
                durable: true,
                last_put_ms: 0,
                open: ChunkEncoder::new(),
                dirty: false,
                sealing: Vec::new(),
            },
        );
    }

    /// Appends committed points. Points of unknown series (impossible unless the log is corrupt) are skipped and
    /// counted.
    pub fn append(&mut self, points: &[HeadPoint], now_ms: i64) -> usize {
        let mut unknown = 0;
        for point in points {
            let Some(state) = self.series.get_mut(&point.series) else {
                unknown += 1;
                continue;
            };
            state.open.push(point.timestamp_ms, point.value, point.extra.as_deref());
            state.dirty = true;
            state.durable = true;
            state.last_put_ms = state.last_put_ms.max(now_ms);
        }
        unknown
    }
}

/// The open chunk row's value: when the series was last written, then the chunk.
pub fn encode_open_row(last_put_ms: i64, chunk: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(chunk.len() + 9);
    crate::varint::put_i64(&mut out, last_put_ms);
    out.extend_from_slice(chunk);
    out
}

pub fn decode_open_row(bytes: &[u8]) -> Option<(i64, &[u8])> {
    let mut cursor = crate::varint::Cursor::new(bytes);
    let last_put_ms = cursor.i64()?;
    Some((last_put_ms, cursor.rest()))
}
