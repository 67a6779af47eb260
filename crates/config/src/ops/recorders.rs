//! The configuration recorder: PutConfigurationRecorder (one an account and region, its recording group checked
//! as AWS checks it), DescribeConfigurationRecorders, DescribeConfigurationRecorderStatus,
//! StartConfigurationRecorder (needs a delivery channel; discovers the resources that already exist),
//! StopConfigurationRecorder and DeleteConfigurationRecorder.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, EventResource, Limit, Operation, Spec};

use super::{check_tags, spec};
use crate::engine::Config;
use crate::error::{ConfigError, constraint};
use crate::model::{Recorder, RecorderStatus, RecordingGroup, RecordingMode, Strategy};
use crate::recorder::DISCOVER_ALL;
use crate::storage::{self, Notice, RecorderChange};

/// The name a recorder gets when none is given.
pub const DEFAULT_NAME: &str = "default";
/// Recorders an account and region may have.
pub const MAX_RECORDERS: usize = 1;
/// Resource types one recording group may list.
pub const MAX_RESOURCE_TYPES: usize = 1_000;

/// The bounds of the calls that name recorders.
const NAME_LIMITS: &[Limit] = &[Limit::aws("recorder name characters", 256)];

/// The ARN of a recorder.
pub fn recorder_arn(ctx: &Context, name: &str, id: &str) -> String {
    let partition = skywatch_model::partition(&ctx.region);
    format!("arn:{partition}:config:{}:{}:configuration-recorder/{name}/{id}", ctx.region, ctx.account)
}

fn resource(recorder: &Recorder) -> EventResource {
    EventResource { resource_type: "AWS::Config::ConfigurationRecorder".into(), arn: recorder.arn.clone() }
}

fn check_name(name: &str) -> Result<(), ConfigError> {
    let length = name.chars().count();
    if length == 0 || length > 256 {
        return Err(ConfigError::InvalidRecorderName(format!(
            "The configuration recorder name '{name}' is not valid, blank string."
        )));
    }
    Ok(())
}

/// PutConfigurationRecorder's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutConfigurationRecorderInput {
    pub name: Option<String>,
    pub role_arn: Option<String>,
    pub recording_group: Option<RecordingGroup>,
    pub recording_mode: Option<RecordingMode>,
    pub tags: Vec<(String, String)>,
}

/// Checks a recording group's combination of members as AWS does.
fn check_group(group: &RecordingGroup) -> Result<(), ConfigError> {
    let bad = |why: &str| Err(ConfigError::InvalidRecordingGroup(why.to_owned()));
    if group.resource_types.len() > MAX_RESOURCE_TYPES || group.exclusions.len() > MAX_RESOURCE_TYPES {
        return bad("The recording group provided is not valid: too many resource types.");
    }
    match group.strategy {
        Strategy::AllSupportedResourceTypes if !group.all_supported => bad(
            "The recording group provided is not valid: useOnly ALL_SUPPORTED_RESOURCE_TYPES requires allSupported to be true.",
        ),
        Strategy::AllSupportedResourceTypes if !group.resource_types.is_empty() || !group.exclusions.is_empty() => bad(
            "The recording group provided is not valid: resourceTypes and exclusionByResourceTypes must be empty when allSupported is true.",
        ),
        Strategy::InclusionByResourceTypes if group.all_supported || group.resource_types.is_empty() => bad(
            "The recording group provided is not valid: INCLUSION_BY_RESOURCE_TYPES needs allSupported false and at least one resource type.",
        ),
        Strategy::ExclusionByResourceTypes if group.all_supported || group.exclusions.is_empty() => bad(
            "The recording group provided is not valid: EXCLUSION_BY_RESOURCE_TYPES needs allSupported false and at least one excluded resource type.",
        ),
        _ if group.include_global_resource_types && !group.all_supported => bad(
            "The recording group provided is not valid: includeGlobalResourceTypes requires allSupported to be true.",
        ),
        _ => Ok(()),
    }
}

