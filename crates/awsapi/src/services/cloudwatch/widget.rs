//! GetMetricWidgetImage.

use serde_json::{Value, json};
use skywatch_core::Services;
use skywatch_core::metrics::{WidgetImageError, get_metric_widget_image as draw};

use crate::authenticate::Identity;
use crate::errors::ApiError;
use crate::front_door::Outcome;
use crate::params::{str_opt, str_required};
use crate::wire::blob;

pub async fn get_metric_widget_image(
    services: &Services,
    identity: &Identity,
    params: &Value,
) -> Result<Outcome, ApiError> {
    let widget = str_required(params, "MetricWidget")?;
    match str_opt(params, "OutputFormat")? {
        None | Some("png") | Some("image/png") => {}
        Some(other) => {
            return Err(ApiError::InvalidParameterValue(format!(
                "The value {other} for parameter OutputFormat is invalid; only png is supported."
            )));
        }
    }
    let now_ms = chrono::Utc::now().timestamp_millis();
    let image =
        draw(&services.tsdb, identity.caller.account(), &identity.region, widget, now_ms).await.map_err(|error| {
            match error {
                WidgetImageError::InvalidWidget(message) => ApiError::Named { code: "ValidationError", message },
                WidgetImageError::Query(query) => query.into(),
                draw @ WidgetImageError::Draw(_) => ApiError::Internal(draw.to_string()),
            }
        })?;
    Ok(Outcome::reply(json!({ "MetricWidgetImage": blob(&image) })))
}
