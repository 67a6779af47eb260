//! Config rules: PutConfigRule (checked as AWS checks it: the source, its owner's required members, managed
//! rules' identifiers, input parameters and frequency, Guard policies, the scope; a new or changed rule runs
//! at once), DescribeConfigRules, DeleteConfigRule (its results go; its compliance history stays),
//! StartConfigRulesEvaluation and DescribeConfigRuleEvaluationStatus.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_configrules::{GuardPolicy, RuleError, input_parameters_object, managed_rule};
use skywatch_ops::{Access, Context, Effect, EventResource, Limit, Operation, Spec, token};

use super::{check_tags, spec};
use crate::engine::Config;
use crate::error::{ConfigError, missing};
use crate::rules::model::{Owner, Rule, Scope, Source};
use crate::rules::storage::{self, RuleChange, Touch};
use crate::storage as recorder_storage;

/// Rules an account and region may have.
pub const MAX_RULES: usize = 1_000;
/// Rules one DescribeConfigRules page or StartConfigRulesEvaluation call names at most.
pub const MAX_NAMED_RULES: usize = 25;
/// Statuses a page of DescribeConfigRuleEvaluationStatus.
pub const STATUS_PAGE: usize = 50;

const RULES_TOKEN: &str = "config-rules";

fn rule_error(error: RuleError) -> ConfigError {
    match error {
        RuleError::Validation(message) => ConfigError::Validation(message),
        RuleError::InvalidParameterValue(message) => ConfigError::InvalidParameterValue(message),
    }
}

fn no_such_rule(name: &str) -> ConfigError {
    ConfigError::NoSuchConfigRule(format!(
        "The ConfigRule '{name}' provided in the request is invalid. Please check the configRule name."
    ))
}

fn resource(rule: &Rule) -> EventResource {
    EventResource { resource_type: "AWS::Config::ConfigRule".into(), arn: rule.arn.clone() }
}

/// PutConfigRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutConfigRuleInput {
    pub name: String,
    pub description: Option<String>,
    pub scope: Scope,
    pub source: Source,
    pub input_parameters: Option<String>,
    pub maximum_execution_frequency: Option<String>,
    pub tags: Vec<(String, String)>,
}

