//! CreateConnection, DescribeConnection, ListConnections, UpdateConnection, DeleteConnection and
//! DeauthorizeConnection: how calls to an HTTP API are authorized. Secrets are kept and never answered back; every
//! member a call breaks is named in one ValidationException, as AWS counts them (`3 validation errors detected:`).

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{EventsError, check_description, page_size, spec};
use crate::Events;
use crate::connection::storage::{ConnectionChange, connection, connections};
use crate::connection::{
    Auth, AuthorizationType, Connection, ConnectionState, HttpParameters, OAuth, connection_arn, secret_arn,
};
use skywatch_model::EventResource;

const TOKEN_KIND: &str = "events-connections";
/// Connections one account may have in one region.
pub const MAX_CONNECTIONS: usize = 100;
/// Parameters a connection adds to calls, at most (each of headers, query strings, body).
pub const MAX_PARAMETERS: usize = 100;

/// The violations of one request, reported together in AWS's wording.
#[derive(Default)]
pub(crate) struct Violations(Vec<String>);

impl Violations {
    pub(crate) fn add(&mut self, value: &str, member: &str, rule: &str) {
        self.0.push(format!("Value '{value}' at '{member}' failed to satisfy constraint: Member must {rule}"));
    }

    /// A name's pattern and length.
    pub(crate) fn name(&mut self, name: &str, member: &str) {
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) || name.is_empty() {
            self.add(name, member, r"satisfy regular expression pattern: [\.\-_A-Za-z0-9]+");
        }
        if name.len() > 64 {
            self.add(name, member, "have length less than or equal to 64");
        }
    }

    pub(crate) fn finish(self) -> Result<(), EventsError> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(EventsError::Validation(format!("1 validation error detected: {}", self.0[0]))),
            n => Err(EventsError::Validation(format!("{n} validation errors detected: {}", self.0.join("; ")))),
        }
    }
}

fn connection_resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::Events::Connection".into(), arn: arn.to_owned() }
}

fn missing(name: &str) -> EventsError {
    EventsError::NotFound(format!("Failed to describe the connection(s). Connection '{name}' does not exist."))
}

/// CreateConnection's and UpdateConnection's input (secrets are left out of CloudTrail's record).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_type: Option<String>,
    #[serde(skip)]
    pub auth: Option<Auth>,
}

fn check_parameters(parameters: Option<&HttpParameters>) -> Result<(), EventsError> {
    if let Some(p) = parameters
        && (p.headers.len() > MAX_PARAMETERS || p.query.len() > MAX_PARAMETERS || p.body.len() > MAX_PARAMETERS)
    {
        return Err(super::over_quota());
    }
    Ok(())
}

/// Checks that `auth` carries what `kind` needs.
fn check_auth(kind: AuthorizationType, auth: &Auth) -> Result<(), EventsError> {
    let missing = |what: &str| {
        EventsError::Validation(format!("{what} must be provided for authorization type {}.", kind.as_str()))
    };
    match kind {
        AuthorizationType::Basic if auth.basic.is_none() => return Err(missing("BasicAuthParameters")),
        AuthorizationType::ApiKey if auth.api_key.is_none() => return Err(missing("ApiKeyAuthParameters")),
        AuthorizationType::OauthClientCredentials => {
            let Some(OAuth { http_method, authorization_endpoint, parameters, .. }) = &auth.oauth else {
                return Err(missing("OAuthParameters"));
            };
            if !["GET", "POST", "PUT"].contains(&http_method.as_str()) {
                let mut v = Violations::default();
                v.add(
                    http_method,
                    "authParameters.oAuthParameters.httpMethod",
                    "satisfy enum value set: [GET, POST, PUT]",
                );
                v.finish()?;
            }
            if !authorization_endpoint.starts_with("http://") && !authorization_endpoint.starts_with("https://") {
                return Err(EventsError::Validation("AuthorizationEndpoint must be an http(s) URL.".into()));
            }
            check_parameters(Some(parameters))?;
        }
        _ => {}
    }
    check_parameters(auth.invocation.as_ref())
}

/// The state a connection starts in: OAuth ones are authorized by their first token.
fn first_state(kind: AuthorizationType) -> ConnectionState {
    match kind {
        AuthorizationType::OauthClientCredentials => ConnectionState::Authorizing,
        _ => ConnectionState::Authorized,
    }
}

/// What CreateConnection, UpdateConnection, DeleteConnection and DeauthorizeConnection answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionStateReply {
    pub arn: String,
    pub state: ConnectionState,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub authorized_ms: Option<i64>,
}

fn reply(ctx: &Context, c: &Connection) -> ConnectionStateReply {
    ConnectionStateReply {
        arn: connection_arn(&ctx.region, &ctx.account, &c.name, &c.id),
        state: c.state,
        created_ms: c.created_ms,
        modified_ms: c.modified_ms,
        authorized_ms: c.authorized_ms,
    }
}

