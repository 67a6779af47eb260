//! ListMetrics.

use serde_json::{Value, json};
use skywatch_core::metrics::{ListMetrics, ListPage, ListRequest};
use skywatch_core::ops::Context;

use crate::errors::ApiError;
use crate::params::{list_opt, str_opt};
use crate::registry::Wire;
use crate::services::cloudwatch::shapes::metric;

impl Wire for ListMetrics {
    fn decode(ctx: &Context, params: &Value) -> Result<ListRequest, ApiError> {
        request(ctx, params)
    }

    fn encode(page: ListPage) -> Value {
        let metrics: Vec<Value> = page.metrics.iter().map(|info| metric(&info.key)).collect();
        let mut result = json!({ "Metrics": metrics });
        if let Some(token) = page.next_token {
            result["NextToken"] = json!(token);
        }
        result
    }
}

fn request(ctx: &Context, params: &Value) -> Result<ListRequest, ApiError> {
    let dimensions = list_opt(params, "Dimensions")?
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let name = str_opt(d, "Name")?.ok_or_else(|| {
                ApiError::MissingParameter(format!("The parameter Dimensions.member.{}.Name is required.", i + 1))
            })?;
            Ok((name.to_owned(), str_opt(d, "Value")?.map(str::to_owned)))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let recently_active = match str_opt(params, "RecentlyActive")? {
        None => false,
        Some("PT3H") => true,
        Some(other) => {
            return Err(ApiError::InvalidParameterValue(format!(
                "The value {other} for parameter RecentlyActive is invalid; it must be PT3H."
            )));
        }
    };
    Ok(ListRequest {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        namespace: str_opt(params, "Namespace")?.map(str::to_owned),
        metric_name: str_opt(params, "MetricName")?.map(str::to_owned),
        dimensions,
        recently_active,
        next_token: str_opt(params, "NextToken")?.map(str::to_owned),
        page_size: None,
        view: Default::default(),
    })
}
