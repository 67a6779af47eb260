//! The in-memory head: every series' identity (a metric under one unit) and its open chunk (points not yet
//! sealed), plus which write-ahead log records it holds.
//!
//! Sharded so that concurrent writes do not serialise: a key is hashed once and looked up in one of
//! [`KEY_SHARDS`] read-locked tables; each series has its own lock for its points; the log's bookkeeping has its
//! own. The fold gate orders whole writes against checkpoints and query snapshots (ARCHITECTURE.md, tsdb).

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rustc_hash::FxHashMap;

use crate::codec::ChunkEncoder;
use crate::point::HeadPoint;
use crate::series::{KeyLike, SeriesKey, SeriesRecord, normalise_unit};

/// How many tables the series keys are spread over.
pub const KEY_SHARDS: usize = 16;

/// A panic while a lock was held leaves the head as consistent as any single append: keep serving.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One series in memory: one metric under one unit.
pub struct Series {
    pub id: u64,
    pub key: Arc<SeriesKey>,
    /// The unit of every point of the series (`None`: unitless); it never changes.
    pub unit: Option<String>,
    /// Its catalogue entry is committed (until then every write re-sends it).
    durable: AtomicBool,
    /// When it was last written (epoch ms, arrival time): ListMetrics' RecentlyActive.
    last_put_ms: AtomicI64,
    /// Counted among the catalogue's listed metrics (see `catalog`).
    pub(crate) listed: AtomicBool,
    state: Mutex<SeriesState>,
}

/// What changes with every write of a series.
#[derive(Default)]
pub struct SeriesState {
    /// Points since the last sealed chunk.
    pub open: ChunkEncoder,
    /// The open chunk changed since the last checkpoint.
    pub dirty: bool,
    /// Sealed chunks whose commit is in flight: (newest timestamp, chunk number, chunk). Queries read them until
    /// the store has them.
    pub sealing: Vec<(i64, u64, Arc<Vec<u8>>)>,
}

impl Series {
    fn new(id: u64, key: Arc<SeriesKey>, unit: Option<String>, durable: bool) -> Self {
        Self {
            id,
            key,
            unit,
            durable: AtomicBool::new(durable),
            last_put_ms: AtomicI64::new(0),
            listed: AtomicBool::new(false),
            state: Mutex::new(SeriesState::default()),
        }
    }

    pub fn is_durable(&self) -> bool {
        self.durable.load(Ordering::Relaxed)
    }

    pub fn last_put_ms(&self) -> i64 {
        self.last_put_ms.load(Ordering::Relaxed)
    }

    pub fn state(&self) -> MutexGuard<'_, SeriesState> {
        lock(&self.state)
    }

    /// Restores what an open-chunk row held.
    pub fn restore_open(&self, last_put_ms: i64, open: ChunkEncoder) {
        self.state().open = open;
        self.last_put_ms.store(last_put_ms, Ordering::Relaxed);
    }

    /// Appends committed points of this series; says whether this made it durable (its first write) and
    /// whether the catalogue should list it again (written after it had expired).
    pub fn append(&self, points: &[HeadPoint], now_ms: i64) -> Appended {
        let mut state = self.state();
        for point in points {
            state.open.push(point.timestamp_ms, point.value, point.extra.as_deref());
        }
        state.dirty = true;
        drop(state);
        let became_durable = !self.is_durable() && !self.durable.swap(true, Ordering::Relaxed);
        // The time is stored before the flag is read, and the catalogue's expiry stores the flag before it reads
        // the time again: one of the two sees the other.
        self.last_put_ms.fetch_max(now_ms, Ordering::SeqCst);
        let relist = !became_durable && !self.listed.load(Ordering::SeqCst);
        Appended { became_durable, relist }
    }
}

/// What an append changed beyond the points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub became_durable: bool,
    pub relist: bool,
}

/// The series of one metric, one per unit it was written with (almost always one). Two words.
enum UnitSeries {
    One(Arc<Series>),
    // Boxed: a thin pointer keeps the enum at two words where a bare Vec would make it four.
    #[allow(clippy::box_collection)]
    Many(Box<Vec<Arc<Series>>>),
}

impl UnitSeries {
    fn as_slice(&self) -> &[Arc<Series>] {
        match self {
            UnitSeries::One(series) => std::slice::from_ref(series),
            UnitSeries::Many(all) => all,
        }
    }

    fn push(&mut self, series: Arc<Series>) {
        match self {
            UnitSeries::One(first) => *self = UnitSeries::Many(Box::new(vec![Arc::clone(first), series])),
            UnitSeries::Many(all) => all.push(series),
        }
    }

    fn find(&self, unit: Option<&str>) -> Option<&Arc<Series>> {
        self.as_slice().iter().find(|series| series.unit.as_deref() == unit)
    }
}

