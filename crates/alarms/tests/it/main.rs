//! The integration tests of skywatch-alarms in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod evaluate;
#[cfg(feature = "service")]
mod reference;
mod rule;
#[cfg(feature = "service")]
mod service;
