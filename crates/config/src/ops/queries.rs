//! Reading configuration items: GetResourceConfigHistory (a time range, either order, pages of up to 100),
//! ListDiscoveredResources, BatchGetResourceConfig and GetDiscoveredResourceCounts.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::spec;
use crate::engine::Config;
use crate::error::{ConfigError, constraint, missing};
use crate::model::Item;
use crate::storage::{self, Resource};

/// Items a page of GetResourceConfigHistory when no limit is given, and at most.
pub const HISTORY_PAGE: usize = 10;
pub const MAX_HISTORY_PAGE: usize = 100;
/// Resources a page of ListDiscoveredResources.
pub const LIST_PAGE: usize = 100;
/// Resource ids one ListDiscoveredResources call may name.
pub const MAX_LISTED_IDS: usize = 20;
/// Keys one BatchGetResourceConfig call may name.
pub const MAX_BATCH_KEYS: usize = 100;
/// Resource types one GetDiscoveredResourceCounts call may name.
pub const MAX_COUNTED_TYPES: usize = 20;

fn page_limit(limit: Option<i64>, default: usize, max: usize) -> Result<usize, ConfigError> {
    match limit {
        None | Some(0) => Ok(default),
        Some(n) if n < 0 => {
            Err(constraint(&n.to_string(), "limit", "Member must have value greater than or equal to 0"))
        }
        Some(n) if n as usize > max => {
            Err(constraint(&n.to_string(), "limit", &format!("Member must have value less than or equal to {max}")))
        }
        Some(n) => Ok(n as usize),
    }
}

async fn has_recorder(config: &Config, ctx: &Context) -> Result<(), ConfigError> {
    let (account, region) = (ctx.account.clone(), ctx.region.clone());
    if config.store.read(move |reader| storage::recorders(reader, &account, &region)).await?.is_empty() {
        return Err(ConfigError::NoAvailableRecorder(
            "Configuration recorder is not available to provide the requested information.".into(),
        ));
    }
    Ok(())
}

/// GetResourceConfigHistory's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetResourceConfigHistoryInput {
    pub resource_type: String,
    pub resource_id: String,
    pub later_time_ms: Option<i64>,
    pub earlier_time_ms: Option<i64>,
    /// `Reverse` (newest first, the default) or `Forward`.
    pub chronological_order: Option<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// A page of a resource's history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetResourceConfigHistoryOutput {
    pub items: Vec<Item>,
    pub next_token: Option<String>,
}

const HISTORY_TOKEN: &str = "config-history";

/// GetResourceConfigHistory.
pub struct GetResourceConfigHistory;

impl Operation for GetResourceConfigHistory {
    const SPEC: Spec = spec("GetResourceConfigHistory", Access::Read)
        .with_limits(&[Limit::aws("configuration items a page", MAX_HISTORY_PAGE as u64)]);
    type Engine = Config;
    type Input = GetResourceConfigHistoryInput;
    type Output = GetResourceConfigHistoryOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.resource_type.is_empty() {
            return Err(missing("resourceType"));
        }
        if input.resource_id.is_empty() {
            return Err(missing("resourceId"));
        }
        let limit = page_limit(input.limit, HISTORY_PAGE, MAX_HISTORY_PAGE)?;
        let reverse = match input.chronological_order.as_deref() {
            None | Some("Reverse") => true,
            Some("Forward") => false,
            Some(other) => {
                return Err(constraint(
                    other,
                    "chronologicalOrder",
                    "Member must satisfy enum value set: [Reverse, Forward]",
                ));
            }
        };
        let later = input.later_time_ms.unwrap_or(ctx.now_ms);
        let earlier = input.earlier_time_ms.unwrap_or(i64::MIN);
        if earlier > later {
            return Err(ConfigError::InvalidTimeRange("The earlier time must be before the later time.".into()));
        }
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(HISTORY_TOKEN, t)
                    .and_then(|cursor| cursor.parse::<i64>().ok())
                    .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
            ),
        };
        has_recorder(config, ctx).await?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (resource_type, id) = (input.resource_type.clone(), input.resource_id.clone());
        let (known, mut items) = config
            .store
            .read(move |reader| {
                let scope = (account.as_str(), region.as_str());
                let known = storage::resource(reader, scope.0, scope.1, &resource_type, &id)?.is_some();
                let items = if known {
                    storage::history(reader, scope, &resource_type, &id, (earlier, later), reverse, after, limit + 1)?
                } else {
                    Vec::new()
                };
                Ok((known, items))
            })
            .await?;
        if !known {
            return Err(ConfigError::ResourceNotDiscovered(format!(
                "Resource {} of resourceType:{} is unknown or has not been discovered",
                input.resource_id, input.resource_type
            )));
        }
        let more = items.len() > limit;
        items.truncate(limit);
        let next_token =
            if more { items.last().map(|i| token::encode(HISTORY_TOKEN, &i.capture_ms.to_string())) } else { None };
        Ok(Effect::reply(GetResourceConfigHistoryOutput { items, next_token }))
    }
}