async fn stored(events: &Events, ctx: &Context, name: &str) -> Result<Option<Connection>, EventsError> {
    let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.to_owned());
    Ok(events.store.read(move |reader| connection(reader, &account, &region, &lookup)).await?)
}

/// CreateConnection.
pub struct CreateConnection;

impl Operation for CreateConnection {
    const SPEC: Spec = spec("CreateConnection", Access::Write).with_limits(&[
        Limit::aws("Name characters", 64),
        Limit::own("connections an account and region", MAX_CONNECTIONS as u64),
        Limit::own("parameters of each kind", MAX_PARAMETERS as u64),
    ]);
    type Engine = Events;
    type Input = ConnectionInput;
    type Output = ConnectionStateReply;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ConnectionInput,
    ) -> Result<Effect<ConnectionStateReply, EventsError>, EventsError> {
        let mut violations = Violations::default();
        violations.name(&input.name, "name");
        let kind_text = input.authorization_type.clone().unwrap_or_default();
        let kind = AuthorizationType::parse(&kind_text);
        if kind.is_none() {
            violations.add(
                &kind_text,
                "authorizationType",
                "satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
            );
        }
        violations.finish()?;
        check_description(input.description.as_deref())?;
        let (Some(kind), Some(auth)) = (kind, input.auth) else {
            return Err(EventsError::Validation("AuthParameters must be provided.".into()));
        };
        check_auth(kind, &auth)?;
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.name.clone());
        let (existing, count) = events
            .store
            .read(move |reader| {
                let existing = connection(reader, &account, &region, &name)?;
                let count = connections(reader, (&account, &region), "", None, MAX_CONNECTIONS + 1)?.len();
                Ok((existing, count))
            })
            .await?;
        if existing.is_some() {
            return Err(EventsError::AlreadyExists(format!("Connection {} already exists.", input.name)));
        }
        if count >= MAX_CONNECTIONS {
            return Err(super::over_quota());
        }
        let created = Connection {
            name: input.name,
            id: uuid::Uuid::new_v4().to_string(),
            description: input.description,
            authorization_type: kind,
            auth,
            state: first_state(kind),
            state_reason: None,
            created_ms: ctx.now_ms,
            modified_ms: ctx.now_ms,
            authorized_ms: (first_state(kind) == ConnectionState::Authorized).then_some(ctx.now_ms),
        };
        let answer = ConnectionStateReply { authorized_ms: None, ..reply(ctx, &created) };
        let change = ConnectionChange::PutConnection {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            connection: Box::new(created),
        };
        Ok(Effect::commit(answer.clone(), vec![change.mutation()])
            .with_resources(vec![connection_resource(&answer.arn)]))
    }
}

/// DescribeConnection's, DeleteConnection's and DeauthorizeConnection's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionNameInput {
    pub name: String,
}

/// A connection as DescribeConnection answers it (the wire leaves its secrets out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionDescription {
    pub connection: Connection,
    pub arn: String,
    pub secret_arn: String,
}

fn describe(ctx: &Context, connection: Connection) -> ConnectionDescription {
    ConnectionDescription {
        arn: connection_arn(&ctx.region, &ctx.account, &connection.name, &connection.id),
        secret_arn: secret_arn(&ctx.region, &ctx.account, &connection.name, &connection.id),
        connection,
    }
}

/// DescribeConnection.
pub struct DescribeConnection;

impl Operation for DescribeConnection {
    const SPEC: Spec = spec("DescribeConnection", Access::Read).with_limits(&[Limit::aws("Name characters", 64)]);
    type Engine = Events;
    type Input = ConnectionNameInput;
    type Output = ConnectionDescription;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ConnectionNameInput,
    ) -> Result<Effect<ConnectionDescription, EventsError>, EventsError> {
        let mut violations = Violations::default();
        violations.name(&input.name, "name");
        violations.finish()?;
        let found = stored(events, ctx, &input.name).await?.ok_or_else(|| missing(&input.name))?;
        Ok(Effect::reply(describe(ctx, found)))
    }
}

/// ListConnections' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListConnectionsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of connections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConnectionPage {
    pub connections: Vec<ConnectionDescription>,
    pub next_token: Option<String>,
}

/// ListConnections.
pub struct ListConnections;

