//! CloudWatch alarms for the console: the list (`DescribeAlarms`), one alarm with its graph, state timeline and
//! history (`DescribeAlarms`, `GetMetricData`, `DescribeAlarmHistory`), creating metric and composite alarms
//! (`PutMetricAlarm`, `PutCompositeAlarm`, with a preview of the threshold on the metric's graph and of a rule as
//! a tree of its children's states), setting a state for testing (`SetAlarmState`), turning actions on and off
//! (`EnableAlarmActions`, `DisableAlarmActions`) and deleting (`DeleteAlarms`).

#[cfg(feature = "ssr")]
mod server;

#[cfg(feature = "ssr")]
pub(crate) use server::dashboard_facts;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The states, in the order the console lists them.
pub const STATES: [&str; 3] = ["ALARM", "INSUFFICIENT_DATA", "OK"];

/// The comparison operators for static thresholds, with their symbols.
pub const COMPARISONS: [(&str, &str); 4] = [
    ("GreaterThanThreshold", ">"),
    ("GreaterThanOrEqualToThreshold", ">="),
    ("LessThanThreshold", "<"),
    ("LessThanOrEqualToThreshold", "<="),
];

/// `TreatMissingData` choices and their words.
pub const MISSING_DATA: [(&str, &str); 4] = [
    ("missing", "Treat missing data as missing"),
    ("notBreaching", "Treat missing data as good (not breaching threshold)"),
    ("breaching", "Treat missing data as bad (breaching threshold)"),
    ("ignore", "Ignore (maintain the alarm state)"),
];

/// One alarm of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmSummary {
    pub name: String,
    /// `Metric alarm` or `Composite alarm`.
    pub kind: String,
    pub state: String,
    pub state_updated_ms: i64,
    /// The condition in words: `CPUUtilization > 80 for 5 datapoints within 5 minutes`, or the rule.
    pub condition: String,
    pub actions_enabled: bool,
    pub has_actions: bool,
    pub description: Option<String>,
}

/// The alarms page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmListing {
    pub rows: Vec<AlarmSummary>,
    /// Alarms in the account and region before the filters.
    pub total: usize,
    /// How many are in each of [`STATES`], before the filters.
    pub counts: [usize; 3],
}

/// Points of a series, `(epoch ms, value)`, ascending.
pub type Points = Vec<(i64, f64)>;

/// A metric alarm's graph: the watched series with its threshold or band over the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmGraph {
    pub start_ms: i64,
    pub end_ms: i64,
    pub period_seconds: i64,
    pub label: String,
    pub unit: Option<String>,
    pub points: Vec<(i64, f64)>,
    pub threshold: Option<f64>,
    /// Lower and upper edges of an anomaly band.
    pub band: Option<(Points, Points)>,
    /// `>`, `<`, ... for the threshold's label.
    pub symbol: String,
    /// Why there is no data, if so.
    pub note: Option<String>,
    /// The graph as the server drew it for the page's first render (never filled by the server functions).
    #[serde(default)]
    pub drawn: Option<crate::components::chart_svg::Prerendered>,
}

/// A stretch of one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSpan {
    pub state: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// One history entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub time_ms: i64,
    pub item_type: String,
    pub summary: String,
    pub data: String,
}

/// A composite rule as a tree, each node with whether it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleNode {
    Constant(bool),
    /// `STATE(alarm)`: the state asked for, the alarm's state now (None: no such alarm).
    Child {
        wanted: String,
        alarm: String,
        actual: Option<String>,
        holds: bool,
    },
    Not {
        inner: Box<RuleNode>,
        holds: bool,
    },
    All {
        children: Vec<RuleNode>,
        holds: bool,
    },
    Any {
        children: Vec<RuleNode>,
        holds: bool,
    },
}

impl RuleNode {
    pub fn holds(&self) -> bool {
        match self {
            RuleNode::Constant(value) => *value,
            RuleNode::Child { holds, .. }
            | RuleNode::Not { holds, .. }
            | RuleNode::All { holds, .. }
            | RuleNode::Any { holds, .. } => *holds,
        }
    }
}

/// One alarm with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmInfo {
    pub summary: AlarmSummary,
    pub arn: String,
    pub reason: String,
    pub reason_data: Option<String>,
    /// Label and value rows of the configuration.
    pub details: Vec<(String, String)>,
    /// `(state, action ARN)` of every action.
    pub actions: Vec<(String, String)>,
    pub graph: Option<AlarmGraph>,
    /// The states over the page's range, oldest first.
    pub timeline: Vec<StateSpan>,
    /// Newest first.
    pub history: Vec<HistoryRow>,
    pub rule: Option<RuleNode>,
    pub suppressed_by: Option<String>,
    pub suppressed_reason: Option<String>,
    /// The composite alarms whose rules name this alarm.
    pub parents: Vec<String>,
}

