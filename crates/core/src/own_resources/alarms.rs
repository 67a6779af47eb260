//! CloudWatch alarms as `AWS::CloudWatch::Alarm` items: the resource id is the alarm name.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde_json::{Map, Value, json};
use skywatch_alarms::definition::{Alarm, Kind, Source, alarm_arn};
use skywatch_alarms::service::storage;
use skywatch_config::{Described, Identity};
use skywatch_store::{ReadError, Reader};

pub fn identify(arn: &str) -> Option<Identity> {
    let name = super::after(arn, ":alarm:")?;
    Some(Identity { resource_id: name.to_owned(), resource_name: Some(name.to_owned()), arn: Some(arn.to_owned()) })
}

pub fn describe(
    reader: &Reader,
    (account, region): (&str, &str),
    identity: &Identity,
) -> Result<Option<Described>, ReadError> {
    let Some(alarm) = storage::alarm(reader, account, region, &identity.resource_id)? else { return Ok(None) };
    let arn = alarm_arn(region, account, &alarm.name);
    Ok(Some(Described {
        identity: Identity {
            resource_id: alarm.name.clone(),
            resource_name: Some(alarm.name.clone()),
            arn: Some(arn.clone()),
        },
        configuration: configuration(&alarm, &arn),
        supplementary: BTreeMap::new(),
        tags: alarm.tags.iter().cloned().collect(),
        relationships: Vec::new(),
        created_ms: None,
        schema_version_id: None,
    }))
}

pub fn list(reader: &Reader, (account, region): (&str, &str), limit: usize) -> Result<Vec<Identity>, ReadError> {
    let mut found = Vec::new();
    storage::each_alarm(reader, account, region, "", None, |alarm| {
        let arn = alarm_arn(region, account, &alarm.name);
        found.push(Identity { resource_id: alarm.name.clone(), resource_name: Some(alarm.name), arn: Some(arn) });
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(found)
}

/// The alarm as AWS Config records it (DescribeAlarms' members in lower camel case, without the state).
fn configuration(alarm: &Alarm, arn: &str) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        if !value.is_null() {
            out.insert(key.to_owned(), value);
        }
    };
    put("alarmName", json!(alarm.name));
    put("alarmArn", json!(arn));
    put("alarmDescription", json!(alarm.description));
    put("actionsEnabled", json!(alarm.actions.enabled));
    put("okactions", json!(alarm.actions.ok));
    put("alarmActions", json!(alarm.actions.alarm));
    put("insufficientDataActions", json!(alarm.actions.insufficient_data));
    match &alarm.kind {
        Kind::Metric(metric) => {
            match &metric.source {
                Source::Metric { stat, extended } => {
                    put("metricName", json!(stat.metric_name));
                    put("namespace", json!(stat.namespace));
                    put(if *extended { "extendedStatistic" } else { "statistic" }, json!(stat.stat));
                    put(
                        "dimensions",
                        Value::Array(stat.dimensions.iter().map(|(n, v)| json!({"name": n, "value": v})).collect()),
                    );
                    put("period", json!(stat.period));
                    put("unit", json!(stat.unit));
                }
                Source::Queries { queries, threshold_metric_id } => {
                    put("metrics", serde_json::to_value(queries).unwrap_or(Value::Null));
                    put("thresholdMetricId", json!(threshold_metric_id));
                }
            }
            put("evaluationPeriods", json!(metric.evaluation_periods));
            put("datapointsToAlarm", json!(metric.datapoints_to_alarm));
            put("threshold", json!(metric.threshold));
            put("comparisonOperator", json!(metric.comparison));
            put("treatMissingData", json!(metric.treat_missing_data));
            put("evaluateLowSampleCountPercentile", json!(metric.low_sample_percentile));
        }
        Kind::Composite(composite) => {
            put("alarmRule", json!(composite.rule));
            put("actionsSuppressor", json!(composite.suppressor));
            put("actionsSuppressorWaitPeriod", json!(composite.suppressor_wait_s));
            put("actionsSuppressorExtensionPeriod", json!(composite.suppressor_extension_s));
        }
    }
    Value::Object(out)
}
