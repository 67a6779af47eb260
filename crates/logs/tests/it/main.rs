//! The integration tests of skywatch-logs, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod emf;
mod export;
mod live_tail;
mod store;
mod subscriptions;
