//! Compliance: PutEvaluations (a function's results, under the result token of its invocation; TestMode
//! checks without storing), DescribeComplianceByConfigRule, DescribeComplianceByResource,
//! GetComplianceDetailsByConfigRule, GetComplianceDetailsByResource, GetComplianceSummaryByConfigRule and
//! GetComplianceSummaryByResourceType, as AWS Config sums results up (a rule or resource is non-compliant when
//! any result is; counts are capped at 100).

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_configrules::Compliance;
use skywatch_ops::{Access, Context, Effect, EventResource, Limit, Operation, Spec, token};

use super::rules::named_rules;
use super::spec;
use crate::engine::Config;
use crate::error::{ConfigError, constraint};
use crate::rules::invocation::ResultToken;
use crate::rules::model::{Evaluation, summarize};
use crate::rules::storage::{self, RuleChange};

/// Evaluations one PutEvaluations call carries.
pub const MAX_EVALUATIONS: usize = 100;
/// Where AWS caps contributor counts.
pub const CAP: usize = 100;
/// Results a page of the detail and by-resource calls when no limit is given, and at most.
pub const DETAIL_PAGE: usize = 10;
pub const MAX_DETAIL_PAGE: usize = 100;
/// Evaluations one summary reads at most.
pub const MAX_SUMMED: usize = 100_000;

const DETAILS_TOKEN: &str = "config-compliance";

/// A compliance with its contributor count (`CappedCount`, `CapExceeded`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub compliance: Compliance,
    pub count: usize,
}

impl Summary {
    /// AWS's sum of `results`: the number that are non-compliant when any is.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a Compliance>) -> Self {
        let results: Vec<&Compliance> = results.into_iter().collect();
        let compliance = summarize(results.iter().copied());
        let count = results.iter().filter(|c| ***c == Compliance::NonCompliant).count();
        Summary { compliance, count }
    }
}

fn types_filter(types: &[String], allow_insufficient: bool) -> Result<Vec<Compliance>, ConfigError> {
    if types.len() > 3 {
        return Err(ConfigError::Validation(
            "1 validation error detected: Value at 'complianceTypes' failed to satisfy constraint: Member must have length less than or equal to 3".into(),
        ));
    }
    types
        .iter()
        .map(|t| match Compliance::parse(t) {
            Some(Compliance::InsufficientData) if !allow_insufficient => Err(ConfigError::InvalidParameterValue(
                "INSUFFICIENT_DATA cannot be used as a ComplianceType for filtering results.".into(),
            )),
            Some(c) => Ok(c),
            None => Err(constraint(
                t,
                "complianceTypes.member",
                "Member must satisfy enum value set: [INSUFFICIENT_DATA, NON_COMPLIANT, NOT_APPLICABLE, COMPLIANT]",
            )),
        })
        .collect()
}

fn page_limit(limit: Option<i64>) -> Result<usize, ConfigError> {
    match limit {
        None | Some(0) => Ok(DETAIL_PAGE),
        Some(n) if !(0..=MAX_DETAIL_PAGE as i64).contains(&n) => Err(constraint(
            &n.to_string(),
            "limit",
            &format!("Member must have value less than or equal to {MAX_DETAIL_PAGE}"),
        )),
        Some(n) => Ok(n as usize),
    }
}

fn skip_of(next_token: &Option<String>) -> Result<usize, ConfigError> {
    match next_token {
        None => Ok(0),
        Some(t) => token::decode(DETAILS_TOKEN, t)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into())),
    }
}

fn page<T: Clone>(all: &[T], skip: usize, limit: usize) -> (Vec<T>, Option<String>) {
    let rows: Vec<T> = all.iter().skip(skip).take(limit).cloned().collect();
    let next = (skip + rows.len() < all.len()).then(|| token::encode(DETAILS_TOKEN, &(skip + rows.len()).to_string()));
    (rows, next)
}

/// One evaluation PutEvaluations was given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationInput {
    pub compliance_resource_type: String,
    pub compliance_resource_id: String,
    pub compliance_type: String,
    pub annotation: Option<String>,
    pub ordering_timestamp_ms: i64,
}

/// PutEvaluations' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutEvaluationsInput {
    pub evaluations: Vec<EvaluationInput>,
    #[serde(skip)]
    pub result_token: String,
    pub test_mode: bool,
}

/// PutEvaluations: a function's results for the rule its result token names.
pub struct PutEvaluations;

