//! Database files in older schemas, for the migration tests of the store and the engines that read them.

use std::path::Path;

use crate::mutation::StatisticSet;
use crate::reader::LegacyMetricPoint;

/// Writes a schema-1 database (schema version 1 and its raw `metric_points_v1` rows) into `data_dir`.
pub fn write_schema_1(data_dir: &Path, points: &[LegacyMetricPoint]) -> Result<(), redb::Error> {
    let db = redb::Database::create(data_dir.join(crate::DATABASE_FILE))?;
    let txn = db.begin_write()?;
    {
        let mut meta = txn.open_table(crate::tables::META_V1)?;
        meta.insert("schema_version", 1u32.to_le_bytes().as_slice())?;
        let mut table = txn.open_table(crate::tables::METRIC_POINTS_V1)?;
        for (sequence, p) in points.iter().enumerate() {
            let key = (p.account.as_str(), p.region.as_str(), p.series.as_str(), p.timestamp_ms, sequence as u64);
            table.insert(key, encode(&p.stats))?;
        }
    }
    txn.commit()?;
    Ok(())
}

fn encode(stats: &StatisticSet) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (slot, value) in out.chunks_exact_mut(8).zip([stats.sample_count, stats.sum, stats.minimum, stats.maximum]) {
        slot.copy_from_slice(&value.to_le_bytes());
    }
    out
}
