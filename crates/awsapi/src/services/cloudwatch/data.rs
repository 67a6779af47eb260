//! GetMetricData.

use serde_json::{Value, json};
use skywatch_core::metrics::{DataQuery, DataRequest, DataResponse, GetMetricData, MetricsQueryError, QueryKind};
use skywatch_core::ops::Context;

use crate::errors::ApiError;
use crate::params::{bool_opt, i64_opt, list_opt, str_opt, timestamp_ms_required};
use crate::registry::Wire;
use crate::services::cloudwatch::shapes::series;
use crate::wire::timestamps;

fn data_query(ctx: &Context, i: usize, q: &Value) -> Result<DataQuery, ApiError> {
    let member = format!("MetricDataQueries.member.{}", i + 1);
    let id = str_opt(q, "Id")?
        .ok_or_else(|| ApiError::MissingParameter(format!("The parameter {member}.Id is required.")))?
        .to_owned();
    let stat = q.get("MetricStat").filter(|v| !v.is_null());
    let expression = str_opt(q, "Expression")?;
    let kind = match (stat, expression) {
        (Some(stat), None) => {
            let metric = stat.get("Metric").filter(|v| !v.is_null()).ok_or_else(|| {
                ApiError::MissingParameter(format!("The parameter {member}.MetricStat.Metric is required."))
            })?;
            QueryKind::MetricStat {
                series: series(ctx, metric, &format!("{member}.MetricStat.Metric."))?,
                period_seconds: i64_opt(stat, "Period")?.ok_or_else(|| {
                    ApiError::MissingParameter(format!("The parameter {member}.MetricStat.Period is required."))
                })?,
                stat: str_opt(stat, "Stat")?
                    .ok_or_else(|| {
                        ApiError::MissingParameter(format!("The parameter {member}.MetricStat.Stat is required."))
                    })?
                    .to_owned(),
                unit: str_opt(stat, "Unit")?.map(str::to_owned),
            }
        }
        (None, Some(expression)) => {
            QueryKind::Expression { expression: expression.to_owned(), period_seconds: i64_opt(q, "Period")? }
        }
        // AWS per moto's tests (moto PR #6570, "in line with AWS"; not recorded from AWS itself): ValidationError
        // naming the missing MetricStat, with a trailing newline. The domain error carries the code.
        (None, None) => {
            return Err(ApiError::domain(&MetricsQueryError::Validation(format!(
                "The parameter {member}.MetricStat is required.\n"
            ))));
        }
        // AWS's text for PutMetricAlarm's queries (boto/boto3#3856, 2023, quoted by an AWS SDK maintainer); that
        // GetMetricData answers the same is inferred.
        (Some(_), Some(_)) => {
            return Err(ApiError::domain(&MetricsQueryError::Validation(
                "The parameters MetricDataQuery Expression and MetricStat are mutually exclusive and you have \
                 specified both."
                    .to_owned(),
            )));
        }
    };
    Ok(DataQuery {
        id,
        kind,
        label: str_opt(q, "Label")?.map(str::to_owned),
        return_data: bool_opt(q, "ReturnData")?.unwrap_or(true),
    })
}

impl Wire for GetMetricData {
    fn decode(ctx: &Context, params: &Value) -> Result<DataRequest, ApiError> {
        request(ctx, params)
    }

    fn encode(response: DataResponse) -> Value {
        reply(response)
    }
}

fn request(ctx: &Context, params: &Value) -> Result<DataRequest, ApiError> {
    let queries = list_opt(params, "MetricDataQueries")?
        .iter()
        .enumerate()
        .map(|(i, q)| data_query(ctx, i, q))
        .collect::<Result<Vec<_>, _>>()?;
    let ascending = match str_opt(params, "ScanBy")? {
        None | Some("TimestampDescending") => false,
        Some("TimestampAscending") => true,
        Some(other) => {
            return Err(ApiError::InvalidParameterValue(format!("The value {other} for parameter ScanBy is invalid.")));
        }
    };
    let max_datapoints = match i64_opt(params, "MaxDatapoints")? {
        None => None,
        Some(n) if n > 0 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        Some(n) => {
            return Err(ApiError::InvalidParameterValue(format!(
                "The value {n} for parameter MaxDatapoints is invalid."
            )));
        }
    };
    Ok(DataRequest {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        queries,
        start_ms: timestamp_ms_required(params, "StartTime")?,
        end_ms: timestamp_ms_required(params, "EndTime")?,
        ascending,
        max_datapoints,
        next_token: str_opt(params, "NextToken")?.map(str::to_owned),
    })
}

fn reply(response: DataResponse) -> Value {
    let messages = |messages: &[(String, String)]| -> Vec<Value> {
        messages.iter().map(|(code, value)| json!({"Code": code, "Value": value})).collect()
    };
    let results: Vec<Value> = response
        .results
        .iter()
        .map(|r| {
            let mut result = json!({
                "Id": r.id,
                "Label": r.label,
                "Timestamps": timestamps(&r.timestamps_ms),
                "Values": r.values,
                "StatusCode": r.status.as_str(),
            });
            // AWS leaves a result's Messages out when it has none (LocalStack's recordings of
            // test_get_metric_data_with_different_units); e.g. `MultipleUnits` when a metric has several units.
            if !r.messages.is_empty() {
                result["Messages"] = json!(messages(&r.messages));
            }
            result
        })
        .collect();
    let mut result = json!({ "MetricDataResults": results, "Messages": messages(&response.messages) });
    if let Some(token) = response.next_token {
        result["NextToken"] = json!(token);
    }
    result
}