struct MetricEntry {
    hash: u64,
    key: Arc<SeriesKey>,
    units: UnitSeries,
}

/// The write-ahead log records applied since the last checkpoint, and their size.
#[derive(Default)]
pub struct Applied {
    pub sequences: Vec<u64>,
    pub bytes: usize,
}

/// Every series, by key and by id, and the log's bookkeeping.
pub struct Head {
    keys: Box<[RwLock<HashTable<MetricEntry>>]>,
    by_id: RwLock<FxHashMap<u64, Arc<Series>>>,
    next_id: AtomicU64,
    applied: Mutex<Applied>,
    /// Held shared by a write while it appends all its points and records its log record, and by a query while it
    /// copies head state and begins its store snapshot; held exclusively by a checkpoint while it takes the applied
    /// records and snapshots the open chunks. So a checkpoint folds either all of a write or none of it, and a query
    /// never sees a point both in a copied open chunk and in a chunk its snapshot holds.
    fold_gate: RwLock<()>,
}

impl Default for Head {
    fn default() -> Self {
        Self {
            keys: (0..KEY_SHARDS).map(|_| RwLock::new(HashTable::new())).collect(),
            by_id: RwLock::default(),
            next_id: AtomicU64::new(0),
            applied: Mutex::default(),
            fold_gate: RwLock::new(()),
        }
    }
}

/// Which key shard a hash belongs to: bits the tables use for neither their buckets (low bits) nor their
/// control bytes (the top seven).
fn shard_of(hash: u64) -> usize {
    (hash >> 40) as usize % KEY_SHARDS
}

impl Head {
    /// The series of `key` (whose [`KeyLike::stable_hash`] is `hash`) under `unit` (normalised: no unit and
    /// `None` are the same), creating a (not yet durable) series when it is new.
    pub fn series_for<K: KeyLike + ?Sized>(&self, key: &K, hash: u64, unit: Option<&str>) -> Arc<Series> {
        let unit = normalise_unit(unit);
        let shard = &self.keys[shard_of(hash)];
        {
            let table = read(shard);
            if let Some(series) = table
                .find(hash, |entry| entry.hash == hash && key.matches(&entry.key))
                .and_then(|entry| entry.units.find(unit))
            {
                return Arc::clone(series);
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let made = |key| Arc::new(Series::new(id, key, unit.map(str::to_owned), false));
        let series = Self::link(&mut write(shard), hash, |entry| key.matches(entry), || key.to_owned_key(), unit, made);
        // Raced by another writer: the id drawn above is simply never used.
        if series.id == id {
            write(&self.by_id).insert(id, Arc::clone(&series));
        }
        series
    }

    /// The series of the key `matches` accepts under `unit` in `table`, made by `made` (given the key, shared
    /// with the metric's other units, or `owned()` for a new metric) when there is none.
    fn link(
        table: &mut HashTable<MetricEntry>,
        hash: u64,
        matches: impl Fn(&SeriesKey) -> bool,
        owned: impl FnOnce() -> SeriesKey,
        unit: Option<&str>,
        made: impl FnOnce(Arc<SeriesKey>) -> Arc<Series>,
    ) -> Arc<Series> {
        match table.entry(hash, |entry| entry.hash == hash && matches(&entry.key), |entry| entry.hash) {
            Entry::Occupied(mut occupied) => {
                let entry = occupied.get_mut();
                if let Some(series) = entry.units.find(unit) {
                    return Arc::clone(series);
                }
                let series = made(Arc::clone(&entry.key));
                entry.units.push(Arc::clone(&series));
                series
            }
            Entry::Vacant(vacant) => {
                let series = made(Arc::new(owned()));
                let key = Arc::clone(&series.key);
                vacant.insert(MetricEntry { hash, key, units: UnitSeries::One(Arc::clone(&series)) });
                series
            }
        }
    }

    /// Restores a committed catalogue entry as the series of the unit it records. A data dir written before units
    /// were kept per datapoint has one entry a metric, holding the unit last written: its points, whatever unit
    /// they were sent with, stay in that one series under that unit (there is no migration).
    pub fn restore(&self, id: u64, record: SeriesRecord) {
        self.next_id.fetch_max(id, Ordering::Relaxed);
        let unit = normalise_unit(record.unit.as_deref()).map(str::to_owned);
        let hash = record.key.stable_hash();
        let made = |key| Arc::new(Series::new(id, key, unit.clone(), true));
        let shard = &mut write(&self.keys[shard_of(hash)]);
        let key = &record.key;
        let series = Self::link(shard, hash, |entry| entry == key, || record.key.clone(), unit.as_deref(), made);
        write(&self.by_id).insert(id, series);
    }

    /// Every series of `key`, one per unit.
    pub fn series_of(&self, key: &SeriesKey) -> Vec<Arc<Series>> {
        let hash = key.stable_hash();
        let table = read(&self.keys[shard_of(hash)]);
        table
            .find(hash, |entry| entry.hash == hash && entry.key.as_ref() == key)
            .map_or_else(Vec::new, |entry| entry.units.as_slice().to_vec())
    }

    pub fn get(&self, id: u64) -> Option<Arc<Series>> {
        read(&self.by_id).get(&id).cloned()
    }

    /// The series of each id, in order, under one lock.
    pub fn get_many(&self, ids: &[u64]) -> Vec<Option<Arc<Series>>> {
        let by_id = read(&self.by_id);
        ids.iter().map(|id| by_id.get(id).cloned()).collect()
    }

    /// Calls `f` on every series, in no particular order, under the id table's read lock (new series wait).
    pub fn for_each(&self, mut f: impl FnMut(&Arc<Series>)) {
        read(&self.by_id).values().for_each(&mut f);
    }

    pub fn ids(&self) -> Vec<u64> {
        read(&self.by_id).keys().copied().collect()
    }

    pub fn len(&self) -> usize {
        read(&self.by_id).len()
    }

    /// Appends committed points, in runs of one series, looked up by id (replay). Points of unknown series
    /// (impossible unless the log is corrupt) are skipped and counted.
    pub fn append_by_id(&self, points: &[HeadPoint], now_ms: i64) -> usize {
        let mut unknown = 0;
        for run in points.chunk_by(|a, b| a.series == b.series) {
            match self.get(run[0].series) {
                // Replayed series are restored ones: durable, and indexed when the catalogue is built.
                Some(series) => {
                    series.append(run, now_ms);
                }
                None => unknown += run.len(),
            }
        }
        unknown
    }

    pub fn applied(&self) -> MutexGuard<'_, Applied> {
        lock(&self.applied)
    }

    /// Shared by writes and query snapshots.
    pub fn gate_shared(&self) -> RwLockReadGuard<'_, ()> {
        read(&self.fold_gate)
    }

