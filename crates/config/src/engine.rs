//! [`Config`], the handle Config's operations and its background work run on: the store, the describer of
//! Skywatch's own resources, and the signal that wakes the recorder when notices are queued.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use skywatch_store::{Store, WriteError};
use tokio::sync::Notify;

use crate::describe::{Describe, Nothing};
use crate::recorder;
use crate::rules::Transport;

/// How long the loop sleeps when nothing wakes it (it also catches notices committed while it was busy, rules
/// that came due and webhook retries).
const IDLE: Duration = Duration::from_secs(1);

/// AWS Config; cheap to clone.
#[derive(Clone)]
pub struct Config {
    pub(crate) store: Store,
    pub(crate) describer: Arc<dyn Describe>,
    wake: Arc<Notify>,
    /// Where buckets are (delivery channels write under `<buckets>/<bucket>/`); none: nothing is delivered.
    buckets: Option<Arc<PathBuf>>,
    /// How often history files are delivered (AWS Config: every six hours).
    history_every_ms: i64,
    /// Where item and compliance changes are announced (none: they are dropped unannounced).
    announcer: Option<Arc<dyn crate::announce::Announce>>,
}

/// AWS Config delivers configuration history files every six hours.
pub const HISTORY_EVERY_MS: i64 = 6 * 3_600_000;

