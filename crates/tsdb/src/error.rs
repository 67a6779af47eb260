//! The engine's errors, narrow per operation.

use skywatch_store::{OpenError, ReadError, WriteError};

/// Opening the engine: loading the catalogue and open chunks, replaying the write-ahead log.
#[derive(Debug, thiserror::Error)]
pub enum OpenTsdbError {
    #[error(transparent)]
    Store(#[from] OpenError),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("corrupt time-series data: {0}")]
    Corrupt(String),
}

/// Reading points or summaries.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("corrupt time-series data in series {series}: {detail}")]
    Corrupt { series: u64, detail: String },
    /// The query would fold more buckets than [`crate::MAX_QUERY_BUCKETS`].
    #[error("the query covers more than {limit} buckets")]
    TooLarge { limit: usize },
}

/// Background work: checkpoints, roll-ups, retention.
#[derive(Debug, thiserror::Error)]
pub enum MaintenanceError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Query(#[from] QueryError),
}
