//! An aggregator's compliance reads: DescribeAggregateComplianceByConfigRules (one row per rule per source account
//! and region, for the rules that have results), GetAggregateConfigRuleComplianceSummary (compliant and
//! non-compliant rules, summed by account or region) and GetAggregateComplianceDetailsByConfigRule (one rule's
//! results in one source). Results about resource types the aggregator's filter leaves out are not aggregated.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_configrules::Compliance;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};
use skywatch_store::{ReadError, Reader};

use super::aggregation::{check_account, check_region, offset, over_sources, page, page_size};
use super::compliance::{CountSummary, MAX_SUMMED, Summary};
use super::spec;
use crate::aggregation::model::Aggregator;
use crate::aggregation::scope::{MAX_SOURCES, Source};
use crate::engine::Config;
use crate::error::constraint;
use crate::rules::model::Evaluation;
use crate::rules::storage;

/// Rows a page of the by-rule and summary calls, when no limit is given and at most.
pub const GROUP_PAGE: usize = 1_000;
/// Results a page of GetAggregateComplianceDetailsByConfigRule when no limit is given, and at most.
pub const DETAILS_PAGE: usize = 50;
pub const MAX_DETAILS_PAGE: usize = 100;
/// Where AWS caps the rule counts of a compliance summary.
pub const RULE_CAP: usize = 25;

const BY_RULE_TOKEN: &str = "config-aggregate-compliance";
const SUMMARY_TOKEN: &str = "config-aggregate-summary";
const DETAILS_TOKEN: &str = "config-aggregate-details";

/// A `ComplianceType` filter: one of the four values (only COMPLIANT and NON_COMPLIANT rows exist in these
/// calls, so the other two match nothing).
fn compliance_filter(value: Option<&str>, at: &str) -> Result<Option<Compliance>, crate::ConfigError> {
    value
        .map(|v| {
            Compliance::parse(v).ok_or_else(|| {
                constraint(
                    v,
                    at,
                    "Member must satisfy enum value set: [COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA]",
                )
            })
        })
        .transpose()
}

fn check_rule_name(name: &str, at: &str) -> Result<(), crate::ConfigError> {
    if name.trim().is_empty() || name.chars().count() > 128 {
        return Err(constraint(name, at, "Member must have length between 1 and 128"));
    }
    Ok(())
}

/// Every rule of every source (of one name when given) with the results it has about the resource types the
/// aggregator includes, charged to `budget`: (source index, rule name, results).
fn rule_results(
    reader: &Reader,
    aggregator: &Aggregator,
    sources: &[Source],
    rule: Option<&str>,
    budget: &mut usize,
) -> Result<Vec<(usize, String, Vec<Evaluation>)>, ReadError> {
    let mut found = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let (account, region) = (source.account.as_str(), source.region.as_str());
        let names: Vec<String> = match rule {
            Some(name) => storage::rule(reader, account, region, name)?.map(|r| r.name).into_iter().collect(),
            None => storage::rules(reader, account, region)?.into_iter().map(|r| r.name).collect(),
        };
        for name in names {
            if *budget == 0 {
                return Ok(found);
            }
            let results = storage::rule_evaluations(reader, (account, region, &name), None, *budget, |_| true)?;
            *budget -= results.len();
            let results: Vec<Evaluation> =
                results.into_iter().filter(|e| aggregator.filters.includes(&e.resource_type)).collect();
            found.push((index, name, results));
        }
    }
    Ok(found)
}

/// `ConfigRuleComplianceFilters`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleComplianceFilters {
    pub config_rule_name: Option<String>,
    pub compliance_type: Option<String>,
    pub account_id: Option<String>,
    pub aws_region: Option<String>,
}

/// DescribeAggregateComplianceByConfigRules' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregateComplianceByRuleInput {
    pub configuration_aggregator_name: String,
    pub filters: RuleComplianceFilters,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// One rule's compliance in one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateRuleCompliance {
    pub rule: String,
    pub summary: Summary,
    pub account: String,
    pub region: String,
}

/// A page of rules' compliance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AggregateComplianceByRuleOutput {
    pub rules: Vec<AggregateRuleCompliance>,
    pub next_token: Option<String>,
}