fn check_mode(mode: &RecordingMode) -> Result<(), ConfigError> {
    let frequency = |f: &str, at: &str| {
        if f == "CONTINUOUS" || f == "DAILY" {
            Ok(())
        } else {
            Err(constraint(f, at, "Member must satisfy enum value set: [CONTINUOUS, DAILY]"))
        }
    };
    frequency(&mode.frequency, "configurationRecorder.recordingMode.recordingFrequency")?;
    if mode.overrides.len() > 1 {
        return Err(ConfigError::Validation(
            "1 validation error detected: Value at 'configurationRecorder.recordingMode.recordingModeOverrides' failed to satisfy constraint: Member must have length less than or equal to 1".into(),
        ));
    }
    for o in &mode.overrides {
        frequency(
            &o.frequency,
            "configurationRecorder.recordingMode.recordingModeOverrides.member.recordingFrequency",
        )?;
    }
    Ok(())
}

/// PutConfigurationRecorder: creates the account and region's recorder or changes it (keeping its status).
pub struct PutConfigurationRecorder;

impl Operation for PutConfigurationRecorder {
    const SPEC: Spec = spec("PutConfigurationRecorder", Access::Write).with_limits(&[
        Limit::aws("configuration recorders an account and region", MAX_RECORDERS as u64),
        Limit::aws("tags a recorder", super::MAX_TAGS as u64),
        Limit::own("resource types a recording group", MAX_RESOURCE_TYPES as u64),
    ]);
    type Engine = Config;
    type Input = PutConfigurationRecorderInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let name = input.name.clone().unwrap_or_else(|| DEFAULT_NAME.to_owned());
        check_name(&name)?;
        check_tags(&input.tags)?;
        let group = input.recording_group.clone().unwrap_or_default();
        check_group(&group)?;
        if let Some(mode) = &input.recording_mode {
            check_mode(mode)?;
        }
        if let Some(role) = &input.role_arn
            && !role.starts_with("arn:")
        {
            return Err(ConfigError::Validation(format!("The role ARN '{role}' is not valid.")));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let existing = config.store.read(move |reader| storage::recorders(reader, &account, &region)).await?;
        let previous = existing.iter().find(|r| r.name == name).cloned();
        if previous.is_none() && existing.len() >= MAX_RECORDERS {
            return Err(ConfigError::MaxRecorders(format!(
                "Failed to put configuration recorder '{name}' because the maximum number of configuration recorders: {MAX_RECORDERS} is reached."
            )));
        }
        let recorder = Recorder {
            arn: previous
                .as_ref()
                .map_or_else(|| recorder_arn(ctx, &name, &short_id(&ctx.request_id)), |p| p.arn.clone()),
            name,
            role_arn: input.role_arn,
            group,
            mode: input.recording_mode,
            status: previous.as_ref().map(|p| p.status.clone()).unwrap_or_default(),
            tags: previous.map(|p| p.tags).unwrap_or_default().into_iter().chain(input.tags).collect(),
        };
        let change = RecorderChange::PutRecorder {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            recorder: Box::new(recorder.clone()),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(&recorder)]))
    }
}

/// A short lower-case id derived from the request id, for ARNs.
pub(crate) fn short_id(request_id: &str) -> String {
    let hex: String = request_id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    hex.chars().rev().take(6).collect::<String>().chars().rev().collect()
}

/// Inputs that name recorders (all of them when empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecorderNamesInput {
    pub configuration_recorder_names: Vec<String>,
}

async fn named(config: &Config, ctx: &Context, names: &[String]) -> Result<Vec<Recorder>, ConfigError> {
    let (account, region) = (ctx.account.clone(), ctx.region.clone());
    let all = config.store.read(move |reader| storage::recorders(reader, &account, &region)).await?;
    if names.is_empty() {
        return Ok(all);
    }
    names
        .iter()
        .map(|name| {
            all.iter().find(|r| &r.name == name).cloned().ok_or_else(|| {
                ConfigError::NoSuchRecorder(format!(
                    "Cannot find configuration recorder with the specified name '{name}'."
                ))
            })
        })
        .collect()
}

/// DescribeConfigurationRecorders.
pub struct DescribeConfigurationRecorders;

