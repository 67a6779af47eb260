//! Request decoding: every captured body decodes to the parameters it carries (legacy query, CBOR, gzip JSON),
//! form flattening and its limits, and no decoder panics on arbitrary bytes.

use crate::wire_support as support;

use std::io::Write;

use proptest::prelude::*;
use serde_json::{Value, json};
use skywatch_awsapi::wire::{DecodeError, decode_cbor, decode_json, decode_params, decode_query, decompress, identify};
use support::{captures_for, load_captures};

const LIMIT: usize = 1 << 20;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("gzip write");
    encoder.finish().expect("gzip finish")
}

fn cbor(value: &ciborium::Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).expect("cbor");
    out
}

#[test]
fn every_capture_body_decodes_to_an_object() {
    for capture in load_captures() {
        let body = decompress(capture.header("content-encoding"), &capture.raw, LIMIT).expect("decompress");
        let op = identify(&capture.method, &capture.path, &capture.header_map(), &body, None).expect("identify");
        let params = decode_params(op.protocol, &body).unwrap_or_else(|e| panic!("{}: {e}", capture.label()));
        assert!(params.is_object(), "{}", capture.label());
        if op.protocol == skywatch_awsapi::wire::Protocol::AwsQuery {
            assert!(params.get("Action").is_none() && params.get("Version").is_none());
        }
    }
}

#[test]
fn legacy_query_put_metric_data() {
    let capture = load_captures()
        .into_iter()
        .find(|c| c.file.starts_with("legacy-query") && c.raw.starts_with(b"Action=PutMetricData"))
        .expect("legacy PutMetricData capture");
    let params = decode_query(&capture.raw).expect("decodes");
    assert_eq!(
        params,
        json!({
            "Namespace": "App",
            "MetricData": [{
                "MetricName": "Latency",
                "Value": "1.5",
                "Timestamp": "2025-01-02T03:04:05Z",
                "Dimensions": [{"Name": "Svc", "Value": "api"}]
            }]
        })
    );
}

#[test]
fn legacy_query_describe_alarms_list() {
    let capture = load_captures()
        .into_iter()
        .find(|c| c.raw.starts_with(b"Action=DescribeAlarms"))
        .expect("legacy DescribeAlarms capture");
    assert_eq!(decode_query(&capture.raw).expect("decodes"), json!({"AlarmNames": ["a1", "a2"]}));
}

#[test]
fn sns_message_attributes_become_a_map() {
    let capture = load_captures()
        .into_iter()
        .find(|c| c.raw.windows(17).any(|w| w == b"MessageAttributes"))
        .expect("SNS Publish with attributes");
    let params = decode_query(&capture.raw).expect("decodes");
    assert_eq!(params["MessageAttributes"], json!({"k": {"DataType": "String", "StringValue": "v"}}));
    assert_eq!(params["TopicArn"], "arn:aws:sns:us-east-1:000000000000:t");
    assert_eq!(params["Subject"], "s");
}

#[test]
fn cbor_put_metric_data() {
    let capture = load_captures()
        .into_iter()
        .find(|c| c.file == "cbor-forced.jsonl" && c.path.ends_with("/PutMetricData"))
        .expect("CBOR PutMetricData capture");
    let params = decode_cbor(&capture.raw).expect("decodes");
    assert_eq!(params["Namespace"], "App");
    let datum = &params["MetricData"][0];
    assert_eq!(datum["MetricName"], "Latency");
    assert_eq!(datum["Value"], json!(1.5));
    assert_eq!(datum["Timestamp"], json!(1_735_787_045), "tag-1 timestamp is 2025-01-02T03:04:05Z");
    assert_eq!(datum["Dimensions"], json!([{"Name": "Svc", "Value": "api"}]));
    let empty = captures_for("DescribeAlarms").into_iter().find(|c| c.file == "cbor-forced.jsonl").expect("capture");
    assert_eq!(decode_cbor(&empty.raw).expect("decodes"), json!({}));
}