/// Checks a rule's definition as AWS does.
fn check(input: &PutConfigRuleInput) -> Result<(), ConfigError> {
    let name = &input.name;
    if name.trim().is_empty() {
        return Err(missing("configRule.configRuleName"));
    }
    if name.chars().count() > 128 {
        return Err(crate::error::constraint(
            name,
            "configRule.configRuleName",
            "Member must have length less than or equal to 128",
        ));
    }
    if input.description.as_ref().is_some_and(|d| d.chars().count() > 256) {
        return Err(ConfigError::Validation(
            "1 validation error detected: Value at 'configRule.description' failed to satisfy constraint: Member must have length less than or equal to 256".into(),
        ));
    }
    check_tags(&input.tags)?;
    if let Some(frequency) = &input.maximum_execution_frequency
        && crate::ops::frequency_ms(frequency).is_none()
    {
        return Err(crate::error::constraint(
            frequency,
            "configRule.maximumExecutionFrequency",
            "Member must satisfy enum value set: [One_Hour, TwentyFour_Hours, Six_Hours, Three_Hours, Twelve_Hours]",
        ));
    }
    let scope = &input.scope;
    if scope.resource_types.len() > 100 {
        return Err(ConfigError::Validation(
            "1 validation error detected: Value at 'configRule.scope.complianceResourceTypes' failed to satisfy constraint: Member must have length less than or equal to 100".into(),
        ));
    }
    if scope.resource_id.is_some() && scope.resource_types.len() != 1 {
        return Err(ConfigError::InvalidParameterValue(
            "The configRule scope must have exactly one resource type when a ComplianceResourceId is given.".into(),
        ));
    }
    if scope.tag_value.is_some() && scope.tag_key.is_none() {
        return Err(ConfigError::InvalidParameterValue("A TagValue in the scope requires a TagKey.".into()));
    }
    let source = &input.source;
    match source.owner {
        Owner::Aws => {
            if !source.details.is_empty() {
                return Err(ConfigError::InvalidParameterValue(
                    "SourceDetails should be null/empty if the owner is AWS. SourceDetails should be provided if the owner is CUSTOM_LAMBDA.".into(),
                ));
            }
            let identifier = source.identifier.as_deref().unwrap_or("");
            let managed = managed_rule(identifier).ok_or_else(|| {
                ConfigError::InvalidParameterValue(format!(
                    "The sourceIdentifier {identifier} is invalid. Please refer to the documentation for a list of valid sourceIdentifiers that can be used when AWS is the Owner."
                ))
            })?;
            managed.parameters(input.input_parameters.as_deref()).map_err(rule_error)?;
            managed
                .check_maximum_execution_frequency(input.maximum_execution_frequency.as_deref())
                .map_err(rule_error)?;
        }
        Owner::CustomLambda => {
            if source.identifier.as_deref().is_none_or(str::is_empty) {
                return Err(ConfigError::InvalidParameterValue(
                    "SourceIdentifier is required when the owner is CUSTOM_LAMBDA: the function's ARN, or the URL of a webhook standing in for it.".into(),
                ));
            }
            if source.details.is_empty() {
                return Err(ConfigError::InvalidParameterValue(
                    "SourceDetails should be null/empty if the owner is AWS. SourceDetails should be provided if the owner is CUSTOM_LAMBDA.".into(),
                ));
            }
            input_parameters_object(input.input_parameters.as_deref()).map_err(rule_error)?;
        }
        Owner::CustomPolicy => {
            if source.identifier.is_some() {
                return Err(ConfigError::InvalidParameterValue(
                    "SourceIdentifier should be null when the owner is CUSTOM_POLICY.".into(),
                ));
            }
            let policy = source.policy.as_ref().ok_or_else(|| {
                ConfigError::InvalidParameterValue(
                    "CustomPolicyDetails is required when the owner is CUSTOM_POLICY.".into(),
                )
            })?;
            if policy.runtime != skywatch_configrules::POLICY_RUNTIME {
                return Err(crate::error::constraint(
                    &policy.runtime,
                    "configRule.source.customPolicyDetails.policyRuntime",
                    "Member must satisfy regular expression pattern: guard\\-2\\.x\\.x",
                ));
            }
            GuardPolicy::parse(&policy.text).map_err(rule_error)?;
            input_parameters_object(input.input_parameters.as_deref()).map_err(rule_error)?;
        }
    }
    for detail in &source.details {
        const TYPES: [&str; 4] = [
            "ConfigurationItemChangeNotification",
            "ConfigurationSnapshotDeliveryCompleted",
            "ScheduledNotification",
            "OversizedConfigurationItemChangeNotification",
        ];
        if !TYPES.contains(&detail.message_type.as_str()) {
            return Err(crate::error::constraint(
                &detail.message_type,
                "configRule.source.sourceDetails.member.messageType",
                "Member must satisfy enum value set: [ConfigurationItemChangeNotification, ConfigurationSnapshotDeliveryCompleted, ScheduledNotification, OversizedConfigurationItemChangeNotification]",
            ));
        }
    }
    if source.details.len() > 25 {
        return Err(ConfigError::Validation(
            "1 validation error detected: Value at 'configRule.source.sourceDetails' failed to satisfy constraint: Member must have length less than or equal to 25".into(),
        ));
    }
    Ok(())
}

/// A short id for a rule (`config-rule-xxxxxx`), from the request id.
fn rule_id(request_id: &str) -> String {
    format!("config-rule-{}", super::recorders::short_id(request_id))
}

/// PutConfigRule.
pub struct PutConfigRule;

