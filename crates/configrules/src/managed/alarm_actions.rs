//! CloudWatch alarm actions: CLOUDWATCH_ALARM_ACTION_CHECK (cloudwatch-alarm-action-check) and
//! CLOUDWATCH_ALARM_ACTION_ENABLED_CHECK (cloudwatch-alarm-action-enabled-check), over alarms as
//! AWS Config records them (`alarmActions`, `insufficientDataActions`, `okactions`, `actionsEnabled`).
//!
//! CLOUDWATCH_ALARM_ACTION_CHECK: for each of alarmActionRequired (default true),
//! insufficientDataActionRequired (default true) and okActionRequired (default false) that is true,
//! the alarm must have at least one action for that state. AWS: "Optionally checks if any actions
//! match a named ARN. The rule is NON_COMPLIANT if there is no action specified for the alarm or
//! optional parameter." With action1..action5 given, each required state's actions must include one
//! of those ARNs (with no state required, some action of the alarm must be one of them). The three
//! flags are required parameters (AWS refuses a rule without them although the console fills in
//! the defaults).

use super::ManagedRule;
use crate::compliance::Verdict;
use crate::item::{Item, as_bool, field, strings};
use crate::parameters::{ParamKind, ParamSpec, Parameters};
use serde_json::Value;

const ALARM: &[&str] = &["AWS::CloudWatch::Alarm"];
const ACTIONS: [&str; 5] = ["action1", "action2", "action3", "action4", "action5"];

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "CLOUDWATCH_ALARM_ACTION_CHECK",
    default_name: "cloudwatch-alarm-action-check",
    resource_types: ALARM,
    any_resource_type: false,
    change_triggered: true,
    periodic: false,
    parameters: &[
        ParamSpec::required("alarmActionRequired", ParamKind::Bool, Some("true")),
        ParamSpec::required("insufficientDataActionRequired", ParamKind::Bool, Some("true")),
        ParamSpec::required("okActionRequired", ParamKind::Bool, Some("false")),
        ParamSpec::optional("action1", ParamKind::String),
        ParamSpec::optional("action2", ParamKind::String),
        ParamSpec::optional("action3", ParamKind::String),
        ParamSpec::optional("action4", ParamKind::String),
        ParamSpec::optional("action5", ParamKind::String),
    ],
    check,
};

/// CLOUDWATCH_ALARM_ACTION_ENABLED_CHECK: NON_COMPLIANT when the alarm's actions are disabled
/// (`actionsEnabled` false). Configuration changes only; no parameters.
pub(super) const ENABLED_RULE: ManagedRule = ManagedRule {
    identifier: "CLOUDWATCH_ALARM_ACTION_ENABLED_CHECK",
    default_name: "cloudwatch-alarm-action-enabled-check",
    resource_types: ALARM,
    any_resource_type: false,
    change_triggered: true,
    periodic: false,
    parameters: &[],
    check: check_enabled,
};

/// The three action lists, with the flag that requires each and the state it is for.
const STATES: [(&str, &[&str], &str); 3] = [
    ("alarmActionRequired", &["alarmActions", "AlarmActions"], "ALARM"),
    ("insufficientDataActionRequired", &["insufficientDataActions", "InsufficientDataActions"], "INSUFFICIENT_DATA"),
    ("okActionRequired", &["okactions", "oKActions", "okActions", "OKActions"], "OK"),
];

fn check(parameters: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    let named: Vec<&str> = ACTIONS.iter().filter_map(|n| parameters.text(n)).collect();
    let mut problems = Vec::new();
    let mut any_required = false;
    for (flag, names, state) in STATES {
        if parameters.bool(flag) != Some(true) {
            continue;
        }
        any_required = true;
        let actions = strings(field(configuration, names));
        if actions.is_empty() {
            problems.push(format!("no {state} action"));
        } else if !named.is_empty() && !actions.iter().any(|a| named.contains(a)) {
            problems.push(format!("no {state} action among the rule's actions"));
        }
    }
    if !any_required && !named.is_empty() {
        let all: Vec<&str> = STATES.iter().flat_map(|(_, names, _)| strings(field(configuration, names))).collect();
        if !all.iter().any(|a| named.contains(a)) {
            problems.push("no action among the rule's actions".to_string());
        }
    }
    if problems.is_empty() {
        Verdict::compliant()
    } else {
        Verdict::non_compliant(format!("The alarm has {}.", problems.join(", ")))
    }
}

fn check_enabled(_: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    match field(configuration, &["actionsEnabled", "ActionsEnabled"]).and_then(as_bool) {
        Some(false) => Verdict::non_compliant("The alarm's actions are disabled."),
        _ => Verdict::compliant(),
    }
}
