//! The rules pages' server side: DescribeConfigRules, DescribeComplianceByConfigRule,
//! GetComplianceSummaryByConfigRule and GetComplianceSummaryByResourceType for the list; for one rule
//! DescribeConfigRuleEvaluationStatus, GetComplianceDetailsByConfigRule, DescribeRemediationConfigurations and
//! DescribeRemediationExecutionStatus; StartConfigRulesEvaluation and StartRemediationExecution for its buttons.

use std::collections::BTreeMap;

use leptos::prelude::*;
use skywatch_core::Services;
use skywatch_core::config::remediation::model::{Execution, ParameterValue, Remediation};
use skywatch_core::config::rules::model::{Owner, Rule};
use skywatch_core::config::{
    ComplianceByRuleInput, DescribeComplianceByConfigRule, DescribeConfigRuleEvaluationStatus,
    DescribeConfigRuleEvaluationStatusInput, DescribeConfigRules, DescribeConfigRulesInput,
    DescribeRemediationConfigurations, DescribeRemediationConfigurationsInput, DescribeRemediationExecutionStatus,
    DescribeRemediationExecutionStatusInput, DetailsByRuleInput, GetComplianceDetailsByConfigRule,
    GetComplianceSummaryByConfigRule, GetComplianceSummaryByResourceType, ResourceKey, StartConfigRulesEvaluation,
    StartConfigRulesEvaluationInput, StartRemediationExecution, StartRemediationExecutionInput, Summary,
    SummaryByTypeInput,
};
use skywatch_core::ops::Context;

use skywatch_core::model::TimeRange;

use super::compliance;
use super::{
    ComplianceOverview, EvaluationRow, ExecutionView, RemediationView, RuleDetail, RuleRow, RulesOverview, StepView,
};
use crate::api::ssr;

/// Pages of rules, compliance, results and executions read at most.
const MAX_PAGES: usize = 20;
/// Names one call of the compliance and remediation reads takes.
const NAMES_A_CALL: usize = 25;

const COMPLIANCES: [&str; 4] = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"];

/// The compliance filter of the URL, when it names one.
fn compliance_filter(compliance: &str) -> Option<String> {
    COMPLIANCES.contains(&compliance).then(|| compliance.to_owned())
}

/// What triggers a rule, in words.
pub fn triggers(rule: &Rule) -> Vec<String> {
    let periodic = |frequency: Option<&String>| match frequency {
        Some(f) => format!("Periodic ({f})"),
        None => "Periodic".to_owned(),
    };
    let mut out: Vec<String> = Vec::new();
    for detail in &rule.source.details {
        let words = match detail.message_type.as_str() {
            "ConfigurationItemChangeNotification" | "OversizedConfigurationItemChangeNotification" => {
                "Configuration changes".to_owned()
            }
            "ScheduledNotification" => {
                periodic(detail.maximum_execution_frequency.as_ref().or(rule.maximum_execution_frequency.as_ref()))
            }
            other => other.to_owned(),
        };
        if !out.contains(&words) {
            out.push(words);
        }
    }
    if out.is_empty() {
        if rule.maximum_execution_frequency.is_none() || !rule.scope.is_empty() {
            out.push("Configuration changes".to_owned());
        }
        if rule.maximum_execution_frequency.is_some() {
            out.push(periodic(rule.maximum_execution_frequency.as_ref()));
        }
    }
    out
}

/// The rule's source: its kind and what names it.
pub fn source(rule: &Rule) -> (String, String) {
    match (rule.source.owner, &rule.source.policy) {
        (Owner::Aws, _) => ("managed".to_owned(), rule.source.identifier.clone().unwrap_or_default()),
        (_, Some(_)) | (Owner::CustomPolicy, None) => ("guard".to_owned(), "Guard policy".to_owned()),
        (Owner::CustomLambda, None) => ("webhook".to_owned(), rule.source.identifier.clone().unwrap_or_default()),
    }
}

fn remediation_words(remediation: Option<&Remediation>) -> String {
    match remediation {
        Some(r) if r.automatic => "Automatic".to_owned(),
        Some(_) => "Manual".to_owned(),
        None => "None".to_owned(),
    }
}

fn row(rule: &Rule, summary: Option<&Summary>, remediation: Option<&Remediation>) -> RuleRow {
    let (source_kind, source) = source(rule);
    RuleRow {
        name: rule.name.clone(),
        source_kind,
        source,
        triggers: triggers(rule),
        compliance: summary.map_or("INSUFFICIENT_DATA", |s| s.compliance.as_str()).to_owned(),
        non_compliant: summary.map_or(0, |s| s.count),
        last_success_ms: rule.status.last_successful_evaluation_ms,
        last_error: rule.status.last_error.as_ref().map(|(code, message)| format!("{code}: {message}")),
        remediation: remediation_words(remediation),
    }
}

