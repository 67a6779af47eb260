//! The delivery channel: PutDeliveryChannel (one an account and region, after a recorder exists; its bucket is a
//! directory Skywatch writes under its data dir), DescribeDeliveryChannels, DescribeDeliveryChannelStatus and
//! DeleteDeliveryChannel (refused while the recorder runs).

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, EventResource, Limit, Operation, Spec};

use super::spec;
use crate::engine::Config;
use crate::error::{ConfigError, constraint};
use crate::model::{ChannelStatus, DeliveryChannel};
use crate::storage::{self, RecorderChange};

/// The name a channel gets when none is given.
pub const DEFAULT_NAME: &str = "default";
/// Delivery channels an account and region may have.
pub const MAX_CHANNELS: usize = 1;
/// `deliveryFrequency` values.
pub const FREQUENCIES: [&str; 5] = ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"];

/// Milliseconds between snapshot deliveries for a `deliveryFrequency`.
pub fn frequency_ms(frequency: &str) -> Option<i64> {
    let hours = match frequency {
        "One_Hour" => 1,
        "Three_Hours" => 3,
        "Six_Hours" => 6,
        "Twelve_Hours" => 12,
        "TwentyFour_Hours" => 24,
        _ => return None,
    };
    Some(hours * 3_600_000)
}

/// The bounds of the calls that name channels.
const NAME_LIMITS: &[Limit] = &[Limit::aws("delivery channel name characters", 256)];

/// Whether `name` is a valid S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens, starting and
/// ending with a letter or digit); Skywatch makes the bucket's directory itself.
pub fn valid_bucket(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && !name.contains("..")
}

fn resource(ctx: &Context, name: &str) -> EventResource {
    EventResource {
        resource_type: "AWS::Config::DeliveryChannel".into(),
        arn: format!(
            "arn:{}:config:{}:{}:delivery-channel/{name}",
            skywatch_model::partition(&ctx.region),
            ctx.region,
            ctx.account
        ),
    }
}

/// PutDeliveryChannel's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutDeliveryChannelInput {
    pub name: Option<String>,
    pub s3_bucket_name: Option<String>,
    pub s3_key_prefix: Option<String>,
    pub s3_kms_key_arn: Option<String>,
    pub sns_topic_arn: Option<String>,
    pub delivery_frequency: Option<String>,
}

/// PutDeliveryChannel.
pub struct PutDeliveryChannel;

impl Operation for PutDeliveryChannel {
    const SPEC: Spec = spec("PutDeliveryChannel", Access::Write)
        .with_limits(&[Limit::aws("delivery channels an account and region", MAX_CHANNELS as u64)]);
    type Engine = Config;
    type Input = PutDeliveryChannelInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let name = input.name.clone().unwrap_or_else(|| DEFAULT_NAME.to_owned());
        if name.is_empty() || name.chars().count() > 256 {
            return Err(ConfigError::InvalidChannelName(format!("The delivery channel name '{name}' is not valid.")));
        }
        let bucket = input.s3_bucket_name.clone().unwrap_or_default();
        if bucket.is_empty() {
            return Err(ConfigError::NoSuchBucket("Cannot find a S3 bucket with an empty bucket name.".into()));
        }
        if !valid_bucket(&bucket) {
            return Err(ConfigError::NoSuchBucket(format!("The specified bucket does not exist: {bucket}")));
        }
        if let Some(prefix) = &input.s3_key_prefix
            && (prefix.starts_with('/') || prefix.contains("AWSLogs") || prefix.contains("..") || prefix.len() > 1024)
        {
            return Err(ConfigError::Validation(format!("The s3 key prefix '{prefix}' is not valid.")));
        }
        if let Some(topic) = &input.sns_topic_arn
            && !(topic.starts_with("arn:") && topic.split(':').count() == 6)
        {
            return Err(ConfigError::InvalidTopicArn(format!("The sns topic arn '{topic}' is not valid.")));
        }
        if let Some(frequency) = &input.delivery_frequency
            && !FREQUENCIES.contains(&frequency.as_str())
        {
            return Err(constraint(
                frequency,
                "deliveryChannel.configSnapshotDeliveryProperties.deliveryFrequency",
                "Member must satisfy enum value set: [One_Hour, TwentyFour_Hours, Six_Hours, Three_Hours, Twelve_Hours]",
            ));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (recorders, channels) = config
            .store
            .read(move |reader| {
                Ok((storage::recorders(reader, &account, &region)?, storage::channels(reader, &account, &region)?))
            })
            .await?;
        if recorders.is_empty() {
            return Err(ConfigError::NoAvailableRecorder(
                "Configuration recorder is not available to put delivery channel.".into(),
            ));
        }
        let previous = channels.iter().find(|c| c.name == name);
        if previous.is_none() && channels.len() >= MAX_CHANNELS {
            return Err(ConfigError::MaxChannels(format!(
                "Failed to put delivery channel '{name}' because the maximum number of delivery channels: {MAX_CHANNELS} is reached."
            )));
        }
        let channel = DeliveryChannel {
            name: name.clone(),
            bucket,
            key_prefix: input.s3_key_prefix,
            kms_key_arn: input.s3_kms_key_arn,
            topic_arn: input.sns_topic_arn,
            snapshot_frequency: input.delivery_frequency,
            status: previous.map(|p| p.status.clone()).unwrap_or_else(ChannelStatus::default),
        };
        let change = RecorderChange::PutChannel {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            channel: Box::new(channel),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(ctx, &name)]))
    }
}

