//! `AWS::Config::ResourceCompliance` items: as AWS Config does, every change of a resource's compliance is also
//! recorded as a configuration item of its own (resource id `<type>/<id>`, related to the resource), so that the
//! resource's timeline, GetResourceConfigHistory and advanced queries (`configuration.complianceType`,
//! `configuration.configRuleList.complianceType`) see compliance over time.

use std::collections::BTreeMap;

use serde_json::json;
use skywatch_configrules::Compliance;
use skywatch_store::{Tx, WriteError};

use super::model::summarize;
use crate::model::{ITEM_VERSION, Item, ItemStatus, Relationship};
use crate::storage::{Resource, item_at_in, resource_in, write_item};

/// The resource type of compliance items.
pub const RESOURCE_COMPLIANCE: &str = "AWS::Config::ResourceCompliance";

/// The id of a resource's compliance item.
pub fn compliance_id(resource_type: &str, resource_id: &str) -> String {
    format!("{resource_type}/{resource_id}")
}

/// Records the compliance of a resource whose rules' results now stand at `rules`, at `now_ms` (later when an item
/// already holds that millisecond), inside the commit that changed them.
pub fn record_in(
    tx: &mut Tx<'_>,
    scope: (&str, &str),
    (resource_type, resource_id): (&str, &str),
    rules: &BTreeMap<String, Compliance>,
    now_ms: i64,
) -> Result<(), WriteError> {
    let id = compliance_id(resource_type, resource_id);
    let previous = resource_in(tx, scope, RESOURCE_COMPLIANCE, &id)?;
    let mut capture_ms = previous.as_ref().map_or(now_ms, |p| now_ms.max(p.last_capture_ms.saturating_add(1)));
    // Bounded: an item per millisecond a resource's compliance changes in.
    for _ in 0..1_000 {
        if !item_at_in(tx, scope, (RESOURCE_COMPLIANCE, &id), capture_ms)? {
            break;
        }
        capture_ms += 1;
    }
    let gone = rules.is_empty();
    let configuration = json!({
        "complianceType": summarize(rules.values()).as_str(),
        "configRuleList": rules
            .iter()
            .map(|(name, compliance)| json!({"configRuleName": name, "complianceType": compliance.as_str()}))
            .collect::<Vec<_>>(),
        "targetResourceType": resource_type,
        "targetResourceId": resource_id,
    });
    let item = Item {
        version: ITEM_VERSION.into(),
        account_id: scope.0.to_owned(),
        aws_region: scope.1.to_owned(),
        resource_type: RESOURCE_COMPLIANCE.into(),
        resource_id: id.clone(),
        resource_name: None,
        arn: None,
        availability_zone: None,
        capture_ms,
        status: match (&previous, gone) {
            (_, true) => ItemStatus::ResourceDeleted,
            (Some(p), false) if p.deleted_ms.is_none() => ItemStatus::Ok,
            _ => ItemStatus::ResourceDiscovered,
        },
        resource_creation_ms: None,
        tags: BTreeMap::new(),
        related_events: Vec::new(),
        relationships: vec![Relationship {
            resource_type: resource_type.to_owned(),
            resource_id: resource_id.to_owned(),
            resource_name: None,
            relationship_name: "Is associated with".into(),
        }],
        configuration: (!gone).then_some(configuration),
        supplementary: BTreeMap::new(),
        schema_version_id: None,
    };
    let resource = Resource {
        resource_type: RESOURCE_COMPLIANCE.into(),
        resource_id: id,
        resource_name: None,
        last_capture_ms: capture_ms,
        deleted_ms: gone.then_some(capture_ms),
        compliance: None,
        rule_compliance: BTreeMap::new(),
    };
    write_item(tx, &item, &resource)
}
