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
        (Service::CloudWatch, "PutMetricData") => cloudwatch::put_metric_data(identity, params),
        (Service::CloudTrail, "LookupEvents") => cloudtrail::lookup_events(services, identity, params).await,
        (service, name) if is_known_operation(service, name) => {
            Err(ApiError::UnknownOperation(format!("Skywatch does not implement {}:{name} yet.", service.scope_name())))
        }
        (service, name) => {
            Err(ApiError::UnknownOperation(format!("Operation {name} is not supported by {}.", service.scope_name())))
        }
    }
}
