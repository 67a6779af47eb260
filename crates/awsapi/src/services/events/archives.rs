//! Archives and replays in their wire shapes (ListArchives and ListReplays leave out the ARN, the description and
//! the pattern or destination, as AWS does).

use serde_json::{Map, Value, json};
use skywatch_core::events::{
    ArchiveDescription, ArchiveNameInput, ArchivePage, ArchiveState, CancelReplay, CreateArchive, CreateArchiveInput,
    DeleteArchive, DescribeArchive, DescribeReplay, ListArchives, ListArchivesInput, ListReplays, ListReplaysInput,
    ReplayDescription, ReplayNameInput, ReplayPage, ReplayStarted, StartReplay, StartReplayInput, UpdateArchive,
    UpdateArchiveInput,
};
use skywatch_core::ops::Context;

use super::{owned, put, seconds};
use crate::errors::ApiError;
use crate::params::{i64_opt, list_opt, str_opt, str_required, timestamp_ms_required};
use crate::registry::Wire;

fn archive_state(state: ArchiveState) -> Value {
    json!({ "ArchiveArn": state.arn, "State": state.state, "CreationTime": seconds(state.created_ms) })
}

impl Wire for CreateArchive {
    fn decode(_ctx: &Context, params: &Value) -> Result<CreateArchiveInput, ApiError> {
        Ok(CreateArchiveInput {
            archive_name: str_required(params, "ArchiveName")?.to_owned(),
            event_source_arn: str_required(params, "EventSourceArn")?.to_owned(),
            description: owned(str_opt(params, "Description")?),
            event_pattern: owned(str_opt(params, "EventPattern")?),
            retention_days: i64_opt(params, "RetentionDays")?,
            kms_key_identifier: owned(str_opt(params, "KmsKeyIdentifier")?),
        })
    }

    fn encode(state: ArchiveState) -> Value {
        archive_state(state)
    }
}

/// An archive's members; the ARN, description and pattern only when `whole`.
fn archive(described: ArchiveDescription, whole: bool) -> Value {
    let a = described.archive;
    let mut out = Map::new();
    if whole {
        out.insert("ArchiveArn".into(), json!(described.arn));
    }
    out.insert("ArchiveName".into(), json!(a.name));
    out.insert("EventSourceArn".into(), json!(described.event_source_arn));
    if whole {
        put(&mut out, "Description", a.description);
        put(&mut out, "EventPattern", a.event_pattern);
        put(&mut out, "KmsKeyIdentifier", a.kms_key_identifier);
    }
    out.insert("State".into(), json!("ENABLED"));
    out.insert("RetentionDays".into(), json!(a.retention_days));
    out.insert("SizeBytes".into(), json!(a.size_bytes));
    out.insert("EventCount".into(), json!(a.event_count));
    out.insert("CreationTime".into(), seconds(a.created_ms));
    Value::Object(out)
}

fn archive_name(params: &Value) -> Result<ArchiveNameInput, ApiError> {
    Ok(ArchiveNameInput { archive_name: str_required(params, "ArchiveName")?.to_owned() })
}

impl Wire for DescribeArchive {
    fn decode(_ctx: &Context, params: &Value) -> Result<ArchiveNameInput, ApiError> {
        archive_name(params)
    }

    fn encode(described: ArchiveDescription) -> Value {
        archive(described, true)
    }
}

