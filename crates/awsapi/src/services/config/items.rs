//! Configuration items in the API's shapes: `ConfigurationItem` (GetResourceConfigHistory) and
//! `BaseConfigurationItem` (BatchGetResourceConfig), with `configuration` and each supplementary value as JSON text.

use serde_json::{Map, Value, json};
use skywatch_core::config::model::{Item, NOT_APPLICABLE};

use super::seconds;

fn base(item: &Item) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("version".into(), json!(item.version));
    out.insert("accountId".into(), json!(item.account_id));
    out.insert("configurationItemCaptureTime".into(), seconds(item.capture_ms));
    out.insert("configurationItemStatus".into(), json!(item.status.as_str()));
    out.insert("configurationStateId".into(), json!(item.state_id()));
    if let Some(arn) = &item.arn {
        out.insert("arn".into(), json!(arn));
    }
    out.insert("resourceType".into(), json!(item.resource_type));
    out.insert("resourceId".into(), json!(item.resource_id));
    if let Some(name) = &item.resource_name {
        out.insert("resourceName".into(), json!(name));
    }
    out.insert("awsRegion".into(), json!(item.aws_region));
    out.insert("availabilityZone".into(), json!(item.availability_zone.as_deref().unwrap_or(NOT_APPLICABLE)));
    if let Some(created) = item.resource_creation_ms {
        out.insert("resourceCreationTime".into(), seconds(created));
    }
    if let Some(configuration) = &item.configuration {
        out.insert("configuration".into(), json!(configuration.to_string()));
    }
    let supplementary: Map<String, Value> = item
        .supplementary
        .iter()
        .map(|(k, v)| (k.clone(), json!(v.as_str().map_or_else(|| v.to_string(), str::to_owned))))
        .collect();
    out.insert("supplementaryConfiguration".into(), Value::Object(supplementary));
    out.insert("recordingFrequency".into(), json!("CONTINUOUS"));
    out
}

/// A `ConfigurationItem`.
pub fn configuration_item(item: &Item) -> Value {
    let mut out = base(item);
    out.insert("configurationItemMD5Hash".into(), json!(""));
    out.insert("tags".into(), json!(item.tags));
    out.insert("relatedEvents".into(), json!(item.related_events));
    let relationships: Vec<Value> = item
        .relationships
        .iter()
        .map(|r| {
            let mut one = json!({
                "resourceType": r.resource_type,
                "resourceId": r.resource_id,
                "relationshipName": r.relationship_name,
            });
            if let Some(name) = &r.resource_name {
                one["resourceName"] = json!(name);
            }
            one
        })
        .collect();
    out.insert("relationships".into(), Value::Array(relationships));
    Value::Object(out)
}

/// A `BaseConfigurationItem`.
pub fn base_configuration_item(item: &Item) -> Value {
    Value::Object(base(item))
}
