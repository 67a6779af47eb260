//! One module per AWS service, mapping its wire shapes to engine calls.

mod cloudtrail;
mod cloudwatch;

use serde_json::Value;
use skywatch_core::Services;

use crate::authenticate::Identity;
use crate::errors::ApiError;
use crate::front_door::Outcome;
use crate::wire::{Operation, Service, is_known_operation};

pub async fn call(
    services: &Services,
    op: &Operation,
    identity: &Identity,
    params: &Value,
) -> Result<Outcome, ApiError> {
    match (op.service, op.name.as_str()) {
        (Service::CloudWatch, "PutMetricData") => cloudwatch::put_metric_data(services, identity, params),
        (Service::CloudWatch, "GetMetricStatistics") => {
            cloudwatch::get_metric_statistics(services, identity, params).await
        }
        (Service::CloudWatch, "GetMetricData") => cloudwatch::get_metric_data(services, identity, params).await,
        (Service::CloudWatch, "ListMetrics") => cloudwatch::list_metrics(services, identity, params),
        (Service::CloudWatch, "GetMetricWidgetImage") => {
            cloudwatch::get_metric_widget_image(services, identity, params).await
        }
        (Service::CloudWatch, "PutDashboard") => cloudwatch::put_dashboard(identity, params),
        (Service::CloudWatch, "GetDashboard") => cloudwatch::get_dashboard(services, identity, params).await,
        (Service::CloudWatch, "ListDashboards") => cloudwatch::list_dashboards(services, identity, params).await,
        (Service::CloudWatch, "DeleteDashboards") => cloudwatch::delete_dashboards(services, identity, params).await,
        (Service::CloudTrail, "LookupEvents") => cloudtrail::lookup_events(services, identity, params).await,
        (service, name) if is_known_operation(service, name) => {
            Err(ApiError::UnknownOperation(format!("Skywatch does not implement {}:{name} yet.", service.scope_name())))
        }
        (service, name) => {
            Err(ApiError::UnknownOperation(format!("Operation {name} is not supported by {}.", service.scope_name())))
        }
    }
}
