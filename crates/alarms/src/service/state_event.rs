//! "CloudWatch Alarm State Change": the event an alarm's change of state puts on its account's default bus, in
//! AWS's shape (`alarmName`, `state` and `previousState` with `value`, `reason`, `reasonData` and a millisecond
//! `timestamp`, and the `configuration`: a metric alarm's `metrics` as metric-data queries, a composite alarm's
//! `alarmRule`). The core routes it through EventBridge ([`StateChangeEvents`]); its deliveries commit with the
//! change and apply only with it.

use serde_json::{Map, Value, json};
use skywatch_store::{Mutation, Reader};

use crate::definition::{Alarm, AlarmQuery, Kind, MetricStat, Source, alarm_arn};
use crate::status::Status;

/// An alarm's state change as an event of `aws.cloudwatch`.
#[derive(Debug, Clone, PartialEq)]
pub struct StateChangeEvent {
    pub account: String,
    pub region: String,
    pub alarm_arn: String,
    pub time_ms: i64,
    /// The event's detail.
    pub detail: Value,
}

/// Where state changes are announced (EventBridge; provided by the core).
pub trait StateChangeEvents: Send + Sync + 'static {
    /// The mutations that deliver `event` to the rules it matches, committed with the change.
    fn plan(&self, reader: &Reader, event: &StateChangeEvent) -> Vec<Mutation>;
    /// After a commit that may have queued deliveries.
    fn committed(&self);
}

fn timestamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()
}

fn state(status: &Status) -> Value {
    let mut out = Map::new();
    out.insert("value".into(), json!(status.value.as_str()));
    out.insert("reason".into(), json!(status.reason));
    if let Some(data) = &status.reason_data {
        out.insert("reasonData".into(), json!(data));
    }
    out.insert("timestamp".into(), json!(timestamp(status.updated_ms)));
    Value::Object(out)
}

fn metric_stat(stat: &MetricStat) -> Value {
    let dimensions: Map<String, Value> = stat.dimensions.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let mut out = json!({
        "metric": { "namespace": stat.namespace, "name": stat.metric_name, "dimensions": dimensions },
        "period": stat.period,
        "stat": stat.stat,
    });
    if let Some(unit) = &stat.unit {
        out["unit"] = json!(unit);
    }
    out
}

fn query(q: &AlarmQuery) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(q.id));
    if let Some(stat) = &q.metric_stat {
        out.insert("metricStat".into(), metric_stat(stat));
    }
    if let Some(expression) = &q.expression {
        out.insert("expression".into(), json!(expression));
    }
    if let Some(label) = &q.label {
        out.insert("label".into(), json!(label));
    }
    out.insert("returnData".into(), json!(q.returns_data()));
    Value::Object(out)
}

/// The event of `alarm` moving from `old` to `new` in (`account`, `region`).
pub fn state_change_event(account: &str, region: &str, alarm: &Alarm, old: &Status, new: &Status) -> StateChangeEvent {
    let mut configuration = Map::new();
    if let Some(description) = &alarm.description {
        configuration.insert("description".into(), json!(description));
    }
    match &alarm.kind {
        Kind::Metric(metric) => {
            let metrics = match &metric.source {
                Source::Metric { stat, .. } => {
                    vec![json!({ "id": "m1", "metricStat": metric_stat(stat), "returnData": true })]
                }
                Source::Queries { queries, .. } => queries.iter().map(query).collect(),
            };
            configuration.insert("metrics".into(), Value::Array(metrics));
        }
        Kind::Composite(composite) => {
            configuration.insert("alarmRule".into(), json!(composite.rule));
            if let Some(suppressor) = &composite.suppressor {
                configuration.insert("actionsSuppressor".into(), json!(suppressor));
            }
        }
    }
    StateChangeEvent {
        account: account.to_owned(),
        region: region.to_owned(),
        alarm_arn: alarm_arn(region, account, &alarm.name),
        time_ms: new.updated_ms,
        detail: json!({
            "alarmName": alarm.name,
            "state": state(new),
            "previousState": state(old),
            "configuration": Value::Object(configuration),
        }),
    }
}
