//! Buses and rules as they are stored.

use serde::{Deserialize, Serialize};

/// The name of every account's default bus in every region.
pub const DEFAULT_BUS: &str = "default";

/// A custom event bus (the default bus is stored only once something is set on it, such as a policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventBus {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The resource policy, a JSON document, when one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_arn: Option<String>,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

impl EventBus {
    /// A bus with nothing set on it but its name, made at `now_ms`.
    pub fn new(name: &str, now_ms: i64) -> Self {
        EventBus {
            name: name.to_owned(),
            description: None,
            policy: None,
            event_source_name: None,
            kms_key_identifier: None,
            dead_letter_arn: None,
            tags: Vec::new(),
            created_ms: now_ms,
            modified_ms: now_ms,
        }
    }
}

/// Whether a rule acts on what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleState {
    Enabled,
    Disabled,
    EnabledWithAllCloudtrailManagementEvents,
}

impl RuleState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleState::Enabled => "ENABLED",
            RuleState::Disabled => "DISABLED",
            RuleState::EnabledWithAllCloudtrailManagementEvents => "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        }
    }

    /// The state a wire name names.
    pub fn parse(text: &str) -> Option<RuleState> {
        [RuleState::Enabled, RuleState::Disabled, RuleState::EnabledWithAllCloudtrailManagementEvents]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Whether the rule matches events.
    pub fn is_enabled(self) -> bool {
        self != RuleState::Disabled
    }
}

/// A rule on a bus: an event pattern, a schedule (default bus only), or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    pub bus: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_expression: Option<String>,
    pub state: RuleState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// The account that created the rule.
    pub created_by: String,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    pub created_ms: i64,
}

/// Where a rule sends what it matches, and in what form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Target {
    pub id: String,
    pub arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// A constant JSON text sent instead of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The part of the event sent (a JSON path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_transformer: Option<InputTransformer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<RetryPolicy>,
    /// Where events that cannot be delivered go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_arn: Option<String>,
}

/// Values taken from the event by JSON path, put into a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InputTransformer {
    /// Placeholder name to JSON path, in the order given.
    #[serde(default)]
    pub paths: Vec<(String, String)>,
    pub template: String,
}

/// How long and how often a failed delivery is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RetryPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_retry_attempts: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_event_age_seconds: Option<i64>,
}