impl Operation for DescribeConfigurationRecorders {
    const SPEC: Spec = spec("DescribeConfigurationRecorders", Access::Read).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = RecorderNamesInput;
    type Output = Vec<Recorder>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Vec<Recorder>, ConfigError>, ConfigError> {
        Ok(Effect::reply(named(config, ctx, &input.configuration_recorder_names).await?))
    }
}

/// DescribeConfigurationRecorderStatus: the same recorders, read for their status.
pub struct DescribeConfigurationRecorderStatus;

impl Operation for DescribeConfigurationRecorderStatus {
    const SPEC: Spec = spec("DescribeConfigurationRecorderStatus", Access::Read).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = RecorderNamesInput;
    type Output = Vec<Recorder>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Vec<Recorder>, ConfigError>, ConfigError> {
        Ok(Effect::reply(named(config, ctx, &input.configuration_recorder_names).await?))
    }
}

/// Inputs that name one recorder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecorderNameInput {
    pub configuration_recorder_name: String,
}

async fn one(config: &Config, ctx: &Context, name: &str) -> Result<Recorder, ConfigError> {
    Ok(named(config, ctx, &[name.to_owned()]).await?.remove(0))
}

fn put(ctx: &Context, recorder: Recorder) -> RecorderChange {
    RecorderChange::PutRecorder {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        recorder: Box::new(recorder),
    }
}

/// StartConfigurationRecorder: recording starts, and every resource Skywatch knows in the account and region
/// is discovered.
pub struct StartConfigurationRecorder;

impl Operation for StartConfigurationRecorder {
    const SPEC: Spec = spec("StartConfigurationRecorder", Access::Write).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = RecorderNameInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let mut recorder = one(config, ctx, &input.configuration_recorder_name).await?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let channels = config.store.read(move |reader| storage::channels(reader, &account, &region)).await?;
        if channels.is_empty() {
            return Err(ConfigError::NoAvailableChannel(
                "Delivery channel is not available to start configuration recorder.".into(),
            ));
        }
        let was_recording = recorder.status.recording;
        recorder.status = RecorderStatus {
            recording: true,
            last_start_ms: if was_recording { recorder.status.last_start_ms } else { Some(ctx.now_ms) },
            last_status: Some("Success".into()),
            last_status_change_ms: Some(ctx.now_ms),
            ..recorder.status
        };
        let arn = resource(&recorder);
        let mut changes = vec![put(ctx, recorder).mutation()];
        if !was_recording {
            changes.push(
                RecorderChange::Notice(vec![Notice {
                    account: ctx.account.clone(),
                    region: ctx.region.clone(),
                    resource_type: DISCOVER_ALL.into(),
                    arn: String::new(),
                    event_id: String::new(),
                    time_ms: ctx.now_ms,
                }])
                .mutation(),
            );
        }
        let wake = config.clone();
        Ok(Effect::commit((), changes).with_resources(vec![arn]).then(move || wake.wake()))
    }
}

/// StopConfigurationRecorder.
pub struct StopConfigurationRecorder;

impl Operation for StopConfigurationRecorder {
    const SPEC: Spec = spec("StopConfigurationRecorder", Access::Write).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = RecorderNameInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let mut recorder = one(config, ctx, &input.configuration_recorder_name).await?;
        if recorder.status.recording {
            recorder.status.recording = false;
            recorder.status.last_stop_ms = Some(ctx.now_ms);
            recorder.status.last_status_change_ms = Some(ctx.now_ms);
        }
        let arn = resource(&recorder);
        Ok(Effect::commit((), vec![put(ctx, recorder).mutation()]).with_resources(vec![arn]))
    }
}

/// DeleteConfigurationRecorder: the recorder goes; the items it recorded stay.
pub struct DeleteConfigurationRecorder;

impl Operation for DeleteConfigurationRecorder {
    const SPEC: Spec = spec("DeleteConfigurationRecorder", Access::Write).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = RecorderNameInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let recorder = one(config, ctx, &input.configuration_recorder_name).await?;
        let change = RecorderChange::DeleteRecorder {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: recorder.name.clone(),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(&recorder)]))
    }
}