impl Wire for ListArchives {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListArchivesInput, ApiError> {
        Ok(ListArchivesInput {
            name_prefix: owned(str_opt(params, "NamePrefix")?),
            event_source_arn: owned(str_opt(params, "EventSourceArn")?),
            state: owned(str_opt(params, "State")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: ArchivePage) -> Value {
        let mut out = Map::new();
        out.insert("Archives".into(), Value::Array(page.archives.into_iter().map(|a| archive(a, false)).collect()));
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

impl Wire for UpdateArchive {
    fn decode(_ctx: &Context, params: &Value) -> Result<UpdateArchiveInput, ApiError> {
        Ok(UpdateArchiveInput {
            archive_name: str_required(params, "ArchiveName")?.to_owned(),
            description: owned(str_opt(params, "Description")?),
            event_pattern: owned(str_opt(params, "EventPattern")?),
            retention_days: i64_opt(params, "RetentionDays")?,
            kms_key_identifier: owned(str_opt(params, "KmsKeyIdentifier")?),
        })
    }

    fn encode(state: ArchiveState) -> Value {
        archive_state(state)
    }
}

impl Wire for DeleteArchive {
    fn decode(_ctx: &Context, params: &Value) -> Result<ArchiveNameInput, ApiError> {
        archive_name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for StartReplay {
    fn decode(_ctx: &Context, params: &Value) -> Result<StartReplayInput, ApiError> {
        let destination = params
            .get("Destination")
            .filter(|d| d.is_object())
            .ok_or_else(|| ApiError::Serialization("The parameter Destination must be a structure.".into()))?;
        let filter_arns = list_opt(destination, "FilterArns")?
            .iter()
            .map(|a| {
                a.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ApiError::Serialization("FilterArns must be strings".into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StartReplayInput {
            replay_name: str_required(params, "ReplayName")?.to_owned(),
            description: owned(str_opt(params, "Description")?),
            event_source_arn: str_required(params, "EventSourceArn")?.to_owned(),
            event_start_ms: timestamp_ms_required(params, "EventStartTime")?,
            event_end_ms: timestamp_ms_required(params, "EventEndTime")?,
            destination_arn: str_required(destination, "Arn")?.to_owned(),
            filter_arns,
        })
    }

    fn encode(started: ReplayStarted) -> Value {
        let mut out = Map::new();
        out.insert("ReplayArn".into(), json!(started.arn));
        out.insert("State".into(), json!(started.state.as_str()));
        put(&mut out, "ReplayStartTime", started.started_ms.map(seconds));
        Value::Object(out)
    }
}

/// A replay's members; the ARN, description and destination only when `whole`.
fn replay(described: ReplayDescription, whole: bool) -> Value {
    let r = described.replay;
    let mut out = Map::new();
    out.insert("ReplayName".into(), json!(r.name));
    if whole {
        out.insert("ReplayArn".into(), json!(described.arn));
        put(&mut out, "Description", r.description);
        let mut destination = Map::new();
        destination.insert("Arn".into(), json!(r.bus_arn));
        if !r.filter_arns.is_empty() {
            destination.insert("FilterArns".into(), json!(r.filter_arns));
        }
        out.insert("Destination".into(), Value::Object(destination));
    }
    out.insert("EventSourceArn".into(), json!(r.archive_arn));
    out.insert("State".into(), json!(r.state.as_str()));
    out.insert("EventStartTime".into(), seconds(r.event_start_ms));
    out.insert("EventEndTime".into(), seconds(r.event_end_ms));
    put(&mut out, "EventLastReplayedTime", r.last_replayed_ms.map(seconds));
    out.insert("ReplayStartTime".into(), seconds(r.started_ms));
    put(&mut out, "ReplayEndTime", r.ended_ms.map(seconds));
    Value::Object(out)
}

fn replay_name(params: &Value) -> Result<ReplayNameInput, ApiError> {
    Ok(ReplayNameInput { replay_name: str_required(params, "ReplayName")?.to_owned() })
}

impl Wire for DescribeReplay {
    fn decode(_ctx: &Context, params: &Value) -> Result<ReplayNameInput, ApiError> {
        replay_name(params)
    }

    fn encode(described: ReplayDescription) -> Value {
        replay(described, true)
    }
}

impl Wire for ListReplays {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListReplaysInput, ApiError> {
        Ok(ListReplaysInput {
            name_prefix: owned(str_opt(params, "NamePrefix")?),
            state: owned(str_opt(params, "State")?),
            event_source_arn: owned(str_opt(params, "EventSourceArn")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: ReplayPage) -> Value {
        let mut out = Map::new();
        out.insert("Replays".into(), Value::Array(page.replays.into_iter().map(|r| replay(r, false)).collect()));
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

impl Wire for CancelReplay {
    fn decode(_ctx: &Context, params: &Value) -> Result<ReplayNameInput, ApiError> {
        replay_name(params)
    }

    fn encode(started: ReplayStarted) -> Value {
        json!({ "ReplayArn": started.arn, "State": started.state.as_str() })
    }
}
