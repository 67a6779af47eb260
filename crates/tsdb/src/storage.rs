//! Where the metrics engine keeps its data: its tables (series catalogue, write-ahead log, open chunks, sealed
//! chunks in blocks and tails, roll-ups, and schema 1's raw points until they are imported), its change type, and its reads.

use std::ops::ControlFlow;

use crate::blocks::{self, Append};
use skywatch_store::{Change, Direction, Key, KeyReader, ReadError, Reader, Table, Tx, WriteError};

/// Metric series catalogue: series id -> encoded identity (account, region, namespace, metric, dimensions, unit).
pub const SERIES: Table = Table::new("ts_series_v2");
/// The metric write-ahead log: sequence -> one acknowledged write batch, until a checkpoint holds it in chunks.
pub const WAL: Table = Table::new("ts_wal_v2");
/// Each series' open (still growing) chunk as of the last checkpoint: series id -> encoded chunk.
pub const OPEN_CHUNKS: Table = Table::new("ts_open_chunks_v2");
/// Sealed chunks one a row, as written before blocks: (series id, newest timestamp ms in the chunk, chunk number)
/// -> encoded chunk. No longer written; read by queries and emptied by retention.
pub const CHUNKS: Table = Table::new("ts_chunks_v2");
/// Sealed chunks in page-sized blocks (see [`crate::blocks`]): (series id, newest timestamp ms in the block, its
/// first chunk number) -> block. Keyed by the newest timestamp so a range query starts at the first block that can
/// overlap it; written once, deleted whole.
pub const BLOCKS: Table = Table::new("ts_blocks_v1");
/// Each series' most recent sealed chunks, not yet a block: series id -> tail (the block encoding).
pub const TAILS: Table = Table::new("ts_tails_v1");
/// Roll-ups: (series id, period seconds, UTC day start ms) -> the day's encoded per-period summaries.
pub const ROLLUPS: Table = Table::new("ts_rollups_v2");
/// Schema 1's raw datapoints, (account, region, series key, timestamp ms, sequence) -> SampleCount, Sum, Minimum,
/// Maximum as little-endian f64s; imported into the engine once on open, then dropped.
pub const LEGACY_POINTS: Table = Table::new("metric_points_v2");

/// Every table of the metrics engine.
pub const TABLES: &[Table] = &[SERIES, WAL, OPEN_CHUNKS, CHUNKS, BLOCKS, TAILS, ROLLUPS, LEGACY_POINTS];

/// A change to the engine's tables.
#[derive(Debug, Clone, PartialEq)]
pub enum TsChange {
    /// A series' catalogue entry (insert or replace).
    PutSeries {
        id: u64,
        record: Vec<u8>,
    },
    /// One acknowledged write batch, kept until a checkpoint holds its points in chunks.
    AppendWal {
        sequence: u64,
        record: Vec<u8>,
    },
    DeleteWal {
        sequence: u64,
    },
    /// A series' open chunk as of a checkpoint (replaces the previous one).
    PutOpenChunk {
        series: u64,
        chunk: Vec<u8>,
    },
    DeleteOpenChunk {
        series: u64,
    },
    /// A sealed chunk, appended to its series' tail (which becomes a block when full).
    SealChunk {
        series: u64,
        number: u64,
        chunk: Vec<u8>,
        /// Only chunks numbered below this may be merged (see [`blocks::append`]).
        merge_below: u64,
    },
    /// A schema-2 sealed chunk row (retention).
    DeleteChunk {
        series: u64,
        max_timestamp_ms: i64,
        number: u64,
    },
    DeleteBlock {
        series: u64,
        max_timestamp_ms: i64,
        first_number: u64,
    },
    /// Drops the chunks of a series' tail whose newest point is before `before_ms` (retention; read and decided in
    /// the commit, so a chunk sealed meanwhile stays).
    ExpireTail {
        series: u64,
        before_ms: i64,
    },
    PutRollup {
        series: u64,
        period_seconds: u32,
        day_start_ms: i64,
        summaries: Vec<u8>,
    },
    DeleteRollup {
        series: u64,
        period_seconds: u32,
        day_start_ms: i64,
    },
    /// The engine's progress marker under `key` (database-wide facts).
    PutMeta {
        key: String,
        value: Vec<u8>,
    },
    /// Removes every schema-1 raw datapoint (after the engine imported them).
    DropLegacyPoints,
}

