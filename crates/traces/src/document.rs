//! Segment documents as PutTraceSegments and the daemon receive them: a segment, an independent subsegment
//! (`"type": "subsegment"` with its `parent_id`), or an array of independent subsegments. Each is checked for what
//! X-Ray requires (a name, a 16-hex id, a trace id, a start time, an end time or `in_progress`) and reduced to
//! [`Entity`] facts, the document and each subsegment nested in it, which summaries and the service graph read
//! without parsing JSON again. A refusal carries X-Ray's error code (`MissingId`, ...) and message.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::id::{SegmentId, TraceId};

/// The largest document X-Ray takes (64 KB).
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;
/// The longest segment or subsegment name.
pub const MAX_NAME_CHARS: usize = 200;
/// Subsegments nested deeper than this are refused (below the JSON parser's own limit of 128 levels, which a
/// subsegment level spends two of).
pub const MAX_DEPTH: usize = 48;
/// Annotations kept per entity (X-Ray indexes at most 50 a trace).
pub const MAX_ANNOTATIONS: usize = 50;
/// The longest annotation key and string value kept.
pub const MAX_ANNOTATION_KEY: usize = 500;
pub const MAX_ANNOTATION_VALUE: usize = 1000;
/// Exceptions kept per entity (their stacks stay in the stored document).
pub const MAX_EXCEPTIONS: usize = 10;

/// Why a document was not stored: X-Ray's code and the segment's id when it had one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid segment. ErrorCode: {code}")]
pub struct Refusal {
    pub code: &'static str,
    pub id: Option<String>,
}

impl Refusal {
    fn new(code: &'static str, id: Option<&str>) -> Self {
        Self { code, id: id.map(str::to_owned) }
    }
}

/// Whether a document is a whole segment or a subsegment sent on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Segment,
    Subsegment,
}

/// Where a subsegment's call went: within the service, to another service, or to AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Namespace {
    Local,
    Remote,
    Aws,
}

/// An annotation's value (X-Ray indexes strings, numbers and booleans).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Annotation {
    Text(String),
    Number(f64),
    Bool(bool),
}

/// The request and response of an HTTP call.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Http {
    pub method: Option<String>,
    pub url: Option<String>,
    pub user_agent: Option<String>,
    pub client_ip: Option<String>,
    pub status: Option<u16>,
    /// `http.request.traced`: the callee is traced too.
    pub traced: bool,
}

/// An exception recorded in `cause`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    pub kind: String,
    pub message: String,
    pub remote: bool,
}

/// A call to AWS (`aws` on a subsegment).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AwsCall {
    pub operation: Option<String>,
    pub table_name: Option<String>,
    pub queue_url: Option<String>,
    pub resource_names: Vec<String>,
}

/// The `error`, `fault` and `throttle` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Flags {
    pub error: bool,
    pub fault: bool,
    pub throttle: bool,
}

/// What summaries and the service graph need of one segment or subsegment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: SegmentId,
    /// The document's `parent_id`, or for a nested subsegment the entity it is nested in.
    pub parent: Option<SegmentId>,
    pub name: String,
    pub namespace: Namespace,
    pub origin: Option<String>,
    pub start: f64,
    /// `None` while in progress.
    pub end: Option<f64>,
    pub http: Option<Http>,
    pub flags: Flags,
    /// A `sql` block (a database call).
    pub sql: bool,
    pub aws: Option<AwsCall>,
    pub exceptions: Vec<Exception>,
    pub annotations: Vec<(String, Annotation)>,
    pub user: Option<String>,
    pub resource_arn: Option<String>,
    pub instance_id: Option<String>,
    pub availability_zone: Option<String>,
    /// Nesting depth within its document: 0 for the document itself.
    pub depth: u16,
}

