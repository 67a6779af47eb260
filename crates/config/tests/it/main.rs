//! The integration tests of skywatch-config, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod aggregation;
mod recorder;
mod rules;