#[test]
fn gzip_put_metric_data() {
    let capture =
        load_captures().into_iter().find(|c| c.header("content-encoding") == Some("gzip")).expect("gzip capture");
    let body = decompress(Some("gzip"), &capture.raw, LIMIT).expect("decompress");
    assert!(body.len() > 10_240, "botocore compresses bodies of 10240 bytes or more");
    let params = decode_json(&body).expect("decodes");
    assert_eq!(params["Namespace"], "App");
    let data = params["MetricData"].as_array().expect("MetricData");
    assert_eq!(data[0]["MetricName"], "M0");
    assert_eq!(data[0]["Values"].as_array().map(Vec::len), Some(20));
    assert_eq!(
        decompress(Some("gzip"), &capture.raw, body.len() - 1),
        Err(DecodeError::TooLarge { limit: body.len() - 1 })
    );
}

#[test]
fn decompress_refuses_bombs_and_garbage() {
    let bomb = gzip(&vec![0u8; 8 << 20]);
    assert!(bomb.len() < 64 << 10);
    assert_eq!(decompress(Some("gzip"), &bomb, LIMIT), Err(DecodeError::TooLarge { limit: LIMIT }));
    assert!(matches!(decompress(Some("gzip"), b"not gzip", LIMIT), Err(DecodeError::InvalidGzip(_))));
    assert!(matches!(decompress(Some("br"), b"x", LIMIT), Err(DecodeError::UnsupportedEncoding(_))));
    assert_eq!(decompress(None, b"abc", LIMIT), Ok(b"abc".to_vec()));
    assert_eq!(decompress(Some("identity"), b"abc", 2), Err(DecodeError::TooLarge { limit: 2 }));
    assert_eq!(decompress(Some(" GZIP "), &gzip(b"hello"), LIMIT), Ok(b"hello".to_vec()));
}

