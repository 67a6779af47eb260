//! The stored schema version, checked every time the database is opened, and the migration of older files.

use redb::{Database, ReadableDatabase, TableDefinition};

use crate::error::OpenError;
use crate::legacy;

/// The schema this build reads and writes: byte-keyed tables declared by the engines.
pub const SCHEMA_VERSION: u32 = 3;
const SCHEMA_KEY: &str = "schema_version";

/// Database-wide facts: the schema version, and engines' progress markers under their own key prefix.
pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta_v1");

pub(crate) fn check_or_initialise(db: &Database) -> Result<(), OpenError> {
    let meta = |e: &dyn std::fmt::Display| OpenError::Metadata(e.to_string());
    let found = {
        let txn = db.begin_read().map_err(|e| meta(&e))?;
        match txn.open_table(META) {
            Ok(table) => {
                table.get(SCHEMA_KEY).map_err(|e| meta(&e))?.map(|value| decode_version(value.value())).transpose()?
            }
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(meta(&e)),
        }
    };
    match found {
        Some(found) if found == SCHEMA_VERSION => Ok(()),
        // Schemas 1 and 2 kept typed redb tables; their rows move into schema 3's byte-keyed tables (schema 1's
        // raw metric points too, which the metrics engine then imports).
        Some(1) | Some(2) | None => upgrade(db),
        Some(found) => Err(OpenError::SchemaMismatch { found, expected: SCHEMA_VERSION }),
    }
}

/// Migrates whatever older tables the file has and records the schema version, in one transaction.
fn upgrade(db: &Database) -> Result<(), OpenError> {
    let meta = |e: &dyn std::fmt::Display| OpenError::Metadata(e.to_string());
    let old = legacy::has_old_tables(db).map_err(|e| meta(&e))?;
    let txn = db.begin_write().map_err(|e| meta(&e))?;
    if old {
        let moved = legacy::migrate_to_3(&txn).map_err(|e| OpenError::Migration(e.to_string()))?;
        tracing::info!(rows = moved, "migrated the database to schema {SCHEMA_VERSION}");
    }
    {
        let mut table = txn.open_table(META).map_err(|e| meta(&e))?;
        table.insert(SCHEMA_KEY, SCHEMA_VERSION.to_le_bytes().as_slice()).map_err(|e| meta(&e))?;
    }
    txn.commit().map_err(|e| meta(&e))
}

fn decode_version(bytes: &[u8]) -> Result<u32, OpenError> {
    let array: [u8; 4] = bytes
        .try_into()
        .map_err(|_| OpenError::Metadata(format!("schema version has {} bytes, expected 4", bytes.len())))?;
    Ok(u32::from_le_bytes(array))
}
