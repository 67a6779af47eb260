//! The engine handle: opening (catalogue, open chunks, write-ahead log replay, schema-1 import), the write path
//! (prepare -> the caller commits the mutations with its audit record -> apply) and checkpoints.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use skywatch_store::{Mutation, Store};

use crate::storage::{self, TsChange};

use crate::blocks;
use crate::catalog::Catalog;
use crate::codec::{self, ChunkEncoder};
use crate::config::{Config, millis};
use crate::error::{MaintenanceError, OpenTsdbError};
use crate::head::{Head, Series, decode_open_row, encode_open_row};
use crate::point::{HeadPoint, Sample};
use crate::series::{KeyLike, SeriesKey, SeriesRecord, SeriesRef};
use crate::wal;

/// One point to write.
#[derive(Debug, Clone, PartialEq)]
pub struct WritePoint {
    pub series: SeriesKey,
    pub unit: Option<String>,
    pub timestamp_ms: i64,
    pub sample: Sample,
}

/// One point to write, its series borrowed from the request (PutMetricData's path: nothing is copied unless the
/// series is new).
#[derive(Debug, Clone, PartialEq)]
pub struct PointRef<'a> {
    pub series: SeriesRef<'a>,
    pub unit: Option<&'a str>,
    pub timestamp_ms: i64,
    pub sample: Sample,
}

/// A write whose mutations the caller commits (with its audit record) before calling [`Tsdb::apply`].
pub struct PreparedWrite {
    pub mutations: Vec<Mutation>,
    /// The write's log records (page-sized parts of one write, committed together).
    sequences: Vec<u64>,
    wal_bytes: usize,
    points: Vec<HeadPoint>,
    /// The points' series, one entry a run of consecutive points of one series: (series, end of the run).
    runs: Vec<(Arc<Series>, usize)>,
}

impl std::fmt::Debug for PreparedWrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedWrite")
            .field("mutations", &self.mutations.len())
            .field("sequences", &self.sequences)
            .field("points", &self.points.len())
            .finish()
    }
}

impl PreparedWrite {
    pub fn point_count(&self) -> usize {
        self.points.len()
    }
}

/// The time-series engine; cheap to clone.
#[derive(Clone)]
pub struct Tsdb {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) config: Config,
    pub(crate) head: Head,
    pub(crate) catalog: Catalog,
    next_sequence: AtomicU64,
    next_chunk: AtomicU64,
    /// One checkpoint at a time.
    checkpointing: tokio::sync::Mutex<()>,
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1)
}

impl Tsdb {
    /// Loads the catalogue and open chunks and replays the write-ahead log (and imports schema-1 points once).
    /// Blocking: call from a blocking context or before the runtime serves requests.
    pub fn open(store: Store, config: Config) -> Result<Self, OpenTsdbError> {
        let head = Head::default();
        let corrupt = |what: String| OpenTsdbError::Corrupt(what);
        let (series, open_rows, max_wal) = store.read_blocking(|r| {
            let wal = storage::wal(r)?;
            Ok((storage::series(r)?, storage::open_chunks(r)?, wal.last().map(|(seq, _)| *seq).unwrap_or(0)))
        })?;
        for (id, bytes) in series {
            let record = SeriesRecord::decode(&bytes).ok_or_else(|| corrupt(format!("series record {id}")))?;
            head.restore(id, record);
        }
        for (id, bytes) in open_rows {
            let (last_put_ms, chunk) = decode_open_row(&bytes).ok_or_else(|| corrupt(format!("open chunk {id}")))?;
            let encoder = if chunk.is_empty() {
                ChunkEncoder::new()
            } else {
                ChunkEncoder::from_chunk(chunk).map_err(|e| corrupt(format!("open chunk {id}: {e}")))?
            };
            if let Some(series) = head.get(id) {
                series.restore_open(last_put_ms, encoder);
            }
        }
        let tsdb = Self {
            inner: Arc::new(Inner {
                store: store.clone(),
                config,
                head,
                catalog: Catalog::default(),
                next_sequence: AtomicU64::new(clock_seed().max(max_wal + 1)),
                next_chunk: AtomicU64::new(clock_seed()),
                checkpointing: tokio::sync::Mutex::new(()),
            }),
        };
        tsdb.replay()?;
        tsdb.catalog_build(crate::maintenance::now_ms());
        tsdb.import_schema_1()?;
        Ok(tsdb)
    }

