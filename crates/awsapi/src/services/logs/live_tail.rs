//! StartLiveTail on the wire: the request decoded like any Logs call, the session answered as an event stream —
//! `initial-response` (`{}`, which botocore reads before it returns), `sessionStart`, then a `sessionUpdate` each
//! second, and at the end the exception that ended the session (`SessionTimeoutException` after three hours,
//! `SessionStreamingException` when the server stops).

use bytes::Bytes;
use serde_json::{Map, Value, json};
use skywatch_core::logs::ops::{
    LiveTailEnd, LiveTailSession, SessionStart, SessionUpdate, StartLiveTail, StartLiveTailInput,
};
use skywatch_core::ops::Context;

use super::{missing, string_opt, strings};
use crate::errors::ApiError;
use crate::registry::StreamWire;
use crate::streaming::ReplyStream;
use crate::wire::event_stream::{self, FrameError};

impl StreamWire for StartLiveTail {
    fn decode(_ctx: &Context, params: &Value) -> Result<StartLiveTailInput, ApiError> {
        if matches!(params.get("logGroupIdentifiers"), None | Some(Value::Null)) {
            return Err(missing("logGroupIdentifiers"));
        }
        Ok(StartLiveTailInput {
            log_group_identifiers: strings(params, "logGroupIdentifiers")?,
            log_stream_names: strings(params, "logStreamNames")?,
            log_stream_name_prefixes: strings(params, "logStreamNamePrefixes")?,
            log_event_filter_pattern: string_opt(params, "logEventFilterPattern")?,
        })
    }

    fn stream(session: LiveTailSession) -> ReplyStream {
        ReplyStream::unfold(event_stream::CONTENT_TYPE, Phase::Start(Box::new(session)), step)
    }
}

/// Where the stream is.
enum Phase {
    Start(Box<LiveTailSession>),
    Updates(Box<LiveTailSession>),
    Ended,
}

/// The stream's next chunk: its first two messages at once, then one update a second, then the end.
async fn step(phase: Phase) -> Option<(Bytes, Phase)> {
    match phase {
        Phase::Start(session) => {
            let framed = event_stream::event("initial-response", b"{}").and_then(|mut first| {
                first.extend(event_stream::event("sessionStart", &json_bytes(&start_json(&session.session_start)))?);
                Ok(first)
            });
            Some(match framed {
                Ok(bytes) => (Bytes::from(bytes), Phase::Updates(session)),
                Err(error) => (failed(&error), Phase::Ended),
            })
        }
        Phase::Updates(mut session) => match session.next_update().await? {
            Ok(update) => Some(match event_stream::event("sessionUpdate", &json_bytes(&update_json(&update))) {
                Ok(bytes) => (Bytes::from(bytes), Phase::Updates(session)),
                Err(error) => (failed(&error), Phase::Ended),
            }),
            Err(end) => Some((ended(end), Phase::Ended)),
        },
        Phase::Ended => None,
    }
}

fn json_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

/// The exception that ends a session.
fn ended(end: LiveTailEnd) -> Bytes {
    exception(end.code(), &end.to_string())
}

/// An update that could not be framed ends the session with `SessionStreamingException`.
fn failed(error: &FrameError) -> Bytes {
    tracing::warn!(%error, "a Live Tail message could not be framed");
    exception("SessionStreamingException", "The session could not send an update and has ended.")
}

fn exception(code: &str, message: &str) -> Bytes {
    // A short constant code and message always frame.
    Bytes::from(event_stream::exception(code, &json_bytes(&json!({ "message": message }))).unwrap_or_default())
}

/// `LiveTailSessionStart`.
fn start_json(start: &SessionStart) -> Value {
    let mut out = Map::new();
    out.insert("requestId".into(), json!(start.request_id));
    out.insert("sessionId".into(), json!(start.session_id));
    out.insert("logGroupIdentifiers".into(), json!(start.log_group_identifiers));
    if !start.log_stream_names.is_empty() {
        out.insert("logStreamNames".into(), json!(start.log_stream_names));
    }
    if !start.log_stream_name_prefixes.is_empty() {
        out.insert("logStreamNamePrefixes".into(), json!(start.log_stream_name_prefixes));
    }
    if let Some(pattern) = &start.log_event_filter_pattern {
        out.insert("logEventFilterPattern".into(), json!(pattern));
    }
    Value::Object(out)
}

/// `LiveTailSessionUpdate`.
fn update_json(update: &SessionUpdate) -> Value {
    let results: Vec<Value> = update
        .events
        .iter()
        .map(|e| {
            json!({
                "logStreamName": e.log_stream_name,
                "logGroupIdentifier": e.log_group_identifier,
                "message": e.message,
                "timestamp": e.timestamp,
                "ingestionTime": e.ingestion_time,
            })
        })
        .collect();
    json!({ "sessionMetadata": { "sampled": update.sampled }, "sessionResults": results })
}

#[cfg(test)]
mod tests {
    use skywatch_core::logs::ops::TailEvent;

    use super::*;

    #[test]
    fn shapes_follow_the_model() {
        let start = SessionStart {
            request_id: "r".into(),
            session_id: "s".into(),
            log_group_identifiers: vec!["/app".into()],
            log_stream_name_prefixes: vec!["web".into()],
            ..Default::default()
        };
        assert_eq!(
            start_json(&start),
            json!({"requestId": "r", "sessionId": "s", "logGroupIdentifiers": ["/app"], "logStreamNamePrefixes": ["web"]})
        );
        let update = SessionUpdate {
            sampled: true,
            events: vec![TailEvent {
                log_stream_name: "web-1".into(),
                log_group_identifier: "/app".into(),
                message: "m".into(),
                timestamp: 1,
                ingestion_time: 2,
            }],
        };
        assert_eq!(
            update_json(&update),
            json!({"sessionMetadata": {"sampled": true}, "sessionResults": [
                {"logStreamName": "web-1", "logGroupIdentifier": "/app", "message": "m", "timestamp": 1, "ingestionTime": 2}
            ]})
        );
    }

    #[test]
    fn decoding_names_the_member() {
        let ctx = Context::new(skywatch_core::model::Caller::Anonymous { account: "1".into() }, "r", "id", 0);
        let refused = |params: Value| StartLiveTail::decode(&ctx, &params).unwrap_err().to_string();
        assert!(refused(json!({})).contains("Value null at 'logGroupIdentifiers'"));
        assert!(refused(json!({"logGroupIdentifiers": "x"})).contains("'logGroupIdentifiers'"));
        assert!(refused(json!({"logGroupIdentifiers": ["a"], "logStreamNames": [1]})).contains("'logStreamNames'"));
        let input = StartLiveTail::decode(
            &ctx,
            &json!({"logGroupIdentifiers": ["a"], "logStreamNames": ["s"], "logEventFilterPattern": "ERROR"}),
        )
        .unwrap();
        assert_eq!(input.log_stream_names, ["s"]);
        assert_eq!(input.log_event_filter_pattern.as_deref(), Some("ERROR"));
    }
}