impl Operation for PutEvaluations {
    const SPEC: Spec =
        spec("PutEvaluations", Access::Write).with_limits(&[Limit::aws("evaluations a call", MAX_EVALUATIONS as u64)]);
    type Engine = Config;
    type Input = PutEvaluationsInput;
    type Output = Vec<EvaluationInput>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Vec<EvaluationInput>, ConfigError>, ConfigError> {
        if input.evaluations.len() > MAX_EVALUATIONS {
            return Err(ConfigError::Validation(format!(
                "1 validation error detected: Value at 'evaluations' failed to satisfy constraint: Member must have length less than or equal to {MAX_EVALUATIONS}"
            )));
        }
        let mut checked = Vec::with_capacity(input.evaluations.len());
        for e in &input.evaluations {
            let compliance = match Compliance::parse(&e.compliance_type) {
                Some(Compliance::InsufficientData) | None => {
                    return Err(ConfigError::InvalidParameterValue(format!(
                        "The complianceType {} is invalid. Valid values are COMPLIANT, NON_COMPLIANT and NOT_APPLICABLE.",
                        e.compliance_type
                    )));
                }
                Some(c) => c,
            };
            if e.compliance_resource_type.is_empty() || e.compliance_resource_type.chars().count() > 256 {
                return Err(constraint(
                    &e.compliance_resource_type,
                    "evaluations.member.complianceResourceType",
                    "Member must have length between 1 and 256",
                ));
            }
            if e.compliance_resource_id.is_empty() || e.compliance_resource_id.chars().count() > 768 {
                return Err(constraint(
                    &e.compliance_resource_id,
                    "evaluations.member.complianceResourceId",
                    "Member must have length between 1 and 768",
                ));
            }
            if e.annotation.as_ref().is_some_and(|a| a.chars().count() > 256) {
                return Err(ConfigError::Validation(
                    "1 validation error detected: Value at 'evaluations.member.annotation' failed to satisfy constraint: Member must have length less than or equal to 256".into(),
                ));
            }
            checked.push((e, compliance));
        }
        if input.test_mode {
            return Ok(Effect::reply(Vec::new()));
        }
        let token = ResultToken::decode(&input.result_token)
            .filter(|t| t.account == ctx.account && t.region == ctx.region)
            .ok_or_else(|| ConfigError::InvalidResultToken("The resultToken provided is invalid".into()))?;
        let rule = named_rules(config, ctx, std::slice::from_ref(&token.rule)).await?.remove(0);
        let changes = checked
            .into_iter()
            .map(|(e, compliance)| {
                RuleChange::Evaluated {
                    account: ctx.account.clone(),
                    region: ctx.region.clone(),
                    evaluation: Box::new(Evaluation {
                        rule: rule.name.clone(),
                        resource_type: e.compliance_resource_type.clone(),
                        resource_id: e.compliance_resource_id.clone(),
                        compliance,
                        annotation: e.annotation.clone(),
                        ordering_ms: e.ordering_timestamp_ms,
                        recorded_ms: ctx.now_ms,
                        invoked_ms: token.invoked_ms,
                    }),
                }
                .mutation()
            })
            .collect();
        let resource = EventResource { resource_type: "AWS::Config::ConfigRule".into(), arn: rule.arn };
        Ok(Effect::commit(Vec::new(), changes).with_resources(vec![resource]))
    }
}

/// DescribeComplianceByConfigRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceByRuleInput {
    pub config_rule_names: Vec<String>,
    pub compliance_types: Vec<String>,
    pub next_token: Option<String>,
}

/// Each rule's compliance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComplianceByRuleOutput {
    pub rules: Vec<(String, Summary)>,
    pub next_token: Option<String>,
}

/// DescribeComplianceByConfigRule.
pub struct DescribeComplianceByConfigRule;

