//! An aggregator's resource reads: GetAggregateDiscoveredResourceCounts (filters, grouped by resource type,
//! account or region), ListAggregateDiscoveredResources, GetAggregateResourceConfig,
//! BatchGetAggregateResourceConfig and SelectAggregateResourceConfig (the advanced query over every source's
//! current items). Each reads the sources the aggregator may read, at the time of the call, leaving out deleted
//! resources and the resource types its filter does not include; each charges the resources it reads to a budget.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::Serialize;
use skywatch_configsql::QueryError;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::aggregation::{offset, over_sources, page, page_size};
use super::spec;
use crate::aggregation::scope::MAX_SOURCES;
use crate::aggregation::storage::visit_resources;
use crate::engine::Config;
use crate::error::{ConfigError, constraint, missing};
use crate::model::Item;
use crate::storage::{self, Resource};

/// Resources one aggregate read reads at most.
pub const MAX_AGGREGATED_RESOURCES: usize = 100_000;
/// Groups a page of GetAggregateDiscoveredResourceCounts, when no limit is given and at most.
pub const GROUP_PAGE: usize = 1_000;
/// Identifiers a page of ListAggregateDiscoveredResources, when no limit is given and at most.
pub const LIST_PAGE: usize = 100;
/// Identifiers one BatchGetAggregateResourceConfig call names at most.
pub const MAX_BATCH_IDENTIFIERS: usize = 100;
/// Rows a page of SelectAggregateResourceConfig, when no limit is given and at most.
pub const SELECT_PAGE: usize = 100;

const COUNTS_TOKEN: &str = "config-aggregate-counts";
const LIST_TOKEN: &str = "config-aggregate-resources";
const SELECT_TOKEN: &str = "config-aggregate-select";

fn check_type(resource_type: &str, at: &str) -> Result<(), ConfigError> {
    if resource_type.is_empty() || resource_type.chars().count() > 256 {
        return Err(constraint(resource_type, at, "Member must have length between 1 and 256"));
    }
    Ok(())
}

/// `ResourceCountFilters`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountFilters {
    pub resource_type: Option<String>,
    pub account_id: Option<String>,
    pub region: Option<String>,
}

/// GetAggregateDiscoveredResourceCounts' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregateCountsInput {
    pub configuration_aggregator_name: String,
    pub filters: CountFilters,
    pub group_by_key: Option<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// The resources counted, and the counts of each group when a key was given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AggregateCountsOutput {
    pub total: u64,
    pub group_by_key: Option<String>,
    pub groups: Vec<(String, u64)>,
    pub next_token: Option<String>,
}

/// What a group of resources is keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountKey {
    ResourceType,
    AccountId,
    AwsRegion,
}

/// GetAggregateDiscoveredResourceCounts: the resources of every source the aggregator may read, grouped by
/// resource type, account or region (the most numerous group first).
pub struct GetAggregateDiscoveredResourceCounts;

impl Operation for GetAggregateDiscoveredResourceCounts {
    const SPEC: Spec = spec("GetAggregateDiscoveredResourceCounts", Access::Read).with_limits(&[
        Limit::aws("groups a page", GROUP_PAGE as u64),
        Limit::own("resources a read counts", MAX_AGGREGATED_RESOURCES as u64),
        Limit::own("sources a read covers", MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = AggregateCountsInput;
    type Output = AggregateCountsOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        let key = match input.group_by_key.as_deref() {
            None => None,
            Some("RESOURCE_TYPE") => Some(CountKey::ResourceType),
            Some("ACCOUNT_ID") => Some(CountKey::AccountId),
            Some("AWS_REGION") => Some(CountKey::AwsRegion),
            Some(other) => {
                return Err(constraint(
                    other,
                    "groupByKey",
                    "Member must satisfy enum value set: [RESOURCE_TYPE, ACCOUNT_ID, AWS_REGION]",
                ));
            }
        };
        let filters = input.filters;
        if let Some(account) = &filters.account_id {
            super::aggregation::check_account(account, "filters.accountId")?;
        }
        if let Some(region) = &filters.region {
            super::aggregation::check_region(region, "filters.region")?;
        }
        if let Some(t) = &filters.resource_type {
            check_type(t, "filters.resourceType")?;
        }
        let limit = page_size(input.limit, GROUP_PAGE, GROUP_PAGE)?;
        let skip = offset(COUNTS_TOKEN, &input.next_token)?;
        let resource_type = filters.resource_type.clone();
        let counts = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            (filters.account_id.clone(), filters.region.clone()),
            move |reader, aggregator, sources| {
                let mut budget = MAX_AGGREGATED_RESOURCES;
                let mut total = 0u64;
                let mut groups: BTreeMap<String, u64> = BTreeMap::new();
                for source in sources {
                    let scope = (source.account.as_str(), source.region.as_str());
                    let stopped = visit_resources(reader, scope, resource_type.as_deref(), None, &mut budget, |r| {
                        if r.deleted_ms.is_none() && aggregator.filters.includes(&r.resource_type) {
                            total += 1;
                            let group = match key {
                                None => None,
                                Some(CountKey::ResourceType) => Some(r.resource_type),
                                Some(CountKey::AccountId) => Some(source.account.clone()),
                                Some(CountKey::AwsRegion) => Some(source.region.clone()),
                            };
                            if let Some(group) = group {
                                *groups.entry(group).or_insert(0) += 1;
                            }
                        }
                        ControlFlow::Continue(())
                    })?;
                    if stopped.is_break() {
                        break;
                    }
                }
                Ok((total, groups))
            },
        )
        .await?;
        let (total, groups) = counts;
        let mut rows: Vec<(String, u64)> = groups.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let (groups, next_token) = page(COUNTS_TOKEN, &rows, skip, limit);
        Ok(Effect::reply(AggregateCountsOutput { total, group_by_key: input.group_by_key, groups, next_token }))
    }
}

/// `ResourceFilters`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceFilters {
    pub account_id: Option<String>,
    pub resource_id: Option<String>,
    pub resource_name: Option<String>,
    pub region: Option<String>,
}

