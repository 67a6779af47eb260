//! Log streams on the wire.

use serde_json::{Map, Value, json};
use skywatch_core::logs::ops::{
    CreateLogStream, DeleteLogStream, DescribeLogStreams, DescribeLogStreamsInput, DescribeLogStreamsOutput,
    StreamInput, StreamRow,
};
use skywatch_core::ops::Context;

use super::{bool_opt, i64_opt, string_opt, string_required};
use crate::errors::ApiError;
use crate::registry::Wire;

fn stream_input(params: &Value) -> Result<StreamInput, ApiError> {
    Ok(StreamInput {
        log_group_name: string_required(params, "logGroupName")?,
        log_stream_name: string_required(params, "logStreamName")?,
    })
}

impl Wire for CreateLogStream {
    fn decode(_ctx: &Context, params: &Value) -> Result<StreamInput, ApiError> {
        stream_input(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteLogStream {
    fn decode(_ctx: &Context, params: &Value) -> Result<StreamInput, ApiError> {
        stream_input(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

/// A `LogStream` (storedBytes is always 0 for streams, as CloudWatch Logs reports it since 2019).
fn stream_shape(row: &StreamRow) -> Value {
    let stream = &row.stream;
    let mut out = Map::new();
    out.insert("logStreamName".into(), json!(stream.name));
    out.insert("creationTime".into(), json!(stream.created_ms));
    if let Some(first) = stream.first_event_ms {
        out.insert("firstEventTimestamp".into(), json!(first));
    }
    if let Some(last) = stream.last_event_ms {
        out.insert("lastEventTimestamp".into(), json!(last));
    }
    if let Some(ingested) = stream.last_ingestion_ms {
        out.insert("lastIngestionTime".into(), json!(ingested));
    }
    out.insert("uploadSequenceToken".into(), json!(stream.sequence_token()));
    out.insert("arn".into(), json!(row.arn));
    out.insert("storedBytes".into(), json!(0));
    Value::Object(out)
}

impl Wire for DescribeLogStreams {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeLogStreamsInput, ApiError> {
        Ok(DescribeLogStreamsInput {
            log_group_name: string_opt(params, "logGroupName")?,
            log_group_identifier: string_opt(params, "logGroupIdentifier")?,
            log_stream_name_prefix: string_opt(params, "logStreamNamePrefix")?,
            order_by: string_opt(params, "orderBy")?,
            descending: bool_opt(params, "descending")?,
            limit: i64_opt(params, "limit")?,
            next_token: string_opt(params, "nextToken")?,
        })
    }

    fn encode(output: DescribeLogStreamsOutput) -> Value {
        let mut out = json!({"logStreams": output.streams.iter().map(stream_shape).collect::<Vec<_>>()});
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}
