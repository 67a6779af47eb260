//! Reading a configuration item (the API's `ConfigurationItem` shape with `configuration` parsed)
//! tolerantly: fields that AWS Config records as JSON text (`supplementaryConfiguration` values,
//! sometimes `configuration` itself) are read as the JSON they hold, tags in either the map or the
//! list form, booleans and numbers also when recorded as strings.

use serde_json::Value;
use std::borrow::Cow;

/// The `configurationItemStatus` values for which no rule applies: the resource is gone or its
/// configuration was not recorded.
const GONE_STATUSES: [&str; 3] = ["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"];

/// A configuration item being evaluated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    value: &'a Value,
}

impl<'a> Item<'a> {
    pub(crate) fn new(value: &'a Value) -> Item<'a> {
        Item { value }
    }

    pub(crate) fn status(&self) -> Option<&'a str> {
        self.value.get("configurationItemStatus").and_then(Value::as_str)
    }

    /// Whether the item describes a deleted or unrecorded resource (every rule is then
    /// NOT_APPLICABLE to it).
    pub(crate) fn is_gone(&self) -> bool {
        self.status().is_some_and(|s| GONE_STATUSES.contains(&s))
    }

    pub(crate) fn resource_type(&self) -> Option<&'a str> {
        self.value.get("resourceType").and_then(Value::as_str)
    }

    /// The `configuration` object (parsed when recorded as JSON text); `None` when null or absent.
    pub(crate) fn configuration(&self) -> Option<Cow<'a, Value>> {
        self.value.get("configuration").and_then(embedded).filter(|c| !c.is_null())
    }

    /// One `supplementaryConfiguration` entry, parsed when recorded as JSON text.
    pub(crate) fn supplementary(&self, key: &str) -> Option<Cow<'a, Value>> {
        self.value.get("supplementaryConfiguration")?.get(key).and_then(embedded).filter(|c| !c.is_null())
    }

    /// The item's tags as (key, value) pairs: `tags` as a map (the API's shape) or as a list of
    /// `{key, value}` objects.
    pub(crate) fn tags(&self) -> Vec<(&'a str, &'a str)> {
        match self.value.get("tags") {
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap_or(""))).collect(),
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|t| {
                    let key = field(t, &["key", "Key"]).and_then(Value::as_str)?;
                    Some((key, field(t, &["value", "Value"]).and_then(Value::as_str).unwrap_or("")))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A value recorded either as JSON or as JSON text: text that parses as an object or an array is
/// read as what it holds, anything else as itself.
pub(crate) fn embedded(value: &Value) -> Option<Cow<'_, Value>> {
    match value {
        Value::String(text) => {
            let trimmed = text.trim_start();
            if (trimmed.starts_with('{') || trimmed.starts_with('['))
                && let Ok(parsed) = serde_json::from_str::<Value>(text)
            {
                return Some(Cow::Owned(parsed));
            }
            Some(Cow::Borrowed(value))
        }
        other => Some(Cow::Borrowed(other)),
    }
}

/// The first of `names` present (and not null) in the object `value`.
pub(crate) fn field<'v>(value: &'v Value, names: &[&str]) -> Option<&'v Value> {
    names.iter().find_map(|n| value.get(*n).filter(|v| !v.is_null()))
}

/// A boolean, also when recorded as the text "true" or "false" (any case).
pub(crate) fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A number, also when recorded as text.
pub(crate) fn as_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A whole number, also when recorded as text or as a float with no fraction.
pub(crate) fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))
        }
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The strings of a list (a lone string counts as a list of one; other members are skipped).
pub(crate) fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_embedded_json_and_both_tag_shapes() {
        let v = json!({
            "configurationItemStatus": "OK",
            "resourceType": "AWS::S3::Bucket",
            "configuration": "{\"name\":\"b\"}",
            "supplementaryConfiguration": {"A": "{\"x\":1}", "B": {"y": 2}, "C": "plain"},
            "tags": [{"key": "env", "value": "prod"}, {"Key": "team", "Value": "a"}]
        });
        let item = Item::new(&v);
        assert_eq!(item.configuration().and_then(|c| c.get("name").cloned()), Some(json!("b")));
        assert_eq!(item.supplementary("A").and_then(|c| c.get("x").cloned()), Some(json!(1)));
        assert_eq!(item.supplementary("B").and_then(|c| c.get("y").cloned()), Some(json!(2)));
        assert_eq!(item.supplementary("C").map(|c| c.into_owned()), Some(json!("plain")));
        assert_eq!(item.tags(), vec![("env", "prod"), ("team", "a")]);
        let v = json!({"tags": {"env": "prod"}, "configuration": null, "configurationItemStatus": "ResourceDeleted"});
        let item = Item::new(&v);
        assert_eq!(item.tags(), vec![("env", "prod")]);
        assert!(item.configuration().is_none());
        assert!(item.is_gone());
    }

    #[test]
    fn tolerant_scalars() {
        assert_eq!(as_bool(&json!("TRUE")), Some(true));
        assert_eq!(as_bool(&json!(1)), None);
        assert_eq!(as_i64(&json!("42")), Some(42));
        assert_eq!(as_i64(&json!(42.0)), Some(42));
        assert_eq!(as_i64(&json!(42.5)), None);
        assert_eq!(as_f64(&json!("1.5")), Some(1.5));
    }
}