/// DescribeAggregateComplianceByConfigRules: one row per rule per source account and region, COMPLIANT or
/// NON_COMPLIANT (rules without results are left out, as AWS leaves them out), in (account, region, rule) order.
pub struct DescribeAggregateComplianceByConfigRules;

impl Operation for DescribeAggregateComplianceByConfigRules {
    const SPEC: Spec = spec("DescribeAggregateComplianceByConfigRules", Access::Read).with_limits(&[
        Limit::aws("rows a page", GROUP_PAGE as u64),
        Limit::own("evaluations summed", MAX_SUMMED as u64),
        Limit::own("sources a read covers", MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = AggregateComplianceByRuleInput;
    type Output = AggregateComplianceByRuleOutput;
    type Error = crate::ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, crate::ConfigError>, crate::ConfigError> {
        let filters = input.filters;
        let wanted = compliance_filter(filters.compliance_type.as_deref(), "filters.complianceType")?;
        if let Some(name) = &filters.config_rule_name {
            check_rule_name(name, "filters.configRuleName")?;
        }
        if let Some(account) = &filters.account_id {
            check_account(account, "filters.accountId")?;
        }
        if let Some(region) = &filters.aws_region {
            check_region(region, "filters.awsRegion")?;
        }
        let limit = page_size(input.limit, GROUP_PAGE, GROUP_PAGE)?;
        let skip = offset(BY_RULE_TOKEN, &input.next_token)?;
        let rule = filters.config_rule_name.clone();
        let rows = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            (filters.account_id.clone(), filters.aws_region.clone()),
            move |reader, aggregator, sources| {
                let mut budget = MAX_SUMMED;
                let found = rule_results(reader, aggregator, sources, rule.as_deref(), &mut budget)?;
                Ok(found
                    .into_iter()
                    .map(|(index, name, results)| AggregateRuleCompliance {
                        rule: name,
                        summary: Summary::of(results.iter().map(|e| &e.compliance)),
                        account: sources[index].account.clone(),
                        region: sources[index].region.clone(),
                    })
                    .filter(|row| matches!(row.summary.compliance, Compliance::Compliant | Compliance::NonCompliant))
                    .filter(|row| wanted.is_none_or(|w| w == row.summary.compliance))
                    .collect::<Vec<_>>())
            },
        )
        .await?;
        let (rules, next_token) = page(BY_RULE_TOKEN, &rows, skip, limit);
        Ok(Effect::reply(AggregateComplianceByRuleOutput { rules, next_token }))
    }
}

/// `ConfigRuleComplianceSummaryFilters`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryFilters {
    pub account_id: Option<String>,
    pub aws_region: Option<String>,
}

/// GetAggregateConfigRuleComplianceSummary's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregateSummaryInput {
    pub configuration_aggregator_name: String,
    pub filters: SummaryFilters,
    pub group_by_key: Option<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// Compliant and non-compliant rules of each group (one unnamed group when no key was given).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AggregateSummaryOutput {
    pub group_by_key: Option<String>,
    pub groups: Vec<(Option<String>, CountSummary)>,
    pub next_token: Option<String>,
}

/// GetAggregateConfigRuleComplianceSummary: how many rules are compliant and how many not, a rule counted once in
/// each source it is in, summed over the sources of each account or region (or all of them).
pub struct GetAggregateConfigRuleComplianceSummary;

