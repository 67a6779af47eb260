//! Aggregators and aggregation authorizations: PutConfigurationAggregator (account sources only: Skywatch has no
//! AWS Organizations, so an organization source is refused as AWS refuses it for an account outside an
//! organization), DescribeConfigurationAggregators, DeleteConfigurationAggregator,
//! DescribeConfigurationAggregatorSourcesStatus (each source account and region, FAILED while a source in another
//! account has not authorized the aggregator), PutAggregationAuthorization, DescribeAggregationAuthorizations and
//! DeleteAggregationAuthorization. The aggregate reads are in `aggregation_reads` and `aggregation_compliance`.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, EventResource, Limit, Operation, Spec, token};
use skywatch_store::Reader;

use super::{MAX_TAGS, check_tags, spec};
use crate::aggregation::model::{
    AccountSource, Aggregator, AggregatorFilters, Authorization, NOT_AUTHORIZED_CODE, SourceState,
};
use crate::aggregation::scope::{self, MAX_REGIONS};
use crate::aggregation::storage::{self, AggregationChange};
use crate::engine::Config;
use crate::error::{ConfigError, constraint, missing};

/// Aggregators an account may have in a region.
pub const MAX_AGGREGATORS: usize = 50;
/// Accounts one account source may name.
pub const MAX_SOURCE_ACCOUNTS: usize = 10_000;
/// Resource types or service principals one aggregator filter may list.
pub const MAX_FILTER_VALUES: usize = 1_000;
/// Authorizations an account may give in a region.
pub const MAX_AUTHORIZATIONS: usize = 1_000;
/// Aggregators one DescribeConfigurationAggregators call names at most.
pub const MAX_NAMED_AGGREGATORS: usize = 10;
/// Rows a page of the describe calls, when no limit is given and at most.
pub const DESCRIBE_PAGE: usize = 100;

const AGGREGATORS_TOKEN: &str = "config-aggregators";
const AUTHORIZATIONS_TOKEN: &str = "config-aggregation-authorizations";
const SOURCES_TOKEN: &str = "config-aggregator-sources";

/// Checks a `ConfigurationAggregatorName` (1..256 characters of `[\w\-]`).
pub(crate) fn check_name(name: &str) -> Result<(), ConfigError> {
    const AT: &str = "configurationAggregatorName";
    if name.is_empty() {
        return Err(missing(AT));
    }
    if name.chars().count() > 256 {
        return Err(constraint(name, AT, "Member must have length less than or equal to 256"));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(constraint(name, AT, "Member must satisfy regular expression pattern: [\\w\\-]+"));
    }
    Ok(())
}

/// Checks a 12-digit account id at `at`.
pub(crate) fn check_account(account: &str, at: &str) -> Result<(), ConfigError> {
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(constraint(account, at, "Member must satisfy regular expression pattern: \\d{12}"));
    }
    Ok(())
}

/// Checks a region name at `at` (1..64 characters).
pub(crate) fn check_region(region: &str, at: &str) -> Result<(), ConfigError> {
    if region.is_empty() || region.chars().count() > 64 {
        return Err(constraint(region, at, "Member must have length between 1 and 64"));
    }
    Ok(())
}

/// A page size: `limit`, or `default` for none or 0; at most `max`.
pub(crate) fn page_size(limit: Option<i64>, default: usize, max: usize) -> Result<usize, ConfigError> {
    match limit {
        None | Some(0) => Ok(default),
        Some(n) if n < 0 => {
            Err(constraint(&n.to_string(), "limit", "Member must have value greater than or equal to 0"))
        }
        Some(n) if n as u64 > max as u64 => {
            Err(constraint(&n.to_string(), "limit", &format!("Member must have value less than or equal to {max}")))
        }
        Some(n) => Ok(n as usize),
    }
}

/// The offset a page token of `kind` continues at.
pub(crate) fn offset(kind: &str, next_token: &Option<String>) -> Result<usize, ConfigError> {
    match next_token {
        None => Ok(0),
        Some(t) => token::decode(kind, t)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| ConfigError::InvalidNextToken("The nextToken provided is invalid".into())),
    }
}

/// The page of `all` at `skip`, and the token of the next page.
pub(crate) fn page<T: Clone>(kind: &str, all: &[T], skip: usize, limit: usize) -> (Vec<T>, Option<String>) {
    let rows: Vec<T> = all.iter().skip(skip).take(limit).cloned().collect();
    let next = (skip + rows.len() < all.len()).then(|| token::encode(kind, &(skip + rows.len()).to_string()));
    (rows, next)
}

