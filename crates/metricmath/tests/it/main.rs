//! The integration tests of skywatch-metricmath in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod common;

mod errors;
mod props;
mod syntax;
mod vectors;
