//! Third-party resources: PutResourceConfig and DeleteResourceConfig. The reported state is stored with a notice
//! naming the call's CloudTrail event, and the recorder turns it into a configuration item like any other change.
//! AWS accepts only types registered in CloudFormation's registry here; Skywatch, which cannot discover EC2 or S3
//! itself, accepts any type (e.g. `AWS::EC2::SecurityGroup`) so that a workload can report what it runs. A
//! configuration's `supplementaryConfiguration` member (an S3 bucket's ACL and public access block, as AWS
//! Config records them) becomes the item's supplementary configuration.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, EventResource, Limit, Operation, Spec};

use super::spec;
use crate::engine::Config;
use crate::error::{ConfigError, constraint, missing};
use crate::storage::{self, Notice, RecorderChange, Reported};

/// The largest configuration document accepted.
pub const MAX_CONFIGURATION_BYTES: usize = 64 * 1024;
/// Third-party resources one account and region may report.
pub const MAX_ACTIVE_RESOURCES: usize = 100_000;
/// Tags one reported resource may carry.
pub const MAX_TAGS: usize = 50;

/// PutResourceConfig's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutResourceConfigInput {
    pub resource_type: String,
    pub schema_version_id: String,
    pub resource_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    pub configuration: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

fn check_key(resource_type: &str, resource_id: &str) -> Result<(), ConfigError> {
    if resource_type.is_empty() {
        return Err(missing("resourceType"));
    }
    if resource_type.chars().count() > 196 {
        return Err(constraint(resource_type, "resourceType", "Member must have length less than or equal to 196"));
    }
    if resource_id.is_empty() {
        return Err(missing("resourceId"));
    }
    if resource_id.chars().count() > 768 {
        return Err(constraint(resource_id, "resourceId", "Member must have length less than or equal to 768"));
    }
    Ok(())
}

async fn running(config: &Config, ctx: &Context) -> Result<(), ConfigError> {
    let (account, region) = (ctx.account.clone(), ctx.region.clone());
    let recorders = config.store.read(move |reader| storage::recorders(reader, &account, &region)).await?;
    if recorders.iter().any(|r| r.status.recording) {
        Ok(())
    } else {
        Err(ConfigError::NoRunningRecorder("There are no running configuration recorders.".into()))
    }
}

fn notice(
    ctx: &Context,
    resource_type: String,
    resource_id: String,
) -> impl FnOnce(&str) -> Vec<skywatch_store::Mutation> + Send + 'static {
    let (account, region, time_ms) = (ctx.account.clone(), ctx.region.clone(), ctx.now_ms);
    move |event_id| {
        vec![
            RecorderChange::Notice(vec![Notice {
                account,
                region,
                resource_type,
                arn: resource_id,
                event_id: event_id.to_owned(),
                time_ms,
            }])
            .mutation(),
        ]
    }
}

/// PutResourceConfig: records the configuration of a resource Skywatch does not run itself.
pub struct PutResourceConfig;

impl Operation for PutResourceConfig {
    const SPEC: Spec = spec("PutResourceConfig", Access::Write).with_limits(&[
        Limit::own("configuration bytes", MAX_CONFIGURATION_BYTES as u64),
        Limit::own("reported resources an account and region", MAX_ACTIVE_RESOURCES as u64),
        Limit::aws("tags a resource", MAX_TAGS as u64),
    ]);
    type Engine = Config;
    type Input = PutResourceConfigInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        check_key(&input.resource_type, &input.resource_id)?;
        let version = &input.schema_version_id;
        if version.is_empty() || version.len() > 128 || !version.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(constraint(
                version,
                "schemaVersionId",
                "Member must satisfy regular expression pattern: [A-Za-z0-9-]+",
            ));
        }
        if input.configuration.len() > MAX_CONFIGURATION_BYTES {
            return Err(ConfigError::Validation(format!(
                "The configuration is {} bytes; at most {MAX_CONFIGURATION_BYTES} are accepted.",
                input.configuration.len()
            )));
        }
        if !serde_json::from_str::<serde_json::Value>(&input.configuration).is_ok_and(|v| v.is_object()) {
            return Err(ConfigError::Validation("Configuration must be a valid JSON object.".into()));
        }
        if input.tags.len() > MAX_TAGS {
            return Err(ConfigError::Validation(format!("A resource may carry at most {MAX_TAGS} tags.")));
        }
        running(config, ctx).await?;
        let (account, region, resource_type, id) =
            (ctx.account.clone(), ctx.region.clone(), input.resource_type.clone(), input.resource_id.clone());
        let (previous, count) = config
            .store
            .read(move |reader| {
                let previous = storage::reported(reader, (&account, &region), &resource_type, &id)?;
                let count = if previous.is_some() {
                    0
                } else {
                    storage::reported_count(reader, &account, &region, MAX_ACTIVE_RESOURCES)?
                };
                Ok((previous, count))
            })
            .await?;
        if count >= MAX_ACTIVE_RESOURCES {
            return Err(ConfigError::MaxActiveResources(format!(
                "You have reached the limit of {MAX_ACTIVE_RESOURCES} active custom resources in your account."
            )));
        }
        let reported = Reported {
            resource_type: input.resource_type.clone(),
            resource_id: input.resource_id.clone(),
            resource_name: input.resource_name,
            schema_version_id: input.schema_version_id,
            configuration: input.configuration,
            tags: input.tags,
            created_ms: previous.filter(|p| !p.deleted).map_or(ctx.now_ms, |p| p.created_ms),
            deleted: false,
        };
        let event = EventResource { resource_type: input.resource_type.clone(), arn: input.resource_id.clone() };
        let change = RecorderChange::Report {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            reported: Box::new(reported),
        };
        let wake = config.clone();
        Ok(Effect::commit((), vec![change.mutation()])
            .with_resources(vec![event])
            .with_event_changes(notice(ctx, input.resource_type, input.resource_id))
            .then(move || wake.wake()))
    }
}

/// DeleteResourceConfig's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteResourceConfigInput {
    pub resource_type: String,
    pub resource_id: String,
}

/// DeleteResourceConfig: the resource is recorded as deleted.
pub struct DeleteResourceConfig;

impl Operation for DeleteResourceConfig {
    const SPEC: Spec = spec("DeleteResourceConfig", Access::Write)
        .with_limits(&[Limit::aws("resource id characters", 768), Limit::aws("resource type characters", 196)]);
    type Engine = Config;
    type Input = DeleteResourceConfigInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        check_key(&input.resource_type, &input.resource_id)?;
        running(config, ctx).await?;
        let (account, region, resource_type, id) =
            (ctx.account.clone(), ctx.region.clone(), input.resource_type.clone(), input.resource_id.clone());
        let previous = config
            .store
            .read(move |reader| storage::reported(reader, (&account, &region), &resource_type, &id))
            .await?;
        let event = EventResource { resource_type: input.resource_type.clone(), arn: input.resource_id.clone() };
        let Some(mut reported) = previous.filter(|p| !p.deleted) else {
            return Ok(Effect::reply(()).with_resources(vec![event]));
        };
        reported.deleted = true;
        let change = RecorderChange::Report {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            reported: Box::new(reported),
        };
        let wake = config.clone();
        Ok(Effect::commit((), vec![change.mutation()])
            .with_resources(vec![event])
            .with_event_changes(notice(ctx, input.resource_type, input.resource_id))
            .then(move || wake.wake()))
    }
}