/// ListDiscoveredResources' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDiscoveredResourcesInput {
    pub resource_type: String,
    pub resource_ids: Vec<String>,
    pub resource_name: Option<String>,
    pub limit: Option<i64>,
    pub include_deleted_resources: bool,
    pub next_token: Option<String>,
}

/// A page of resources.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListDiscoveredResourcesOutput {
    pub resources: Vec<Resource>,
    pub next_token: Option<String>,
}

const LIST_TOKEN: &str = "config-resources";

/// ListDiscoveredResources.
pub struct ListDiscoveredResources;

impl Operation for ListDiscoveredResources {
    const SPEC: Spec = spec("ListDiscoveredResources", Access::Read).with_limits(&[
        Limit::aws("resources a page", LIST_PAGE as u64),
        Limit::aws("resource ids a call", MAX_LISTED_IDS as u64),
    ]);
    type Engine = Config;
    type Input = ListDiscoveredResourcesInput;
    type Output = ListDiscoveredResourcesOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.resource_type.is_empty() {
            return Err(missing("resourceType"));
        }
        let limit = page_limit(input.limit, LIST_PAGE, LIST_PAGE)?;
        if input.resource_ids.len() > MAX_LISTED_IDS {
            return Err(constraint(
                "[...]",
                "resourceIds",
                &format!("Member must have length less than or equal to {MAX_LISTED_IDS}"),
            ));
        }
        if !input.resource_ids.is_empty() && input.resource_name.is_some() {
            return Err(ConfigError::Validation(
                "You cannot specify both resource IDs and a resource name in the same request.".into(),
            ));
        }
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(LIST_TOKEN, t)
                    .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
            ),
        };
        has_recorder(config, ctx).await?;
        let (account, region, resource_type) = (ctx.account.clone(), ctx.region.clone(), input.resource_type.clone());
        let (ids, name, deleted) = (input.resource_ids, input.resource_name, input.include_deleted_resources);
        let mut resources = config
            .store
            .read(move |reader| {
                let after = after.as_deref().map(|id| (resource_type.as_str(), id));
                storage::resources(reader, (&account, &region), Some(&resource_type), after, limit + 1, |r| {
                    (deleted || r.deleted_ms.is_none())
                        && (ids.is_empty() || ids.contains(&r.resource_id))
                        && name.as_ref().is_none_or(|n| r.resource_name.as_ref() == Some(n))
                })
            })
            .await?;
        let more = resources.len() > limit;
        resources.truncate(limit);
        let next_token = if more { resources.last().map(|r| token::encode(LIST_TOKEN, &r.resource_id)) } else { None };
        Ok(Effect::reply(ListDiscoveredResourcesOutput { resources, next_token }))
    }
}