impl Operation for PutConfigRule {
    const SPEC: Spec = spec("PutConfigRule", Access::Write).with_limits(&[
        Limit::aws("rules an account and region", MAX_RULES as u64),
        Limit::aws("policy text characters", skywatch_configrules::MAX_POLICY_CHARS as u64),
        Limit::aws("input parameters characters", skywatch_configrules::MAX_INPUT_PARAMETERS_CHARS as u64),
        Limit::aws("compliance resource types", 100),
        Limit::aws("tags a rule", super::MAX_TAGS as u64),
    ]);
    type Engine = Config;
    type Input = PutConfigRuleInput;
    type Output = String;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<String, ConfigError>, ConfigError> {
        check(&input)?;
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.name.clone());
        let (recorders, existing, count) = config
            .store
            .read(move |reader| {
                let recorders = recorder_storage::recorders(reader, &account, &region)?;
                let existing = storage::rule(reader, &account, &region, &name)?;
                let count = if existing.is_some() { 0 } else { storage::rules(reader, &account, &region)?.len() };
                Ok((recorders, existing, count))
            })
            .await?;
        if recorders.is_empty() {
            return Err(ConfigError::NoAvailableRecorder(
                "Configuration recorder is not available to put config rule.".into(),
            ));
        }
        if count >= MAX_RULES {
            return Err(ConfigError::MaxConfigRules(format!(
                "Failed to put config rule '{}' because the maximum number of config rules: {MAX_RULES} is reached.",
                input.name
            )));
        }
        if existing.as_ref().is_some_and(|r| r.state.starts_with("DELETING")) {
            return Err(ConfigError::ResourceInUse(format!("The rule {} is currently being deleted.", input.name)));
        }
        let id = existing.as_ref().map_or_else(|| rule_id(&ctx.request_id), |r| r.id.clone());
        let mut status = existing.as_ref().map(|r| r.status.clone()).unwrap_or_default();
        status.first_activated_ms.get_or_insert(ctx.now_ms);
        status.run_requested_ms = Some(ctx.now_ms);
        status.next_periodic_ms = None;
        let mut tags: BTreeMap<String, String> = existing.as_ref().map(|r| r.tags.clone()).unwrap_or_default();
        tags.extend(input.tags);
        let rule = Rule {
            arn: format!(
                "arn:{}:config:{}:{}:config-rule/{id}",
                skywatch_model::partition(&ctx.region),
                ctx.region,
                ctx.account
            ),
            id,
            name: input.name,
            description: input.description,
            scope: input.scope,
            source: input.source,
            input_parameters: input.input_parameters,
            maximum_execution_frequency: input.maximum_execution_frequency,
            state: "ACTIVE".into(),
            created_by: None,
            tags,
            status,
        };
        let arn = rule.arn.clone();
        let change = RuleChange::PutRule {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            rule: Box::new(rule.clone()),
        };
        let wake = config.clone();
        Ok(Effect::commit(arn, vec![change.mutation()]).with_resources(vec![resource(&rule)]).then(move || wake.wake()))
    }
}

/// DescribeConfigRules' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeConfigRulesInput {
    pub config_rule_names: Vec<String>,
    pub next_token: Option<String>,
}

/// A page of rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RulePage {
    pub rules: Vec<Rule>,
    pub next_token: Option<String>,
}

/// The rules `names` names (all when empty), each known or refused.
pub(crate) async fn named_rules(config: &Config, ctx: &Context, names: &[String]) -> Result<Vec<Rule>, ConfigError> {
    if names.len() > MAX_NAMED_RULES {
        return Err(ConfigError::Validation(format!(
            "1 validation error detected: Value at 'configRuleNames' failed to satisfy constraint: Member must have length less than or equal to {MAX_NAMED_RULES}"
        )));
    }
    let (account, region) = (ctx.account.clone(), ctx.region.clone());
    let all = config.store.read(move |reader| storage::rules(reader, &account, &region)).await?;
    if names.is_empty() {
        return Ok(all);
    }
    names.iter().map(|n| all.iter().find(|r| &r.name == n).cloned().ok_or_else(|| no_such_rule(n))).collect()
}

/// DescribeConfigRules.
pub struct DescribeConfigRules;

impl Operation for DescribeConfigRules {
    const SPEC: Spec = spec("DescribeConfigRules", Access::Read)
        .with_limits(&[Limit::aws("rule names a call", MAX_NAMED_RULES as u64), Limit::aws("rules a page", 25)]);
    type Engine = Config;
    type Input = DescribeConfigRulesInput;
    type Output = RulePage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<RulePage, ConfigError>, ConfigError> {
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(RULES_TOKEN, t)
                    .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
            ),
        };
        let mut rules: Vec<Rule> = named_rules(config, ctx, &input.config_rule_names)
            .await?
            .into_iter()
            .filter(|r| after.as_ref().is_none_or(|a| &r.name > a))
            .collect();
        let more = rules.len() > 25;
        rules.truncate(25);
        let next_token = if more { rules.last().map(|r| token::encode(RULES_TOKEN, &r.name)) } else { None };
        Ok(Effect::reply(RulePage { rules, next_token }))
    }
}

