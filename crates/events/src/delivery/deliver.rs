//! The deliverer: takes due deliveries off the queue and makes them. A topic gets the body published and a log
//! group gets it stored (their mutations commit with the delivery's outcome), a bus gets the event routed again
//! (when its resource policy lets the sender's account in), a webhook gets it posted. A failed attempt is retried
//! by the target's RetryPolicy (185 attempts and 24 hours unless set; one second doubling to five minutes between
//! attempts), except where retrying cannot help (no such target, no permission); a delivery given up goes to the
//! target's dead-letter queue when it has one. Nothing leaves the queue before its outcome commits, so a restart
//! delivers what was queued (at least once, as EventBridge delivers).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use skywatch_store::{Mutation, Reader};

use super::metrics::Tally;
use super::storage::{DeadLetter, Delivery, DeliveryChange, PendingEvent, Settled, due, pending_event};
use super::target::{HttpRequest, SinkError, Sinks, TargetKind};
use crate::model::RetryPolicy;
use crate::names::bus_arn;
use crate::transform::{Delivering, body};
use crate::{Events, EventsError, policy, storage};

/// Deliveries taken per round.
const BATCH: usize = 256;
/// Attempts made at once.
const CONCURRENCY: usize = 32;
/// How often an idle deliverer looks at the queue (it is also woken when deliveries are queued).
const IDLE: Duration = Duration::from_millis(500);
/// The longest wait between attempts.
const MAX_BACKOFF_MS: i64 = 300_000;
/// RetryPolicy's defaults.
pub const DEFAULT_RETRY_ATTEMPTS: i64 = 185;
pub const DEFAULT_EVENT_AGE_SECONDS: i64 = 86_400;

/// The wait before the attempt after `attempts` failed ones: one second, doubling, at most five minutes.
pub fn backoff_ms(attempts: u32) -> i64 {
    (1_000_i64 << attempts.min(16)).min(MAX_BACKOFF_MS)
}

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Round {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl Round {
    pub fn attempted(&self) -> usize {
        self.delivered + self.retrying + self.failed
    }
}

/// The outcome of one attempt: the mutations that make it (a topic's, a log group's, a bus's deliveries) or why
/// it failed.
type Attempt = Result<Vec<Mutation>, SinkError>;

/// How a failed attempt settles under `policy`: retried, or given up (and why: AWS's exhausted condition).
fn after_failure(delivery: &Delivery, policy: Option<RetryPolicy>, now_ms: i64) -> Option<&'static str> {
    let attempts = policy.and_then(|p| p.maximum_retry_attempts).unwrap_or(DEFAULT_RETRY_ATTEMPTS);
    let age_s = policy.and_then(|p| p.maximum_event_age_seconds).unwrap_or(DEFAULT_EVENT_AGE_SECONDS);
    let next_due = now_ms.saturating_add(backoff_ms(delivery.attempts));
    if i64::from(delivery.attempts) >= attempts {
        Some("MaximumRetryAttemptsExceeded")
    } else if next_due.saturating_sub(delivery.created_ms) > age_s.saturating_mul(1000) {
        Some("MaximumEventAgeExceeded")
    } else {
        None
    }
}

impl Events {
    /// Makes the deliveries due by `now_ms` and commits their outcomes.
    pub async fn deliver_due(&self, sinks: &Arc<dyn Sinks>, now_ms: i64) -> Result<Round, EventsError> {
        let batch = self
            .store
            .read(move |reader| {
                let deliveries = due(reader, now_ms, BATCH)?;
                let mut bodies: HashMap<u64, PendingEvent> = HashMap::new();
                for d in &deliveries {
                    if !bodies.contains_key(&d.event)
                        && let Some(event) = pending_event(reader, d.event)?
                    {
                        bodies.insert(d.event, event);
                    }
                }
                Ok((deliveries, bodies))
            })
            .await?;
        let (deliveries, bodies) = batch;
        let bodies = Arc::new(bodies);
        let mut round = Round::default();
        let (to_groups, others): (Vec<Delivery>, Vec<Delivery>) =
            deliveries.into_iter().partition(|d| matches!(TargetKind::of(&d.target.arn), TargetKind::LogGroup { .. }));
        for chunk in others.chunks(CONCURRENCY) {
            let mut attempts = tokio::task::JoinSet::new();
            for delivery in chunk.iter().cloned() {
                let (events, sinks, bodies) = (self.clone(), Arc::clone(sinks), Arc::clone(&bodies));
                attempts.spawn(async move {
                    let mut tally = Tally::default();
                    let attempt =
                        events.attempt(&sinks, &delivery, bodies.get(&delivery.event), now_ms, &mut tally).await;
                    (delivery, attempt, tally)
                });
            }
            let mut changes = Vec::new();
            let mut tally = Tally::default();
            while let Some(joined) = attempts.join_next().await {
                let Ok((delivery, attempt, routed)) = joined else { continue };
                tally.merge(routed);
                let pending = bodies.get(&delivery.event);
                changes.extend(self.settle(delivery, pending, attempt, now_ms, &mut round, &mut tally));
            }
            self.commit_counted(changes, tally, now_ms).await?;
        }
        // One at a time: each may make its stream, which the next must see.
        for delivery in to_groups {
            let mut tally = Tally::default();
            let attempt = self.attempt(sinks, &delivery, bodies.get(&delivery.event), now_ms, &mut tally).await;
            let pending = bodies.get(&delivery.event);
            let changes = self.settle(delivery, pending, attempt, now_ms, &mut round, &mut tally);
            self.commit_counted(changes, tally, now_ms).await?;
        }
        Ok(round)
    }

