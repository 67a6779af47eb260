//! The stored schema version, checked every time the database is opened.

use redb::{Database, ReadableDatabase};

use crate::error::OpenError;
use crate::tables;

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 2;
const SCHEMA_KEY: &str = "schema_version";

pub(crate) fn check_or_initialise(db: &Database) -> Result<(), OpenError> {
    let meta = |e: &dyn std::fmt::Display| OpenError::Metadata(e.to_string());
    let found = {
        let txn = db.begin_read().map_err(|e| meta(&e))?;
        match txn.open_table(tables::META_V1) {
            Ok(table) => {
                table.get(SCHEMA_KEY).map_err(|e| meta(&e))?.map(|value| decode_version(value.value())).transpose()?
            }
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(meta(&e)),
        }
    };
    match found {
        // Tables added since (such as `dashboards_v1`) need no migration: creating any missing table on every open
        // lets files written before them open unchanged, without a new schema version.
        Some(found) if found == SCHEMA_VERSION => initialise(db),
        // Schema 1 -> 2 adds the time-series tables; schema 1's metric points stay until the engine imports them.
        Some(1) | None => initialise(db),
        Some(found) => Err(OpenError::SchemaMismatch { found, expected: SCHEMA_VERSION }),
    }
}

/// Creates every missing table, so readers never meet a missing one, and records the schema version.
fn initialise(db: &Database) -> Result<(), OpenError> {
    let meta = |e: &dyn std::fmt::Display| OpenError::Metadata(e.to_string());
    let txn = db.begin_write().map_err(|e| meta(&e))?;
    {
        let mut table = txn.open_table(tables::META_V1).map_err(|e| meta(&e))?;
        table.insert(SCHEMA_KEY, SCHEMA_VERSION.to_le_bytes().as_slice()).map_err(|e| meta(&e))?;
        txn.open_table(tables::AUDIT_EVENTS_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::USERS_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::SESSIONS_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::TS_SERIES_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::TS_WAL_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::TS_OPEN_CHUNKS_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::TS_CHUNKS_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::TS_ROLLUPS_V1).map_err(|e| meta(&e))?;
        txn.open_table(tables::DASHBOARDS_V1).map_err(|e| meta(&e))?;
    }
    txn.commit().map_err(|e| meta(&e))
}

fn decode_version(bytes: &[u8]) -> Result<u32, OpenError> {
    let array: [u8; 4] = bytes
        .try_into()
        .map_err(|_| OpenError::Metadata(format!("schema version has {} bytes, expected 4", bytes.len())))?;
    Ok(u32::from_le_bytes(array))
}
