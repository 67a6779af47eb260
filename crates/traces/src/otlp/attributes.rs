//! A span's (or its resource's) attributes: looked up by key with the types OTLP senders actually use, taken out
//! as the translation consumes them, and what remains rendered as JSON for the document's metadata.

use base64::Engine as _;
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue};
use serde_json::{Map, Value};

/// How deep arrays and key-value lists are rendered; deeper values become their summary text, so a document
/// never outgrows what the segment parser accepts.
pub const MAX_VALUE_DEPTH: usize = 8;

/// Attributes in their sending order; a key sent twice means its last value.
#[derive(Debug, Default)]
pub struct Attributes<'a> {
    pairs: Vec<(&'a str, &'a AnyValue)>,
}

impl<'a> Attributes<'a> {
    pub fn new(list: &'a [KeyValue]) -> Self {
        Self { pairs: list.iter().filter_map(|kv| kv.value.as_ref().map(|v| (kv.key.as_str(), v))).collect() }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn value(&self, key: &str) -> Option<&'a Any> {
        self.pairs.iter().rev().find(|(k, _)| *k == key).and_then(|(_, v)| v.value.as_ref())
    }

    pub fn has(&self, key: &str) -> bool {
        self.value(key).is_some()
    }

    /// A string attribute (other scalar types are not read as strings).
    pub fn str(&self, key: &str) -> Option<&'a str> {
        match self.value(key)? {
            Any::StringValue(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The first of `keys` present as a non-empty string.
    pub fn first_str(&self, keys: &[&str]) -> Option<&'a str> {
        keys.iter().find_map(|k| self.str(k).filter(|s| !s.is_empty()))
    }

    /// An integer attribute: an int, a whole double, or a string holding an integer (senders differ).
    pub fn int(&self, key: &str) -> Option<i64> {
        match self.value(key)? {
            Any::IntValue(i) => Some(*i),
            Any::DoubleValue(d) if d.fract() == 0.0 && d.is_finite() && d.abs() < 9e15 => Some(*d as i64),
            Any::StringValue(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A list of strings (`aws.xray.annotations`, `aws.dynamodb.table_names`).
    pub fn strings(&self, key: &str) -> Vec<&'a str> {
        match self.value(key) {
            Some(Any::ArrayValue(list)) => list
                .values
                .iter()
                .filter_map(|v| match &v.value {
                    Some(Any::StringValue(s)) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            Some(Any::StringValue(s)) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }

    /// Removes `keys`, so they do not reach the metadata.
    pub fn consume(&mut self, keys: &[&str]) {
        self.pairs.retain(|(k, _)| !keys.contains(k));
    }

    /// Removes and returns every attribute `keep` selects.
    pub fn take_where(&mut self, keep: impl Fn(&str) -> bool) -> Vec<(&'a str, &'a AnyValue)> {
        let (taken, rest) = self.pairs.drain(..).partition(|(k, _)| keep(k));
        self.pairs = rest;
        taken
    }

    /// What remains, as a JSON object (the last value of a repeated key wins).
    pub fn to_json(&self, prefix: &str) -> Map<String, Value> {
        self.pairs.iter().map(|(k, v)| (format!("{prefix}{k}"), json(v, 0))).collect()
    }
}

/// An attribute value as JSON: scalars as themselves, bytes as base64, lists and maps to [`MAX_VALUE_DEPTH`].
pub fn json(value: &AnyValue, depth: usize) -> Value {
    match &value.value {
        // Dictionary references belong to profiles; trace spans carry none.
        None | Some(Any::StringValueStrindex(_)) => Value::Null,
        Some(Any::StringValue(s)) => Value::String(s.clone()),
        Some(Any::BoolValue(b)) => Value::Bool(*b),
        Some(Any::IntValue(i)) => Value::from(*i),
        Some(Any::DoubleValue(d)) => serde_json::Number::from_f64(*d).map_or(Value::Null, Value::Number),
        Some(Any::BytesValue(b)) => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Some(Any::ArrayValue(list)) if depth < MAX_VALUE_DEPTH => {
            Value::Array(list.values.iter().map(|v| json(v, depth + 1)).collect())
        }
        Some(Any::KvlistValue(map)) if depth < MAX_VALUE_DEPTH => Value::Object(
            map.values
                .iter()
                .map(|kv| (kv.key.clone(), kv.value.as_ref().map_or(Value::Null, |v| json(v, depth + 1))))
                .collect(),
        ),
        Some(Any::ArrayValue(list)) => Value::String(format!("[{} values]", list.values.len())),
        Some(Any::KvlistValue(map)) => Value::String(format!("{{{} keys}}", map.values.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry_proto::tonic::common::v1::{ArrayValue, KeyValueList};

    fn kv(key: &str, value: Any) -> KeyValue {
        KeyValue { key: key.into(), value: Some(AnyValue { value: Some(value) }), ..Default::default() }
    }

    #[test]
    fn last_value_wins_and_ints_read_from_strings() {
        let list = [
            kv("a", Any::StringValue("1".into())),
            kv("a", Any::StringValue("2".into())),
            kv("n", Any::StringValue("503".into())),
            kv("d", Any::DoubleValue(200.0)),
        ];
        let attrs = Attributes::new(&list);
        assert_eq!(attrs.str("a"), Some("2"));
        assert_eq!(attrs.int("n"), Some(503));
        assert_eq!(attrs.int("d"), Some(200));
        assert_eq!(attrs.int("a"), Some(2));
    }

    #[test]
    fn deep_values_are_summarised() {
        let mut value = AnyValue { value: Some(Any::StringValue("leaf".into())) };
        for _ in 0..50 {
            value = AnyValue { value: Some(Any::ArrayValue(ArrayValue { values: vec![value] })) };
        }
        let rendered = json(&value, 0).to_string();
        assert!(rendered.contains("[1 values]"));
        assert!(!rendered.contains("leaf"));
        let map =
            AnyValue { value: Some(Any::KvlistValue(KeyValueList { values: vec![kv("k", Any::BoolValue(true))] })) };
        assert_eq!(json(&map, 0), serde_json::json!({"k": true}));
    }

    #[test]
    fn consumed_keys_leave_the_metadata() {
        let list = [kv("http.method", Any::StringValue("GET".into())), kv("team", Any::StringValue("shop".into()))];
        let mut attrs = Attributes::new(&list);
        attrs.consume(&["http.method"]);
        assert_eq!(Value::Object(attrs.to_json("")), serde_json::json!({"team": "shop"}));
    }
}