    /// Commits a round's changes with the metrics they count.
    pub(crate) async fn commit_counted(
        &self,
        mut changes: Vec<Mutation>,
        tally: Tally,
        now_ms: i64,
    ) -> Result<(), EventsError> {
        let prepared = match &self.metrics {
            Some(tsdb) if !tally.is_empty() => tally.prepare(tsdb, now_ms),
            _ => None,
        };
        if let Some(prepared) = &prepared {
            changes.extend(prepared.mutations.iter().cloned());
        }
        let queued = changes.len();
        self.store.apply(changes).await.map_err(|e| EventsError::Storage(e.to_string()))?;
        if let (Some(mut prepared), Some(tsdb)) = (prepared, &self.metrics) {
            prepared.mutations.clear();
            tsdb.apply(prepared, now_ms);
        }
        if queued > 0 {
            self.wake();
        }
        Ok(())
    }

    fn settle(
        &self,
        delivery: Delivery,
        pending: Option<&PendingEvent>,
        attempt: Attempt,
        now_ms: i64,
        round: &mut Round,
        tally: &mut Tally,
    ) -> Vec<Mutation> {
        let scope = (delivery.account.as_str(), delivery.region.as_str());
        let rule = (delivery.bus.as_str(), delivery.rule.as_str());
        let throttled = matches!(&attempt, Err(e) if e.throttled_until.is_some());
        if !throttled {
            tally.rule(scope, rule, "InvocationAttempts", 1.0);
            if delivery.attempts > 0 {
                tally.rule(scope, rule, "RetryInvocationAttempts", 1.0);
            } else {
                let waited = now_ms.saturating_sub(delivery.created_ms).max(0) as f64;
                tally.latency(scope, rule, "IngestiontoInvocationStartLatency", waited);
            }
        }
        let (mut changes, settled) = match attempt {
            Ok(changes) => {
                round.delivered += 1;
                tally.rule(scope, rule, "SuccessfulInvocationAttempts", 1.0);
                tally.rule(scope, rule, "Invocations", 1.0);
                let waited = now_ms.saturating_sub(delivery.created_ms).max(0) as f64;
                tally.latency(scope, rule, "IngestiontoInvocationSuccessLatency", waited);
                (changes, Settled::Delivered)
            }
            Err(error) if error.throttled_until.is_some() => {
                round.retrying += 1;
                let due_ms = error.throttled_until.unwrap_or(now_ms);
                (Vec::new(), Settled::Wait { due_ms })
            }
            Err(error) => {
                let exhausted = if error.retry {
                    after_failure(&delivery, delivery.target.retry_policy, now_ms)
                } else {
                    Some("NonRetriableError")
                };
                match exhausted {
                    None => {
                        round.retrying += 1;
                        let due_ms = now_ms.saturating_add(backoff_ms(delivery.attempts));
                        (Vec::new(), Settled::Retry { due_ms, error: error.message })
                    }
                    Some(condition) => {
                        round.failed += 1;
                        tally.rule(scope, rule, "Invocations", 1.0);
                        let dead_letter = delivery.target.dead_letter_arn.clone().map(|queue| {
                            tally.rule(scope, rule, "InvocationsSentToDlq", 1.0);
                            let body = pending.map(|p| p.event.clone()).unwrap_or_default();
                            (queue, self.dead_letter(&delivery, body, &error, condition, now_ms))
                        });
                        if dead_letter.is_none() {
                            tally.rule(scope, rule, "FailedInvocations", 1.0);
                        }
                        tracing::debug!(error = %error.message, target = %delivery.target.arn, "event delivery given up");
                        (Vec::new(), Settled::Failed { error: error.message, dead_letter })
                    }
                }
            }
        };
        changes.push(DeliveryChange::Settle { delivery: Box::new(delivery), settled, now_ms }.mutation());
        changes
    }