/// ListAggregateDiscoveredResources' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListAggregateResourcesInput {
    pub configuration_aggregator_name: String,
    pub resource_type: String,
    pub filters: ResourceFilters,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// A resource with the account and region it is in (`AggregateResourceIdentifier`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregateResource {
    pub source_account_id: String,
    pub source_region: String,
    pub resource_id: String,
    pub resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
}

/// A page of resource identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AggregateResourcePage {
    pub resources: Vec<AggregateResource>,
    pub next_token: Option<String>,
}

/// ListAggregateDiscoveredResources: the resources of one type in every source the aggregator may read, in
/// (account, region, id) order.
pub struct ListAggregateDiscoveredResources;

impl Operation for ListAggregateDiscoveredResources {
    const SPEC: Spec = spec("ListAggregateDiscoveredResources", Access::Read).with_limits(&[
        Limit::aws("identifiers a page", LIST_PAGE as u64),
        Limit::own("resources a read reads", MAX_AGGREGATED_RESOURCES as u64),
        Limit::own("sources a read covers", MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = ListAggregateResourcesInput;
    type Output = AggregateResourcePage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.resource_type.is_empty() {
            return Err(missing("resourceType"));
        }
        check_type(&input.resource_type, "resourceType")?;
        let filters = input.filters;
        if let Some(account) = &filters.account_id {
            super::aggregation::check_account(account, "filters.accountId")?;
        }
        if let Some(region) = &filters.region {
            super::aggregation::check_region(region, "filters.region")?;
        }
        let limit = page_size(input.limit, LIST_PAGE, LIST_PAGE)?;
        let after: Option<(String, String, String)> = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(LIST_TOKEN, t)
                    .and_then(|cursor| serde_json::from_str(&cursor).ok())
                    .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into()))?,
            ),
        };
        let resource_type = input.resource_type.clone();
        let (id, name) = (filters.resource_id.clone(), filters.resource_name.clone());
        let mut found = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            (filters.account_id.clone(), filters.region.clone()),
            move |reader, aggregator, sources| {
                let mut found: Vec<AggregateResource> = Vec::new();
                if !aggregator.filters.includes(&resource_type) {
                    return Ok(found);
                }
                let mut budget = MAX_AGGREGATED_RESOURCES;
                for source in sources {
                    let start = match &after {
                        Some((a, r, _))
                            if (source.account.as_str(), source.region.as_str()) < (a.as_str(), r.as_str()) =>
                        {
                            continue;
                        }
                        Some((a, r, id)) if *a == source.account && *r == source.region => Some(id.as_str()),
                        _ => None,
                    };
                    let scope = (source.account.as_str(), source.region.as_str());
                    let from = start.map(|id| (resource_type.as_str(), id));
                    let stopped =
                        visit_resources(reader, scope, Some(&resource_type), from, &mut budget, |r: Resource| {
                            if r.deleted_ms.is_none()
                                && id.as_ref().is_none_or(|id| *id == r.resource_id)
                                && name.as_ref().is_none_or(|n| r.resource_name.as_ref() == Some(n))
                            {
                                found.push(AggregateResource {
                                    source_account_id: source.account.clone(),
                                    source_region: source.region.clone(),
                                    resource_id: r.resource_id,
                                    resource_type: r.resource_type,
                                    resource_name: r.resource_name,
                                });
                            }
                            if found.len() > limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
                        })?;
                    if stopped.is_break() {
                        break;
                    }
                }
                Ok(found)
            },
        )
        .await?;
        let more = found.len() > limit;
        found.truncate(limit);
        let next_token = if more {
            found.last().map(|r| {
                let cursor = serde_json::json!([r.source_account_id, r.source_region, r.resource_id]).to_string();
                token::encode(LIST_TOKEN, &cursor)
            })
        } else {
            None
        };
        Ok(Effect::reply(AggregateResourcePage { resources: found, next_token }))
    }
}

