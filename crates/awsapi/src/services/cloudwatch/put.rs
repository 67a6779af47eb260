//! PutMetricData: wire shapes to engine write points; the points become visible once their log record and audit
//! record are committed.

use serde_json::{Value, json};
use skywatch_core::metrics::{MetricDatum, PutMetricData, PutMetricDataInput, StatisticValues};
use skywatch_core::ops::Context;

use crate::errors::ApiError;
use crate::params::{f64_opt, i64_opt, list_opt, number, str_opt, str_required, timestamp_ms_opt};
use crate::registry::Wire;
use crate::services::cloudwatch::shapes::dimensions;

impl Wire for PutMetricData {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutMetricDataInput, ApiError> {
        let namespace = str_required(params, "Namespace")?.to_owned();
        let metric_data = list_opt(params, "MetricData")?
            .iter()
            .enumerate()
            .map(|(i, member)| datum(i + 1, member))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PutMetricDataInput { namespace, metric_data: metric_data.into() })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}

fn datum(member: usize, value: &Value) -> Result<MetricDatum, ApiError> {
    let name = |field: &str| format!("MetricData.member.{member}.{field}");
    let dimensions = dimensions(value, &format!("MetricData.member.{member}."))?;
    let numbers = |field: &str| -> Result<Vec<f64>, ApiError> {
        list_opt(value, field)?
            .iter()
            .map(|v| {
                number(v).ok_or_else(|| {
                    ApiError::InvalidParameterValue(format!("The parameter {} must be numbers.", name(field)))
                })
            })
            .collect()
    };
    let statistic_values = match value.get("StatisticValues") {
        None | Some(Value::Null) => None,
        Some(stats) => {
            let field = |f: &str| {
                f64_opt(stats, f)?.ok_or_else(|| {
                    ApiError::MissingParameter(format!("The parameter {}.{f} is required.", name("StatisticValues")))
                })
            };
            Some(StatisticValues {
                sample_count: field("SampleCount")?,
                sum: field("Sum")?,
                minimum: field("Minimum")?,
                maximum: field("Maximum")?,
            })
        }
    };
    Ok(MetricDatum {
        metric_name: str_opt(value, "MetricName")?.unwrap_or("").to_owned(),
        dimensions,
        timestamp_ms: timestamp_ms_opt(value, "Timestamp")?,
        value: f64_opt(value, "Value")?,
        statistic_values,
        values: numbers("Values")?,
        counts: numbers("Counts")?,
        unit: str_opt(value, "Unit")?.map(str::to_owned),
        storage_resolution: i64_opt(value, "StorageResolution")?,
    })
}
