//! The integration tests of skywatch-tsdb in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod statistics_reference;

mod blocks;
mod catalog;
mod codec_props;
mod concurrency;
mod engine;
mod retention;
mod statistics_props;
mod statistics_table;
mod units;
