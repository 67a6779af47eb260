//! The integration tests of skywatch-traces, in one test binary: one link and one build of the shared helpers instead
//! of one per file. Each module is a former test file.

mod annotation_index;
mod filter;
mod graph;
mod groups;
mod ingest;
mod sampling;
mod summaries;
