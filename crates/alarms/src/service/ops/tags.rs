//! TagResource, UntagResource and ListTagsForResource for alarms, addressed by ARN (an ARN naming no alarm of
//! the caller's account and region is `ResourceNotFoundException`).

use serde::Serialize;
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, Limit, Operation, Spec, codes};

use super::{spec, storage};
use crate::service::Alarms;
use crate::service::storage::{AlarmChange, alarm};
use crate::service::validate::{MAX_TAGS, Tag, check_tags};

/// Why a tagging call refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidValue(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl AwsError for TagError {
    fn code(&self) -> ErrorCode {
        match self {
            TagError::NotFound(_) => codes::cloudwatch::RESOURCE_NOT_FOUND_EXCEPTION,
            TagError::InvalidValue(_) => codes::cloudwatch::INVALID_PARAMETER_VALUE,
            TagError::Storage(_) => codes::INTERNAL,
        }
    }

    fn members(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut members = serde_json::Map::new();
        if let TagError::NotFound(_) = self {
            members.insert("ResourceType".into(), "Alarm".into());
        }
        members
    }
}

/// The alarm an ARN names in the caller's account and region, with its tags; refused otherwise.
async fn tags_of(engine: &Alarms, ctx: &Context, arn: &str) -> Result<(String, Vec<(String, String)>), TagError> {
    let not_found = || TagError::NotFound(format!("The resource {arn} does not exist."));
    let partition = skywatch_model::partition(&ctx.region);
    let prefix = format!("arn:{partition}:cloudwatch:{}:{}:alarm:", ctx.region, ctx.account);
    let name = arn.strip_prefix(&prefix).filter(|n| !n.is_empty()).ok_or_else(not_found)?.to_owned();
    let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.clone());
    let found = engine
        .store
        .read(move |reader| alarm(reader, &account, &region, &lookup))
        .await
        .map_err(|error| TagError::Storage(storage(error)))?;
    let found = found.ok_or_else(not_found)?;
    Ok((name, found.tags))
}

fn arn_resource(arn: &str) -> skywatch_ops::EventResource {
    skywatch_ops::EventResource { resource_type: crate::service::RESOURCE_TYPE.into(), arn: arn.to_owned() }
}

/// TagResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagResourceInput {
    #[serde(rename = "resourceARN")]
    pub resource_arn: String,
    pub tags: Vec<Tag>,
}

/// TagResource: new keys are added, existing ones get the new value; at most 50 in all.
pub struct TagResource;

impl Operation for TagResource {
    const SPEC: Spec =
        spec("TagResource", Access::Write).with_limits(&[Limit::aws("tags a resource", MAX_TAGS as u64)]);
    type Engine = Alarms;
    type Input = TagResourceInput;
    type Output = ();
    type Error = TagError;

    async fn run(engine: &Alarms, ctx: &Context, input: TagResourceInput) -> Result<Effect<(), TagError>, TagError> {
        check_tags(&input.tags).map_err(|error| TagError::InvalidValue(error.to_string()))?;
        let (name, existing) = tags_of(engine, ctx, &input.resource_arn).await?;
        let added = input.tags.iter().filter(|t| !existing.iter().any(|(k, _)| k == &t.key)).count();
        if existing.len() + added > MAX_TAGS {
            return Err(TagError::InvalidValue(format!("A resource can have at most {MAX_TAGS} tags.")));
        }
        let change = AlarmChange::Tags {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name,
            set: input.tags.iter().map(|t| (t.key.clone(), t.value.clone())).collect(),
            remove: Vec::new(),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![arn_resource(&input.resource_arn)]))
    }
}

/// UntagResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UntagResourceInput {
    #[serde(rename = "resourceARN")]
    pub resource_arn: String,
    pub tag_keys: Vec<String>,
}

/// UntagResource: keys the alarm does not have are passed over.
pub struct UntagResource;

impl Operation for UntagResource {
    const SPEC: Spec = spec("UntagResource", Access::Write).with_limits(&[Limit::aws("TagKeys", MAX_TAGS as u64)]);
    type Engine = Alarms;
    type Input = UntagResourceInput;
    type Output = ();
    type Error = TagError;

    async fn run(engine: &Alarms, ctx: &Context, input: UntagResourceInput) -> Result<Effect<(), TagError>, TagError> {
        if input.tag_keys.len() > MAX_TAGS {
            return Err(TagError::InvalidValue(format!("At most {MAX_TAGS} TagKeys may be given.")));
        }
        let (name, _) = tags_of(engine, ctx, &input.resource_arn).await?;
        let change = AlarmChange::Tags {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name,
            set: Vec::new(),
            remove: input.tag_keys.clone(),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![arn_resource(&input.resource_arn)]))
    }
}

/// ListTagsForResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceInput {
    #[serde(rename = "resourceARN")]
    pub resource_arn: String,
}

/// ListTagsForResource.
pub struct ListTagsForResource;

impl Operation for ListTagsForResource {
    const SPEC: Spec =
        spec("ListTagsForResource", Access::Read).with_limits(&[Limit::aws("tags a resource", MAX_TAGS as u64)]);
    type Engine = Alarms;
    type Input = ResourceInput;
    type Output = Vec<(String, String)>;
    type Error = TagError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: ResourceInput,
    ) -> Result<Effect<Vec<(String, String)>, TagError>, TagError> {
        let (_, tags) = tags_of(engine, ctx, &input.resource_arn).await?;
        Ok(Effect::reply(tags).with_resources(vec![arn_resource(&input.resource_arn)]))
    }
}
