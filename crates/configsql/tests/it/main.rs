//! The integration tests of skywatch-configsql in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod common;

mod evaluate;
mod examples;
mod parse;
