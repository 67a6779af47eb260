//! Config rules as Skywatch keeps them: the rule (its scope, source, parameters, frequency and evaluation
//! status), one rule's evaluation of one resource, and a compliance change kept for the timeline.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
pub use skywatch_configrules::Compliance;

/// `Source.Owner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    #[serde(rename = "AWS")]
    Aws,
    #[serde(rename = "CUSTOM_LAMBDA")]
    CustomLambda,
    #[serde(rename = "CUSTOM_POLICY")]
    CustomPolicy,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Aws => "AWS",
            Owner::CustomLambda => "CUSTOM_LAMBDA",
            Owner::CustomPolicy => "CUSTOM_POLICY",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Owner::Aws, Owner::CustomLambda, Owner::CustomPolicy].into_iter().find(|o| o.as_str() == text)
    }
}

/// What triggers a custom rule (`SourceDetails`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceDetail {
    /// `ConfigurationItemChangeNotification`, `OversizedConfigurationItemChangeNotification`,
    /// `ScheduledNotification` or `ConfigurationSnapshotDeliveryCompleted`.
    pub message_type: String,
    #[serde(default)]
    pub maximum_execution_frequency: Option<String>,
}

/// A custom policy rule's Guard text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub runtime: String,
    pub text: String,
    #[serde(default)]
    pub debug_log: bool,
}

/// `Source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub owner: Owner,
    /// The managed rule's identifier, or the custom rule's function (a Lambda ARN, or the URL of a webhook
    /// standing in for one).
    #[serde(default)]
    pub identifier: Option<String>,
    #[serde(default)]
    pub details: Vec<SourceDetail>,
    #[serde(default)]
    pub policy: Option<Policy>,
}

/// `Scope`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    #[serde(default)]
    pub resource_types: Vec<String>,
    #[serde(default)]
    pub tag_key: Option<String>,
    #[serde(default)]
    pub tag_value: Option<String>,
    #[serde(default)]
    pub resource_id: Option<String>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self.resource_types.is_empty() && self.tag_key.is_none() && self.resource_id.is_none()
    }
}

/// DescribeConfigRuleEvaluationStatus's facts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleStatus {
    #[serde(default)]
    pub first_activated_ms: Option<i64>,
    #[serde(default)]
    pub last_successful_invocation_ms: Option<i64>,
    #[serde(default)]
    pub last_failed_invocation_ms: Option<i64>,
    #[serde(default)]
    pub last_successful_evaluation_ms: Option<i64>,
    #[serde(default)]
    pub last_failed_evaluation_ms: Option<i64>,
    #[serde(default)]
    pub last_error: Option<(String, String)>,
    #[serde(default)]
    pub first_evaluation_started: bool,
    /// A run over every resource in scope was asked for (PutConfigRule, StartConfigRulesEvaluation) at this time.
    #[serde(default)]
    pub run_requested_ms: Option<i64>,
    /// When the periodic run is next due.
    #[serde(default)]
    pub next_periodic_ms: Option<i64>,
}

/// A Config rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub name: String,
    pub arn: String,
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub scope: Scope,
    pub source: Source,
    #[serde(default)]
    pub input_parameters: Option<String>,
    #[serde(default)]
    pub maximum_execution_frequency: Option<String>,
    /// `ACTIVE`, `EVALUATING`, `DELETING`.
    pub state: String,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub status: RuleStatus,
}

/// One rule's evaluation of one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub rule: String,
    pub resource_type: String,
    pub resource_id: String,
    pub compliance: Compliance,
    #[serde(default)]
    pub annotation: Option<String>,
    /// `OrderingTimestamp`: the time of the item (or event) the evaluation is about.
    pub ordering_ms: i64,
    /// `ResultRecordedTime`.
    pub recorded_ms: i64,
    /// `ConfigRuleInvokedTime`.
    pub invoked_ms: i64,
}

/// A resource's compliance under one rule changing, kept over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceChange {
    pub rule: String,
    pub resource_type: String,
    pub resource_id: String,
    pub time_ms: i64,
    pub compliance: Compliance,
    #[serde(default)]
    pub previous: Option<Compliance>,
    #[serde(default)]
    pub annotation: Option<String>,
}

/// A resource's compliance over all its rules, as AWS Config sums it up: non-compliant if any rule says so,
/// compliant if some rule says so and none says otherwise, insufficient data when no rule has a result.
pub fn summarize<'a>(compliances: impl IntoIterator<Item = &'a Compliance>) -> Compliance {
    let mut summary = Compliance::InsufficientData;
    for compliance in compliances {
        match compliance {
            Compliance::NonCompliant => return Compliance::NonCompliant,
            Compliance::Compliant => summary = Compliance::Compliant,
            Compliance::NotApplicable if summary == Compliance::InsufficientData => summary = Compliance::NotApplicable,
            _ => {}
        }
    }
    summary
}
