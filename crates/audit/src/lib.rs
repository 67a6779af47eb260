//! CloudTrail: builds an event record for every API call and console action, turns it into a store mutation
//! (so it commits together with the data it describes), and answers `LookupEvents`.

mod lookup;
mod record;
mod retention;
mod storage;

pub use lookup::{LookupAttribute, LookupError, LookupEvents, LookupPage, LookupQuery, MAX_LOOKUP_RESULTS, lookup};
pub use record::{CallRecord, EventKind, MAX_TEXT_BYTES, build_event, to_mutation};
pub use retention::{DEFAULT_RETENTION_DAYS, RetentionError, expire};
pub use storage::{AUDIT_EVENTS, AuditRow, PutAuditEvent, TABLES, event_count, newest_first};
