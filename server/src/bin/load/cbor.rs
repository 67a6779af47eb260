//! `--protocol cbor`: CloudWatch's Smithy RPCv2 CBOR bodies as botocore sends them (a `POST` to
//! `/service/GraniteServiceVersion20100801/operation/<Op>` with `smithy-protocol: rpc-v2-cbor`), built with ciborium:
//! one definite-length map, member names as text in botocore's member order, timestamps as tag 1 around the epoch
//! seconds (an integer, as botocore writes whole seconds). One difference from botocore's bytes: ciborium writes a
//! float in the shortest width that keeps its value (1.5 as a 3-byte half float), botocore always in 8 bytes; the
//! load's values with one decimal other than .0 and .5 need all 8 either way.

use bytes::Bytes;
use ciborium::Value;

use crate::{Datum, STATISTICS};

/// The path of operation `op` of CloudWatch's RPCv2 CBOR protocol.
pub fn path(op: &str) -> String {
    format!("/service/GraniteServiceVersion20100801/operation/{op}")
}

/// The headers every RPCv2 CBOR request carries (besides `content-type: application/cbor`), as botocore sends them.
pub const HEADERS: [(&str, &str); 3] =
    [("accept", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"), ("x-amzn-query-mode", "true")];

fn text(value: &str) -> Value {
    Value::Text(value.to_owned())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(key, value)| (text(key), value)).collect())
}

/// A timestamp: tag 1 (epoch-based date/time) around whole epoch seconds.
fn timestamp(epoch_seconds: i64) -> Value {
    Value::Tag(1, Box::new(Value::Integer(epoch_seconds.into())))
}

fn dimensions(worker: &str, series: usize) -> Value {
    Value::Array(vec![
        map(vec![("Name", text("Worker")), ("Value", text(worker))]),
        map(vec![("Name", text("Series")), ("Value", text(&series.to_string()))]),
    ])
}

fn encode(value: &Value) -> Bytes {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and every value here is a plain map of text, numbers and tags.
    ciborium::into_writer(value, &mut out).expect("encoding a CBOR body into memory");
    Bytes::from(out)
}

/// A PutMetricData body: metric `Latency`, dimensions `Worker` and `Series`, in botocore's member order.
pub fn put_body(namespace: &str, data: &[Datum<'_>]) -> Bytes {
    let datums = data
        .iter()
        .map(|d| {
            let mut fields = vec![("MetricName", text("Latency")), ("Value", Value::Float(d.value))];
            if let Some(at) = d.timestamp_s {
                fields.push(("Timestamp", timestamp(at)));
            }
            fields.push(("Dimensions", dimensions(d.worker, d.series)));
            map(fields)
        })
        .collect();
    encode(&map(vec![("Namespace", text(namespace)), ("MetricData", Value::Array(datums))]))
}

/// A GetMetricStatistics body for series (`worker`, `series`) over [`start`, `end`) epoch seconds.
pub fn get_statistics_body(namespace: &str, worker: usize, series: usize, start: i64, end: i64) -> Bytes {
    encode(&map(vec![
        ("Namespace", text(namespace)),
        ("MetricName", text("Latency")),
        ("Dimensions", dimensions(&worker.to_string(), series)),
        ("StartTime", timestamp(start)),
        ("EndTime", timestamp(end)),
        ("Period", Value::Integer(60.into())),
        ("Statistics", Value::Array(STATISTICS.iter().map(|s| text(s)).collect())),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// botocore's own body for one datum (`shared/reference/captures/cbor-forced.jsonl`, boto3 1.44.5): the same
    /// items in the same order, the tag included; only the float's width differs (half here, double there).
    #[test]
    fn a_datum_encodes_as_botocore_encodes_it() {
        let captured = [
            0xa2, 0x69, b'N', b'a', b'm', b'e', b's', b'p', b'a', b'c', b'e', 0x63, b'A', b'p', b'p', 0x6a, b'M', b'e',
            b't', b'r', b'i', b'c', b'D', b'a', b't', b'a', 0x81, 0xa4, 0x6a, b'M', b'e', b't', b'r', b'i', b'c', b'N',
            b'a', b'm', b'e', 0x67, b'L', b'a', b't', b'e', b'n', b'c', b'y', 0x65, b'V', b'a', b'l', b'u', b'e', 0xfb,
            0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x69, b'T', b'i', b'm', b'e', b's', b't', b'a', b'm', b'p', 0xc1, 0x1a, 0x67,
            0x76, 0x02, 0x25, 0x6a, b'D', b'i', b'm', b'e', b'n', b's', b'i', b'o', b'n', b's', 0x81, 0xa2, 0x64, b'N',
            b'a', b'm', b'e', 0x63, b'S', b'v', b'c', 0x65, b'V', b'a', b'l', b'u', b'e', 0x63, b'a', b'p', b'i',
        ];
        let ours = encode(&map(vec![
            ("Namespace", text("App")),
            (
                "MetricData",
                Value::Array(vec![map(vec![
                    ("MetricName", text("Latency")),
                    ("Value", Value::Float(1.5)),
                    ("Timestamp", timestamp(0x6776_0225)),
                    ("Dimensions", Value::Array(vec![map(vec![("Name", text("Svc")), ("Value", text("api"))])])),
                ])]),
            ),
        ]));
        let decode = |bytes: &[u8]| ciborium::from_reader::<Value, _>(bytes).unwrap();
        assert_eq!(decode(&ours), decode(&captured));
        let value_at = |bytes: &[u8]| bytes.windows(6).position(|w| w == b"\x65Value").unwrap();
        assert_eq!(&ours[..value_at(&ours)], &captured[..value_at(&captured)], "the same bytes up to the value");
        assert_eq!(&ours[value_at(&ours)..][..9], b"\x65Value\xf9\x3e\x00", "1.5 as a half float");
        assert_eq!(ours.len() + 6, captured.len(), "botocore's double is 6 bytes longer, nothing else differs");
        let tail = |bytes: &[u8]| bytes[bytes.windows(10).position(|w| w == b"\x69Timestamp").unwrap()..].to_vec();
        assert_eq!(tail(&ours), tail(&captured), "the tag-1 timestamp and the dimensions, byte for byte");
    }
}
