//! PutEvents, the bus policy (PutPermission, RemovePermission) and UpdateEventBus in their wire shapes.

use serde_json::{Map, Value, json};
use skywatch_core::events::DeadLetterConfig;
use skywatch_core::events::{
    EntryResult, PermissionCondition, PutEvents, PutEventsEntry, PutEventsInput, PutEventsOutput, PutPermission,
    PutPermissionInput, RemovePermission, RemovePermissionInput, UpdateEventBus, UpdateEventBusInput, UpdatedBus,
};
use skywatch_core::ops::Context;

use super::{dead_letter, owned, put};
use crate::errors::ApiError;
use crate::params::{bool_opt, list_opt, str_opt, str_required, timestamp_ms_opt};
use crate::registry::Wire;

pub(super) fn entry(params: &Value) -> Result<PutEventsEntry, ApiError> {
    let resources = list_opt(params, "Resources")?
        .iter()
        .map(|r| {
            r.as_str()
                .map(str::to_owned)
                .ok_or_else(|| ApiError::Serialization("Resources must be a list of strings".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PutEventsEntry {
        time_ms: timestamp_ms_opt(params, "Time")?,
        source: owned(str_opt(params, "Source")?),
        resources,
        detail_type: owned(str_opt(params, "DetailType")?),
        detail: owned(str_opt(params, "Detail")?),
        event_bus_name: owned(str_opt(params, "EventBusName")?),
        trace_header: owned(str_opt(params, "TraceHeader")?),
    })
}

impl Wire for PutEvents {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutEventsInput, ApiError> {
        Ok(PutEventsInput {
            entries: list_opt(params, "Entries")?.iter().map(entry).collect::<Result<_, _>>()?,
            endpoint_id: owned(str_opt(params, "EndpointId")?),
        })
    }

    fn encode(output: PutEventsOutput) -> Value {
        entries_reply(output)
    }
}

/// PutEvents' and PutPartnerEvents' answer.
pub(super) fn entries_reply(output: PutEventsOutput) -> Value {
    let failed = output.failed_count();
    let entries: Vec<Value> = output
        .entries
        .into_iter()
        .map(|e| match e {
            EntryResult::Accepted { event_id } => json!({ "EventId": event_id }),
            EntryResult::Failed { code, message } => json!({ "ErrorCode": code, "ErrorMessage": message }),
        })
        .collect();
    json!({ "FailedEntryCount": failed, "Entries": entries })
}

impl Wire for PutPermission {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutPermissionInput, ApiError> {
        let condition = match params.get("Condition") {
            None | Some(Value::Null) => None,
            Some(c) => Some(PermissionCondition {
                kind: str_required(c, "Type")?.to_owned(),
                key: str_required(c, "Key")?.to_owned(),
                value: str_required(c, "Value")?.to_owned(),
            }),
        };
        Ok(PutPermissionInput {
            event_bus_name: owned(str_opt(params, "EventBusName")?),
            action: owned(str_opt(params, "Action")?),
            principal: owned(str_opt(params, "Principal")?),
            statement_id: owned(str_opt(params, "StatementId")?),
            condition,
            policy: owned(str_opt(params, "Policy")?),
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for RemovePermission {
    fn decode(_ctx: &Context, params: &Value) -> Result<RemovePermissionInput, ApiError> {
        Ok(RemovePermissionInput {
            statement_id: owned(str_opt(params, "StatementId")?),
            remove_all_permissions: bool_opt(params, "RemoveAllPermissions")?,
            event_bus_name: owned(str_opt(params, "EventBusName")?),
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for UpdateEventBus {
    fn decode(_ctx: &Context, params: &Value) -> Result<UpdateEventBusInput, ApiError> {
        let dead_letter_config = match params.get("DeadLetterConfig") {
            None | Some(Value::Null) => None,
            Some(config) => Some(DeadLetterConfig { arn: owned(str_opt(config, "Arn")?) }),
        };
        Ok(UpdateEventBusInput {
            name: owned(str_opt(params, "Name")?),
            kms_key_identifier: owned(str_opt(params, "KmsKeyIdentifier")?),
            description: owned(str_opt(params, "Description")?),
            dead_letter_config,
        })
    }

    fn encode(updated: UpdatedBus) -> Value {
        let mut out = Map::new();
        out.insert("Arn".into(), json!(updated.arn));
        out.insert("Name".into(), json!(updated.name));
        put(&mut out, "KmsKeyIdentifier", updated.kms_key_identifier);
        put(&mut out, "Description", updated.description);
        put(&mut out, "DeadLetterConfig", dead_letter(updated.dead_letter_config));
        Value::Object(out)
    }
}