impl Operation for ListConnections {
    const SPEC: Spec =
        spec("ListConnections", Access::Read).with_limits(&[Limit::aws("Limit", super::MAX_PAGE as u64)]);
    type Engine = Events;
    type Input = ListConnectionsInput;
    type Output = ConnectionPage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListConnectionsInput,
    ) -> Result<Effect<ConnectionPage, EventsError>, EventsError> {
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
                connections(reader, (&account, &region), &prefix, after.as_deref(), MAX_CONNECTIONS * 2)
            })
            .await?;
        let mut matching: Vec<Connection> = found
            .into_iter()
            .filter(|c| input.connection_state.as_deref().is_none_or(|s| s == c.state.as_str()))
            .take(limit + 1)
            .collect();
        let next_token = (matching.len() > limit).then(|| {
            matching.truncate(limit);
            token::encode(TOKEN_KIND, &matching.last().map(|c| c.name.clone()).unwrap_or_default())
        });
        Ok(Effect::reply(ConnectionPage {
            connections: matching.into_iter().map(|c| describe(ctx, c)).collect(),
            next_token,
        }))
    }
}

/// UpdateConnection: what is given replaces what the connection had (its ARN stays).
pub struct UpdateConnection;

impl Operation for UpdateConnection {
    const SPEC: Spec = spec("UpdateConnection", Access::Write).with_limits(&[
        Limit::aws("Name characters", 64),
        Limit::own("parameters of each kind", MAX_PARAMETERS as u64),
    ]);
    type Engine = Events;
    type Input = ConnectionInput;
    type Output = ConnectionStateReply;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ConnectionInput,
    ) -> Result<Effect<ConnectionStateReply, EventsError>, EventsError> {
        let mut violations = Violations::default();
        violations.name(&input.name, "name");
        let kind = match input.authorization_type.as_deref() {
            Some(text) => {
                let kind = AuthorizationType::parse(text);
                if kind.is_none() {
                    violations.add(
                        text,
                        "authorizationType",
                        "satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
                    );
                }
                kind
            }
            None => None,
        };
        violations.finish()?;
        check_description(input.description.as_deref())?;
        let mut current = stored(events, ctx, &input.name).await?.ok_or_else(|| missing(&input.name))?;
        if let Some(kind) = kind {
            current.authorization_type = kind;
        }
        if let Some(auth) = input.auth {
            current.auth = auth;
        }
        check_auth(current.authorization_type, &current.auth)?;
        if input.description.is_some() {
            current.description = input.description;
        }
        current.state = first_state(current.authorization_type);
        current.state_reason = None;
        current.modified_ms = ctx.now_ms;
        if current.state == ConnectionState::Authorized {
            current.authorized_ms = Some(ctx.now_ms);
        }
        let arn = connection_arn(&ctx.region, &ctx.account, &current.name, &current.id);
        events.tokens.forget(&arn);
        let answer = reply(ctx, &current);
        let change = ConnectionChange::PutConnection {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            connection: Box::new(current),
        };
        Ok(Effect::commit(answer, vec![change.mutation()]).with_resources(vec![connection_resource(&arn)]))
    }
}

/// DeleteConnection.
pub struct DeleteConnection;

impl Operation for DeleteConnection {
    const SPEC: Spec = spec("DeleteConnection", Access::Write).with_limits(&[Limit::aws("Name characters", 64)]);
    type Engine = Events;
    type Input = ConnectionNameInput;
    type Output = ConnectionStateReply;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ConnectionNameInput,
    ) -> Result<Effect<ConnectionStateReply, EventsError>, EventsError> {
        let current = stored(events, ctx, &input.name).await?.ok_or_else(|| missing(&input.name))?;
        let answer = ConnectionStateReply { state: ConnectionState::Deleting, ..reply(ctx, &current) };
        events.tokens.forget(&answer.arn);
        let change = ConnectionChange::DeleteConnection {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: current.name,
        };
        Ok(Effect::commit(answer.clone(), vec![change.mutation()])
            .with_resources(vec![connection_resource(&answer.arn)]))
    }
}

/// DeauthorizeConnection: its calls are refused until it is updated.
pub struct DeauthorizeConnection;

impl Operation for DeauthorizeConnection {
    const SPEC: Spec = spec("DeauthorizeConnection", Access::Write).with_limits(&[Limit::aws("Name characters", 64)]);
    type Engine = Events;
    type Input = ConnectionNameInput;
    type Output = ConnectionStateReply;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ConnectionNameInput,
    ) -> Result<Effect<ConnectionStateReply, EventsError>, EventsError> {
        let current = stored(events, ctx, &input.name).await?.ok_or_else(|| missing(&input.name))?;
        let answer = reply(ctx, &current);
        events.tokens.forget(&answer.arn);
        let change = ConnectionChange::SetConnectionState {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: current.name.clone(),
            id: current.id.clone(),
            state: ConnectionState::Deauthorized,
            reason: Some("Deauthorized by DeauthorizeConnection".into()),
            now_ms: ctx.now_ms,
        };
        let answer = ConnectionStateReply { state: ConnectionState::Deauthorized, ..answer };
        Ok(Effect::commit(answer.clone(), vec![change.mutation()])
            .with_resources(vec![connection_resource(&answer.arn)]))
    }
}
