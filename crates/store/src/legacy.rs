//! Older schemas, frozen: the typed redb tables schema 1 and schema 2 wrote, and the migration that moves their
//! rows into the byte-keyed tables of schema 3 in one transaction. The move is mechanical: each old key's parts
//! become a [`Key`] with the same parts in the same order (so the order of the rows is kept) under the table's
//! next versioned name, and values are copied byte for byte. The names are the engines' table names of schema 3;
//! a test in `skywatch-core` checks that every engine declares the table it receives.

use redb::{ReadableDatabase, ReadableTable, TableDefinition, TableHandle, WriteTransaction};

use crate::key::Key;

pub(crate) const AUDIT_EVENTS_V1: TableDefinition<(&str, &str, i64, &str), &[u8]> =
    TableDefinition::new("audit_events_v1");
pub(crate) const USERS_V1: TableDefinition<&str, &[u8]> = TableDefinition::new("users_v1");
pub(crate) const SESSIONS_V1: TableDefinition<&str, &[u8]> = TableDefinition::new("sessions_v1");
pub(crate) const METRIC_POINTS_V1: TableDefinition<(&str, &str, &str, i64, u64), [u8; 32]> =
    TableDefinition::new("metric_points_v1");
pub(crate) const TS_SERIES_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("ts_series_v1");
pub(crate) const TS_WAL_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("ts_wal_v1");
pub(crate) const TS_OPEN_CHUNKS_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("ts_open_chunks_v1");
pub(crate) const TS_CHUNKS_V1: TableDefinition<(u64, i64, u64), &[u8]> = TableDefinition::new("ts_chunks_v1");
pub(crate) const TS_ROLLUPS_V1: TableDefinition<(u64, u32, i64), &[u8]> = TableDefinition::new("ts_rollups_v1");
pub(crate) const DASHBOARDS_V1: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("dashboards_v1");

/// The schema-3 tables the migration fills: (old table, new table).
pub const MIGRATED_TABLES: [(&str, &str); 10] = [
    ("audit_events_v1", "audit_events_v2"),
    ("users_v1", "users_v2"),
    ("sessions_v1", "sessions_v2"),
    ("metric_points_v1", "metric_points_v2"),
    ("ts_series_v1", "ts_series_v2"),
    ("ts_wal_v1", "ts_wal_v2"),
    ("ts_open_chunks_v1", "ts_open_chunks_v2"),
    ("ts_chunks_v1", "ts_chunks_v2"),
    ("ts_rollups_v1", "ts_rollups_v2"),
    ("dashboards_v1", "dashboards_v2"),
];

fn target(old: &str) -> Result<TableDefinition<'static, &'static [u8], &'static [u8]>, redb::Error> {
    let (_, new) = MIGRATED_TABLES
        .iter()
        .find(|(from, _)| *from == old)
        .ok_or_else(|| redb::Error::Corrupted(format!("no schema-3 table for {old}")))?;
    Ok(TableDefinition::new(new))
}

/// Moves every row of `old` (if the file has it) into its schema-3 table, keyed by `key`, then drops `old`.
fn move_rows<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &WriteTransaction,
    old: TableDefinition<K, V>,
    key: impl Fn(K::SelfType<'_>) -> Key,
    value: impl Fn(V::SelfType<'_>) -> Vec<u8>,
) -> Result<u64, redb::Error> {
    let rows: Vec<(Vec<u8>, Vec<u8>)> = match txn.open_table(old) {
        Ok(table) => {
            let mut rows = Vec::new();
            for entry in table.iter()? {
                let (k, v) = entry?;
                rows.push((key(k.value()).into_bytes(), value(v.value())));
            }
            rows
        }
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(error) => return Err(error.into()),
    };
    let name = old.name().to_owned();
    {
        let mut new = txn.open_table(target(&name)?)?;
        for (k, v) in &rows {
            new.insert(k.as_slice(), v.as_slice())?;
        }
    }
    txn.delete_table(old)?;
    Ok(rows.len() as u64)
}

/// Moves every typed table of schemas 1 and 2 into schema 3's byte-keyed tables; returns the rows moved.
pub(crate) fn migrate_to_3(txn: &WriteTransaction) -> Result<u64, redb::Error> {
    let bytes = |v: &[u8]| v.to_vec();
    let mut moved = 0;
    moved += move_rows(txn, AUDIT_EVENTS_V1, |(a, r, t, id)| Key::new().str(a).str(r).i64(t).str(id), bytes)?;
    moved += move_rows(txn, USERS_V1, |name| Key::new().str(name), bytes)?;
    moved += move_rows(txn, SESSIONS_V1, |hash| Key::new().str(hash), bytes)?;
    moved += move_rows(
        txn,
        METRIC_POINTS_V1,
        |(a, r, s, t, n)| Key::new().str(a).str(r).str(s).i64(t).u64(n),
        |v: [u8; 32]| v.to_vec(),
    )?;
    moved += move_rows(txn, TS_SERIES_V1, |id| Key::new().u64(id), bytes)?;
    moved += move_rows(txn, TS_WAL_V1, |seq| Key::new().u64(seq), bytes)?;
    moved += move_rows(txn, TS_OPEN_CHUNKS_V1, |id| Key::new().u64(id), bytes)?;
    moved += move_rows(txn, TS_CHUNKS_V1, |(s, t, n)| Key::new().u64(s).i64(t).u64(n), bytes)?;
    moved += move_rows(txn, TS_ROLLUPS_V1, |(s, p, d)| Key::new().u64(s).u32(p).i64(d), bytes)?;
    moved += move_rows(txn, DASHBOARDS_V1, |(a, n)| Key::new().str(a).str(n), bytes)?;
    Ok(moved)
}

/// Whether the file has any table of an older schema (a read-only check before migrating).
pub(crate) fn has_old_tables(db: &redb::Database) -> Result<bool, redb::Error> {
    let txn = db.begin_read()?;
    for table in txn.list_tables()? {
        if MIGRATED_TABLES.iter().any(|(old, _)| *old == table.name()) {
            return Ok(true);
        }
    }
    Ok(false)
}
