//! The document a custom policy rule's Guard text is evaluated against: the configuration item with
//! every field the API's `ConfigurationItem` has (`resourceType`, `resourceId`, `configuration`,
//! `supplementaryConfiguration`, `tags`, `relationships`, ...), the JSON text AWS Config records in
//! `configuration` and in `supplementaryConfiguration` values read as the JSON it holds (AWS's
//! example reads `supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription`),
//! and the rule's input parameters under `CONFIG_RULE_PARAMETERS` (as AWS's samples read them).

use crate::item::embedded;
use serde_json::{Map, Value};

/// The deepest configuration item evaluated (AWS's items nest about a dozen levels; cfn-guard
/// reads documents up to serde_json's limit of 128, and its report nests values further).
pub(super) const MAX_ITEM_DEPTH: usize = 64;

/// The document's JSON text.
pub(super) fn build(item: &Value, parameters: Option<&Map<String, Value>>) -> Result<String, String> {
    let Value::Object(fields) = item else {
        return Err("The configuration item is not a JSON object.".to_string());
    };
    // Checked before anything recurses over the item (copying a value recurses).
    let too_deep = || format!("The configuration item nests more than {MAX_ITEM_DEPTH} levels deep.");
    if exceeds_depth(item, MAX_ITEM_DEPTH) {
        return Err(too_deep());
    }
    let mut document = Map::with_capacity(fields.len() + 1);
    for (key, value) in fields {
        let value = match (key.as_str(), value) {
            ("configuration", v) => embedded(v).map_or(Value::Null, |c| c.into_owned()),
            ("supplementaryConfiguration", Value::Object(entries)) => Value::Object(
                entries.iter().map(|(k, v)| (k.clone(), embedded(v).map_or(Value::Null, |c| c.into_owned()))).collect(),
            ),
            (_, v) => v.clone(),
        };
        document.insert(key.clone(), value);
    }
    if let Some(parameters) = parameters.filter(|p| !p.is_empty()) {
        document.insert("CONFIG_RULE_PARAMETERS".to_string(), Value::Object(parameters.clone()));
    }
    let document = Value::Object(document);
    // Again with the JSON text it held read as JSON.
    if exceeds_depth(&document, MAX_ITEM_DEPTH) {
        return Err(too_deep());
    }
    serde_json::to_string(&document).map_err(|e| format!("The configuration item could not be written: {e}"))
}

/// Whether `value` nests deeper than `limit` (without recursion, whatever its depth).
pub(super) fn exceeds_depth(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth + 1 > limit {
            return true;
        }
        stack.extend(children.map(|c| (c, depth + 1)));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_the_document() {
        let item = json!({
            "resourceType": "AWS::S3::Bucket",
            "configuration": "{\"name\":\"b\"}",
            "supplementaryConfiguration": {"BucketPolicy": "{\"policyText\":null}", "IsRequesterPaysEnabled": false},
            "tags": {"env": "prod"}
        });
        let params = json!({"k": "v"});
        let text = build(&item, params.as_object()).unwrap_or_default();
        let doc: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(doc["configuration"]["name"], json!("b"));
        assert_eq!(doc["supplementaryConfiguration"]["BucketPolicy"], json!({"policyText": null}));
        assert_eq!(doc["supplementaryConfiguration"]["IsRequesterPaysEnabled"], json!(false));
        assert_eq!(doc["CONFIG_RULE_PARAMETERS"]["k"], json!("v"));
        assert!(build(&json!([1]), None).is_err());
    }

    #[test]
    fn depth() {
        let mut v = json!(1);
        for _ in 0..10 {
            v = json!({ "a": v });
        }
        assert!(!exceeds_depth(&v, 10));
        assert!(exceeds_depth(&v, 9));
        assert!(!exceeds_depth(&json!(1), 0));
        assert!(exceeds_depth(&json!([]), 0));
        assert!(!exceeds_depth(&json!([]), 1));
    }
}
