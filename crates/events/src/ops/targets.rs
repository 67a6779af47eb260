//! PutTargets, RemoveTargets, ListTargetsByRule and ListRuleNamesByTarget: where a rule sends what it matches (at
//! most five targets a rule), and in what form (the event, a constant `Input`, an `InputPath`, or an
//! `InputTransformer`'s template).

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::rules::{check_name, rule_missing};
use super::{EventsError, NAME_PATTERN, bus_missing, constraint, over_quota, page_size, rule_resource, spec};
use crate::Events;
use crate::model::{DEFAULT_BUS, Target};
use crate::names::rule_arn;
use crate::ops::buses::own_bus;
use crate::storage::{EventsChange, bus, rule, rules, targets};

/// Targets one rule may have (EventBridge's quota).
pub const MAX_TARGETS: usize = 5;
/// Placeholders EventBridge fills itself in an input template.
const PREDEFINED: [&str; 5] = [
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
];
const TARGETS_TOKEN: &str = "events-targets";
const NAMES_TOKEN: &str = "events-rule-names";

/// PutTargets' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutTargetsInput {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    /// The targets (CloudTrail records their ids and ARNs).
    #[serde(serialize_with = "ids_and_arns")]
    pub targets: Vec<Target>,
}

fn ids_and_arns<S: serde::Serializer>(targets: &[Target], serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = serializer.serialize_seq(Some(targets.len()))?;
    for target in targets {
        seq.serialize_element(&serde_json::json!({ "id": target.id, "arn": target.arn }))?;
    }
    seq.end()
}

/// What PutTargets and RemoveTargets answer: the entries that failed (none when the call succeeds).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FailedEntries {
    pub failed: Vec<(String, String, String)>,
}

fn check_id(id: &str, index: usize) -> Result<(), EventsError> {
    let member = format!("targets.{}.member.id", index + 1);
    if id.len() > 64 {
        return Err(constraint(id, &member, "have length less than or equal to 64"));
    }
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        return Err(constraint(id, &member, NAME_PATTERN));
    }
    Ok(())
}

/// A JSON path as EventBridge takes them in `InputPath` and `InputPathsMap`: `$`, then `.name` or `[n]` steps.
fn valid_path(path: &str) -> bool {
    let Some(mut rest) = path.strip_prefix('$') else { return false };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return false;
            }
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(close) = after.find(']') else { return false };
            if close == 0 || !after[..close].bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            rest = &after[close + 1..];
        } else {
            return false;
        }
    }
    path.len() <= 256
}

/// The placeholders (`<name>`) of an input template.
fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template.split('<').skip(1).filter_map(|piece| {
        let end = piece.find('>')?;
        let name = &piece[..end];
        (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))).then_some(name)
    })
}

fn check_target(target: &Target, index: usize) -> Result<(), EventsError> {
    check_id(&target.id, index)?;
    if target.arn.is_empty() || target.arn.len() > 1600 {
        return Err(constraint(
            &target.arn,
            &format!("targets.{}.member.arn", index + 1),
            "have length between 1 and 1600",
        ));
    }
    let forms = [target.input.is_some(), target.input_path.is_some(), target.input_transformer.is_some()];
    if forms.iter().filter(|&&set| set).count() > 1 {
        return Err(EventsError::Validation(format!(
            "Only one of Input, InputPath, or InputTransformer must be provided for target {}.",
            target.id
        )));
    }
    if let Some(input) = &target.input
        && (input.len() > 8192 || serde_json::from_str::<serde_json::Value>(input).is_err())
    {
        return Err(EventsError::Validation(format!("Input for target {} must be a valid JSON text.", target.id)));
    }
    if let Some(path) = &target.input_path
        && !valid_path(path)
    {
        return Err(EventsError::Validation(format!("InputPath for target {} is not a valid JSON path.", target.id)));
    }
    if let Some(transformer) = &target.input_transformer {
        if transformer.paths.len() > 100 {
            return Err(over_quota());
        }
        for (key, path) in &transformer.paths {
            let bad_key = key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b));
            if bad_key || key.starts_with("AWS.") || PREDEFINED.contains(&key.as_str()) {
                return Err(EventsError::Validation(format!(
                    "InputPathsMap for target {} has an invalid key {key}.",
                    target.id
                )));
            }
            if !valid_path(path) {
                return Err(EventsError::Validation(format!(
                    "InputPathsMap for target {} has an invalid path {path}.",
                    target.id
                )));
            }
        }
        if transformer.template.is_empty() || transformer.template.len() > 8192 {
            return Err(constraint(
                &transformer.template,
                &format!("targets.{}.member.inputTransformer.inputTemplate", index + 1),
                "have length between 1 and 8192",
            ));
        }
        if let Some(unknown) = placeholders(&transformer.template)
            .find(|name| !PREDEFINED.contains(name) && !transformer.paths.iter().any(|(key, _)| key == name))
        {
            return Err(EventsError::Validation(format!(
                "InputTemplate for target {} contains invalid placeholder {unknown}.",
                target.id
            )));
        }
    }
    if let Some(retry) = &target.retry_policy {
        if retry.maximum_retry_attempts.is_some_and(|n| !(0..=185).contains(&n)) {
            return Err(constraint(
                "",
                &format!("targets.{}.member.retryPolicy.maximumRetryAttempts", index + 1),
                "have value between 0 and 185",
            ));
        }
        if retry.maximum_event_age_seconds.is_some_and(|n| !(60..=86_400).contains(&n)) {
            return Err(constraint(
                "",
                &format!("targets.{}.member.retryPolicy.maximumEventAgeInSeconds", index + 1),
                "have value between 60 and 86400",
            ));
        }
    }
    Ok(())
}