impl Operation for DescribeComplianceByConfigRule {
    const SPEC: Spec = spec("DescribeComplianceByConfigRule", Access::Read)
        .with_limits(&[Limit::aws("rule names a call", 25), Limit::own("evaluations summed", MAX_SUMMED as u64)]);
    type Engine = Config;
    type Input = ComplianceByRuleInput;
    type Output = ComplianceByRuleOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<ComplianceByRuleOutput, ConfigError>, ConfigError> {
        let wanted = types_filter(&input.compliance_types, true)?;
        let skip = skip_of(&input.next_token)?;
        let rules = named_rules(config, ctx, &input.config_rule_names).await?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let names: Vec<String> = rules.iter().map(|r| r.name.clone()).collect();
        let summaries = config
            .store
            .read(move |reader| {
                names
                    .into_iter()
                    .map(|name| {
                        let results =
                            storage::rule_evaluations(reader, (&account, &region, &name), None, MAX_SUMMED, |_| true)?;
                        Ok((name, Summary::of(results.iter().map(|e| &e.compliance))))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        let rows: Vec<(String, Summary)> =
            summaries.into_iter().filter(|(_, s)| wanted.is_empty() || wanted.contains(&s.compliance)).collect();
        let (rules, next_token) = page(&rows, skip, 25);
        Ok(Effect::reply(ComplianceByRuleOutput { rules, next_token }))
    }
}

/// DescribeComplianceByResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceByResourceInput {
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub compliance_types: Vec<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// Each resource's compliance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComplianceByResourceOutput {
    pub resources: Vec<((String, String), Summary)>,
    pub next_token: Option<String>,
}

/// Every evaluated resource's results, grouped by resource.
fn by_resource(evaluations: Vec<Evaluation>) -> BTreeMap<(String, String), Vec<Compliance>> {
    let mut grouped: BTreeMap<(String, String), Vec<Compliance>> = BTreeMap::new();
    for e in evaluations {
        grouped.entry((e.resource_type, e.resource_id)).or_default().push(e.compliance);
    }
    grouped
}

/// DescribeComplianceByResource.
pub struct DescribeComplianceByResource;

impl Operation for DescribeComplianceByResource {
    const SPEC: Spec = spec("DescribeComplianceByResource", Access::Read).with_limits(&[
        Limit::aws("results a page", MAX_DETAIL_PAGE as u64),
        Limit::own("evaluations summed", MAX_SUMMED as u64),
    ]);
    type Engine = Config;
    type Input = ComplianceByResourceInput;
    type Output = ComplianceByResourceOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<ComplianceByResourceOutput, ConfigError>, ConfigError> {
        let wanted = types_filter(&input.compliance_types, true)?;
        let limit = page_limit(input.limit)?;
        let skip = skip_of(&input.next_token)?;
        if input.resource_id.is_some() && input.resource_type.is_none() {
            return Err(ConfigError::InvalidParameterValue("A ResourceId requires a ResourceType.".into()));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (resource_type, resource_id) = (input.resource_type.clone(), input.resource_id.clone());
        let evaluations = config
            .store
            .read(move |reader| match (&resource_type, &resource_id) {
                (Some(t), Some(id)) => storage::resource_evaluations(reader, (&account, &region), t, id),
                _ => {
                    storage::evaluations_by_resource(reader, (&account, &region), resource_type.as_deref(), MAX_SUMMED)
                }
            })
            .await?;
        let mut rows: Vec<((String, String), Summary)> = by_resource(evaluations)
            .into_iter()
            .map(|(key, results)| (key, Summary::of(results.iter())))
            .filter(|(_, s)| wanted.is_empty() || wanted.contains(&s.compliance))
            .collect();
        if let (Some(t), Some(id), true) = (&input.resource_type, &input.resource_id, rows.is_empty()) {
            // A resource no rule evaluated has insufficient data.
            let summary = Summary { compliance: Compliance::InsufficientData, count: 0 };
            if wanted.is_empty() || wanted.contains(&summary.compliance) {
                rows.push(((t.clone(), id.clone()), summary));
            }
        }
        let (resources, next_token) = page(&rows, skip, limit);
        Ok(Effect::reply(ComplianceByResourceOutput { resources, next_token }))
    }
}

/// GetComplianceDetailsByConfigRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailsByRuleInput {
    pub config_rule_name: String,
    pub compliance_types: Vec<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// A page of evaluation results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EvaluationPage {
    pub results: Vec<Evaluation>,
    pub next_token: Option<String>,
}

/// GetComplianceDetailsByConfigRule.
pub struct GetComplianceDetailsByConfigRule;

impl Operation for GetComplianceDetailsByConfigRule {
    const SPEC: Spec = spec("GetComplianceDetailsByConfigRule", Access::Read).with_limits(&[
        Limit::aws("results a page", MAX_DETAIL_PAGE as u64),
        Limit::own("evaluations read", MAX_SUMMED as u64),
    ]);
    type Engine = Config;
    type Input = DetailsByRuleInput;
    type Output = EvaluationPage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<EvaluationPage, ConfigError>, ConfigError> {
        let wanted = types_filter(&input.compliance_types, false)?;
        let limit = page_limit(input.limit)?;
        let skip = skip_of(&input.next_token)?;
        let rule = named_rules(config, ctx, std::slice::from_ref(&input.config_rule_name)).await?.remove(0);
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let all = config
            .store
            .read(move |reader| {
                storage::rule_evaluations(reader, (&account, &region, &rule.name), None, MAX_SUMMED, |e| {
                    wanted.is_empty() || wanted.contains(&e.compliance)
                })
            })
            .await?;
        let (results, next_token) = page(&all, skip, limit);
        Ok(Effect::reply(EvaluationPage { results, next_token }))
    }
}

/// GetComplianceDetailsByResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailsByResourceInput {
    pub resource_type: String,
    pub resource_id: String,
    pub compliance_types: Vec<String>,
    pub next_token: Option<String>,
}

/// GetComplianceDetailsByResource.
pub struct GetComplianceDetailsByResource;

impl Operation for GetComplianceDetailsByResource {
    const SPEC: Spec = spec("GetComplianceDetailsByResource", Access::Read)
        .with_limits(&[Limit::aws("results a page", MAX_DETAIL_PAGE as u64)]);
    type Engine = Config;
    type Input = DetailsByResourceInput;
    type Output = EvaluationPage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<EvaluationPage, ConfigError>, ConfigError> {
        let wanted = types_filter(&input.compliance_types, false)?;
        let skip = skip_of(&input.next_token)?;
        if input.resource_type.is_empty() || input.resource_id.is_empty() {
            return Err(ConfigError::InvalidParameterValue("ResourceType and ResourceId are required.".into()));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (t, id) = (input.resource_type, input.resource_id);
        let all: Vec<Evaluation> = config
            .store
            .read(move |reader| storage::resource_evaluations(reader, (&account, &region), &t, &id))
            .await?
            .into_iter()
            .filter(|e| wanted.is_empty() || wanted.contains(&e.compliance))
            .collect();
        let (results, next_token) = page(&all, skip, MAX_DETAIL_PAGE);
        Ok(Effect::reply(EvaluationPage { results, next_token }))
    }
}

/// Compliant and non-compliant counts (of rules, or of resources) at a time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CountSummary {
    pub compliant: usize,
    pub non_compliant: usize,
    pub at_ms: i64,
}

/// GetComplianceSummaryByConfigRule: how many rules are compliant and how many not.
pub struct GetComplianceSummaryByConfigRule;

impl Operation for GetComplianceSummaryByConfigRule {
    const SPEC: Spec = spec("GetComplianceSummaryByConfigRule", Access::Read)
        .with_limits(&[Limit::own("evaluations summed", MAX_SUMMED as u64)]);
    type Engine = Config;
    type Input = ();
    type Output = CountSummary;
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, (): ()) -> Result<Effect<CountSummary, ConfigError>, ConfigError> {
        let (account, region, now) = (ctx.account.clone(), ctx.region.clone(), ctx.now_ms);
        let summary = config
            .store
            .read(move |reader| {
                let mut counts = CountSummary { at_ms: now, ..CountSummary::default() };
                for rule in storage::rules(reader, &account, &region)? {
                    let results =
                        storage::rule_evaluations(reader, (&account, &region, &rule.name), None, MAX_SUMMED, |_| true)?;
                    match summarize(results.iter().map(|e| &e.compliance)) {
                        Compliance::Compliant => counts.compliant += 1,
                        Compliance::NonCompliant => counts.non_compliant += 1,
                        _ => {}
                    }
                }
                Ok(counts)
            })
            .await?;
        Ok(Effect::reply(summary))
    }
}

/// GetComplianceSummaryByResourceType's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryByTypeInput {
    pub resource_types: Vec<String>,
}

