//! EventBridge rules for the console: a bus's rules (`ListEventBuses`, `ListRules`), one rule with its targets and
//! each target's delivery record (`DescribeRule`, `ListTargetsByRule`; the record is the deliverer's own, which no
//! AWS operation reads), and testing a pattern against an event (`TestEventPattern`).

#[cfg(feature = "ssr")]
mod server;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One rule of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRuleRow {
    pub name: String,
    pub state: String,
    /// The pattern or the schedule expression.
    pub definition: String,
    pub schedule: bool,
    pub description: String,
}

/// A bus and its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRulesView {
    pub buses: Vec<String>,
    pub bus: String,
    pub rules: Vec<EventRuleRow>,
}

/// One target of a rule with how its deliveries went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTargetRow {
    pub id: String,
    pub arn: String,
    /// How the target gets the event: "Matched event", "Constant (JSON text)", "Part of the event", "Input transformer".
    pub input: String,
    pub delivered: u64,
    pub failed: u64,
    pub retried: u64,
    pub last_delivery_ms: Option<i64>,
    pub last_error: Option<String>,
}

/// One rule's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRuleView {
    pub name: String,
    pub bus: String,
    pub arn: String,
    pub state: String,
    pub description: String,
    pub pattern: Option<String>,
    pub schedule: Option<String>,
    pub targets: Vec<EventTargetRow>,
}

/// The rules of `bus` (the default bus when none) in the page's account and region.
#[server(endpoint = "eventbridge_rules", input = leptos::server_fn::codec::Json)]
pub async fn eventbridge_rules(
    region: String,
    account: Option<String>,
    bus: Option<String>,
) -> Result<EventRulesView, ServerFnError> {
    server::rules(region, account, bus).await
}

/// One rule of `bus`.
#[server(endpoint = "eventbridge_rule", input = leptos::server_fn::codec::Json)]
pub async fn eventbridge_rule(
    region: String,
    account: Option<String>,
    bus: String,
    name: String,
) -> Result<EventRuleView, ServerFnError> {
    server::rule(region, account, bus, name).await
}

/// Whether `event` matches `pattern` (TestEventPattern; a refusal says why).
#[server(endpoint = "eventbridge_test_pattern", input = leptos::server_fn::codec::Json)]
pub async fn eventbridge_test_pattern(
    region: String,
    account: Option<String>,
    pattern: String,
    event: String,
) -> Result<bool, ServerFnError> {
    server::test_pattern(region, account, pattern, event).await
}