/// One document, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub trace: TraceId,
    pub id: SegmentId,
    pub kind: Kind,
    pub in_progress: bool,
    /// The document as received (one element of an array of subsegments on its own).
    pub json: String,
    /// The document first, then every subsegment nested in it, depth first.
    pub entities: Vec<Entity>,
}

/// The documents in one string: one, or each subsegment of an array.
pub fn parse(text: &str) -> Result<Vec<Document>, Refusal> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Refusal::new("SegmentTooLarge", None));
    }
    let value: Value = serde_json::from_str(text).map_err(|_| Refusal::new("ParseError", None))?;
    match value {
        Value::Object(fields) => Ok(vec![document(fields, Some(text))?]),
        Value::Array(items) if !items.is_empty() => items
            .into_iter()
            .map(|item| match item {
                Value::Object(fields) => document(fields, None),
                _ => Err(Refusal::new("ParseError", None)),
            })
            .collect(),
        Value::Array(_) => Err(Refusal::new("MissingId", None)),
        _ => Err(Refusal::new("ParseError", None)),
    }
}

fn text<'a>(fields: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    fields.get(key).and_then(Value::as_str)
}

fn owned(fields: &Map<String, Value>, key: &str, max: usize) -> Option<String> {
    text(fields, key).map(|s| clip(s, max))
}

/// `text` cut to at most `max` bytes at a character boundary.
pub fn clip(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn flag(fields: &Map<String, Value>, key: &str) -> bool {
    fields.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// A time in epoch seconds: a finite, non-negative number below year 10,000.
fn time(fields: &Map<String, Value>, key: &str) -> Option<f64> {
    fields.get(key).and_then(Value::as_f64).filter(|t| t.is_finite() && (0.0..253_402_300_800.0).contains(t))
}

/// A segment name: letters, numbers, whitespace and `_ . : / % & # = + \ - @` (X-Ray's rule for segments).
fn valid_segment_name(name: &str) -> bool {
    name.chars().all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/%&#=+\\-@".contains(c))
}

fn document(fields: Map<String, Value>, whole: Option<&str>) -> Result<Document, Refusal> {
    let id_text = text(&fields, "id");
    let id =
        SegmentId::parse(id_text.ok_or(Refusal::new("MissingId", None))?).ok_or(Refusal::new("InvalidId", id_text))?;
    let trace_text = text(&fields, "trace_id").ok_or(Refusal::new("MissingTraceId", id_text))?;
    let trace = TraceId::parse(trace_text).ok_or(Refusal::new("InvalidTraceId", id_text))?;
    let kind = if text(&fields, "type") == Some("subsegment") { Kind::Subsegment } else { Kind::Segment };
    if kind == Kind::Subsegment && !fields.contains_key("parent_id") {
        return Err(Refusal::new("MissingParentId", id_text));
    }
    let name = text(&fields, "name").ok_or(Refusal::new("MissingName", id_text))?;
    if kind == Kind::Segment && !valid_segment_name(name) {
        return Err(Refusal::new("InvalidName", id_text));
    }
    let parent = match fields.get("parent_id") {
        None => None,
        Some(value) => Some(value.as_str().and_then(SegmentId::parse).ok_or(Refusal::new("InvalidParentId", id_text))?),
    };
    let namespace = if kind == Kind::Segment { Namespace::Local } else { namespace(&fields) };
    let mut entities = Vec::new();
    entity(&fields, parent, namespace, 0, &mut entities)?;
    let in_progress = entities[0].end.is_none();
    let json = match whole {
        Some(text) => text.to_owned(),
        None => Value::Object(fields).to_string(),
    };
    Ok(Document { trace, id, kind, in_progress, json, entities })
}

fn namespace(fields: &Map<String, Value>) -> Namespace {
    match text(fields, "namespace") {
        Some("remote") => Namespace::Remote,
        Some("aws") => Namespace::Aws,
        _ => Namespace::Local,
    }
}

/// Reads one entity and, depth first, the subsegments nested in it.
fn entity(
    fields: &Map<String, Value>,
    parent: Option<SegmentId>,
    namespace: Namespace,
    depth: usize,
    out: &mut Vec<Entity>,
) -> Result<(), Refusal> {
    let id_text = text(fields, "id");
    let id =
        SegmentId::parse(id_text.ok_or(Refusal::new("MissingId", None))?).ok_or(Refusal::new("InvalidId", id_text))?;
    let name = text(fields, "name").ok_or(Refusal::new("MissingName", id_text))?;
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Refusal::new("InvalidName", id_text));
    }
    let start = time(fields, "start_time").ok_or(Refusal::new("MissingStartTime", id_text))?;
    let end = match (time(fields, "end_time"), flag(fields, "in_progress")) {
        (Some(end), _) => Some(end.max(start)),
        (None, true) => None,
        (None, false) => return Err(Refusal::new("MissingEndTime", id_text)),
    };
    let http = fields.get("http").and_then(Value::as_object).map(http);
    let mut flags =
        Flags { error: flag(fields, "error"), fault: flag(fields, "fault"), throttle: flag(fields, "throttle") };
    if let Some(status) = http.as_ref().and_then(|h| h.status) {
        flags.fault |= status >= 500;
        flags.throttle |= status == 429;
        flags.error |= (400..500).contains(&status);
    }
    let aws = fields.get("aws").and_then(Value::as_object);
    let ec2 = aws.and_then(|a| a.get("ec2")).and_then(Value::as_object);
    let index = out.len();
    out.push(Entity {
        id,
        parent,
        name: name.to_owned(),
        namespace,
        origin: owned(fields, "origin", 128),
        start,
        end,
        http,
        flags,
        sql: fields.get("sql").is_some_and(Value::is_object),
        aws: aws.filter(|_| namespace == Namespace::Aws).map(aws_call),
        exceptions: exceptions(fields),
        annotations: annotations(fields),
        user: owned(fields, "user", 256),
        resource_arn: owned(fields, "resource_arn", 2048),
        instance_id: ec2.and_then(|e| owned(e, "instance_id", 64)),
        availability_zone: ec2.and_then(|e| owned(e, "availability_zone", 64)),
        depth: u16::try_from(depth).unwrap_or(u16::MAX),
    });
    if let Some(children) = fields.get("subsegments").and_then(Value::as_array) {
        if depth + 1 > MAX_DEPTH {
            return Err(Refusal::new("SubsegmentsTooDeep", id_text));
        }
        for child in children {
            let Some(child) = child.as_object() else { return Err(Refusal::new("InvalidSubsegment", id_text)) };
            entity(child, Some(out[index].id), self::namespace(child), depth + 1, out)?;
        }
    }
    Ok(())
}

