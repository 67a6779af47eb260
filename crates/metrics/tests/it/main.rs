//! The integration tests of skywatch-metrics in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod support;

mod data;
mod statistics;
mod units;