fn chunk_key(series: u64, max_timestamp_ms: i64, number: u64) -> Key {
    Key::new().u64(series).i64(max_timestamp_ms).u64(number)
}

fn rollup_key(series: u64, period_seconds: u32, day_start_ms: i64) -> Key {
    Key::new().u64(series).u32(period_seconds).i64(day_start_ms)
}

impl Change for TsChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let id = |n: u64| Key::new().u64(n);
        match self {
            TsChange::PutSeries { id: series, record } => tx.put(SERIES, id(*series).as_bytes(), record),
            TsChange::AppendWal { sequence, record } => tx.put(WAL, id(*sequence).as_bytes(), record),
            TsChange::DeleteWal { sequence } => tx.remove(WAL, id(*sequence).as_bytes()),
            TsChange::PutOpenChunk { series, chunk } => tx.put(OPEN_CHUNKS, id(*series).as_bytes(), chunk),
            TsChange::DeleteOpenChunk { series } => tx.remove(OPEN_CHUNKS, id(*series).as_bytes()),
            TsChange::SealChunk { series, number, chunk, merge_below } => {
                seal(tx, *series, *number, chunk, *merge_below)
            }
            TsChange::DeleteBlock { series, max_timestamp_ms, first_number } => {
                tx.remove(BLOCKS, chunk_key(*series, *max_timestamp_ms, *first_number).as_bytes())
            }
            TsChange::ExpireTail { series, before_ms } => expire_tail(tx, *series, *before_ms),
            TsChange::DeleteChunk { series, max_timestamp_ms, number } => {
                tx.remove(CHUNKS, chunk_key(*series, *max_timestamp_ms, *number).as_bytes())
            }
            TsChange::PutRollup { series, period_seconds, day_start_ms, summaries } => {
                tx.put(ROLLUPS, rollup_key(*series, *period_seconds, *day_start_ms).as_bytes(), summaries)
            }
            TsChange::DeleteRollup { series, period_seconds, day_start_ms } => {
                tx.remove(ROLLUPS, rollup_key(*series, *period_seconds, *day_start_ms).as_bytes())
            }
            TsChange::PutMeta { key, value } => tx.put_meta(key, value),
            TsChange::DropLegacyPoints => tx.drop_table(LEGACY_POINTS),
        }
    }
}

fn damaged_tail(series: u64, detail: String) -> WriteError {
    WriteError::Storage(format!("the sealed-chunk tail of series {series} is damaged: {detail}"))
}

fn seal(tx: &mut Tx<'_>, series: u64, number: u64, chunk: &[u8], merge_below: u64) -> Result<(), WriteError> {
    let key = Key::new().u64(series);
    let tail = tx.get(TAILS, key.as_bytes())?;
    match blocks::append(tail.as_deref(), number, chunk, merge_below).map_err(|detail| damaged_tail(series, detail))? {
        Append::Present => Ok(()),
        Append::Tail(tail) => tx.put(TAILS, key.as_bytes(), &tail),
        Append::Close { block, max_timestamp_ms, first_number, tail } => {
            tx.put(BLOCKS, chunk_key(series, max_timestamp_ms, first_number).as_bytes(), &block)?;
            tx.put(TAILS, key.as_bytes(), &tail)
        }
    }
}

fn expire_tail(tx: &mut Tx<'_>, series: u64, before_ms: i64) -> Result<(), WriteError> {
    let key = Key::new().u64(series);
    let Some(tail) = tx.get(TAILS, key.as_bytes())? else { return Ok(()) };
    match blocks::expire(&tail, before_ms).map_err(|detail| damaged_tail(series, detail))? {
        None => Ok(()),
        Some(None) => tx.remove(TAILS, key.as_bytes()),
        Some(Some(kept)) => tx.put(TAILS, key.as_bytes(), &kept),
    }
}

/// One sealed chunk with its key parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRow {
    pub series: u64,
    pub max_timestamp_ms: i64,
    pub number: u64,
    pub chunk: Vec<u8>,
}

/// A schema-1 raw datapoint (series key is `namespace\x1fmetric\x1fname=value...`).
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyPoint {
    pub account: String,
    pub region: String,
    pub series: String,
    pub timestamp_ms: i64,
    /// SampleCount, Sum, Minimum, Maximum.
    pub stats: [f64; 4],
}

fn corrupt(what: &str) -> ReadError {
    ReadError::Corrupt(what.to_owned())
}