/// Inputs that name one rule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleNameInput {
    pub config_rule_name: String,
}

/// DeleteConfigRule: the rule and its current results go; the compliance history stays.
pub struct DeleteConfigRule;

impl Operation for DeleteConfigRule {
    const SPEC: Spec = spec("DeleteConfigRule", Access::Write).with_limits(&[Limit::aws("rule name characters", 128)]);
    type Engine = Config;
    type Input = RuleNameInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let rule = named_rules(config, ctx, std::slice::from_ref(&input.config_rule_name)).await?.remove(0);
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), rule.name.clone());
        let evaluations = config
            .store
            .read(move |reader| {
                storage::rule_evaluations(reader, (&account, &region, &name), None, usize::MAX, |_| true)
            })
            .await?
            .into_iter()
            .map(|e| (e.resource_type, e.resource_id))
            .collect();
        let change = RuleChange::DeleteRule {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: rule.name.clone(),
            evaluations,
            now_ms: ctx.now_ms,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(&rule)]))
    }
}

/// StartConfigRulesEvaluation's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartConfigRulesEvaluationInput {
    pub config_rule_names: Vec<String>,
}

/// StartConfigRulesEvaluation: each named rule runs over every resource in its scope at the next pass.
pub struct StartConfigRulesEvaluation;

impl Operation for StartConfigRulesEvaluation {
    const SPEC: Spec = spec("StartConfigRulesEvaluation", Access::Write)
        .with_limits(&[Limit::aws("rule names a call", MAX_NAMED_RULES as u64)]);
    type Engine = Config;
    type Input = StartConfigRulesEvaluationInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        if input.config_rule_names.is_empty() {
            return Err(ConfigError::Validation(
                "1 validation error detected: Value '[]' at 'configRuleNames' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
            ));
        }
        let rules = named_rules(config, ctx, &input.config_rule_names).await?;
        let changes = rules
            .iter()
            .map(|r| {
                RuleChange::Touch {
                    account: ctx.account.clone(),
                    region: ctx.region.clone(),
                    name: r.name.clone(),
                    touch: Touch::RunRequested(ctx.now_ms),
                }
                .mutation()
            })
            .collect();
        let wake = config.clone();
        Ok(Effect::commit((), changes).with_resources(rules.iter().map(resource).collect()).then(move || wake.wake()))
    }
}

/// DescribeConfigRuleEvaluationStatus' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeConfigRuleEvaluationStatusInput {
    pub config_rule_names: Vec<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// DescribeConfigRuleEvaluationStatus.
pub struct DescribeConfigRuleEvaluationStatus;

impl Operation for DescribeConfigRuleEvaluationStatus {
    const SPEC: Spec = spec("DescribeConfigRuleEvaluationStatus", Access::Read).with_limits(&[
        Limit::aws("statuses a page", STATUS_PAGE as u64),
        Limit::aws("rule names a call", MAX_NAMED_RULES as u64),
    ]);
    type Engine = Config;
    type Input = DescribeConfigRuleEvaluationStatusInput;
    type Output = RulePage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<RulePage, ConfigError>, ConfigError> {
        let limit = match input.limit {
            None | Some(0) => STATUS_PAGE,
            Some(n) if !(0..=STATUS_PAGE as i64).contains(&n) => {
                return Err(ConfigError::Validation(format!(
                    "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {STATUS_PAGE}"
                )));
            }
            Some(n) => n as usize,
        };
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(RULES_TOKEN, t)
                    .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
            ),
        };
        let mut rules: Vec<Rule> = named_rules(config, ctx, &input.config_rule_names)
            .await?
            .into_iter()
            .filter(|r| after.as_ref().is_none_or(|a| &r.name > a))
            .collect();
        let more = rules.len() > limit;
        rules.truncate(limit);
        let next_token = if more { rules.last().map(|r| token::encode(RULES_TOKEN, &r.name)) } else { None };
        Ok(Effect::reply(RulePage { rules, next_token }))
    }
}
