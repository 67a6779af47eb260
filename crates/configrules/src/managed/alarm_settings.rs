//! CLOUDWATCH_ALARM_SETTINGS_CHECK (cloudwatch-alarm-settings-check): CloudWatch alarms on the
//! metric named by metricName (required) must have the given settings: period (default 300), and
//! when given threshold, evaluationPeriods, comparisonOperator and statistic (an extended statistic
//! such as p99 matches `extendedStatistic`). Alarms on other metrics, or on metric math, are
//! NOT_APPLICABLE. Configuration changes only.

use super::ManagedRule;
use crate::compliance::Verdict;
use crate::item::{Item, as_f64, as_i64, field};
use crate::parameters::{ParamKind, ParamSpec, Parameters};
use serde_json::Value;

const WHOLE: ParamKind = ParamKind::Int { min: i64::MIN, max: i64::MAX };

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "CLOUDWATCH_ALARM_SETTINGS_CHECK",
    default_name: "cloudwatch-alarm-settings-check",
    resource_types: &["AWS::CloudWatch::Alarm"],
    any_resource_type: false,
    change_triggered: true,
    periodic: false,
    parameters: &[
        ParamSpec::required("metricName", ParamKind::String, None),
        ParamSpec::defaulted("period", ParamKind::Int { min: 1, max: i64::MAX }, "300"),
        ParamSpec::optional("statistic", ParamKind::String),
        ParamSpec::optional("comparisonOperator", ParamKind::String),
        ParamSpec::optional("threshold", WHOLE),
        ParamSpec::optional("evaluationPeriods", ParamKind::Int { min: 1, max: i64::MAX }),
    ],
    check,
};

fn check(parameters: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    let metric = field(configuration, &["metricName", "MetricName"]).and_then(Value::as_str);
    if metric.is_none() || metric != parameters.text("metricName") {
        return Verdict::not_applicable();
    }
    let mut problems = Vec::new();
    let mut whole = |name: &str, keys: &[&str]| {
        if let Some(expected) = parameters.int(name) {
            let actual = field(configuration, keys).and_then(as_i64);
            if actual != Some(expected) {
                problems.push(format!("{name} is {}, not {expected}", shown(actual)));
            }
        }
    };
    whole("period", &["period", "Period"]);
    whole("evaluationPeriods", &["evaluationPeriods", "EvaluationPeriods"]);
    if let Some(expected) = parameters.int("threshold") {
        let actual = field(configuration, &["threshold", "Threshold"]).and_then(as_f64);
        if actual != Some(expected as f64) {
            problems.push(format!("threshold is {}, not {expected}", shown(actual)));
        }
    }
    if let Some(expected) = parameters.text("comparisonOperator") {
        let actual = field(configuration, &["comparisonOperator", "ComparisonOperator"]).and_then(Value::as_str);
        if actual != Some(expected) {
            problems.push(format!("comparisonOperator is {}, not {expected}", shown(actual)));
        }
    }
    if let Some(expected) = parameters.text("statistic") {
        let statistic = field(configuration, &["statistic", "Statistic"]).and_then(Value::as_str);
        let extended = field(configuration, &["extendedStatistic", "ExtendedStatistic"]).and_then(Value::as_str);
        if statistic != Some(expected) && extended != Some(expected) {
            problems.push(format!("statistic is {}, not {expected}", shown(statistic.or(extended))));
        }
    }
    if problems.is_empty() {
        Verdict::compliant()
    } else {
        Verdict::non_compliant(format!("The alarm's {}.", problems.join("; ")))
    }
}

fn shown<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "not set".to_string(), |v| v.to_string())
}
