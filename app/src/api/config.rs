//! AWS Config for the console: the recorder's and delivery channel's status with the resource counts
//! (`overview`), the resource inventory (`inventory`), and one resource's page with its configuration timeline, a
//! readable diff of each change and the CloudTrail events that caused it (`history`, `changes`, `diff`, `events`).
//! Each server function calls the operations the Config and CloudTrail APIs run; the page data is their output in
//! shapes the browser can draw.

#[cfg(feature = "ssr")]
mod changes;
#[cfg(feature = "ssr")]
mod compliance;
#[cfg(feature = "ssr")]
mod diff;
#[cfg(feature = "ssr")]
mod events;
#[cfg(feature = "ssr")]
mod history;
#[cfg(feature = "ssr")]
mod inventory;
#[cfg(feature = "ssr")]
mod overview;
#[cfg(feature = "ssr")]
mod rules;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The configuration recorder, as DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecorderView {
    pub name: String,
    pub role_arn: Option<String>,
    pub recording: bool,
    pub last_start_ms: Option<i64>,
    pub last_stop_ms: Option<i64>,
    /// `Pending`, `Success` or `Failure`.
    pub last_status: Option<String>,
    pub last_status_change_ms: Option<i64>,
    /// `recordingStrategy.useOnly`.
    pub strategy: String,
    pub include_global: bool,
    /// The types recorded (inclusion) or not recorded (exclusion).
    pub resource_types: Vec<String>,
    pub exclusions: Vec<String>,
    /// `CONTINUOUS` or `DAILY`, when set.
    pub frequency: Option<String>,
}

/// One kind of delivery's last outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeliveryView {
    pub last_status: Option<String>,
    /// `code: message`.
    pub last_error: Option<String>,
    pub last_attempt_ms: Option<i64>,
    pub last_success_ms: Option<i64>,
    pub next_ms: Option<i64>,
}

/// The delivery channel and its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelView {
    pub name: String,
    pub bucket: String,
    pub key_prefix: Option<String>,
    pub topic_arn: Option<String>,
    /// `deliveryFrequency` of snapshots.
    pub frequency: Option<String>,
    pub snapshot: DeliveryView,
    pub history: DeliveryView,
}

/// The Config dashboard's data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConfigOverview {
    pub account: String,
    pub region: String,
    /// The address AWS clients reach this server at, for the set-up commands.
    pub endpoint: String,
    pub recorder: Option<RecorderView>,
    pub channel: Option<ChannelView>,
    /// Current (not deleted) resources, all types.
    pub total: u64,
    /// (resource type, current resources), most numerous first.
    pub counts: Vec<(String, u64)>,
}

/// One resource of the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRow {
    pub resource_type: String,
    pub resource_id: String,
    pub resource_name: Option<String>,
    /// Capture time of its newest configuration item.
    pub last_change_ms: i64,
    /// Its newest item's `configurationItemStatus`.
    pub status: String,
    /// Its compliance over all rules, when a rule has evaluated it.
    pub compliance: Option<String>,
}

/// A page of the inventory: the rows matching the filters, and the types to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResourceList {
    /// (resource type, current resources), by name.
    pub types: Vec<(String, u64)>,
    pub rows: Vec<ResourceRow>,
    /// Rows matching the filters, over every page.
    pub matched: usize,
    /// 1-based page shown, and pages in all.
    pub page: usize,
    pub pages: usize,
    /// More resources exist than the console reads for one listing.
    pub capped: bool,
}

/// A relationship of a resource to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipView {
    pub name: String,
    pub resource_type: String,
    pub resource_id: String,
    pub resource_name: Option<String>,
}

/// What a change did at one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffKind {
    Added,
    Removed,
    Changed,
}

/// One line of a change's diff; values are JSON (pretty when they are objects or arrays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub path: String,
    pub kind: DiffKind,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The CloudTrail record of a call that caused a change, as LookupEvents found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFacts {
    pub name: String,
    pub source: String,
    pub user: String,
    /// RFC 3339, as CloudTrail writes it.
    pub time: String,
    pub time_ms: i64,
    pub source_ip: String,
    pub error_code: Option<String>,
}

/// A related event: its id, and its record when the event history still has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedEvent {
    pub event_id: String,
    pub event: Option<EventFacts>,
    /// Whether it was looked up (the console looks up a bounded number a page).
    pub looked_up: bool,
}

/// What a configuration item was, compared with the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    /// The first item of the resource.
    Discovered,
    /// A change of configuration, tags or relationships.
    Updated,
    Deleted,
    /// An item whose predecessor the console did not read (history longer than it reads).
    Unknown,
}

/// One configuration item of the change list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub capture_ms: i64,
    /// `configurationItemStatus`.
    pub status: String,
    pub kind: ChangeKind,
    pub lines: Vec<DiffLine>,
    /// Diff lines left out.
    pub more_lines: usize,
    /// The configuration a discovered resource started with (pretty JSON).
    pub snapshot: Option<String>,
    pub events: Vec<RelatedEvent>,
}