#[test]
fn json_bodies() {
    assert_eq!(decode_json(b""), Ok(json!({})));
    assert_eq!(decode_json(b" \n"), Ok(json!({})));
    assert_eq!(decode_json(b"[]"), Err(DecodeError::NotAnObject));
    assert_eq!(decode_json(b"\"x\""), Err(DecodeError::NotAnObject));
    assert!(matches!(decode_json(b"{\"a\":"), Err(DecodeError::InvalidJson(_))));
    assert_eq!(decode_json(br#"{"v":"NaN"}"#), Ok(json!({"v": "NaN"})));
}

#[test]
fn query_lists_close_gaps_and_reject_huge_indices() {
    let gaps = decode_query(b"Action=X&L.member.5=e&L.member.1=a&L.member.3=c").expect("decodes");
    assert_eq!(gaps, json!({"L": ["a", "c", "e"]}));
    let huge = decode_query(b"L.member.999999999=x");
    assert_eq!(huge, Err(DecodeError::IndexOutOfRange { key: "L.member.999999999".into(), max: 1000 }));
    let overflow = decode_query(b"L.member.99999999999999999999999=x");
    assert!(matches!(overflow, Err(DecodeError::IndexOutOfRange { .. })));
    assert!(matches!(decode_query(b"L.member.0=x"), Err(DecodeError::IndexOutOfRange { .. })));
    assert!(decode_query(b"L.member.1000=x").is_ok());
    assert!(matches!(decode_query(b"L.member.1001=x"), Err(DecodeError::IndexOutOfRange { .. })));
}

#[test]
fn query_nesting_maps_and_conflicts() {
    let nested = decode_query(b"A.member.1.B.member.2.C=x&A.member.1.B.member.1.C=y&A.member.2.D=z").expect("ok");
    assert_eq!(nested, json!({"A": [{"B": [{"C": "y"}, {"C": "x"}]}, {"D": "z"}]}));
    let map = decode_query(b"Attributes.entry.1.key=Policy&Attributes.entry.1.value=%7B%7D&Attributes.entry.2.key=b&Attributes.entry.2.value=").expect("ok");
    assert_eq!(map, json!({"Attributes": {"Policy": "{}", "b": ""}}));
    let odd_entries = decode_query(b"M.entry.1.x=1").expect("ok");
    assert_eq!(odd_entries, json!({"M": [{"x": "1"}]}));
    let flattened = decode_query(b"F.1=a&F.2=b").expect("ok");
    assert_eq!(flattened, json!({"F": ["a", "b"]}));
    assert!(matches!(decode_query(b"A=1&A.B=2"), Err(DecodeError::ConflictingQueryKey(_))));
    assert!(matches!(decode_query(b"A.B=2&A=1"), Err(DecodeError::ConflictingQueryKey(_))));
    assert!(matches!(decode_query(b"A.member.1=x&A.B=2"), Err(DecodeError::ConflictingQueryKey(_))));
    assert!(matches!(decode_query(b"A..B=1"), Err(DecodeError::InvalidQueryKey { .. })));
    assert!(matches!(decode_query(b"1=x"), Err(DecodeError::InvalidQueryKey { .. })));
    let deep = format!("{}=x", vec!["a"; 40].join("."));
    assert!(matches!(decode_query(deep.as_bytes()), Err(DecodeError::InvalidQueryKey { .. })));
    assert_eq!(decode_query(b"Empty=&Plus=a+b"), Ok(json!({"Empty": "", "Plus": "a b"})));
}

#[test]
fn cbor_special_values() {
    use ciborium::Value as C;
    let body = cbor(&C::Map(vec![
        (C::Text("bytes".into()), C::Bytes(b"hi".to_vec())),
        (C::Text("nan".into()), C::Float(f64::NAN)),
        (C::Text("inf".into()), C::Float(f64::NEG_INFINITY)),
        (C::Text("ts".into()), C::Tag(1, Box::new(C::Float(1.5)))),
        (C::Text("big".into()), C::Integer(u64::MAX.into())),
        (C::Text("list".into()), C::Array(vec![C::Null, C::Bool(true), C::Integer((-3).into())])),
    ]));
    let value = decode_cbor(&body).expect("decodes");
    assert_eq!(
        value,
        json!({"bytes": "aGk=", "nan": "NaN", "inf": "-Infinity", "ts": 1.5, "big": u64::MAX, "list": [null, true, -3]})
    );
    assert_eq!(decode_cbor(&cbor(&C::Array(vec![]))), Err(DecodeError::NotAnObject));
    let mut trailing = cbor(&C::Map(vec![]));
    trailing.push(0x00);
    assert!(matches!(decode_cbor(&trailing), Err(DecodeError::InvalidCbor(_))));
    assert!(matches!(decode_cbor(&[0xbf]), Err(DecodeError::InvalidCbor(_))));
    // A byte string claiming 2^62 bytes must fail without allocating them.
    let claim = [0xa1, 0x61, b'k', 0x5b, 0x40, 0, 0, 0, 0, 0, 0, 0];
    assert!(matches!(decode_cbor(&claim), Err(DecodeError::InvalidCbor(_))));
    let nested: Vec<u8> = std::iter::repeat_n(0x81u8, 100_000).collect();
    assert!(decode_cbor(&nested).is_err());
}

proptest! {
    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_json(&bytes);
        let _ = decode_query(&bytes);
        let _ = decode_cbor(&bytes);
        let _ = decompress(Some("gzip"), &bytes, 4096);
        let _ = decompress(None, &bytes, 4096);
    }

    #[test]
    fn query_decoder_never_panics_on_structured_keys(
        pairs in proptest::collection::vec(("[A-C](\\.(member|entry|key|value|[0-9]{1,4}|[A-C]|)){0,5}", "[a-z]{0,3}"), 0..16)
    ) {
        let body: String = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let _ = decode_query(body.as_bytes());
    }

    #[test]
    fn cbor_decoder_never_panics_on_mutated_captures(index in 0usize..110, byte in any::<u8>()) {
        let mut body = hex_body();
        let i = index % body.len();
        body[i] = byte;
        let _ = decode_cbor(&body);
    }
}

fn hex_body() -> Vec<u8> {
    let hex = "a2694e616d657370616365634170706a4d65747269634461746181a46a4d65747269634e616d65674c6174656e63796556616c7565\
               fb3ff80000000000006954696d657374616d70c11a677602256a44696d656e73696f6e7381a2644e616d65635376636556616c756563617069";
    hex::decode(hex).expect("hex")
}

#[test]
fn values_stay_strings_for_handlers_to_coerce() {
    let params = decode_query(b"Value=1.5&Flag=true").expect("decodes");
    assert_eq!(params, json!({"Value": "1.5", "Flag": "true"}));
    assert!(matches!(params["Value"], Value::String(_)));
}
