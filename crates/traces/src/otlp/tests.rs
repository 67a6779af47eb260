//! Translation cases: spans as the OpenTelemetry SDKs send them, checked as the documents X-Ray would hold.

use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use opentelemetry_proto::tonic::common::v1::{AnyValue, ArrayValue, KeyValue};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::span::{Event, SpanKind};
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};
use prost::Message as _;
use serde_json::{Value, json};

use super::*;
use crate::document::parse;

const TRACE: [u8; 16] =
    [0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36];
const T0: u64 = 1_765_000_000_000_000_000;

fn kv(key: &str, value: Any) -> KeyValue {
    KeyValue { key: key.into(), value: Some(AnyValue { value: Some(value) }), ..Default::default() }
}

fn s(text: &str) -> Any {
    Any::StringValue(text.into())
}

fn span(id: u8, parent: Option<u8>, kind: SpanKind, name: &str, attributes: Vec<KeyValue>) -> Span {
    Span {
        trace_id: TRACE.to_vec(),
        span_id: vec![0, 0, 0, 0, 0, 0, 0, id],
        parent_span_id: parent.map(|p| vec![0, 0, 0, 0, 0, 0, 0, p]).unwrap_or_default(),
        name: name.into(),
        kind: kind as i32,
        start_time_unix_nano: T0 + u64::from(id) * 1_000_000,
        end_time_unix_nano: T0 + 50_000_000,
        attributes,
        ..Default::default()
    }
}

fn request(service: &str, language: &str, spans: Vec<Span>) -> ExportTraceServiceRequest {
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(Resource {
                attributes: vec![
                    kv("service.name", s(service)),
                    kv("telemetry.sdk.language", s(language)),
                    kv("telemetry.sdk.name", s("opentelemetry")),
                    kv("cloud.provider", s("aws")),
                    kv("cloud.platform", s("aws_ec2")),
                ],
                ..Default::default()
            }),
            scope_spans: vec![ScopeSpans { spans, ..Default::default() }],
            ..Default::default()
        }],
    }
}

fn documents(request: &ExportTraceServiceRequest) -> Vec<Value> {
    let translation = translate(request);
    assert_eq!(translation.rejected, 0, "{:?}", translation.first_refusal);
    for doc in &translation.documents {
        parse(doc).unwrap_or_else(|e| panic!("X-Ray refuses {doc}: {e}"));
    }
    translation.documents.iter().map(|d| serde_json::from_str(d).unwrap()).collect()
}

#[test]
fn server_spans_are_segments_and_calls_are_subsegments() {
    let spans = vec![
        span(
            1,
            None,
            SpanKind::Server,
            "GET /orders",
            vec![
                kv("http.request.method", s("GET")),
                kv("url.path", s("/orders")),
                kv("http.response.status_code", Any::IntValue(200)),
            ],
        ),
        span(
            2,
            Some(1),
            SpanKind::Client,
            "POST",
            vec![
                kv("http.request.method", s("POST")),
                kv("server.address", s("payments")),
                kv("url.full", s("http://payments:8080/charge")),
                kv("http.response.status_code", Any::IntValue(503)),
            ],
        ),
        span(3, Some(1), SpanKind::Internal, "price cart", vec![kv("items", Any::IntValue(3))]),
        span(4, Some(9), SpanKind::Server, "GET /stock", vec![]),
    ];
    let docs = documents(&request("orders", "python", spans));
    assert_eq!(docs[0]["name"], "orders");
    assert_eq!(docs[0]["trace_id"], "1-4bf92f35-77b34da6a3ce929d0e0e4736");
    assert_eq!(docs[0]["id"], "0000000000000001");
    assert!(docs[0].get("type").is_none());
    assert_eq!(docs[0]["origin"], "AWS::EC2::Instance");
    assert_eq!(docs[0]["metadata"]["default"]["otel.resource.service.name"], "orders");
    assert_eq!(docs[0]["aws"]["xray"]["sdk"], "opentelemetry for python");
    assert_eq!(docs[1]["type"], "subsegment");
    assert_eq!(docs[1]["namespace"], "remote");
    assert_eq!(docs[1]["name"], "payments");
    assert_eq!(docs[1]["parent_id"], "0000000000000001");
    assert_eq!(docs[1]["fault"], true);
    assert_eq!(docs[1]["http"]["response"]["status"], 503);
    assert_eq!(docs[2]["name"], "price cart");
    assert!(docs[2].get("namespace").is_none(), "local work has no namespace");
    assert_eq!(docs[2]["metadata"]["default"]["items"], 3);
    assert!(docs[2]["metadata"]["default"].get("otel.resource.service.name").is_none());
    // A server span with a parent (a call from another service) is still a segment.
    assert!(docs[3].get("type").is_none());
    assert_eq!(docs[3]["parent_id"], "0000000000000009");
}

