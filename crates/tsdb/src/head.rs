//! The in-memory head: every series' identity (a metric under one unit) and its open chunk (points not yet
//! sealed), plus which write-ahead log records it holds. Guarded by one mutex in the engine; every method here is
//! quick.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::codec::ChunkEncoder;
use crate::point::HeadPoint;
use crate::series::{SeriesKey, SeriesRecord, normalise_unit};

/// One series in memory: one metric under one unit.
pub struct SeriesState {
    pub key: Arc<SeriesKey>,
    /// The unit of every point of the series (`None`: unitless); it never changes.
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

/// The series ids of one metric, one per unit it was written with (almost always one). Two words: the map of every
/// metric holds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitIds {
    One(u64),
    // Boxed: a thin pointer keeps the enum at two words where a bare Vec would make it four.
    #[allow(clippy::box_collection)]
    Many(Box<Vec<u64>>),
}

impl UnitIds {
    pub fn as_slice(&self) -> &[u64] {
        match self {
            UnitIds::One(id) => std::slice::from_ref(id),
            UnitIds::Many(ids) => ids,
        }
    }

    fn push(&mut self, id: u64) {
        match self {
            UnitIds::One(first) => *self = UnitIds::Many(Box::new(vec![*first, id])),
            UnitIds::Many(ids) => ids.push(id),
        }
    }
}

/// Every series, by id, and each metric's series by key. A series is one (metric, unit): the metric's key is
/// hashed once a lookup and its few units compared in the series, so a datum costs one hash of its key and no copy.
#[derive(Default)]
pub struct Head {
    pub series: FxHashMap<u64, SeriesState>,
    pub metrics: FxHashMap<Arc<SeriesKey>, UnitIds>,
    pub next_id: u64,
    /// Write-ahead log records applied since the last checkpoint, and their size.
    pub applied: Vec<u64>,
    pub applied_bytes: usize,
}

impl Head {
    /// The id of the series of `key` under `unit` (normalised: no unit and `None` are the same), creating a (not
    /// yet durable) series when it is new.
    pub fn id_for(&mut self, key: &SeriesKey, unit: Option<&str>) -> u64 {
        let unit = normalise_unit(unit);
        if let Some(id) = self.find(key, unit) {
            return id;
        }
        self.next_id += 1;
        let id = self.next_id;
        self.insert(id, key, unit.map(str::to_owned), false);
        id
    }

    /// The series of `key` under the normalised `unit`, if it exists.
    fn find(&self, key: &SeriesKey, unit: Option<&str>) -> Option<u64> {
        let ids = self.metrics.get(key)?;
        ids.as_slice().iter().copied().find(|id| self.series.get(id).is_some_and(|s| s.unit.as_deref() == unit))
    }

    /// The ids of every series of `key`, one per unit.
    pub fn ids_of(&self, key: &SeriesKey) -> &[u64] {
        self.metrics.get(key).map_or(&[], UnitIds::as_slice)
    }

    /// Adds a series; the series of one metric share its key.
    fn insert(&mut self, id: u64, key: &SeriesKey, unit: Option<String>, durable: bool) {
        let key = match self.metrics.get_key_value(key) {
            Some((shared, _)) => Arc::clone(shared),
            None => Arc::new(key.clone()),
        };
        match self.metrics.get_mut(&key) {
            Some(ids) => ids.push(id),
            None => {
                self.metrics.insert(Arc::clone(&key), UnitIds::One(id));
            }
        }
        self.series.insert(
            id,
            SeriesState {
                key,
                unit,
                durable,
                last_put_ms: 0,
                open: ChunkEncoder::new(),
                dirty: false,
                sealing: Vec::new(),
            },
        );
    }

    /// Restores a committed catalogue entry as the series of the unit it records. A data dir written before units
    /// were kept per datapoint has one entry a metric, holding the unit last written: its points, whatever unit
    /// they were sent with, stay in that one series under that unit (there is no migration).
    pub fn restore(&mut self, id: u64, record: SeriesRecord) {
        self.next_id = self.next_id.max(id);
        let unit = normalise_unit(record.unit.as_deref()).map(str::to_owned);
        self.insert(id, &record.key, unit, true);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SeriesKey {
        SeriesKey::new("1", "r", "App", "Latency", Vec::new())
    }

    /// Catalogue entries are restored as the series of the unit they record, `None` (as a data dir written before
    /// units were per datapoint may hold) as the unitless one; later writes find them instead of adding series.
    #[test]
    fn restored_entries_are_their_units_series() {
        let mut head = Head::default();
        head.restore(7, SeriesRecord { key: key(), unit: Some("None".into()) });
        head.restore(9, SeriesRecord { key: key(), unit: Some("Seconds".into()) });
        for (unit, id) in [(None, 7), (Some("None"), 7), (Some(""), 7), (Some("Seconds"), 9)] {
            assert_eq!(head.id_for(&key(), unit), id, "{unit:?}");
        }
        assert_eq!(head.id_for(&key(), Some("Count")), 10, "a new unit is a new series after the restored ids");
        assert_eq!(head.ids_of(&key()), [7, 9, 10]);
        assert_eq!(head.series.len(), 3);
        assert_eq!(std::mem::size_of::<UnitIds>(), 16);
        let keys: Vec<_> = head.series.values().map(|s| Arc::as_ptr(&s.key)).collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "the series of one metric share its key");
    }
}
