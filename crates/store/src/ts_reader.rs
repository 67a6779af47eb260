//! Reads of the time-series engine's tables: series catalogue, write-ahead log, open and sealed chunks, roll-ups.

use redb::{ReadableTable, ReadableTableMetadata};

use crate::error::ReadError;
use crate::reader::Reader;
use crate::tables;

/// One sealed chunk with its key parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRow {
    pub series: u64,
    pub max_timestamp_ms: i64,
    pub number: u64,
    pub chunk: Vec<u8>,
}

impl Reader {
    /// Every series catalogue entry, by id.
    pub fn ts_series(&self) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
        self.u64_table(tables::TS_SERIES_V1)
    }

    /// Every write-ahead log record, oldest sequence first.
    pub fn ts_wal(&self) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
        self.u64_table(tables::TS_WAL_V1)
    }

    /// Every series' open chunk as of the last checkpoint.
    pub fn ts_open_chunks(&self) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
        self.u64_table(tables::TS_OPEN_CHUNKS_V1)
    }

    /// Sealed chunks of `series` whose newest point is at or after `from_ms`, oldest first; `keep` sees each
    /// chunk's bytes and may skip it (by its header) before it is copied.
    pub fn ts_chunks(
        &self,
        series: u64,
        from_ms: i64,
        mut keep: impl FnMut(&[u8]) -> bool,
    ) -> Result<Vec<ChunkRow>, ReadError> {
        let table = self.txn.open_table(tables::TS_CHUNKS_V1).map_err(ReadError::from_redb)?;
        let range = table.range((series, from_ms, 0)..=(series, i64::MAX, u64::MAX)).map_err(ReadError::from_redb)?;
        let mut out = Vec::new();
        for entry in range {
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            if !keep(value.value()) {
                continue;
            }
            let (series, max_timestamp_ms, number) = key.value();
            out.push(ChunkRow { series, max_timestamp_ms, number, chunk: value.value().to_vec() });
        }
        Ok(out)
    }

    /// Keys of every sealed chunk whose newest point is older than `before_ms` (retention).
    pub fn ts_chunks_older_than(&self, before_ms: i64) -> Result<Vec<(u64, i64, u64)>, ReadError> {
        let table = self.txn.open_table(tables::TS_CHUNKS_V1).map_err(ReadError::from_redb)?;
        let mut out = Vec::new();
        for entry in table.iter().map_err(ReadError::from_redb)? {
            let (key, _) = entry.map_err(ReadError::from_redb)?;
            let key = key.value();
            if key.1 < before_ms {
                out.push(key);
            }
        }
        Ok(out)
    }

    /// Roll-up days of `series` at `period_seconds` with `from_day_ms <= day start <= to_day_ms`, oldest first.
    pub fn ts_rollups(
        &self,
        series: u64,
        period_seconds: u32,
        (from_day_ms, to_day_ms): (i64, i64),
    ) -> Result<Vec<(i64, Vec<u8>)>, ReadError> {
        let table = self.txn.open_table(tables::TS_ROLLUPS_V1).map_err(ReadError::from_redb)?;
        let range = table
            .range((series, period_seconds, from_day_ms)..=(series, period_seconds, to_day_ms))
            .map_err(ReadError::from_redb)?;
        let mut out = Vec::new();
        for entry in range {
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            out.push((key.value().2, value.value().to_vec()));
        }
        Ok(out)
    }

    /// Keys of every roll-up day older than `before_day_ms` at `period_seconds` (retention).
    pub fn ts_rollups_older_than(
        &self,
        period_seconds: u32,
        before_day_ms: i64,
    ) -> Result<Vec<(u64, u32, i64)>, ReadError> {
        let table = self.txn.open_table(tables::TS_ROLLUPS_V1).map_err(ReadError::from_redb)?;
        let mut out = Vec::new();
        for entry in table.iter().map_err(ReadError::from_redb)? {
            let (key, _) = entry.map_err(ReadError::from_redb)?;
            let key = key.value();
            if key.1 == period_seconds && key.2 < before_day_ms {
                out.push(key);
            }
        }
        Ok(out)
    }

    /// A meta table value (engines' progress markers).
    pub fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let table = self.txn.open_table(tables::META_V1).map_err(ReadError::from_redb)?;
        Ok(table.get(key).map_err(ReadError::from_redb)?.map(|v| v.value().to_vec()))
    }

    /// Row counts of the time-series tables: (series, wal, open chunks, chunks, roll-ups).
    pub fn ts_counts(&self) -> Result<[u64; 5], ReadError> {
        Ok([
            self.len(tables::TS_SERIES_V1)?,
            self.len(tables::TS_WAL_V1)?,
            self.len(tables::TS_OPEN_CHUNKS_V1)?,
            self.len(tables::TS_CHUNKS_V1)?,
            self.len(tables::TS_ROLLUPS_V1)?,
        ])
    }

    fn len<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        definition: redb::TableDefinition<K, V>,
    ) -> Result<u64, ReadError> {
        self.txn.open_table(definition).map_err(ReadError::from_redb)?.len().map_err(ReadError::from_redb)
    }

    fn u64_table(&self, definition: redb::TableDefinition<u64, &[u8]>) -> Result<Vec<(u64, Vec<u8>)>, ReadError> {
        let table = self.txn.open_table(definition).map_err(ReadError::from_redb)?;
        let mut out = Vec::new();
        for entry in table.iter().map_err(ReadError::from_redb)? {
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            out.push((key.value(), value.value().to_vec()));
        }
        Ok(out)
    }
}