pub(crate) fn no_such_aggregator(names: usize) -> ConfigError {
    ConfigError::NoSuchAggregator(if names > 1 {
        "At least one of the configuration aggregators does not exist. Check the configuration aggregator names and try again.".into()
    } else {
        "The configuration aggregator does not exist. Check the configuration aggregator name and try again.".into()
    })
}

/// The aggregator `name` of the caller's account and region, read in `reader`.
pub(crate) fn named(
    reader: &Reader,
    ctx: (&str, &str),
    name: &str,
) -> Result<Option<Aggregator>, skywatch_store::ReadError> {
    storage::aggregator(reader, ctx.0, ctx.1, name)
}

/// Reads over the sources `name` may read (narrowed by `filter`), in one snapshot: `read` gets the aggregator and
/// its readable sources. Refuses an aggregator that does not exist.
pub(crate) async fn over_sources<T: Send + 'static>(
    config: &Config,
    ctx: &Context,
    name: &str,
    filter: (Option<String>, Option<String>),
    read: impl FnOnce(&Reader, &Aggregator, &[scope::Source]) -> Result<T, skywatch_store::ReadError> + Send + 'static,
) -> Result<T, ConfigError> {
    check_name(name)?;
    let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), name.to_owned());
    let found = config
        .store
        .read(move |reader| {
            let Some(aggregator) = named(reader, (&account, &region), &name)? else { return Ok(None) };
            let sources =
                scope::readable(reader, (&account, &region), &aggregator, (filter.0.as_deref(), filter.1.as_deref()))?;
            read(reader, &aggregator, &sources).map(Some)
        })
        .await?;
    found.ok_or_else(|| no_such_aggregator(1))
}

fn aggregator_resource(aggregator: &Aggregator) -> EventResource {
    EventResource { resource_type: "AWS::Config::ConfigurationAggregator".into(), arn: aggregator.arn.clone() }
}

/// An `OrganizationAggregationSource`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationSource {
    pub role_arn: String,
    pub aws_regions: Vec<String>,
    pub all_aws_regions: bool,
}

/// PutConfigurationAggregator's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutConfigurationAggregatorInput {
    pub configuration_aggregator_name: String,
    pub account_aggregation_sources: Vec<AccountSource>,
    pub organization_aggregation_source: Option<OrganizationSource>,
    pub aggregator_filters: Option<AggregatorFilters>,
    pub tags: Vec<(String, String)>,
}

/// Checks the regions of a source: a list or all of them, not both, not neither.
fn check_regions(all: bool, regions: &[String], at: &str) -> Result<(), ConfigError> {
    if all && !regions.is_empty() {
        return Err(ConfigError::InvalidParameterValue(
            "Your configuration aggregator contains a list of regions and also specifies the use of all regions. You must choose one of these options.".into(),
        ));
    }
    if !all && regions.is_empty() {
        return Err(ConfigError::InvalidParameterValue(
            "Your request does not specify any regions. Select AWS Config-supported regions and try again.".into(),
        ));
    }
    if regions.len() > MAX_REGIONS {
        return Err(constraint("[...]", at, &format!("Member must have length less than or equal to {MAX_REGIONS}")));
    }
    for region in regions {
        check_region(region, &format!("{at}.member"))?;
    }
    Ok(())
}

fn check_filters(filters: &AggregatorFilters) -> Result<(), ConfigError> {
    for (values, at) in [
        (&filters.resource_types, "aggregatorFilters.resourceType.value"),
        (&filters.service_principals, "aggregatorFilters.servicePrincipal.value"),
    ] {
        if values.as_ref().is_some_and(|v| v.len() > MAX_FILTER_VALUES) {
            return Err(constraint(
                "[...]",
                at,
                &format!("Member must have length less than or equal to {MAX_FILTER_VALUES}"),
            ));
        }
    }
    Ok(())
}

