//! [`Traces`], the handle trace operations run on: the store, the signal that wakes the summarizer when
//! documents arrive, and the sampling reservoirs' sharing among clients.

use std::sync::Arc;

use skywatch_store::Store;
use tokio::sync::Notify;

use crate::sampling::Allotment;

/// The trace service; cheap to clone.
#[derive(Clone)]
pub struct Traces {
    pub(crate) store: Store,
    wake: Arc<Notify>,
    /// The sharing of sampling reservoirs among clients (in memory).
    pub(crate) allotment: Arc<Allotment>,
}

impl Traces {
    pub fn new(store: Store) -> Self {
        Self { store, wake: Arc::new(Notify::new()), allotment: Arc::default() }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Tells the summarizer that documents arrived.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }
}