async fn all_rules(services: &Services, ctx: &Context, names: Vec<String>) -> Result<Vec<Rule>, ServerFnError> {
    let mut rules = Vec::new();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let input = DescribeConfigRulesInput { config_rule_names: names.clone(), next_token };
        let page = services.invoke::<DescribeConfigRules>(ctx, input).await.map_err(ssr::failed)?;
        rules.extend(page.rules);
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    Ok(rules)
}

async fn compliance_of(
    services: &Services,
    ctx: &Context,
    names: &[String],
) -> Result<BTreeMap<String, Summary>, ServerFnError> {
    let mut out = BTreeMap::new();
    for chunk in names.chunks(NAMES_A_CALL) {
        let mut next_token = None;
        for _ in 0..MAX_PAGES {
            let input =
                ComplianceByRuleInput { config_rule_names: chunk.to_vec(), compliance_types: Vec::new(), next_token };
            let page = services.invoke::<DescribeComplianceByConfigRule>(ctx, input).await.map_err(ssr::failed)?;
            out.extend(page.rules);
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
    }
    Ok(out)
}

async fn remediations_of(
    services: &Services,
    ctx: &Context,
    names: &[String],
) -> Result<BTreeMap<String, Remediation>, ServerFnError> {
    let mut out = BTreeMap::new();
    for chunk in names.chunks(NAMES_A_CALL) {
        let input = DescribeRemediationConfigurationsInput { config_rule_names: chunk.to_vec() };
        let found = services.invoke::<DescribeRemediationConfigurations>(ctx, input).await.map_err(ssr::failed)?;
        out.extend(found.into_iter().map(|r| (r.rule.clone(), r)));
    }
    Ok(out)
}

pub async fn overview(
    region: String,
    account: Option<String>,
    compliance: String,
) -> Result<RulesOverview, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let rules = all_rules(&services, &ctx, Vec::new()).await?;
    let names: Vec<String> = rules.iter().map(|r| r.name.clone()).collect();
    let compliance_by_rule = compliance_of(&services, &ctx, &names).await?;
    let remediations = remediations_of(&services, &ctx, &names).await?;
    let by_rules = services.invoke::<GetComplianceSummaryByConfigRule>(&ctx, ()).await.map_err(ssr::failed)?;
    let by_resources = services
        .invoke::<GetComplianceSummaryByResourceType>(&ctx, SummaryByTypeInput::default())
        .await
        .map_err(ssr::failed)?;
    let resources = by_resources.into_iter().next().map(|(_, c)| c).unwrap_or_default();
    let wanted = compliance_filter(&compliance);
    let total = rules.len();
    let rows = rules
        .iter()
        .map(|r| row(r, compliance_by_rule.get(&r.name), remediations.get(&r.name)))
        .filter(|r| wanted.as_ref().is_none_or(|w| &r.compliance == w))
        .collect();
    Ok(RulesOverview {
        compliant_rules: by_rules.compliant,
        non_compliant_rules: by_rules.non_compliant,
        compliant_resources: resources.compliant,
        non_compliant_resources: resources.non_compliant,
        rules: rows,
        total,
    })
}

fn pretty_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}

fn remediation_view(r: &Remediation) -> RemediationView {
    RemediationView {
        target_type: r.target_type.clone(),
        target_id: r.target_id.clone(),
        target_version: r.target_version.clone(),
        parameters: r
            .parameters
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    ParameterValue::ResourceId => "RESOURCE_ID".to_owned(),
                    ParameterValue::Static(values) => values.join(", "),
                };
                (name.clone(), value)
            })
            .collect(),
        automatic: r.automatic,
        maximum_attempts: r.maximum_attempts,
        retry_seconds: r.retry_seconds,
    }
}

fn execution_view(e: Execution) -> ExecutionView {
    ExecutionView {
        resource_type: e.resource_type,
        resource_id: e.resource_id,
        state: e.state.as_str().to_owned(),
        attempts: e.attempts,
        automatic: e.automatic,
        invoked_ms: e.invoked_ms,
        updated_ms: e.updated_ms,
        steps: e
            .steps
            .into_iter()
            .map(|s| StepView {
                name: s.name,
                state: s.state,
                error: s.error,
                start_ms: s.start_ms,
                stop_ms: s.stop_ms,
            })
            .collect(),
    }
}

/// The order of the results: non-compliant first, then by type and id.
fn rank(compliance: &str) -> usize {
    match compliance {
        "NON_COMPLIANT" => 0,
        "COMPLIANT" => 1,
        "INSUFFICIENT_DATA" => 2,
        _ => 3,
    }
}

