//! CreateApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination and
//! DeleteApiDestination: an HTTP endpoint, its method, the connection that authorizes it and its rate (300 calls a
//! second unless set), with AWS's messages (`... An api-destination 'X' does not exist.`).

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::connections::Violations;
use super::{EventsError, check_description, page_size, spec};
use crate::Events;
use crate::connection::storage::{ConnectionChange, api_destination, api_destinations, connection};
use crate::connection::{ApiDestination, ConnectionState, METHODS, api_destination_arn, parse_connection_arn};
use skywatch_model::EventResource;

const TOKEN_KIND: &str = "events-api-destinations";
/// API destinations one account may have in one region.
pub const MAX_API_DESTINATIONS: usize = 100;
/// The rate when none is given.
pub const DEFAULT_RATE: i64 = 300;
const ARN_PATTERN: &str =
    r"^arn:aws([a-z]|\-)*:events:([a-z]|\d|\-)*:([0-9]{12})?:connection\/[\.\-_A-Za-z0-9]+\/[\-A-Za-z0-9]+$";

fn resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::Events::ApiDestination".into(), arn: arn.to_owned() }
}

fn missing(name: &str) -> EventsError {
    EventsError::NotFound(format!(
        "Failed to describe the api-destination(s). An api-destination '{name}' does not exist."
    ))
}

/// CreateApiDestination's and UpdateApiDestination's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiDestinationInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocation_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocation_rate_limit_per_second: Option<i64>,
}

/// What CreateApiDestination and UpdateApiDestination answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiDestinationStateReply {
    pub arn: String,
    pub active: bool,
    pub created_ms: i64,
    pub modified_ms: i64,
}

fn check(input: &ApiDestinationInput, creating: bool) -> Result<(), EventsError> {
    let mut violations = Violations::default();
    violations.name(&input.name, "name");
    if let Some(arn) = &input.connection_arn
        && parse_connection_arn(arn).is_none()
    {
        violations.add(arn, "connectionArn", &format!("satisfy regular expression pattern: {ARN_PATTERN}"));
    }
    if let Some(method) = &input.http_method
        && !METHODS.contains(&method.as_str())
    {
        violations.add(method, "httpMethod", "satisfy enum value set: [HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS]");
    }
    if let Some(rate) = input.invocation_rate_limit_per_second
        && rate < 1
    {
        violations.add(&rate.to_string(), "invocationRateLimitPerSecond", "have value greater than or equal to 1");
    }
    if let Some(endpoint) = &input.invocation_endpoint
        && (endpoint.len() > 2048 || !endpoint.starts_with("http"))
    {
        violations.add(endpoint, "invocationEndpoint", r"satisfy regular expression pattern: ^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$");
    }
    violations.finish()?;
    check_description(input.description.as_deref())?;
    if creating
        && (input.connection_arn.is_none() || input.invocation_endpoint.is_none() || input.http_method.is_none())
    {
        return Err(EventsError::Validation(
            "ConnectionArn, InvocationEndpoint and HttpMethod must be provided.".into(),
        ));
    }
    Ok(())
}

/// Whether the connection `arn` names exists, and whether it is authorized (an API destination of a connection
/// still authorizing is INACTIVE).
async fn connection_state(events: &Events, ctx: &Context, arn: &str) -> Result<ConnectionState, EventsError> {
    let Some((account, region, name)) = parse_connection_arn(arn) else {
        return Err(EventsError::NotFound(format!("Connection {arn} does not exist.")));
    };
    let shown = name.clone();
    if account_mismatch(ctx, arn) {
        return Err(EventsError::NotFound(format!("Connection {shown} does not exist.")));
    }
    let found = events.store.read(move |reader| connection(reader, &account, &region, &name)).await?;
    found.map(|c| c.state).ok_or_else(|| EventsError::NotFound(format!("Connection {shown} does not exist.")))
}

fn account_mismatch(ctx: &Context, arn: &str) -> bool {
    parse_connection_arn(arn).is_none_or(|(account, region, _)| account != ctx.account || region != ctx.region)
}

/// CreateApiDestination.
pub struct CreateApiDestination;

