//! GetMetricStatistics.

use serde_json::{Map, Value, json};
use skywatch_core::metrics::{GetMetricStatistics, StatisticsReply, StatisticsRequest};
use skywatch_core::ops::Context;

use crate::errors::ApiError;
use crate::params::{i64_opt, list_opt, str_opt, timestamp_ms_required};
use crate::registry::Wire;
use crate::services::cloudwatch::shapes::series;
use crate::wire::timestamp;

fn strings(params: &Value, name: &str) -> Result<Vec<String>, ApiError> {
    list_opt(params, name)?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| ApiError::InvalidParameterValue(format!("{name} must be strings.")))
        })
        .collect()
}

impl Wire for GetMetricStatistics {
    fn decode(ctx: &Context, params: &Value) -> Result<StatisticsRequest, ApiError> {
        request(ctx, params)
    }

    fn encode(reply: StatisticsReply) -> Value {
        encode(reply)
    }
}

fn request(ctx: &Context, params: &Value) -> Result<StatisticsRequest, ApiError> {
    Ok(StatisticsRequest {
        series: series(ctx, params, "")?,
        start_ms: timestamp_ms_required(params, "StartTime")?,
        end_ms: timestamp_ms_required(params, "EndTime")?,
        period_seconds: i64_opt(params, "Period")?
            .ok_or_else(|| ApiError::MissingParameter("The parameter Period is required.".into()))?,
        statistics: strings(params, "Statistics")?,
        extended_statistics: strings(params, "ExtendedStatistics")?,
        unit: str_opt(params, "Unit")?.map(str::to_owned),
    })
}

fn encode(reply: StatisticsReply) -> Value {
    let datapoints: Vec<Value> = reply
        .datapoints
        .into_iter()
        .map(|point| {
            let mut out = Map::new();
            out.insert("Timestamp".into(), timestamp(point.timestamp_ms));
            for (name, value) in point.statistics {
                out.insert(name, json!(value));
            }
            if !point.extended_statistics.is_empty() {
                let extended: Map<String, Value> =
                    point.extended_statistics.into_iter().map(|(name, value)| (name, json!(value))).collect();
                out.insert("ExtendedStatistics".into(), crate::wire::map(extended));
            }
            out.insert("Unit".into(), json!(point.unit));
            Value::Object(out)
        })
        .collect();
    json!({ "Label": reply.label, "Datapoints": datapoints })
}
