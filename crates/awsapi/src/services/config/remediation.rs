//! Remediation on the wire.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use skywatch_core::config::remediation::model::{Execution, ParameterValue, Remediation};
use skywatch_core::config::{
    DeleteRemediationConfiguration, DeleteRemediationConfigurationInput, DescribeRemediationConfigurations,
    DescribeRemediationConfigurationsInput, DescribeRemediationExecutionStatus,
    DescribeRemediationExecutionStatusInput, ExecutionPage, PutRemediationConfigurations,
    PutRemediationConfigurationsInput, RemediationInput, ResourceKey, StartRemediationExecution,
    StartRemediationExecutionInput,
};
use skywatch_core::ops::Context;

use super::{bool_opt, i64_opt, list_opt, missing, object_opt, seconds, str_opt, str_required, string_opt, strings};
use crate::errors::ApiError;
use crate::registry::Wire;

fn parameters(value: Option<&Value>) -> Result<BTreeMap<String, ParameterValue>, ApiError> {
    let mut out = BTreeMap::new();
    let Some(map) = value.and_then(Value::as_object) else { return Ok(out) };
    for (name, parameter) in map {
        let value = if let Some(resource) = object_opt(parameter, "ResourceValue")? {
            str_required(resource, "Value")?;
            ParameterValue::ResourceId
        } else if let Some(fixed) = object_opt(parameter, "StaticValue")? {
            ParameterValue::Static(strings(fixed, "Values")?)
        } else {
            return Err(missing("remediationConfigurations.member.parameters.value"));
        };
        out.insert(name.clone(), value);
    }
    Ok(out)
}

fn percentage(controls: Option<&Value>, name: &str) -> Result<Option<i64>, ApiError> {
    match controls.and_then(|c| c.get("SsmControls")) {
        Some(ssm) => i64_opt(ssm, name),
        None => Ok(None),
    }
}

