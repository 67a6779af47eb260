//! Remediation: PutRemediationConfigurations (one a rule; checked as AWS checks it), DescribeRemediation-
//! Configurations, DeleteRemediationConfiguration (refused while an execution runs), StartRemediationExecution
//! and DescribeRemediationExecutionStatus.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, EventResource, Limit, Operation, Spec, token};

use super::queries::ResourceKey;
use super::rules::named_rules;
use super::spec;
use crate::engine::Config;
use crate::error::ConfigError;
use crate::remediation::model::{
    DEFAULT_ATTEMPTS, DEFAULT_RETRY_SECONDS, Execution, ParameterValue, Remediation, State,
};
use crate::remediation::storage::{self, RemediationChange};

/// Configurations one call puts, and rules one describe names.
pub const MAX_CONFIGURATIONS: usize = 25;
/// Parameters one action takes.
pub const MAX_PARAMETERS: usize = 25;
/// Resources one StartRemediationExecution names.
pub const MAX_RESOURCE_KEYS: usize = 100;
/// Statuses a page of DescribeRemediationExecutionStatus.
pub const STATUS_PAGE: usize = 100;

const STATUS_TOKEN: &str = "config-remediation";

fn invalid(message: impl Into<String>) -> ConfigError {
    ConfigError::InvalidParameterValue(message.into())
}

/// One configuration as PutRemediationConfigurations gives it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemediationInput {
    pub config_rule_name: String,
    pub target_type: String,
    pub target_id: String,
    pub target_version: Option<String>,
    pub parameters: BTreeMap<String, ParameterValue>,
    pub resource_type: Option<String>,
    pub automatic: bool,
    pub maximum_automatic_attempts: Option<i64>,
    pub retry_attempt_seconds: Option<i64>,
    pub concurrency_percentage: Option<i64>,
    pub error_percentage: Option<i64>,
}

/// PutRemediationConfigurations' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutRemediationConfigurationsInput {
    pub remediation_configurations: Vec<RemediationInput>,
}

fn check(input: &RemediationInput) -> Result<(), ConfigError> {
    if input.target_type != "SSM_DOCUMENT" {
        return Err(invalid(format!(
            "The TargetType {} is invalid. Valid values are: SSM_DOCUMENT.",
            input.target_type
        )));
    }
    if input.target_id.is_empty() || input.target_id.chars().count() > 256 {
        return Err(invalid("TargetId must be 1 to 256 characters."));
    }
    if input.parameters.len() > MAX_PARAMETERS {
        return Err(invalid(format!("A remediation action takes at most {MAX_PARAMETERS} parameters.")));
    }
    if let Some(n) = input.maximum_automatic_attempts
        && !(1..=25).contains(&n)
    {
        return Err(invalid("MaximumAutomaticAttempts must be between 1 and 25."));
    }
    if let Some(n) = input.retry_attempt_seconds
        && !(1..=2_678_000).contains(&n)
    {
        return Err(invalid("RetryAttemptSeconds must be between 1 and 2678000."));
    }
    for p in [input.concurrency_percentage, input.error_percentage].into_iter().flatten() {
        if !(1..=100).contains(&p) {
            return Err(invalid("ExecutionControls percentages must be between 1 and 100."));
        }
    }
    Ok(())
}

/// PutRemediationConfigurations: the rules must exist; a rule has one configuration, replaced by a new put.
pub struct PutRemediationConfigurations;

