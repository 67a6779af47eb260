//! [`Sns`], the handle topic operations and the deliverer run on: the store, the base URL the server is reached
//! at (for SubscribeURL and UnsubscribeURL), and the signal that wakes the deliverer when deliveries are queued.

use std::sync::{Arc, RwLock};

use skywatch_store::Store;
use tokio::sync::Notify;

/// The topic service; cheap to clone.
#[derive(Clone)]
pub struct Sns {
    pub(crate) store: Store,
    base_url: Arc<RwLock<String>>,
    wake: Arc<Notify>,
}

/// The base URL until the server says where it listens.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:4566";

impl Sns {
    pub fn new(store: Store) -> Self {
        Self { store, base_url: Arc::new(RwLock::new(DEFAULT_BASE_URL.to_owned())), wake: Arc::new(Notify::new()) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Where clients reach this server (`--public-url`, or the listening address).
    pub fn set_base_url(&self, url: &str) {
        *self.base_url.write().unwrap_or_else(|e| e.into_inner()) = url.trim_end_matches('/').to_owned();
    }

    pub fn base_url(&self) -> String {
        self.base_url.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Tells the deliverer that deliveries were queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }
}
