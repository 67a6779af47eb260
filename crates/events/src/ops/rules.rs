//! PutRule (create or replace), DescribeRule, ListRules, EnableRule, DisableRule and DeleteRule.

use serde::Serialize;
use skywatch_eventpattern::PatternError;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{
    EventsError, NAME_PATTERN, Tag, bus_missing, check_description, check_tags, constraint, over_quota, page_size,
    rule_resource, spec,
};
use crate::Events;
use crate::model::{DEFAULT_BUS, EventBus, Rule, RuleState};
use crate::names::{rule_arn, valid_rule_name};
use crate::ops::buses::own_bus;
use crate::schedule;
use crate::storage::{EventsChange, bus, rule, rules, targets};

/// The bounds of a call naming one rule.
const NAMED_RULE: &[Limit] =
    &[Limit::aws("Name characters", 64), Limit::aws("EventBusName characters (a name or an ARN)", 1600)];

/// Rules one bus may have (EventBridge's default quota).
pub const MAX_RULES: usize = 300;
const TOKEN_KIND: &str = "events-rules";

/// PutRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutRuleInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
}

/// Checks a rule's name.
pub(crate) fn check_name(name: &str) -> Result<(), EventsError> {
    if valid_rule_name(name) {
        return Ok(());
    }
    if name.len() > 64 {
        return Err(constraint(name, "name", "have length less than or equal to 64"));
    }
    Err(constraint(name, "name", NAME_PATTERN))
}

/// Checks a pattern as EventBridge does: the model's length bound, then the language.
pub(crate) fn check_pattern(pattern: &str) -> Result<skywatch_eventpattern::Pattern, EventsError> {
    skywatch_eventpattern::parse(pattern).map_err(|error| match error {
        PatternError::TooLong { .. } => constraint(pattern, "eventPattern", "have length less than or equal to 4096"),
        other => EventsError::InvalidPattern(other.to_string()),
    })
}

/// PutRule: creates the rule, or replaces every setting of an existing one but its tags (AWS: arguments left
/// out are not kept).
pub struct PutRule;

impl Operation for PutRule {
    const SPEC: Spec = spec("PutRule", Access::Write).with_limits(&[
        Limit::aws("Name characters", 64),
        Limit::aws("EventPattern characters", skywatch_eventpattern::MAX_PATTERN_LENGTH as u64),
        Limit::aws("ScheduleExpression characters", schedule::MAX_LENGTH as u64),
        Limit::aws("rules a bus", MAX_RULES as u64),
        Limit::aws("tags a rule", super::MAX_TAGS as u64),
    ]);
    type Engine = Events;
    type Input = PutRuleInput;
    type Output = String;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: PutRuleInput,
    ) -> Result<Effect<String, EventsError>, EventsError> {
        check_name(&input.name)?;
        let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
        if input.event_pattern.is_none() && input.schedule_expression.is_none() {
            return Err(EventsError::Validation(
                "Parameter(s) EventPattern or ScheduleExpression must be specified.".into(),
            ));
        }
        if let Some(expression) = &input.schedule_expression {
            if bus_name != DEFAULT_BUS {
                return Err(EventsError::Validation(
                    "ScheduleExpression is supported only on the default event bus.".into(),
                ));
            }
            if schedule::parse(expression).is_none() {
                return Err(EventsError::Validation("Parameter ScheduleExpression is not valid.".into()));
            }
        }
        if let Some(pattern) = &input.event_pattern {
            check_pattern(pattern)?;
        }
        let state = match input.state.as_deref() {
            None => RuleState::Enabled,
            Some(text) => RuleState::parse(text).ok_or_else(|| {
                constraint(
                    text,
                    "state",
                    "satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
                )
            })?,
        };
        check_description(input.description.as_deref())?;
        check_tags(&input.tags)?;
        let (account, region, bus_lookup, name) =
            (ctx.account.clone(), ctx.region.clone(), bus_name.clone(), input.name.clone());
        let (stored_bus, existing, count) = events
            .store
            .read(move |reader| {
                let stored_bus = bus(reader, &account, &region, &bus_lookup)?.is_some();
                let existing = rule(reader, &account, &region, &bus_lookup, &name)?;
                let count = rules(reader, &account, &region, &bus_lookup, "", None, MAX_RULES + 1)?.len();
                Ok((stored_bus, existing, count))
            })
            .await?;
        if !stored_bus && bus_name != DEFAULT_BUS {
            return Err(bus_missing(input.event_bus_name.as_deref().unwrap_or(&bus_name)));
        }
        if existing.is_none() && count >= MAX_RULES {
            return Err(over_quota());
        }
        let arn = rule_arn(&ctx.region, &ctx.account, &bus_name, &input.name);
        let (tags, created_ms, created_by) = match existing {
            Some(existing) => (existing.tags, existing.created_ms, existing.created_by),
            None => (input.tags.into_iter().map(|t| (t.key, t.value)).collect(), ctx.now_ms, ctx.account.clone()),
        };
        let rule = Rule {
            name: input.name,
            bus: bus_name,
            event_pattern: input.event_pattern,
            schedule_expression: input.schedule_expression,
            state,
            description: input.description,
            role_arn: input.role_arn,
            created_by,
            tags,
            created_ms,
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let mut changes = Vec::with_capacity(2);
        if !stored_bus {
            // The default bus is stored with its first rule, so it has a creation time from then on.
            let bus = Box::new(EventBus::new(DEFAULT_BUS, ctx.now_ms));
            changes.push(EventsChange::PutBus { account: account.clone(), region: region.clone(), bus }.mutation());
        }
        changes.push(EventsChange::PutRule { account, region, rule: Box::new(rule), now_ms: ctx.now_ms }.mutation());
        Ok(Effect::commit(arn.clone(), changes).with_resources(vec![rule_resource(&arn)]))
    }
}