    fn dead_letter(
        &self,
        delivery: &Delivery,
        body: String,
        error: &SinkError,
        condition: &str,
        now_ms: i64,
    ) -> DeadLetter {
        DeadLetter {
            id: self.next_id(now_ms),
            body,
            attributes: vec![
                ("RULE_ARN".into(), delivery.rule_arn.clone()),
                ("TARGET_ARN".into(), delivery.target.arn.clone()),
                ("ERROR_CODE".into(), error.code.to_owned()),
                ("ERROR_MESSAGE".into(), error.message.clone()),
                ("EXHAUSTED_RETRY_CONDITION".into(), condition.to_owned()),
                ("RETRY_ATTEMPTS".into(), delivery.attempts.to_string()),
            ],
            sent_ms: now_ms,
        }
    }

    async fn attempt(
        &self,
        sinks: &Arc<dyn Sinks>,
        delivery: &Delivery,
        pending: Option<&PendingEvent>,
        now_ms: i64,
        tally: &mut Tally,
    ) -> Attempt {
        let Some(pending) = pending else {
            return Err(SinkError::permanent("INTERNAL_ERROR", "the event is no longer stored"));
        };
        let at =
            Delivering { rule_arn: &delivery.rule_arn, rule_name: &delivery.rule, ingested_ms: pending.ingested_ms };
        match TargetKind::of(&delivery.target.arn) {
            TargetKind::Bus { region, account, name } => {
                // A bus gets the event itself: input transformation does not apply to bus targets.
                let (events, delivery, pending) = (self.clone(), delivery.clone(), pending.clone());
                let (changes, routed) = self
                    .store
                    .read(move |reader| {
                        let mut tally = Tally::default();
                        let changes =
                            events.forward(reader, &delivery, &pending, (&region, &account, &name), &mut tally)?;
                        Ok((changes, tally))
                    })
                    .await
                    .map_err(SinkError::from)?;
                tally.merge(routed);
                changes
            }
            kind => {
                let text = body(&delivery.target, &pending.event, at)
                    .map_err(|e| SinkError::permanent("INVALID_PARAMETER", e.to_string()))?;
                self.send(sinks, delivery, kind, text, (pending, now_ms), tally).await
            }
        }
    }

    async fn send(
        &self,
        sinks: &Arc<dyn Sinks>,
        delivery: &Delivery,
        kind: TargetKind,
        text: String,
        (pending, now_ms): (&PendingEvent, i64),
        tally: &mut Tally,
    ) -> Attempt {
        match kind {
            TargetKind::Topic { arn } => {
                let sinks = Arc::clone(sinks);
                self.store
                    .read(move |reader| Ok(sinks.publish(reader, &arn, &text, now_ms)))
                    .await
                    .map_err(SinkError::from)?
            }
            TargetKind::LogGroup { region, account, name } => {
                let event_id = event_id(&pending.event).unwrap_or_else(|| delivery.event.to_string());
                let time = event_time_ms(&pending.event).unwrap_or(pending.ingested_ms);
                sinks.put_log_event((&account, &region, &name), &event_id, (time, text), now_ms).await
            }
            TargetKind::Webhook { url } => {
                let headers = vec![
                    ("content-type".to_owned(), "application/json".to_owned()),
                    ("x-amz-source-arn".to_owned(), delivery.rule_arn.clone()),
                    ("x-amz-source-account".to_owned(), delivery.account.clone()),
                ];
                let request = HttpRequest { method: "POST".into(), url, headers, body: Some(text) };
                match sinks.send(request).await.map(|r| r.status) {
                    Ok(status) if (200..300).contains(&status) => Ok(Vec::new()),
                    Ok(status) if status == 408 || status == 409 || status == 429 || status >= 500 => {
                        Err(SinkError::retry("SDK_CLIENT_ERROR", format!("the endpoint answered HTTP {status}")))
                    }
                    Ok(status) => {
                        Err(SinkError::permanent("SDK_CLIENT_ERROR", format!("the endpoint answered HTTP {status}")))
                    }
                    Err(error) => Err(SinkError::retry("SDK_CLIENT_ERROR", error)),
                }
            }
            TargetKind::ApiDestination { region, account, name } => {
                self.send_to_api_destination(sinks, delivery, (&account, &region, &name), text, now_ms, tally).await
            }
            TargetKind::Function { arn } => Err(SinkError::permanent(
                "RESOURCE_NOT_FOUND",
                format!("Skywatch runs no Lambda functions ({arn}); target a webhook URL instead"),
            )),
            TargetKind::Unsupported { arn } => {
                Err(SinkError::permanent("RESOURCE_NOT_FOUND", format!("Skywatch cannot deliver to {arn}")))
            }
            TargetKind::Bus { .. } => Err(SinkError::permanent("INTERNAL_ERROR", "a bus is not sent to")),
        }
    }