/// Why a recorder pass failed (it is retried at the next one; nothing is lost).
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error(transparent)]
    Read(#[from] skywatch_store::ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl Config {
    /// Config over `store`, recording only third-party resources until [`Config::describing`] says more.
    pub fn new(store: Store) -> Self {
        Self {
            store,
            describer: Arc::new(Nothing),
            wake: Arc::new(Notify::new()),
            buckets: None,
            history_every_ms: HISTORY_EVERY_MS,
            announcer: None,
        }
    }

    /// Item and compliance changes are announced through `announcer` (EventBridge).
    pub fn announcing_to(self, announcer: Arc<dyn crate::announce::Announce>) -> Self {
        Self { announcer: Some(announcer), ..self }
    }

    /// One announcing pass at `now_ms`: the oldest announcements routed (when there is an announcer) and removed
    /// in one commit. Returns how many were handled.
    pub async fn announce(&self, now_ms: i64) -> Result<usize, PassError> {
        let announcer = self.announcer.clone();
        let (changes, handled) = self
            .store
            .read(move |reader| {
                let pending = crate::announce::pending(reader, crate::announce::A_PASS)?;
                let mut changes = Vec::new();
                let mut keys = Vec::with_capacity(pending.len());
                for (key, announcement) in pending {
                    if let Some(announcer) = &announcer {
                        changes.extend(announcer.plan(reader, &crate::announce::event(&announcement, now_ms)));
                    }
                    keys.push(key);
                }
                let handled = keys.len();
                if handled > 0 {
                    changes.push(skywatch_store::Mutation::new(crate::announce::Announced(keys)));
                }
                Ok((changes, handled))
            })
            .await?;
        if handled > 0 {
            self.store.apply(changes).await?;
            if let Some(announcer) = &self.announcer {
                announcer.committed();
            }
        }
        Ok(handled)
    }

    /// Delivers channels' files under `buckets`, history every `history_every_ms`.
    pub fn delivering(self, buckets: PathBuf, history_every_ms: i64) -> Self {
        Self { buckets: Some(Arc::new(buckets)), history_every_ms: history_every_ms.max(1_000), ..self }
    }

    /// Describes Skywatch's own resources with `describer`.
    pub fn describing(self, describer: Arc<dyn Describe>) -> Self {
        Self { describer, ..self }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The resource types Skywatch describes itself.
    pub fn own_types(&self) -> &'static [&'static str] {
        self.describer.resource_types()
    }

    /// Wakes the recorder: notices were committed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// One recorder pass at `now_ms`: returns how many items it recorded. Passes until the notices are drained
    /// are what [`Config::run`] does; tests call this directly.
    pub async fn record(&self, now_ms: i64) -> Result<usize, PassError> {
        let describer = Arc::clone(&self.describer);
        let pass = self.store.read(move |reader| recorder::plan(reader, describer.as_ref(), now_ms)).await?;
        let (recorded, notices) = (pass.items.len(), pass.notices);
        if !pass.changes.is_empty() {
            self.store.apply(pass.changes).await?;
        }
        if notices >= recorder::NOTICES_A_PASS {
            self.wake();
        }
        Ok(recorded)
    }

    /// One delivery pass at `now_ms`: every channel whose history or snapshot is due writes its files. Returns
    /// how many files were written.
    pub async fn deliver(&self, now_ms: i64) -> Result<usize, PassError> {
        let Some(buckets) = self.buckets.clone() else { return Ok(0) };
        let every = self.history_every_ms;
        let planned = self.store.read(move |reader| crate::delivery::plan(reader, now_ms, every)).await?;
        let mut written = 0;
        let mut changes = Vec::new();
        for delivery in planned {
            let dir = Arc::clone(&buckets);
            let files = delivery.files.clone();
            let outcome = tokio::task::spawn_blocking(move || crate::delivery::write(&dir, &files))
                .await
                .map_err(|error| error.to_string())
                .and_then(|written| written.map_err(|error| error.to_string()));
            if outcome.is_ok() {
                written += delivery.files.len();
            } else if let Err(error) = &outcome {
                tracing::warn!(%error, bucket = %delivery.channel.bucket, "config delivery failed");
            }
            changes.push(delivery.settle(now_ms, &outcome, every).mutation());
        }
        if !changes.is_empty() {
            self.store.apply(changes).await?;
        }
        Ok(written)
    }

    /// Runs the rules that are due at `now_ms` (asked for, or periodic); returns how many changes it committed.
    pub async fn evaluate_rules(&self, now_ms: i64) -> Result<usize, PassError> {
        let changes = self.store.read(move |reader| crate::rules::pass::run_due(reader, now_ms)).await?;
        let count = changes.len();
        if !changes.is_empty() {
            self.store.apply(changes).await?;
        }
        Ok(count)
    }

    /// Posts the webhook invocations due at `now_ms` through `transport`; returns how many it posted.
    pub async fn invoke(&self, transport: &Arc<dyn Transport>, now_ms: i64) -> Result<usize, PassError> {
        use crate::rules::{deliver, storage};
        let due = self
            .store
            .read(move |reader| storage::due_invocations(reader, now_ms, deliver::INVOCATIONS_A_PASS))
            .await?;
        // Posted concurrently: one slow webhook (the transport bounds each post's time) holds up no other.
        let posts: Vec<_> = due
            .iter()
            .map(|invocation| tokio::spawn(transport.post(&invocation.url, invocation.body.clone())))
            .collect();
        let mut outcomes = Vec::with_capacity(posts.len());
        for post in posts {
            outcomes.push(post.await.unwrap_or_else(|error| Err(format!("the post failed: {error}"))));
        }
        let mut changes = Vec::new();
        for (invocation, outcome) in due.iter().zip(&outcomes) {
            changes.extend(deliver::settle(invocation, outcome, now_ms));
        }
        if !changes.is_empty() {
            self.store.apply(changes).await?;
        }
        Ok(due.len())
    }

    /// Runs the remediation attempts due at `now_ms` (webhook targets through `transport`); returns how many.
    pub async fn remediate(&self, transport: &Arc<dyn Transport>, now_ms: i64) -> Result<usize, PassError> {
        use crate::remediation::run::{Work, plan, settle};
        let work = self.store.read(move |reader| plan(reader, now_ms)).await?;
        let count = work.len();
        let mut changes = Vec::new();
        let mut posts = Vec::new();
        for item in work {
            match item {
                Work::Done(done) => changes.extend(done),
                Work::Post { due, url, body, remediation, execution } => {
                    let post = tokio::spawn(transport.post(&url, body));
                    posts.push((post, due, remediation, execution));
                }
            }
        }
        for (post, due, remediation, execution) in posts {
            let outcome = match post.await {
                Ok(Ok((status, _))) if (200..300).contains(&status) => Ok(()),
                Ok(Ok((status, _))) => Err(format!("the webhook answered HTTP {status}")),
                Ok(Err(error)) => Err(error),
                Err(error) => Err(format!("the post failed: {error}")),
            };
            let end = chrono::Utc::now().timestamp_millis().max(now_ms);
            changes.push(settle(*due, &remediation, &execution, (now_ms, end), outcome));
        }
        if !changes.is_empty() {
            self.store.apply(changes).await?;
            self.wake();
        }
        Ok(count)
    }

    /// The background loop the server spawns: recorder passes whenever woken (or every few seconds), rules
    /// that are due, deliveries and webhook invocations, until `stop`.
    pub async fn run(self, transport: Arc<dyn Transport>, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let now = chrono::Utc::now().timestamp_millis();
            tokio::select! {
                () = &mut stop => return,
                pass = self.record(now) => {
                    if let Err(error) = pass {
                        tracing::warn!(%error, "config recorder pass failed");
                    }
                }
            }
            tokio::select! {
                () = &mut stop => return,
                evaluated = self.evaluate_rules(now) => {
                    if let Err(error) = evaluated {
                        tracing::warn!(%error, "config rules pass failed");
                    }
                }
            }
            tokio::select! {
                () = &mut stop => return,
                announced = self.announce(now) => {
                    if let Err(error) = announced {
                        tracing::warn!(%error, "config announcing pass failed");
                    }
                }
            }
            tokio::select! {
                () = &mut stop => return,
                invoked = self.invoke(&transport, now) => {
                    if let Err(error) = invoked {
                        tracing::warn!(%error, "config webhook pass failed");
                    }
                }
            }
            tokio::select! {
                () = &mut stop => return,
                remediated = self.remediate(&transport, now) => {
                    if let Err(error) = remediated {
                        tracing::warn!(%error, "config remediation pass failed");
                    }
                }
            }
            tokio::select! {
                () = &mut stop => return,
                delivered = self.deliver(now) => {
                    if let Err(error) = delivered {
                        tracing::warn!(%error, "config delivery pass failed");
                    }
                }
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(IDLE) => {}
                () = self.wake.notified() => {}
            }
        }
    }
}
