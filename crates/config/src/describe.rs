//! How the recorder learns a resource's current state. Skywatch's own resources (alarms, dashboards, topics,
//! ...) are described by their engines through [`Describe`], which `core` implements over the store; resources
//! reported by third parties are described from what PutResourceConfig stored ([`reported`]).

use std::collections::BTreeMap;

use serde_json::Value;
use skywatch_store::{ReadError, Reader};

use crate::model::Relationship;
use crate::storage;

/// A resource's identity, from the ARN a call named it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub resource_id: String,
    pub resource_name: Option<String>,
    pub arn: Option<String>,
}

/// A resource's current state.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub identity: Identity,
    pub configuration: Value,
    pub supplementary: BTreeMap<String, Value>,
    pub tags: BTreeMap<String, String>,
    pub relationships: Vec<Relationship>,
    pub created_ms: Option<i64>,
    pub schema_version_id: Option<String>,
}

/// Describes the resource types of Skywatch's own engines.
pub trait Describe: Send + Sync + 'static {
    /// The resource types this describer knows.
    fn resource_types(&self) -> &'static [&'static str];

    /// The identity of the resource `arn` names, if it is one of this describer's types.
    fn identify(&self, resource_type: &str, arn: &str) -> Option<Identity>;

    /// The resource's current state, or None once it is gone.
    fn describe(
        &self,
        reader: &Reader,
        scope: (&str, &str),
        resource_type: &str,
        identity: &Identity,
    ) -> Result<Option<Described>, ReadError>;

    /// Every resource of `resource_type` in an account and region (the discovery when a recorder starts),
    /// at most `limit`.
    fn list(
        &self,
        reader: &Reader,
        scope: (&str, &str),
        resource_type: &str,
        limit: usize,
    ) -> Result<Vec<Identity>, ReadError>;
}

/// A describer of nothing (tests, and engines that record only third-party resources).
pub struct Nothing;

impl Describe for Nothing {
    fn resource_types(&self) -> &'static [&'static str] {
        &[]
    }

    fn identify(&self, _: &str, _: &str) -> Option<Identity> {
        None
    }

    fn describe(&self, _: &Reader, _: (&str, &str), _: &str, _: &Identity) -> Result<Option<Described>, ReadError> {
        Ok(None)
    }

    fn list(&self, _: &Reader, _: (&str, &str), _: &str, _: usize) -> Result<Vec<Identity>, ReadError> {
        Ok(Vec::new())
    }
}

/// A third-party resource's state from what PutResourceConfig stored; None once DeleteResourceConfig ran.
pub fn reported(
    reader: &Reader,
    scope: (&str, &str),
    resource_type: &str,
    resource_id: &str,
) -> Result<Option<Described>, ReadError> {
    let Some(reported) = storage::reported(reader, scope, resource_type, resource_id)? else { return Ok(None) };
    if reported.deleted {
        return Ok(None);
    }
    let mut configuration =
        serde_json::from_str(&reported.configuration).unwrap_or(Value::String(reported.configuration));
    // A reported configuration may carry the supplementary configuration AWS Config records beside it (an S3
    // bucket's ACL and public access block): it becomes the item's.
    let supplementary = match configuration.as_object_mut().and_then(|c| c.remove("supplementaryConfiguration")) {
        Some(Value::Object(map)) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    };
    let relationships = relationships_of(&configuration);
    Ok(Some(Described {
        identity: Identity { resource_id: reported.resource_id, resource_name: reported.resource_name, arn: None },
        configuration,
        supplementary,
        tags: reported.tags,
        relationships,
        created_ms: Some(reported.created_ms),
        schema_version_id: Some(reported.schema_version_id),
    }))
}

/// Relationships implied by well-known members of a reported configuration (an EC2 resource's `vpcId`,
/// `subnetId`, `groupId`s of its security groups), as AWS Config records them for EC2.
pub fn relationships_of(configuration: &Value) -> Vec<Relationship> {
    let mut found = Vec::new();
    let text = |key: &str| configuration.get(key).and_then(Value::as_str).map(str::to_owned);
    if let Some(vpc) = text("vpcId") {
        found.push(Relationship {
            resource_type: "AWS::EC2::VPC".into(),
            resource_id: vpc,
            resource_name: None,
            relationship_name: "Is contained in Vpc".into(),
        });
    }
    if let Some(subnet) = text("subnetId") {
        found.push(Relationship {
            resource_type: "AWS::EC2::Subnet".into(),
            resource_id: subnet,
            resource_name: None,
            relationship_name: "Is contained in Subnet".into(),
        });
    }
    if let Some(groups) = configuration.get("securityGroups").and_then(Value::as_array) {
        for group in groups {
            if let Some(id) = group.get("groupId").and_then(Value::as_str) {
                found.push(Relationship {
                    resource_type: "AWS::EC2::SecurityGroup".into(),
                    resource_id: id.to_owned(),
                    resource_name: group.get("groupName").and_then(Value::as_str).map(str::to_owned),
                    relationship_name: "Is associated with SecurityGroup".into(),
                });
            }
        }
    }
    found
}
