//! X-Ray's trace store and query engine. Segment documents (from PutTraceSegments, the daemon's UDP protocol
//! and OpenTelemetry, all through the same operation) are checked and stored with the facts summaries and the
//! service graph need; traces are assembled from documents arriving in any order and over time. No HTTP or UDP
//! here: the server owns the sockets.

pub mod annotation_index;
pub mod assemble;
pub mod document;
mod engine;
pub mod filter;
pub mod graph;
pub mod groups;
pub mod id;
mod ops;
pub mod otlp;
pub mod retention;
pub mod sampling;
pub mod storage;
mod summarizer;
pub mod summary;
pub mod trace_graph;

pub use engine::Traces;
pub use ops::*;
pub use storage::TABLES;
pub use summarizer::QUIET_MS;
