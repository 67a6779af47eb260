//! Aggregators and aggregation authorizations as Skywatch keeps them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `AccountAggregationSource`: accounts, and either every region (`AllAwsRegions`) or the regions listed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSource {
    pub account_ids: Vec<String>,
    #[serde(default)]
    pub all_aws_regions: bool,
    #[serde(default)]
    pub aws_regions: Vec<String>,
}

/// `AggregatorFilters`: the INCLUDE lists of resource types and of service principals, when given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregatorFilters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principals: Option<Vec<String>>,
}

impl AggregatorFilters {
    pub fn is_empty(&self) -> bool {
        self.resource_types.is_none() && self.service_principals.is_none()
    }

    /// Whether data about a resource of `resource_type` is aggregated (an INCLUDE list of resource types leaves
    /// out every other type; service principals select service-linked recorders, which Skywatch has none of).
    pub fn includes(&self, resource_type: &str) -> bool {
        self.resource_types.as_ref().is_none_or(|types| types.iter().any(|t| t == resource_type))
    }
}

/// A configuration aggregator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Aggregator {
    pub name: String,
    pub arn: String,
    /// At most one (AWS's model).
    #[serde(default)]
    pub account_sources: Vec<AccountSource>,
    #[serde(default)]
    pub filters: AggregatorFilters,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// Set when the aggregator was created; PutConfigurationAggregator does not change them afterwards.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// An aggregation authorization: the account and region it is stored in (the source) let `authorized_account` in
/// `authorized_region` aggregate their data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    pub arn: String,
    pub authorized_account: String,
    pub authorized_region: String,
    pub created_ms: i64,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// `LastUpdateStatus` of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceState {
    #[serde(rename = "SUCCEEDED")]
    Succeeded,
    #[serde(rename = "FAILED")]
    Failed,
    #[serde(rename = "OUTDATED")]
    Outdated,
}

impl SourceState {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceState::Succeeded => "SUCCEEDED",
            SourceState::Failed => "FAILED",
            SourceState::Outdated => "OUTDATED",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [SourceState::Failed, SourceState::Succeeded, SourceState::Outdated].into_iter().find(|s| s.as_str() == text)
    }
}

/// The error a source that has not authorized the aggregator reports (`LastErrorCode`).
pub const NOT_AUTHORIZED_CODE: &str = "AccessDeniedException";