/// The input of calls that name one rule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleNameInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
}

/// A rule as DescribeRule and ListRules show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleDescription {
    pub name: String,
    pub arn: String,
    pub event_pattern: Option<String>,
    pub schedule_expression: Option<String>,
    pub state: String,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub event_bus_name: String,
    pub created_by: String,
}

fn describe(ctx: &Context, rule: Rule) -> RuleDescription {
    RuleDescription {
        arn: rule_arn(&ctx.region, &ctx.account, &rule.bus, &rule.name),
        name: rule.name,
        event_pattern: rule.event_pattern,
        schedule_expression: rule.schedule_expression,
        state: rule.state.as_str().to_owned(),
        description: rule.description,
        role_arn: rule.role_arn,
        event_bus_name: rule.bus,
        created_by: rule.created_by,
    }
}

pub(crate) fn rule_missing(name: &str, bus: &str) -> EventsError {
    EventsError::NotFound(format!("Rule {name} does not exist on EventBus {bus}."))
}

/// The rule a call names, which must exist.
async fn existing_rule(events: &Events, ctx: &Context, input: &RuleNameInput) -> Result<Rule, EventsError> {
    check_name(&input.name)?;
    let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
    let (account, region, lookup, name) =
        (ctx.account.clone(), ctx.region.clone(), bus_name.clone(), input.name.clone());
    events
        .store
        .read(move |reader| rule(reader, &account, &region, &lookup, &name))
        .await?
        .ok_or_else(|| rule_missing(&input.name, &bus_name))
}

/// DescribeRule.
pub struct DescribeRule;

impl Operation for DescribeRule {
    const SPEC: Spec = spec("DescribeRule", Access::Read).with_limits(NAMED_RULE);
    type Engine = Events;
    type Input = RuleNameInput;
    type Output = RuleDescription;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: RuleNameInput,
    ) -> Result<Effect<RuleDescription, EventsError>, EventsError> {
        let rule = existing_rule(events, ctx, &input).await?;
        Ok(Effect::reply(describe(ctx, rule)))
    }
}

/// Sets a rule's state.
async fn set_state(
    events: &Events,
    ctx: &Context,
    input: RuleNameInput,
    state: RuleState,
) -> Result<Effect<(), EventsError>, EventsError> {
    let rule = existing_rule(events, ctx, &input).await?;
    let arn = rule_arn(&ctx.region, &ctx.account, &rule.bus, &rule.name);
    let change = EventsChange::SetRuleState {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        bus: rule.bus,
        name: rule.name,
        state,
        now_ms: ctx.now_ms,
    };
    Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![rule_resource(&arn)]))
}

