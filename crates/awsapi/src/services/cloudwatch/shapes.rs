//! Shapes shared by the metric operations: a `Metric` (namespace, name, dimensions) in and out.

use serde_json::{Value, json};
use skywatch_core::metrics::tsdb::SeriesKey;

use crate::errors::ApiError;
use crate::params::{list_opt, str_opt};
use skywatch_core::ops::Context;

/// The `Dimensions` list of a metric or request: (Name, Value) pairs, each required.
pub fn dimensions(params: &Value, prefix: &str) -> Result<Vec<(String, String)>, ApiError> {
    list_opt(params, "Dimensions")?
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let field = |f: &str| {
                str_opt(d, f)?.map(str::to_owned).ok_or_else(|| {
                    ApiError::MissingParameter(format!(
                        "The parameter {prefix}Dimensions.member.{}.{f} is required.",
                        i + 1
                    ))
                })
            };
            Ok((field("Name")?, field("Value")?))
        })
        .collect()
}

/// A `Metric` structure as the series it names in the context's account and region.
pub fn series(ctx: &Context, metric: &Value, prefix: &str) -> Result<SeriesKey, ApiError> {
    let required = |f: &str| {
        str_opt(metric, f)?
            .map(str::to_owned)
            .ok_or_else(|| ApiError::MissingParameter(format!("The parameter {prefix}{f} is required.")))
    };
    let dimensions = dimensions(metric, prefix)?;
    if dimensions.len() > 30 {
        return Err(ApiError::InvalidParameterValue(format!(
            "The collection {prefix}Dimensions must not have a size greater than 30."
        )));
    }
    Ok(SeriesKey::new(
        ctx.account.as_str(),
        ctx.region.as_str(),
        required("Namespace")?,
        required("MetricName")?,
        dimensions,
    ))
}

/// A series as the `Metric` structure of a response.
pub fn metric(key: &SeriesKey) -> Value {
    json!({
        "Namespace": key.namespace,
        "MetricName": key.metric_name,
        "Dimensions": key.dimensions.iter().map(|(n, v)| json!({"Name": n, "Value": v})).collect::<Vec<_>>(),
    })
}
