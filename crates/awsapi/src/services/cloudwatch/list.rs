//! ListMetrics.

use serde_json::{Value, json};
use skywatch_core::Services;
use skywatch_core::metrics::{ListRequest, list_metrics as list};

use crate::authenticate::Identity;
use crate::errors::ApiError;
use crate::front_door::Outcome;
use crate::params::{list_opt, str_opt};
use crate::services::cloudwatch::shapes::metric;

pub fn list_metrics(services: &Services, identity: &Identity, params: &Value) -> Result<Outcome, ApiError> {
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
    let request = ListRequest {
        account: identity.caller.account().to_owned(),
        region: identity.region.clone(),
        namespace: str_opt(params, "Namespace")?.map(str::to_owned),
        metric_name: str_opt(params, "MetricName")?.map(str::to_owned),
        dimensions,
        recently_active,
        next_token: str_opt(params, "NextToken")?.map(str::to_owned),
    };
    let page = list(&services.tsdb, &request, chrono::Utc::now().timestamp_millis())?;
    let metrics: Vec<Value> = page.metrics.iter().map(|info| metric(&info.key)).collect();
    let mut result = json!({ "Metrics": metrics });
    if let Some(token) = page.next_token {
        result["NextToken"] = json!(token);
    }
    Ok(Outcome::reply(result))
}