impl Wire for PutRemediationConfigurations {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutRemediationConfigurationsInput, ApiError> {
        if params.get("RemediationConfigurations").is_none_or(Value::is_null) {
            return Err(missing("remediationConfigurations"));
        }
        let items = list_opt(params, "RemediationConfigurations")?
            .iter()
            .map(|r| {
                let controls = object_opt(r, "ExecutionControls")?;
                Ok(RemediationInput {
                    config_rule_name: str_required(r, "ConfigRuleName")?.to_owned(),
                    target_type: str_required(r, "TargetType")?.to_owned(),
                    target_id: str_required(r, "TargetId")?.to_owned(),
                    target_version: string_opt(r, "TargetVersion")?,
                    parameters: parameters(object_opt(r, "Parameters")?)?,
                    resource_type: string_opt(r, "ResourceType")?,
                    automatic: bool_opt(r, "Automatic")?.unwrap_or(false),
                    maximum_automatic_attempts: i64_opt(r, "MaximumAutomaticAttempts")?,
                    retry_attempt_seconds: i64_opt(r, "RetryAttemptSeconds")?,
                    concurrency_percentage: percentage(controls, "ConcurrentExecutionRatePercentage")?,
                    error_percentage: percentage(controls, "ErrorPercentage")?,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(PutRemediationConfigurationsInput { remediation_configurations: items })
    }

    fn encode((): ()) -> Value {
        json!({ "FailedBatches": [] })
    }
}

fn remediation_shape(r: &Remediation) -> Value {
    let parameters: serde_json::Map<String, Value> = r
        .parameters
        .iter()
        .map(|(name, value)| {
            let shape = match value {
                ParameterValue::ResourceId => json!({"ResourceValue": {"Value": "RESOURCE_ID"}}),
                ParameterValue::Static(values) => json!({"StaticValue": {"Values": values}}),
            };
            (name.clone(), shape)
        })
        .collect();
    let mut out = json!({
        "ConfigRuleName": r.rule, "TargetType": r.target_type, "TargetId": r.target_id,
        "Parameters": parameters, "Automatic": r.automatic, "MaximumAutomaticAttempts": r.maximum_attempts,
        "RetryAttemptSeconds": r.retry_seconds, "Arn": r.arn,
    });
    if let Some(version) = &r.target_version {
        out["TargetVersion"] = json!(version);
    }
    if let Some(t) = &r.resource_type {
        out["ResourceType"] = json!(t);
    }
    if r.concurrency_percentage.is_some() || r.error_percentage.is_some() {
        let mut ssm = json!({});
        if let Some(p) = r.concurrency_percentage {
            ssm["ConcurrentExecutionRatePercentage"] = json!(p);
        }
        if let Some(p) = r.error_percentage {
            ssm["ErrorPercentage"] = json!(p);
        }
        out["ExecutionControls"] = json!({"SsmControls": ssm});
    }
    out
}

impl Wire for DescribeRemediationConfigurations {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeRemediationConfigurationsInput, ApiError> {
        Ok(DescribeRemediationConfigurationsInput { config_rule_names: strings(params, "ConfigRuleNames")? })
    }

    fn encode(found: Vec<Remediation>) -> Value {
        json!({ "RemediationConfigurations": found.iter().map(remediation_shape).collect::<Vec<_>>() })
    }
}

impl Wire for DeleteRemediationConfiguration {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteRemediationConfigurationInput, ApiError> {
        Ok(DeleteRemediationConfigurationInput {
            config_rule_name: str_required(params, "ConfigRuleName")?.to_owned(),
            resource_type: string_opt(params, "ResourceType")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

fn keys(params: &Value) -> Result<Vec<ResourceKey>, ApiError> {
    list_opt(params, "ResourceKeys")?
        .iter()
        .map(|k| {
            Ok(ResourceKey {
                resource_type: str_opt(k, "resourceType")?
                    .ok_or_else(|| missing("resourceKeys.member.resourceType"))?
                    .to_owned(),
                resource_id: str_opt(k, "resourceId")?
                    .ok_or_else(|| missing("resourceKeys.member.resourceId"))?
                    .to_owned(),
            })
        })
        .collect()
}

impl Wire for StartRemediationExecution {
    fn decode(_ctx: &Context, params: &Value) -> Result<StartRemediationExecutionInput, ApiError> {
        Ok(StartRemediationExecutionInput {
            config_rule_name: str_required(params, "ConfigRuleName")?.to_owned(),
            resource_keys: keys(params)?,
        })
    }

    fn encode(failed: Vec<ResourceKey>) -> Value {
        json!({ "FailedItems": failed.iter().map(|k| json!({"resourceType": k.resource_type, "resourceId": k.resource_id})).collect::<Vec<_>>() })
    }
}

fn execution_shape(e: &Execution) -> Value {
    json!({
        "ResourceKey": {"resourceType": e.resource_type, "resourceId": e.resource_id},
        "State": e.state.as_str(),
        "StepDetails": e.steps.iter().map(|s| {
            let mut step = json!({"Name": s.name, "State": s.state, "StartTime": seconds(s.start_ms), "StopTime": seconds(s.stop_ms)});
            if let Some(error) = &s.error {
                step["ErrorMessage"] = json!(error);
            }
            step
        }).collect::<Vec<_>>(),
        "InvocationTime": seconds(e.invoked_ms),
        "LastUpdatedTime": seconds(e.updated_ms),
    })
}

impl Wire for DescribeRemediationExecutionStatus {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeRemediationExecutionStatusInput, ApiError> {
        Ok(DescribeRemediationExecutionStatusInput {
            config_rule_name: str_required(params, "ConfigRuleName")?.to_owned(),
            resource_keys: keys(params)?,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: ExecutionPage) -> Value {
        let mut out =
            json!({ "RemediationExecutionStatuses": page.executions.iter().map(execution_shape).collect::<Vec<_>>() });
        if let Some(token) = page.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}
