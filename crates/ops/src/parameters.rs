//! CloudTrail's `requestParameters`: the typed input serialised with member names in lower-camel case (as AWS
//! records them, e.g. `dashboardName`), left out when larger than CloudTrail keeps.

use serde::Serialize;
use serde_json::Value;

/// Parameters whose JSON is larger than this are left out of the record, as CloudTrail leaves out oversized
/// ones. Serialisation stops at the limit, so a large input costs no more than this to audit.
pub const MAX_AUDITED_PARAMETER_BYTES: usize = 16 * 1024;

/// Parameters nested deeper than this are left out too: every record must be readable back (serde_json reads
/// at most 128 levels, and the record wraps the parameters in a few of its own).
pub const MAX_AUDITED_PARAMETER_DEPTH: usize = 32;

/// Whether `value` nests objects and arrays at most `limit` deep (walked without recursion).
pub fn within_depth(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Object(fields) => Box::new(fields.values()),
            Value::Array(items) => Box::new(items.iter()),
            _ => continue,
        };
        if depth >= limit {
            return false;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    true
}

/// A writer that refuses to grow past the limit.
struct Bounded(Vec<u8>);

impl std::io::Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + bytes.len() > MAX_AUDITED_PARAMETER_BYTES {
            return Err(std::io::Error::other("over the audit limit"));
        }
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `input` as CloudTrail's `requestParameters`, or None when it is over [`MAX_AUDITED_PARAMETER_BYTES`] or
/// [`MAX_AUDITED_PARAMETER_DEPTH`].
pub fn audited_parameters(input: &impl Serialize) -> Option<Value> {
    let mut out = Bounded(Vec::with_capacity(256));
    serde_json::to_writer(&mut out, input).ok()?;
    let value: Value = serde_json::from_slice(&out.0).ok()?;
    if !within_depth(&value, MAX_AUDITED_PARAMETER_DEPTH) {
        return None;
    }
    match value {
        Value::Null => None,
        Value::Object(fields) if fields.is_empty() => None,
        other => Some(other),
    }
}

/// A copy of `value` whose object keys start with a lower-case letter (`DashboardName` -> `dashboardName`), for
/// requests the edge could not decode into a typed input; None when over [`MAX_AUDITED_PARAMETER_BYTES`] or
/// [`MAX_AUDITED_PARAMETER_DEPTH`] (so the conversion below recurses at most that deep).
pub fn camel_case_keys(value: &Value, encoded_len: usize) -> Option<Value> {
    if encoded_len > MAX_AUDITED_PARAMETER_BYTES || !within_depth(value, MAX_AUDITED_PARAMETER_DEPTH) {
        return None;
    }
    fn convert(value: &Value) -> Value {
        match value {
            Value::Object(fields) => {
                Value::Object(fields.iter().map(|(key, value)| (lower_first(key), convert(value))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
            other => other.clone(),
        }
    }
    Some(convert(value))
}

fn lower_first(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Input {
        dashboard_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }

    #[test]
    fn inputs_are_recorded_in_camel_case_and_large_ones_left_out() {
        let small = Input { dashboard_name: "d1".into(), next_token: None };
        assert_eq!(audited_parameters(&small), Some(json!({ "dashboardName": "d1" })));
        let large = Input { dashboard_name: "x".repeat(MAX_AUDITED_PARAMETER_BYTES), next_token: None };
        assert_eq!(audited_parameters(&large), None);
    }

    #[test]
    fn wire_parameters_get_lower_case_first_letters() {
        let wire = json!({ "DashboardNames": ["A"], "MetricData": [{ "MetricName": "M" }] });
        let expected = json!({ "dashboardNames": ["A"], "metricData": [{ "metricName": "M" }] });
        assert_eq!(camel_case_keys(&wire, 10), Some(expected));
        assert_eq!(camel_case_keys(&wire, MAX_AUDITED_PARAMETER_BYTES + 1), None);
    }

    /// Issue 10: a 127-level parameter was recorded and then made every LookupEvents page unreadable.
    #[test]
    fn deep_parameters_are_left_out() {
        let nest = |depth: usize| -> Value {
            let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            serde_json::from_str(&text).unwrap()
        };
        assert_eq!(camel_case_keys(&json!({ "A": nest(30) }), 10).map(|v| within_depth(&v, 31)), Some(true));
        assert_eq!(camel_case_keys(&json!({ "A": nest(120) }), 10), None);
        assert!(within_depth(&json!(1), 0));
        assert!(!within_depth(&json!([]), 0));
        assert!(within_depth(&nest(32), 32) && !within_depth(&nest(33), 32));
    }
}