fn http(fields: &Map<String, Value>) -> Http {
    let request = fields.get("request").and_then(Value::as_object);
    let response = fields.get("response").and_then(Value::as_object);
    let from_request = |key: &str, max: usize| request.and_then(|r| owned(r, key, max));
    Http {
        method: from_request("method", 16),
        url: from_request("url", 2048),
        user_agent: from_request("user_agent", 512),
        client_ip: from_request("client_ip", 64),
        status: response.and_then(|r| r.get("status")).and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()),
        traced: request.is_some_and(|r| flag(r, "traced")),
    }
}

fn aws_call(fields: &Map<String, Value>) -> AwsCall {
    AwsCall {
        operation: owned(fields, "operation", 128),
        table_name: owned(fields, "table_name", 256),
        queue_url: owned(fields, "queue_url", 1024),
        resource_names: fields
            .get("resource_names")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).take(10).map(|n| clip(n, 256)).collect())
            .unwrap_or_default(),
    }
}

fn exceptions(fields: &Map<String, Value>) -> Vec<Exception> {
    let Some(cause) = fields.get("cause").and_then(Value::as_object) else { return Vec::new() };
    cause
        .get("exceptions")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_object)
                .take(MAX_EXCEPTIONS)
                .map(|e| Exception {
                    kind: owned(e, "type", 256).unwrap_or_default(),
                    message: owned(e, "message", 1024).unwrap_or_default(),
                    remote: flag(e, "remote"),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn annotations(fields: &Map<String, Value>) -> Vec<(String, Annotation)> {
    let Some(map) = fields.get("annotations").and_then(Value::as_object) else { return Vec::new() };
    map.iter()
        .filter_map(|(key, value)| {
            let value = match value {
                Value::String(s) => Annotation::Text(clip(s, MAX_ANNOTATION_VALUE)),
                Value::Bool(b) => Annotation::Bool(*b),
                Value::Number(n) => Annotation::Number(n.as_f64()?),
                _ => return None,
            };
            Some((clip(key, MAX_ANNOTATION_KEY), value))
        })
        .take(MAX_ANNOTATIONS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = "1-58406520-a006649127e371903a2de979";

    fn segment(extra: &str) -> String {
        format!(
            r#"{{"name":"orders","id":"70de5b6f19ff9a0a","trace_id":"{TRACE}","start_time":1480615200.01,"end_time":1480615200.09{extra}}}"#
        )
    }

    fn with(fields: &str) -> String {
        format!(r#"{{"id":"70de5b6f19ff9a0a","trace_id":"{TRACE}",{fields}}}"#)
    }

    #[test]
    fn a_segment_with_nested_subsegments_becomes_entities_depth_first() {
        let text = segment(
            r#","http":{"request":{"method":"GET","url":"https://shop/cart"},"response":{"status":502}},
               "annotations":{"user":"alice","items":3,"vip":true},
               "subsegments":[{"name":"payments","id":"1000000000000001","start_time":1480615200.02,"end_time":1480615200.08,
                 "namespace":"remote","http":{"request":{"traced":true},"response":{"status":200}},
                 "subsegments":[{"name":"inner","id":"1000000000000002","start_time":1480615200.03,"end_time":1480615200.04}]},
                 {"name":"DynamoDB","id":"1000000000000003","start_time":1480615200.05,"end_time":1480615200.06,"namespace":"aws",
                  "aws":{"operation":"GetItem","table_name":"carts"}}]"#,
        );
        let docs = parse(&text).unwrap();
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!((doc.kind, doc.in_progress, doc.trace.to_string()), (Kind::Segment, false, TRACE.to_owned()));
        let names: Vec<(&str, u16)> = doc.entities.iter().map(|e| (e.name.as_str(), e.depth)).collect();
        assert_eq!(names, [("orders", 0), ("payments", 1), ("inner", 2), ("DynamoDB", 1)]);
        let root = &doc.entities[0];
        assert_eq!(root.flags, Flags { error: false, fault: true, throttle: false }, "a 502 is a fault");
        assert_eq!(root.annotations.len(), 3);
        assert_eq!(doc.entities[1].parent, Some(root.id));
        assert!(doc.entities[1].http.as_ref().unwrap().traced);
        assert_eq!(doc.entities[2].parent, Some(doc.entities[1].id));
        assert_eq!(doc.entities[3].aws.as_ref().unwrap().table_name.as_deref(), Some("carts"));
        assert_eq!(doc.json, text, "the document is kept as sent");
    }

    #[test]
    fn an_array_of_independent_subsegments_is_one_document_each() {
        let text = format!(
            r#"[{{"type":"subsegment","parent_id":"70de5b6f19ff9a0a","trace_id":"{TRACE}","name":"a","id":"2000000000000001","start_time":1,"in_progress":true}},
                {{"type":"subsegment","parent_id":"70de5b6f19ff9a0a","trace_id":"{TRACE}","name":"b","id":"2000000000000002","start_time":1,"end_time":2,"namespace":"remote"}}]"#
        );
        let docs = parse(&text).unwrap();
        let kinds: Vec<(Kind, bool)> = docs.iter().map(|d| (d.kind, d.in_progress)).collect();
        assert_eq!(kinds, [(Kind::Subsegment, true), (Kind::Subsegment, false)]);
        assert_eq!(docs[1].entities[0].namespace, Namespace::Remote);
        assert!(serde_json::from_str::<Value>(&docs[0].json).unwrap()["in_progress"].as_bool().unwrap());
    }

    /// X-Ray's codes for documents it refuses.
    #[test]
    fn bad_documents_are_refused_with_x_rays_codes() {
        let cases = [
            ("not json".to_owned(), "ParseError"),
            ("[]".to_owned(), "MissingId"),
            ("42".to_owned(), "ParseError"),
            (r#"{"name":"a"}"#.to_owned(), "MissingId"),
            (r#"{"id":"xyz","name":"a"}"#.to_owned(), "InvalidId"),
            (r#"{"id":"70de5b6f19ff9a0a","name":"a","start_time":1,"end_time":2}"#.to_owned(), "MissingTraceId"),
            (
                r#"{"id":"70de5b6f19ff9a0a","trace_id":"1-2-3","name":"a","start_time":1,"end_time":2}"#.to_owned(),
                "InvalidTraceId",
            ),
            (with(r#""start_time":1,"end_time":2"#), "MissingName"),
            (with(r#""name":"a<b>","start_time":1,"end_time":2"#), "InvalidName"),
            (with(r#""name":"a","end_time":2"#), "MissingStartTime"),
            (with(r#""name":"a","start_time":1"#), "MissingEndTime"),
            (with(r#""name":"a","start_time":"1","end_time":2"#), "MissingStartTime"),
            (with(r#""type":"subsegment","name":"a","start_time":1,"end_time":2"#), "MissingParentId"),
            (with(r#""parent_id":7,"name":"a","start_time":1,"end_time":2"#), "InvalidParentId"),
            (segment(r#","subsegments":[{"name":"x","start_time":1,"end_time":2}]"#), "MissingId"),
            (segment(r#","subsegments":[7]"#), "InvalidSubsegment"),
        ];
        for (text, code) in cases {
            assert_eq!(parse(&text).unwrap_err().code, code, "{text}");
        }
        let refusal = parse(&with(r#""name":"a","start_time":1"#)).unwrap_err();
        assert_eq!(refusal.id.as_deref(), Some("70de5b6f19ff9a0a"));
        assert_eq!(refusal.to_string(), "Invalid segment. ErrorCode: MissingEndTime");
        let large = segment(&format!(r#","pad":"{}""#, "x".repeat(MAX_DOCUMENT_BYTES)));
        assert_eq!(parse(&large).unwrap_err().code, "SegmentTooLarge");
    }

    #[test]
    fn nesting_is_bounded() {
        let mut sub = String::from(r#"{"name":"leaf","id":"3000000000000000","start_time":1,"end_time":2}"#);
        for _ in 0..MAX_DEPTH + 1 {
            sub =
                format!(r#"{{"name":"n","id":"3000000000000000","start_time":1,"end_time":2,"subsegments":[{sub}]}}"#);
        }
        assert_eq!(parse(&segment(&format!(r#","subsegments":[{sub}]"#))).unwrap_err().code, "SubsegmentsTooDeep");
    }

    #[test]
    fn http_status_sets_the_flags_as_the_sdk_does() {
        let flags = |status: u16| {
            parse(&segment(&format!(r#","http":{{"response":{{"status":{status}}}}}"#))).unwrap()[0].entities[0].flags
        };
        assert_eq!(flags(200), Flags::default());
        assert_eq!(flags(404), Flags { error: true, fault: false, throttle: false });
        assert_eq!(flags(429), Flags { error: true, fault: false, throttle: true });
        assert_eq!(flags(503), Flags { error: false, fault: true, throttle: false });
    }
}