/// EnableRule.
pub struct EnableRule;

impl Operation for EnableRule {
    const SPEC: Spec = spec("EnableRule", Access::Write).with_limits(NAMED_RULE);
    type Engine = Events;
    type Input = RuleNameInput;
    type Output = ();
    type Error = EventsError;

    async fn run(events: &Events, ctx: &Context, input: RuleNameInput) -> Result<Effect<(), EventsError>, EventsError> {
        set_state(events, ctx, input, RuleState::Enabled).await
    }
}

/// DisableRule.
pub struct DisableRule;

impl Operation for DisableRule {
    const SPEC: Spec = spec("DisableRule", Access::Write).with_limits(NAMED_RULE);
    type Engine = Events;
    type Input = RuleNameInput;
    type Output = ();
    type Error = EventsError;

    async fn run(events: &Events, ctx: &Context, input: RuleNameInput) -> Result<Effect<(), EventsError>, EventsError> {
        set_state(events, ctx, input, RuleState::Disabled).await
    }
}

/// DeleteRule's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteRuleInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// DeleteRule: refused while the rule has targets (`Force` is for rules AWS services manage, which Skywatch has
/// none of); a rule that does not exist is deleted already.
pub struct DeleteRule;

impl Operation for DeleteRule {
    const SPEC: Spec = spec("DeleteRule", Access::Write).with_limits(NAMED_RULE);
    type Engine = Events;
    type Input = DeleteRuleInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: DeleteRuleInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        check_name(&input.name)?;
        let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
        let (account, region, lookup, name) =
            (ctx.account.clone(), ctx.region.clone(), bus_name.clone(), input.name.clone());
        let has_targets = events
            .store
            .read(move |reader| Ok(!targets(reader, &account, &region, &lookup, &name, None, 1)?.is_empty()))
            .await?;
        if has_targets {
            return Err(EventsError::Validation("Rule can't be deleted since it has targets.".into()));
        }
        let arn = rule_arn(&ctx.region, &ctx.account, &bus_name, &input.name);
        let change = EventsChange::DeleteRule {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            bus: bus_name,
            name: input.name,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![rule_resource(&arn)]))
    }
}

/// ListRules' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRulesInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RulePage {
    pub rules: Vec<RuleDescription>,
    pub next_token: Option<String>,
}

/// ListRules: a bus's rules by name.
pub struct ListRules;

impl Operation for ListRules {
    const SPEC: Spec = spec("ListRules", Access::Read).with_limits(&[Limit::aws("rules a page", 100)]);
    type Engine = Events;
    type Input = ListRulesInput;
    type Output = RulePage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListRulesInput,
    ) -> Result<Effect<RulePage, EventsError>, EventsError> {
        let size = page_size(input.limit)?;
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(TOKEN_KIND, t)
                    .ok_or_else(|| EventsError::Validation("The NextToken is not valid.".into()))?,
            ),
        };
        let bus_name = own_bus(ctx, input.event_bus_name.as_deref())?.to_owned();
        let prefix = input.name_prefix.unwrap_or_default();
        let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), bus_name.clone());
        let (bus_exists, mut found) = events
            .store
            .read(move |reader| {
                let bus_exists = lookup == DEFAULT_BUS || bus(reader, &account, &region, &lookup)?.is_some();
                Ok((bus_exists, rules(reader, &account, &region, &lookup, &prefix, after.as_deref(), size + 1)?))
            })
            .await?;
        if !bus_exists {
            return Err(bus_missing(input.event_bus_name.as_deref().unwrap_or(&bus_name)));
        }
        let more = found.len() > size;
        found.truncate(size);
        let next_token = if more { found.last().map(|r| token::encode(TOKEN_KIND, &r.name)) } else { None };
        let rules = found.into_iter().map(|r| describe(ctx, r)).collect();
        Ok(Effect::reply(RulePage { rules, next_token }))
    }
}
