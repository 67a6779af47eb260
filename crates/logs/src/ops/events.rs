//! Events of one stream: PutLogEvents (the acceptance rules of [`crate::ingest`], one compressed block a batch,
//! committed with the call's record) and GetLogEvents (pages from the head or the tail, forward and backward
//! tokens).

use std::ops::ControlFlow;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};
use skywatch_store::Direction;

use super::streams::check_stream_name;
use super::{check_group_name, existing_group, named_group, read, spec};
use crate::block::Event;
use crate::ingest::{self, InputEvent, Rejected};
use crate::model::sequence_token;
use crate::read::{Ended, EventKey, Scan, scan_events};
use crate::retention::retention_cut;
use crate::storage::{self, Batch, LogsChange};
use crate::subscription::storage::SubscriptionChange;
use crate::{Logs, LogsError, emf, filters, subscription};

/// The most bytes of events (messages plus 26 each) one page returns.
pub const MAX_PAGE_BYTES: usize = 1_048_576;
/// The most events one page returns (and the default).
pub const MAX_PAGE_EVENTS: usize = 10_000;
/// The most decompressed bytes one read call scans before it returns what it has and a token.
pub const SCAN_BUDGET_BYTES: u64 = 256 * 1024 * 1024;
const TOKEN_KIND: &str = "logs-events";

/// PutLogEvents' input. The events are not part of CloudTrail's record of the call.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutLogEventsInput {
    pub log_group_name: String,
    pub log_stream_name: String,
    #[serde(skip)]
    pub log_events: Vec<InputEvent>,
    #[serde(skip)]
    pub sequence_token: Option<String>,
}

/// PutLogEvents' output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PutLogEventsOutput {
    pub next_sequence_token: String,
    pub rejected: Rejected,
}

/// PutLogEvents: sequence tokens are accepted and no longer required, as CloudWatch Logs does since 2023.
pub struct PutLogEvents;

impl Operation for PutLogEvents {
    const SPEC: Spec = spec("PutLogEvents", Access::Write).with_limits(&[
        Limit::aws("events a batch", ingest::MAX_EVENTS as u64),
        Limit::aws("bytes a batch (messages plus 26 an event)", ingest::MAX_BATCH_BYTES as u64),
        Limit::aws("hours a batch spans", 24),
    ]);
    type Engine = Logs;
    type Input = PutLogEventsInput;
    type Output = PutLogEventsOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        mut input: PutLogEventsInput,
    ) -> Result<Effect<PutLogEventsOutput, LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_stream_name("logStreamName", &input.log_stream_name)?;
        let (c, group, stream) = (ctx.clone(), input.log_group_name.clone(), input.log_stream_name.clone());
        let logs_publish = logs.metrics.is_some();
        let (group, stream, metric_filters, subscriptions) = read(logs, move |r| {
            let group = existing_group(r, &c, &group)?;
            let stream = storage::stream(r, group.id, &stream)?.ok_or_else(LogsError::no_stream)?;
            let metric_filters = match logs_publish {
                true => filters::metric_filters(r, (&c.account, &c.region), &group.name, "")?,
                false => Vec::new(),
            };
            let subscriptions =
                subscription::storage::subscription_filters(r, (&c.account, &c.region), &group.name, "")?;
            Ok((group, stream, metric_filters, subscriptions))
        })
        .await?;
        let (accepted, rejected) = ingest::accept(&input.log_events, ctx.now_ms, group.retention_days)?;
        let next_sequence_token = sequence_token(stream.sequence + 1);
        if accepted.is_empty() {
            return Ok(Effect::reply(PutLogEventsOutput { next_sequence_token, rejected }));
        }
        let now = ctx.now_ms;
        let events: Vec<Event> = input
            .log_events
            .drain(accepted)
            .map(|e| Event { timestamp_ms: e.timestamp_ms, ingestion_ms: now, message: e.message })
            .collect();
        // Live Tail's copy of the batch, published once it commits (none while nobody tails).
        let tailed = logs.tail.prepare(ctx, &group.name, &stream.name, &events);
        let ids = (group.id, logs.next_id(now));
        let (keys, key, stream_id, stream_name) =
            (logs.keys.clone(), group.kms_key_id.clone(), stream.id, stream.name.clone());
        let compiled: Vec<_> = metric_filters.iter().filter_map(|f| logs.filters.get(f)).collect();
        let (account, region, group_name) = (ctx.account.clone(), ctx.region.clone(), group.name.clone());
        let delivery_ids: Vec<u64> = subscriptions.iter().map(|_| logs.next_id(now)).collect();
        let (block, datums, embedded, deliveries) = tokio::task::spawn_blocking(move || {
            let mut datums = filters::Datums::default();
            filters::run_filters(&compiled, &events, &mut datums);
            let place = subscription::BatchPlace {
                account: &account,
                region: &region,
                group: &group_name,
                stream: &stream_name,
                block_id: ids.1,
            };
            let mut delivery_ids = delivery_ids.into_iter();
            let deliveries = subscription::plan_deliveries(&subscriptions, place, &events, now, || {
                delivery_ids.next().unwrap_or_default()
            });
            // Embedded metric format events of any group publish too (only JSON mentioning "_aws" is parsed).
            let embedded = match logs_publish {
                true => emf::Embedded::gather(&events, now),
                false => emf::Embedded::default(),
            };
            let block = ingest::build_block(&keys, ids, (stream_id, &stream_name), &events, key.as_deref())?;
            Ok::<_, LogsError>((block, datums, embedded, deliveries))
        })
        .await
        .map_err(|e| LogsError::Storage(e.to_string()))??;
        let batch = Batch {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            group: group.name.clone(),
            group_id: group.id,
            stream: stream.name,
            stream_id: stream.id,
            blocks: vec![block],
            ingestion_ms: now,
        };
        let output = PutLogEventsOutput { next_sequence_token, rejected };
        let mut changes = vec![LogsChange::Ingest(Box::new(batch)).mutation()];
        // Subscription deliveries are queued in the batch's own commit: nothing acknowledged goes undelivered.
        changes.extend(deliveries.into_iter().map(|d| SubscriptionChange::Enqueue(Box::new(d)).mutation()));
        let published = match datums.is_empty() && embedded.is_empty() {
            true => None,
            false => crate::publish::prepare(logs, ctx, [datums.into_datums(), embedded.into_datums()]),
        };
        if let Some(prepared) = &published {
            changes.extend(prepared.mutations.iter().cloned());
        }
        // A data event: it names no resource, so AWS Config is not told of every batch (the group's configuration
        // does not change with its events).
        let effect = Effect::commit(output, changes);
        let tail = logs.tail.clone();
        Ok(match (published, logs.metrics.clone()) {
            (Some(mut prepared), Some(tsdb)) => {
                prepared.mutations.clear();
                effect.then(move || {
                    tsdb.apply(prepared, now);
                    tail.publish(tailed);
                })
            }
            _ => effect.then(move || tail.publish(tailed)),
        })
    }
}

