//! The group operations: CreateGroup (a name and a filter expression, checked by the same parser as
//! GetTraceSummaries), GetGroup, UpdateGroup, DeleteGroup and GetGroups, with the Default group every account has.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::{TracesError, spec};
use crate::Traces;
use crate::groups::{DEFAULT_GROUP, Group, MAX_GROUPS, MAX_TAGS, valid_name};
use crate::storage::{GroupChange, groups};

fn invalid(message: impl Into<String>) -> TracesError {
    TracesError::InvalidRequest(message.into())
}

/// A group with where it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupRecord {
    pub account: String,
    pub region: String,
    pub group: Option<Group>,
}

/// Groups with where they are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupList {
    pub account: String,
    pub region: String,
    pub groups: Vec<Group>,
}

/// The members of CreateGroup and UpdateGroup.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(rename = "groupARN", skip_serializing_if = "Option::is_none")]
    pub group_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insights_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notifications_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
}

fn check_expression(expression: &Option<String>) -> Result<(), TracesError> {
    if let Some(text) = expression {
        crate::filter::parse(text).map_err(|e| invalid(e.to_string()))?;
    }
    Ok(())
}

/// The group a call names, by name or ARN, among the account's (Default included).
async fn find(traces: &Traces, ctx: &Context, input: &GroupInput) -> Result<(Group, Vec<Group>), TracesError> {
    let (account, region) = (ctx.account.clone(), ctx.region.clone());
    let stored = traces.store.read(move |reader| groups(reader, &account, &region)).await?;
    let mut all = vec![Group::default_group()];
    all.extend(stored);
    let found = match (&input.group_name, &input.group_arn) {
        (Some(name), _) => all.iter().find(|g| &g.name == name),
        (None, Some(arn)) => all.iter().find(|g| &g.arn(&ctx.region, &ctx.account) == arn),
        (None, None) => return Err(invalid("GroupName or GroupARN is required")),
    };
    let found = found.cloned().ok_or_else(|| invalid("Group not found"))?;
    Ok((found, all))
}

/// CreateGroup.
pub struct CreateGroup;

impl Operation for CreateGroup {
    const SPEC: Spec = spec("CreateGroup", Access::Write).with_limits(&[
        Limit::aws("GroupName characters", 32),
        Limit::aws("groups an account and region", MAX_GROUPS as u64),
        Limit::aws("tags a group", MAX_TAGS as u64),
        Limit::own("FilterExpression characters", crate::filter::MAX_LENGTH as u64),
    ]);
    type Engine = Traces;
    type Input = GroupInput;
    type Output = GroupRecord;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GroupInput,
    ) -> Result<Effect<GroupRecord, TracesError>, TracesError> {
        let name = input.group_name.clone().ok_or_else(|| invalid("GroupName is required"))?;
        if !valid_name(&name) {
            return Err(invalid("GroupName must be 1 to 32 letters, digits, '-' or '_'"));
        }
        if name == DEFAULT_GROUP {
            return Err(invalid("Default is a reserved group name"));
        }
        if input.tags.len() > MAX_TAGS {
            return Err(invalid(format!("Tags: at most {MAX_TAGS}")));
        }
        check_expression(&input.filter_expression)?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let existing = traces.store.read(move |reader| groups(reader, &account, &region)).await?;
        if existing.iter().any(|g| g.name == name) {
            return Err(invalid(format!("Group {name} already exists")));
        }
        if existing.len() >= MAX_GROUPS {
            return Err(invalid(format!("You have reached the maximum of {MAX_GROUPS} groups")));
        }
        let id: String = uuid_like(&name, ctx.now_ms);
        let group = Group {
            name,
            id,
            filter_expression: input.filter_expression,
            insights_enabled: input.insights_enabled.unwrap_or(false),
            notifications_enabled: input.notifications_enabled.unwrap_or(false),
            tags: input.tags,
            created_ms: ctx.now_ms,
        };
        let change = GroupChange::Put {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            group: Box::new(group.clone()),
        };
        let record = GroupRecord { account: ctx.account.clone(), region: ctx.region.clone(), group: Some(group) };
        Ok(Effect::commit(record, vec![change.mutation()]))
    }
}

