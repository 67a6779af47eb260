//! Narrow error enums per store operation.

/// Why the store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("data dir {path} is not usable")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open database {path}")]
    Database {
        path: String,
        #[source]
        source: redb::DatabaseError,
    },
    #[error(
        "database schema version {found} does not match this build's {expected}; use a matching skywatch build or a fresh data dir"
    )]
    SchemaMismatch { found: u32, expected: u32 },
    #[error("database metadata is unreadable: {0}")]
    Metadata(String),
    #[error("the database could not be migrated to this build's schema: {0}")]
    Migration(String),
}

/// Why a batch of mutations was not committed. Nothing of the batch is stored when this is returned.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WriteError {
    #[error("storage write failed: {0}")]
    Storage(String),
    #[error("the store's writer has stopped")]
    WriterStopped,
}

/// Why a read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("storage read failed: {0}")]
    Storage(String),
    #[error("stored record is corrupt: {0}")]
    Corrupt(String),
    #[error("the read was cancelled")]
    Cancelled,
}

impl ReadError {
    pub(crate) fn from_redb(error: impl std::fmt::Display) -> Self {
        Self::Storage(error.to_string())
    }
}
