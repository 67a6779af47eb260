//! The integration tests of skywatch-configsql, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod common;

mod evaluate;
mod examples;
mod parse;
