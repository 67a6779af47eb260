//! The sampling operations: GetSamplingRules (every rule on one page, as the SDKs read it), Create, Update and
//! DeleteSamplingRule (Default can change only its rate and reservoir, and stays), GetSamplingTargets (each
//! reporting client's share of the reservoirs) and GetSamplingStatisticSummaries. The SDKs' unsigned calls to the
//! daemon port run these same operations.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::{TracesError, spec};
use crate::Traces;
use crate::sampling::rule::{MAX_RULES, MAX_TAGS, check};
use crate::sampling::targets::{INTERVAL_S, QUOTA_TTL_MS};
use crate::sampling::{Counts, DEFAULT_RULE, Report, Rule, RuleFields, Target};
use crate::storage::{RuleChange, rules, rules_changed};

/// Statistics documents one GetSamplingTargets call may carry.
pub const MAX_STATISTICS: usize = 25;

fn invalid(message: impl Into<String>) -> TracesError {
    TracesError::InvalidRequest(message.into())
}

/// The rules of an account and region, with where they are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleList {
    pub account: String,
    pub region: String,
    pub rules: Vec<Rule>,
}

/// Input of the operations that take nothing but a page token (which no SDK sends).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// GetSamplingRules.
pub struct GetSamplingRules;

impl Operation for GetSamplingRules {
    const SPEC: Spec = spec("GetSamplingRules", Access::Read).with_limits(&[Limit::aws("rules", MAX_RULES as u64 + 1)]);
    type Engine = Traces;
    type Input = PageInput;
    type Output = RuleList;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        _input: PageInput,
    ) -> Result<Effect<RuleList, TracesError>, TracesError> {
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let list = traces.store.read(move |reader| rules(reader, &account, &region)).await?;
        Ok(Effect::reply(RuleList { account: ctx.account.clone(), region: ctx.region.clone(), rules: list }))
    }
}

/// One rule, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRecord {
    pub account: String,
    pub region: String,
    pub rule: Rule,
}

/// CreateSamplingRule's input: the rule's members and its tags.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSamplingRuleInput {
    pub rule: RuleFields,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
}

/// The name a rule is addressed by: its name, or the last part of its ARN (of this account and region).
fn addressed(ctx: &Context, fields: &RuleFields) -> Result<String, TracesError> {
    match (&fields.rule_name, &fields.rule_arn) {
        (Some(name), None) => Ok(name.clone()),
        (None, Some(arn)) => {
            let partition = skywatch_model::partition(&ctx.region);
            let prefix = format!("arn:{partition}:xray:{}:{}:sampling-rule/", ctx.region, ctx.account);
            arn.strip_prefix(&prefix).map(str::to_owned).ok_or_else(|| invalid("Sampling rule does not exist"))
        }
        (Some(_), Some(_)) => Err(invalid("Specify either RuleName or RuleARN, not both")),
        (None, None) => Err(invalid("RuleName or RuleARN is required")),
    }
}

/// CreateSamplingRule.
pub struct CreateSamplingRule;

