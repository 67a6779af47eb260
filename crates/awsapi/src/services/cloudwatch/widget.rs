//! GetMetricWidgetImage.

use serde_json::{Value, json};
use skywatch_core::metrics::{GetMetricWidgetImage, WidgetImageInput};
use skywatch_core::ops::Context;

use crate::errors::ApiError;
use crate::params::{str_opt, str_required};
use crate::registry::Wire;
use crate::wire::blob;

impl Wire for GetMetricWidgetImage {
    fn decode(_ctx: &Context, params: &Value) -> Result<WidgetImageInput, ApiError> {
        Ok(WidgetImageInput {
            metric_widget: str_required(params, "MetricWidget")?.to_owned(),
            output_format: str_opt(params, "OutputFormat")?.map(str::to_owned),
        })
    }

    fn encode(image: Vec<u8>) -> Value {
        json!({ "MetricWidgetImage": blob(&image) })
    }
}