    pub(crate) fn head(&self) -> &Head {
        &self.inner.head
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    fn replay(&self) -> Result<(), OpenTsdbError> {
        let rows = self.inner.store.read_blocking(storage::wal)?;
        let head = self.head();
        let mut applied = head.applied();
        let mut replayed = 0usize;
        for (sequence, bytes) in rows {
            let points = wal::decode(&bytes)
                .ok_or_else(|| OpenTsdbError::Corrupt(format!("write-ahead log record {sequence}")))?;
            let last_put = points.iter().map(|p| p.timestamp_ms).max().unwrap_or(0);
            let unknown = head.append_by_id(&points, last_put);
            if unknown > 0 {
                return Err(OpenTsdbError::Corrupt(format!("log record {sequence} names {unknown} unknown series")));
            }
            replayed += points.len();
            applied.sequences.push(sequence);
            applied.bytes += bytes.len();
        }
        if replayed > 0 {
            tracing::info!(points = replayed, "replayed the metric write-ahead log");
        }
        Ok(())
    }

    /// Moves schema 1's raw metric rows into the engine: one logged write, then the old table is dropped, in one
    /// commit.
    fn import_schema_1(&self) -> Result<(), OpenTsdbError> {
        let legacy = self.inner.store.read_blocking(storage::legacy_points)?;
        if legacy.is_empty() {
            return Ok(());
        }
        let points: Vec<WritePoint> = legacy
            .into_iter()
            .filter_map(|legacy| {
                let storage::LegacyPoint { account, region, series: key, timestamp_ms, stats } = legacy;
                let [sample_count, sum, minimum, maximum] = stats;
                let mut parts = key.split('\u{1f}');
                let namespace = parts.next()?.to_owned();
                let metric = parts.next()?.to_owned();
                let dimensions =
                    parts.filter_map(|d| d.split_once('=')).map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
                let summary = crate::summary::Summary::from_statistic_set(sample_count, sum, minimum, maximum);
                Some(WritePoint {
                    series: SeriesKey::new(account, region, namespace, metric, dimensions),
                    unit: None,
                    timestamp_ms,
                    sample: if sample_count == 1.0 { Sample::Value(sum) } else { Sample::Summary(summary) },
                })
            })
            .collect();
        let count = points.len();
        // Listed by ListMetrics as written when their newest point was.
        let last_put_ms = points.iter().map(|p| p.timestamp_ms).max().unwrap_or(0);
        let mut prepared = self.prepare(&points);
        prepared.mutations.push(TsChange::DropLegacyPoints.into());
        self.inner.store.apply_blocking(std::mem::take(&mut prepared.mutations))?;
        self.apply(prepared, last_put_ms);
        tracing::info!(points = count, "imported schema-1 metric points");
        Ok(())
    }

    /// Interns the series (one per metric and unit), encodes the write-ahead log record and returns the mutations
    /// to commit. Nothing is visible to queries until [`Tsdb::apply`].
    pub fn prepare(&self, points: &[WritePoint]) -> PreparedWrite {
        self.prepare_with(points.iter().map(|p| (&p.series, p.unit.as_deref(), p.timestamp_ms, &p.sample)))
    }

    /// [`Tsdb::prepare`] for points whose series are borrowed: nothing is copied unless a series is new.
    pub fn prepare_refs(&self, points: &[PointRef<'_>]) -> PreparedWrite {
        self.prepare_with(points.iter().map(|p| (&p.series, p.unit, p.timestamp_ms, &p.sample)))
    }

    /// Each key is hashed once and looked up in its shard; consecutive points of one series (a datum's Values, a
    /// client's batch per series) reuse the lookup when their key is the same one.
    fn prepare_with<'p, K: KeyLike + 'p>(
        &self,
        points: impl ExactSizeIterator<Item = (&'p K, Option<&'p str>, i64, &'p Sample)>,
    ) -> PreparedWrite {
        let head = self.head();
        let mut head_points = Vec::with_capacity(points.len());
        let mut runs: Vec<(Arc<Series>, usize)> = Vec::new();
        let mut mutations = Vec::new();
        let mut previous: Option<(&K, Option<&str>)> = None;
        for (key, unit, timestamp_ms, sample) in points {
            let same = previous.is_some_and(|(last, last_unit)| last_unit == unit && key.same(last));
            if !same {
                let series = head.series_for(key, key.stable_hash(), unit);
                // A series is one metric under one unit: its catalogue entry never changes once durable. Until
                // then every write re-sends it (two writes racing on a new series both send the same record).
                if !series.is_durable() && !runs.iter().any(|(s, _)| Arc::ptr_eq(s, &series)) {
                    let record = SeriesRecord { key: (*series.key).clone(), unit: series.unit.clone() };
                    mutations.push(TsChange::PutSeries { id: series.id, record: record.encode() }.into());
                }
                runs.push((series, head_points.len()));
                previous = Some((key, unit));
            }
            let id = runs.last().map_or(0, |(series, _)| series.id);
            head_points.push(HeadPoint::new(id, timestamp_ms, sample));
            if let Some(run) = runs.last_mut() {
                run.1 = head_points.len();
            }
        }
        let mut sequences = Vec::new();
        let mut wal_bytes = 0;
        for record in wal::encode_parts(&head_points) {
            let sequence = self.inner.next_sequence.fetch_add(1, Ordering::Relaxed);
            wal_bytes += record.len();
            sequences.push(sequence);
            mutations.push(TsChange::AppendWal { sequence, record }.into());
        }
        PreparedWrite { mutations, sequences, wal_bytes, points: head_points, runs }
    }

    /// Makes a committed write visible. Call only after its mutations are durable.
    pub fn apply(&self, prepared: PreparedWrite, now_ms: i64) {
        let head = self.head();
        // The whole write lands between two checkpoint folds (see `Head::fold_gate`).
        let _gate = head.gate_shared();
        let (mut became_durable, mut relisted) = (Vec::new(), Vec::new());
        let mut start = 0;
        for (series, end) in &prepared.runs {
            let appended = series.append(&prepared.points[start..*end], now_ms);
            if appended.became_durable {
                became_durable.push(Arc::clone(series));
            } else if appended.relist {
                relisted.push(Arc::clone(series));
            }
            start = *end;
        }
        {
            let mut applied = head.applied();
            applied.sequences.extend_from_slice(&prepared.sequences);
            applied.bytes += prepared.wal_bytes;
        }
        drop(_gate);
        self.catalog_note(&became_durable, &relisted);
    }

    /// Bytes of write-ahead log not yet folded into chunks.
    pub fn wal_bytes(&self) -> usize {
        self.head().applied().bytes
    }

    /// Whether the log has grown enough that a checkpoint should run now.
    pub fn checkpoint_due(&self) -> bool {
        self.wal_bytes() >= self.inner.config.checkpoint_wal_bytes
    }

    /// Folds the write-ahead log into chunks: writes every changed open chunk, seals full, long or idle ones, and
    /// deletes exactly the log records the head holds, in one commit. A crash before the commit replays the log;
    /// after it, the chunks hold everything.
    pub async fn checkpoint(&self, now_ms: i64) -> Result<usize, MaintenanceError> {
        let _one_at_a_time = self.inner.checkpointing.lock().await;
        let config = self.inner.config;
        let head = self.head();
        let (mutations, sealed, applied) = {
            // No write lands in the middle of the fold: a write's log record is deleted here exactly when all its
            // points are in the open chunks written here.
            let _gate = head.gate_exclusive();
            let applied = {
                let mut applied = head.applied();
                applied.bytes = 0;
                std::mem::take(&mut applied.sequences)
            };
            let mut mutations: Vec<Mutation> = Vec::new();
            let mut sealed = Vec::new();
            // Every chunk this checkpoint seals is numbered from here on.
            let floor = self.inner.next_chunk.load(Ordering::Relaxed);
            head.for_each(|series| {
                let mut state = series.state();
                let id = series.id;
                // A query may hold this series' sealing chunks and any sealed below from the head until this commit
                // is done: those are never merged into another chunk's number.
                let merge_below =
                    state.sealing.iter().map(|(_, number, _)| *number).min().unwrap_or(u64::MAX).min(floor);
                for (_, number, chunk) in &state.sealing {
                    let change =
                        TsChange::SealChunk { series: id, number: *number, chunk: chunk.to_vec(), merge_below };
                    mutations.push(change.into());
                }
                let idle = now_ms.saturating_sub(series.last_put_ms()) >= idle_after(id, millis(config.chunk_idle));
                let long = match (state.open.min_timestamp(), state.open.max_timestamp()) {
                    (Some(min), Some(max)) => crosses_boundary(id, min, max, millis(config.chunk_max_span)),
                    _ => false,
                };
                let seal = !state.open.is_empty()
                    && (state.open.len() >= config.chunk_max_points
                        || state.open.encoded_len() >= config.chunk_max_bytes
                        || long
                        || idle);
                if seal {
                    let whole = state.open.snapshot();
                    // A chunk that grew past a page between checkpoints is sealed in page-sized pieces.
                    let pieces = blocks::split(&whole, config.chunk_max_bytes).unwrap_or_else(|_| vec![whole]);
                    for piece in pieces {
                        let number = self.inner.next_chunk.fetch_add(1, Ordering::Relaxed);
                        let max = codec::header(&piece).map_or(i64::MAX, |header| header.max_timestamp_ms);
                        let chunk = Arc::new(piece);
                        let change = TsChange::SealChunk { series: id, number, chunk: chunk.to_vec(), merge_below };
                        mutations.push(change.into());
                        state.sealing.push((max, number, chunk));
                    }
                    state.open = ChunkEncoder::new();
                    state.dirty = true;
                }
                if state.dirty {
                    mutations.push(
                        TsChange::PutOpenChunk {
                            series: id,
                            chunk: encode_open_row(series.last_put_ms(), &state.open.snapshot()),
                        }
                        .into(),
                    );
                    state.dirty = false;
                }
                if !state.sealing.is_empty() {
                    sealed.push(Arc::clone(series));
                }
            });
            mutations.extend(applied.iter().map(|&sequence| TsChange::DeleteWal { sequence }.into()));
            (mutations, sealed, applied)
        };
        if mutations.is_empty() {
            return Ok(0);
        }
        let count = mutations.len();
        match self.inner.store.apply(mutations).await {
            Ok(()) => {
                // Only now: a query that copied a sealing chunk before this commit must still find it.
                for series in sealed {
                    series.state().sealing.clear();
                }
                Ok(count)
            }
            Err(error) => {
                // Nothing was committed: the log records stay, so the next checkpoint deletes them; open chunks
                // are rewritten then too.
                head.applied().sequences.extend(applied);
                head.for_each(|series| series.state().dirty = true);
                Err(error.into())
            }
        }
    }
}

/// A phase in `0..span_ms` drawn from a series id, to spread the series' seals over time.
fn phase(series: u64, span_ms: i64) -> i64 {
    if span_ms <= 0 {
        return 0;
    }
    ((series.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16) % span_ms.unsigned_abs()) as i64
}

/// Whether a chunk spanning `min_ms..=max_ms` is as long as chunks get: it spans `span_ms`, or crosses one of its
/// series' chunk boundaries, multiples of `span_ms` shifted by the series' phase. Series written together then
/// seal at different checkpoints: each seal rewrites its series' tail, and all at once the file would need room
/// for every tail twice (issue 15).
fn crosses_boundary(series: u64, min_ms: i64, max_ms: i64, span_ms: i64) -> bool {
    if span_ms <= 0 || max_ms.saturating_sub(min_ms) >= span_ms {
        return true;
    }
    let cell = |at: i64| (i128::from(at) + i128::from(phase(series, span_ms))).div_euclid(i128::from(span_ms));
    cell(min_ms) != cell(max_ms)
}

/// How long a series is idle before its open chunk is sealed: `idle_ms` and up to as long again by the series'
/// phase, so that series that stop together seal at different checkpoints.
fn idle_after(series: u64, idle_ms: i64) -> i64 {
    idle_ms.saturating_add(phase(series, idle_ms))
}

#[cfg(test)]
mod tests {
    use super::{crosses_boundary, idle_after};

    /// Issue 15: a thousand series started together cross their first boundary at many different minutes of the
    /// six hours, and every chunk is cut by six hours at the latest.
    #[test]
    fn series_written_together_seal_at_different_times() {
        let (span, minute, t0) = (6 * 3_600_000, 60_000, 1_800_000_000_000i64);
        let mut first_seal = std::collections::BTreeSet::new();
        for series in 0..1000u64 {
            let at = (1..=360).find(|m| crosses_boundary(series, t0, t0 + m * minute, span));
            first_seal.insert(at.expect("sealed within six hours"));
        }
        assert!(first_seal.len() > 250, "{} distinct minutes", first_seal.len());
        assert!(crosses_boundary(7, t0, t0 + span, span));
        assert!(!crosses_boundary(7, t0, t0, span));
        assert!(crosses_boundary(7, i64::MIN, i64::MAX, span));
        assert!(crosses_boundary(7, 0, 0, 0));
        let hour = 3_600_000;
        let idle: std::collections::BTreeSet<i64> = (0..1000).map(|s| idle_after(s, hour) / minute).collect();
        assert!(idle.len() > 40 && idle.iter().all(|m| (60..120).contains(m)), "{idle:?}");
    }
}
