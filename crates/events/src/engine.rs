//! [`Events`], the handle EventBridge's operations and its deliverer run on.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use skywatch_metrics::tsdb::Tsdb;
use skywatch_store::Store;
use tokio::sync::Notify;

use crate::router::Router;

/// The EventBridge service; cheap to clone.
#[derive(Clone)]
pub struct Events {
    pub(crate) store: Store,
    pub(crate) router: Arc<Router>,
    ids: Arc<AtomicU64>,
    /// Where `AWS/Events` metrics go (none: nowhere).
    pub(crate) metrics: Option<Tsdb>,
    /// Wakes the deliverer when deliveries are queued.
    pub(crate) queued: Arc<Notify>,
    /// API destinations' rates.
    pub(crate) limiter: Arc<crate::connection::limiter::Limiter>,
    /// Connections' OAuth tokens.
    pub(crate) tokens: Arc<crate::connection::tokens::Tokens>,
}

impl Events {
    /// Buses and rules on `store`.
    pub fn new(store: Store) -> Self {
        Self {
            store,
            router: Arc::default(),
            ids: Arc::new(AtomicU64::new(0)),
            metrics: None,
            queued: Arc::new(Notify::new()),
            limiter: Arc::default(),
            tokens: Arc::default(),
        }
    }

    /// EventBridge's metrics go into `tsdb`.
    pub fn publishing_to(mut self, tsdb: Tsdb) -> Self {
        self.metrics = Some(tsdb);
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A new event or delivery id: the clock's millisecond times 4,096, or one past the last id given when that is
    /// larger, so ids keep growing across restarts.
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

    /// Tells the deliverer that deliveries were queued.
    pub fn wake(&self) {
        self.queued.notify_one();
    }
}
