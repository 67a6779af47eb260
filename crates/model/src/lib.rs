//! Plain domain types shared by the engines, the wire edge and the console: no I/O, compiles for wasm32.

pub mod arn;
pub mod audit;
pub mod identity;
pub mod metric;
pub mod time_range;

pub use arn::{Arn, partition};
pub use audit::{CloudTrailEvent, EventResource, LookupAttributeKey, UserIdentity};
pub use identity::{AccountId, Caller, DEFAULT_ACCOUNT, DEFAULT_REGION, Role};
pub use metric::MetricId;
pub use time_range::TimeRange;