pub async fn detail(
    region: String,
    account: Option<String>,
    name: String,
    compliance: String,
) -> Result<RuleDetail, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let names = vec![name.clone()];
    let rule = all_rules(&services, &ctx, names.clone())
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ServerFnError::new(format!("NoSuchConfigRuleException: The ConfigRule '{name}' provided in the request is invalid. Please check the configRule name.")))?;
    let status_input =
        DescribeConfigRuleEvaluationStatusInput { config_rule_names: names.clone(), limit: None, next_token: None };
    let status = services
        .invoke::<DescribeConfigRuleEvaluationStatus>(&ctx, status_input)
        .await
        .map_err(ssr::failed)?
        .rules
        .into_iter()
        .next()
        .map_or_else(|| rule.status.clone(), |r| r.status);
    let summary = compliance_of(&services, &ctx, &names).await?;
    let remediation = remediations_of(&services, &ctx, &names).await?.remove(&name);

    let mut results = Vec::new();
    let mut next_token = None;
    let mut capped = false;
    for n in 0..MAX_PAGES {
        let input = DetailsByRuleInput {
            config_rule_name: name.clone(),
            compliance_types: compliance_filter(&compliance).into_iter().collect(),
            limit: Some(100),
            next_token,
        };
        let page = services.invoke::<GetComplianceDetailsByConfigRule>(&ctx, input).await.map_err(ssr::failed)?;
        results.extend(page.results.into_iter().map(|e| EvaluationRow {
            resource_type: e.resource_type,
            resource_id: e.resource_id,
            compliance: e.compliance.as_str().to_owned(),
            annotation: e.annotation,
            recorded_ms: e.recorded_ms,
            ordering_ms: e.ordering_ms,
        }));
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
        capped = n + 1 == MAX_PAGES;
    }
    results.sort_by(|a, b| {
        (rank(&a.compliance), &a.resource_type, &a.resource_id).cmp(&(
            rank(&b.compliance),
            &b.resource_type,
            &b.resource_id,
        ))
    });

    let mut executions = Vec::new();
    if remediation.is_some() {
        let mut next_token = None;
        for _ in 0..MAX_PAGES {
            let input = DescribeRemediationExecutionStatusInput {
                config_rule_name: name.clone(),
                resource_keys: Vec::new(),
                limit: None,
                next_token,
            };
            let page = services.invoke::<DescribeRemediationExecutionStatus>(&ctx, input).await.map_err(ssr::failed)?;
            executions.extend(page.executions.into_iter().map(execution_view));
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
    }
    executions.sort_by_key(|e| std::cmp::Reverse(e.updated_ms));

    let mut rule = rule;
    rule.status = status;
    let scope_tag = rule.scope.tag_key.as_ref().map(|k| match &rule.scope.tag_value {
        Some(v) => format!("{k}={v}"),
        None => k.clone(),
    });
    Ok(RuleDetail {
        row: row(&rule, summary.get(&name), remediation.as_ref()),
        arn: rule.arn.clone(),
        id: rule.id.clone(),
        state: rule.state.clone(),
        description: rule.description.clone(),
        scope_types: rule.scope.resource_types.clone(),
        scope_tag,
        scope_id: rule.scope.resource_id.clone(),
        input_parameters: rule.input_parameters.as_deref().map(pretty_json),
        policy: rule.source.policy.as_ref().map(|p| p.text.clone()),
        frequency: rule.maximum_execution_frequency.clone(),
        first_activated_ms: rule.status.first_activated_ms,
        last_success_invocation_ms: rule.status.last_successful_invocation_ms,
        last_failed_invocation_ms: rule.status.last_failed_invocation_ms,
        last_failed_evaluation_ms: rule.status.last_failed_evaluation_ms,
        run_requested_ms: rule.status.run_requested_ms,
        results,
        results_capped: capped,
        remediation: remediation.as_ref().map(remediation_view),
        executions,
    })
}

pub async fn evaluate(region: String, account: Option<String>, name: String) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = StartConfigRulesEvaluationInput { config_rule_names: vec![name] };
    services.invoke::<StartConfigRulesEvaluation>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn remediate(
    region: String,
    account: Option<String>,
    name: String,
    resource_type: String,
    resource_id: String,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = StartRemediationExecutionInput {
        config_rule_name: name,
        resource_keys: vec![ResourceKey { resource_type, resource_id }],
    };
    services.invoke::<StartRemediationExecution>(&ctx, input).await.map(|_| ()).map_err(ssr::failed)
}

pub async fn compliance_overview(
    region: String,
    account: Option<String>,
    range: String,
) -> Result<ComplianceOverview, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let rules = all_rules(&services, &ctx, Vec::new()).await?;
    let by_rules = services.invoke::<GetComplianceSummaryByConfigRule>(&ctx, ()).await.map_err(ssr::failed)?;
    let by_resources = services
        .invoke::<GetComplianceSummaryByResourceType>(&ctx, SummaryByTypeInput::default())
        .await
        .map_err(ssr::failed)?;
    let resources = by_resources.into_iter().next().map(|(_, c)| c).unwrap_or_default();
    let window = TimeRange::parse(&range).unwrap_or_default().bounds_ms(ctx.now_ms);
    let (points, tracked, capped) = compliance::over_time(&services, &ctx, window).await?;
    Ok(ComplianceOverview {
        rules: rules.len(),
        compliant_rules: by_rules.compliant,
        non_compliant_rules: by_rules.non_compliant,
        compliant_resources: resources.compliant,
        non_compliant_resources: resources.non_compliant,
        window,
        points,
        tracked,
        capped,
    })
}
