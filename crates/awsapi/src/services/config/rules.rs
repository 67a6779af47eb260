//! Config rules and compliance on the wire.

use serde_json::{Value, json};
use skywatch_core::config::rules::model::{Evaluation, Owner, Policy, Rule, Scope, Source, SourceDetail};
use skywatch_core::config::{
    ComplianceByResourceInput, ComplianceByResourceOutput, ComplianceByRuleInput, ComplianceByRuleOutput, ConfigError,
    CountSummary, DeleteConfigRule, DescribeComplianceByConfigRule, DescribeComplianceByResource,
    DescribeConfigRuleEvaluationStatus, DescribeConfigRuleEvaluationStatusInput, DescribeConfigRules,
    DescribeConfigRulesInput, DetailsByResourceInput, DetailsByRuleInput, EvaluationInput, EvaluationPage,
    GetComplianceDetailsByConfigRule, GetComplianceDetailsByResource, GetComplianceSummaryByConfigRule,
    GetComplianceSummaryByResourceType, PutConfigRule, PutConfigRuleInput, PutEvaluations, PutEvaluationsInput,
    RuleNameInput, RulePage, StartConfigRulesEvaluation, StartConfigRulesEvaluationInput, Summary, SummaryByTypeInput,
};
use skywatch_core::ops::Context;

use super::{
    bool_opt, i64_opt, list_opt, missing, object_opt, refused, seconds, str_opt, str_required, string_opt, strings,
    tag_list, time_ms_opt,
};
use crate::errors::ApiError;
use crate::registry::Wire;

