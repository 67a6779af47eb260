//! Database files in older schemas, for the migration tests of the store and the engines that read them.

use std::path::Path;

/// A schema-1 metric datapoint: its key parts and statistic set. Schema 1 keyed series as
/// `namespace\x1fmetric\x1fname=value...`.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyMetricPoint {
    pub account: String,
    pub region: String,
    pub series: String,
    pub timestamp_ms: i64,
    /// SampleCount, Sum, Minimum, Maximum.
    pub stats: [f64; 4],
}

/// Writes a schema-1 database (schema version 1 and its raw `metric_points_v1` rows) into `data_dir`.
pub fn write_schema_1(data_dir: &Path, points: &[LegacyMetricPoint]) -> Result<(), redb::Error> {
    let db = redb::Database::create(data_dir.join(crate::DATABASE_FILE))?;
    let txn = db.begin_write()?;
    {
        let mut meta = txn.open_table(crate::schema::META)?;
        meta.insert("schema_version", 1u32.to_le_bytes().as_slice())?;
        let mut table = txn.open_table(crate::legacy::METRIC_POINTS_V1)?;
        for (sequence, p) in points.iter().enumerate() {
            let key = (p.account.as_str(), p.region.as_str(), p.series.as_str(), p.timestamp_ms, sequence as u64);
            let mut value = [0u8; 32];
            for (slot, stat) in value.chunks_exact_mut(8).zip(p.stats) {
                slot.copy_from_slice(&stat.to_le_bytes());
            }
            table.insert(key, value)?;
        }
    }
    txn.commit()?;
    Ok(())
}
