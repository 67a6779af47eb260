//! The integration tests of skywatch-logs in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod emf;
mod export;
mod live_tail;
mod store;
mod subscriptions;