impl Operation for PutRemediationConfigurations {
    const SPEC: Spec = spec("PutRemediationConfigurations", Access::Write).with_limits(&[
        Limit::aws("configurations a call", MAX_CONFIGURATIONS as u64),
        Limit::aws("parameters an action", MAX_PARAMETERS as u64),
        Limit::aws("automatic attempts", 25),
    ]);
    type Engine = Config;
    type Input = PutRemediationConfigurationsInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        if input.remediation_configurations.len() > MAX_CONFIGURATIONS {
            return Err(ConfigError::Validation(format!(
                "1 validation error detected: Value at 'remediationConfigurations' failed to satisfy constraint: Member must have length less than or equal to {MAX_CONFIGURATIONS}"
            )));
        }
        for item in &input.remediation_configurations {
            check(item)?;
        }
        let names: Vec<String> = input.remediation_configurations.iter().map(|r| r.config_rule_name.clone()).collect();
        let rules = named_rules(config, ctx, &names).await.map_err(|error| match error {
            ConfigError::NoSuchConfigRule(message) => invalid(message),
            other => other,
        })?;
        let mut changes = Vec::new();
        let mut resources = Vec::new();
        for (item, rule) in input.remediation_configurations.into_iter().zip(&rules) {
            let remediation = Remediation {
                arn: format!(
                    "arn:{}:config:{}:{}:remediation-configuration/{}/{}",
                    skywatch_model::partition(&ctx.region),
                    ctx.region,
                    ctx.account,
                    rule.name,
                    rule.id
                ),
                rule: rule.name.clone(),
                target_type: item.target_type,
                target_id: item.target_id,
                target_version: item.target_version,
                parameters: item.parameters,
                resource_type: item.resource_type,
                automatic: item.automatic,
                maximum_attempts: item.maximum_automatic_attempts.map_or(DEFAULT_ATTEMPTS, |n| n as u32),
                retry_seconds: item.retry_attempt_seconds.unwrap_or(DEFAULT_RETRY_SECONDS),
                concurrency_percentage: item.concurrency_percentage,
                error_percentage: item.error_percentage,
            };
            resources.push(EventResource {
                resource_type: "AWS::Config::RemediationConfiguration".into(),
                arn: remediation.arn.clone(),
            });
            changes.push(
                RemediationChange::Put {
                    account: ctx.account.clone(),
                    region: ctx.region.clone(),
                    remediation: Box::new(remediation),
                }
                .mutation(),
            );
        }
        Ok(Effect::commit((), changes).with_resources(resources))
    }
}

/// DescribeRemediationConfigurations' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeRemediationConfigurationsInput {
    pub config_rule_names: Vec<String>,
}

/// DescribeRemediationConfigurations: the configurations of the named rules that have one.
pub struct DescribeRemediationConfigurations;

impl Operation for DescribeRemediationConfigurations {
    const SPEC: Spec = spec("DescribeRemediationConfigurations", Access::Read)
        .with_limits(&[Limit::aws("rule names a call", MAX_CONFIGURATIONS as u64)]);
    type Engine = Config;
    type Input = DescribeRemediationConfigurationsInput;
    type Output = Vec<Remediation>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Vec<Remediation>, ConfigError>, ConfigError> {
        if input.config_rule_names.len() > MAX_CONFIGURATIONS {
            return Err(ConfigError::Validation(format!(
                "1 validation error detected: Value at 'configRuleNames' failed to satisfy constraint: Member must have length less than or equal to {MAX_CONFIGURATIONS}"
            )));
        }
        let (account, region, names) = (ctx.account.clone(), ctx.region.clone(), input.config_rule_names);
        let found = config
            .store
            .read(move |reader| {
                let mut found = Vec::new();
                for name in &names {
                    found.extend(storage::remediation(reader, (&account, &region), name)?);
                }
                Ok(found)
            })
            .await?;
        Ok(Effect::reply(found))
    }
}

/// DeleteRemediationConfiguration's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteRemediationConfigurationInput {
    pub config_rule_name: String,
    pub resource_type: Option<String>,
}

/// DeleteRemediationConfiguration.
pub struct DeleteRemediationConfiguration;

impl Operation for DeleteRemediationConfiguration {
    const SPEC: Spec =
        spec("DeleteRemediationConfiguration", Access::Write).with_limits(&[Limit::aws("rule name characters", 128)]);
    type Engine = Config;
    type Input = DeleteRemediationConfigurationInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let (account, region, rule) = (ctx.account.clone(), ctx.region.clone(), input.config_rule_name.clone());
        let (found, running) = config
            .store
            .read(move |reader| {
                let found = storage::remediation(reader, (&account, &region), &rule)?;
                let running = storage::executions(reader, (&account, &region), &rule, 10_000)?
                    .iter()
                    .any(|e| matches!(e.state, State::Queued | State::InProgress));
                Ok((found, running))
            })
            .await?;
        let Some(found) =
            found.filter(|r| input.resource_type.as_ref().is_none_or(|t| r.resource_type.as_ref() == Some(t)))
        else {
            return Err(ConfigError::NoSuchRemediation(format!(
                "No RemediationConfiguration for rule exists: {}",
                input.config_rule_name
            )));
        };
        if running {
            return Err(ConfigError::RemediationInProgress(format!(
                "Remediation action is in progress for the rule {}.",
                input.config_rule_name
            )));
        }
        let change =
            RemediationChange::Delete { account: ctx.account.clone(), region: ctx.region.clone(), rule: found.rule };
        let resource = EventResource { resource_type: "AWS::Config::RemediationConfiguration".into(), arn: found.arn };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource]))
    }
}

/// StartRemediationExecution's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartRemediationExecutionInput {
    pub config_rule_name: String,
    pub resource_keys: Vec<ResourceKey>,
}

/// StartRemediationExecution: each resource's execution is queued (one already queued or running is left).
pub struct StartRemediationExecution;

