//! The alarm operations in their wire shapes: PutMetricAlarm, PutCompositeAlarm, DescribeAlarms,
//! DescribeAlarmsForMetric, DescribeAlarmHistory, SetAlarmState, Enable/DisableAlarmActions, DeleteAlarms,
//! TagResource, UntagResource and ListTagsForResource.

use serde_json::{Value, json};
use skywatch_core::alarms::definition::{AlarmQuery, Kind, MetricStat, Source};
use skywatch_core::alarms::service::{
    AlarmActionsInput, AlarmView, Common, CompositeInput, DeleteAlarms, DeleteAlarmsInput, DescribeAlarmHistory,
    DescribeAlarmHistoryInput, DescribeAlarms, DescribeAlarmsForMetric, DescribeAlarmsForMetricInput,
    DescribeAlarmsInput, DescribedAlarms, Dimension, DisableAlarmActions, EnableAlarmActions, HistoryPage,
    ListTagsForResource, MetricInput, PutCompositeAlarm, PutCompositeAlarmInput, PutMetricAlarm, PutMetricAlarmInput,
    ResourceInput, SetAlarmState, SetAlarmStateInput, Tag, TagResource, TagResourceInput, UntagResource,
    UntagResourceInput,
};
use skywatch_core::ops::Context;

use crate::errors::ApiError;
use crate::params::{bool_opt, f64_opt, i64_opt, list_opt, str_opt, str_required, timestamp_ms_opt};
use crate::registry::Wire;
use crate::wire::timestamp;

fn strings(params: &Value, name: &str) -> Result<Vec<String>, ApiError> {
    list_opt(params, name)?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| ApiError::InvalidParameterValue(format!("The members of {name} must be strings.")))
        })
        .collect()
}

fn required_list(params: &Value, name: &str) -> Result<Vec<String>, ApiError> {
    if params.get(name).is_none_or(Value::is_null) {
        return Err(ApiError::MissingParameter(format!("The parameter {name} is required.")));
    }
    strings(params, name)
}

fn pairs(params: &Value, list: &str, first: &str, second: &str) -> Result<Vec<(String, String)>, ApiError> {
    list_opt(params, list)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let field = |f: &str| {
                str_opt(item, f)?.map(str::to_owned).ok_or_else(|| {
                    ApiError::MissingParameter(format!("The parameter {list}.member.{}.{f} is required.", i + 1))
                })
            };
            Ok((field(first)?, field(second)?))
        })
        .collect()
}

fn dimensions(params: &Value) -> Result<Vec<Dimension>, ApiError> {
    Ok(pairs(params, "Dimensions", "Name", "Value")?
        .into_iter()
        .map(|(name, value)| Dimension { name, value })
        .collect())
}

fn tags(params: &Value) -> Result<Vec<Tag>, ApiError> {
    Ok(pairs(params, "Tags", "Key", "Value")?.into_iter().map(|(key, value)| Tag { key, value }).collect())
}

fn common(params: &Value) -> Result<Common, ApiError> {
    Ok(Common {
        alarm_name: str_required(params, "AlarmName")?.to_owned(),
        alarm_description: str_opt(params, "AlarmDescription")?.map(str::to_owned),
        actions_enabled: bool_opt(params, "ActionsEnabled")?,
        ok_actions: strings(params, "OKActions")?,
        alarm_actions: strings(params, "AlarmActions")?,
        insufficient_data_actions: strings(params, "InsufficientDataActions")?,
        tags: tags(params)?,
    })
}

fn metric_stat(stat: &Value, member: &str) -> Result<MetricStat, ApiError> {
    let metric = stat
        .get("Metric")
        .filter(|v| !v.is_null())
        .ok_or_else(|| ApiError::MissingParameter(format!("The parameter {member}.MetricStat.Metric is required.")))?;
    let required = |value: &Value, f: &str, path: &str| {
        str_opt(value, f)?
            .map(str::to_owned)
            .ok_or_else(|| ApiError::MissingParameter(format!("The parameter {member}.{path}{f} is required.")))
    };
    let mut dimensions = pairs(metric, "Dimensions", "Name", "Value")?;
    dimensions.sort();
    Ok(MetricStat {
        namespace: required(metric, "Namespace", "MetricStat.Metric.")?,
        metric_name: required(metric, "MetricName", "MetricStat.Metric.")?,
        dimensions,
        period: i64_opt(stat, "Period")?.ok_or_else(|| {
            ApiError::MissingParameter(format!("The parameter {member}.MetricStat.Period is required."))
        })?,
        stat: required(stat, "Stat", "MetricStat.")?,
        unit: str_opt(stat, "Unit")?.map(str::to_owned),
    })
}