impl Operation for CreateApiDestination {
    const SPEC: Spec = spec("CreateApiDestination", Access::Write).with_limits(&[
        Limit::aws("Name characters", 64),
        Limit::aws("InvocationEndpoint characters", 2048),
        Limit::own("API destinations an account and region", MAX_API_DESTINATIONS as u64),
    ]);
    type Engine = Events;
    type Input = ApiDestinationInput;
    type Output = ApiDestinationStateReply;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ApiDestinationInput,
    ) -> Result<Effect<ApiDestinationStateReply, EventsError>, EventsError> {
        check(&input, true)?;
        let connection_arn = input.connection_arn.clone().unwrap_or_default();
        let state = connection_state(events, ctx, &connection_arn).await?;
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.name.clone());
        let (existing, count) = events
            .store
            .read(move |reader| {
                let existing = api_destination(reader, &account, &region, &name)?;
                let count = api_destinations(reader, (&account, &region), "", None, MAX_API_DESTINATIONS + 1)?.len();
                Ok((existing, count))
            })
            .await?;
        if existing.is_some() {
            return Err(EventsError::AlreadyExists(format!("An api-destination '{}' already exists.", input.name)));
        }
        if count >= MAX_API_DESTINATIONS {
            return Err(super::over_quota());
        }
        let created = ApiDestination {
            name: input.name,
            id: uuid::Uuid::new_v4().to_string(),
            description: input.description,
            connection_arn,
            endpoint: input.invocation_endpoint.unwrap_or_default(),
            http_method: input.http_method.unwrap_or_default(),
            rate_limit: input.invocation_rate_limit_per_second.unwrap_or(DEFAULT_RATE),
            created_ms: ctx.now_ms,
            modified_ms: ctx.now_ms,
        };
        let arn = api_destination_arn(&ctx.region, &ctx.account, &created.name, &created.id);
        let reply = ApiDestinationStateReply {
            arn: arn.clone(),
            active: state != ConnectionState::Authorizing,
            created_ms: ctx.now_ms,
            modified_ms: ctx.now_ms,
        };
        let change = ConnectionChange::PutApiDestination {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            destination: Box::new(created),
        };
        Ok(Effect::commit(reply, vec![change.mutation()]).with_resources(vec![resource(&arn)]))
    }
}

/// DescribeApiDestination's and DeleteApiDestination's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiDestinationNameInput {
    pub name: String,
}

/// An API destination as DescribeApiDestination and ListApiDestinations answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiDestinationDescription {
    pub destination: ApiDestination,
    pub arn: String,
    pub active: bool,
}

async fn stored(events: &Events, ctx: &Context, name: &str) -> Result<ApiDestination, EventsError> {
    let mut violations = Violations::default();
    violations.name(name, "name");
    violations.finish()?;
    let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.to_owned());
    events
        .store
        .read(move |reader| api_destination(reader, &account, &region, &lookup))
        .await?
        .ok_or_else(|| missing(name))
}

fn describe(ctx: &Context, destination: ApiDestination, active: bool) -> ApiDestinationDescription {
    ApiDestinationDescription {
        arn: api_destination_arn(&ctx.region, &ctx.account, &destination.name, &destination.id),
        destination,
        active,
    }
}

/// DescribeApiDestination.
pub struct DescribeApiDestination;

impl Operation for DescribeApiDestination {
    const SPEC: Spec = spec("DescribeApiDestination", Access::Read).with_limits(&[Limit::aws("Name characters", 64)]);
    type Engine = Events;
    type Input = ApiDestinationNameInput;
    type Output = ApiDestinationDescription;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ApiDestinationNameInput,
    ) -> Result<Effect<ApiDestinationDescription, EventsError>, EventsError> {
        let destination = stored(events, ctx, &input.name).await?;
        let active = connection_state(events, ctx, &destination.connection_arn)
            .await
            .is_ok_and(|s| s != ConnectionState::Authorizing);
        Ok(Effect::reply(describe(ctx, destination, active)))
    }
}

/// ListApiDestinations' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListApiDestinationsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of API destinations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiDestinationPage {
    pub destinations: Vec<ApiDestinationDescription>,
    pub next_token: Option<String>,
}

/// ListApiDestinations.
pub struct ListApiDestinations;

