//! FilterLogEvents: the events of a group (or some of its streams) that match a filter pattern, in time order
//! across streams, a page of at most 10,000 events or 1 MB, each call scanning a bounded amount.

use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;

use serde::Serialize;
use skywatch_logpattern::FilterPattern;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};
use skywatch_store::Direction;

use super::events::{MAX_PAGE_BYTES, SCAN_BUDGET_BYTES, check_time, events_limit};
use super::streams::check_stream_name;
use super::{existing_group, named_group, read, spec};
use crate::ingest;
use crate::read::{Ended, EventKey, Scan, scan_events};
use crate::retention::retention_cut;
use crate::{Logs, LogsError};

const TOKEN_KIND: &str = "logs-filter";
/// The most stream names one call may list.
pub const MAX_STREAM_NAMES: usize = 100;

/// FilterLogEvents' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterLogEventsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_identifier: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_stream_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_stream_name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// One matching event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilteredEvent {
    pub stream: String,
    pub timestamp_ms: i64,
    pub ingestion_ms: i64,
    pub message: String,
    pub event_id: String,
}

/// FilterLogEvents' output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterLogEventsOutput {
    pub events: Vec<FilteredEvent>,
    /// `searchedLogStreams` (deprecated by AWS, still returned): each stream seen and whether it was searched to
    /// the end of the range.
    pub searched: BTreeMap<String, bool>,
    pub next_token: Option<String>,
}

/// Parses a filter pattern member, refusing it as CloudWatch Logs does.
pub(crate) fn parse_pattern(text: &str) -> Result<FilterPattern, LogsError> {
    if text.chars().count() > 1024 {
        return Err(LogsError::constraint("filterPattern", text, "Member must have length less than or equal to 1024"));
    }
    skywatch_logpattern::parse(text).map_err(|e| LogsError::InvalidParameter(e.to_string()))
}

/// FilterLogEvents.
pub struct FilterLogEvents;

impl Operation for FilterLogEvents {
    const SPEC: Spec = spec("FilterLogEvents", Access::Read).with_limits(&[
        Limit::aws("limit", 10_000),
        Limit::aws("bytes a page", MAX_PAGE_BYTES as u64),
        Limit::aws("logStreamNames", MAX_STREAM_NAMES as u64),
        Limit::aws("filterPattern characters", 1024),
        Limit::own("decompressed bytes scanned a call", SCAN_BUDGET_BYTES),
    ]);
    type Engine = Logs;
    type Input = FilterLogEventsInput;
    type Output = FilterLogEventsOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: FilterLogEventsInput,
    ) -> Result<Effect<FilterLogEventsOutput, LogsError>, LogsError> {
        let name = named_group(ctx, input.log_group_name.as_deref(), input.log_group_identifier.as_deref())?;
        let limit = events_limit(input.limit)?;
        check_time("startTime", input.start_time)?;
        check_time("endTime", input.end_time)?;
        if !input.log_stream_names.is_empty() && input.log_stream_name_prefix.is_some() {
            return Err(LogsError::InvalidParameter(
                "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.".into(),
            ));
        }
        if input.log_stream_names.len() > MAX_STREAM_NAMES {
            return Err(LogsError::constraint(
                "logStreamNames",
                "[...]",
                "Member must have length less than or equal to 100",
            ));
        }
        for stream in &input.log_stream_names {
            check_stream_name("logStreamNames", stream)?;
        }
        if let Some(prefix) = &input.log_stream_name_prefix {
            check_stream_name("logStreamNamePrefix", prefix)?;
        }
        if let (Some(start), Some(end)) = (input.start_time, input.end_time)
            && end < start
        {
            return Err(LogsError::InvalidParameter("endTime must be greater than or equal to startTime.".into()));
        }
        let pattern = parse_pattern(input.filter_pattern.as_deref().unwrap_or(""))?;
        let position = match &input.next_token {
            None => None,
            Some(text) => Some(
                token::decode(TOKEN_KIND, text)
                    .and_then(|cursor| EventKey::from_cursor(&cursor))
                    .ok_or_else(|| LogsError::InvalidParameter("The specified nextToken is invalid.".into()))?,
            ),
        };
        let names: HashSet<String> = input.log_stream_names.iter().cloned().collect();
        let prefix = input.log_stream_name_prefix.clone();
        let (c, keys, now) = (ctx.clone(), logs.keys.clone(), ctx.now_ms);
        let (start, end) = (input.start_time.unwrap_or(0), input.end_time.map_or(i64::MAX, |e| e.saturating_add(1)));
        let output = read(logs, move |r| {
            let group = existing_group(r, &c, &name)?;
            let from_ms = retention_cut(now, group.retention_days).map_or(start, |cut| cut.max(start));
            let wanted = |stream: &str| {
                (names.is_empty() || names.contains(stream)) && prefix.as_deref().is_none_or(|p| stream.starts_with(p))
            };
            let scan = Scan {
                group_id: group.id,
                stream_id: None,
                from_ms,
                to_ms: end,
                position,
                direction: Direction::Forward,
                max_span_ms: group.max_span_ms,
                streams: Some(&wanted),
                budget_bytes: SCAN_BUDGET_BYTES,
            };
            let mut events = Vec::new();
            let mut searched = BTreeMap::new();
            let mut bytes = 0usize;
            let mut last_taken = None;
            let ended = scan_events(r, &keys, &scan, |found| {
                searched.entry(found.stream.to_owned()).or_insert(true);
                if !pattern.matches(found.message) {
                    return ControlFlow::Continue(());
                }
                let size = found.message.len() + ingest::EVENT_OVERHEAD;
                if events.len() >= limit || bytes + size > MAX_PAGE_BYTES {
                    return ControlFlow::Break(());
                }
                bytes += size;
                last_taken = Some(found.key);
                events.push(FilteredEvent {
                    stream: found.stream.to_owned(),
                    timestamp_ms: found.key.timestamp_ms,
                    ingestion_ms: found.ingestion_ms,
                    message: found.message.to_owned(),
                    event_id: found.key.event_id(),
                });
                ControlFlow::Continue(())
            })?;
            let resume = match ended {
                Ended::Exhausted => None,
                // The event that did not fit is the next page's first: resume after the last one taken.
                Ended::Stopped(_) => last_taken.or(position),
                Ended::OutOfBudget(reached) => reached.or(position),
            };
            if resume.is_some() {
                for done in searched.values_mut() {
                    *done = false;
                }
            }
            Ok(FilterLogEventsOutput {
                events,
                searched,
                next_token: resume.map(|key| token::encode(TOKEN_KIND, &key.to_cursor())),
            })
        })
        .await?;
        Ok(Effect::reply(output))
    }
}
