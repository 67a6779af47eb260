//! CloudWatch Logs on Skywatch's store: log groups and streams, a log store of zstd-compressed event blocks with a
//! time index ([`block`], [`storage`]), per-group encryption at rest under KMS-style keys kept in the data dir
//! ([`keys`]), reading events back in time order ([`read`]), PutLogEvents' acceptance rules ([`ingest`]), retention
//! and the sweeping of deleted data ([`retention`]), metric filters ([`filters`]) and embedded metric format events
//! ([`emf`]) publishing into CloudWatch metrics ([`publish`]), subscription filters and their durable deliveries
//! ([`subscription`]), export tasks ([`export`]), Live Tail ([`tail`]), and the Logs operations ([`ops`]). No HTTP
//! here.

pub mod block;
pub mod emf;
pub mod error;
pub mod export;
pub mod filters;
pub mod ingest;
pub mod keys;
pub mod model;
pub mod ops;
pub mod publish;
pub mod read;
pub mod retention;
pub mod storage;
pub mod subscription;
pub mod tail;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use skywatch_metrics::tsdb::Tsdb;
use skywatch_store::{Store, Table};

pub use error::LogsError;
pub use keys::Keyring;

/// Every table the logs engine owns.
pub const TABLES: &[Table] = &[
    storage::GROUPS,
    storage::STREAMS,
    storage::STREAMS_BY_TIME,
    storage::BLOCKS,
    storage::BLOCK_TIMES,
    storage::STREAM_BLOCKS,
    storage::ORPHANS,
    filters::METRIC_FILTERS,
    export::task::EXPORT_TASKS,
    export::task::EXPORT_TASK_IDS,
    export::task::EXPORT_ACTIVE,
    subscription::storage::SUBSCRIPTION_FILTERS,
    subscription::storage::OUTBOX,
    subscription::storage::STATUS,
];

/// The logs engine: the store, the keyring, and the allocator of group, stream and block ids. Cheap to clone.
#[derive(Clone)]
pub struct Logs {
    pub(crate) store: Store,
    pub(crate) keys: Keyring,
    ids: Arc<AtomicU64>,
    /// Where metric filters and embedded metrics publish (none: they publish nothing).
    pub(crate) metrics: Option<Tsdb>,
    pub(crate) filters: Arc<filters::FilterCache>,
    /// Where subscription filters publish to topics (none: a topic destination is refused).
    pub(crate) topics: Option<Arc<dyn subscription::Topics>>,
    /// Where committed batches go to the Live Tail sessions.
    pub(crate) tail: Arc<tail::Hub>,
    /// The export runner's wake-up and the accounts creating an export task now.
    pub(crate) exports: Arc<export::Exports>,
}

impl Logs {
    /// Logs on `store`, with keys from `keys`.
    pub fn new(store: Store, keys: Keyring) -> Self {
        Self {
            store,
            keys,
            ids: Arc::new(AtomicU64::new(0)),
            metrics: None,
            filters: Arc::default(),
            topics: None,
            tail: Arc::default(),
            exports: Arc::default(),
        }
    }

    /// Metric filters and embedded metric format events publish into `tsdb`.
    pub fn publishing_to(mut self, tsdb: Tsdb) -> Self {
        self.metrics = Some(tsdb);
        self
    }

    /// Subscription filters may deliver to `topics`.
    pub fn with_topics(mut self, topics: Arc<dyn subscription::Topics>) -> Self {
        self.topics = Some(topics);
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// A new id, unique among this store's groups, streams and blocks: the clock's millisecond times 4,096, or one
    /// past the last id given when that is larger, so ids keep growing across restarts (ids only need to be unique
    /// within a group; they also order blocks that share a timestamp).
    pub fn next_id(&self, now_ms: i64) -> u64 {
        let floor = u64::try_from(now_ms).unwrap_or(0).saturating_mul(4096);
        let mut current = self.ids.load(Ordering::Relaxed);
        loop {
            let next = current.saturating_add(1).max(floor);
            match self.ids.compare_exchange_weak(current, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return next,
                Err(seen) => current = seen,
            }
        }
    }
}
