//! The message an alarm action publishes to an SNS topic, as CloudWatch writes it: the subject
//! (`ALARM: "name" in US East (N. Virginia)`) and the JSON body (AlarmName, AlarmDescription, AWSAccountId,
//! NewStateValue, NewStateReason, StateChangeTime, Region, AlarmArn, OldStateValue, the actions, and the
//! `Trigger`: the metric or metric-math queries and the condition, or a composite alarm's rule and children).

use serde_json::{Value, json};

use crate::AlarmState;
use crate::definition::{Alarm, AlarmQuery, Kind, Source};
use crate::reason::data_time;

/// A region's long name, as CloudWatch notifications show it (the code itself for regions not listed).
pub fn region_name(region: &str) -> &str {
    match region {
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        "ca-central-1" => "Canada (Central)",
        "eu-west-1" => "EU (Ireland)",
        "eu-west-2" => "EU (London)",
        "eu-west-3" => "EU (Paris)",
        "eu-central-1" => "EU (Frankfurt)",
        "eu-north-1" => "EU (Stockholm)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-northeast-2" => "Asia Pacific (Seoul)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        "ap-south-1" => "Asia Pacific (Mumbai)",
        "sa-east-1" => "South America (Sao Paulo)",
        "cn-north-1" => "China (Beijing)",
        "cn-northwest-1" => "China (Ningxia)",
        "us-gov-west-1" => "AWS GovCloud (US-West)",
        "us-gov-east-1" => "AWS GovCloud (US-East)",
        other => other,
    }
}

/// The subject: `ALARM: "name" in Region`, cut to SNS's 100 characters.
pub fn subject(alarm: &Alarm, state: AlarmState, region: &str) -> String {
    let text = format!("{}: \"{}\" in {}", state.as_str(), alarm.name, region_name(region));
    text.chars().filter(|c| c.is_ascii() && !c.is_control()).take(100).collect()
}

fn dimensions(dimensions: &[(String, String)]) -> Vec<Value> {
    dimensions.iter().map(|(name, value)| json!({ "value": value, "name": name })).collect()
}

fn query(query: &AlarmQuery) -> Value {
    let mut out = json!({ "Id": query.id, "ReturnData": query.returns_data() });
    if let Some(stat) = &query.metric_stat {
        out["MetricStat"] = json!({
            "Metric": { "Dimensions": dimensions(&stat.dimensions), "MetricName": stat.metric_name, "Namespace": stat.namespace },
            "Period": stat.period,
            "Stat": stat.stat,
        });
    }
    if let Some(expression) = &query.expression {
        out["Expression"] = json!(expression);
    }
    if let Some(label) = &query.label {
        out["Label"] = json!(label);
    }
    out
}

/// The `Trigger` of a metric alarm, or the rule of a composite one.
fn trigger(alarm: &Alarm) -> Value {
    let Kind::Metric(metric) = &alarm.kind else { return Value::Null };
    let mut trigger = match &metric.source {
        Source::Metric { stat, extended } => json!({
            "MetricName": stat.metric_name,
            "Namespace": stat.namespace,
            "StatisticType": if *extended { "ExtendedStatistic" } else { "Statistic" },
            "Statistic": if *extended { stat.stat.clone() } else { stat.stat.to_uppercase() },
            "Unit": stat.unit,
            "Dimensions": dimensions(&stat.dimensions),
            "Period": stat.period,
        }),
        Source::Queries { queries, threshold_metric_id } => {
            let mut out =
                json!({ "Metrics": queries.iter().map(query).collect::<Vec<_>>(), "Period": metric.source.period() });
            if let Some(id) = threshold_metric_id {
                out["ThresholdMetricId"] = json!(id);
            }
            out
        }
    };
    trigger["EvaluationPeriods"] = json!(metric.evaluation_periods);
    trigger["DatapointsToAlarm"] = json!(metric.datapoints_to_alarm.unwrap_or(metric.evaluation_periods));
    trigger["ComparisonOperator"] = json!(metric.comparison);
    trigger["Threshold"] = json!(metric.threshold);
    trigger["TreatMissingData"] = json!(metric.treat_missing_data.clone().unwrap_or_else(|| "missing".into()));
    trigger["EvaluateLowSampleCountPercentile"] = json!(metric.low_sample_percentile.clone().unwrap_or_default());
    trigger
}

/// What changed, for the body.
pub struct Change<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub arn: &'a str,
    pub old: AlarmState,
    pub new: AlarmState,
    pub reason: &'a str,
    pub changed_ms: i64,
}

/// The JSON body of the notification.
pub fn body(alarm: &Alarm, change: &Change<'_>) -> String {
    let mut body = json!({
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": change.account,
        "AlarmConfigurationUpdatedTimestamp": data_time(alarm.configured_ms),
        "NewStateValue": change.new.as_str(),
        "NewStateReason": change.reason,
        "StateChangeTime": data_time(change.changed_ms),
        "Region": region_name(change.region),
        "AlarmArn": change.arn,
        "OldStateValue": change.old.as_str(),
        "OKActions": alarm.actions.ok,
        "AlarmActions": alarm.actions.alarm,
        "InsufficientDataActions": alarm.actions.insufficient_data,
    });
    match &alarm.kind {
        Kind::Metric(_) => body["Trigger"] = trigger(alarm),
        Kind::Composite(composite) => body["AlarmRule"] = json!(composite.rule),
    }
    body.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{Actions, MetricAlarm, MetricStat};

    #[test]
    fn a_metric_alarm_notification_has_cloudwatchs_members() {
        let alarm = Alarm {
            name: "cpu-high".into(),
            description: Some("CPU".into()),
            actions: Actions { enabled: true, alarm: vec!["arn:aws:sns:us-east-1:1:ops".into()], ..Default::default() },
            kind: Kind::Metric(MetricAlarm {
                source: Source::Metric {
                    stat: MetricStat {
                        namespace: "AWS/EC2".into(),
                        metric_name: "CPUUtilization".into(),
                        dimensions: vec![("InstanceId".into(), "i-1".into())],
                        period: 300,
                        stat: "Average".into(),
                        unit: None,
                    },
                    extended: false,
                },
                evaluation_periods: 5,
                datapoints_to_alarm: None,
                threshold: Some(80.0),
                comparison: "GreaterThanThreshold".into(),
                treat_missing_data: None,
                low_sample_percentile: None,
            }),
            tags: vec![],
            configured_ms: 0,
        };
        assert_eq!(subject(&alarm, AlarmState::Alarm, "us-east-1"), "ALARM: \"cpu-high\" in US East (N. Virginia)");
        let change = Change {
            account: "1",
            region: "us-east-1",
            arn: "arn",
            old: AlarmState::Ok,
            new: AlarmState::Alarm,
            reason: "Threshold Crossed",
            changed_ms: 0,
        };
        let value: Value = serde_json::from_str(&body(&alarm, &change)).unwrap();
        assert_eq!(value["NewStateValue"], "ALARM");
        assert_eq!(value["OldStateValue"], "OK");
        assert_eq!(value["Region"], "US East (N. Virginia)");
        assert_eq!(value["Trigger"]["Statistic"], "AVERAGE");
        assert_eq!(value["Trigger"]["Dimensions"], json!([{"value": "i-1", "name": "InstanceId"}]));
        assert_eq!(value["Trigger"]["DatapointsToAlarm"], 5);
        assert_eq!(value["StateChangeTime"], "1970-01-01T00:00:00.000+0000");
    }
}