/// GetComplianceSummaryByResourceType: compliant and non-compliant resources, of all types (no types given) or
/// of each type named.
pub struct GetComplianceSummaryByResourceType;

impl Operation for GetComplianceSummaryByResourceType {
    const SPEC: Spec = spec("GetComplianceSummaryByResourceType", Access::Read)
        .with_limits(&[Limit::aws("resource types a call", 20), Limit::own("evaluations summed", MAX_SUMMED as u64)]);
    type Engine = Config;
    type Input = SummaryByTypeInput;
    type Output = Vec<(Option<String>, CountSummary)>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.resource_types.len() > 20 {
            return Err(ConfigError::Validation(
                "1 validation error detected: Value at 'resourceTypes' failed to satisfy constraint: Member must have length less than or equal to 20".into(),
            ));
        }
        let (account, region, now) = (ctx.account.clone(), ctx.region.clone(), ctx.now_ms);
        let evaluations = config
            .store
            .read(move |reader| storage::evaluations_by_resource(reader, (&account, &region), None, MAX_SUMMED))
            .await?;
        let grouped = by_resource(evaluations);
        let count = |filter: Option<&str>| {
            let mut counts = CountSummary { at_ms: now, ..CountSummary::default() };
            for ((t, _), results) in &grouped {
                if filter.is_some_and(|f| f != t) {
                    continue;
                }
                match summarize(results.iter()) {
                    Compliance::Compliant => counts.compliant += 1,
                    Compliance::NonCompliant => counts.non_compliant += 1,
                    _ => {}
                }
            }
            counts
        };
        let rows = if input.resource_types.is_empty() {
            vec![(None, count(None))]
        } else {
            input.resource_types.iter().map(|t| (Some(t.clone()), count(Some(t)))).collect()
        };
        Ok(Effect::reply(rows))
    }
}