/// GetLogEvents' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetLogEventsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_identifier: Option<String>,
    pub log_stream_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_from_head: Option<bool>,
}

/// One event as GetLogEvents returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputEvent {
    pub timestamp_ms: i64,
    pub ingestion_ms: i64,
    pub message: String,
}

/// GetLogEvents' output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetLogEventsOutput {
    pub events: Vec<OutputEvent>,
    pub next_forward_token: String,
    pub next_backward_token: String,
}

/// Where a GetLogEvents page starts: after (forward) or before (backward) a key, or at the range's edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    forward: bool,
    key: Option<EventKey>,
}

impl Position {
    fn token(self) -> String {
        let cursor = self.key.map(EventKey::to_cursor).unwrap_or_default();
        token::encode(TOKEN_KIND, &format!("{}/{cursor}", if self.forward { 'f' } else { 'b' }))
    }

    fn parse(text: &str) -> Option<Self> {
        let cursor = token::decode(TOKEN_KIND, text)?;
        let (direction, key) = cursor.split_once('/')?;
        let forward = match direction {
            "f" => true,
            "b" => false,
            _ => return None,
        };
        let key = if key.is_empty() { None } else { Some(EventKey::from_cursor(key)?) };
        Some(Self { forward, key })
    }
}

/// Checks an events limit (1 to 10,000).
pub(crate) fn events_limit(limit: Option<i64>) -> Result<usize, LogsError> {
    match limit {
        None => Ok(MAX_PAGE_EVENTS),
        Some(n @ 1..=10_000) => Ok(n as usize),
        Some(n) => Err(LogsError::constraint(
            "limit",
            &n.to_string(),
            &format!(
                "Member must have value {}",
                if n < 1 { "greater than or equal to 1" } else { "less than or equal to 10000" }
            ),
        )),
    }
}

/// Checks a time member (epoch milliseconds, not negative).
pub(crate) fn check_time(member: &str, value: Option<i64>) -> Result<(), LogsError> {
    match value {
        Some(v) if v < 0 => {
            Err(LogsError::constraint(member, &v.to_string(), "Member must have value greater than or equal to 0"))
        }
        _ => Ok(()),
    }
}