/// A marker of the timeline: one configuration item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub capture_ms: i64,
    pub status: String,
}

/// One rule's current result on a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    pub rule: String,
    pub compliance: String,
    pub annotation: Option<String>,
    pub recorded_ms: i64,
}

/// A marker of the timeline's compliance lane: the resource's compliance over all rules from this time on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceMarker {
    pub time_ms: i64,
    pub compliance: String,
}

/// One rule's result on the resource changing, from its `AWS::Config::ResourceCompliance` items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceChangeView {
    pub time_ms: i64,
    pub rule: String,
    /// None: the rule had no result before.
    pub before: Option<String>,
    /// None: the rule no longer has a result.
    pub after: Option<String>,
    pub annotation: Option<String>,
}

/// One resource: its current state, its timeline and the changes listed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResourceDetail {
    pub resource_type: String,
    pub resource_id: String,
    pub resource_name: Option<String>,
    pub arn: Option<String>,
    pub availability_zone: Option<String>,
    pub account: String,
    pub region: String,
    pub created_ms: Option<i64>,
    /// The newest item's status.
    pub status: String,
    pub tags: Vec<(String, String)>,
    pub relationships: Vec<RelationshipView>,
    /// The newest configuration recorded (pretty JSON), even once the resource is deleted.
    pub configuration: Option<String>,
    pub supplementary: Option<String>,
    /// Every item read, oldest first.
    pub markers: Vec<Marker>,
    /// The resource has more history than the console reads: the oldest items are left out.
    pub history_capped: bool,
    /// The timeline's window (epoch ms), and the whole history's (first item to now).
    pub window: (i64, i64),
    pub extent: (i64, i64),
    /// Items in the window, and the ones listed (newest first, from `at` when given).
    pub in_window: usize,
    pub changes: Vec<ChangeView>,
    /// The next older item in the window after the listed ones, for the pager.
    pub older: Option<i64>,
    /// The newest item in the window before the listed ones.
    pub newer: Option<i64>,
    /// Each rule's current result (GetComplianceDetailsByResource).
    pub rule_results: Vec<RuleResult>,
    /// The compliance items, oldest first.
    pub compliance_markers: Vec<ComplianceMarker>,
    /// The compliance changes between the listed changes (newest first).
    pub compliance_changes: Vec<ComplianceChangeView>,
}

/// The dashboard: recorder, delivery channel and resource counts of the page's account and region.
#[server(endpoint = "config_dashboard", input = leptos::server_fn::codec::Json)]
pub async fn config_dashboard(region: String, account: Option<String>) -> Result<ConfigOverview, ServerFnError> {
    overview::overview(region, account).await
}

/// The inventory: current resources (and deleted ones with `deleted`) of `resource_type` (empty: all types)
/// whose id or name contains `search`, one page of them.
#[server(endpoint = "config_resources", input = leptos::server_fn::codec::Json)]
pub async fn config_resources(
    region: String,
    account: Option<String>,
    resource_type: String,
    search: String,
    deleted: bool,
    compliance: String,
    page: usize,
) -> Result<ResourceList, ServerFnError> {
    inventory::resources(region, account, inventory::Filters { resource_type, search, compliance, deleted, page }).await
}

/// One resource: its newest state, its items on a timeline over `from`..`to` (epoch ms; the whole history when
/// absent), and the changes of that window from `at` (the newest when absent) with their diffs and events.
#[server(endpoint = "config_resource", input = leptos::server_fn::codec::Json)]
pub async fn config_resource(
    region: String,
    account: Option<String>,
    resource_type: String,
    resource_id: String,
    from: Option<i64>,
    to: Option<i64>,
    at: Option<i64>,
) -> Result<ResourceDetail, ServerFnError> {
    history::resource(region, account, history::Request { resource_type, resource_id, from, to, at }).await
}

/// One rule of the rules page: where its verdicts come from, what triggers it, its compliance and its last run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RuleRow {
    pub name: String,
    /// `managed`, `guard`, `webhook` (a custom rule's function).
    pub source_kind: String,
    /// The managed rule's identifier, "Guard policy", or the function's URL or ARN.
    pub source: String,
    /// "Configuration changes", "Periodic (TwentyFour_Hours)".
    pub triggers: Vec<String>,
    /// `COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE`, `INSUFFICIENT_DATA`.
    pub compliance: String,
    /// Non-compliant resources (capped at 100, as AWS counts).
    pub non_compliant: usize,
    pub last_success_ms: Option<i64>,
    /// `code: message` of the last failed run.
    pub last_error: Option<String>,
    /// `Automatic`, `Manual` or `None`.
    pub remediation: String,
}

