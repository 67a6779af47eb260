//! The integration tests of skywatch-metricmath, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod common;

mod errors;
mod props;
mod syntax;
mod vectors;
