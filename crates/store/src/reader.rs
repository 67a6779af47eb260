//! Typed reads over one consistent snapshot.

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata};

use crate::error::ReadError;
use crate::mutation::StatisticSet;
use crate::tables;

/// One stored CloudTrail record with its key parts.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub time_ms: i64,
    pub event_id: String,
    pub record_json: Vec<u8>,
}

/// A schema-1 raw metric datapoint (series key is `namespace\x1fmetric\x1fname=value...`).
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyMetricPoint {
    pub account: String,
    pub region: String,
    pub series: String,
    pub timestamp_ms: i64,
    pub stats: StatisticSet,
}

/// A read snapshot; every method sees the same committed state.
pub struct Reader {
    pub(crate) txn: ReadTransaction,
}

impl Reader {
    pub(crate) fn new(txn: ReadTransaction) -> Self {
        Self { txn }
    }

    /// CloudTrail records of one account and region with `start_ms <= time < end_ms`, newest first, strictly
    /// older than `before` (a (time, event id) cursor) when given. `keep` filters rows; scanning stops once
    /// `limit` rows are kept.
    pub fn audit_newest_first(
        &self,
        account: &str,
        region: &str,
        (start_ms, end_ms): (i64, i64),
        before: Option<(i64, &str)>,
        limit: usize,
        mut keep: impl FnMut(&[u8]) -> bool,
    ) -> Result<Vec<AuditRow>, ReadError> {
        let table = self.txn.open_table(tables::AUDIT_EVENTS_V1).map_err(ReadError::from_redb)?;
        let low = (account, region, start_ms, "");
        let mut rows = Vec::new();
        let range = match before {
            Some((time_ms, event_id)) if time_ms < end_ms => table.range(low..(account, region, time_ms, event_id)),
            _ => table.range(low..(account, region, end_ms, "")),
        }
        .map_err(ReadError::from_redb)?;
        for entry in range.rev() {
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            if !keep(value.value()) {
                continue;
            }
            let (_, _, time_ms, event_id) = key.value();
            rows.push(AuditRow { time_ms, event_id: event_id.to_owned(), record_json: value.value().to_vec() });
            if rows.len() >= limit {
                break;
            }
        }
        Ok(rows)
    }

    pub fn user(&self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let table = self.txn.open_table(tables::USERS_V1).map_err(ReadError::from_redb)?;
        Ok(table.get(name).map_err(ReadError::from_redb)?.map(|v| v.value().to_vec()))
    }

    /// Every user record, ordered by name.
    pub fn users(&self) -> Result<Vec<(String, Vec<u8>)>, ReadError> {
        let table = self.txn.open_table(tables::USERS_V1).map_err(ReadError::from_redb)?;
        let mut out = Vec::new();
        for entry in table.iter().map_err(ReadError::from_redb)? {
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            out.push((key.value().to_owned(), value.value().to_vec()));
        }
        Ok(out)
    }

    pub fn session(&self, token_hash: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let table = self.txn.open_table(tables::SESSIONS_V1).map_err(ReadError::from_redb)?;
        Ok(table.get(token_hash).map_err(ReadError::from_redb)?.map(|v| v.value().to_vec()))
    }

    /// Every schema-1 raw datapoint as (account, region, series key, timestamp, statistic set); none once the
    /// time-series engine has imported and dropped them.
    pub fn legacy_metric_points(&self) -> Result<Vec<LegacyMetricPoint>, ReadError> {
        let table = match self.txn.open_table(tables::METRIC_POINTS_V1) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(ReadError::from_redb(e)),
        };
        let mut out = Vec::new();
        for entry in table.iter().map_err(ReadError::from_redb)? {
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            let (account, region, series, timestamp_ms, _) = key.value();
            out.push(LegacyMetricPoint {
                account: account.to_owned(),
                region: region.to_owned(),
                series: series.to_owned(),
                timestamp_ms,
                stats: StatisticSet::decode(&value.value()),
            });
        }
        Ok(out)
    }

    /// How many CloudTrail records are stored in all.
    pub fn audit_event_count(&self) -> Result<u64, ReadError> {
        let table = self.txn.open_table(tables::AUDIT_EVENTS_V1).map_err(ReadError::from_redb)?;
        table.len().map_err(ReadError::from_redb)
    }
}
