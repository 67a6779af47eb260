//! Third-party resources and the queries over configuration items on the wire.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use skywatch_core::config::{
    BatchGetResourceConfig, BatchGetResourceConfigInput, BatchGetResourceConfigOutput, ConfigError,
    DeleteResourceConfig, DeleteResourceConfigInput, GetDiscoveredResourceCounts, GetDiscoveredResourceCountsInput,
    GetDiscoveredResourceCountsOutput, GetResourceConfigHistory, GetResourceConfigHistoryInput,
    GetResourceConfigHistoryOutput, ListDiscoveredResources, ListDiscoveredResourcesInput,
    ListDiscoveredResourcesOutput, PutResourceConfig, PutResourceConfigInput, ResourceKey, SelectResourceConfig,
    SelectResourceConfigInput, SelectResourceConfigOutput,
};
use skywatch_core::ops::Context;

use super::items::{base_configuration_item, configuration_item};
use super::{
    bool_opt, i64_opt, list_opt, missing, object_opt, refused, seconds, str_opt, str_required, string_opt, strings,
    time_ms_opt,
};
use crate::errors::ApiError;
use crate::registry::Wire;

impl Wire for PutResourceConfig {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutResourceConfigInput, ApiError> {
        let mut tags = BTreeMap::new();
        if let Some(map) = object_opt(params, "Tags")?.and_then(Value::as_object) {
            for (key, value) in map {
                let value = value.as_str().ok_or_else(|| {
                    refused(ConfigError::Validation(
                        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must be a map of strings".into(),
                    ))
                })?;
                tags.insert(key.clone(), value.to_owned());
            }
        }
        Ok(PutResourceConfigInput {
            resource_type: str_required(params, "ResourceType")?.to_owned(),
            schema_version_id: str_required(params, "SchemaVersionId")?.to_owned(),
            resource_id: str_required(params, "ResourceId")?.to_owned(),
            resource_name: string_opt(params, "ResourceName")?,
            configuration: str_required(params, "Configuration")?.to_owned(),
            tags,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteResourceConfig {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteResourceConfigInput, ApiError> {
        Ok(DeleteResourceConfigInput {
            resource_type: str_required(params, "ResourceType")?.to_owned(),
            resource_id: str_required(params, "ResourceId")?.to_owned(),
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for GetResourceConfigHistory {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetResourceConfigHistoryInput, ApiError> {
        Ok(GetResourceConfigHistoryInput {
            resource_type: str_required(params, "resourceType")?.to_owned(),
            resource_id: str_required(params, "resourceId")?.to_owned(),
            later_time_ms: time_ms_opt(params, "laterTime")?,
            earlier_time_ms: time_ms_opt(params, "earlierTime")?,
            chronological_order: string_opt(params, "chronologicalOrder")?,
            limit: i64_opt(params, "limit")?,
            next_token: string_opt(params, "nextToken")?,
        })
    }

    fn encode(output: GetResourceConfigHistoryOutput) -> Value {
        let mut out = json!({ "configurationItems": output.items.iter().map(configuration_item).collect::<Vec<_>>() });
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}

impl Wire for ListDiscoveredResources {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListDiscoveredResourcesInput, ApiError> {
        Ok(ListDiscoveredResourcesInput {
            resource_type: str_required(params, "resourceType")?.to_owned(),
            resource_ids: strings(params, "resourceIds")?,
            resource_name: string_opt(params, "resourceName")?,
            limit: i64_opt(params, "limit")?,
            include_deleted_resources: bool_opt(params, "includeDeletedResources")?.unwrap_or(false),
            next_token: string_opt(params, "nextToken")?,
        })
    }

    fn encode(output: ListDiscoveredResourcesOutput) -> Value {
        let list: Vec<Value> = output
            .resources
            .iter()
            .map(|r| {
                let mut one = json!({"resourceType": r.resource_type, "resourceId": r.resource_id});
                if let Some(name) = &r.resource_name {
                    one["resourceName"] = json!(name);
                }
                if let Some(ms) = r.deleted_ms {
                    one["resourceDeletionTime"] = seconds(ms);
                }
                one
            })
            .collect();
        let mut out = json!({ "resourceIdentifiers": list });
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}

fn resource_key(value: &Value) -> Result<ResourceKey, ApiError> {
    Ok(ResourceKey {
        resource_type: str_opt(value, "resourceType")?
            .ok_or_else(|| missing("resourceKeys.member.resourceType"))?
            .to_owned(),
        resource_id: str_opt(value, "resourceId")?.ok_or_else(|| missing("resourceKeys.member.resourceId"))?.to_owned(),
    })
}

impl Wire for BatchGetResourceConfig {
    fn decode(_ctx: &Context, params: &Value) -> Result<BatchGetResourceConfigInput, ApiError> {
        if params.get("resourceKeys").is_none_or(Value::is_null) {
            return Err(missing("resourceKeys"));
        }
        let keys = list_opt(params, "resourceKeys")?;
        if keys.len() > skywatch_core::config::MAX_BATCH_KEYS {
            return Err(refused(ConfigError::Validation(format!(
                "1 validation error detected: Value at 'resourceKeys' failed to satisfy constraint: Member must have length less than or equal to {}",
                skywatch_core::config::MAX_BATCH_KEYS
            ))));
        }
        Ok(BatchGetResourceConfigInput { resource_keys: keys.iter().map(resource_key).collect::<Result<_, _>>()? })
    }

    fn encode(output: BatchGetResourceConfigOutput) -> Value {
        json!({
            "baseConfigurationItems": output.items.iter().map(base_configuration_item).collect::<Vec<_>>(),
            "unprocessedResourceKeys": output.unprocessed.iter().map(|k| json!({"resourceType": k.resource_type, "resourceId": k.resource_id})).collect::<Vec<_>>(),
        })
    }
}

impl Wire for GetDiscoveredResourceCounts {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetDiscoveredResourceCountsInput, ApiError> {
        Ok(GetDiscoveredResourceCountsInput {
            resource_types: strings(params, "resourceTypes")?,
            limit: i64_opt(params, "limit")?,
            next_token: string_opt(params, "nextToken")?,
        })
    }

    fn encode(output: GetDiscoveredResourceCountsOutput) -> Value {
        let mut out = json!({
            "totalDiscoveredResources": output.total,
            "resourceCounts": output.counts.iter().map(|(t, n)| json!({"resourceType": t, "count": n})).collect::<Vec<_>>(),
        });
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}

impl Wire for SelectResourceConfig {
    fn decode(_ctx: &Context, params: &Value) -> Result<SelectResourceConfigInput, ApiError> {
        Ok(SelectResourceConfigInput {
            expression: str_required(params, "Expression")?.to_owned(),
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(output: SelectResourceConfigOutput) -> Value {
        let mut out = json!({
            "Results": output.results,
            "QueryInfo": {"SelectFields": output.select_fields.iter().map(|f| json!({"Name": f})).collect::<Vec<_>>()},
        });
        if let Some(token) = output.next_token {
            out["NextToken"] = json!(token);
        }
        out
    }
}
