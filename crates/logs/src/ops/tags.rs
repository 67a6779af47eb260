//! Tags of log groups: TagResource, UntagResource and ListTagsForResource (by ARN), and the older TagLogGroup,
//! UntagLogGroup and ListTagsLogGroup (by name).

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::groups::update_group;
use super::{check_group_name, existing_group, read, spec};
use crate::model::group_from_identifier;
use crate::{Logs, LogsError};

/// The most tags a resource has.
pub const MAX_TAGS: usize = 50;

fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

/// Checks tags against the model: keys of 1 to 128 and values of up to 256 letters, digits, spaces and `_.:/=+-@`,
/// at most 50, no key starting `aws:`.
pub(crate) fn check_tags(tags: &BTreeMap<String, String>) -> Result<(), LogsError> {
    if tags.len() > MAX_TAGS {
        return Err(LogsError::TooManyTags(format!("A resource can have no more than {MAX_TAGS} tags.")));
    }
    for (key, value) in tags {
        if key.is_empty() || key.chars().count() > 128 || !key.chars().all(tag_char) {
            return Err(LogsError::constraint(
                "tags",
                key,
                "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]",
            ));
        }
        if value.chars().count() > 256 || !value.chars().all(tag_char) {
            return Err(LogsError::constraint(
                "tags",
                value,
                "Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]",
            ));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(LogsError::InvalidParameter("Tag keys prefixed with 'aws:' are reserved.".into()));
        }
    }
    Ok(())
}

/// The log group a resource ARN names, in the call's account and region.
fn arn_group(ctx: &Context, arn: &str) -> Result<String, LogsError> {
    let not_found = || LogsError::NotFound(format!("The specified resource {arn} does not exist."));
    if skywatch_model::Arn::parse(arn).is_none_or(|parsed| parsed.service != "logs") {
        return Err(LogsError::InvalidParameter(format!("Invalid resource arn: {arn}")));
    }
    let name = group_from_identifier(arn, &ctx.region, &ctx.account).ok_or_else(not_found)?;
    check_group_name("resourceArn", name).map_err(|_| not_found())?;
    Ok(name.to_owned())
}

async fn tags_of(logs: &Logs, ctx: &Context, name: String) -> Result<BTreeMap<String, String>, LogsError> {
    let c = ctx.clone();
    Ok(read(logs, move |r| existing_group(r, &c, &name)).await?.tags)
}

async fn add_tags(
    logs: &Logs,
    ctx: &Context,
    name: &str,
    tags: BTreeMap<String, String>,
) -> Result<Effect<(), LogsError>, LogsError> {
    check_tags(&tags)?;
    let current = tags_of(logs, ctx, name.to_owned()).await?;
    let mut merged = current;
    merged.extend(tags);
    if merged.len() > MAX_TAGS {
        return Err(LogsError::TooManyTags(format!("A resource can have no more than {MAX_TAGS} tags.")));
    }
    update_group(logs, ctx, name, move |g| g.tags = merged).await
}

async fn remove_tags(
    logs: &Logs,
    ctx: &Context,
    name: &str,
    keys: &[String],
) -> Result<Effect<(), LogsError>, LogsError> {
    if keys.len() > MAX_TAGS {
        return Err(LogsError::constraint("tagKeys", "[...]", "Member must have length less than or equal to 50"));
    }
    let keys = keys.to_vec();
    update_group(logs, ctx, name, move |g| g.tags.retain(|k, _| !keys.contains(k))).await
}

/// TagResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagResourceInput {
    pub resource_arn: String,
    pub tags: BTreeMap<String, String>,
}

/// TagResource.
pub struct TagResource;

impl Operation for TagResource {
    const SPEC: Spec =
        spec("TagResource", Access::Write).with_limits(&[Limit::aws("tags a resource", MAX_TAGS as u64)]);
    type Engine = Logs;
    type Input = TagResourceInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: TagResourceInput) -> Result<Effect<(), LogsError>, LogsError> {
        let name = arn_group(ctx, &input.resource_arn)?;
        add_tags(logs, ctx, &name, input.tags).await
    }
}

/// UntagResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UntagResourceInput {
    pub resource_arn: String,
    pub tag_keys: Vec<String>,
}

/// UntagResource.
pub struct UntagResource;

impl Operation for UntagResource {
    const SPEC: Spec = spec("UntagResource", Access::Write).with_limits(&[Limit::aws("tagKeys", MAX_TAGS as u64)]);
    type Engine = Logs;
    type Input = UntagResourceInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: UntagResourceInput) -> Result<Effect<(), LogsError>, LogsError> {
        let name = arn_group(ctx, &input.resource_arn)?;
        remove_tags(logs, ctx, &name, &input.tag_keys).await
    }
}

/// ListTagsForResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceArnInput {
    pub resource_arn: String,
}

/// ListTagsForResource.
pub struct ListTagsForResource;

impl Operation for ListTagsForResource {
    const SPEC: Spec =
        spec("ListTagsForResource", Access::Read).with_limits(&[Limit::aws("resourceArn characters", 1011)]);
    type Engine = Logs;
    type Input = ResourceArnInput;
    type Output = BTreeMap<String, String>;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: ResourceArnInput,
    ) -> Result<Effect<BTreeMap<String, String>, LogsError>, LogsError> {
        let name = arn_group(ctx, &input.resource_arn)?;
        Ok(Effect::reply(tags_of(logs, ctx, name).await?))
    }
}

/// TagLogGroup's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagLogGroupInput {
    pub log_group_name: String,
    pub tags: BTreeMap<String, String>,
}

/// TagLogGroup (deprecated by AWS in favour of TagResource, still served).
pub struct TagLogGroup;

impl Operation for TagLogGroup {
    const SPEC: Spec =
        spec("TagLogGroup", Access::Write).with_limits(&[Limit::aws("tags a log group", MAX_TAGS as u64)]);
    type Engine = Logs;
    type Input = TagLogGroupInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: TagLogGroupInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        add_tags(logs, ctx, &input.log_group_name, input.tags).await
    }
}

/// UntagLogGroup's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UntagLogGroupInput {
    pub log_group_name: String,
    pub tags: Vec<String>,
}

/// UntagLogGroup (deprecated by AWS, still served).
pub struct UntagLogGroup;

impl Operation for UntagLogGroup {
    const SPEC: Spec = spec("UntagLogGroup", Access::Write).with_limits(&[Limit::aws("tags", MAX_TAGS as u64)]);
    type Engine = Logs;
    type Input = UntagLogGroupInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: UntagLogGroupInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        remove_tags(logs, ctx, &input.log_group_name, &input.tags).await
    }
}

/// ListTagsLogGroup (deprecated by AWS, still served).
pub struct ListTagsLogGroup;

impl Operation for ListTagsLogGroup {
    const SPEC: Spec = spec("ListTagsLogGroup", Access::Read).with_limits(super::GROUP_LIMITS);
    type Engine = Logs;
    type Input = super::GroupNameInput;
    type Output = BTreeMap<String, String>;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: super::GroupNameInput,
    ) -> Result<Effect<BTreeMap<String, String>, LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        Ok(Effect::reply(tags_of(logs, ctx, input.log_group_name).await?))
    }
}
