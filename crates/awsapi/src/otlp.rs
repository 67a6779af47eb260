//! OTLP/HTTP traces (`POST /v1/traces`, protobuf or JSON, optionally gzip or deflate), the endpoint X-Ray
//! offers OpenTelemetry: on the API port signed with SigV4 for `xray` (as X-Ray's own OTLP endpoint is), on the
//! daemon port unsigned in the daemon's account, as a local collector would take them. Spans become segment
//! documents and go through PutTraceSegments, so they are checked, stored and recorded like any others; replies
//! follow OTLP/HTTP (partial success for rejected spans, `google.rpc.Status` for refused requests).

use skywatch_core::Services;
use skywatch_core::model::Caller;
use skywatch_core::ops::{Context, Origin};
use skywatch_core::traces::otlp::{self, Encoding, OtlpError};
use skywatch_core::traces::{PutTraceSegments, PutTraceSegmentsInput};

use crate::authenticate::{authenticate, scope};
use crate::errors::ApiError;
use crate::front_door::{ApiRequest, MAX_DECODED_BYTES};
use crate::wire::{DecodeError, WireResponse, decompress};

/// The path OTLP/HTTP exporters post traces to.
pub const PATH: &str = "/v1/traces";

/// `google.rpc.Code` values the replies use.
mod rpc {
    pub const INVALID_ARGUMENT: i32 = 3;
    pub const PERMISSION_DENIED: i32 = 7;
    pub const RESOURCE_EXHAUSTED: i32 = 8;
    pub const INTERNAL: i32 = 13;
    pub const UNAUTHENTICATED: i32 = 16;
}

/// Who is sending: a signed client on the API port, or anyone on the daemon port (account, region).
#[derive(Debug, Clone, Copy)]
pub enum Sender<'a> {
    Signed,
    Daemon { account: &'a str, region: &'a str },
}

/// Serves one OTLP/HTTP traces request.
pub async fn handle_otlp(services: &Services, request: ApiRequest, sender: Sender<'_>) -> WireResponse {
    let content_type = request.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let encoding = Encoding::from_content_type(content_type);
    if request.method != "POST" {
        let mut reply = refusal(405, rpc::INVALID_ARGUMENT, "OTLP traces are sent with POST.", Encoding::Json);
        reply.headers.push(("Allow".into(), "POST".into()));
        return reply;
    }
    let Some(encoding) = encoding else {
        let message =
            format!("Unsupported Content-Type {content_type:?}: use application/x-protobuf or application/json.");
        return refusal(415, rpc::INVALID_ARGUMENT, &message, Encoding::Json);
    };
    let now = chrono::Utc::now();
    let (caller, region) = match sender {
        Sender::Daemon { account, region } => (Caller::Anonymous { account: account.to_owned() }, region.to_owned()),
        Sender::Signed => {
            if let Some(scoped) = scope(&request).map(|s| s.service).filter(|s| s != "xray") {
                tracing::debug!(scoped, "OTLP request scoped to another service");
                let message = "Credential should be scoped to correct service: 'xray'. ";
                return refusal(403, rpc::PERMISSION_DENIED, message, encoding);
            }
            match authenticate(services, &request, now) {
                Ok(identity) => (identity.caller, identity.region),
                Err(error) => {
                    let wire = error.to_wire(None);
                    let code = if wire.status == 403 { rpc::PERMISSION_DENIED } else { rpc::UNAUTHENTICATED };
                    return refusal(wire.status, code, &format!("{}: {}", wire.code, wire.message), encoding);
                }
            }
        }
    };
    // Inflated only once the sender is known: the signature covers the body as sent.
    let content_encoding = request.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok());
    let body = match decompress(content_encoding, &request.body, MAX_DECODED_BYTES) {
        Ok(body) => body,
        Err(DecodeError::TooLarge { limit }) => {
            let message = format!("Request body exceeds {limit} bytes once decompressed.");
            return refusal(413, rpc::RESOURCE_EXHAUSTED, &message, encoding);
        }
        Err(e) => return refusal(400, rpc::INVALID_ARGUMENT, &e.to_string(), encoding),
    };
    // Decoding and translating are CPU work sized by the request: off the async runtime.
    let translated = tokio::task::spawn_blocking(move || otlp::decode(&body, encoding).map(|e| otlp::translate(&e)));
    let translation = match translated.await {
        Ok(Ok(translation)) => translation,
        Ok(Err(e @ OtlpError::Malformed(_))) => return refusal(400, rpc::INVALID_ARGUMENT, &e.to_string(), encoding),
        Ok(Err(e @ OtlpError::TooManySpans(_))) => {
            return refusal(413, rpc::RESOURCE_EXHAUSTED, &e.to_string(), encoding);
        }
        Err(e) => {
            tracing::error!(error = %e, "OTLP translation failed");
            return refusal(500, rpc::INTERNAL, "The spans could not be read.", encoding);
        }
    };
    let user_agent = request.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ctx = Context::new(caller, region, uuid::Uuid::new_v4().to_string(), now.timestamp_millis())
        .from_origin(Origin { source_ip: request.source_ip.clone(), user_agent: user_agent.to_owned() });
    let mut rejected = translation.rejected;
    let mut message = translation.first_refusal.map(|r| r.to_string()).unwrap_or_default();
    if !translation.documents.is_empty() {
        let input = PutTraceSegmentsInput { trace_segment_documents: translation.documents };
        match services.invoke::<PutTraceSegments>(&ctx, input).await {
            Ok(unprocessed) => {
                if message.is_empty()
                    && let Some(first) = unprocessed.first()
                {
                    message = first.message.clone();
                }
                rejected += unprocessed.len();
            }
            Err(failure) => {
                let error = ApiError::failure(&failure).to_wire(None);
                let code = match error.status {
                    401 | 403 => rpc::PERMISSION_DENIED,
                    400..=499 => rpc::INVALID_ARGUMENT,
                    _ => rpc::INTERNAL,
                };
                return refusal(error.status, code, &format!("{}: {}", error.code, error.message), encoding);
            }
        }
    }
    WireResponse {
        status: 200,
        headers: vec![("Content-Type".into(), encoding.content_type().into())],
        body: otlp::response(rejected, &message, encoding),
    }
}

fn refusal(status: u16, code: i32, message: &str, encoding: Encoding) -> WireResponse {
    WireResponse {
        status,
        headers: vec![("Content-Type".into(), encoding.content_type().into())],
        body: otlp::status(code, message, encoding),
    }
}