impl Operation for CreateSamplingRule {
    const SPEC: Spec = spec("CreateSamplingRule", Access::Write).with_limits(&[
        Limit::aws("custom rules an account and region", MAX_RULES as u64),
        Limit::aws("RuleName characters", 32),
        Limit::aws("tags a rule", MAX_TAGS as u64),
    ]);
    type Engine = Traces;
    type Input = CreateSamplingRuleInput;
    type Output = RuleRecord;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: CreateSamplingRuleInput,
    ) -> Result<Effect<RuleRecord, TracesError>, TracesError> {
        let fields = input.rule;
        check(&fields).map_err(invalid)?;
        let name = addressed(ctx, &fields)?;
        if input.tags.len() > MAX_TAGS {
            return Err(invalid(format!("Tags: at most {MAX_TAGS}")));
        }
        let required =
            |value: Option<String>, member: &str| value.ok_or_else(|| invalid(format!("{member} is required")));
        let rule = Rule {
            name: name.clone(),
            resource_arn: required(fields.resource_arn, "ResourceARN")?,
            priority: fields.priority.ok_or_else(|| invalid("Priority is required"))?,
            fixed_rate: fields.fixed_rate.ok_or_else(|| invalid("FixedRate is required"))?,
            reservoir_size: fields.reservoir_size.ok_or_else(|| invalid("ReservoirSize is required"))?,
            service_name: required(fields.service_name, "ServiceName")?,
            service_type: required(fields.service_type, "ServiceType")?,
            host: required(fields.host, "Host")?,
            http_method: required(fields.http_method, "HTTPMethod")?,
            url_path: required(fields.url_path, "URLPath")?,
            version: fields.version.ok_or_else(|| invalid("Version is required"))?,
            attributes: fields.attributes.unwrap_or_default(),
            tags: input.tags,
            created_ms: ctx.now_ms,
            modified_ms: ctx.now_ms,
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let existing = traces.store.read(move |reader| rules(reader, &account, &region)).await?;
        if existing.iter().any(|r| r.name == name) {
            return Err(invalid(format!("A sampling rule named {name} already exists")));
        }
        if existing.iter().filter(|r| r.name != DEFAULT_RULE).count() >= MAX_RULES {
            return Err(TracesError::RuleLimit(format!("You have reached the maximum of {MAX_RULES} sampling rules")));
        }
        let change = RuleChange::Put {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            rule: Box::new(rule.clone()),
            now_ms: ctx.now_ms,
        };
        let record = RuleRecord { account: ctx.account.clone(), region: ctx.region.clone(), rule };
        Ok(Effect::commit(record, vec![change.mutation()]))
    }
}

/// UpdateSamplingRule's input: the rule addressed by name or ARN and the members to change.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSamplingRuleInput {
    pub update: RuleFields,
}

/// UpdateSamplingRule.
pub struct UpdateSamplingRule;

impl Operation for UpdateSamplingRule {
    const SPEC: Spec = spec("UpdateSamplingRule", Access::Write).with_limits(&[Limit::aws("RuleName characters", 32)]);
    type Engine = Traces;
    type Input = UpdateSamplingRuleInput;
    type Output = RuleRecord;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: UpdateSamplingRuleInput,
    ) -> Result<Effect<RuleRecord, TracesError>, TracesError> {
        let fields = input.update;
        check(&fields).map_err(invalid)?;
        let name = addressed(ctx, &fields)?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let existing = traces.store.read(move |reader| rules(reader, &account, &region)).await?;
        let mut rule =
            existing.into_iter().find(|r| r.name == name).ok_or_else(|| invalid("Sampling rule does not exist"))?;
        if rule.name == DEFAULT_RULE {
            let untouchable = fields.resource_arn.is_some()
                || fields.priority.is_some()
                || fields.service_name.is_some()
                || fields.service_type.is_some()
                || fields.host.is_some()
                || fields.http_method.is_some()
                || fields.url_path.is_some()
                || fields.attributes.is_some();
            if untouchable {
                return Err(invalid("Invalid update request for default sampling rule"));
            }
        }
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(value) = fields.$field { rule.$field = value; })* };
        }
        set!(
            resource_arn,
            priority,
            fixed_rate,
            reservoir_size,
            service_name,
            service_type,
            host,
            http_method,
            url_path,
            attributes
        );
        rule.modified_ms = ctx.now_ms;
        let change = RuleChange::Put {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            rule: Box::new(rule.clone()),
            now_ms: ctx.now_ms,
        };
        let record = RuleRecord { account: ctx.account.clone(), region: ctx.region.clone(), rule };
        Ok(Effect::commit(record, vec![change.mutation()]))
    }
}

/// DeleteSamplingRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteSamplingRuleInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_arn: Option<String>,
}

/// DeleteSamplingRule: answers the rule it deleted.
pub struct DeleteSamplingRule;

impl Operation for DeleteSamplingRule {
    const SPEC: Spec = spec("DeleteSamplingRule", Access::Write).with_limits(&[Limit::aws("RuleName characters", 32)]);
    type Engine = Traces;
    type Input = DeleteSamplingRuleInput;
    type Output = RuleRecord;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: DeleteSamplingRuleInput,
    ) -> Result<Effect<RuleRecord, TracesError>, TracesError> {
        let fields = RuleFields { rule_name: input.rule_name, rule_arn: input.rule_arn, ..RuleFields::default() };
        check(&fields).map_err(invalid)?;
        let name = addressed(ctx, &fields)?;
        if name == DEFAULT_RULE {
            return Err(invalid("The default sampling rule cannot be deleted"));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let existing = traces.store.read(move |reader| rules(reader, &account, &region)).await?;
        let rule =
            existing.into_iter().find(|r| r.name == name).ok_or_else(|| invalid("Sampling rule does not exist"))?;
        let change = RuleChange::Delete {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: name.clone(),
            now_ms: ctx.now_ms,
        };
        let allotment = std::sync::Arc::clone(&traces.allotment);
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let record = RuleRecord { account: ctx.account.clone(), region: ctx.region.clone(), rule };
        Ok(Effect::commit(record, vec![change.mutation()]).then(move || allotment.forget((&account, &region), &name)))
    }
}