/// Every row of a table keyed by one u64, by key.
fn by_id(reader: &Reader, table: Table) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
    reader
        .all(table)?
        .into_iter()
        .map(|(key, value)| KeyReader::new(&key).u64().map(|id| (id, value)).ok_or_else(|| corrupt(table.name())))
        .collect()
}

/// Every series catalogue entry, by id.
pub fn series(reader: &Reader) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
    by_id(reader, SERIES)
}

/// Every write-ahead log record, oldest sequence first.
pub fn wal(reader: &Reader) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
    by_id(reader, WAL)
}

/// Every series' open chunk as of the last checkpoint.
pub fn open_chunks(reader: &Reader) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
    by_id(reader, OPEN_CHUNKS)
}

fn chunk_parts(key: &[u8]) -> Option<(u64, i64, u64)> {
    let mut parts = KeyReader::new(key);
    Some((parts.u64()?, parts.i64()?, parts.u64()?))
}

/// Sealed chunks of `series` whose newest point is at or after `from_ms` (schema-2 rows, then blocks, then the
/// tail: oldest first); `keep` sees each chunk's bytes and may skip it (by its header) before it is copied.
pub fn chunks(
    reader: &Reader,
    series: u64,
    from_ms: i64,
    mut keep: impl FnMut(&[u8]) -> bool,
) -> Result<Vec<ChunkRow>, ReadError> {
    let low = Key::new().u64(series).i64(from_ms);
    let high = Key::new().u64(series).prefix_end();
    let mut out = Vec::new();
    let mut bad = None;
    reader.scan(CHUNKS, (Some(low.as_bytes()), high.as_deref()), Direction::Forward, |key, value| {
        if !keep(value) {
            return ControlFlow::Continue(());
        }
        match chunk_parts(key) {
            Some((series, max_timestamp_ms, number)) => {
                out.push(ChunkRow { series, max_timestamp_ms, number, chunk: value.to_vec() });
                ControlFlow::Continue(())
            }
            None => {
                bad = Some("chunk key".to_owned());
                ControlFlow::Break(())
            }
        }
    })?;
    let mut unpack = |bytes: &[u8], out: &mut Vec<ChunkRow>| match blocks::entries(bytes) {
        Ok(entries) => {
            for entry in entries {
                let max_timestamp_ms = entry.max_timestamp_ms();
                if max_timestamp_ms >= from_ms && keep(entry.chunk) {
                    out.push(ChunkRow { series, max_timestamp_ms, number: entry.number, chunk: entry.chunk.to_vec() });
                }
            }
            ControlFlow::Continue(())
        }
        Err(detail) => {
            bad = Some(format!("block of series {series}: {detail}"));
            ControlFlow::Break(())
        }
    };
    reader.scan(BLOCKS, (Some(low.as_bytes()), high.as_deref()), Direction::Forward, |_, value| {
        unpack(value, &mut out)
    })?;
    if let Some(tail) = reader.get(TAILS, Key::new().u64(series).as_bytes())? {
        let _ = unpack(&tail, &mut out);
    }
    match bad {
        Some(what) => Err(corrupt(&what)),
        None => Ok(out),
    }
}

