//! TagResource, UntagResource and ListTagsForResource on buses (the default one too) and rules, named by ARN.

use serde::Serialize;
use skywatch_model::partition;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::rules::rule_missing;
use super::{
    EventsError, MAX_TAGS, Tag, bus_missing, bus_resource, check_tags, constraint, over_quota, rule_resource, spec,
};
use crate::Events;
use crate::model::DEFAULT_BUS;
use crate::storage::{EventsChange, bus, rule};

/// A taggable resource: a bus, or a rule on a bus.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Resource {
    bus: String,
    rule: Option<String>,
}

/// The resource an ARN names, when it is the caller's (`event-bus/NAME`, `rule/NAME`, `rule/BUS/NAME`; a partner
/// bus's name has slashes, a rule's never).
fn resource(ctx: &Context, arn: &str) -> Result<Resource, EventsError> {
    let bad = || constraint(arn, "resourceARN", "be the ARN of an event bus or a rule");
    let prefix = format!("arn:{}:events:{}:{}:", partition(&ctx.region), ctx.region, ctx.account);
    let Some(path) = arn.strip_prefix(&prefix) else {
        // Another account's, region's or partition's resource is none of the caller's.
        return match arn.split(':').nth(5) {
            Some(path) if path.starts_with("event-bus/") => Err(bus_missing(&path["event-bus/".len()..])),
            Some(path) if path.starts_with("rule/") => {
                Err(rule_missing(path.rsplit('/').next().unwrap_or(path), DEFAULT_BUS))
            }
            _ => Err(bad()),
        };
    };
    if let Some(name) = path.strip_prefix("event-bus/").filter(|n| !n.is_empty()) {
        return Ok(Resource { bus: name.to_owned(), rule: None });
    }
    let rest = path.strip_prefix("rule/").filter(|r| !r.is_empty()).ok_or_else(bad)?;
    Ok(match rest.rsplit_once('/') {
        Some((bus, name)) => Resource { bus: bus.to_owned(), rule: Some(name.to_owned()) },
        None => Resource { bus: DEFAULT_BUS.to_owned(), rule: Some(rest.to_owned()) },
    })
}

/// The tags the resource has now; `NotFound` when it does not exist.
async fn current_tags(events: &Events, ctx: &Context, target: &Resource) -> Result<Vec<(String, String)>, EventsError> {
    let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), target.clone());
    let found = events
        .store
        .read(move |reader| match &lookup.rule {
            Some(name) => Ok(rule(reader, &account, &region, &lookup.bus, name)?.map(|r| r.tags)),
            None => Ok(bus(reader, &account, &region, &lookup.bus)?
                .map(|b| b.tags)
                .or_else(|| (lookup.bus == DEFAULT_BUS).then(Vec::new))),
        })
        .await?;
    found.ok_or_else(|| match &target.rule {
        Some(name) => rule_missing(name, &target.bus),
        None => bus_missing(&target.bus),
    })
}

fn set_tags(ctx: &Context, target: Resource, tags: Vec<(String, String)>, arn: &str) -> Effect<(), EventsError> {
    let record = match target.rule {
        Some(_) => rule_resource(arn),
        None => bus_resource(arn),
    };
    let change = EventsChange::SetTags {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        bus: target.bus,
        rule: target.rule,
        tags,
        now_ms: ctx.now_ms,
    };
    Effect::commit((), vec![change.mutation()]).with_resources(vec![record])
}

/// TagResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagResourceInput {
    #[serde(rename = "resourceARN")]
    pub resource_arn: String,
    pub tags: Vec<Tag>,
}

/// TagResource: adds tags, replacing the values of keys the resource has.
pub struct TagResource;

impl Operation for TagResource {
    const SPEC: Spec = spec("TagResource", Access::Write)
        .with_limits(&[Limit::aws("ResourceARN characters", 1600), Limit::aws("tags a resource", MAX_TAGS as u64)]);
    type Engine = Events;
    type Input = TagResourceInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: TagResourceInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        check_tags(&input.tags)?;
        let target = resource(ctx, &input.resource_arn)?;
        let mut tags = current_tags(events, ctx, &target).await?;
        for tag in input.tags {
            match tags.iter_mut().find(|(key, _)| *key == tag.key) {
                Some(existing) => existing.1 = tag.value,
                None => tags.push((tag.key, tag.value)),
            }
        }
        if tags.len() > MAX_TAGS {
            return Err(over_quota());
        }
        Ok(set_tags(ctx, target, tags, &input.resource_arn))
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

/// UntagResource: keys the resource does not have are removed already.
pub struct UntagResource;

impl Operation for UntagResource {
    const SPEC: Spec = spec("UntagResource", Access::Write)
        .with_limits(&[Limit::aws("ResourceARN characters", 1600), Limit::aws("TagKeys a request", 50)]);
    type Engine = Events;
    type Input = UntagResourceInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: UntagResourceInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        if input.tag_keys.len() > MAX_TAGS {
            return Err(over_quota());
        }
        let target = resource(ctx, &input.resource_arn)?;
        let mut tags = current_tags(events, ctx, &target).await?;
        tags.retain(|(key, _)| !input.tag_keys.contains(key));
        Ok(set_tags(ctx, target, tags, &input.resource_arn))
    }
}

/// ListTagsForResource's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTagsForResourceInput {
    #[serde(rename = "resourceARN")]
    pub resource_arn: String,
}

/// ListTagsForResource: the tags in the order they were given.
pub struct ListTagsForResource;

impl Operation for ListTagsForResource {
    const SPEC: Spec =
        spec("ListTagsForResource", Access::Read).with_limits(&[Limit::aws("ResourceARN characters", 1600)]);
    type Engine = Events;
    type Input = ListTagsForResourceInput;
    type Output = Vec<Tag>;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListTagsForResourceInput,
    ) -> Result<Effect<Vec<Tag>, EventsError>, EventsError> {
        let target = resource(ctx, &input.resource_arn)?;
        let tags = current_tags(events, ctx, &target).await?;
        Ok(Effect::reply(tags.into_iter().map(|(key, value)| Tag { key, value }).collect()))
    }
}
