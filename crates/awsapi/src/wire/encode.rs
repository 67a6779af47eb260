//! Replies and errors in each protocol's wire format (aws-wire.md "Error formats"): JSON 1.0/1.1, rest-json,
//! awsQuery XML and RPCv2 CBOR, always with the `x-amzn-RequestId` header.

use serde_json::{Map, Value};

use super::protocol::{Operation, Protocol, Service};
use super::{neutral, xml};

pub const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";

/// An error to send to a client. `code` is the model's error shape name (e.g. `ResourceNotFoundException`,
/// `DashboardNotFoundError`); `query_code` the awsQueryCompatible code CloudWatch clients read (e.g.
/// `ResourceNotFound`), used as `__type`, `x-amzn-query-error` and the XML `<Code>` when set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub sender_fault: bool,
    pub query_code: Option<String>,
    /// The error shape's other modeled members (such as CloudWatch's `dashboardValidationMessages`), by member
    /// name: beside `__type` and `message` in JSON and CBOR, and as elements in query XML.
    pub members: Map<String, Value>,
}

impl WireError {
    /// An error whose fault is the sender's when `status` is below 500.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> WireError {
        WireError {
            status,
            code: code.into(),
            message: message.into(),
            sender_fault: status < 500,
            query_code: None,
            members: Map::new(),
        }
    }

    /// Adds a modeled member of the error shape.
    pub fn with_member(mut self, name: impl Into<String>, value: Value) -> WireError {
        self.members.insert(name.into(), value);
        self
    }

    /// Sets the awsQueryCompatible code.
    pub fn with_query_code(mut self, query_code: impl Into<String>) -> WireError {
        self.query_code = Some(query_code.into());
        self
    }

    /// `Sender` or `Receiver`.
    pub fn fault(&self) -> &'static str {
        if self.sender_fault { "Sender" } else { "Receiver" }
    }
}

/// An encoded reply, ready for the HTTP layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WireResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Encodes a successful result. `Null` counts as an empty result (`{}` in JSON and CBOR). An empty query-protocol
/// result is `<OpResult/>` when the model has an output shape (`has_output`, from the operation registry: botocore
/// looks the element up by name) and nothing otherwise.
/// The result is taken by value and rendered in place (issue 15: the whole reply was cloned first).
pub fn success(op: &Operation, has_output: bool, request_id: &str, mut result: Value) -> WireResponse {
    let mut headers = vec![(REQUEST_ID_HEADER.to_string(), request_id.to_string())];
    let body = match op.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson => {
            neutral::for_json(&mut result);
            json_bytes(&result)
        }
        Protocol::AwsQuery => {
            neutral::for_query(&mut result);
            query_success_xml(op, has_output, request_id, &result).into_bytes()
        }
        Protocol::RpcV2Cbor => {
            headers.push(("smithy-protocol".into(), "rpc-v2-cbor".into()));
            if result.is_null() {
                result = Value::Object(Map::new());
            }
            cbor_bytes(&neutral::for_cbor(&result))
        }
    };
    headers.push(("Content-Type".into(), op.protocol.content_type().to_string()));
    WireResponse { status: 200, headers, body }
}

fn json_bytes(value: &Value) -> Vec<u8> {
    if value.is_null() {
        return b"{}".to_vec();
    }
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

fn cbor_bytes(value: &ciborium::Value) -> Vec<u8> {
    let mut out = Vec::new();
    match ciborium::ser::into_writer(value, &mut out) {
        Ok(()) => out,
        Err(_) => vec![0xa0],
    }
}

fn query_success_xml(op: &Operation, has_output: bool, request_id: &str, result: &Value) -> String {
    let name = xml::element_name(&op.name);
    let mut out = String::with_capacity(256);
    out.push_str(&format!("<{name}Response"));
    if let Some(ns) = op.service.xml_namespace() {
        out.push_str(&format!(" xmlns=\"{}\"", xml::escape_text(ns)));
    }
    out.push('>');
    let empty = match result {
        Value::Null => true,
        Value::Object(fields) => fields.is_empty(),
        _ => false,
    };
    if !empty {
        out.push_str(&format!("<{name}Result>"));
        xml::write_content(&mut out, result);
        out.push_str(&format!("</{name}Result>"));
    } else if has_output {
        out.push_str(&format!("<{name}Result/>"));
    }
    out.push_str("<ResponseMetadata><RequestId>");
    out.push_str(&xml::escape_text(request_id));
    out.push_str(&format!("</RequestId></ResponseMetadata></{name}Response>"));
    out
}

/// Encodes an error. Without an identified operation, `fallback_protocol` picks the format (JSON 1.0 and CBOR
/// are then taken as CloudWatch, the only service speaking them).
pub fn error(op: Option<&Operation>, fallback_protocol: Protocol, request_id: &str, err: &WireError) -> WireResponse {
    let protocol = op.map_or(fallback_protocol, |o| o.protocol);
    let service = op.map(|o| o.service);
    let query_compatible = match service {
        Some(s) => s == Service::CloudWatch && protocol != Protocol::AwsQuery,
        None => matches!(protocol, Protocol::AwsJson1_0 | Protocol::RpcV2Cbor),
    };
    let code = if query_compatible || protocol == Protocol::AwsQuery {
        err.query_code.as_deref().unwrap_or(&err.code)
    } else {
        err.code.as_str()
    };
    let mut headers = vec![(REQUEST_ID_HEADER.to_string(), request_id.to_string())];
    if query_compatible {
        headers.push(("x-amzn-query-error".into(), format!("{code};{}", err.fault())));
    }
    let body = match protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => json_bytes(&type_and_message(code, err)),
        Protocol::RestJson => {
            headers.push(("x-amzn-ErrorType".into(), code.to_string()));
            let mut body = Map::new();
            body.insert("message".into(), Value::String(err.message.clone()));
            json_bytes(&Value::Object(body))
        }
        Protocol::AwsQuery => query_error_xml(service, request_id, code, err).into_bytes(),
        Protocol::RpcV2Cbor => {
            headers.push(("smithy-protocol".into(), "rpc-v2-cbor".into()));
            cbor_bytes(&neutral::for_cbor(&type_and_message(code, err)))
        }
    };
    headers.push(("Content-Type".into(), protocol.content_type().to_string()));
    WireResponse { status: err.status, headers, body }
}

fn type_and_message(code: &str, err: &WireError) -> Value {
    let mut body = Map::new();
    body.insert("__type".into(), Value::String(code.to_string()));
    body.insert("message".into(), Value::String(err.message.clone()));
    for (name, value) in &err.members {
        body.insert(name.clone(), value.clone());
    }
    Value::Object(body)
}

fn query_error_xml(service: Option<Service>, request_id: &str, code: &str, err: &WireError) -> String {
    let xmlns = service
        .and_then(Service::xml_namespace)
        .map(|ns| format!(" xmlns=\"{}\"", xml::escape_text(ns)))
        .unwrap_or_default();
    // Modeled members go in <Error>, where query SDKs read error details, and beside it, where botocore's modeled
    // error parse looks for them (the members of the error shape among the root's children).
    let members = if err.members.is_empty() { String::new() } else { xml::to_xml(&Value::Object(err.members.clone())) };
    format!(
        "<ErrorResponse{xmlns}><Error><Type>{}</Type><Code>{}</Code><Message>{}</Message>{members}</Error>\
         {members}<RequestId>{}</RequestId></ErrorResponse>",
        err.fault(),
        xml::escape_text(code),
        xml::escape_text(&err.message),
        xml::escape_text(request_id)
    )
}