/// Keys of every schema-2 sealed chunk row whose newest point is older than `before_ms` (retention).
pub fn chunks_older_than(reader: &Reader, before_ms: i64) -> Result<Vec<(u64, i64, u64)>, ReadError> {
    let mut out = Vec::new();
    reader.scan(CHUNKS, (None, None), Direction::Forward, |key, _| {
        if let Some(parts) = chunk_parts(key).filter(|(_, max, _)| *max < before_ms) {
            out.push(parts);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// What retention removes from blocks and tails.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExpiredBlocks {
    /// Keys (series, newest timestamp, first chunk number) of blocks whose newest point is older than the cut.
    pub blocks: Vec<(u64, i64, u64)>,
    /// Series whose tail holds a chunk whose newest point is older than the cut.
    pub tails: Vec<u64>,
    /// Chunks in those blocks and tails that go.
    pub chunks: usize,
}

/// Blocks and tail chunks whose newest point is older than `before_ms` (retention).
pub fn blocks_older_than(reader: &Reader, before_ms: i64) -> Result<ExpiredBlocks, ReadError> {
    let mut out = ExpiredBlocks::default();
    let mut bad = None;
    reader.scan(BLOCKS, (None, None), Direction::Forward, |key, value| {
        let Some(parts) = chunk_parts(key).filter(|(_, max, _)| *max < before_ms) else {
            return ControlFlow::Continue(());
        };
        out.blocks.push(parts);
        match blocks::entries(value) {
            Ok(entries) => out.chunks += entries.len(),
            // A damaged block past retention still goes.
            Err(detail) => tracing::warn!(%detail, "deleting a damaged metric block"),
        }
        ControlFlow::Continue(())
    })?;
    reader.scan(TAILS, (None, None), Direction::Forward, |key, value| {
        match (KeyReader::new(key).u64(), blocks::entries(value)) {
            (Some(series), Ok(entries)) => {
                let old = entries.iter().filter(|entry| entry.max_timestamp_ms() < before_ms).count();
                if old > 0 {
                    out.tails.push(series);
                    out.chunks += old;
                }
                ControlFlow::Continue(())
            }
            (_, Err(detail)) => {
                bad = Some(format!("tail: {detail}"));
                ControlFlow::Break(())
            }
            (None, _) => {
                bad = Some("tail key".to_owned());
                ControlFlow::Break(())
            }
        }
    })?;
    match bad {
        Some(what) => Err(corrupt(&what)),
        None => Ok(out),
    }
}

/// Roll-up days of `series` at `period_seconds` with `from_day_ms <= day start <= to_day_ms`, oldest first.
pub fn rollups(
    reader: &Reader,
    series: u64,
    period_seconds: u32,
    (from_day_ms, to_day_ms): (i64, i64),
) -> Result<Vec<(i64, Vec<u8>)>, ReadError> {
    let low = rollup_key(series, period_seconds, from_day_ms);
    let high = match to_day_ms.checked_add(1) {
        Some(end) => Some(rollup_key(series, period_seconds, end).into_bytes()),
        None => Key::new().u64(series).u32(period_seconds).prefix_end(),
    };
    let mut out = Vec::new();
    reader.scan(ROLLUPS, (Some(low.as_bytes()), high.as_deref()), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        if let (Some(_), Some(_), Some(day)) = (parts.u64(), parts.u32(), parts.i64()) {
            out.push((day, value.to_vec()));
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Keys of every roll-up day older than `before_day_ms` at `period_seconds` (retention).
pub fn rollups_older_than(
    reader: &Reader,
    period_seconds: u32,
    before_day_ms: i64,
) -> Result<Vec<(u64, u32, i64)>, ReadError> {
    let mut out = Vec::new();
    reader.scan(ROLLUPS, (None, None), Direction::Forward, |key, _| {
        let mut parts = KeyReader::new(key);
        if let (Some(series), Some(period), Some(day)) = (parts.u64(), parts.u32(), parts.i64())
            && period == period_seconds
            && day < before_day_ms
        {
            out.push((series, period, day));
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Counts in the engine's tables: (series, log records, open chunks, sealed chunks in rows, blocks and tails,
/// roll-up rows). Reads every block: for tests and tools.
pub fn counts(reader: &Reader) -> Result<[u64; 5], ReadError> {
    let mut sealed = reader.len(CHUNKS)?;
    for table in [BLOCKS, TAILS] {
        for (_, value) in reader.all(table)? {
            sealed += blocks::entries(&value).map_err(|detail| corrupt(&detail))?.len() as u64;
        }
    }
    Ok([reader.len(SERIES)?, reader.len(WAL)?, reader.len(OPEN_CHUNKS)?, sealed, reader.len(ROLLUPS)?])
}

/// Every schema-1 raw datapoint not yet imported.
pub fn legacy_points(reader: &Reader) -> Result<Vec<LegacyPoint>, ReadError> {
    reader
        .all(LEGACY_POINTS)?
        .into_iter()
        .map(|(key, value)| {
            let mut parts = KeyReader::new(&key);
            let (Some(account), Some(region), Some(series), Some(timestamp_ms)) =
                (parts.str(), parts.str(), parts.str(), parts.i64())
            else {
                return Err(corrupt("schema-1 metric point key"));
            };
            let stat =
                |i: usize| -> Option<f64> { Some(f64::from_le_bytes(value.get(i * 8..i * 8 + 8)?.try_into().ok()?)) };
            let (Some(a), Some(b), Some(c), Some(d)) = (stat(0), stat(1), stat(2), stat(3)) else {
                return Err(corrupt("schema-1 metric point"));
            };
            Ok(LegacyPoint { account, region, series, timestamp_ms, stats: [a, b, c, d] })
        })
        .collect()
}
