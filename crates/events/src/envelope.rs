//! The event as EventBridge delivers it: the envelope around an entry's detail, in AWS's key order and compact
//! form (`{"version":"0","id":…,"detail-type":…,"source":…,"account":…,"time":…,"region":…,"resources":[…],
//! "detail":{…}}`, `replay-name` between `region` and `resources` for a replayed event), and the checks PutEvents
//! makes of a detail.

use serde::de::IgnoredAny;

/// What an event is made of before it has an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventParts<'a> {
    pub id: &'a str,
    pub detail_type: &'a str,
    pub source: &'a str,
    pub account: &'a str,
    /// The event's time, epoch milliseconds (delivered in whole seconds).
    pub time_ms: i64,
    pub region: &'a str,
    pub replay_name: Option<&'a str>,
    pub resources: &'a [String],
    /// The detail, a JSON object already checked by [`check_detail`] and made compact by [`compact`].
    pub detail: &'a str,
}

/// The event's JSON text.
pub fn envelope(parts: &EventParts<'_>) -> String {
    let mut out =
        String::with_capacity(160 + parts.detail.len() + parts.resources.iter().map(String::len).sum::<usize>());
    out.push_str(r#"{"version":"0","id":"#);
    push_string(&mut out, parts.id);
    out.push_str(r#","detail-type":"#);
    push_string(&mut out, parts.detail_type);
    out.push_str(r#","source":"#);
    push_string(&mut out, parts.source);
    out.push_str(r#","account":"#);
    push_string(&mut out, parts.account);
    out.push_str(r#","time":"#);
    push_string(&mut out, &iso_seconds(parts.time_ms));
    out.push_str(r#","region":"#);
    push_string(&mut out, parts.region);
    if let Some(replay) = parts.replay_name {
        out.push_str(r#","replay-name":"#);
        push_string(&mut out, replay);
    }
    out.push_str(r#","resources":["#);
    for (index, resource) in parts.resources.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_string(&mut out, resource);
    }
    out.push_str(r#"],"detail":"#);
    out.push_str(parts.detail);
    out.push('}');
    out
}

fn push_string(out: &mut String, text: &str) {
    // Serialising a &str cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// A replayed copy of `event` (an envelope this module made): a new `id`, and `replay-name` between `region` and
/// `resources`, as EventBridge replays events; everything else is kept byte for byte (numbers as written). `None`
/// if `event` is not such an envelope.
pub fn replayed(event: &str, id: &str, replay_name: &str) -> Option<String> {
    const HEAD: &str = r#"{"version":"0","id":"#;
    let rest = event.strip_prefix(HEAD)?;
    // The old id is a JSON string: it ends at the first quote that no backslash escapes.
    let bytes = rest.as_bytes();
    let mut end = 1;
    while end < bytes.len() && (bytes[end] != b'"' || bytes[end - 1] == b'\\') {
        end += 1;
    }
    let after_id = rest.get(end + 1..)?;
    // Inside strings every quote is escaped, so the first unescaped `,"resources":[` is the envelope's own.
    let at = after_id.find(r#","resources":["#)?;
    let (middle, tail) = after_id.split_at(at);
    let middle = match middle.find(r#","replay-name":"#) {
        Some(old) => &middle[..old],
        None => middle,
    };
    let mut out = String::with_capacity(event.len() + replay_name.len() + 32);
    out.push_str(HEAD);
    push_string(&mut out, id);
    out.push_str(middle);
    out.push_str(r#","replay-name":"#);
    push_string(&mut out, replay_name);
    out.push_str(tail);
    Some(out)
}

/// A time as events carry it: `2026-12-08T01:02:03Z`, whole seconds.
pub fn iso_seconds(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms.div_euclid(1000) * 1000)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Whether `detail` is what PutEvents takes: a JSON object (an array, a string or a malformed text is not).
pub fn check_detail(detail: &str) -> bool {
    if !detail.trim_start().starts_with('{') {
        return false;
    }
    let mut reader = serde_json::Deserializer::from_str(detail);
    serde::Deserialize::deserialize(&mut reader).map(|_: IgnoredAny| ()).is_ok() && reader.end().is_ok()
}

/// A valid JSON text without the whitespace between its tokens (strings and numbers are kept as written).
pub fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_has_aws_key_order_and_compact_form() {
        let resources = vec!["arn:aws:s3:::b".to_owned()];
        let detail = compact("{ \"b\" : 1,\n \"a\": \"x y\" , \"n\": 1.50 }");
        let parts = EventParts {
            id: "e1",
            detail_type: "Order Placed",
            source: "shop",
            account: "111122223333",
            time_ms: 1_765_000_000_999,
            region: "us-east-1",
            replay_name: None,
            resources: &resources,
            detail: &detail,
        };
        assert_eq!(
            envelope(&parts),
            r#"{"version":"0","id":"e1","detail-type":"Order Placed","source":"shop","account":"111122223333","time":"2025-12-06T05:46:40Z","region":"us-east-1","resources":["arn:aws:s3:::b"],"detail":{"b":1,"a":"x y","n":1.50}}"#
        );
        let replayed = envelope(&EventParts { replay_name: Some("r1"), resources: &[], ..parts });
        assert!(replayed.contains(r#""region":"us-east-1","replay-name":"r1","resources":[]"#), "{replayed}");
        let value: serde_json::Value = serde_json::from_str(&replayed).unwrap();
        assert_eq!(value["detail"]["a"], "x y");
        // A replay of the archived event: a new id, the name after the region, nothing else moved.
        let again = super::replayed(&envelope(&parts), "e2", "fix-1").unwrap();
        assert_eq!(
            again,
            envelope(&EventParts { id: "e2", replay_name: Some("fix-1"), ..parts.clone() }),
            "the same text as an envelope made with the replay's name"
        );
    }

    #[test]
    fn a_detail_is_a_json_object() {
        // The EventBridge snapshots' malformed details (issue 16).
        for bad in ["NotJSON", "[]", "{{}", "\"\\\"NotJSON\\\"\"", "", "{} x", "{\"a\":}"] {
            assert!(!check_detail(bad), "{bad}");
        }
        for good in ["{}", " {\"a\": [1, {\"b\": null}]} ", "{\"k\":\"{not json}\"}"] {
            assert!(check_detail(good), "{good}");
        }
    }

    #[test]
    fn compact_keeps_strings_with_spaces_and_escapes() {
        assert_eq!(compact(r#"{ "a b" : "c \" d\\" , "e":[ 1 , 2 ] }"#), r#"{"a b":"c \" d\\","e":[1,2]}"#);
    }
}
