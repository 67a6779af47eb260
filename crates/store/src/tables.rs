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

/// Raw metric datapoints: (account, region, series key, timestamp ms, sequence) -> statistic set.
/// Kept until the time-series engine's compressed blocks replace it.
pub const METRIC_POINTS_V1: TableDefinition<(&str, &str, &str, i64, u64), [u8; 32]> =
    TableDefinition::new("metric_points_v1");
