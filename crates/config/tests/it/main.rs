//! The integration tests of skywatch-config in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod aggregation;
mod recorder;
mod rules;
