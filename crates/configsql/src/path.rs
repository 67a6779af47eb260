//! Reading a property path out of a configuration item. A path crosses arrays at any depth (each element is
//! followed), and an array at its end stands for its elements, as AWS indexes them: `tags.key` reaches every tag's
//! key, `configuration.ipPermissions.ipRanges` every range of every permission. `tags.tag` is derived: each tag's
//! `key=value`.

use serde_json::Value;

use crate::ast::Path;

/// How many arrays inside arrays a walk follows; deeper ones are not looked into.
const MAX_ARRAY_NESTING: usize = 32;

/// Calls `visit` with each value `path` reaches in `item` until it returns `true`; whether one did.
pub fn any(item: &Value, path: &Path, visit: &mut dyn FnMut(&Value) -> bool) -> bool {
    let segments = path.segments();
    let derived_tag = segments.len() == 2 && segments[0] == "tags" && segments[1] == "tag";
    if derived_tag && let Some(tags) = item.get("tags") {
        return each_tag(tags, 0, visit);
    }
    walk(item, segments, 0, visit)
}

/// Calls `visit` with every value `path` reaches in `item`.
pub fn for_each(item: &Value, path: &Path, visit: &mut dyn FnMut(&Value)) {
    any(item, path, &mut |value| {
        visit(value);
        false
    });
}

fn walk(value: &Value, segments: &[String], nesting: usize, visit: &mut dyn FnMut(&Value) -> bool) -> bool {
    match (value, segments.split_first()) {
        (Value::Array(elements), _) => {
            nesting < MAX_ARRAY_NESTING && elements.iter().any(|element| walk(element, segments, nesting + 1, visit))
        }
        (_, None) => visit(value),
        (Value::Object(map), Some((first, rest))) => {
            map.get(first).is_some_and(|child| walk(child, rest, nesting, visit))
        }
        _ => false,
    }
}

/// Each tag's `key=value` (a stored `tag` member wins).
fn each_tag(tags: &Value, nesting: usize, visit: &mut dyn FnMut(&Value) -> bool) -> bool {
    match tags {
        Value::Array(elements) => {
            nesting < MAX_ARRAY_NESTING && elements.iter().any(|element| each_tag(element, nesting + 1, visit))
        }
        Value::Object(tag) => match tag.get("tag") {
            Some(stored) => walk(stored, &[], nesting, visit),
            None => derived_tag(tag).is_some_and(|derived| visit(&derived)),
        },
        _ => false,
    }
}

/// `key=value` for a tag object with a string key (a missing or null value reads as empty).
pub fn derived_tag(tag: &serde_json::Map<String, Value>) -> Option<Value> {
    let key = tag.get("key")?.as_str()?;
    let value = match tag.get("value") {
        Some(Value::String(value)) => value.as_str(),
        Some(Value::Null) | None => "",
        Some(_) => return None,
    };
    Some(Value::String(format!("{key}={value}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(item: &Value, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for_each(item, &Path::parse(path).unwrap(), &mut |v| out.push(v.clone()));
        out
    }

    #[test]
    fn paths_cross_arrays_and_flatten_their_ends() {
        let item = json!({
            "resourceId": "sg-1",
            "configuration": {"ipPermissions": [
                {"fromPort": 22, "ipRanges": ["10.0.0.0/8", "0.0.0.0/0"]},
                {"fromPort": 443, "ipRanges": []},
                {"ipRanges": [["1.2.3.4/32"]]}
            ]},
            "tags": [{"key": "env", "value": "prod"}, {"key": "team", "value": null}]
        });
        assert_eq!(values(&item, "resourceId"), [json!("sg-1")]);
        assert_eq!(values(&item, "configuration.ipPermissions.fromPort"), [json!(22), json!(443)]);
        assert_eq!(
            values(&item, "configuration.ipPermissions.ipRanges"),
            [json!("10.0.0.0/8"), json!("0.0.0.0/0"), json!("1.2.3.4/32")]
        );
        assert_eq!(values(&item, "tags.key"), [json!("env"), json!("team")]);
        assert_eq!(values(&item, "tags.tag"), [json!("env=prod"), json!("team=")]);
        assert!(values(&item, "configuration.missing").is_empty());
        assert!(values(&item, "resourceId.more").is_empty());
        assert_eq!(values(&item, "configuration.ipPermissions").len(), 3);
    }

    #[test]
    fn any_stops_at_the_first_match() {
        let item = json!({"a": [1, 2, 3, 4]});
        let mut seen = 0;
        assert!(any(&item, &Path::parse("a").unwrap(), &mut |v| {
            seen += 1;
            v == &json!(2)
        }));
        assert_eq!(seen, 2);
    }

    #[test]
    fn deep_array_nesting_is_not_followed_forever() {
        let mut value = json!("x");
        for _ in 0..100 {
            value = Value::Array(vec![value]);
        }
        let item = json!({ "a": value });
        assert!(values(&item, "a").is_empty());
    }
}
