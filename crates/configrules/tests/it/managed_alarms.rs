//! The CloudWatch alarm rules on tables of alarms as AWS Config records them:
//! CLOUDWATCH_ALARM_ACTION_CHECK, CLOUDWATCH_ALARM_ACTION_ENABLED_CHECK,
//! CLOUDWATCH_ALARM_SETTINGS_CHECK.

use crate::common;

use common::{case, case_with, ci, deleted, run_table};
use serde_json::{Value, json};
use skywatch_configrules::Compliance::{Compliant, NonCompliant, NotApplicable};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:ops";
const OTHER: &str = "arn:aws:sns:us-east-1:123456789012:other";

/// A metric alarm with these actions (AWS Config's names: `okactions` for the OK actions).
fn alarm(alarm_actions: &[&str], insufficient: &[&str], ok: &[&str]) -> Value {
    ci(
        "AWS::CloudWatch::Alarm",
        json!({
            "alarmName": "cpu-high",
            "alarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high",
            "actionsEnabled": true,
            "alarmActions": alarm_actions,
            "insufficientDataActions": insufficient,
            "okactions": ok,
            "metricName": "CPUUtilization",
            "namespace": "AWS/EC2",
            "statistic": "Average",
            "dimensions": [{"name": "InstanceId", "value": "i-1"}],
            "period": 300,
            "evaluationPeriods": 2,
            "datapointsToAlarm": 2,
            "threshold": 80.0,
            "comparisonOperator": "GreaterThanThreshold",
            "treatMissingData": "missing"
        }),
    )
}

const DEFAULTS: &str =
    r#"{"alarmActionRequired":"true","insufficientDataActionRequired":"true","okActionRequired":"false"}"#;

#[test]
fn action_check_defaults() {
    run_table(
        "CLOUDWATCH_ALARM_ACTION_CHECK",
        Some(DEFAULTS),
        vec![
            case("alarm and insufficient-data actions", alarm(&[TOPIC], &[TOPIC], &[]), Compliant),
            case_with(
                "no insufficient-data action",
                alarm(&[TOPIC], &[], &[TOPIC]),
                NonCompliant,
                "no INSUFFICIENT_DATA action",
            ),
            case_with(
                "no actions at all",
                alarm(&[], &[], &[]),
                NonCompliant,
                "no ALARM action, no INSUFFICIENT_DATA action",
            ),
            case("deleted", deleted(alarm(&[], &[], &[])), NotApplicable),
            case("not an alarm", ci("AWS::Logs::LogGroup", json!({"logGroupName": "g"})), NotApplicable),
        ],
    );
}

#[test]
fn action_check_flags_and_arns() {
    run_table(
        "CLOUDWATCH_ALARM_ACTION_CHECK",
        Some(r#"{"alarmActionRequired":"true","insufficientDataActionRequired":"false","okActionRequired":"TRUE"}"#),
        vec![
            case("alarm and ok actions", alarm(&[TOPIC], &[], &[TOPIC]), Compliant),
            case_with("no ok action", alarm(&[TOPIC], &[TOPIC], &[]), NonCompliant, "no OK action"),
            case(
                "older oKActions spelling",
                {
                    let mut a = alarm(&[TOPIC], &[], &[]);
                    a["configuration"]["oKActions"] = json!([TOPIC]);
                    if let Some(c) = a["configuration"].as_object_mut() {
                        c.remove("okactions");
                    }
                    a
                },
                Compliant,
            ),
        ],
    );
    run_table(
        "CLOUDWATCH_ALARM_ACTION_CHECK",
        Some(&format!(
            r#"{{"alarmActionRequired":"true","insufficientDataActionRequired":"false","okActionRequired":"false","action1":"{TOPIC}"}}"#
        )),
        vec![
            case("alarm action is the named ARN", alarm(&[OTHER, TOPIC], &[], &[]), Compliant),
            case_with(
                "alarm action is another ARN",
                alarm(&[OTHER], &[TOPIC], &[]),
                NonCompliant,
                "among the rule's actions",
            ),
        ],
    );
    run_table(
        "CLOUDWATCH_ALARM_ACTION_CHECK",
        Some(&format!(
            r#"{{"alarmActionRequired":"false","insufficientDataActionRequired":"false","okActionRequired":"false","action2":"{TOPIC}"}}"#
        )),
        vec![
            case("no state required: any action named", alarm(&[], &[], &[TOPIC]), Compliant),
            case("no state required: none named", alarm(&[OTHER], &[], &[]), NonCompliant),
        ],
    );
    run_table(
        "CLOUDWATCH_ALARM_ACTION_CHECK",
        Some(r#"{"alarmActionRequired":"false","insufficientDataActionRequired":"false","okActionRequired":"false"}"#),
        vec![case("nothing required", alarm(&[], &[], &[]), Compliant)],
    );
}

#[test]
fn action_enabled_check() {
    let mut disabled = alarm(&[TOPIC], &[], &[]);
    disabled["configuration"]["actionsEnabled"] = json!(false);
    run_table(
        "CLOUDWATCH_ALARM_ACTION_ENABLED_CHECK",
        None,
        vec![
            case("enabled", alarm(&[TOPIC], &[], &[]), Compliant),
            case_with("disabled", disabled, NonCompliant, "disabled"),
        ],
    );
}

#[test]
fn settings_check() {
    run_table(
        "CLOUDWATCH_ALARM_SETTINGS_CHECK",
        Some(
            r#"{"metricName":"CPUUtilization","threshold":"80","evaluationPeriods":"2","comparisonOperator":"GreaterThanThreshold","statistic":"Average"}"#,
        ),
        vec![
            case("matching settings (period defaults to 300)", alarm(&[], &[], &[]), Compliant),
            case_with(
                "other period",
                {
                    let mut a = alarm(&[], &[], &[]);
                    a["configuration"]["period"] = json!(60);
                    a
                },
                NonCompliant,
                "period is 60, not 300",
            ),
            case_with(
                "other threshold",
                {
                    let mut a = alarm(&[], &[], &[]);
                    a["configuration"]["threshold"] = json!(90.5);
                    a
                },
                NonCompliant,
                "threshold is 90.5, not 80",
            ),
            case(
                "other metric",
                {
                    let mut a = alarm(&[], &[], &[]);
                    a["configuration"]["metricName"] = json!("NetworkIn");
                    a
                },
                NotApplicable,
            ),
            case(
                "metric math alarm",
                {
                    let mut a = alarm(&[], &[], &[]);
                    if let Some(c) = a["configuration"].as_object_mut() {
                        c.remove("metricName");
                    }
                    a
                },
                NotApplicable,
            ),
        ],
    );
    run_table(
        "CLOUDWATCH_ALARM_SETTINGS_CHECK",
        Some(r#"{"metricName":"CPUUtilization","period":"60","statistic":"p99"}"#),
        vec![
            case_with("period and statistic", alarm(&[], &[], &[]), NonCompliant, "statistic is Average, not p99"),
            case(
                "extended statistic",
                {
                    let mut a = alarm(&[], &[], &[]);
                    a["configuration"]["period"] = json!(60);
                    if let Some(c) = a["configuration"].as_object_mut() {
                        c.remove("statistic");
                        c.insert("extendedStatistic".into(), json!("p99"));
                    }
                    a
                },
                Compliant,
            ),
        ],
    );
}