fn queries(params: &Value) -> Result<Vec<AlarmQuery>, ApiError> {
    list_opt(params, "Metrics")?
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let member = format!("Metrics.member.{}", i + 1);
            Ok(AlarmQuery {
                id: str_opt(q, "Id")?
                    .ok_or_else(|| ApiError::MissingParameter(format!("The parameter {member}.Id is required.")))?
                    .to_owned(),
                metric_stat: match q.get("MetricStat").filter(|v| !v.is_null()) {
                    Some(stat) => Some(metric_stat(stat, &member)?),
                    None => None,
                },
                expression: str_opt(q, "Expression")?.map(str::to_owned),
                label: str_opt(q, "Label")?.map(str::to_owned),
                return_data: bool_opt(q, "ReturnData")?,
                period: i64_opt(q, "Period")?,
                account_id: str_opt(q, "AccountId")?.map(str::to_owned),
            })
        })
        .collect()
}

impl Wire for PutMetricAlarm {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutMetricAlarmInput, ApiError> {
        let metric = MetricInput {
            metric_name: str_opt(params, "MetricName")?.map(str::to_owned),
            namespace: str_opt(params, "Namespace")?.map(str::to_owned),
            statistic: str_opt(params, "Statistic")?.map(str::to_owned),
            extended_statistic: str_opt(params, "ExtendedStatistic")?.map(str::to_owned),
            dimensions: dimensions(params)?,
            period: i64_opt(params, "Period")?,
            unit: str_opt(params, "Unit")?.map(str::to_owned),
            evaluation_periods: i64_opt(params, "EvaluationPeriods")?,
            datapoints_to_alarm: i64_opt(params, "DatapointsToAlarm")?,
            threshold: f64_opt(params, "Threshold")?,
            comparison_operator: str_opt(params, "ComparisonOperator")?.map(str::to_owned),
            treat_missing_data: str_opt(params, "TreatMissingData")?.map(str::to_owned),
            evaluate_low_sample_count_percentile: str_opt(params, "EvaluateLowSampleCountPercentile")?
                .map(str::to_owned),
            metrics: queries(params)?,
            threshold_metric_id: str_opt(params, "ThresholdMetricId")?.map(str::to_owned),
        };
        Ok(PutMetricAlarmInput { common: common(params)?, metric })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for PutCompositeAlarm {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutCompositeAlarmInput, ApiError> {
        let composite = CompositeInput {
            alarm_rule: str_required(params, "AlarmRule")?.to_owned(),
            actions_suppressor: str_opt(params, "ActionsSuppressor")?.map(str::to_owned),
            actions_suppressor_wait_period: i64_opt(params, "ActionsSuppressorWaitPeriod")?,
            actions_suppressor_extension_period: i64_opt(params, "ActionsSuppressorExtensionPeriod")?,
        };
        Ok(PutCompositeAlarmInput { common: common(params)?, composite })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

fn dimension_list(dimensions: &[(String, String)]) -> Vec<Value> {
    dimensions.iter().map(|(n, v)| json!({ "Name": n, "Value": v })).collect()
}

fn metric_stat_json(stat: &MetricStat) -> Value {
    let mut out = json!({
        "Metric": {
            "Namespace": stat.namespace,
            "MetricName": stat.metric_name,
            "Dimensions": dimension_list(&stat.dimensions),
        },
        "Period": stat.period,
        "Stat": stat.stat,
    });
    if let Some(unit) = &stat.unit {
        out["Unit"] = json!(unit);
    }
    out
}

fn insert_opt(out: &mut Value, name: &str, value: Option<Value>) {
    if let Some(value) = value {
        out[name] = value;
    }
}

/// The members both kinds of alarm show.
fn alarm_common(view: &AlarmView) -> Value {
    let (alarm, status) = (&view.alarm, &view.status);
    let mut out = json!({
        "AlarmName": alarm.name,
        "AlarmArn": view.arn,
        "AlarmConfigurationUpdatedTimestamp": timestamp(alarm.configured_ms),
        "ActionsEnabled": alarm.actions.enabled,
        "OKActions": alarm.actions.ok,
        "AlarmActions": alarm.actions.alarm,
        "InsufficientDataActions": alarm.actions.insufficient_data,
        "StateValue": status.value.as_str(),
        "StateReason": status.reason,
        "StateUpdatedTimestamp": timestamp(status.updated_ms),
        "StateTransitionedTimestamp": timestamp(status.transitioned_ms),
    });
    insert_opt(&mut out, "AlarmDescription", alarm.description.as_ref().map(|d| json!(d)));
    insert_opt(&mut out, "StateReasonData", status.reason_data.as_ref().map(|d| json!(d)));
    out
}

/// A `MetricAlarm` structure.
pub fn metric_alarm(view: &AlarmView) -> Value {
    let mut out = alarm_common(view);
    let Kind::Metric(metric) = &view.alarm.kind else { return out };
    match &metric.source {
        Source::Metric { stat, extended } => {
            out["MetricName"] = json!(stat.metric_name);
            out["Namespace"] = json!(stat.namespace);
            out[if *extended { "ExtendedStatistic" } else { "Statistic" }] = json!(stat.stat);
            out["Dimensions"] = json!(dimension_list(&stat.dimensions));
            out["Period"] = json!(stat.period);
            insert_opt(&mut out, "Unit", stat.unit.as_ref().map(|u| json!(u)));
        }
        Source::Queries { queries, threshold_metric_id } => {
            let list: Vec<Value> = queries
                .iter()
                .map(|q| {
                    let mut entry = json!({ "Id": q.id, "ReturnData": q.returns_data() });
                    insert_opt(&mut entry, "MetricStat", q.metric_stat.as_ref().map(metric_stat_json));
                    insert_opt(&mut entry, "Expression", q.expression.as_ref().map(|e| json!(e)));
                    insert_opt(&mut entry, "Label", q.label.as_ref().map(|l| json!(l)));
                    insert_opt(&mut entry, "Period", q.period.map(|p| json!(p)));
                    insert_opt(&mut entry, "AccountId", q.account_id.as_ref().map(|a| json!(a)));
                    entry
                })
                .collect();
            out["Metrics"] = json!(list);
            insert_opt(&mut out, "ThresholdMetricId", threshold_metric_id.as_ref().map(|t| json!(t)));
        }
    }
    out["EvaluationPeriods"] = json!(metric.evaluation_periods);
    insert_opt(&mut out, "DatapointsToAlarm", metric.datapoints_to_alarm.map(|m| json!(m)));
    insert_opt(&mut out, "Threshold", metric.threshold.map(|t| json!(t)));
    out["ComparisonOperator"] = json!(metric.comparison);
    insert_opt(&mut out, "TreatMissingData", metric.treat_missing_data.as_ref().map(|t| json!(t)));
    insert_opt(&mut out, "EvaluateLowSampleCountPercentile", metric.low_sample_percentile.as_ref().map(|t| json!(t)));
    out
}

/// A `CompositeAlarm` structure.
pub fn composite_alarm(view: &AlarmView) -> Value {
    let mut out = alarm_common(view);
    let Kind::Composite(composite) = &view.alarm.kind else { return out };
    out["AlarmRule"] = json!(composite.rule);
    insert_opt(&mut out, "ActionsSuppressor", composite.suppressor.as_ref().map(|s| json!(s)));
    insert_opt(&mut out, "ActionsSuppressorWaitPeriod", composite.suppressor_wait_s.map(|s| json!(s)));
    insert_opt(&mut out, "ActionsSuppressorExtensionPeriod", composite.suppressor_extension_s.map(|s| json!(s)));
    insert_opt(&mut out, "ActionsSuppressedBy", view.status.suppressed_by.as_ref().map(|s| json!(s)));
    insert_opt(&mut out, "ActionsSuppressedReason", view.status.suppressed_reason.as_ref().map(|s| json!(s)));
    out
}

impl Wire for DescribeAlarms {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeAlarmsInput, ApiError> {
        Ok(DescribeAlarmsInput {
            alarm_names: strings(params, "AlarmNames")?,
            alarm_name_prefix: str_opt(params, "AlarmNamePrefix")?.map(str::to_owned),
            alarm_types: strings(params, "AlarmTypes")?,
            children_of_alarm_name: str_opt(params, "ChildrenOfAlarmName")?.map(str::to_owned),
            parents_of_alarm_name: str_opt(params, "ParentsOfAlarmName")?.map(str::to_owned),
            state_value: str_opt(params, "StateValue")?.map(str::to_owned),
            action_prefix: str_opt(params, "ActionPrefix")?.map(str::to_owned),
            max_records: i64_opt(params, "MaxRecords")?,
            next_token: str_opt(params, "NextToken")?.map(str::to_owned),
        })
    }

    fn encode(output: DescribedAlarms) -> Value {
        let mut out = json!({
            "MetricAlarms": output.metric_alarms.iter().map(metric_alarm).collect::<Vec<_>>(),
            "CompositeAlarms": output.composite_alarms.iter().map(composite_alarm).collect::<Vec<_>>(),
        });
        insert_opt(&mut out, "NextToken", output.next_token.map(|t| json!(t)));
        out
    }
}

impl Wire for DescribeAlarmsForMetric {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeAlarmsForMetricInput, ApiError> {
        Ok(DescribeAlarmsForMetricInput {
            metric_name: str_required(params, "MetricName")?.to_owned(),
            namespace: str_required(params, "Namespace")?.to_owned(),
            statistic: str_opt(params, "Statistic")?.map(str::to_owned),
            extended_statistic: str_opt(params, "ExtendedStatistic")?.map(str::to_owned),
            dimensions: dimensions(params)?,
            period: i64_opt(params, "Period")?,
            unit: str_opt(params, "Unit")?.map(str::to_owned),
        })
    }

    fn encode(views: Vec<AlarmView>) -> Value {
        json!({ "MetricAlarms": views.iter().map(metric_alarm).collect::<Vec<_>>() })
    }
}

impl Wire for DescribeAlarmHistory {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeAlarmHistoryInput, ApiError> {
        Ok(DescribeAlarmHistoryInput {
            alarm_name: str_opt(params, "AlarmName")?.map(str::to_owned),
            alarm_types: strings(params, "AlarmTypes")?,
            history_item_type: str_opt(params, "HistoryItemType")?.map(str::to_owned),
            start_date_ms: timestamp_ms_opt(params, "StartDate")?,
            end_date_ms: timestamp_ms_opt(params, "EndDate")?,
            max_records: i64_opt(params, "MaxRecords")?,
            next_token: str_opt(params, "NextToken")?.map(str::to_owned),
            scan_by: str_opt(params, "ScanBy")?.map(str::to_owned),
        })
    }

    fn encode(page: HistoryPage) -> Value {
        let items: Vec<Value> = page
            .items
            .iter()
            .map(|item| {
                json!({
                    "AlarmName": item.name,
                    "AlarmType": item.alarm_type,
                    "Timestamp": timestamp(item.timestamp_ms),
                    "HistoryItemType": item.item_type,
                    "HistorySummary": item.summary,
                    "HistoryData": item.data,
                })
            })
            .collect();
        let mut out = json!({ "AlarmHistoryItems": items });
        insert_opt(&mut out, "NextToken", page.next_token.map(|t| json!(t)));
        out
    }
}

impl Wire for SetAlarmState {
    fn decode(_ctx: &Context, params: &Value) -> Result<SetAlarmStateInput, ApiError> {
        Ok(SetAlarmStateInput {
            alarm_name: str_required(params, "AlarmName")?.to_owned(),
            state_value: str_required(params, "StateValue")?.to_owned(),
            state_reason: str_required(params, "StateReason")?.to_owned(),
            state_reason_data: str_opt(params, "StateReasonData")?.map(str::to_owned),
        })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for EnableAlarmActions {
    fn decode(_ctx: &Context, params: &Value) -> Result<AlarmActionsInput, ApiError> {
        Ok(AlarmActionsInput { alarm_names: required_list(params, "AlarmNames")? })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for DisableAlarmActions {
    fn decode(_ctx: &Context, params: &Value) -> Result<AlarmActionsInput, ApiError> {
        Ok(AlarmActionsInput { alarm_names: required_list(params, "AlarmNames")? })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteAlarms {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteAlarmsInput, ApiError> {
        Ok(DeleteAlarmsInput { alarm_names: required_list(params, "AlarmNames")? })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for TagResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<TagResourceInput, ApiError> {
        if params.get("Tags").is_none_or(Value::is_null) {
            return Err(ApiError::MissingParameter("The parameter Tags is required.".into()));
        }
        Ok(TagResourceInput { resource_arn: str_required(params, "ResourceARN")?.to_owned(), tags: tags(params)? })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for UntagResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<UntagResourceInput, ApiError> {
        Ok(UntagResourceInput {
            resource_arn: str_required(params, "ResourceARN")?.to_owned(),
            tag_keys: required_list(params, "TagKeys")?,
        })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

impl Wire for ListTagsForResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<ResourceInput, ApiError> {
        Ok(ResourceInput { resource_arn: str_required(params, "ResourceARN")?.to_owned() })
    }

    fn encode(tags: Vec<(String, String)>) -> Value {
        json!({ "Tags": tags.iter().map(|(k, v)| json!({ "Key": k, "Value": v })).collect::<Vec<_>>() })
    }
}