/// One resource named by type and id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceKey {
    pub resource_type: String,
    pub resource_id: String,
}

/// BatchGetResourceConfig's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchGetResourceConfigInput {
    pub resource_keys: Vec<ResourceKey>,
}

/// The newest items of the resources that exist.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchGetResourceConfigOutput {
    pub items: Vec<Item>,
    pub unprocessed: Vec<ResourceKey>,
}

/// BatchGetResourceConfig: deleted and unknown resources are left out, as in AWS.
pub struct BatchGetResourceConfig;

impl Operation for BatchGetResourceConfig {
    const SPEC: Spec = spec("BatchGetResourceConfig", Access::Read)
        .with_limits(&[Limit::aws("resource keys a call", MAX_BATCH_KEYS as u64)]);
    type Engine = Config;
    type Input = BatchGetResourceConfigInput;
    type Output = BatchGetResourceConfigOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.resource_keys.is_empty() || input.resource_keys.len() > MAX_BATCH_KEYS {
            return Err(constraint(
                "[...]",
                "resourceKeys",
                &format!(
                    "Member must have length less than or equal to {MAX_BATCH_KEYS} and greater than or equal to 1"
                ),
            ));
        }
        has_recorder(config, ctx).await?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let keys = input.resource_keys;
        let items = config
            .store
            .read(move |reader| {
                let mut items = Vec::new();
                for key in &keys {
                    if let Some(item) =
                        storage::latest(reader, (&account, &region), &key.resource_type, &key.resource_id)?
                        && !item.status.is_deleted()
                    {
                        items.push(item);
                    }
                }
                Ok(items)
            })
            .await?;
        Ok(Effect::reply(BatchGetResourceConfigOutput { items, unprocessed: Vec::new() }))
    }
}

/// GetDiscoveredResourceCounts' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDiscoveredResourceCountsInput {
    pub resource_types: Vec<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// Counts by resource type, most numerous first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetDiscoveredResourceCountsOutput {
    pub total: u64,
    pub counts: Vec<(String, u64)>,
    pub next_token: Option<String>,
}

const COUNTS_TOKEN: &str = "config-counts";

/// GetDiscoveredResourceCounts.
pub struct GetDiscoveredResourceCounts;

impl Operation for GetDiscoveredResourceCounts {
    const SPEC: Spec = spec("GetDiscoveredResourceCounts", Access::Read).with_limits(&[
        Limit::aws("resource types a call", MAX_COUNTED_TYPES as u64),
        Limit::aws("counts a page", LIST_PAGE as u64),
    ]);
    type Engine = Config;
    type Input = GetDiscoveredResourceCountsInput;
    type Output = GetDiscoveredResourceCountsOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.resource_types.len() > MAX_COUNTED_TYPES {
            return Err(constraint(
                "[...]",
                "resourceTypes",
                &format!("Member must have length less than or equal to {MAX_COUNTED_TYPES}"),
            ));
        }
        let limit = page_limit(input.limit, LIST_PAGE, LIST_PAGE)?;
        let skip = match &input.next_token {
            None => 0,
            Some(t) => token::decode(COUNTS_TOKEN, t)
                .and_then(|s| s.parse::<usize>().ok())
                .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let counts = config.store.read(move |reader| storage::counts(reader, &account, &region)).await?;
        let total = counts.values().sum();
        let mut rows: Vec<(String, u64)> = counts
            .into_iter()
            .filter(|(t, _)| input.resource_types.is_empty() || input.resource_types.contains(t))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let page: Vec<(String, u64)> = rows.iter().skip(skip).take(limit).cloned().collect();
        let next_token =
            (skip + page.len() < rows.len()).then(|| token::encode(COUNTS_TOKEN, &(skip + page.len()).to_string()));
        Ok(Effect::reply(GetDiscoveredResourceCountsOutput { total, counts: page, next_token }))
    }
}