#[test]
fn statuses_become_error_fault_and_throttle() {
    let with_status = |code: Option<i64>, failed: bool| {
        let mut attributes = vec![kv("http.method", s("GET"))];
        if let Some(code) = code {
            attributes.push(kv("http.status_code", Any::IntValue(code)));
        }
        let mut one = span(1, None, SpanKind::Server, "x", attributes);
        if failed {
            one.status = Some(Status { code: StatusCode::Error as i32, message: "boom".into() });
        }
        documents(&request("svc", "go", vec![one])).remove(0)
    };
    let flags = |doc: &Value| (doc.get("error").is_some(), doc.get("fault").is_some(), doc.get("throttle").is_some());
    assert_eq!(flags(&with_status(Some(200), false)), (false, false, false));
    assert_eq!(flags(&with_status(Some(404), true)), (true, false, false));
    assert_eq!(flags(&with_status(Some(429), false)), (true, false, true));
    assert_eq!(flags(&with_status(Some(500), false)), (false, true, false));
    assert_eq!(flags(&with_status(None, true)), (false, true, false));
    assert_eq!(with_status(None, true)["cause"]["exceptions"][0]["message"], "boom");
}

#[test]
fn exception_events_carry_the_python_stack() {
    let mut failing = span(1, None, SpanKind::Server, "charge", vec![]);
    failing.status = Some(Status { code: StatusCode::Error as i32, message: String::new() });
    failing.events = vec![Event {
        name: "exception".into(),
        attributes: vec![
            kv("exception.type", s("shop.PaymentError")),
            kv("exception.message", s("card declined")),
            kv(
                "exception.stacktrace",
                s(
                    "Traceback (most recent call last):\n  File \"/app/api.py\", line 20, in handle\n    charge()\n  File \"/app/pay.py\", line 10, in charge\n    raise PaymentError(\"card declined\")\nshop.PaymentError: card declined\n",
                ),
            ),
        ],
        ..Default::default()
    }];
    let doc = documents(&request("payments", "python", vec![failing])).remove(0);
    let exception = &doc["cause"]["exceptions"][0];
    assert_eq!(exception["type"], "shop.PaymentError");
    assert_eq!(exception["message"], "card declined");
    assert_eq!(exception["remote"], false);
    assert_eq!(exception["stack"][0], json!({"path": "/app/pay.py", "line": 10, "label": "charge"}));
    assert_eq!(doc["fault"], true);
}

