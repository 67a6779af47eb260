//! The deliverer: drains the queue of subscription deliveries. An HTTP endpoint gets the gzip payload posted
//! (through a [`Poster`] the server provides; the engine opens no sockets); a topic gets it published, the
//! topic's own deliveries committed with the delivery's removal from the queue; a log group gets the events
//! stored, likewise in the same commit. A failed attempt is retried with exponential backoff (one second doubling
//! to five minutes) for a day, then given up and counted in the filter's record. Nothing leaves the queue before
//! its outcome commits, so a restart delivers what was queued (at least once, as AWS delivers).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use skywatch_store::Mutation;

use super::Destination;
use super::payload::Payload;
use super::storage::{Delivery, Settled, SubscriptionChange, due};
use crate::block::Event;
use crate::ingest::{self, InputEvent};
use crate::model::LogStream;
use crate::storage::{self, Batch, LogsChange};
use crate::{Logs, LogsError};

/// How an HTTP post went: the endpoint's status, or why there was none.
pub type PostOutcome = Result<u16, String>;

/// How payloads are posted to HTTP endpoints (the server's HTTP client; tests' endpoints).
pub trait Poster: Send + Sync + 'static {
    /// Posts `body` (a gzip-compressed JSON payload) to `url`.
    fn post(&self, url: &str, body: Vec<u8>) -> Pin<Box<dyn Future<Output = PostOutcome> + Send>>;
}

/// Why [`Logs::plan_append`] stored nothing: what happened, whether trying again may help, and whether the group
/// is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendFailure {
    pub message: String,
    pub retry: bool,
    pub missing_group: bool,
}

impl AppendFailure {
    fn retry(message: String) -> Self {
        AppendFailure { message, retry: true, missing_group: false }
    }

    fn permanent(message: String) -> Self {
        AppendFailure { message, retry: false, missing_group: false }
    }

    fn missing(message: String) -> Self {
        AppendFailure { message, retry: true, missing_group: true }
    }
}

/// Deliveries read per round.
const BATCH: usize = 64;
/// Bytes of queued deliveries read per round (a delivery holds at most one batch of about a megabyte).
const ROUND_BYTES: usize = 32 * 1024 * 1024;
/// Posts made at once.
const CONCURRENCY: usize = 16;
/// How long a delivery is retried before it is given up.
pub const GIVE_UP_AFTER_MS: i64 = 24 * 3_600_000;
/// The longest wait between attempts.
const MAX_BACKOFF_MS: i64 = 300_000;
/// How often an idle deliverer looks at the queue.
const IDLE: Duration = Duration::from_millis(200);

/// The wait before attempt `attempts + 2`: one second, doubling, at most five minutes.
pub fn backoff_ms(attempts: u32) -> i64 {
    (1_000_i64 << attempts.min(16)).min(MAX_BACKOFF_MS)
}

/// What one attempt came to: the mutations that deliver it (a topic's, a log group's), or a failure.
type Attempt = Result<Vec<Mutation>, Failure>;

#[derive(Debug)]
struct Failure {
    error: String,
    retry: bool,
}

impl Failure {
    fn retry(error: impl Into<String>) -> Self {
        Failure { error: error.into(), retry: true }
    }