/// The rule's bus and whether the rule exists, read in one snapshot with its targets.
async fn rule_and_targets(
    events: &Events,
    ctx: &Context,
    rule_name: &str,
    bus_name: &str,
) -> Result<Vec<Target>, EventsError> {
    let (account, region, lookup, name) =
        (ctx.account.clone(), ctx.region.clone(), bus_name.to_owned(), rule_name.to_owned());
    let found = events
        .store
        .read(move |reader| {
            if rule(reader, &account, &region, &lookup, &name)?.is_none() {
                return Ok(None);
            }
            targets(reader, &account, &region, &lookup, &name, None, MAX_TARGETS + 1).map(Some)
        })
        .await?;
    found.ok_or_else(|| rule_missing(rule_name, bus_name))
}

/// PutTargets: a target with an id the rule has replaces it; at most five targets a rule.
pub struct PutTargets;

impl Operation for PutTargets {
    const SPEC: Spec = spec("PutTargets", Access::Write).with_limits(&[
        Limit::aws("Targets a request", 100),
        Limit::aws("targets a rule", MAX_TARGETS as u64),
        Limit::aws("Input characters", 8192),
        Limit::aws("InputPathsMap entries", 100),
    ]);
    type Engine = Events;
    type Input = PutTargetsInput;
    type Output = FailedEntries;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: PutTargetsInput,
    ) -> Result<Effect<FailedEntries, EventsError>, EventsError> {
        check_name(&input.rule)?;
        if input.targets.is_empty() || input.targets.len() > 100 {
            return Err(constraint("", "targets", "have length between 1 and 100"));
        }
        for (index, target) in input.targets.iter().enumerate() {
            check_target(target, index)?;
        }
        let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
        let existing = rule_and_targets(events, ctx, &input.rule, &bus_name).await?;
        let mut ids: Vec<&str> = existing.iter().map(|t| t.id.as_str()).collect();
        for target in &input.targets {
            if !ids.contains(&target.id.as_str()) {
                ids.push(&target.id);
            }
        }
        if ids.len() > MAX_TARGETS {
            return Err(over_quota());
        }
        let arn = rule_arn(&ctx.region, &ctx.account, &bus_name, &input.rule);
        let change = EventsChange::PutTargets {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            bus: bus_name,
            rule: input.rule,
            targets: input.targets,
        };
        Ok(Effect::commit(FailedEntries::default(), vec![change.mutation()]).with_resources(vec![rule_resource(&arn)]))
    }
}

/// RemoveTargets' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveTargetsInput {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    pub ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// RemoveTargets: ids the rule does not have are removed already.
pub struct RemoveTargets;

impl Operation for RemoveTargets {
    const SPEC: Spec = spec("RemoveTargets", Access::Write).with_limits(&[Limit::aws("Ids a request", 100)]);
    type Engine = Events;
    type Input = RemoveTargetsInput;
    type Output = FailedEntries;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: RemoveTargetsInput,
    ) -> Result<Effect<FailedEntries, EventsError>, EventsError> {
        check_name(&input.rule)?;
        if input.ids.is_empty() || input.ids.len() > 100 {
            return Err(constraint("", "ids", "have length between 1 and 100"));
        }
        for (index, id) in input.ids.iter().enumerate() {
            check_id(id, index).map_err(|_| constraint(id, &format!("ids.{}.member", index + 1), NAME_PATTERN))?;
        }
        let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
        rule_and_targets(events, ctx, &input.rule, &bus_name).await?;
        let arn = rule_arn(&ctx.region, &ctx.account, &bus_name, &input.rule);
        let change = EventsChange::RemoveTargets {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            bus: bus_name,
            rule: input.rule,
            ids: input.ids,
        };
        Ok(Effect::commit(FailedEntries::default(), vec![change.mutation()]).with_resources(vec![rule_resource(&arn)]))
    }
}

/// ListTargetsByRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTargetsByRuleInput {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of targets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TargetPage {
    pub targets: Vec<Target>,
    pub next_token: Option<String>,
}

fn after(token_kind: &str, next_token: Option<&str>) -> Result<Option<String>, EventsError> {
    next_token
        .map(|t| {
            token::decode(token_kind, t).ok_or_else(|| EventsError::Validation("The NextToken is not valid.".into()))
        })
        .transpose()
}

/// ListTargetsByRule: a rule's targets by id.
pub struct ListTargetsByRule;

impl Operation for ListTargetsByRule {
    const SPEC: Spec = spec("ListTargetsByRule", Access::Read).with_limits(&[Limit::aws("targets a page", 100)]);
    type Engine = Events;
    type Input = ListTargetsByRuleInput;
    type Output = TargetPage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListTargetsByRuleInput,
    ) -> Result<Effect<TargetPage, EventsError>, EventsError> {
        check_name(&input.rule)?;
        let size = page_size(input.limit)?;
        let after = after(TARGETS_TOKEN, input.next_token.as_deref())?;
        let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
        let mut found = rule_and_targets(events, ctx, &input.rule, &bus_name).await?;
        found.retain(|t| after.as_deref().is_none_or(|after| t.id.as_str() > after));
        let more = found.len() > size;
        found.truncate(size);
        let next_token = if more { found.last().map(|t| token::encode(TARGETS_TOKEN, &t.id)) } else { None };
        Ok(Effect::reply(TargetPage { targets: found, next_token }))
    }
}

/// ListRuleNamesByTarget's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRuleNamesByTargetInput {
    pub target_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of rule names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleNamePage {
    pub rule_names: Vec<String>,
    pub next_token: Option<String>,
}

/// ListRuleNamesByTarget: the rules of a bus with a target of that ARN, by name.
pub struct ListRuleNamesByTarget;

impl Operation for ListRuleNamesByTarget {
    const SPEC: Spec = spec("ListRuleNamesByTarget", Access::Read)
        .with_limits(&[Limit::aws("TargetArn characters", 1600), Limit::aws("rule names a page", 100)]);
    type Engine = Events;
    type Input = ListRuleNamesByTargetInput;
    type Output = RuleNamePage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListRuleNamesByTargetInput,
    ) -> Result<Effect<RuleNamePage, EventsError>, EventsError> {
        if input.target_arn.is_empty() || input.target_arn.len() > 1600 {
            return Err(constraint(&input.target_arn, "targetArn", "have length between 1 and 1600"));
        }
        let size = page_size(input.limit)?;
        let after = after(NAMES_TOKEN, input.next_token.as_deref())?;
        let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
        let (account, region, lookup, arn) =
            (ctx.account.clone(), ctx.region.clone(), bus_name.clone(), input.target_arn.clone());
        // A bus has at most 300 rules of at most five targets: the scan is bounded.
        let (bus_exists, mut names) = events
            .store
            .read(move |reader| {
                let bus_exists = lookup == DEFAULT_BUS || bus(reader, &account, &region, &lookup)?.is_some();
                let mut names = Vec::new();
                for rule in
                    rules(reader, &account, &region, &lookup, "", after.as_deref(), super::rules::MAX_RULES + 1)?
                {
                    let on_rule = targets(reader, &account, &region, &lookup, &rule.name, None, MAX_TARGETS + 1)?;
                    if on_rule.iter().any(|t| t.arn == arn) {
                        names.push(rule.name);
                    }
                }
                Ok((bus_exists, names))
            })
            .await?;
        if !bus_exists {
            return Err(bus_missing(input.event_bus_name.as_deref().unwrap_or(&bus_name)));
        }
        let more = names.len() > size;
        names.truncate(size);
        let next_token = if more { names.last().map(|n| token::encode(NAMES_TOKEN, n)) } else { None };
        Ok(Effect::reply(RuleNamePage { rule_names: names, next_token }))
    }
}