#[test]
fn annotations_are_named_and_the_rest_is_metadata() {
    let one = span(
        1,
        None,
        SpanKind::Server,
        "x",
        vec![
            kv(
                "aws.xray.annotations",
                Any::ArrayValue(ArrayValue {
                    values: vec![
                        AnyValue { value: Some(s("customer.tier")) },
                        AnyValue { value: Some(s("cart_items")) },
                    ],
                }),
            ),
            kv("customer.tier", s("gold")),
            kv("cart_items", Any::IntValue(4)),
            kv("aws.xray.metadata.debug", s(r#"{"cache":"miss"}"#)),
            kv("enduser.id", s("alice")),
            kv("other", Any::BoolValue(true)),
        ],
    );
    let doc = documents(&request("svc", "python", vec![one])).remove(0);
    assert_eq!(doc["annotations"], json!({"customer_tier": "gold", "cart_items": 4}));
    assert_eq!(doc["metadata"]["debug"], json!({"cache": "miss"}));
    assert_eq!(doc["metadata"]["default"]["other"], true);
    assert!(doc["metadata"]["default"].get("customer.tier").is_none());
    assert_eq!(doc["user"], "alice");
    let parsed = parse(&doc.to_string()).unwrap();
    assert_eq!(parsed[0].entities[0].annotations.len(), 2);
}

#[test]
fn aws_sdk_and_sql_calls() {
    let spans = vec![
        span(1, None, SpanKind::Server, "x", vec![]),
        span(
            2,
            Some(1),
            SpanKind::Client,
            "DynamoDB.GetItem",
            vec![
                kv("rpc.system", s("aws-api")),
                kv("rpc.service", s("DynamoDB")),
                kv("rpc.method", s("GetItem")),
                kv("aws.region", s("us-east-1")),
                kv(
                    "aws.dynamodb.table_names",
                    Any::ArrayValue(ArrayValue { values: vec![AnyValue { value: Some(s("stock")) }] }),
                ),
            ],
        ),
        span(
            3,
            Some(1),
            SpanKind::Client,
            "SELECT shop",
            vec![
                kv("db.system", s("postgresql")),
                kv("db.name", s("shop")),
                kv("db.connection_string", s("postgresql://db.internal:5432")),
                kv("db.statement", s("SELECT * FROM orders WHERE id = ?")),
            ],
        ),
    ];
    let docs = documents(&request("orders", "python", spans));
    assert_eq!(docs[1]["name"], "DynamoDB");
    assert_eq!(docs[1]["namespace"], "aws");
    assert_eq!(docs[1]["aws"]["operation"], "GetItem");
    assert_eq!(docs[1]["aws"]["table_name"], "stock");
    assert_eq!(docs[2]["name"], "shop@db.internal");
    assert_eq!(docs[2]["namespace"], "remote");
    assert_eq!(docs[2]["sql"]["database_type"], "postgresql");
    assert_eq!(docs[2]["sql"]["sanitized_query"], "SELECT * FROM orders WHERE id = ?");
}

#[test]
fn bad_ids_are_rejected_spans_not_failures() {
    let mut bad = span(1, None, SpanKind::Server, "x", vec![]);
    bad.trace_id = vec![1, 2, 3];
    let good = span(2, None, SpanKind::Server, "y", vec![]);
    let translation = translate(&request("svc", "python", vec![bad, good]));
    assert_eq!(translation.rejected, 1);
    assert_eq!(translation.first_refusal, Some(SpanRefusal::TraceId));
    assert_eq!(translation.documents.len(), 1);
}

#[test]
fn protobuf_and_json_decode_alike() {
    let original = request(
        "orders",
        "python",
        vec![span(1, None, SpanKind::Server, "GET /", vec![kv("http.status_code", Any::IntValue(200))])],
    );
    let from_protobuf = decode(&original.encode_to_vec(), Encoding::Protobuf).unwrap();
    assert_eq!(from_protobuf, original);
    // OTLP/JSON: hex ids, 64-bit integers as strings, enums as numbers.
    let body = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},
        "scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"0000000000000001",
        "name":"GET /","kind":2,"startTimeUnixNano":"1765000000001000000","endTimeUnixNano":"1765000000050000000",
        "attributes":[{"key":"http.status_code","value":{"intValue":"200"}}],"unknownField":1}]}]}]}"#;
    let from_json = decode(body.as_bytes(), Encoding::Json).unwrap();
    let docs = documents(&from_json);
    assert_eq!(docs[0]["name"], "orders");
    assert_eq!(docs[0]["http"]["response"]["status"], 200);
    assert_eq!(docs[0]["start_time"], json!(1_765_000_000.001));
}

#[test]
fn malformed_and_oversized_requests_are_refused() {
    assert!(matches!(decode(b"\xff\xff\xff", Encoding::Protobuf), Err(OtlpError::Malformed(_))));
    assert!(matches!(decode(b"{\"resourceSpans\":7}", Encoding::Json), Err(OtlpError::Malformed(_))));
    let many = request("svc", "python", (0..=MAX_SPANS).map(|_| Span::default()).collect());
    assert!(matches!(decode(&many.encode_to_vec(), Encoding::Protobuf), Err(OtlpError::TooManySpans(_))));
    assert_eq!(Encoding::from_content_type("application/json; charset=utf-8"), Some(Encoding::Json));
    assert_eq!(Encoding::from_content_type("text/plain"), None);
}

#[test]
fn partial_success_reports_rejections() {
    let bytes = response(2, "trace id must be 16 bytes", Encoding::Protobuf);
    let reply = ExportTraceServiceResponse::decode(bytes.as_slice()).unwrap();
    assert_eq!(reply.partial_success.unwrap().rejected_spans, 2);
    assert!(response(0, "", Encoding::Protobuf).is_empty());
    let status: Value = serde_json::from_slice(&status(3, "bad", Encoding::Json)).unwrap();
    assert_eq!(status, json!({"code": 3, "message": "bad"}));
}