    fn permanent(error: impl Into<String>) -> Self {
        Failure { error: error.into(), retry: false }
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Round {
    pub delivered: usize,
    pub retrying: usize,
    pub dropped: usize,
}

impl Round {
    pub fn attempted(&self) -> usize {
        self.delivered + self.retrying + self.dropped
    }
}

/// How an attempt settles.
fn settled(delivery: &Delivery, failure: &Failure, now_ms: i64) -> Settled {
    let given_up = now_ms.saturating_sub(delivery.created_ms) >= GIVE_UP_AFTER_MS;
    if failure.retry && !given_up {
        Settled::Retry { due_ms: now_ms.saturating_add(backoff_ms(delivery.attempts)), error: failure.error.clone() }
    } else {
        Settled::Dropped { error: failure.error.clone() }
    }
}

/// The stream forwarded events land in: named after their source group and stream (and account, when another).
pub fn forwarded_stream(delivery: &Delivery, destination_account: &str) -> String {
    let payload = &delivery.payload;
    let name = match delivery.account == destination_account {
        true => format!("{}/{}", payload.log_group, payload.log_stream),
        false => format!("{}/{}/{}", delivery.account, payload.log_group, payload.log_stream),
    };
    name.chars().take(512).collect()
}

impl Logs {
    /// Makes the deliveries due by `now_ms`, and commits their outcomes.
    pub async fn deliver_subscriptions(&self, poster: &Arc<dyn Poster>, now_ms: i64) -> Result<Round, LogsError> {
        let batch = self.store.read(move |reader| due(reader, now_ms, BATCH, ROUND_BYTES)).await?;
        let mut round = Round::default();
        let (to_groups, others): (Vec<Delivery>, Vec<Delivery>) = batch
            .into_iter()
            .partition(|d| matches!(Destination::parse(&d.destination_arn), Ok(Destination::LogGroup { .. })));
        for chunk in others.chunks(CONCURRENCY) {
            let mut attempts = tokio::task::JoinSet::new();
            for delivery in chunk.iter().cloned() {
                let (logs, poster) = (self.clone(), Arc::clone(poster));
                attempts.spawn(async move {
                    let attempt = logs.attempt(&poster, &delivery, now_ms).await;
                    (delivery, attempt)
                });
            }
            let mut changes = Vec::new();
            while let Some(joined) = attempts.join_next().await {
                let Ok((delivery, attempt)) = joined else { continue };
                changes.extend(self.settle(delivery, attempt, now_ms, &mut round));
            }
            self.store.apply(changes).await?;
        }
        // One at a time: each may create its destination stream, which the next must see.
        for delivery in to_groups {
            let attempt = self.attempt(poster, &delivery, now_ms).await;
            let changes = self.settle(delivery, attempt, now_ms, &mut round);
            self.store.apply(changes).await?;
        }
        Ok(round)
    }

    fn settle(&self, delivery: Delivery, attempt: Attempt, now_ms: i64, round: &mut Round) -> Vec<Mutation> {
        let (mut changes, outcome) = match attempt {
            Ok(changes) => (changes, Settled::Delivered),
            Err(failure) => {
                let outcome = settled(&delivery, &failure, now_ms);
                tracing::debug!(error = %failure.error, destination = %delivery.destination_arn, "subscription delivery failed");
                (Vec::new(), outcome)
            }
        };
        match &outcome {
            Settled::Delivered => round.delivered += 1,
            Settled::Retry { .. } => round.retrying += 1,
            Settled::Dropped { .. } => round.dropped += 1,
        }
        changes.push(SubscriptionChange::Settle { delivery: Box::new(delivery), settled: outcome, now_ms }.mutation());
        changes
    }

    async fn attempt(&self, poster: &Arc<dyn Poster>, delivery: &Delivery, now_ms: i64) -> Attempt {
        let destination =
            Destination::parse(&delivery.destination_arn).map_err(|e| Failure::permanent(e.to_string()))?;
        match destination {
            Destination::Http { url } => {
                let payload = delivery.payload.clone();
                let body = tokio::task::spawn_blocking(move || payload.gzip())
                    .await
                    .map_err(|e| Failure::retry(e.to_string()))?;
                match poster.post(&url, body).await {
                    Ok(status) if (200..300).contains(&status) => Ok(Vec::new()),
                    Ok(status) if status == 408 || status == 429 || status >= 500 => {
                        Err(Failure::retry(format!("the endpoint answered HTTP {status}")))
                    }
                    Ok(status) => Err(Failure::permanent(format!("the endpoint answered HTTP {status}"))),
                    Err(error) => Err(Failure::retry(error)),
                }
            }
            Destination::Topic { arn } => {
                let Some(topics) = self.topics.clone() else {
                    return Err(Failure::permanent("this server has no topics"));
                };
                let payload = delivery.payload.clone();
                self.store
                    .read(move |reader| {
                        let message = payload.awslogs_message();
                        Ok(topics.publish(reader, &arn, &message, now_ms))
                    })
                    .await
                    .map_err(|e| Failure::retry(e.to_string()))?
                    .map_err(Failure::retry)
            }
            Destination::LogGroup { account, region, name } => {
                self.forward(delivery, (&account, &region, &name), now_ms).await
            }
        }
    }

    /// Stores a delivery's events in log group `name`: the mutations, committed with the delivery's settling.
    /// Events its retention or age rules refuse are left out, as PutLogEvents leaves them out.
    async fn forward(&self, delivery: &Delivery, (account, region, name): (&str, &str, &str), now_ms: i64) -> Attempt {
        let stream_name = forwarded_stream(delivery, account);
        let input: Vec<InputEvent> = delivery
            .payload
            .log_events
            .iter()
            .map(|e| InputEvent { timestamp_ms: e.timestamp, message: e.message.clone() })
            .collect();
        self.plan_append((account, region, name), &stream_name, input, now_ms)
            .await
            .map_err(|failure| Failure { error: failure.message, retry: failure.retry })
    }

    /// The mutations that store `input` in stream `stream_name` of log group `name` (the stream made when
    /// missing), as another service delivers into a group (a subscription's destination, an EventBridge target):
    /// events the group's retention or PutLogEvents' age rules refuse are left out. Commit them before planning
    /// another append to a stream this one makes.
    pub async fn plan_append(
        &self,
        (account, region, name): (&str, &str, &str),
        stream_name: &str,
        input: Vec<InputEvent>,
        now_ms: i64,
    ) -> Result<Vec<Mutation>, AppendFailure> {
        let stream_name = stream_name.to_owned();
        let (a, r, n, s) = (account.to_owned(), region.to_owned(), name.to_owned(), stream_name.clone());
        let (group, stream) = self
            .store
            .read(move |reader| {
                let Some(group) = storage::group(reader, &a, &r, &n)? else { return Ok(None) };
                let stream = storage::stream(reader, group.id, &s)?;
                Ok(Some((group, stream)))
            })
            .await
            .map_err(|e| AppendFailure::retry(e.to_string()))?
            .ok_or_else(|| AppendFailure::missing(format!("the destination log group {name} does not exist")))?;
        let accepted = match ingest::accept(&input, now_ms, group.retention_days) {
            Ok((accepted, _)) => accepted,
            Err(error) => return Err(AppendFailure::permanent(error.to_string())),
        };
        let events: Vec<Event> = input[accepted]
            .iter()
            .map(|e| Event { timestamp_ms: e.timestamp_ms, ingestion_ms: now_ms, message: e.message.clone() })
            .collect();
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let mut changes = Vec::new();
        let stream = match stream {
            Some(stream) => stream,
            None => {
                let stream = LogStream {
                    name: stream_name.clone(),
                    id: self.next_id(now_ms),
                    created_ms: now_ms,
                    first_event_ms: None,
                    last_event_ms: None,
                    last_ingestion_ms: None,
                    sequence: 0,
                };
                changes.push(
                    LogsChange::PutStream {
                        account: account.to_owned(),
                        region: region.to_owned(),
                        group: group.name.clone(),
                        group_id: group.id,
                        stream: Box::new(stream.clone()),
                    }
                    .mutation(),
                );
                stream
            }
        };
        let (keys, key, ids, stream_id) =
            (self.keys.clone(), group.kms_key_id.clone(), (group.id, self.next_id(now_ms)), stream.id);
        let block = tokio::task::spawn_blocking(move || {
            ingest::build_block(&keys, ids, (stream_id, &stream_name), &events, key.as_deref())
        })
        .await
        .map_err(|e| AppendFailure::retry(e.to_string()))?
        .map_err(|e| AppendFailure::retry(e.to_string()))?;
        let batch = Batch {
            account: account.to_owned(),
            region: region.to_owned(),
            group: group.name.clone(),
            group_id: group.id,
            stream: stream.name,
            stream_id: stream.id,
            blocks: vec![block],
            ingestion_ms: now_ms,
        };
        changes.push(LogsChange::Ingest(Box::new(batch)).mutation());
        Ok(changes)
    }

    /// Delivers until `stop`: a round whenever deliveries are due, looking again every 200 ms when idle.
    pub async fn run_subscriptions(self, poster: Arc<dyn Poster>, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let now = now_ms();
            let busy = tokio::select! {
                () = &mut stop => return,
                round = self.deliver_subscriptions(&poster, now) => match round {
                    Ok(round) => round.attempted() > 0,
                    Err(error) => {
                        tracing::warn!(%error, "subscription delivery round failed");
                        false
                    }
                },
            };
            if !busy {
                tokio::select! {
                    () = &mut stop => return,
                    () = tokio::time::sleep(IDLE) => {}
                }
            }
        }
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A data payload of `events` of one stream for filter `filter_name`.
pub fn data_payload(
    owner: &str,
    group: &str,
    stream: &str,
    filter_name: &str,
    events: Vec<super::payload::PayloadEvent>,
) -> Payload {
    Payload {
        message_type: super::payload::DATA_MESSAGE.into(),
        owner: owner.to_owned(),
        log_group: group.to_owned(),
        log_stream: stream.to_owned(),
        subscription_filters: vec![filter_name.to_owned()],
        log_events: events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_five_minutes() {
        let waits: Vec<i64> = (0..12).map(backoff_ms).collect();
        assert_eq!(&waits[..5], &[1_000, 2_000, 4_000, 8_000, 16_000]);
        assert_eq!(waits[8], 256_000);
        assert_eq!(waits[9], MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(u32::MAX), MAX_BACKOFF_MS);
    }
}
