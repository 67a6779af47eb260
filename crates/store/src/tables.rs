//! Every table of the database, with versioned names. A change to a key or value encoding gets a new name
//! (`_v2`) and a migration, never an edit in place.

use redb::TableDefinition;

/// Database-wide facts, such as the schema version.
pub const META_V1: TableDefinition<&str, &[u8]> = TableDefinition::new("meta_v1");

/// CloudTrail records: (account, region, event time in epoch ms, event id) -> record JSON.
pub const AUDIT_EVENTS_V1: TableDefinition<(&str, &str, i64, &str), &[u8]> = TableDefinition::new("audit_events_v1");

/// Console users: user name -> user record JSON (role, argon2 hash).
pub const USERS_V1: TableDefinition<&str, &[u8]> = TableDefinition::new("users_v1");

/// Console sessions: session token hash -> session record JSON.
pub const SESSIONS_V1: TableDefinition<&str, &[u8]> = TableDefinition::new("sessions_v1");

/// Schema 1's raw metric datapoints: (account, region, series key, timestamp ms, sequence) -> statistic set.
/// Read only: the time-series engine imports these rows into its own tables once, then drops them.
pub const METRIC_POINTS_V1: TableDefinition<(&str, &str, &str, i64, u64), [u8; 32]> =
    TableDefinition::new("metric_points_v1");

/// Metric series catalogue: series id -> encoded identity (account, region, namespace, metric, dimensions, unit).
pub const TS_SERIES_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("ts_series_v1");

/// The metric write-ahead log: sequence -> one acknowledged write batch, until a checkpoint holds it in chunks.
pub const TS_WAL_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("ts_wal_v1");

/// Each series' open (still growing) chunk as of the last checkpoint: series id -> encoded chunk.
pub const TS_OPEN_CHUNKS_V1: TableDefinition<u64, &[u8]> = TableDefinition::new("ts_open_chunks_v1");

/// Sealed compressed chunks: (series id, newest timestamp ms in the chunk, chunk number) -> encoded chunk.
/// Keyed by the newest timestamp so a range query starts at the first chunk that can overlap it.
pub const TS_CHUNKS_V1: TableDefinition<(u64, i64, u64), &[u8]> = TableDefinition::new("ts_chunks_v1");

/// Roll-ups: (series id, period seconds, UTC day start ms) -> the day's encoded per-period summaries.
pub const TS_ROLLUPS_V1: TableDefinition<(u64, u32, i64), &[u8]> = TableDefinition::new("ts_rollups_v1");

/// CloudWatch dashboards, global per account: (account, dashboard name) -> record (last modified epoch ms as 8
/// little-endian bytes, then the body text exactly as given).
pub const DASHBOARDS_V1: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("dashboards_v1");
