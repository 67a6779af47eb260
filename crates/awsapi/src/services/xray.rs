//! X-Ray (`xray`, rest-json): trace ingest and reads in their wire shapes.

use serde_json::{Map, Value, json};
use skywatch_core::ops::{Context, codes};
use skywatch_core::traces::{
    BatchGetTraces, BatchGetTracesInput, PutTraceSegments, PutTraceSegmentsInput, TracePage, Unprocessed,
};

use crate::errors::ApiError;
use crate::params::{list_opt, str_opt};
use crate::registry::Wire;

/// X-Ray answers every malformed request with `InvalidRequestException`.
fn invalid(message: String) -> ApiError {
    ApiError::Domain { code: codes::xray::INVALID_REQUEST, message, members: Map::new() }
}

/// A list of strings (`TraceSegmentDocuments`, `TraceIds`); anything else in it is refused.
fn strings(params: &Value, name: &str) -> Result<Vec<String>, ApiError> {
    let list = match params.get(name) {
        None | Some(Value::Null) => return Err(invalid(format!("{name} is required"))),
        Some(_) => list_opt(params, name).map_err(|_| invalid(format!("{name} must be a list")))?,
    };
    list.iter()
        .map(|item| {
            item.as_str().map(str::to_owned).ok_or_else(|| invalid(format!("{name}: every member must be a string")))
        })
        .collect()
}

impl Wire for PutTraceSegments {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutTraceSegmentsInput, ApiError> {
        Ok(PutTraceSegmentsInput { trace_segment_documents: strings(params, "TraceSegmentDocuments")? })
    }

    fn encode(unprocessed: Vec<Unprocessed>) -> Value {
        let list: Vec<Value> = unprocessed
            .into_iter()
            .map(|u| {
                let mut item = json!({ "ErrorCode": u.error_code, "Message": u.message });
                if let Some(id) = u.id {
                    item["Id"] = json!(id);
                }
                item
            })
            .collect();
        json!({ "UnprocessedTraceSegments": list })
    }
}

impl Wire for BatchGetTraces {
    fn decode(_ctx: &Context, params: &Value) -> Result<BatchGetTracesInput, ApiError> {
        Ok(BatchGetTracesInput {
            trace_ids: strings(params, "TraceIds")?,
            next_token: str_opt(params, "NextToken").map_err(|e| invalid(e.to_string()))?.map(str::to_owned),
        })
    }

    fn encode(page: TracePage) -> Value {
        let traces: Vec<Value> = page
            .traces
            .into_iter()
            .map(|trace| {
                let segments: Vec<Value> = trace
                    .segments
                    .into_iter()
                    .map(|(id, document)| json!({ "Id": id.to_string(), "Document": document }))
                    .collect();
                let mut item = json!({
                    "Id": trace.id.to_string(),
                    "LimitExceeded": trace.limit_exceeded,
                    "Segments": segments,
                });
                if let Some(duration) = trace.duration {
                    item["Duration"] = json!(duration);
                }
                item
            })
            .collect();
        let mut reply = json!({ "Traces": traces, "UnprocessedTraceIds": page.unprocessed });
        if let Some(token) = page.next_token {
            reply["NextToken"] = json!(token);
        }
        reply
    }
}
