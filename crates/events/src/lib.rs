//! EventBridge: event buses (every account's default bus in every region, custom and partner buses), rules that
//! match events by pattern (the `eventpattern` crate) or fire on a schedule (`schedule`), and TestEventPattern.
//! Operations are `skywatch_ops::Operation`s over the store, like every service's; the wire edge maps them to
//! EventBridge's JSON 1.1 shapes. (Issue 16: targets and delivery, PutEvents, archives, connections and the
//! scheduler come next, per `docs/plans/issue-16-eventbridge.md`.)

pub mod archive;
pub mod aws_events;
pub mod connection;
pub mod delivery;
mod engine;
pub mod envelope;
pub mod model;
pub mod names;
mod ops;
pub mod partner;
pub mod policy;
pub mod router;
pub mod schedule;
pub mod scheduler;
pub mod storage;
pub mod transform;

pub use engine::Events;
pub use ops::*;
pub use storage::TABLES;