/// Checks PutConfigurationAggregator's request as AWS does, before anything is read.
fn check_put(input: &PutConfigurationAggregatorInput) -> Result<(), ConfigError> {
    check_name(&input.configuration_aggregator_name)?;
    if input.account_aggregation_sources.len() > 1 {
        return Err(constraint(
            "[...]",
            "accountAggregationSources",
            "Member must have length less than or equal to 1",
        ));
    }
    check_tags(&input.tags)?;
    if let Some(filters) = &input.aggregator_filters {
        check_filters(filters)?;
    }
    match (input.account_aggregation_sources.first(), &input.organization_aggregation_source) {
        (Some(_), Some(_)) => Err(ConfigError::InvalidParameterValue(
            "The configuration aggregator cannot be created because your request contains both the AccountAggregationSource and the OrganizationAggregationSource. Include only one aggregation source and try again.".into(),
        )),
        (None, None) => Err(ConfigError::InvalidParameterValue(
            "The configuration aggregator cannot be created because your request is missing either the AccountAggregationSource or the OrganizationAggregationSource. Include the appropriate aggregation source and try again.".into(),
        )),
        (Some(source), None) => {
            const AT: &str = "accountAggregationSources.member.accountIds";
            if source.account_ids.is_empty() {
                return Err(constraint("[]", AT, "Member must have length greater than or equal to 1"));
            }
            if source.account_ids.len() > MAX_SOURCE_ACCOUNTS {
                return Err(ConfigError::LimitExceeded(format!(
                    "The configuration aggregator cannot be created because it exceeds the limit of {MAX_SOURCE_ACCOUNTS} source accounts."
                )));
            }
            for account in &source.account_ids {
                check_account(account, &format!("{AT}.member"))?;
            }
            check_regions(source.all_aws_regions, &source.aws_regions, "accountAggregationSources.member.awsRegions")
        }
        (None, Some(organization)) => {
            if organization.role_arn.is_empty() {
                return Err(missing("organizationAggregationSource.roleArn"));
            }
            check_regions(
                organization.all_aws_regions,
                &organization.aws_regions,
                "organizationAggregationSource.awsRegions",
            )?;
            // Skywatch has no AWS Organizations: no account belongs to an organization, and AWS refuses an
            // organization aggregator in such an account.
            Err(ConfigError::NoAvailableOrganization(
                "Organization is no longer available. The account is not a member of an organization (Skywatch has no AWS Organizations): aggregate accounts with AccountAggregationSources instead.".into(),
            ))
        }
    }
}

/// The id part of an aggregator's ARN (`config-aggregator-` and lower-case letters and digits), from the call's
/// request id.
fn aggregator_id(request_id: &str) -> String {
    let id: String = request_id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    let id: String = id.chars().rev().take(8).collect::<String>().chars().rev().collect();
    if id.is_empty() { "0".into() } else { id }
}

/// PutConfigurationAggregator: creates the aggregator or replaces its sources and filters (its tags are set when
/// it is created, as AWS keeps them).
pub struct PutConfigurationAggregator;

impl Operation for PutConfigurationAggregator {
    const SPEC: Spec = spec("PutConfigurationAggregator", Access::Write).with_limits(&[
        Limit::aws("configuration aggregators an account and region", MAX_AGGREGATORS as u64),
        Limit::aws("account aggregation sources an aggregator", 1),
        Limit::aws("source accounts an aggregator", MAX_SOURCE_ACCOUNTS as u64),
        Limit::own("regions a source", MAX_REGIONS as u64),
        Limit::own("values an aggregator filter", MAX_FILTER_VALUES as u64),
        Limit::aws("tags an aggregator", MAX_TAGS as u64),
    ]);
    type Engine = Config;
    type Input = PutConfigurationAggregatorInput;
    type Output = Aggregator;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Aggregator, ConfigError>, ConfigError> {
        check_put(&input)?;
        let (account, region, name) =
            (ctx.account.clone(), ctx.region.clone(), input.configuration_aggregator_name.clone());
        let (existing, count) = config
            .store
            .read(move |reader| {
                let existing = storage::aggregator(reader, &account, &region, &name)?;
                let count = if existing.is_some() {
                    0
                } else {
                    storage::aggregators(reader, &account, &region, MAX_AGGREGATORS + 1)?.len()
                };
                Ok((existing, count))
            })
            .await?;
        if existing.is_none() && count >= MAX_AGGREGATORS {
            return Err(ConfigError::LimitExceeded(format!(
                "The configuration aggregator cannot be created because the account already contains '{MAX_AGGREGATORS}' configuration aggregators. Consider deleting configuration aggregators or contact AWS Config to increase the limit."
            )));
        }
        let mut sources = input.account_aggregation_sources;
        for source in &mut sources {
            let mut seen = std::collections::BTreeSet::new();
            source.account_ids.retain(|a| seen.insert(a.clone()));
        }
        let filters = input.aggregator_filters.unwrap_or_default();
        let aggregator = match existing {
            Some(old) => Aggregator { account_sources: sources, filters, updated_ms: ctx.now_ms, ..old },
            None => Aggregator {
                arn: format!(
                    "arn:{}:config:{}:{}:config-aggregator/config-aggregator-{}",
                    skywatch_model::partition(&ctx.region),
                    ctx.region,
                    ctx.account,
                    aggregator_id(&ctx.request_id)
                ),
                name: input.configuration_aggregator_name,
                account_sources: sources,
                filters,
                created_ms: ctx.now_ms,
                updated_ms: ctx.now_ms,
                tags: input.tags.into_iter().collect::<BTreeMap<_, _>>(),
            },
        };
        let change = AggregationChange::PutAggregator {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            aggregator: Box::new(aggregator.clone()),
        };
        let resource = aggregator_resource(&aggregator);
        Ok(Effect::commit(aggregator, vec![change.mutation()]).with_resources(vec![resource]))
    }
}