impl Operation for GetAggregateConfigRuleComplianceSummary {
    const SPEC: Spec = spec("GetAggregateConfigRuleComplianceSummary", Access::Read).with_limits(&[
        Limit::aws("groups a page", GROUP_PAGE as u64),
        Limit::own("evaluations summed", MAX_SUMMED as u64),
        Limit::own("sources a read covers", MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = AggregateSummaryInput;
    type Output = AggregateSummaryOutput;
    type Error = crate::ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, crate::ConfigError>, crate::ConfigError> {
        let by_account = match input.group_by_key.as_deref() {
            None => None,
            Some("ACCOUNT_ID") => Some(true),
            Some("AWS_REGION") => Some(false),
            Some(other) => {
                return Err(constraint(
                    other,
                    "groupByKey",
                    "Member must satisfy enum value set: [ACCOUNT_ID, AWS_REGION]",
                ));
            }
        };
        let filters = input.filters;
        if let Some(account) = &filters.account_id {
            check_account(account, "filters.accountId")?;
        }
        if let Some(region) = &filters.aws_region {
            check_region(region, "filters.awsRegion")?;
        }
        let limit = page_size(input.limit, GROUP_PAGE, GROUP_PAGE)?;
        let skip = offset(SUMMARY_TOKEN, &input.next_token)?;
        let now = ctx.now_ms;
        let groups = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            (filters.account_id.clone(), filters.aws_region.clone()),
            move |reader, aggregator, sources| {
                let mut budget = MAX_SUMMED;
                let found = rule_results(reader, aggregator, sources, None, &mut budget)?;
                let mut groups: BTreeMap<Option<String>, CountSummary> = BTreeMap::new();
                for (index, _, results) in found {
                    let source = &sources[index];
                    let group =
                        by_account.map(|account| if account { source.account.clone() } else { source.region.clone() });
                    let counts = groups.entry(group).or_insert(CountSummary { at_ms: now, ..CountSummary::default() });
                    match Summary::of(results.iter().map(|e| &e.compliance)).compliance {
                        Compliance::Compliant => counts.compliant += 1,
                        Compliance::NonCompliant => counts.non_compliant += 1,
                        _ => {}
                    }
                }
                Ok(groups.into_iter().collect::<Vec<_>>())
            },
        )
        .await?;
        let (groups, next_token) = page(SUMMARY_TOKEN, &groups, skip, limit);
        Ok(Effect::reply(AggregateSummaryOutput { group_by_key: input.group_by_key, groups, next_token }))
    }
}

/// GetAggregateComplianceDetailsByConfigRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregateDetailsInput {
    pub configuration_aggregator_name: String,
    pub config_rule_name: String,
    pub account_id: String,
    pub aws_region: String,
    pub compliance_type: Option<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// A page of one rule's results in one source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AggregateDetailsPage {
    pub account: String,
    pub region: String,
    pub results: Vec<Evaluation>,
    pub next_token: Option<String>,
}

/// GetAggregateComplianceDetailsByConfigRule: a rule's COMPLIANT and NON_COMPLIANT results in one source account
/// and region (none when the aggregator does not cover or may not read it, or the rule does not exist there).
pub struct GetAggregateComplianceDetailsByConfigRule;

impl Operation for GetAggregateComplianceDetailsByConfigRule {
    const SPEC: Spec = spec("GetAggregateComplianceDetailsByConfigRule", Access::Read).with_limits(&[
        Limit::aws("results a page", MAX_DETAILS_PAGE as u64),
        Limit::own("evaluations read", MAX_SUMMED as u64),
    ]);
    type Engine = Config;
    type Input = AggregateDetailsInput;
    type Output = AggregateDetailsPage;
    type Error = crate::ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, crate::ConfigError>, crate::ConfigError> {
        check_rule_name(&input.config_rule_name, "configRuleName")?;
        check_account(&input.account_id, "accountId")?;
        check_region(&input.aws_region, "awsRegion")?;
        let wanted = compliance_filter(input.compliance_type.as_deref(), "complianceType")?;
        let limit = page_size(input.limit, DETAILS_PAGE, MAX_DETAILS_PAGE)?;
        let skip = offset(DETAILS_TOKEN, &input.next_token)?;
        let rule = input.config_rule_name.clone();
        let all = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            (Some(input.account_id.clone()), Some(input.aws_region.clone())),
            move |reader, aggregator, sources| {
                let mut budget = MAX_SUMMED;
                let found = rule_results(reader, aggregator, sources, Some(&rule), &mut budget)?;
                Ok(found
                    .into_iter()
                    .flat_map(|(_, _, results)| results)
                    .filter(|e| matches!(e.compliance, Compliance::Compliant | Compliance::NonCompliant))
                    .filter(|e| wanted.is_none_or(|w| w == e.compliance))
                    .collect::<Vec<_>>())
            },
        )
        .await?;
        let (results, next_token) = page(DETAILS_TOKEN, &all, skip, limit);
        Ok(Effect::reply(AggregateDetailsPage {
            account: input.account_id,
            region: input.aws_region,
            results,
            next_token,
        }))
    }
}
