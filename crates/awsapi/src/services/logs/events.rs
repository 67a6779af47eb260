//! Log events on the wire: PutLogEvents, GetLogEvents and FilterLogEvents.

use serde_json::{Map, Value, json};
use skywatch_core::logs::ingest::InputEvent;
use skywatch_core::logs::ops::{
    FilterLogEvents, FilterLogEventsInput, FilterLogEventsOutput, GetLogEvents, GetLogEventsInput, GetLogEventsOutput,
    PutLogEvents, PutLogEventsInput, PutLogEventsOutput,
};
use skywatch_core::ops::Context;

use super::{bool_opt, i64_opt, list_opt, missing, string_opt, string_required, strings, wrong_type};
use crate::errors::ApiError;
use crate::registry::Wire;

impl Wire for PutLogEvents {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutLogEventsInput, ApiError> {
        let raw = match params.get("logEvents") {
            None | Some(Value::Null) => return Err(missing("logEvents")),
            Some(_) => list_opt(params, "logEvents")?,
        };
        let mut events = Vec::with_capacity(raw.len().min(skywatch_core::logs::ingest::MAX_EVENTS + 1));
        for (index, event) in raw.iter().enumerate() {
            let member = |name: &str| format!("logEvents.{}.member.{name}", index + 1);
            let timestamp_ms = match event.get("timestamp") {
                Some(Value::Number(n)) => n.as_i64().ok_or_else(|| wrong_type(&member("timestamp"), "a long"))?,
                None | Some(Value::Null) => return Err(missing(&member("timestamp"))),
                Some(_) => return Err(wrong_type(&member("timestamp"), "a long")),
            };
            let message = match event.get("message") {
                Some(Value::String(s)) => s.clone(),
                None | Some(Value::Null) => return Err(missing(&member("message"))),
                Some(_) => return Err(wrong_type(&member("message"), "a string")),
            };
            events.push(InputEvent { timestamp_ms, message });
        }
        Ok(PutLogEventsInput {
            log_group_name: string_required(params, "logGroupName")?,
            log_stream_name: string_required(params, "logStreamName")?,
            log_events: events,
            sequence_token: string_opt(params, "sequenceToken")?,
        })
    }

    fn encode(output: PutLogEventsOutput) -> Value {
        let mut out = json!({"nextSequenceToken": output.next_sequence_token});
        if !output.rejected.is_empty() {
            let mut info = Map::new();
            if let Some(i) = output.rejected.too_new_start {
                info.insert("tooNewLogEventStartIndex".into(), json!(i));
            }
            if let Some(i) = output.rejected.too_old_end {
                info.insert("tooOldLogEventEndIndex".into(), json!(i));
            }
            if let Some(i) = output.rejected.expired_end {
                info.insert("expiredLogEventEndIndex".into(), json!(i));
            }
            out["rejectedLogEventsInfo"] = Value::Object(info);
        }
        out
    }
}

impl Wire for GetLogEvents {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetLogEventsInput, ApiError> {
        Ok(GetLogEventsInput {
            log_group_name: string_opt(params, "logGroupName")?,
            log_group_identifier: string_opt(params, "logGroupIdentifier")?,
            log_stream_name: string_required(params, "logStreamName")?,
            start_time: i64_opt(params, "startTime")?,
            end_time: i64_opt(params, "endTime")?,
            next_token: string_opt(params, "nextToken")?,
            limit: i64_opt(params, "limit")?,
            start_from_head: bool_opt(params, "startFromHead")?,
        })
    }

    fn encode(output: GetLogEventsOutput) -> Value {
        let events: Vec<Value> = output
            .events
            .iter()
            .map(|e| json!({"timestamp": e.timestamp_ms, "message": e.message, "ingestionTime": e.ingestion_ms}))
            .collect();
        json!({
            "events": events,
            "nextForwardToken": output.next_forward_token,
            "nextBackwardToken": output.next_backward_token,
        })
    }
}

impl Wire for FilterLogEvents {
    fn decode(_ctx: &Context, params: &Value) -> Result<FilterLogEventsInput, ApiError> {
        Ok(FilterLogEventsInput {
            log_group_name: string_opt(params, "logGroupName")?,
            log_group_identifier: string_opt(params, "logGroupIdentifier")?,
            log_stream_names: strings(params, "logStreamNames")?,
            log_stream_name_prefix: string_opt(params, "logStreamNamePrefix")?,
            start_time: i64_opt(params, "startTime")?,
            end_time: i64_opt(params, "endTime")?,
            filter_pattern: string_opt(params, "filterPattern")?,
            next_token: string_opt(params, "nextToken")?,
            limit: i64_opt(params, "limit")?,
        })
    }

    fn encode(output: FilterLogEventsOutput) -> Value {
        let events: Vec<Value> = output
            .events
            .iter()
            .map(|e| {
                json!({
                    "logStreamName": e.stream,
                    "timestamp": e.timestamp_ms,
                    "message": e.message,
                    "ingestionTime": e.ingestion_ms,
                    "eventId": e.event_id,
                })
            })
            .collect();
        let searched: Vec<Value> = output
            .searched
            .iter()
            .map(|(name, done)| json!({"logStreamName": name, "searchedCompletely": done}))
            .collect();
        let mut out = json!({"events": events, "searchedLogStreams": searched});
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}
