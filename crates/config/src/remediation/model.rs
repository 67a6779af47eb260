//! Remediation as Skywatch keeps it: a rule's remediation configuration (the action, its parameters, automatic
//! or not, attempts and the time they are spread over) and one resource's execution with every attempt.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Attempts an automatic remediation makes when none is configured.
pub const DEFAULT_ATTEMPTS: u32 = 5;
/// The time attempts are spread over when none is configured (AWS: 60 seconds).
pub const DEFAULT_RETRY_SECONDS: i64 = 60;
/// Attempts kept on one execution.
pub const STEPS_KEPT: usize = 25;

/// One action parameter: the resource's id, or static values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParameterValue {
    ResourceId,
    Static(Vec<String>),
}

/// A rule's remediation configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Remediation {
    pub rule: String,
    pub arn: String,
    /// `SSM_DOCUMENT`.
    pub target_type: String,
    /// The automation document (Skywatch runs the built-in ones it knows), or a webhook URL.
    pub target_id: String,
    #[serde(default)]
    pub target_version: Option<String>,
    #[serde(default)]
    pub parameters: BTreeMap<String, ParameterValue>,
    #[serde(default)]
    pub resource_type: Option<String>,
    pub automatic: bool,
    pub maximum_attempts: u32,
    pub retry_seconds: i64,
    #[serde(default)]
    pub concurrency_percentage: Option<i64>,
    #[serde(default)]
    pub error_percentage: Option<i64>,
}

impl Remediation {
    /// The delay between automatic attempts: the attempts spread over the retry time.
    pub fn retry_delay_ms(&self) -> i64 {
        (self.retry_seconds.saturating_mul(1000) / i64::from(self.maximum_attempts.max(1))).max(1_000)
    }
}

/// `RemediationExecutionState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum State {
    Queued,
    InProgress,
    Succeeded,
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "QUEUED",
            State::InProgress => "IN_PROGRESS",
            State::Succeeded => "SUCCEEDED",
            State::Failed => "FAILED",
        }
    }
}

/// One attempt (`RemediationExecutionStep`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub name: String,
    /// `SUCCEEDED` or `FAILED`.
    pub state: String,
    #[serde(default)]
    pub error: Option<String>,
    pub start_ms: i64,
    pub stop_ms: i64,
}

/// One resource's remediation execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Execution {
    pub rule: String,
    pub resource_type: String,
    pub resource_id: String,
    pub state: State,
    pub attempts: u32,
    pub invoked_ms: i64,
    pub updated_ms: i64,
    /// Whether the rule's automatic remediation started it (it then retries up to the configured attempts).
    pub automatic: bool,
    #[serde(default)]
    pub steps: Vec<Step>,
}