    /// Exclusive to a checkpoint's fold.
    pub fn gate_exclusive(&self) -> RwLockWriteGuard<'_, ()> {
        write(&self.fold_gate)
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
    use crate::series::SeriesRef;

    fn key() -> SeriesKey {
        SeriesKey::new("1", "r", "App", "Latency", vec![("Host".into(), "a".into())])
    }

    fn id_for(head: &Head, unit: Option<&str>) -> u64 {
        head.series_for(&key(), key().stable_hash(), unit).id
    }

    /// Catalogue entries are restored as the series of the unit they record, `None` (as a data dir written before
    /// units were per datapoint may hold) as the unitless one; later writes find them instead of adding series.
    #[test]
    fn restored_entries_are_their_units_series() {
        let head = Head::default();
        head.restore(7, SeriesRecord { key: key(), unit: Some("None".into()) });
        head.restore(9, SeriesRecord { key: key(), unit: Some("Seconds".into()) });
        for (unit, id) in [(None, 7), (Some("None"), 7), (Some(""), 7), (Some("Seconds"), 9)] {
            assert_eq!(id_for(&head, unit), id, "{unit:?}");
        }
        assert_eq!(id_for(&head, Some("Count")), 10, "a new unit is a new series after the restored ids");
        let ids: Vec<u64> = head.series_of(&key()).iter().map(|s| s.id).collect();
        assert_eq!(ids, [7, 9, 10]);
        assert_eq!(head.len(), 3);
        assert_eq!(std::mem::size_of::<UnitSeries>(), 16);
        let keys: Vec<_> = head.series_of(&key()).iter().map(|s| Arc::as_ptr(&s.key)).collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "the series of one metric share its key");
    }

    /// A borrowed key hashes and matches as its owned key does, so either finds the series the other made; keys
    /// that differ only in where one field ends and the next begins are different series.
    #[test]
    fn borrowed_and_owned_keys_find_the_same_series() {
        let head = Head::default();
        let dims = [("Host", "a")];
        let borrowed =
            SeriesRef { account: "1", region: "r", namespace: "App", metric_name: "Latency", dimensions: &dims };
        assert_eq!(borrowed.stable_hash(), key().stable_hash());
        let made = head.series_for(&borrowed, borrowed.stable_hash(), None);
        assert_eq!(id_for(&head, None), made.id);
        assert_eq!(*made.key, key());
        let shifted =
            SeriesRef { account: "1", region: "r", namespace: "AppL", metric_name: "atency", dimensions: &dims };
        assert_ne!(shifted.stable_hash(), borrowed.stable_hash());
        assert_ne!(head.series_for(&shifted, shifted.stable_hash(), None).id, made.id);
    }
}