impl Operation for ListApiDestinations {
    const SPEC: Spec =
        spec("ListApiDestinations", Access::Read).with_limits(&[Limit::aws("Limit", super::MAX_PAGE as u64)]);
    type Engine = Events;
    type Input = ListApiDestinationsInput;
    type Output = ApiDestinationPage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListApiDestinationsInput,
    ) -> Result<Effect<ApiDestinationPage, EventsError>, EventsError> {
        let limit = page_size(input.limit)?;
        let after = match &input.next_token {
            Some(t) => Some(
                token::decode(TOKEN_KIND, t)
                    .ok_or_else(|| EventsError::Validation("The NextToken provided is invalid.".into()))?,
            ),
            None => None,
        };
        let (account, region, prefix) =
            (ctx.account.clone(), ctx.region.clone(), input.name_prefix.clone().unwrap_or_default());
        let found = events
            .store
            .read(move |reader| {
                let found =
                    api_destinations(reader, (&account, &region), &prefix, after.as_deref(), MAX_API_DESTINATIONS * 2)?;
                let mut out = Vec::with_capacity(found.len());
                for destination in found {
                    let active = match parse_connection_arn(&destination.connection_arn) {
                        Some((a, r, n)) => {
                            connection(reader, &a, &r, &n)?.is_some_and(|c| c.state != ConnectionState::Authorizing)
                        }
                        None => false,
                    };
                    out.push((destination, active));
                }
                Ok(out)
            })
            .await?;
        let mut matching: Vec<(ApiDestination, bool)> = found
            .into_iter()
            .filter(|(d, _)| input.connection_arn.as_ref().is_none_or(|arn| *arn == d.connection_arn))
            .take(limit + 1)
            .collect();
        let next_token = (matching.len() > limit).then(|| {
            matching.truncate(limit);
            token::encode(TOKEN_KIND, &matching.last().map(|(d, _)| d.name.clone()).unwrap_or_default())
        });
        let destinations = matching.into_iter().map(|(d, active)| describe(ctx, d, active)).collect();
        Ok(Effect::reply(ApiDestinationPage { destinations, next_token }))
    }
}

/// UpdateApiDestination: what is given replaces what the destination had.
pub struct UpdateApiDestination;

impl Operation for UpdateApiDestination {
    const SPEC: Spec = spec("UpdateApiDestination", Access::Write)
        .with_limits(&[Limit::aws("Name characters", 64), Limit::aws("InvocationEndpoint characters", 2048)]);
    type Engine = Events;
    type Input = ApiDestinationInput;
    type Output = ApiDestinationStateReply;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ApiDestinationInput,
    ) -> Result<Effect<ApiDestinationStateReply, EventsError>, EventsError> {
        check(&input, false)?;
        let mut current = stored(events, ctx, &input.name).await?;
        if let Some(arn) = input.connection_arn {
            current.connection_arn = arn;
        }
        let state = connection_state(events, ctx, &current.connection_arn).await?;
        if input.description.is_some() {
            current.description = input.description;
        }
        if let Some(endpoint) = input.invocation_endpoint {
            current.endpoint = endpoint;
        }
        if let Some(method) = input.http_method {
            current.http_method = method;
        }
        if let Some(rate) = input.invocation_rate_limit_per_second {
            current.rate_limit = rate;
        }
        current.modified_ms = ctx.now_ms;
        let arn = api_destination_arn(&ctx.region, &ctx.account, &current.name, &current.id);
        let reply = ApiDestinationStateReply {
            arn: arn.clone(),
            active: state != ConnectionState::Authorizing,
            created_ms: current.created_ms,
            modified_ms: ctx.now_ms,
        };
        let change = ConnectionChange::PutApiDestination {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            destination: Box::new(current),
        };
        Ok(Effect::commit(reply, vec![change.mutation()]).with_resources(vec![resource(&arn)]))
    }
}

/// DeleteApiDestination.
pub struct DeleteApiDestination;

impl Operation for DeleteApiDestination {
    const SPEC: Spec = spec("DeleteApiDestination", Access::Write).with_limits(&[Limit::aws("Name characters", 64)]);
    type Engine = Events;
    type Input = ApiDestinationNameInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ApiDestinationNameInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        let current = stored(events, ctx, &input.name).await?;
        let arn = api_destination_arn(&ctx.region, &ctx.account, &current.name, &current.id);
        let change = ConnectionChange::DeleteApiDestination {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: current.name,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(&arn)]))
    }
}