/// What the create-alarm flow sends.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetricAlarmForm {
    pub name: String,
    pub description: String,
    pub namespace: String,
    pub metric_name: String,
    pub dimensions: Vec<(String, String)>,
    pub statistic: String,
    pub period: i64,
    pub comparison: String,
    pub threshold: f64,
    pub evaluation_periods: i64,
    pub datapoints_to_alarm: i64,
    pub treat_missing_data: String,
    pub alarm_actions: Vec<String>,
    pub ok_actions: Vec<String>,
    pub insufficient_data_actions: Vec<String>,
}

/// What the composite alarm editor sends.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CompositeAlarmForm {
    pub name: String,
    pub description: String,
    pub rule: String,
    pub alarm_actions: Vec<String>,
    pub ok_actions: Vec<String>,
    pub suppressor: String,
    pub wait_seconds: i64,
    pub extension_seconds: i64,
}

/// The alarms of the page's account and region, filtered by a search (in names and descriptions), a state and
/// a kind (`metric` or `composite`).
#[server(endpoint = "alarm_list", input = leptos::server_fn::codec::Json)]
pub async fn alarm_list(
    region: String,
    account: Option<String>,
    search: String,
    state: Option<String>,
    kind: Option<String>,
) -> Result<AlarmListing, ServerFnError> {
    server::list(region, account, search, state, kind).await
}

/// One alarm over the console's range.
#[server(endpoint = "alarm_detail", input = leptos::server_fn::codec::Json)]
pub async fn alarm_detail(
    region: String,
    account: Option<String>,
    name: String,
    range: String,
    history_type: Option<String>,
) -> Result<AlarmInfo, ServerFnError> {
    server::detail(region, account, name, range, history_type).await
}

/// The metric of a form being filled, with its threshold, over the last three hours: the live preview.
#[server(endpoint = "alarm_preview", input = leptos::server_fn::codec::Json)]
pub async fn alarm_preview(
    region: String,
    account: Option<String>,
    form: MetricAlarmForm,
) -> Result<AlarmGraph, ServerFnError> {
    server::preview(region, account, form).await
}

/// Creates or replaces a metric alarm.
#[server(endpoint = "alarm_put_metric", input = leptos::server_fn::codec::Json)]
pub async fn alarm_put_metric(
    region: String,
    account: Option<String>,
    form: MetricAlarmForm,
) -> Result<(), ServerFnError> {
    server::put_metric(region, account, form).await
}

/// A rule as the tree the editor shows, with the children's states now; an error names what is wrong.
#[server(endpoint = "alarm_rule_tree", input = leptos::server_fn::codec::Json)]
pub async fn alarm_rule_tree(region: String, account: Option<String>, rule: String) -> Result<RuleNode, ServerFnError> {
    server::rule_tree(region, account, rule).await
}

/// Creates or replaces a composite alarm.
#[server(endpoint = "alarm_put_composite", input = leptos::server_fn::codec::Json)]
pub async fn alarm_put_composite(
    region: String,
    account: Option<String>,
    form: CompositeAlarmForm,
) -> Result<(), ServerFnError> {
    server::put_composite(region, account, form).await
}

/// Sets an alarm's state until its next evaluation, to test its actions.
#[server(endpoint = "alarm_set_state", input = leptos::server_fn::codec::Json)]
pub async fn alarm_set_state(
    region: String,
    account: Option<String>,
    name: String,
    state: String,
    reason: String,
) -> Result<(), ServerFnError> {
    server::set_state(region, account, name, state, reason).await
}

/// Turns the actions of alarms on or off.
#[server(endpoint = "alarm_actions_enabled", input = leptos::server_fn::codec::Json)]
pub async fn alarm_actions_enabled(
    region: String,
    account: Option<String>,
    names: Vec<String>,
    enabled: bool,
) -> Result<(), ServerFnError> {
    server::actions_enabled(region, account, names, enabled).await
}

/// Deletes alarms.
#[server(endpoint = "alarm_delete", input = leptos::server_fn::codec::Json)]
pub async fn alarm_delete(region: String, account: Option<String>, names: Vec<String>) -> Result<(), ServerFnError> {
    server::delete(region, account, names).await
}

/// The topics alarm actions can notify (their ARNs), for the create flows' menus.
#[server(endpoint = "alarm_topic_choices", input = leptos::server_fn::codec::Json)]
pub async fn alarm_topic_choices(region: String, account: Option<String>) -> Result<Vec<String>, ServerFnError> {
    server::topic_choices(region, account).await
}
