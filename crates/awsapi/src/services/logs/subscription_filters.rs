//! Subscription filters on the wire.

use serde_json::{Value, json};
use skywatch_core::logs::ops::{
    DeleteSubscriptionFilter, DeleteSubscriptionFilterInput, DescribeSubscriptionFilters,
    DescribeSubscriptionFiltersInput, DescribeSubscriptionFiltersOutput, PutSubscriptionFilter,
    PutSubscriptionFilterInput,
};
use skywatch_core::logs::subscription::SubscriptionFilter;
use skywatch_core::ops::Context;

use super::{bool_opt, i64_opt, missing, string_opt, string_required};
use crate::errors::ApiError;
use crate::registry::Wire;

impl Wire for PutSubscriptionFilter {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutSubscriptionFilterInput, ApiError> {
        Ok(PutSubscriptionFilterInput {
            log_group_name: string_required(params, "logGroupName")?,
            filter_name: string_required(params, "filterName")?,
            filter_pattern: string_opt(params, "filterPattern")?.ok_or_else(|| missing("filterPattern"))?,
            destination_arn: string_required(params, "destinationArn")?,
            role_arn: string_opt(params, "roleArn")?,
            distribution: string_opt(params, "distribution")?,
            apply_on_transformed_logs: bool_opt(params, "applyOnTransformedLogs")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteSubscriptionFilter {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteSubscriptionFilterInput, ApiError> {
        Ok(DeleteSubscriptionFilterInput {
            log_group_name: string_required(params, "logGroupName")?,
            filter_name: string_required(params, "filterName")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

/// A `SubscriptionFilter`.
fn filter_shape(f: &SubscriptionFilter) -> Value {
    let mut out = json!({
        "filterName": f.filter_name,
        "logGroupName": f.log_group_name,
        "filterPattern": f.filter_pattern,
        "destinationArn": f.destination_arn,
        "distribution": f.distribution,
        "applyOnTransformedLogs": f.apply_on_transformed_logs,
        "creationTime": f.creation_time,
    });
    if let Some(role) = &f.role_arn {
        out["roleArn"] = json!(role);
    }
    out
}

impl Wire for DescribeSubscriptionFilters {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeSubscriptionFiltersInput, ApiError> {
        Ok(DescribeSubscriptionFiltersInput {
            log_group_name: string_required(params, "logGroupName")?,
            filter_name_prefix: string_opt(params, "filterNamePrefix")?,
            limit: i64_opt(params, "limit")?,
            next_token: string_opt(params, "nextToken")?,
        })
    }

    fn encode(output: DescribeSubscriptionFiltersOutput) -> Value {
        let filters: Vec<Value> = output.filters.iter().map(|row| filter_shape(&row.filter)).collect();
        let mut out = json!({ "subscriptionFilters": filters });
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}