/// DescribeConfigurationAggregators' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeConfigurationAggregatorsInput {
    pub configuration_aggregator_names: Vec<String>,
    pub next_token: Option<String>,
    pub limit: Option<i64>,
}

/// A page of aggregators.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AggregatorPage {
    pub aggregators: Vec<Aggregator>,
    pub next_token: Option<String>,
}

/// DescribeConfigurationAggregators: the ones named (all must exist), or all of the account and region's.
pub struct DescribeConfigurationAggregators;

impl Operation for DescribeConfigurationAggregators {
    const SPEC: Spec = spec("DescribeConfigurationAggregators", Access::Read).with_limits(&[
        Limit::aws("aggregator names a call", MAX_NAMED_AGGREGATORS as u64),
        Limit::aws("aggregators a page", DESCRIBE_PAGE as u64),
    ]);
    type Engine = Config;
    type Input = DescribeConfigurationAggregatorsInput;
    type Output = AggregatorPage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<AggregatorPage, ConfigError>, ConfigError> {
        let names = input.configuration_aggregator_names;
        if names.len() > MAX_NAMED_AGGREGATORS {
            return Err(constraint(
                "[...]",
                "configurationAggregatorNames",
                &format!("Member must have length less than or equal to {MAX_NAMED_AGGREGATORS}"),
            ));
        }
        for name in &names {
            check_name(name)?;
        }
        let limit = page_size(input.limit, DESCRIBE_PAGE, DESCRIBE_PAGE)?;
        let skip = offset(AGGREGATORS_TOKEN, &input.next_token)?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let count = names.len();
        let found = config
            .store
            .read(move |reader| {
                if names.is_empty() {
                    return storage::aggregators(reader, &account, &region, MAX_AGGREGATORS * 2).map(Some);
                }
                let mut found = Vec::with_capacity(names.len());
                for name in std::collections::BTreeSet::from_iter(names) {
                    match storage::aggregator(reader, &account, &region, &name)? {
                        Some(aggregator) => found.push(aggregator),
                        None => return Ok(None),
                    }
                }
                Ok(Some(found))
            })
            .await?
            .ok_or_else(|| no_such_aggregator(count))?;
        let (aggregators, next_token) = page(AGGREGATORS_TOKEN, &found, skip, limit);
        Ok(Effect::reply(AggregatorPage { aggregators, next_token }))
    }
}

/// The input of the calls that name one aggregator.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregatorNameInput {
    pub configuration_aggregator_name: String,
}

/// DeleteConfigurationAggregator.
pub struct DeleteConfigurationAggregator;

impl Operation for DeleteConfigurationAggregator {
    const SPEC: Spec = spec("DeleteConfigurationAggregator", Access::Write)
        .with_limits(&[Limit::aws("aggregator name characters", 256)]);
    type Engine = Config;
    type Input = AggregatorNameInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        check_name(&input.configuration_aggregator_name)?;
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.configuration_aggregator_name);
        let lookup = name.clone();
        let aggregator = config
            .store
            .read(move |reader| storage::aggregator(reader, &account, &region, &lookup))
            .await?
            .ok_or_else(|| no_such_aggregator(1))?;
        let change =
            AggregationChange::DeleteAggregator { account: ctx.account.clone(), region: ctx.region.clone(), name };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![aggregator_resource(&aggregator)]))
    }
}

/// DescribeConfigurationAggregatorSourcesStatus' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourcesStatusInput {
    pub configuration_aggregator_name: String,
    pub update_status: Vec<String>,
    pub next_token: Option<String>,
    pub limit: Option<i64>,
}

