//! PutMetricData: wire shapes to engine write points; the points become visible once their log record and audit
//! record are committed.

use serde_json::{Value, json};
use skywatch_core::Services;
use skywatch_core::metrics::{MetricDatum, StatisticValues, plan_put};

use crate::authenticate::Identity;
use crate::errors::ApiError;
use crate::front_door::Outcome;
use crate::params::{f64_opt, i64_opt, list_opt, number, str_opt, str_required, timestamp_ms_opt};
use crate::services::cloudwatch::shapes::dimensions;

pub fn put_metric_data(services: &Services, identity: &Identity, params: &Value) -> Result<Outcome, ApiError> {
    let namespace = str_required(params, "Namespace")?;
    let data = list_opt(params, "MetricData")?
        .iter()
        .enumerate()
        .map(|(i, member)| datum(i + 1, member))
        .collect::<Result<Vec<_>, _>>()?;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let points = plan_put(identity.caller.account(), &identity.region, namespace, &data, now_ms)?;
    let mut prepared = services.tsdb.prepare(&points);
    let mutations = std::mem::take(&mut prepared.mutations);
    let tsdb = services.tsdb.clone();
    Ok(Outcome {
        result: json!({}),
        mutations,
        after_commit: Some(Box::new(move || tsdb.apply(prepared, now_ms))),
        refusal: None,
    })
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
