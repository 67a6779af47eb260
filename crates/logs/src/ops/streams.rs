//! Log streams: CreateLogStream, DeleteLogStream and DescribeLogStreams.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{check_group_name, existing_group, group_resource, named_group, read, spec};
use crate::model::{LogStream, stream_arn, valid_stream_name};
use crate::storage::{self, LogsChange};
use crate::{Logs, LogsError};

/// Streams a page of DescribeLogStreams at most (and by default).
pub const PAGE: usize = 50;
const TOKEN_KIND: &str = "logs-streams";

pub(crate) fn check_stream_name(member: &str, name: &str) -> Result<(), LogsError> {
    if name.is_empty() || name.chars().count() > 512 {
        return Err(LogsError::constraint(
            member,
            name,
            "Member must have length less than or equal to 512 and greater than or equal to 1",
        ));
    }
    if !valid_stream_name(name) {
        return Err(LogsError::constraint(member, name, "Member must satisfy regular expression pattern: [^:*]*"));
    }
    Ok(())
}

/// The input of calls that name one stream.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamInput {
    pub log_group_name: String,
    pub log_stream_name: String,
}

/// CreateLogStream.
pub struct CreateLogStream;

impl Operation for CreateLogStream {
    const SPEC: Spec = spec("CreateLogStream", Access::Write).with_limits(super::STREAM_LIMITS);
    type Engine = Logs;
    type Input = StreamInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: StreamInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_stream_name("logStreamName", &input.log_stream_name)?;
        let (c, group, stream) = (ctx.clone(), input.log_group_name.clone(), input.log_stream_name.clone());
        let (group, exists) = read(logs, move |r| {
            let group = existing_group(r, &c, &group)?;
            let exists = storage::stream(r, group.id, &stream)?.is_some();
            Ok((group, exists))
        })
        .await?;
        if exists {
            return Err(LogsError::AlreadyExists("The specified log stream already exists".into()));
        }
        let stream = LogStream {
            name: input.log_stream_name,
            id: logs.next_id(ctx.now_ms),
            created_ms: ctx.now_ms,
            first_event_ms: None,
            last_event_ms: None,
            last_ingestion_ms: None,
            sequence: 0,
        };
        let change = LogsChange::PutStream {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            group: group.name.clone(),
            group_id: group.id,
            stream: Box::new(stream),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &group.name)]))
    }
}

/// DeleteLogStream: the stream goes at once, its events are swept in the background.
pub struct DeleteLogStream;

impl Operation for DeleteLogStream {
    const SPEC: Spec = spec("DeleteLogStream", Access::Write).with_limits(super::STREAM_LIMITS);
    type Engine = Logs;
    type Input = StreamInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: StreamInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_stream_name("logStreamName", &input.log_stream_name)?;
        let (c, group, stream) = (ctx.clone(), input.log_group_name.clone(), input.log_stream_name.clone());
        let (group, stream) = read(logs, move |r| {
            let group = existing_group(r, &c, &group)?;
            let stream = storage::stream(r, group.id, &stream)?.ok_or_else(LogsError::no_stream)?;
            Ok((group, stream))
        })
        .await?;
        let change = LogsChange::DeleteStream {
            group_id: group.id,
            name: stream.name,
            id: stream.id,
            last_event_ms: stream.last_event_ms,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &group.name)]))
    }
}

/// DescribeLogStreams' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeLogStreamsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_stream_name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descending: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One stream as DescribeLogStreams shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamRow {
    pub stream: LogStream,
    pub arn: String,
}

/// DescribeLogStreams' output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeLogStreamsOutput {
    pub streams: Vec<StreamRow>,
    pub next_token: Option<String>,
}

/// DescribeLogStreams: by name (with a prefix) or by last event time, either way round.
pub struct DescribeLogStreams;

impl Operation for DescribeLogStreams {
    const SPEC: Spec = spec("DescribeLogStreams", Access::Read).with_limits(&[Limit::aws("limit", PAGE as u64)]);
    type Engine = Logs;
    type Input = DescribeLogStreamsInput;
    type Output = DescribeLogStreamsOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: DescribeLogStreamsInput,
    ) -> Result<Effect<DescribeLogStreamsOutput, LogsError>, LogsError> {
        let name = named_group(ctx, input.log_group_name.as_deref(), input.log_group_identifier.as_deref())?;
        let limit = match input.limit {
            None => PAGE,
            Some(n @ 1..=50) => n as usize,
            Some(n) => {
                return Err(LogsError::constraint(
                    "limit",
                    &n.to_string(),
                    &format!(
                        "Member must have value {}",
                        if n < 1 { "greater than or equal to 1" } else { "less than or equal to 50" }
                    ),
                ));
            }
        };
        let by_time = match input.order_by.as_deref() {
            None | Some("LogStreamName") => false,
            Some("LastEventTime") => true,
            Some(other) => {
                return Err(LogsError::constraint(
                    "orderBy",
                    other,
                    "Member must satisfy enum value set: [LogStreamName, LastEventTime]",
                ));
            }
        };
        let prefix = input.log_stream_name_prefix.clone().unwrap_or_default();
        if by_time && !prefix.is_empty() {
            return Err(LogsError::InvalidParameter(
                "Cannot order by LastEventTime with a logStreamNamePrefix.".into(),
            ));
        }
        if !prefix.is_empty() {
            check_stream_name("logStreamNamePrefix", &prefix)?;
        }
        let descending = input.descending.unwrap_or(false);
        let bad_token = || LogsError::InvalidParameter("The specified nextToken is invalid.".into());
        let cursor = match &input.next_token {
            None => None,
            Some(t) => Some(token::decode(TOKEN_KIND, t).ok_or_else(bad_token)?),
        };
        // A time-ordered cursor is "<last event ms>/<name>".
        let time_cursor = match (&cursor, by_time) {
            (Some(c), true) => {
                let (ms, name) = c.split_once('/').ok_or_else(bad_token)?;
                Some((ms.parse::<i64>().map_err(|_| bad_token())?, name.to_owned()))
            }
            _ => None,
        };
        let c = ctx.clone();
        let (streams, more) = read(logs, move |r| {
            let group = existing_group(r, &c, &name)?;
            let mut streams = if by_time {
                let after = time_cursor.as_ref().map(|(ms, n)| (*ms, n.as_str()));
                storage::streams_by_time(r, group.id, after, descending, limit + 1)?
            } else {
                storage::streams_by_name(r, group.id, &prefix, cursor.as_deref(), descending, limit + 1)?
            };
            let more = streams.len() > limit;
            streams.truncate(limit);
            let rows = streams
                .into_iter()
                .map(|stream| StreamRow { arn: stream_arn(&c.region, &c.account, &group.name, &stream.name), stream })
                .collect::<Vec<_>>();
            Ok((rows, more))
        })
        .await?;
        let next_token = match streams.last() {
            Some(last) if more => Some(if by_time {
                token::encode(TOKEN_KIND, &format!("{}/{}", last.stream.last_event_ms.unwrap_or(0), last.stream.name))
            } else {
                token::encode(TOKEN_KIND, &last.stream.name)
            }),
            _ => None,
        };
        Ok(Effect::reply(DescribeLogStreamsOutput { streams, next_token }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_follow_the_model() {
        assert!(check_stream_name("logStreamName", "i-0abc/app.log").is_ok());
        assert!(check_stream_name("logStreamName", "a:b").is_err());
        assert!(check_stream_name("logStreamName", "").is_err());
    }
}