/// One source's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    pub account: String,
    pub region: String,
    pub state: SourceState,
    pub updated_ms: i64,
    /// `LastErrorCode` and `LastErrorMessage` of a failed source.
    pub error: Option<(String, String)>,
}

/// A page of source statuses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourcesStatusPage {
    pub statuses: Vec<SourceStatus>,
    pub next_token: Option<String>,
}

/// DescribeConfigurationAggregatorSourcesStatus: each source account and region. Skywatch reads a source at the
/// time of each call, so its data is never outdated: a source is SUCCEEDED (checked now) or, in another account
/// that has not authorized the aggregator's account and region, FAILED.
pub struct DescribeConfigurationAggregatorSourcesStatus;

impl Operation for DescribeConfigurationAggregatorSourcesStatus {
    const SPEC: Spec = spec("DescribeConfigurationAggregatorSourcesStatus", Access::Read).with_limits(&[
        Limit::aws("statuses a page", DESCRIBE_PAGE as u64),
        Limit::own("sources a read covers", scope::MAX_SOURCES as u64),
    ]);
    type Engine = Config;
    type Input = SourcesStatusInput;
    type Output = SourcesStatusPage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<SourcesStatusPage, ConfigError>, ConfigError> {
        check_name(&input.configuration_aggregator_name)?;
        let wanted = input
            .update_status
            .iter()
            .map(|s| {
                SourceState::parse(s).ok_or_else(|| {
                    constraint(
                        s,
                        "updateStatus.member",
                        "Member must satisfy enum value set: [FAILED, SUCCEEDED, OUTDATED]",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let limit = page_size(input.limit, DESCRIBE_PAGE, DESCRIBE_PAGE)?;
        let skip = offset(SOURCES_TOKEN, &input.next_token)?;
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.configuration_aggregator_name);
        let sources = config
            .store
            .read(move |reader| {
                let Some(aggregator) = named(reader, (&account, &region), &name)? else { return Ok(None) };
                scope::sources(reader, (&account, &region), &aggregator, (None, None)).map(Some)
            })
            .await?
            .ok_or_else(|| no_such_aggregator(1))?;
        let statuses: Vec<SourceStatus> = sources
            .into_iter()
            .map(|source| {
                let (state, error) = if source.authorized {
                    (SourceState::Succeeded, None)
                } else {
                    let message = format!(
                        "The source account {} has not authorized aggregator account {} in region {} to aggregate its data in region {}. Authorize it with PutAggregationAuthorization in account {}, region {}.",
                        source.account, ctx.account, ctx.region, source.region, source.account, source.region
                    );
                    (SourceState::Failed, Some((NOT_AUTHORIZED_CODE.to_owned(), message)))
                };
                SourceStatus { account: source.account, region: source.region, state, updated_ms: ctx.now_ms, error }
            })
            .filter(|s| wanted.is_empty() || wanted.contains(&s.state))
            .collect();
        let (statuses, next_token) = page(SOURCES_TOKEN, &statuses, skip, limit);
        Ok(Effect::reply(SourcesStatusPage { statuses, next_token }))
    }
}

/// PutAggregationAuthorization's and DeleteAggregationAuthorization's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationInput {
    pub authorized_account_id: String,
    pub authorized_aws_region: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
}

fn check_authorization(input: &AuthorizationInput) -> Result<(), ConfigError> {
    if input.authorized_account_id.is_empty() {
        return Err(missing("authorizedAccountId"));
    }
    check_account(&input.authorized_account_id, "authorizedAccountId")?;
    if input.authorized_aws_region.is_empty() {
        return Err(missing("authorizedAwsRegion"));
    }
    check_region(&input.authorized_aws_region, "authorizedAwsRegion")?;
    check_tags(&input.tags)
}

fn authorization_arn(ctx: &Context, account: &str, region: &str) -> String {
    let partition = skywatch_model::partition(&ctx.region);
    format!("arn:{partition}:config:{}:{}:aggregation-authorization/{account}/{region}", ctx.region, ctx.account)
}

fn authorization_resource(arn: String) -> EventResource {
    EventResource { resource_type: "AWS::Config::AggregationAuthorization".into(), arn }
}

/// PutAggregationAuthorization: lets an aggregator account and region read this account and region. Idempotent:
/// an authorization that exists is returned as it is (its tags are set when it is created).
pub struct PutAggregationAuthorization;

impl Operation for PutAggregationAuthorization {
    const SPEC: Spec = spec("PutAggregationAuthorization", Access::Write).with_limits(&[
        Limit::own("authorizations an account and region", MAX_AUTHORIZATIONS as u64),
        Limit::aws("tags an authorization", MAX_TAGS as u64),
    ]);
    type Engine = Config;
    type Input = AuthorizationInput;
    type Output = Authorization;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<Authorization, ConfigError>, ConfigError> {
        check_authorization(&input)?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (target_account, target_region) =
            (input.authorized_account_id.clone(), input.authorized_aws_region.clone());
        let (existing, count) = config
            .store
            .read(move |reader| {
                let existing = storage::authorization(reader, (&account, &region), (&target_account, &target_region))?;
                let count = if existing.is_some() {
                    0
                } else {
                    storage::authorizations(reader, &account, &region, MAX_AUTHORIZATIONS + 1)?.len()
                };
                Ok((existing, count))
            })
            .await?;
        if let Some(existing) = existing {
            let resource = authorization_resource(existing.arn.clone());
            return Ok(Effect::reply(existing).with_resources(vec![resource]));
        }
        if count >= MAX_AUTHORIZATIONS {
            return Err(ConfigError::LimitExceeded(format!(
                "The aggregation authorization cannot be created because the account already has {MAX_AUTHORIZATIONS} in this region."
            )));
        }
        let authorization = Authorization {
            arn: authorization_arn(ctx, &input.authorized_account_id, &input.authorized_aws_region),
            authorized_account: input.authorized_account_id,
            authorized_region: input.authorized_aws_region,
            created_ms: ctx.now_ms,
            tags: input.tags.into_iter().collect(),
        };
        let change = AggregationChange::PutAuthorization {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            authorization: Box::new(authorization.clone()),
        };
        let resource = authorization_resource(authorization.arn.clone());
        Ok(Effect::commit(authorization, vec![change.mutation()]).with_resources(vec![resource]))
    }
}

/// DescribeAggregationAuthorizations' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeAggregationAuthorizationsInput {
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

/// A page of authorizations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorizationPage {
    pub authorizations: Vec<Authorization>,
    pub next_token: Option<String>,
}

/// DescribeAggregationAuthorizations: the authorizations this account and region has given.
pub struct DescribeAggregationAuthorizations;

impl Operation for DescribeAggregationAuthorizations {
    const SPEC: Spec = spec("DescribeAggregationAuthorizations", Access::Read).with_limits(&[
        Limit::aws("authorizations a page", DESCRIBE_PAGE as u64),
        Limit::own("authorizations read", MAX_AUTHORIZATIONS as u64),
    ]);
    type Engine = Config;
    type Input = DescribeAggregationAuthorizationsInput;
    type Output = AuthorizationPage;
    type Error = ConfigError;

    async fn run(
        config: &Config,
        ctx: &Context,
        input: Self::Input,
    ) -> Result<Effect<AuthorizationPage, ConfigError>, ConfigError> {
        let limit = page_size(input.limit, DESCRIBE_PAGE, DESCRIBE_PAGE)?;
        let skip = offset(AUTHORIZATIONS_TOKEN, &input.next_token)?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let all = config
            .store
            .read(move |reader| storage::authorizations(reader, &account, &region, MAX_AUTHORIZATIONS))
            .await?;
        let (authorizations, next_token) = page(AUTHORIZATIONS_TOKEN, &all, skip, limit);
        Ok(Effect::reply(AuthorizationPage { authorizations, next_token }))
    }
}

/// DeleteAggregationAuthorization: succeeds whether or not the authorization exists, as AWS does.
pub struct DeleteAggregationAuthorization;

impl Operation for DeleteAggregationAuthorization {
    const SPEC: Spec = spec("DeleteAggregationAuthorization", Access::Write)
        .with_limits(&[Limit::aws("authorized region characters", 64)]);
    type Engine = Config;
    type Input = AuthorizationInput;
    type Output = ();
    type Error = ConfigError;

    async fn run(_config: &Config, ctx: &Context, input: Self::Input) -> Result<Effect<(), ConfigError>, ConfigError> {
        check_authorization(&input)?;
        let resource =
            authorization_resource(authorization_arn(ctx, &input.authorized_account_id, &input.authorized_aws_region));
        let change = AggregationChange::DeleteAuthorization {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            authorized_account: input.authorized_account_id,
            authorized_region: input.authorized_aws_region,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource]))
    }
}
