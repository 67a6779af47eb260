//! The recorder and the delivery channel on the wire.

use serde_json::{Value, json};
use skywatch_core::config::model::{
    DeliveryChannel, DeliveryInfo, Recorder, RecordingGroup, RecordingMode, RecordingModeOverride, Strategy,
};
use skywatch_core::config::{
    ChannelNamesInput, ConfigError, DeleteConfigurationRecorder, DeleteDeliveryChannel, DeleteDeliveryChannelInput,
    DeliverConfigSnapshot, DeliverConfigSnapshotInput, DescribeConfigurationRecorderStatus,
    DescribeConfigurationRecorders, DescribeDeliveryChannelStatus, DescribeDeliveryChannels, PutConfigurationRecorder,
    PutConfigurationRecorderInput, PutDeliveryChannel, PutDeliveryChannelInput, RecorderNameInput, RecorderNamesInput,
    StartConfigurationRecorder, StopConfigurationRecorder,
};
use skywatch_core::ops::Context;

use super::{bool_opt, list_opt, missing, object_opt, refused, seconds, str_required, string_opt, strings, tag_list};
use crate::errors::ApiError;
use crate::registry::Wire;

fn recording_group(group: &Value) -> Result<RecordingGroup, ApiError> {
    let resource_types = strings(group, "resourceTypes")?;
    let exclusions = match object_opt(group, "exclusionByResourceTypes")? {
        Some(exclusion) => strings(exclusion, "resourceTypes")?,
        None => Vec::new(),
    };
    let all_supported = bool_opt(group, "allSupported")?;
    let strategy = match object_opt(group, "recordingStrategy")?.map(|s| string_opt(s, "useOnly")).transpose()?.flatten() {
        Some(text) => Strategy::parse(&text).ok_or_else(|| {
            refused(ConfigError::Validation(format!(
                "1 validation error detected: Value '{text}' at 'configurationRecorder.recordingGroup.recordingStrategy.useOnly' failed to satisfy constraint: Member must satisfy enum value set: [INCLUSION_BY_RESOURCE_TYPES, ALL_SUPPORTED_RESOURCE_TYPES, EXCLUSION_BY_RESOURCE_TYPES]"
            )))
        })?,
        // AWS infers the strategy from the members when it is left out.
        None if !exclusions.is_empty() => Strategy::ExclusionByResourceTypes,
        None if all_supported == Some(false) || !resource_types.is_empty() => Strategy::InclusionByResourceTypes,
        None => Strategy::AllSupportedResourceTypes,
    };
    Ok(RecordingGroup {
        all_supported: all_supported.unwrap_or(strategy == Strategy::AllSupportedResourceTypes),
        include_global_resource_types: bool_opt(group, "includeGlobalResourceTypes")?.unwrap_or(false),
        resource_types,
        exclusions,
        strategy,
    })
}

