//! Protocol-neutral reply values. Services build one `serde_json::Value` per reply; the few members whose wire
//! form differs by protocol are marked, and [`for_json`], [`for_query`] and [`for_cbor`] render the marks:
//!
//! | mark              | JSON 1.0/1.1        | awsQuery XML                    | RPCv2 CBOR             |
//! |-------------------|---------------------|---------------------------------|------------------------|
//! | [`timestamp`]     | epoch seconds       | ISO 8601 (`...T..:..:..Z`)      | tag 1, epoch seconds   |
//! | [`timestamps`]    | a list of those     | a list of those                 | a list of those        |
//! | [`map`]           | object              | `<entry><key/><value/></entry>` | map                    |
//! | [`blob`]          | base64 text         | base64 text                     | byte string            |

use base64::Engine;
use serde_json::{Map, Value, json};

const TIMESTAMP: &str = "$skywatch:timestamp_ms";
const TIMESTAMPS: &str = "$skywatch:timestamps_ms";
const MAP: &str = "$skywatch:map";
const BLOB: &str = "$skywatch:blob";

/// A timestamp member, from epoch milliseconds.
pub fn timestamp(ms: i64) -> Value {
    json!({ TIMESTAMP: ms })
}

/// A list of timestamps, from epoch milliseconds: one mark for the list, where a list of [`timestamp`]s would
/// build an object for each (GetMetricData answers pages of 100,800).
pub fn timestamps(ms: &[i64]) -> Value {
    json!({ TIMESTAMPS: ms })
}

/// A map member (string keys).
pub fn map(entries: Map<String, Value>) -> Value {
    json!({ MAP: Value::Object(entries) })
}

/// A blob member.
pub fn blob(bytes: &[u8]) -> Value {
    json!({ BLOB: base64::engine::general_purpose::STANDARD.encode(bytes) })
}

fn mark(value: &Value) -> Option<(&'static str, &Value)> {
    let Value::Object(fields) = value else { return None };
    if fields.len() != 1 {
        return None;
    }
    [TIMESTAMP, TIMESTAMPS, MAP, BLOB].into_iter().find_map(|key| fields.get(key).map(|inner| (key, inner)))
}

fn walk(value: &mut Value, render: &impl Fn(&'static str, Value) -> Value) {
    if let Some(kind) = mark(value).map(|(kind, _)| kind) {
        // The mark is moved out, not copied: a reply of 100,000 timestamps renders without a clone of each.
        let mut inner = match value.take() {
            Value::Object(fields) => fields.into_iter().next().map(|(_, inner)| inner).unwrap_or_default(),
            other => other,
        };
        walk(&mut inner, render);
        *value = render(kind, inner);
        return;
    }
    match value {
        Value::Object(fields) => fields.values_mut().for_each(|v| walk(v, render)),
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, render)),
        _ => {}
    }
}

fn seconds(ms: &Value) -> f64 {
    ms.as_i64().unwrap_or(0) as f64 / 1000.0
}