/// The current item of a resource the aggregator may read: none when its source is not readable, or it is
/// unknown, deleted, or of a type the filter leaves out.
fn current_item(
    reader: &skywatch_store::Reader,
    aggregator: &crate::aggregation::model::Aggregator,
    sources: &[crate::aggregation::scope::Source],
    resource: &AggregateResource,
) -> Result<Option<Item>, skywatch_store::ReadError> {
    let readable =
        sources.iter().any(|s| s.account == resource.source_account_id && s.region == resource.source_region);
    if !readable || !aggregator.filters.includes(&resource.resource_type) {
        return Ok(None);
    }
    let scope = (resource.source_account_id.as_str(), resource.source_region.as_str());
    let known = storage::resource(reader, scope.0, scope.1, &resource.resource_type, &resource.resource_id)?;
    if known.is_none_or(|r| r.deleted_ms.is_some()) {
        return Ok(None);
    }
    Ok(storage::latest(reader, scope, &resource.resource_type, &resource.resource_id)?
        .filter(|item| !item.status.is_deleted()))
}

fn check_identifier(resource: &AggregateResource, at: &str) -> Result<(), ConfigError> {
    super::aggregation::check_account(&resource.source_account_id, &format!("{at}.sourceAccountId"))?;
    super::aggregation::check_region(&resource.source_region, &format!("{at}.sourceRegion"))?;
    check_type(&resource.resource_type, &format!("{at}.resourceType"))?;
    if resource.resource_id.is_empty() || resource.resource_id.chars().count() > 768 {
        return Err(constraint(
            &resource.resource_id,
            &format!("{at}.resourceId"),
            "Member must have length between 1 and 768",
        ));
    }
    Ok(())
}

/// GetAggregateResourceConfig's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAggregateResourceConfigInput {
    pub configuration_aggregator_name: String,
    pub resource_identifier: AggregateResource,
}

/// GetAggregateResourceConfig: a resource's current configuration item, from a source the aggregator may read.
pub struct GetAggregateResourceConfig;

impl Operation for GetAggregateResourceConfig {
    const SPEC: Spec = spec("GetAggregateResourceConfig", Access::Read).with_limits(&[
        Limit::aws("resource id characters", 768),
        Limit::own("sources a read covers", MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = GetAggregateResourceConfigInput;
    type Output = Item;
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<Item, ConfigError>, ConfigError> {
        let resource = input.resource_identifier;
        check_identifier(&resource, "resourceIdentifier")?;
        let wanted = resource.clone();
        let filter = (Some(resource.source_account_id.clone()), Some(resource.source_region.clone()));
        let item = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            filter,
            move |reader, aggregator, sources| current_item(reader, aggregator, sources, &wanted),
        )
        .await?;
        item.map(Effect::reply).ok_or_else(|| {
            ConfigError::ResourceNotDiscovered(format!(
                "Resource {} of resourceType:{} is unknown or has not been discovered",
                resource.resource_id, resource.resource_type
            ))
        })
    }
}

/// BatchGetAggregateResourceConfig's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchGetAggregateResourceConfigInput {
    pub configuration_aggregator_name: String,
    pub resource_identifiers: Vec<AggregateResource>,
}

/// The current items found (deleted and unknown resources are left out, as AWS leaves them out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchGetAggregateResourceConfigOutput {
    pub items: Vec<Item>,
    pub unprocessed: Vec<AggregateResource>,
}

/// BatchGetAggregateResourceConfig.
pub struct BatchGetAggregateResourceConfig;

