//! [`Alarms`], the handle alarm operations and the evaluator run on: the store, the metrics engine the evaluator
//! reads, and the signal that wakes the evaluator when a state changes outside it (SetAlarmState, a new composite
//! alarm), so composite alarms follow their children at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use skywatch_metrics::tsdb::Tsdb;
use skywatch_store::Store;
use tokio::sync::Notify;

/// An alarm's identity: (account, region, name).
pub(crate) type AlarmKey = (String, String, String);

/// The alarm engine; cheap to clone.
#[derive(Clone)]
pub struct Alarms {
    pub(crate) store: Store,
    pub(crate) tsdb: Tsdb,
    wake: Arc<Notify>,
    /// The configuration time each alarm was last evaluated at, by (account, region, name): an alarm put since
    /// is evaluated at the next pass, not at the next minute.
    pub(crate) evaluated: Arc<Mutex<HashMap<AlarmKey, i64>>>,
}

impl Alarms {
    pub fn new(store: Store, tsdb: Tsdb) -> Self {
        Self { store, tsdb, wake: Arc::new(Notify::new()), evaluated: Arc::default() }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Asks the evaluator for a composite pass now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Resolves when [`wake`](Self::wake) is called (or was called since the last wait).
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}