impl Operation for StartRemediationExecution {
    const SPEC: Spec = spec("StartRemediationExecution", Access::Write)
        .with_limits(&[Limit::aws("resource keys a call", MAX_RESOURCE_KEYS as u64)]);
    type Engine = Config;
    type Input = StartRemediationExecutionInput;
    type Output = Vec<ResourceKey>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Vec<ResourceKey>, ConfigError>, ConfigError> {
        if input.resource_keys.is_empty() || input.resource_keys.len() > MAX_RESOURCE_KEYS {
            return Err(ConfigError::Validation(format!(
                "1 validation error detected: Value at 'resourceKeys' failed to satisfy constraint: Member must have length less than or equal to {MAX_RESOURCE_KEYS} and greater than or equal to 1"
            )));
        }
        let (account, region, rule) = (ctx.account.clone(), ctx.region.clone(), input.config_rule_name.clone());
        let found = config.store.read(move |reader| storage::remediation(reader, (&account, &region), &rule)).await?;
        let Some(found) = found else {
            return Err(ConfigError::NoSuchRemediation(format!(
                "No RemediationConfiguration for rule exists: {}",
                input.config_rule_name
            )));
        };
        let change = RemediationChange::Queue {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            rule: found.rule.clone(),
            resources: input.resource_keys.iter().map(|k| (k.resource_type.clone(), k.resource_id.clone())).collect(),
            now_ms: ctx.now_ms,
        };
        let resource = EventResource { resource_type: "AWS::Config::RemediationConfiguration".into(), arn: found.arn };
        let wake = config.clone();
        Ok(Effect::commit(Vec::new(), vec![change.mutation()]).with_resources(vec![resource]).then(move || wake.wake()))
    }
}

/// DescribeRemediationExecutionStatus' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeRemediationExecutionStatusInput {
    pub config_rule_name: String,
    pub resource_keys: Vec<ResourceKey>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// A page of executions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecutionPage {
    pub executions: Vec<Execution>,
    pub next_token: Option<String>,
}

/// DescribeRemediationExecutionStatus.
pub struct DescribeRemediationExecutionStatus;

impl Operation for DescribeRemediationExecutionStatus {
    const SPEC: Spec = spec("DescribeRemediationExecutionStatus", Access::Read).with_limits(&[
        Limit::aws("statuses a page", STATUS_PAGE as u64),
        Limit::aws("resource keys a call", MAX_RESOURCE_KEYS as u64),
    ]);
    type Engine = Config;
    type Input = DescribeRemediationExecutionStatusInput;
    type Output = ExecutionPage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<ExecutionPage, ConfigError>, ConfigError> {
        if input.resource_keys.len() > MAX_RESOURCE_KEYS {
            return Err(ConfigError::Validation(format!(
                "1 validation error detected: Value at 'resourceKeys' failed to satisfy constraint: Member must have length less than or equal to {MAX_RESOURCE_KEYS}"
            )));
        }
        let limit = match input.limit {
            None | Some(0) => STATUS_PAGE,
            Some(n) if !(0..=STATUS_PAGE as i64).contains(&n) => {
                return Err(invalid(format!("Limit must be between 0 and {STATUS_PAGE}.")));
            }
            Some(n) => n as usize,
        };
        let skip = match &input.next_token {
            None => 0,
            Some(t) => token::decode(STATUS_TOKEN, t)
                .and_then(|s| s.parse::<usize>().ok())
                .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
        };
        let (account, region, rule) = (ctx.account.clone(), ctx.region.clone(), input.config_rule_name.clone());
        let keys = input.resource_keys;
        let (found, executions) = config
            .store
            .read(move |reader| {
                let found = storage::remediation(reader, (&account, &region), &rule)?;
                let executions = storage::executions(reader, (&account, &region), &rule, 100_000)?;
                Ok((found, executions))
            })
            .await?;
        if found.is_none() {
            return Err(ConfigError::NoSuchRemediation(format!(
                "No RemediationConfiguration for rule exists: {}",
                input.config_rule_name
            )));
        }
        let all: Vec<Execution> = executions
            .into_iter()
            .filter(|e| {
                keys.is_empty()
                    || keys.iter().any(|k| k.resource_type == e.resource_type && k.resource_id == e.resource_id)
            })
            .collect();
        let executions: Vec<Execution> = all.iter().skip(skip).take(limit).cloned().collect();
        let next_token = (skip + executions.len() < all.len())
            .then(|| token::encode(STATUS_TOKEN, &(skip + executions.len()).to_string()));
        Ok(Effect::reply(ExecutionPage { executions, next_token }))
    }
}