impl Operation for BatchGetAggregateResourceConfig {
    const SPEC: Spec = spec("BatchGetAggregateResourceConfig", Access::Read).with_limits(&[
        Limit::aws("resource identifiers a call", MAX_BATCH_IDENTIFIERS as u64),
        Limit::own("sources a read covers", MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = BatchGetAggregateResourceConfigInput;
    type Output = BatchGetAggregateResourceConfigOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        let identifiers = input.resource_identifiers;
        if identifiers.is_empty() || identifiers.len() > MAX_BATCH_IDENTIFIERS {
            return Err(constraint(
                "[...]",
                "resourceIdentifiers",
                &format!(
                    "Member must have length less than or equal to {MAX_BATCH_IDENTIFIERS} and greater than or equal to 1"
                ),
            ));
        }
        for identifier in &identifiers {
            check_identifier(identifier, "resourceIdentifiers.member")?;
        }
        let items = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            (None, None),
            move |reader, aggregator, sources| {
                let mut items = Vec::new();
                for identifier in &identifiers {
                    if let Some(item) = current_item(reader, aggregator, sources, identifier)? {
                        items.push(item);
                    }
                }
                Ok(items)
            },
        )
        .await?;
        Ok(Effect::reply(BatchGetAggregateResourceConfigOutput { items, unprocessed: Vec::new() }))
    }
}

/// SelectAggregateResourceConfig's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SelectAggregateResourceConfigInput {
    pub expression: String,
    pub configuration_aggregator_name: String,
    pub limit: Option<i64>,
    pub max_results: Option<i64>,
    pub next_token: Option<String>,
}

fn refused(error: QueryError) -> ConfigError {
    ConfigError::InvalidExpression(error.message)
}

/// SelectAggregateResourceConfig: the advanced query over the current item of every resource of every source the
/// aggregator may read (narrowed to the types the expression can match); `accountId` and `awsRegion` tell the
/// sources apart.
pub struct SelectAggregateResourceConfig;

impl Operation for SelectAggregateResourceConfig {
    const SPEC: Spec = spec("SelectAggregateResourceConfig", Access::Read).with_limits(&[
        Limit::aws("expression characters", skywatch_configsql::MAX_LENGTH as u64),
        Limit::aws("rows a page", SELECT_PAGE as u64),
        Limit::own("resources a query reads", MAX_AGGREGATED_RESOURCES as u64),
        Limit::own("sources a read covers", MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = SelectAggregateResourceConfigInput;
    type Output = super::SelectResourceConfigOutput;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Self::Output, ConfigError>, ConfigError> {
        if input.expression.is_empty() || input.expression.len() > 4 * skywatch_configsql::MAX_LENGTH {
            return Err(constraint(
                "...",
                "expression",
                &format!("Member must have length less than or equal to {}", skywatch_configsql::MAX_LENGTH),
            ));
        }
        let limit = match input.max_results.or(input.limit) {
            None | Some(0) => SELECT_PAGE,
            Some(n) if !(0..=SELECT_PAGE as i64).contains(&n) => {
                return Err(ConfigError::InvalidLimit(format!("The limit {n} is not between 0 and {SELECT_PAGE}.")));
            }
            Some(n) => n as usize,
        };
        let skip = offset(SELECT_TOKEN, &input.next_token)?;
        let query = skywatch_configsql::parse(&input.expression).map_err(refused)?;
        let types = query.resource_types();
        let documents = over_sources(
            config,
            ctx,
            &input.configuration_aggregator_name,
            (None, None),
            move |reader, aggregator, sources| {
                let mut budget = MAX_AGGREGATED_RESOURCES;
                let mut keys: Vec<(usize, String, String)> = Vec::new();
                'sources: for (index, source) in sources.iter().enumerate() {
                    let scope = (source.account.as_str(), source.region.as_str());
                    let wanted: Vec<Option<&str>> = match &types {
                        Some(types) => types.iter().map(|t| Some(t.as_str())).collect(),
                        None => vec![None],
                    };
                    for resource_type in wanted {
                        let stopped = visit_resources(reader, scope, resource_type, None, &mut budget, |r| {
                            if r.deleted_ms.is_none() && aggregator.filters.includes(&r.resource_type) {
                                keys.push((index, r.resource_type, r.resource_id));
                            }
                            ControlFlow::Continue(())
                        })?;
                        if stopped.is_break() {
                            break 'sources;
                        }
                    }
                }
                let mut documents = Vec::with_capacity(keys.len());
                for (index, resource_type, id) in keys {
                    let scope = (sources[index].account.as_str(), sources[index].region.as_str());
                    if let Some(item) = storage::latest(reader, scope, &resource_type, &id)? {
                        documents.push(item.document(true));
                    }
                }
                Ok(documents)
            },
        )
        .await?;
        let rows = query.evaluate(documents.iter()).map_err(refused)?;
        let rows: Vec<String> = rows.iter().map(ToString::to_string).collect();
        let (results, next_token) = page(SELECT_TOKEN, &rows, skip, limit);
        Ok(Effect::reply(super::SelectResourceConfigOutput {
            results,
            select_fields: query.select_fields(),
            next_token,
        }))
    }
}
