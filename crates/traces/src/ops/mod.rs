//! The X-Ray operations (rest-json at the edge): ingest (PutTraceSegments) and reading traces (BatchGetTraces).

mod ingest;
mod read;

pub use ingest::{PutTraceSegments, PutTraceSegmentsInput, Unprocessed};
pub use read::{BatchGetTraces, BatchGetTracesInput, TracePage};

use skywatch_ops::{Access, AwsError, ErrorCode, Spec, codes};
use skywatch_store::ReadError;

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "xray", event_source: "xray.amazonaws.com", name, access, limits: &[] }
}

/// Why a trace operation refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TracesError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl From<ReadError> for TracesError {
    fn from(error: ReadError) -> Self {
        TracesError::Storage(error.to_string())
    }
}

impl AwsError for TracesError {
    fn code(&self) -> ErrorCode {
        match self {
            TracesError::InvalidRequest(_) => codes::xray::INVALID_REQUEST,
            TracesError::Storage(_) => codes::INTERNAL,
        }
    }
}
