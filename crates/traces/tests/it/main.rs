//! The integration tests of skywatch-traces in one binary: each module was a test file of its own, with its own
//! link and its own build of the shared helpers.

mod annotation_index;
mod filter;
mod graph;
mod groups;
mod ingest;
mod sampling;
mod summaries;
