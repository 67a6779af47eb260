//! Metric filters on the wire.

use serde_json::{Map, Value, json};
use skywatch_core::logs::filters::{MetricFilter, MetricTransformation};
use skywatch_core::logs::ops::{
    DeleteMetricFilter, DeleteMetricFilterInput, DescribeMetricFilters, DescribeMetricFiltersInput,
    DescribeMetricFiltersOutput, MetricFilterMatch, PutMetricFilter, PutMetricFilterInput, TestMetricFilter,
    TestMetricFilterInput,
};
use skywatch_core::ops::Context;

use super::{i64_opt, list_opt, missing, string_map, string_opt, string_required, strings, wrong_type};
use crate::errors::ApiError;
use crate::registry::Wire;

fn transformation(index: usize, value: &Value) -> Result<MetricTransformation, ApiError> {
    let member = |name: &str| format!("metricTransformations.{}.member.{name}", index + 1);
    let default_value = match value.get("defaultValue") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(_) => return Err(wrong_type(&member("defaultValue"), "a double")),
    };
    Ok(MetricTransformation {
        metric_name: string_required(value, "metricName").map_err(|_| missing(&member("metricName")))?,
        metric_namespace: string_required(value, "metricNamespace").map_err(|_| missing(&member("metricNamespace")))?,
        metric_value: string_required(value, "metricValue").map_err(|_| missing(&member("metricValue")))?,
        default_value,
        dimensions: string_map(value, "dimensions")?,
        unit: string_opt(value, "unit")?,
    })
}

impl Wire for PutMetricFilter {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutMetricFilterInput, ApiError> {
        if params.get("metricTransformations").is_none_or(Value::is_null) {
            return Err(missing("metricTransformations"));
        }
        // Bounded before decoding: the model allows one transformation.
        let list = list_opt(params, "metricTransformations")?;
        let metric_transformations =
            list.iter().take(2).enumerate().map(|(i, t)| transformation(i, t)).collect::<Result<Vec<_>, _>>()?;
        Ok(PutMetricFilterInput {
            log_group_name: string_required(params, "logGroupName")?,
            filter_name: string_required(params, "filterName")?,
            filter_pattern: string_opt(params, "filterPattern")?.ok_or_else(|| missing("filterPattern"))?,
            metric_transformations,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteMetricFilter {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteMetricFilterInput, ApiError> {
        Ok(DeleteMetricFilterInput {
            log_group_name: string_required(params, "logGroupName")?,
            filter_name: string_required(params, "filterName")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

/// A `MetricTransformation`.
fn transformation_shape(t: &MetricTransformation) -> Value {
    let mut out = Map::new();
    out.insert("metricName".into(), json!(t.metric_name));
    out.insert("metricNamespace".into(), json!(t.metric_namespace));
    out.insert("metricValue".into(), json!(t.metric_value));
    if let Some(default) = t.default_value {
        out.insert("defaultValue".into(), json!(default));
    }
    if !t.dimensions.is_empty() {
        out.insert("dimensions".into(), json!(t.dimensions));
    }
    if let Some(unit) = &t.unit {
        out.insert("unit".into(), json!(unit));
    }
    Value::Object(out)
}

/// A `MetricFilter`.
pub(super) fn filter_shape(f: &MetricFilter) -> Value {
    json!({
        "filterName": f.filter_name,
        "filterPattern": f.filter_pattern,
        "metricTransformations": f.metric_transformations.iter().map(transformation_shape).collect::<Vec<_>>(),
        "creationTime": f.creation_time,
        "logGroupName": f.log_group_name,
        "applyOnTransformedLogs": false,
    })
}

impl Wire for DescribeMetricFilters {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeMetricFiltersInput, ApiError> {
        Ok(DescribeMetricFiltersInput {
            log_group_name: string_opt(params, "logGroupName")?,
            filter_name_prefix: string_opt(params, "filterNamePrefix")?,
            metric_name: string_opt(params, "metricName")?,
            metric_namespace: string_opt(params, "metricNamespace")?,
            limit: i64_opt(params, "limit")?,
            next_token: string_opt(params, "nextToken")?,
        })
    }

    fn encode(output: DescribeMetricFiltersOutput) -> Value {
        let mut out = json!({"metricFilters": output.filters.iter().map(filter_shape).collect::<Vec<_>>()});
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}

impl Wire for TestMetricFilter {
    fn decode(_ctx: &Context, params: &Value) -> Result<TestMetricFilterInput, ApiError> {
        Ok(TestMetricFilterInput {
            filter_pattern: string_opt(params, "filterPattern")?.ok_or_else(|| missing("filterPattern"))?,
            log_event_messages: strings(params, "logEventMessages")?,
        })
    }

    fn encode(matches: Vec<MetricFilterMatch>) -> Value {
        let matches: Vec<Value> = matches
            .iter()
            .map(|m| {
                json!({
                    "eventNumber": m.event_number,
                    "eventMessage": m.event_message,
                    "extractedValues": m.extracted_values,
                })
            })
            .collect();
        json!({ "matches": matches })
    }
}
