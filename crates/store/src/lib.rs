//! The only crate that touches redb. It owns the database file, the schema version (and the migration of older
//! files), a single writer thread that groups mutations from many callers into one durable commit, and snapshot
//! reads on the blocking pool. It knows no domain: engines declare their own [`Table`]s (ordered maps from
//! byte keys, built with [`Key`], to bytes) and their own [`Change`] types, which the writer applies through a
//! [`Tx`]. No engine names a redb type, so this interface is the seam where a second backend can plug in.

mod error;
pub mod fixtures;
mod key;
mod legacy;
mod mutation;
mod reader;
mod schema;
mod space;
mod table;
mod writer;

use std::path::Path;
use std::sync::Arc;

use redb::{Database, ReadableDatabase};

pub use error::{OpenError, ReadError, WriteError};
pub use key::{Key, KeyReader};
pub use legacy::MIGRATED_TABLES;
pub use mutation::{Change, Mutation, Tx};
pub use reader::{Direction, Entry, Reader};
pub use schema::SCHEMA_VERSION;
pub use space::{FileSpace, TableSpace};
pub use table::Table;

/// The file name of the one database inside the data dir.
pub const DATABASE_FILE: &str = "skywatch.redb";

/// redb's page cache. Bounded so that resident memory follows the working set, not the volume stored.
/// Applied in [`Store::open`]; without it redb defaults to 1 GiB, and written pages stay resident up to that.
pub const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// A handle to the open store; cheap to clone, shared by every engine. When the last handle is dropped the
/// writer commits what is queued and stops, and the database closes cleanly.
#[derive(Clone)]
pub struct Store {
    db: Arc<Database>,
    writer: Arc<writer::WriterHandle>,
    path: Arc<std::path::PathBuf>,
}

impl Store {
    /// Opens (or creates) `skywatch.redb` in `data_dir`, checking its schema version and migrating older files.
    pub fn open(data_dir: &Path) -> Result<Self, OpenError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| OpenError::DataDir { path: data_dir.display().to_string(), source })?;
        let path = data_dir.join(DATABASE_FILE);
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(&path)
            .map_err(|source| OpenError::Database { path: path.display().to_string(), source })?;
        schema::check_or_initialise(&db)?;
        let db = Arc::new(db);
        let writer = Arc::new(writer::WriterHandle::spawn(Arc::clone(&db)));
        Ok(Self { db, writer, path: Arc::new(path) })
    }

    /// Applies mutations durably. Mutations from concurrent callers share one commit; the future resolves once
    /// the commit holding these mutations is on disk.
    pub async fn apply(&self, mutations: Vec<Mutation>) -> Result<(), WriteError> {
        self.writer.submit(mutations).await
    }

    /// [`Store::apply`] for callers off the async runtime (opening engines, tools): blocks until committed.
    pub fn apply_blocking(&self, mutations: Vec<Mutation>) -> Result<(), WriteError> {
        self.writer.submit_blocking(mutations)
    }

    /// Runs a read on the blocking pool, so redb's file I/O never stalls the async runtime.
    pub async fn read<T, F>(&self, read: F) -> Result<T, ReadError>
    where
        T: Send + 'static,
        F: FnOnce(&Reader) -> Result<T, ReadError> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || {
            let txn = db.begin_read().map_err(ReadError::from_redb)?;
            read(&Reader::new(txn))
        })
        .await
        .map_err(|_| ReadError::Cancelled)?
    }

    /// Reads synchronously, for callers already off the async runtime (tools, tests, benchmarks).
    pub fn read_blocking<T>(&self, read: impl FnOnce(&Reader) -> Result<T, ReadError>) -> Result<T, ReadError> {
        let txn = self.db.begin_read().map_err(ReadError::from_redb)?;
        read(&Reader::new(txn))
    }

    /// Where the file's bytes go: each table's stored bytes, pages, metadata and fragmentation, and the file's
    /// length against the pages allocated in it. Blocks for one commit of the writer; for tools and tests.
    pub fn space_blocking(&self) -> Result<FileSpace, ReadError> {
        space::measure(&self.db, &self.path)
    }

    /// Waits until every mutation submitted so far is committed.
    pub async fn flush(&self) -> Result<(), WriteError> {
        self.writer.submit(Vec::new()).await
    }

    /// Commits everything queued, stops the writer and lets the database close cleanly once the last handle is
    /// dropped (a clean close spares the next open redb's repair pass). Writes after this fail.
    pub async fn close(&self) -> Result<(), WriteError> {
        self.writer.stop().await
    }
}
