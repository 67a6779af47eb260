//! The deliverer: posts each due delivery through the server's [`Transport`], a few at a time, and commits the
//! outcome: delivered (a 2xx), retried later by the delivery policy (no answer, a 5xx or a 429), or failed for
//! good (another status, or the retries spent). Every attempt goes into the subscription's delivery log. A
//! delivery stays in the outbox until its outcome is committed, so a restart re-sends what was in flight (SNS is
//! at-least-once too). Messages are signed here, just before they are posted, off the async runtime: the outbox
//! holds them unsigned, so publishing never waits on RSA.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use skywatch_store::Mutation;

use crate::arn::parse_topic_arn;
use crate::message::{Document, headers};
use crate::policy::RetryPolicy;
use crate::storage::{Delivery, DropLogEntries, LogEntry, SnsChange, due, log_overflow, next_due, subscription, topic};
use crate::{Sns, message};

/// One post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// How a post went: the endpoint's status, or why there was none.
pub type Outcome = Result<u16, String>;

/// How posts are made (the server's HTTP client; tests' fakes).
pub trait Transport: Send + Sync + 'static {
    fn post(&self, request: Request) -> Pin<Box<dyn Future<Output = Outcome> + Send>>;
}

/// Deliveries attempted at once.
pub const CONCURRENCY: usize = 16;
/// Deliveries read per round.
const BATCH: usize = 256;
/// The longest the deliverer sleeps without looking at the outbox.
const IDLE: Duration = Duration::from_secs(5);

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeliveryRound {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Whether an answer calls for another try.
fn retryable(outcome: &Outcome) -> bool {
    match outcome {
        Ok(status) => *status == 429 || *status >= 500,
        Err(_) => true,
    }
}

impl Sns {
    /// The bodies to post for `deliveries`: each JSON document signed by its `SignatureVersion`, a raw message as
    /// it is; an error (retried like a failed post) when there is no key to sign with.
    fn signed_bodies(&self, deliveries: &[Delivery]) -> Vec<Result<String, String>> {
        let documents: Vec<Option<Document>> = deliveries
            .iter()
            .map(|d| if d.raw { None } else { serde_json::from_str::<Document>(&d.body).ok() })
            .map(|d| d.filter(|d| d.signature_version.is_some() && d.signature.is_none()))
            .collect();
        let signer = if documents.iter().any(Option::is_some) {
            self.signer().map_err(|e| format!("signing failed: {e}"))
        } else {
            Err(String::new())
        };
        let base_url = self.base_url();
        deliveries
            .iter()
            .zip(documents)
            .map(|(delivery, document)| match document {
                None => Ok(delivery.body.clone()),
                Some(mut document) => {
                    let signer = signer.as_ref().map_err(Clone::clone)?;
                    signer.sign_document(&mut document, &base_url).map_err(|e| format!("signing failed: {e}"))?;
                    Ok(document.to_json())
                }
            })
            .collect()
    }

    /// The retry policy of a delivery: its subscription's `DeliveryPolicy`, else its topic's, else SNS's default.
    async fn policy(&self, delivery: &Delivery) -> RetryPolicy {
        let delivery = delivery.clone();
        let documents = self
            .store
            .read(move |reader| {
                let Some((_, _, name)) = parse_topic_arn(&delivery.topic_arn) else { return Ok((None, None)) };
                let sub = subscription(reader, &delivery.account, &delivery.region, name, &delivery.subscription_id)?;
                let top = topic(reader, &delivery.account, &delivery.region, name)?;
                Ok((
                    sub.and_then(|s| s.attributes.get("DeliveryPolicy").cloned()),
                    top.and_then(|t| t.attributes.get("DeliveryPolicy").cloned()),
                ))
            })
            .await
            .unwrap_or((None, None));
        RetryPolicy::from_document(documents.0.or(documents.1).as_deref())
    }

    /// Makes every delivery due by `now_ms`, at most [`CONCURRENCY`] at once, and commits their outcomes.
    pub async fn deliver_due(
        &self,
        transport: &Arc<dyn Transport>,
        now_ms: i64,
    ) -> Result<DeliveryRound, skywatch_store::ReadError> {
        let batch = self.store.read(move |reader| due(reader, now_ms, BATCH)).await?;
        let mut round = DeliveryRound::default();
        for chunk in batch.chunks(CONCURRENCY) {
            let (sns, deliveries) = (self.clone(), chunk.to_vec());
            let bodies = tokio::task::spawn_blocking(move || sns.signed_bodies(&deliveries))
                .await
                .unwrap_or_else(|e| vec![Err(format!("signing failed: {e}")); chunk.len()]);
            let mut posts = tokio::task::JoinSet::new();
            for (delivery, body) in chunk.iter().cloned().zip(bodies) {
                let transport = Arc::clone(transport);
                let body = match body {
                    Ok(body) => body,
                    Err(error) => {
                        posts.spawn(async move { (delivery, Err(error), Duration::ZERO) });
                        continue;
                    }
                };
                let request = Request {
                    url: delivery.endpoint.clone(),
                    headers: headers(
                        &delivery.message_type,
                        &delivery.message_id,
                        &delivery.topic_arn,
                        &delivery.subscription_arn(),
                        delivery.raw,
                    ),
                    body,
                };
                posts.spawn(async move {
                    let started = std::time::Instant::now();
                    let outcome = transport.post(request).await;
                    (delivery, outcome, started.elapsed())
                });
            }
            let mut changes: Vec<Mutation> = Vec::new();
            let mut touched = Vec::new();
            while let Some(joined) = posts.join_next().await {
                let Ok((delivery, outcome, took)) = joined else { continue };
                let now = now_ms.saturating_add(i64::try_from(took.as_millis()).unwrap_or(0));
                let attempt = delivery.attempts + 1;
                let retry = if retryable(&outcome) {
                    self.policy(&delivery).await.delay_s(attempt).map(|s| now + i64::from(s) * 1000)
                } else {
                    None
                };
                let outcome_name = match (&outcome, retry) {
                    (Ok(status), _) if (200..300).contains(status) => "delivered",
                    (_, Some(_)) => "retrying",
                    _ => "failed",
                };
                match outcome_name {
                    "delivered" => round.delivered += 1,
                    "retrying" => round.retrying += 1,
                    _ => round.failed += 1,
                }
                if outcome_name == "failed" {
                    tracing::info!(endpoint = %delivery.endpoint, ?outcome, "delivery failed for good");
                }
                let entry = LogEntry {
                    time_ms: now,
                    message_id: delivery.message_id.clone(),
                    message_type: delivery.message_type.clone(),
                    attempt,
                    status: outcome.as_ref().ok().copied(),
                    outcome: outcome_name.to_owned(),
                    error: outcome.as_ref().err().map(|e| message::clip(e, 256)),
                    duration_ms: i64::try_from(took.as_millis()).unwrap_or(i64::MAX),
                };
                touched.push(delivery.subscription_id.clone());
                changes.push(SnsChange::Attempted { delivery: Box::new(delivery), entry, retry }.mutation());
            }
            if let Err(error) = self.store.apply(changes).await {
                tracing::warn!(%error, "committing delivery outcomes failed");
            }
            touched.sort();
            touched.dedup();
            let old = self
                .store
                .read(move |reader| {
                    let mut keys = Vec::new();
                    for id in &touched {
                        keys.extend(log_overflow(reader, id)?);
                    }
                    Ok(keys)
                })
                .await
                .unwrap_or_default();
            if !old.is_empty() {
                let _ = self.store.apply(vec![Mutation::new(DropLogEntries(old))]).await;
            }
        }
        Ok(round)
    }

    /// The deliverer's loop, until `stop` resolves: deliver what is due, then sleep until the next delivery is
    /// due, a publish wakes it, or [`IDLE`] passes.
    pub async fn run(self, transport: Arc<dyn Transport>, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let now = chrono::Utc::now().timestamp_millis();
            // A round stopped midway loses nothing: what was not committed is still in the outbox.
            tokio::select! {
                () = &mut stop => return,
                round = self.deliver_due(&transport, now) => {
                    if let Err(error) = round {
                        tracing::warn!(%error, "reading the outbox failed");
                    }
                }
            }
            let next = self.store.read(next_due).await.ok().flatten();
            let now = chrono::Utc::now().timestamp_millis();
            let wait = match next {
                Some(due) if due <= now => Duration::ZERO,
                Some(due) => Duration::from_millis(u64::try_from(due - now).unwrap_or(0)).min(IDLE),
                None => IDLE,
            };
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(wait) => {}
                () = self.woken() => {}
            }
        }
    }
}
