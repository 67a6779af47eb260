//! [`Sns`], the handle topic operations and the deliverer run on: the store, the base URL the server is reached
//! at (for SubscribeURL, UnsubscribeURL and SigningCertURL), the key messages are signed with, and the signal
//! that wakes the deliverer when deliveries are queued.

use std::sync::{Arc, RwLock};

use skywatch_store::Store;
use tokio::sync::Notify;

use crate::signing::{Keys, Signer, SigningError};

/// The topic service; cheap to clone.
#[derive(Clone)]
pub struct Sns {
    pub(crate) store: Store,
    base_url: Arc<RwLock<String>>,
    keys: Arc<Keys>,
    wake: Arc<Notify>,
}

/// The base URL until the server says where it listens.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:4566";

impl Sns {
    /// Topics on `store`, signing with a key kept in memory (see [`Sns::with_keys`]).
    pub fn new(store: Store) -> Self {
        Self {
            store,
            base_url: Arc::new(RwLock::new(DEFAULT_BASE_URL.to_owned())),
            keys: Arc::new(Keys::in_memory()),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Signs messages with `keys` (the server's: kept in its data dir).
    pub fn with_keys(mut self, keys: Keys) -> Self {
        self.keys = Arc::new(keys);
        self
    }

    /// The signing key, made on first use. Blocking: call it off the async runtime.
    pub fn signer(&self) -> Result<Arc<Signer>, SigningError> {
        self.keys.signer()
    }

    /// The PEM certificate a message's `SigningCertURL` names, if `name` is its file name.
    pub async fn signing_certificate(&self, name: &str) -> Option<String> {
        let (sns, name) = (self.clone(), name.to_owned());
        tokio::task::spawn_blocking(move || {
            let signer = sns.signer().inspect_err(|error| tracing::warn!(%error, "no signing key")).ok()?;
            (signer.certificate_name() == name).then(|| signer.certificate_pem().to_owned())
        })
        .await
        .ok()
        .flatten()
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