/// GetLogEvents: one stream's events in time order, a page of at most 10,000 events or 1 MB.
pub struct GetLogEvents;

impl Operation for GetLogEvents {
    const SPEC: Spec = spec("GetLogEvents", Access::Read).with_limits(&[
        Limit::aws("limit", MAX_PAGE_EVENTS as u64),
        Limit::aws("bytes a page", MAX_PAGE_BYTES as u64),
        Limit::own("decompressed bytes scanned a call", SCAN_BUDGET_BYTES),
    ]);
    type Engine = Logs;
    type Input = GetLogEventsInput;
    type Output = GetLogEventsOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: GetLogEventsInput,
    ) -> Result<Effect<GetLogEventsOutput, LogsError>, LogsError> {
        let name = named_group(ctx, input.log_group_name.as_deref(), input.log_group_identifier.as_deref())?;
        check_stream_name("logStreamName", &input.log_stream_name)?;
        let limit = events_limit(input.limit)?;
        check_time("startTime", input.start_time)?;
        check_time("endTime", input.end_time)?;
        let position = match &input.next_token {
            None if input.start_from_head.unwrap_or(false) => Position { forward: true, key: None },
            None => Position { forward: false, key: None },
            Some(text) => Position::parse(text)
                .ok_or_else(|| LogsError::InvalidParameter("The specified nextToken is invalid.".into()))?,
        };
        let (c, keys, stream_name, now) = (ctx.clone(), logs.keys.clone(), input.log_stream_name.clone(), ctx.now_ms);
        let (start, end) = (input.start_time.unwrap_or(0), input.end_time.unwrap_or(i64::MAX));
        let output = read(logs, move |r| {
            let group = existing_group(r, &c, &name)?;
            let stream = storage::stream(r, group.id, &stream_name)?.ok_or_else(LogsError::no_stream)?;
            let from_ms = retention_cut(now, group.retention_days).map_or(start, |cut| cut.max(start));
            let scan = Scan {
                group_id: group.id,
                stream_id: Some(stream.id),
                from_ms,
                to_ms: end,
                position: position.key,
                direction: if position.forward { Direction::Forward } else { Direction::Backward },
                max_span_ms: group.max_span_ms,
                streams: None,
                budget_bytes: SCAN_BUDGET_BYTES,
            };
            let mut events: Vec<(EventKey, OutputEvent)> = Vec::new();
            let mut bytes = 0usize;
            let ended = scan_events(r, &keys, &scan, |found| {
                let size = found.message.len() + ingest::EVENT_OVERHEAD;
                if events.len() >= limit || bytes + size > MAX_PAGE_BYTES {
                    return ControlFlow::Break(());
                }
                bytes += size;
                events.push((
                    found.key,
                    OutputEvent {
                        timestamp_ms: found.key.timestamp_ms,
                        ingestion_ms: found.ingestion_ms,
                        message: found.message.to_owned(),
                    },
                ));
                ControlFlow::Continue(())
            })?;
            if !position.forward {
                events.reverse();
            }
            let first = events.first().map(|e| e.0);
            let last = events.last().map(|e| e.0);
            // Where this page stopped in its own direction: the last event handed over, or the budget's stop.
            let reached = match ended {
                Ended::OutOfBudget(Some(key)) => Some(key),
                _ => None,
            };
            let (forward, backward) = if position.forward {
                let next = last.or(reached).or(position.key);
                (Position { forward: true, key: next }, Position { forward: false, key: first.or(position.key) })
            } else {
                let next = first.or(reached).or(position.key);
                (Position { forward: true, key: last.or(position.key) }, Position { forward: false, key: next })
            };
            Ok(GetLogEventsOutput {
                events: events.into_iter().map(|e| e.1).collect(),
                next_forward_token: forward.token(),
                next_backward_token: backward.token(),
            })
        })
        .await?;
        Ok(Effect::reply(output))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip_and_refuse_strangers() {
        let key = EventKey { timestamp_ms: 17, block_id: 99, index: 3 };
        for position in [Position { forward: true, key: Some(key) }, Position { forward: false, key: None }] {
            assert_eq!(Position::parse(&position.token()), Some(position));
        }
        assert_eq!(Position::parse("f/123"), None);
        assert_eq!(Position::parse(&token::encode(TOKEN_KIND, "x/1.2.3")), None);
        assert_eq!(Position::parse(&token::encode(TOKEN_KIND, "f/1.2")), None);
    }
}