    /// Routes a delivered event on bus `name` of (`account`, `region`): the deliveries it makes there, if the
    /// bus exists and takes events from the rule's account.
    fn forward(
        &self,
        reader: &Reader,
        delivery: &Delivery,
        pending: &PendingEvent,
        (region, account, name): (&str, &str, &str),
        tally: &mut Tally,
    ) -> Result<Attempt, skywatch_store::ReadError> {
        let arn = bus_arn(region, account, name);
        let stored = storage::bus(reader, account, region, name)?;
        if stored.is_none() && name != crate::model::DEFAULT_BUS {
            return Ok(Err(SinkError::permanent("RESOURCE_NOT_FOUND", format!("Event bus {name} does not exist."))));
        }
        if account != delivery.account
            && !policy::allows(
                stored.as_ref().and_then(|b| b.policy.as_deref()),
                &delivery.account,
                "events:PutEvents",
                &arn,
            )
        {
            return Ok(Err(SinkError::permanent(
                "NO_PERMISSIONS",
                format!("Account {} is not authorized to put events to {arn}", delivery.account),
            )));
        }
        // Across regions the event gets a new id; across accounts it keeps its own.
        let event = if region != delivery.region { with_new_id(&pending.event) } else { pending.event.clone() };
        let routed = self.route(
            reader,
            (account, region, name),
            event,
            pending.ingested_ms,
            pending.hops.saturating_add(1),
            tally,
        )?;
        Ok(Ok(routed.changes))
    }

    /// Delivers until `stop`: a round whenever deliveries are due, waiting for new ones or the next due time
    /// otherwise.
    pub async fn run_deliveries(self, sinks: Arc<dyn Sinks>, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let busy = tokio::select! {
                () = &mut stop => return,
                round = self.deliver_due(&sinks, now_ms()) => match round {
                    Ok(round) => round.attempted() > 0,
                    Err(error) => {
                        tracing::warn!(%error, "event delivery round failed");
                        false
                    }
                },
            };
            if !busy {
                tokio::select! {
                    () = &mut stop => return,
                    () = self.queued.notified() => {}
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

/// The `id` of an event's text.
fn event_id(event: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(event).ok()?.get("id")?.as_str().map(str::to_owned)
}

/// The `time` of an event's text, epoch ms.
fn event_time_ms(event: &str) -> Option<i64> {
    let value: serde_json::Value = serde_json::from_str(event).ok()?;
    let time = value.get("time")?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(time).ok().map(|t| t.timestamp_millis())
}

/// The event with a new `id`.
fn with_new_id(event: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(event) {
        Ok(mut value) => {
            if let Some(id) = value.get_mut("id") {
                *id = serde_json::Value::String(uuid::Uuid::new_v4().to_string());
            }
            value.to_string()
        }
        Err(_) => event.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;

    fn delivery(attempts: u32, created_ms: i64, policy: Option<RetryPolicy>) -> Delivery {
        Delivery {
            id: 1,
            event: 1,
            account: "1".into(),
            region: "r".into(),
            bus: "default".into(),
            rule: "x".into(),
            rule_arn: "arn".into(),
            target: Target { retry_policy: policy, ..Target::default() },
            attempts,
            created_ms,
            due_ms: 0,
            last_error: None,
        }
    }

    #[test]
    fn backoff_doubles_to_five_minutes() {
        let waits: Vec<i64> = (0..12).map(backoff_ms).collect();
        assert_eq!(&waits[..4], &[1_000, 2_000, 4_000, 8_000]);
        assert_eq!(waits[9], MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(u32::MAX), MAX_BACKOFF_MS);
    }

    #[test]
    fn retry_policy_bounds_attempts_and_age() {
        let none = RetryPolicy { maximum_retry_attempts: Some(0), maximum_event_age_seconds: None };
        assert_eq!(after_failure(&delivery(0, 0, Some(none)), Some(none), 0), Some("MaximumRetryAttemptsExceeded"));
        let two = RetryPolicy { maximum_retry_attempts: Some(2), maximum_event_age_seconds: None };
        assert_eq!(after_failure(&delivery(1, 0, Some(two)), Some(two), 0), None);
        assert_eq!(after_failure(&delivery(2, 0, Some(two)), Some(two), 0), Some("MaximumRetryAttemptsExceeded"));
        let minute = RetryPolicy { maximum_retry_attempts: None, maximum_event_age_seconds: Some(60) };
        assert_eq!(after_failure(&delivery(3, 0, Some(minute)), Some(minute), 50_000), None);
        assert_eq!(after_failure(&delivery(4, 0, Some(minute)), Some(minute), 50_000), Some("MaximumEventAgeExceeded"));
        assert_eq!(after_failure(&delivery(100, 0, None), None, 1000), None);
        assert_eq!(after_failure(&delivery(185, 0, None), None, 1000), Some("MaximumRetryAttemptsExceeded"));
    }
}