/// The rules page's data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RulesOverview {
    pub compliant_rules: usize,
    pub non_compliant_rules: usize,
    pub compliant_resources: usize,
    pub non_compliant_resources: usize,
    /// Every rule (or the ones of the compliance asked for), by name.
    pub rules: Vec<RuleRow>,
    /// Rules before the compliance filter.
    pub total: usize,
}

/// One rule's verdict on one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationRow {
    pub resource_type: String,
    pub resource_id: String,
    pub compliance: String,
    pub annotation: Option<String>,
    pub recorded_ms: i64,
    pub ordering_ms: i64,
}

/// A rule's remediation configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemediationView {
    pub target_type: String,
    pub target_id: String,
    pub target_version: Option<String>,
    /// (name, value): `RESOURCE_ID` for the resource's id, else the static values.
    pub parameters: Vec<(String, String)>,
    pub automatic: bool,
    pub maximum_attempts: u32,
    pub retry_seconds: i64,
}

/// One attempt of a remediation execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub name: String,
    pub state: String,
    pub error: Option<String>,
    pub start_ms: i64,
    pub stop_ms: i64,
}

/// One resource's remediation execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionView {
    pub resource_type: String,
    pub resource_id: String,
    pub state: String,
    pub attempts: u32,
    pub automatic: bool,
    pub invoked_ms: i64,
    pub updated_ms: i64,
    pub steps: Vec<StepView>,
}

/// One rule's page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RuleDetail {
    pub row: RuleRow,
    pub arn: String,
    pub id: String,
    pub state: String,
    pub description: Option<String>,
    pub scope_types: Vec<String>,
    /// `key` or `key=value`.
    pub scope_tag: Option<String>,
    pub scope_id: Option<String>,
    /// Pretty JSON.
    pub input_parameters: Option<String>,
    pub policy: Option<String>,
    pub frequency: Option<String>,
    pub first_activated_ms: Option<i64>,
    pub last_success_invocation_ms: Option<i64>,
    pub last_failed_invocation_ms: Option<i64>,
    pub last_failed_evaluation_ms: Option<i64>,
    /// A run over every resource in scope is asked for and not done yet.
    pub run_requested_ms: Option<i64>,
    /// The per-resource results of the compliance asked for (all when none), non-compliant first.
    pub results: Vec<EvaluationRow>,
    pub results_capped: bool,
    pub remediation: Option<RemediationView>,
    pub executions: Vec<ExecutionView>,
}

/// The rules with their compliance (only those of `compliance` when not empty) and the compliance counts.
#[server(endpoint = "config_rules", input = leptos::server_fn::codec::Json)]
pub async fn config_rules(
    region: String,
    account: Option<String>,
    compliance: String,
) -> Result<RulesOverview, ServerFnError> {
    rules::overview(region, account, compliance).await
}

/// One rule: its definition and status, its per-resource results (of `compliance` when not empty), its
/// remediation and the executions.
#[server(endpoint = "config_rule", input = leptos::server_fn::codec::Json)]
pub async fn config_rule(
    region: String,
    account: Option<String>,
    name: String,
    compliance: String,
) -> Result<RuleDetail, ServerFnError> {
    rules::detail(region, account, name, compliance).await
}

/// StartConfigRulesEvaluation of one rule.
#[server(endpoint = "config_rule_evaluate", input = leptos::server_fn::codec::Json)]
pub async fn config_rule_evaluate(region: String, account: Option<String>, name: String) -> Result<(), ServerFnError> {
    rules::evaluate(region, account, name).await
}

/// StartRemediationExecution of one rule's remediation on one resource.
#[server(endpoint = "config_remediate", input = leptos::server_fn::codec::Json)]
pub async fn config_remediate(
    region: String,
    account: Option<String>,
    name: String,
    resource_type: String,
    resource_id: String,
) -> Result<(), ServerFnError> {
    rules::remediate(region, account, name, resource_type, resource_id).await
}

/// The dashboard's compliance: the summary now, and resources' compliance over the page's time range.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ComplianceOverview {
    pub rules: usize,
    pub compliant_rules: usize,
    pub non_compliant_rules: usize,
    pub compliant_resources: usize,
    pub non_compliant_resources: usize,
    /// The chart's window (epoch ms).
    pub window: (i64, i64),
    /// (time, compliant resources, non-compliant resources).
    pub points: Vec<(i64, usize, usize)>,
    /// Resources replayed, and whether more exist.
    pub tracked: usize,
    pub capped: bool,
}

/// The compliance summary and compliance over `range` (the console's time range in the URL).
#[server(endpoint = "config_compliance", input = leptos::server_fn::codec::Json)]
pub async fn config_compliance(
    region: String,
    account: Option<String>,
    range: String,
) -> Result<ComplianceOverview, ServerFnError> {
    rules::compliance_overview(region, account, range).await
}