fn iso_8601(ms: &Value) -> Value {
    let time = chrono::DateTime::from_timestamp_millis(ms.as_i64().unwrap_or(0)).unwrap_or_default();
    json!(time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

fn cbor_time(ms: &Value) -> ciborium::Value {
    ciborium::Value::Tag(1, Box::new(ciborium::Value::Float(seconds(ms))))
}

/// Each item of a list mark rendered by `render`.
fn each(list: Value, render: impl Fn(&Value) -> Value) -> Value {
    match list {
        Value::Array(items) => Value::Array(items.iter().map(render).collect()),
        other => other,
    }
}

/// JSON protocols: timestamps as epoch seconds, maps as objects, blobs as base64.
pub fn for_json(value: &mut Value) {
    walk(value, &|kind, inner| match kind {
        TIMESTAMP => json!(seconds(&inner)),
        TIMESTAMPS => each(inner, |ms| json!(seconds(ms))),
        _ => inner,
    });
}

/// awsQuery: timestamps as ISO 8601, maps as entry lists, blobs as base64.
pub fn for_query(value: &mut Value) {
    walk(value, &|kind, inner| match kind {
        TIMESTAMP => iso_8601(&inner),
        TIMESTAMPS => each(inner, iso_8601),
        MAP => match inner {
            Value::Object(entries) => crate::wire::xml::xml_map(&entries),
            other => other,
        },
        _ => inner,
    });
}

/// RPCv2 CBOR: a CBOR value with tag-1 timestamps and byte strings.
pub fn for_cbor(value: &Value) -> ciborium::Value {
    if let Some((kind, inner)) = mark(value) {
        return match kind {
            TIMESTAMP => cbor_time(inner),
            TIMESTAMPS => {
                ciborium::Value::Array(inner.as_array().map_or_else(Vec::new, |l| l.iter().map(cbor_time).collect()))
            }
            BLOB => ciborium::Value::Bytes(
                base64::engine::general_purpose::STANDARD.decode(inner.as_str().unwrap_or("")).unwrap_or_default(),
            ),
            _ => for_cbor(inner),
        };
    }
    match value {
        Value::Null => ciborium::Value::Null,
        Value::Bool(b) => ciborium::Value::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => ciborium::Value::Integer(i.into()),
            (None, Some(u)) => ciborium::Value::Integer(u.into()),
            _ => ciborium::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => ciborium::Value::Text(s.clone()),
        Value::Array(items) => ciborium::Value::Array(items.iter().map(for_cbor).collect()),
        Value::Object(fields) => {
            ciborium::Value::Map(fields.iter().map(|(k, v)| (ciborium::Value::Text(k.clone()), for_cbor(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply() -> Value {
        let mut stats = Map::new();
        stats.insert("p99".into(), json!(2.5));
        json!({"Datapoints": [{"Timestamp": timestamp(1_700_000_000_500), "ExtendedStatistics": map(stats)}], "Image": blob(b"\x89PNG")})
    }

    /// Issue 15: a list of timestamps is one mark, rendered item by item in each protocol's form.
    #[test]
    fn timestamp_lists_render_per_protocol() {
        let reply = || json!({"Timestamps": timestamps(&[1_700_000_000_500, 0])});
        let mut json_reply = reply();
        for_json(&mut json_reply);
        assert_eq!(json_reply, json!({"Timestamps": [1_700_000_000.5, 0.0]}));
        let mut query_reply = reply();
        for_query(&mut query_reply);
        assert_eq!(query_reply, json!({"Timestamps": ["2023-11-14T22:13:20.500Z", "1970-01-01T00:00:00.000Z"]}));
        let time = |seconds: f64| ciborium::Value::Tag(1, Box::new(ciborium::Value::Float(seconds)));
        let expected = ciborium::Value::Map(vec![(
            ciborium::Value::Text("Timestamps".into()),
            ciborium::Value::Array(vec![time(1_700_000_000.5), time(0.0)]),
        )]);
        assert_eq!(for_cbor(&reply()), expected);
    }

    #[test]
    fn marks_render_per_protocol() {
        let mut json_reply = reply();
        for_json(&mut json_reply);
        assert_eq!(json_reply["Datapoints"][0]["Timestamp"], json!(1_700_000_000.5));
        assert_eq!(json_reply["Datapoints"][0]["ExtendedStatistics"], json!({"p99": 2.5}));
        assert_eq!(json_reply["Image"], json!("iVBORw=="));

        let mut query_reply = reply();
        for_query(&mut query_reply);
        assert_eq!(query_reply["Datapoints"][0]["Timestamp"], json!("2023-11-14T22:13:20.500Z"));
        assert_eq!(
            query_reply["Datapoints"][0]["ExtendedStatistics"],
            json!({"entry": [{"key": "p99", "value": 2.5}]})
        );

        let cbor = for_cbor(&reply());
        let ciborium::Value::Map(top) = cbor else { panic!("not a map") };
        let image = top.iter().find(|(k, _)| k == &ciborium::Value::Text("Image".into())).map(|(_, v)| v.clone());
        assert_eq!(image, Some(ciborium::Value::Bytes(b"\x89PNG".to_vec())));
    }
}
