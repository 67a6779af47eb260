//! Log groups and their tags on the wire.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use skywatch_core::logs::ops::{
    AssociateKmsKey, CreateLogGroup, CreateLogGroupInput, DeleteLogGroup, DeleteRetentionPolicy, DescribeLogGroups,
    DescribeLogGroupsInput, DescribeLogGroupsOutput, DisassociateKmsKey, GroupNameInput, GroupRow, KmsKeyInput,
    ListTagsForResource, ListTagsLogGroup, PutRetentionPolicy, PutRetentionPolicyInput, ResourceArnInput, TagLogGroup,
    TagLogGroupInput, TagResource, TagResourceInput, UntagLogGroup, UntagLogGroupInput, UntagResource,
    UntagResourceInput,
};
use skywatch_core::ops::Context;

use super::{bool_opt, i64_opt, missing, string_map, string_opt, string_required, strings};
use crate::errors::ApiError;
use crate::registry::Wire;

impl Wire for CreateLogGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<CreateLogGroupInput, ApiError> {
        Ok(CreateLogGroupInput {
            log_group_name: string_required(params, "logGroupName")?,
            kms_key_id: string_opt(params, "kmsKeyId")?,
            tags: string_map(params, "tags")?,
            log_group_class: string_opt(params, "logGroupClass")?,
            deletion_protection_enabled: bool_opt(params, "deletionProtectionEnabled")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

fn group_name(params: &Value) -> Result<GroupNameInput, ApiError> {
    Ok(GroupNameInput { log_group_name: string_required(params, "logGroupName")? })
}

impl Wire for DeleteLogGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<GroupNameInput, ApiError> {
        group_name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

/// A `LogGroup`.
pub(super) fn group_shape(row: &GroupRow) -> Value {
    let group = &row.group;
    let mut out = Map::new();
    out.insert("logGroupName".into(), json!(group.name));
    out.insert("creationTime".into(), json!(group.created_ms));
    if let Some(days) = group.retention_days {
        out.insert("retentionInDays".into(), json!(days));
    }
    out.insert("metricFilterCount".into(), json!(row.metric_filter_count));
    out.insert("arn".into(), json!(row.arn));
    out.insert("storedBytes".into(), json!(group.stored_bytes));
    if let Some(key) = &group.kms_key_id {
        out.insert("kmsKeyId".into(), json!(key));
    }
    out.insert("logGroupClass".into(), json!(group.class.as_str()));
    out.insert("logGroupArn".into(), json!(row.log_group_arn));
    out.insert("deletionProtectionEnabled".into(), json!(group.deletion_protection));
    Value::Object(out)
}

impl Wire for DescribeLogGroups {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeLogGroupsInput, ApiError> {
        Ok(DescribeLogGroupsInput {
            log_group_name_prefix: string_opt(params, "logGroupNamePrefix")?,
            log_group_name_pattern: string_opt(params, "logGroupNamePattern")?,
            log_group_class: string_opt(params, "logGroupClass")?,
            log_group_identifiers: strings(params, "logGroupIdentifiers")?,
            limit: i64_opt(params, "limit")?,
            next_token: string_opt(params, "nextToken")?,
        })
    }

    fn encode(output: DescribeLogGroupsOutput) -> Value {
        let mut out = json!({"logGroups": output.groups.iter().map(group_shape).collect::<Vec<_>>()});
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}

impl Wire for PutRetentionPolicy {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutRetentionPolicyInput, ApiError> {
        Ok(PutRetentionPolicyInput {
            log_group_name: string_required(params, "logGroupName")?,
            retention_in_days: i64_opt(params, "retentionInDays")?.ok_or_else(|| missing("retentionInDays"))?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteRetentionPolicy {
    fn decode(_ctx: &Context, params: &Value) -> Result<GroupNameInput, ApiError> {
        group_name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

fn kms_input(params: &Value) -> Result<KmsKeyInput, ApiError> {
    Ok(KmsKeyInput {
        log_group_name: string_opt(params, "logGroupName")?,
        resource_identifier: string_opt(params, "resourceIdentifier")?,
        kms_key_id: string_opt(params, "kmsKeyId")?,
    })
}

impl Wire for AssociateKmsKey {
    fn decode(_ctx: &Context, params: &Value) -> Result<KmsKeyInput, ApiError> {
        kms_input(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DisassociateKmsKey {
    fn decode(_ctx: &Context, params: &Value) -> Result<KmsKeyInput, ApiError> {
        kms_input(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for TagResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<TagResourceInput, ApiError> {
        Ok(TagResourceInput {
            resource_arn: string_required(params, "resourceArn")?,
            tags: string_map(params, "tags")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for UntagResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<UntagResourceInput, ApiError> {
        Ok(UntagResourceInput {
            resource_arn: string_required(params, "resourceArn")?,
            tag_keys: strings(params, "tagKeys")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for ListTagsForResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<ResourceArnInput, ApiError> {
        Ok(ResourceArnInput { resource_arn: string_required(params, "resourceArn")? })
    }

    fn encode(tags: BTreeMap<String, String>) -> Value {
        json!({ "tags": tags })
    }
}

impl Wire for TagLogGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<TagLogGroupInput, ApiError> {
        Ok(TagLogGroupInput {
            log_group_name: string_required(params, "logGroupName")?,
            tags: string_map(params, "tags")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for UntagLogGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<UntagLogGroupInput, ApiError> {
        Ok(UntagLogGroupInput {
            log_group_name: string_required(params, "logGroupName")?,
            tags: strings(params, "tags")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for ListTagsLogGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<GroupNameInput, ApiError> {
        group_name(params)
    }

    fn encode(tags: BTreeMap<String, String>) -> Value {
        json!({ "tags": tags })
    }
}
