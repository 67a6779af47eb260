//! OpenTelemetry traces (OTLP/HTTP, `ExportTraceServiceRequest` in protobuf or JSON) as X-Ray segment
//! documents: each span one document, which then goes through PutTraceSegments like any other. Decoding is
//! bounded (the request's size bounds it first; spans a request are capped), and a span that cannot be
//! translated is counted as rejected, never fatal.

mod attributes;
mod cause;
mod http;
mod segment;

use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use prost::Message as _;

pub use opentelemetry_proto::tonic as proto;
pub use segment::SpanRefusal;

/// Spans one request may carry: as many documents as one PutTraceSegments call takes.
pub const MAX_SPANS: usize = crate::MAX_DOCUMENTS;

/// How an OTLP body is encoded (its `Content-Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/x-protobuf`.
    Protobuf,
    /// `application/json`.
    Json,
}

impl Encoding {
    /// The encoding a `Content-Type` names, if it is one OTLP/HTTP uses.
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/x-protobuf" | "application/protobuf" => Some(Self::Protobuf),
            "application/json" => Some(Self::Json),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Protobuf => "application/x-protobuf",
            Self::Json => "application/json",
        }
    }
}

/// Why a request could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OtlpError {
    #[error("the body is not a valid ExportTraceServiceRequest: {0}")]
    Malformed(String),
    #[error("a request carries at most {MAX_SPANS} spans; this one carries {0}")]
    TooManySpans(usize),
}

/// A request's spans as segment documents.
#[derive(Debug, Default)]
pub struct Translation {
    /// One JSON document per translatable span.
    pub documents: Vec<String>,
    /// Spans that could not be translated, with the first reason.
    pub rejected: usize,
    pub first_refusal: Option<SpanRefusal>,
}

/// Decodes a request body.
pub fn decode(body: &[u8], encoding: Encoding) -> Result<ExportTraceServiceRequest, OtlpError> {
    let request = match encoding {
        Encoding::Protobuf => {
            ExportTraceServiceRequest::decode(body).map_err(|e| OtlpError::Malformed(e.to_string()))?
        }
        Encoding::Json => serde_json::from_slice(body).map_err(|e| OtlpError::Malformed(e.to_string()))?,
    };
    let spans: usize = request.resource_spans.iter().flat_map(|r| &r.scope_spans).map(|s| s.spans.len()).sum();
    if spans > MAX_SPANS {
        return Err(OtlpError::TooManySpans(spans));
    }
    Ok(request)
}

/// Every span of `request` as a segment document.
pub fn translate(request: &ExportTraceServiceRequest) -> Translation {
    let mut out = Translation::default();
    for resource_spans in &request.resource_spans {
        let resource = segment::Resource {
            attributes: attributes::Attributes::new(
                resource_spans.resource.as_ref().map_or(&[][..], |r| r.attributes.as_slice()),
            ),
        };
        for span in resource_spans.scope_spans.iter().flat_map(|s| &s.spans) {
            match segment::document(&resource, span) {
                Ok(document) => out.documents.push(document.to_string()),
                Err(refusal) => {
                    out.rejected += 1;
                    out.first_refusal.get_or_insert(refusal);
                }
            }
        }
    }
    out
}

/// The reply to an export: empty when every span was kept, else the count rejected and why. In JSON the count
/// is a string, as the protobuf JSON mapping writes 64-bit integers.
pub fn response(rejected: usize, message: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Protobuf => ExportTraceServiceResponse {
            partial_success: (rejected > 0).then(|| ExportTracePartialSuccess {
                rejected_spans: rejected as i64,
                error_message: message.to_owned(),
            }),
        }
        .encode_to_vec(),
        Encoding::Json if rejected == 0 => b"{}".to_vec(),
        Encoding::Json => serde_json::json!({
            "partialSuccess": {"rejectedSpans": rejected.to_string(), "errorMessage": message}
        })
        .to_string()
        .into_bytes(),
    }
}

/// `request` in protobuf, as exporters send it.
pub fn encode(request: &ExportTraceServiceRequest) -> Vec<u8> {
    request.encode_to_vec()
}

/// A refused export as `google.rpc.Status` (code 3, INVALID_ARGUMENT, unless given), in the request's encoding.
pub fn status(code: i32, message: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Protobuf => RpcStatus { code, message: message.to_owned() }.encode_to_vec(),
        Encoding::Json => serde_json::json!({"code": code, "message": message}).to_string().into_bytes(),
    }
}

/// `google.rpc.Status` without details.
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

#[cfg(test)]
mod tests;