fn recording_mode(mode: &Value) -> Result<RecordingMode, ApiError> {
    let overrides = list_opt(mode, "recordingModeOverrides")?
        .iter()
        .map(|o| {
            Ok(RecordingModeOverride {
                description: string_opt(o, "description")?,
                resource_types: strings(o, "resourceTypes")?,
                frequency: str_required(o, "recordingFrequency")?.to_owned(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(RecordingMode { frequency: str_required(mode, "recordingFrequency")?.to_owned(), overrides })
}

impl Wire for PutConfigurationRecorder {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutConfigurationRecorderInput, ApiError> {
        let recorder = object_opt(params, "ConfigurationRecorder")?.ok_or_else(|| missing("configurationRecorder"))?;
        Ok(PutConfigurationRecorderInput {
            name: string_opt(recorder, "name")?,
            role_arn: string_opt(recorder, "roleARN")?,
            recording_group: object_opt(recorder, "recordingGroup")?.map(recording_group).transpose()?,
            recording_mode: object_opt(recorder, "recordingMode")?.map(recording_mode).transpose()?,
            tags: tag_list(params, "Tags")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

/// A `ConfigurationRecorder`.
fn recorder_shape(recorder: &Recorder) -> Value {
    let group = &recorder.group;
    let mut out = json!({
        "arn": recorder.arn,
        "name": recorder.name,
        "recordingGroup": {
            "allSupported": group.all_supported,
            "includeGlobalResourceTypes": group.include_global_resource_types,
            "resourceTypes": group.resource_types,
            "exclusionByResourceTypes": {"resourceTypes": group.exclusions},
            "recordingStrategy": {"useOnly": group.strategy.as_str()},
        },
        "recordingMode": match &recorder.mode {
            Some(mode) => json!({
                "recordingFrequency": mode.frequency,
                "recordingModeOverrides": mode.overrides.iter().map(|o| {
                    let mut one = json!({"resourceTypes": o.resource_types, "recordingFrequency": o.frequency});
                    if let Some(description) = &o.description {
                        one["description"] = json!(description);
                    }
                    one
                }).collect::<Vec<_>>(),
            }),
            None => json!({"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": []}),
        },
        "recordingScope": "PAID",
    });
    if let Some(role) = &recorder.role_arn {
        out["roleARN"] = json!(role);
    }
    out
}

fn names(params: &Value) -> Result<RecorderNamesInput, ApiError> {
    Ok(RecorderNamesInput { configuration_recorder_names: strings(params, "ConfigurationRecorderNames")? })
}

impl Wire for DescribeConfigurationRecorders {
    fn decode(_ctx: &Context, params: &Value) -> Result<RecorderNamesInput, ApiError> {
        names(params)
    }

    fn encode(recorders: Vec<Recorder>) -> Value {
        json!({ "ConfigurationRecorders": recorders.iter().map(recorder_shape).collect::<Vec<_>>() })
    }
}

impl Wire for DescribeConfigurationRecorderStatus {
    fn decode(_ctx: &Context, params: &Value) -> Result<RecorderNamesInput, ApiError> {
        names(params)
    }

    fn encode(recorders: Vec<Recorder>) -> Value {
        let list: Vec<Value> = recorders
            .iter()
            .map(|r| {
                let status = &r.status;
                let mut out = json!({"arn": r.arn, "name": r.name, "recording": status.recording});
                if let Some(ms) = status.last_start_ms {
                    out["lastStartTime"] = seconds(ms);
                }
                if let Some(ms) = status.last_stop_ms {
                    out["lastStopTime"] = seconds(ms);
                }
                if let Some(last) = &status.last_status {
                    out["lastStatus"] = json!(last);
                }
                if let Some(ms) = status.last_status_change_ms {
                    out["lastStatusChangeTime"] = seconds(ms);
                }
                out
            })
            .collect();
        json!({ "ConfigurationRecordersStatus": list })
    }
}

fn name(params: &Value) -> Result<RecorderNameInput, ApiError> {
    Ok(RecorderNameInput { configuration_recorder_name: str_required(params, "ConfigurationRecorderName")?.to_owned() })
}

impl Wire for StartConfigurationRecorder {
    fn decode(_ctx: &Context, params: &Value) -> Result<RecorderNameInput, ApiError> {
        name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for StopConfigurationRecorder {
    fn decode(_ctx: &Context, params: &Value) -> Result<RecorderNameInput, ApiError> {
        name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteConfigurationRecorder {
    fn decode(_ctx: &Context, params: &Value) -> Result<RecorderNameInput, ApiError> {
        name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for PutDeliveryChannel {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutDeliveryChannelInput, ApiError> {
        let channel = object_opt(params, "DeliveryChannel")?.ok_or_else(|| missing("deliveryChannel"))?;
        let frequency = match object_opt(channel, "configSnapshotDeliveryProperties")? {
            Some(properties) => string_opt(properties, "deliveryFrequency")?,
            None => None,
        };
        Ok(PutDeliveryChannelInput {
            name: string_opt(channel, "name")?,
            s3_bucket_name: string_opt(channel, "s3BucketName")?,
            s3_key_prefix: string_opt(channel, "s3KeyPrefix")?,
            s3_kms_key_arn: string_opt(channel, "s3KmsKeyArn")?,
            sns_topic_arn: string_opt(channel, "snsTopicARN")?,
            delivery_frequency: frequency,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

fn channel_names(params: &Value) -> Result<ChannelNamesInput, ApiError> {
    Ok(ChannelNamesInput { delivery_channel_names: strings(params, "DeliveryChannelNames")? })
}

impl Wire for DescribeDeliveryChannels {
    fn decode(_ctx: &Context, params: &Value) -> Result<ChannelNamesInput, ApiError> {
        channel_names(params)
    }

    fn encode(channels: Vec<DeliveryChannel>) -> Value {
        let list: Vec<Value> = channels
            .iter()
            .map(|c| {
                let mut out = json!({"name": c.name, "s3BucketName": c.bucket});
                if let Some(prefix) = &c.key_prefix {
                    out["s3KeyPrefix"] = json!(prefix);
                }
                if let Some(key) = &c.kms_key_arn {
                    out["s3KmsKeyArn"] = json!(key);
                }
                if let Some(topic) = &c.topic_arn {
                    out["snsTopicARN"] = json!(topic);
                }
                if let Some(frequency) = &c.snapshot_frequency {
                    out["configSnapshotDeliveryProperties"] = json!({"deliveryFrequency": frequency});
                }
                out
            })
            .collect();
        json!({ "DeliveryChannels": list })
    }
}

fn delivery_info(info: &DeliveryInfo) -> Value {
    let mut out = json!({"lastStatus": info.last_status.as_deref().unwrap_or("Not_Applicable")});
    if let Some((code, message)) = &info.last_error {
        out["lastErrorCode"] = json!(code);
        out["lastErrorMessage"] = json!(message);
    }
    if let Some(ms) = info.last_attempt_ms {
        out["lastAttemptTime"] = seconds(ms);
    }
    if let Some(ms) = info.last_success_ms {
        out["lastSuccessfulTime"] = seconds(ms);
    }
    if let Some(ms) = info.next_ms {
        out["nextDeliveryTime"] = seconds(ms);
    }
    out
}

impl Wire for DescribeDeliveryChannelStatus {
    fn decode(_ctx: &Context, params: &Value) -> Result<ChannelNamesInput, ApiError> {
        channel_names(params)
    }

    fn encode(channels: Vec<DeliveryChannel>) -> Value {
        let list: Vec<Value> = channels
            .iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "configSnapshotDeliveryInfo": delivery_info(&c.status.snapshot),
                    "configHistoryDeliveryInfo": delivery_info(&c.status.history),
                    "configStreamDeliveryInfo": {"lastStatus": "Not_Applicable"},
                })
            })
            .collect();
        json!({ "DeliveryChannelsStatus": list })
    }
}

impl Wire for DeleteDeliveryChannel {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteDeliveryChannelInput, ApiError> {
        Ok(DeleteDeliveryChannelInput {
            delivery_channel_name: str_required(params, "DeliveryChannelName")?.to_owned(),
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeliverConfigSnapshot {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeliverConfigSnapshotInput, ApiError> {
        Ok(DeliverConfigSnapshotInput {
            delivery_channel_name: str_required(params, "deliveryChannelName")?.to_owned(),
        })
    }

    fn encode(id: String) -> Value {
        json!({ "configSnapshotId": id })
    }
}
