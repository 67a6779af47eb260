//! CW_LOGGROUP_RETENTION_PERIOD_CHECK (cw-loggroup-retention-period-check): a log group's retention
//! (`retentionInDays`) must be at least MinRetentionTime days (one of AWS's listed values, default
//! 365). A log group without a retention never expires and is COMPLIANT (AWS: "If the retention
//! setting is 'Never expire' for a log group, the rule is marked as COMPLIANT"). With LogGroupNames
//! given, log groups not named there are NOT_APPLICABLE. Periodic only.

use super::ManagedRule;
use crate::compliance::Verdict;
use crate::item::{Item, as_i64, field};
use crate::parameters::{ParamKind, ParamSpec, Parameters};
use serde_json::Value;

/// The retention values AWS lists for MinRetentionTime.
const VALID_RETENTION_DAYS: &[i64] = &[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653];

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
    default_name: "cw-loggroup-retention-period-check",
    resource_types: &["AWS::Logs::LogGroup"],
    any_resource_type: false,
    change_triggered: false,
    periodic: true,
    parameters: &[
        ParamSpec::optional("LogGroupNames", ParamKind::Csv),
        ParamSpec::defaulted("MinRetentionTime", ParamKind::IntOneOf(VALID_RETENTION_DAYS), "365"),
    ],
    check,
};

fn check(parameters: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    if let Some(names) = parameters.list("LogGroupNames") {
        let name = field(configuration, &["logGroupName", "LogGroupName"]).and_then(Value::as_str);
        if !name.is_some_and(|n| names.iter().any(|x| x == n)) {
            return Verdict::not_applicable();
        }
    }
    let minimum = parameters.int("MinRetentionTime").unwrap_or(365);
    match field(configuration, &["retentionInDays", "RetentionInDays"]).and_then(as_i64) {
        Some(days) if days < minimum => Verdict::non_compliant(format!(
            "The log group keeps events for {days} days, less than the minimum of {minimum} days."
        )),
        _ => Verdict::compliant(),
    }
}
