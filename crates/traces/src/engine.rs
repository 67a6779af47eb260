//! [`Traces`], the handle trace operations run on: the store, and the signal that wakes the summarizer when
//! documents arrive.

use std::sync::Arc;

use skywatch_store::Store;
use tokio::sync::Notify;

/// The trace service; cheap to clone.
#[derive(Clone)]
pub struct Traces {
    pub(crate) store: Store,
    wake: Arc<Notify>,
}

impl Traces {
    pub fn new(store: Store) -> Self {
        Self { store, wake: Arc::new(Notify::new()) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Tells the summarizer that documents arrived.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    #[allow(dead_code)]
    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }
}