fn source(value: &Value) -> Result<Source, ApiError> {
    let owner_text = str_required(value, "Owner")?;
    let owner = Owner::parse(owner_text).ok_or_else(|| {
        refused(ConfigError::Validation(format!(
            "1 validation error detected: Value '{owner_text}' at 'configRule.source.owner' failed to satisfy constraint: Member must satisfy enum value set: [CUSTOM_POLICY, AWS, CUSTOM_LAMBDA]"
        )))
    })?;
    let details = list_opt(value, "SourceDetails")?
        .iter()
        .map(|d| {
            Ok(SourceDetail {
                message_type: str_opt(d, "MessageType")?.unwrap_or("").to_owned(),
                maximum_execution_frequency: string_opt(d, "MaximumExecutionFrequency")?,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let policy = object_opt(value, "CustomPolicyDetails")?
        .map(|p| {
            Ok::<_, ApiError>(Policy {
                runtime: str_required(p, "PolicyRuntime")?.to_owned(),
                text: str_required(p, "PolicyText")?.to_owned(),
                debug_log: bool_opt(p, "EnableDebugLogDelivery")?.unwrap_or(false),
            })
        })
        .transpose()?;
    Ok(Source { owner, identifier: string_opt(value, "SourceIdentifier")?, details, policy })
}

impl Wire for PutConfigRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutConfigRuleInput, ApiError> {
        let rule = object_opt(params, "ConfigRule")?.ok_or_else(|| missing("configRule"))?;
        let scope = match object_opt(rule, "Scope")? {
            Some(scope) => Scope {
                resource_types: strings(scope, "ComplianceResourceTypes")?,
                tag_key: string_opt(scope, "TagKey")?,
                tag_value: string_opt(scope, "TagValue")?,
                resource_id: string_opt(scope, "ComplianceResourceId")?,
            },
            None => Scope::default(),
        };
        Ok(PutConfigRuleInput {
            name: string_opt(rule, "ConfigRuleName")?.unwrap_or_default(),
            description: string_opt(rule, "Description")?,
            scope,
            source: source(object_opt(rule, "Source")?.ok_or_else(|| missing("configRule.source"))?)?,
            input_parameters: string_opt(rule, "InputParameters")?,
            maximum_execution_frequency: string_opt(rule, "MaximumExecutionFrequency")?,
            tags: tag_list(params, "Tags")?,
        })
    }

    fn encode(_arn: String) -> Value {
        json!({})
    }
}

/// A `ConfigRule`.
fn rule_shape(rule: &Rule) -> Value {
    let mut source = json!({"Owner": rule.source.owner.as_str()});
    if let Some(identifier) = &rule.source.identifier {
        source["SourceIdentifier"] = json!(identifier);
    }
    if !rule.source.details.is_empty() {
        source["SourceDetails"] = rule
            .source
            .details
            .iter()
            .map(|d| {
                let mut one = json!({"EventSource": "aws.config", "MessageType": d.message_type});
                if let Some(f) = &d.maximum_execution_frequency {
                    one["MaximumExecutionFrequency"] = json!(f);
                }
                one
            })
            .collect();
    }
    if let Some(policy) = &rule.source.policy {
        source["CustomPolicyDetails"] = json!({
            "PolicyRuntime": policy.runtime, "PolicyText": policy.text, "EnableDebugLogDelivery": policy.debug_log,
        });
    }
    let mut out = json!({
        "ConfigRuleName": rule.name,
        "ConfigRuleArn": rule.arn,
        "ConfigRuleId": rule.id,
        "Source": source,
        "ConfigRuleState": rule.state,
        "EvaluationModes": [{"Mode": "DETECTIVE"}],
    });
    if let Some(description) = &rule.description {
        out["Description"] = json!(description);
    }
    let scope = &rule.scope;
    if !scope.is_empty() || scope.tag_value.is_some() {
        let mut shape = json!({});
        if !scope.resource_types.is_empty() {
            shape["ComplianceResourceTypes"] = json!(scope.resource_types);
        }
        if let Some(key) = &scope.tag_key {
            shape["TagKey"] = json!(key);
        }
        if let Some(value) = &scope.tag_value {
            shape["TagValue"] = json!(value);
        }
        if let Some(id) = &scope.resource_id {
            shape["ComplianceResourceId"] = json!(id);
        }
        out["Scope"] = shape;
    }
    if let Some(parameters) = &rule.input_parameters {
        out["InputParameters"] = json!(parameters);
    }
    if let Some(frequency) = &rule.maximum_execution_frequency {
        out["MaximumExecutionFrequency"] = json!(frequency);
    }
    out
}

impl Wire for DescribeConfigRules {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeConfigRulesInput, ApiError> {
        Ok(DescribeConfigRulesInput {
            config_rule_names: strings(params, "ConfigRuleNames")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: RulePage) -> Value {
        let mut out = json!({ "ConfigRules": page.rules.iter().map(rule_shape).collect::<Vec<_>>() });
        if let Some(token) = page.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}

impl Wire for DeleteConfigRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<RuleNameInput, ApiError> {
        Ok(RuleNameInput { config_rule_name: str_required(params, "ConfigRuleName")?.to_owned() })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for StartConfigRulesEvaluation {
    fn decode(_ctx: &Context, params: &Value) -> Result<StartConfigRulesEvaluationInput, ApiError> {
        Ok(StartConfigRulesEvaluationInput { config_rule_names: strings(params, "ConfigRuleNames")? })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DescribeConfigRuleEvaluationStatus {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeConfigRuleEvaluationStatusInput, ApiError> {
        Ok(DescribeConfigRuleEvaluationStatusInput {
            config_rule_names: strings(params, "ConfigRuleNames")?,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: RulePage) -> Value {
        let list: Vec<Value> = page
            .rules
            .iter()
            .map(|rule| {
                let status = &rule.status;
                let mut out = json!({
                    "ConfigRuleName": rule.name, "ConfigRuleArn": rule.arn, "ConfigRuleId": rule.id,
                    "FirstEvaluationStarted": status.first_evaluation_started,
                });
                for (member, ms) in [
                    ("FirstActivatedTime", status.first_activated_ms),
                    ("LastSuccessfulInvocationTime", status.last_successful_invocation_ms),
                    ("LastFailedInvocationTime", status.last_failed_invocation_ms),
                    ("LastSuccessfulEvaluationTime", status.last_successful_evaluation_ms),
                    ("LastFailedEvaluationTime", status.last_failed_evaluation_ms),
                ] {
                    if let Some(ms) = ms {
                        out[member] = seconds(ms);
                    }
                }
                if let Some((code, message)) = &status.last_error {
                    out["LastErrorCode"] = json!(code);
                    out["LastErrorMessage"] = json!(message);
                }
                out
            })
            .collect();
        let mut out = json!({ "ConfigRulesEvaluationStatus": list });
        if let Some(token) = page.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}

impl Wire for PutEvaluations {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutEvaluationsInput, ApiError> {
        let evaluations = list_opt(params, "Evaluations")?
            .iter()
            .map(|e| {
                Ok(EvaluationInput {
                    compliance_resource_type: str_required(e, "ComplianceResourceType")?.to_owned(),
                    compliance_resource_id: str_required(e, "ComplianceResourceId")?.to_owned(),
                    compliance_type: str_required(e, "ComplianceType")?.to_owned(),
                    annotation: string_opt(e, "Annotation")?,
                    ordering_timestamp_ms: time_ms_opt(e, "OrderingTimestamp")?
                        .ok_or_else(|| missing("evaluations.member.orderingTimestamp"))?,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(PutEvaluationsInput {
            evaluations,
            result_token: str_required(params, "ResultToken")?.to_owned(),
            test_mode: bool_opt(params, "TestMode")?.unwrap_or(false),
        })
    }

    fn encode(failed: Vec<EvaluationInput>) -> Value {
        let list: Vec<Value> = failed
            .iter()
            .map(|e| {
                json!({
                    "ComplianceResourceType": e.compliance_resource_type, "ComplianceResourceId": e.compliance_resource_id,
                    "ComplianceType": e.compliance_type, "OrderingTimestamp": seconds(e.ordering_timestamp_ms),
                })
            })
            .collect();
        json!({ "FailedEvaluations": list })
    }
}

fn compliance_shape(summary: &Summary) -> Value {
    let mut out = json!({"ComplianceType": summary.compliance.as_str()});
    if summary.compliance == skywatch_core::config::rules::model::Compliance::NonCompliant {
        out["ComplianceContributorCount"] = json!({"CappedCount": summary.count.min(skywatch_core::config::CAP), "CapExceeded": summary.count > skywatch_core::config::CAP});
    }
    out
}

impl Wire for DescribeComplianceByConfigRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<ComplianceByRuleInput, ApiError> {
        Ok(ComplianceByRuleInput {
            config_rule_names: strings(params, "ConfigRuleNames")?,
            compliance_types: strings(params, "ComplianceTypes")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(output: ComplianceByRuleOutput) -> Value {
        let list: Vec<Value> = output
            .rules
            .iter()
            .map(|(name, summary)| json!({"ConfigRuleName": name, "Compliance": compliance_shape(summary)}))
            .collect();
        let mut out = json!({ "ComplianceByConfigRules": list });
        if let Some(token) = output.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}

impl Wire for DescribeComplianceByResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<ComplianceByResourceInput, ApiError> {
        Ok(ComplianceByResourceInput {
            resource_type: string_opt(params, "ResourceType")?,
            resource_id: string_opt(params, "ResourceId")?,
            compliance_types: strings(params, "ComplianceTypes")?,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(output: ComplianceByResourceOutput) -> Value {
        let list: Vec<Value> = output
            .resources
            .iter()
            .map(|((t, id), summary)| json!({"ResourceType": t, "ResourceId": id, "Compliance": compliance_shape(summary)}))
            .collect();
        let mut out = json!({ "ComplianceByResources": list });
        if let Some(token) = output.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}

fn result_shape(e: &Evaluation) -> Value {
    let mut out = json!({
        "EvaluationResultIdentifier": {
            "EvaluationResultQualifier": {
                "ConfigRuleName": e.rule, "ResourceType": e.resource_type, "ResourceId": e.resource_id,
                "EvaluationMode": "DETECTIVE",
            },
            "OrderingTimestamp": seconds(e.ordering_ms),
        },
        "ComplianceType": e.compliance.as_str(),
        "ResultRecordedTime": seconds(e.recorded_ms),
        "ConfigRuleInvokedTime": seconds(e.invoked_ms),
    });
    if let Some(annotation) = &e.annotation {
        out["Annotation"] = json!(annotation);
    }
    out
}

fn results(page: EvaluationPage) -> Value {
    let mut out = json!({ "EvaluationResults": page.results.iter().map(result_shape).collect::<Vec<_>>() });
    if let Some(token) = page.next_token {
        out["NextToken"] = json!(token);
    }
    out
}

impl Wire for GetComplianceDetailsByConfigRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<DetailsByRuleInput, ApiError> {
        Ok(DetailsByRuleInput {
            config_rule_name: str_required(params, "ConfigRuleName")?.to_owned(),
            compliance_types: strings(params, "ComplianceTypes")?,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: EvaluationPage) -> Value {
        results(page)
    }
}

impl Wire for GetComplianceDetailsByResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<DetailsByResourceInput, ApiError> {
        Ok(DetailsByResourceInput {
            resource_type: string_opt(params, "ResourceType")?.unwrap_or_default(),
            resource_id: string_opt(params, "ResourceId")?.unwrap_or_default(),
            compliance_types: strings(params, "ComplianceTypes")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: EvaluationPage) -> Value {
        results(page)
    }
}

fn count_shape(counts: &CountSummary) -> Value {
    json!({
        "CompliantResourceCount": {"CappedCount": counts.compliant.min(skywatch_core::config::CAP), "CapExceeded": counts.compliant > skywatch_core::config::CAP},
        "NonCompliantResourceCount": {"CappedCount": counts.non_compliant.min(skywatch_core::config::CAP), "CapExceeded": counts.non_compliant > skywatch_core::config::CAP},
        "ComplianceSummaryTimestamp": seconds(counts.at_ms),
    })
}

impl Wire for GetComplianceSummaryByConfigRule {
    fn decode(_ctx: &Context, _params: &Value) -> Result<(), ApiError> {
        Ok(())
    }

    fn encode(counts: CountSummary) -> Value {
        json!({ "ComplianceSummary": count_shape(&counts) })
    }
}

impl Wire for GetComplianceSummaryByResourceType {
    fn decode(_ctx: &Context, params: &Value) -> Result<SummaryByTypeInput, ApiError> {
        Ok(SummaryByTypeInput { resource_types: strings(params, "ResourceTypes")? })
    }

    fn encode(rows: Vec<(Option<String>, CountSummary)>) -> Value {
        let list: Vec<Value> = rows
            .iter()
            .map(|(t, counts)| {
                let mut one = json!({"ComplianceSummary": count_shape(counts)});
                if let Some(t) = t {
                    one["ResourceType"] = json!(t);
                }
                one
            })
            .collect();
        json!({ "ComplianceSummariesByResourceType": list })
    }
}