/// Inputs that name delivery channels (all of them when empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelNamesInput {
    pub delivery_channel_names: Vec<String>,
}

async fn named(config: &Config, ctx: &Context, names: &[String]) -> Result<Vec<DeliveryChannel>, ConfigError> {
    let (account, region) = (ctx.account.clone(), ctx.region.clone());
    let all = config.store.read(move |reader| storage::channels(reader, &account, &region)).await?;
    if names.is_empty() {
        return Ok(all);
    }
    names
        .iter()
        .map(|name| {
            all.iter().find(|c| &c.name == name).cloned().ok_or_else(|| {
                ConfigError::NoSuchChannel(format!("Cannot find delivery channel with specified name '{name}'."))
            })
        })
        .collect()
}

/// DescribeDeliveryChannels.
pub struct DescribeDeliveryChannels;

impl Operation for DescribeDeliveryChannels {
    const SPEC: Spec = spec("DescribeDeliveryChannels", Access::Read).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = ChannelNamesInput;
    type Output = Vec<DeliveryChannel>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Vec<DeliveryChannel>, ConfigError>, ConfigError> {
        Ok(Effect::reply(named(config, ctx, &input.delivery_channel_names).await?))
    }
}

/// DescribeDeliveryChannelStatus.
pub struct DescribeDeliveryChannelStatus;

impl Operation for DescribeDeliveryChannelStatus {
    const SPEC: Spec = spec("DescribeDeliveryChannelStatus", Access::Read).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = ChannelNamesInput;
    type Output = Vec<DeliveryChannel>;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Vec<DeliveryChannel>, ConfigError>, ConfigError> {
        Ok(Effect::reply(named(config, ctx, &input.delivery_channel_names).await?))
    }
}

/// DeleteDeliveryChannel's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteDeliveryChannelInput {
    pub delivery_channel_name: String,
}

/// DeleteDeliveryChannel: refused while the recorder is recording, as in AWS.
pub struct DeleteDeliveryChannel;

impl Operation for DeleteDeliveryChannel {
    const SPEC: Spec = spec("DeleteDeliveryChannel", Access::Write).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = DeleteDeliveryChannelInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        let name = input.delivery_channel_name;
        named(config, ctx, std::slice::from_ref(&name)).await?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let recorders = config.store.read(move |reader| storage::recorders(reader, &account, &region)).await?;
        if recorders.iter().any(|r| r.status.recording) {
            return Err(ConfigError::LastChannelDeleteFailed(format!(
                "Failed to delete last specified delivery channel with name '{name}', because there, because there is a running configuration recorder."
            )));
        }
        let change = RecorderChange::DeleteChannel {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: name.clone(),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(ctx, &name)]))
    }
}

/// DeliverConfigSnapshot's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliverConfigSnapshotInput {
    pub delivery_channel_name: String,
}

/// DeliverConfigSnapshot: a snapshot of every resource's current item is written by the next delivery pass; the
/// reply names its id.
pub struct DeliverConfigSnapshot;

impl Operation for DeliverConfigSnapshot {
    const SPEC: Spec = spec("DeliverConfigSnapshot", Access::Write).with_limits(NAME_LIMITS);
    type Engine = Config;
    type Input = DeliverConfigSnapshotInput;
    type Output = String;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<String, ConfigError>, ConfigError> {
        let name = input.delivery_channel_name;
        let mut channel = named(config, ctx, std::slice::from_ref(&name)).await?.remove(0);
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let recorders = config.store.read(move |reader| storage::recorders(reader, &account, &region)).await?;
        if recorders.is_empty() {
            return Err(ConfigError::NoAvailableRecorder(
                "Configuration recorder is not available to deliver a snapshot.".into(),
            ));
        }
        if !recorders.iter().any(|r| r.status.recording) {
            return Err(ConfigError::NoRunningRecorder("There are no running configuration recorders.".into()));
        }
        let id = channel.status.requested_snapshot.clone().unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        channel.status.requested_snapshot = Some(id.clone());
        let change = RecorderChange::ChannelStatus {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: name.clone(),
            status: Box::new(channel.status),
        };
        let wake = config.clone();
        Ok(Effect::commit(id, vec![change.mutation()])
            .with_resources(vec![resource(ctx, &name)])
            .then(move || wake.wake()))
    }
}