/// One statistics document as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatisticsInput {
    pub rule_name: String,
    #[serde(rename = "clientID")]
    pub client_id: String,
    pub request_count: i64,
    pub sampled_count: i64,
    pub borrow_count: i64,
}

/// GetSamplingTargets's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetSamplingTargetsInput {
    pub sampling_statistics_documents: Vec<StatisticsInput>,
}

/// GetSamplingTargets's answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetsReply {
    pub targets: Vec<Target>,
    pub last_rule_modification_ms: i64,
    /// (rule, error code, message)
    pub unprocessed: Vec<(String, String, String)>,
}

/// GetSamplingTargets.
pub struct GetSamplingTargets;

impl Operation for GetSamplingTargets {
    const SPEC: Spec = spec("GetSamplingTargets", Access::Read)
        .with_limits(&[Limit::aws("SamplingStatisticsDocuments", MAX_STATISTICS as u64)]);
    type Engine = Traces;
    type Input = GetSamplingTargetsInput;
    type Output = TargetsReply;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GetSamplingTargetsInput,
    ) -> Result<Effect<TargetsReply, TracesError>, TracesError> {
        if input.sampling_statistics_documents.len() > MAX_STATISTICS {
            return Err(invalid(format!("SamplingStatisticsDocuments: at most {MAX_STATISTICS}")));
        }
        for document in &input.sampling_statistics_documents {
            if document.client_id.len() != 24 {
                return Err(invalid("ClientID must be 24 characters"));
            }
            if document.rule_name.is_empty() || document.rule_name.chars().count() > 32 {
                return Err(invalid("RuleName must be 1 to 32 characters"));
            }
            if document.request_count < 0 || document.sampled_count < 0 || document.borrow_count < 0 {
                return Err(invalid("Counts must be 0 or more"));
            }
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (list, changed) = traces
            .store
            .read(move |reader| Ok((rules(reader, &account, &region)?, rules_changed(reader, &account, &region)?)))
            .await?;
        let mut reply = TargetsReply { last_rule_modification_ms: changed, ..TargetsReply::default() };
        for document in input.sampling_statistics_documents {
            let Some(rule) = list.iter().find(|r| r.name == document.rule_name) else {
                reply.unprocessed.push((document.rule_name, "400".into(), "Sampling rule does not exist".into()));
                continue;
            };
            let report = Report {
                rule: document.rule_name.clone(),
                client: document.client_id,
                requests: document.request_count,
                sampled: document.sampled_count,
                borrowed: document.borrow_count,
            };
            let quota = traces.allotment.report((&ctx.account, &ctx.region), ctx.now_ms, &report, rule.reservoir_size);
            reply.targets.push(Target {
                rule: document.rule_name,
                fixed_rate: rule.fixed_rate,
                quota,
                ttl_ms: ctx.now_ms + QUOTA_TTL_MS,
                interval_s: INTERVAL_S,
            });
        }
        Ok(Effect::reply(reply))
    }
}

/// GetSamplingStatisticSummaries: each rule's counts over the last complete 10-second window.
pub struct GetSamplingStatisticSummaries;

impl Operation for GetSamplingStatisticSummaries {
    const SPEC: Spec =
        spec("GetSamplingStatisticSummaries", Access::Read).with_limits(&[Limit::aws("rules", MAX_RULES as u64 + 1)]);
    type Engine = Traces;
    type Input = PageInput;
    type Output = Vec<(String, i64, Counts)>;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        _input: PageInput,
    ) -> Result<Effect<Vec<(String, i64, Counts)>, TracesError>, TracesError> {
        Ok(Effect::reply(traces.allotment.summaries((&ctx.account, &ctx.region), ctx.now_ms)))
    }
}