/// 26 characters from A-Z and 2-7 (base32), unique enough for a group's ARN.
fn uuid_like(name: &str, now_ms: i64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut state = uuid::Uuid::new_v4().as_u128() ^ u128::from(now_ms.unsigned_abs());
    for byte in name.bytes() {
        state = state.rotate_left(5) ^ u128::from(byte);
    }
    (0..26)
        .map(|_| {
            let c = ALPHABET[(state & 31) as usize] as char;
            state >>= 5;
            c
        })
        .collect()
}

/// GetGroup.
pub struct GetGroup;

impl Operation for GetGroup {
    const SPEC: Spec = spec("GetGroup", Access::Read).with_limits(&[Limit::aws("GroupARN characters", 400)]);
    type Engine = Traces;
    type Input = GroupInput;
    type Output = GroupRecord;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GroupInput,
    ) -> Result<Effect<GroupRecord, TracesError>, TracesError> {
        let (group, _) = find(traces, ctx, &input).await?;
        Ok(Effect::reply(GroupRecord { account: ctx.account.clone(), region: ctx.region.clone(), group: Some(group) }))
    }
}

/// UpdateGroup: a new expression applies to the traces summarized from then on.
pub struct UpdateGroup;

impl Operation for UpdateGroup {
    const SPEC: Spec = spec("UpdateGroup", Access::Write).with_limits(&[
        Limit::aws("GroupARN characters", 400),
        Limit::own("FilterExpression characters", crate::filter::MAX_LENGTH as u64),
    ]);
    type Engine = Traces;
    type Input = GroupInput;
    type Output = GroupRecord;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GroupInput,
    ) -> Result<Effect<GroupRecord, TracesError>, TracesError> {
        check_expression(&input.filter_expression)?;
        let (mut group, _) = find(traces, ctx, &input).await?;
        if group.name == DEFAULT_GROUP {
            return Err(invalid("The Default group cannot be changed"));
        }
        if let Some(expression) = input.filter_expression {
            group.filter_expression = Some(expression).filter(|e| !e.trim().is_empty());
        }
        if let Some(enabled) = input.insights_enabled {
            group.insights_enabled = enabled;
        }
        if let Some(enabled) = input.notifications_enabled {
            group.notifications_enabled = enabled;
        }
        let change = GroupChange::Put {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            group: Box::new(group.clone()),
        };
        let record = GroupRecord { account: ctx.account.clone(), region: ctx.region.clone(), group: Some(group) };
        Ok(Effect::commit(record, vec![change.mutation()]))
    }
}

/// DeleteGroup.
pub struct DeleteGroup;

impl Operation for DeleteGroup {
    const SPEC: Spec = spec("DeleteGroup", Access::Write).with_limits(&[Limit::aws("GroupARN characters", 400)]);
    type Engine = Traces;
    type Input = GroupInput;
    type Output = GroupRecord;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GroupInput,
    ) -> Result<Effect<GroupRecord, TracesError>, TracesError> {
        let (group, _) = find(traces, ctx, &input).await?;
        if group.name == DEFAULT_GROUP {
            return Err(invalid("The Default group cannot be deleted"));
        }
        let change = GroupChange::Delete { account: ctx.account.clone(), region: ctx.region.clone(), name: group.name };
        let record = GroupRecord { account: ctx.account.clone(), region: ctx.region.clone(), group: None };
        Ok(Effect::commit(record, vec![change.mutation()]))
    }
}

/// GetGroups: every group on one page, Default first.
pub struct GetGroups;

impl Operation for GetGroups {
    const SPEC: Spec = spec("GetGroups", Access::Read).with_limits(&[Limit::aws("groups", MAX_GROUPS as u64 + 1)]);
    type Engine = Traces;
    type Input = super::PageInput;
    type Output = GroupList;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        _input: super::PageInput,
    ) -> Result<Effect<GroupList, TracesError>, TracesError> {
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let stored = traces.store.read(move |reader| groups(reader, &account, &region)).await?;
        let mut list = vec![Group::default_group()];
        list.extend(stored);
        Ok(Effect::reply(GroupList { account: ctx.account.clone(), region: ctx.region.clone(), groups: list }))
    }
}
