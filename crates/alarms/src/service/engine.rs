//! [`Alarms`], the handle alarm operations and the evaluator run on: the store, the metrics engine the evaluator
//! reads, the topics alarm actions publish to, and the signal that wakes the evaluator when a state changes outside it (SetAlarmState, a new composite
//! alarm), so composite alarms follow their children at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use skywatch_metrics::tsdb::Tsdb;
use skywatch_sns::Sns;
use skywatch_store::Store;
use tokio::sync::Notify;

/// An alarm's identity: (account, region, name).
pub(crate) type AlarmKey = (String, String, String);

/// The alarm engine; cheap to clone.
#[derive(Clone)]
pub struct Alarms {
    pub(crate) store: Store,
    pub(crate) tsdb: Tsdb,
    /// The topics alarm actions publish to.
    pub(crate) sns: Sns,
    wake: Arc<Notify>,
    /// The configuration time each alarm was last evaluated at, by (account, region, name): an alarm put since
    /// is evaluated at the next pass, not at the next minute.
    pub(crate) evaluated: Arc<Mutex<HashMap<AlarmKey, i64>>>,
    /// Where state changes are announced as events (none: nowhere).
    pub(crate) events: Option<Arc<dyn super::state_event::StateChangeEvents>>,
}

impl Alarms {
    pub fn new(store: Store, tsdb: Tsdb, sns: Sns) -> Self {
        Self { store, tsdb, sns, wake: Arc::new(Notify::new()), evaluated: Arc::default(), events: None }
    }

    /// State changes are announced through `events` (EventBridge's "CloudWatch Alarm State Change").
    pub fn announcing_to(mut self, events: Arc<dyn super::state_event::StateChangeEvents>) -> Self {
        self.events = Some(events);
        self
    }

    /// Commits `transitions` (their states, history and actions, planned against one snapshot) and wakes the
    /// deliverer for the notifications they queued.
    pub(crate) async fn commit(
        &self,
        transitions: Vec<super::transition::Transition>,
    ) -> Result<usize, skywatch_store::WriteError> {
        if transitions.is_empty() {
            return Ok(0);
        }
        let count = transitions.len();
        let base = self.sns.base_url();
        let events = self.events.clone();
        let changes = self
            .store
            .read(move |reader| {
                let events = events.as_deref();
                Ok(transitions
                    .into_iter()
                    .map(|t| super::transition::commit(reader, &base, events, t))
                    .collect::<Vec<_>>())
            })
            .await
            .map_err(|error| skywatch_store::WriteError::Storage(error.to_string()))?;
        self.store.apply(changes).await?;
        self.sns.wake();
        if let Some(events) = &self.events {
            events.committed();
        }
        Ok(count)
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
