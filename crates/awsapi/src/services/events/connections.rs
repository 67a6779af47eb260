//! Connections and API destinations in their wire shapes: DescribeConnection answers the authorization without
//! its secrets (no Password, ApiKeyValue, ClientSecret, nor the value of a parameter marked secret).

use serde_json::{Map, Value, json};
use skywatch_core::events::connection::{Auth, HttpParameters, OAuth, Parameter};
use skywatch_core::events::{
    ApiDestinationDescription, ApiDestinationInput, ApiDestinationNameInput, ApiDestinationPage,
    ApiDestinationStateReply, ConnectionDescription, ConnectionInput, ConnectionNameInput, ConnectionPage,
    ConnectionStateReply, CreateApiDestination, CreateConnection, DeauthorizeConnection, DeleteApiDestination,
    DeleteConnection, DescribeApiDestination, DescribeConnection, ListApiDestinations, ListApiDestinationsInput,
    ListConnections, ListConnectionsInput, UpdateApiDestination, UpdateConnection,
};
use skywatch_core::ops::Context;

use super::{owned, put, seconds};
use crate::errors::ApiError;
use crate::params::{bool_opt, i64_opt, list_opt, str_opt, str_required};
use crate::registry::Wire;

fn structure<'a>(params: &'a Value, name: &str) -> Result<Option<&'a Value>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Object(_)) => Ok(Some(value)),
        Some(_) => Err(ApiError::Serialization(format!("The parameter {name} must be a structure."))),
    }
}

fn parameters(params: &Value, name: &str) -> Result<Vec<Parameter>, ApiError> {
    list_opt(params, name)?
        .iter()
        .map(|p| {
            Ok(Parameter {
                key: str_opt(p, "Key")?.unwrap_or_default().to_owned(),
                value: str_opt(p, "Value")?.unwrap_or_default().to_owned(),
                secret: bool_opt(p, "IsValueSecret")?.unwrap_or(false),
            })
        })
        .collect()
}

fn http_parameters(params: &Value) -> Result<HttpParameters, ApiError> {
    Ok(HttpParameters {
        headers: parameters(params, "HeaderParameters")?,
        query: parameters(params, "QueryStringParameters")?,
        body: parameters(params, "BodyParameters")?,
    })
}

fn auth(params: &Value) -> Result<Option<Auth>, ApiError> {
    let Some(auth) = structure(params, "AuthParameters")? else { return Ok(None) };
    let basic = match structure(auth, "BasicAuthParameters")? {
        Some(b) => Some((str_required(b, "Username")?.to_owned(), str_required(b, "Password")?.to_owned())),
        None => None,
    };
    let api_key = match structure(auth, "ApiKeyAuthParameters")? {
        Some(k) => Some((str_required(k, "ApiKeyName")?.to_owned(), str_required(k, "ApiKeyValue")?.to_owned())),
        None => None,
    };
    let oauth = match structure(auth, "OAuthParameters")? {
        Some(o) => {
            let client = structure(o, "ClientParameters")?
                .ok_or_else(|| ApiError::Serialization("The parameter ClientParameters is required.".into()))?;
            Some(OAuth {
                client_id: str_required(client, "ClientID")?.to_owned(),
                client_secret: str_required(client, "ClientSecret")?.to_owned(),
                authorization_endpoint: str_required(o, "AuthorizationEndpoint")?.to_owned(),
                http_method: str_required(o, "HttpMethod")?.to_owned(),
                parameters: match structure(o, "OAuthHttpParameters")? {
                    Some(p) => http_parameters(p)?,
                    None => HttpParameters::default(),
                },
            })
        }
        None => None,
    };
    let invocation = match structure(auth, "InvocationHttpParameters")? {
        Some(p) => Some(http_parameters(p)?),
        None => None,
    };
    Ok(Some(Auth { basic, api_key, oauth, invocation }))
}

fn connection_input(params: &Value) -> Result<ConnectionInput, ApiError> {
    Ok(ConnectionInput {
        name: str_required(params, "Name")?.to_owned(),
        description: owned(str_opt(params, "Description")?),
        authorization_type: owned(str_opt(params, "AuthorizationType")?),
        auth: auth(params)?,
    })
}

fn state_reply(reply: ConnectionStateReply) -> Value {
    let mut out = Map::new();
    out.insert("ConnectionArn".into(), json!(reply.arn));
    out.insert("ConnectionState".into(), json!(reply.state.as_str()));
    out.insert("CreationTime".into(), seconds(reply.created_ms));
    out.insert("LastModifiedTime".into(), seconds(reply.modified_ms));
    put(&mut out, "LastAuthorizedTime", reply.authorized_ms.map(seconds));
    Value::Object(out)
}

impl Wire for CreateConnection {
    fn decode(_ctx: &Context, params: &Value) -> Result<ConnectionInput, ApiError> {
        connection_input(params)
    }

    fn encode(reply: ConnectionStateReply) -> Value {
        state_reply(reply)
    }
}

impl Wire for UpdateConnection {
    fn decode(_ctx: &Context, params: &Value) -> Result<ConnectionInput, ApiError> {
        connection_input(params)
    }

    fn encode(reply: ConnectionStateReply) -> Value {
        state_reply(reply)
    }
}

fn connection_name(params: &Value) -> Result<ConnectionNameInput, ApiError> {
    Ok(ConnectionNameInput { name: str_required(params, "Name")?.to_owned() })
}

impl Wire for DeleteConnection {
    fn decode(_ctx: &Context, params: &Value) -> Result<ConnectionNameInput, ApiError> {
        connection_name(params)
    }

    fn encode(reply: ConnectionStateReply) -> Value {
        state_reply(reply)
    }
}

impl Wire for DeauthorizeConnection {
    fn decode(_ctx: &Context, params: &Value) -> Result<ConnectionNameInput, ApiError> {
        connection_name(params)
    }

    fn encode(reply: ConnectionStateReply) -> Value {
        state_reply(reply)
    }
}

/// Parameters as answered: a secret one without its value.
fn shown_parameters(parameters: &[Parameter]) -> Value {
    Value::Array(
        parameters
            .iter()
            .map(|p| {
                let mut out = json!({ "Key": p.key, "IsValueSecret": p.secret });
                if !p.secret {
                    out["Value"] = json!(p.value);
                }
                out
            })
            .collect(),
    )
}

fn shown_http(parameters: &HttpParameters) -> Value {
    let mut out = Map::new();
    if !parameters.headers.is_empty() {
        out.insert("HeaderParameters".into(), shown_parameters(&parameters.headers));
    }
    if !parameters.query.is_empty() {
        out.insert("QueryStringParameters".into(), shown_parameters(&parameters.query));
    }
    if !parameters.body.is_empty() {
        out.insert("BodyParameters".into(), shown_parameters(&parameters.body));
    }
    Value::Object(out)
}

fn shown_auth(auth: &Auth) -> Value {
    let mut out = Map::new();
    if let Some((user, _)) = &auth.basic {
        out.insert("BasicAuthParameters".into(), json!({ "Username": user }));
    }
    if let Some((name, _)) = &auth.api_key {
        out.insert("ApiKeyAuthParameters".into(), json!({ "ApiKeyName": name }));
    }
    if let Some(oauth) = &auth.oauth {
        let mut o = json!({
            "ClientParameters": { "ClientID": oauth.client_id },
            "AuthorizationEndpoint": oauth.authorization_endpoint,
            "HttpMethod": oauth.http_method,
        });
        if !oauth.parameters.is_empty() {
            o["OAuthHttpParameters"] = shown_http(&oauth.parameters);
        }
        out.insert("OAuthParameters".into(), o);
    }
    if let Some(invocation) = &auth.invocation {
        out.insert("InvocationHttpParameters".into(), shown_http(invocation));
    }
    Value::Object(out)
}

/// A connection's members; its authorization and secret ARN only when `whole`.
fn connection(described: ConnectionDescription, whole: bool) -> Value {
    let c = described.connection;
    let mut out = Map::new();
    out.insert("ConnectionArn".into(), json!(described.arn));
    out.insert("Name".into(), json!(c.name));
    if whole {
        put(&mut out, "Description", c.description);
    }
    out.insert("ConnectionState".into(), json!(c.state.as_str()));
    put(&mut out, "StateReason", c.state_reason);
    out.insert("AuthorizationType".into(), json!(c.authorization_type.as_str()));
    if whole {
        out.insert("SecretArn".into(), json!(described.secret_arn));
        out.insert("AuthParameters".into(), shown_auth(&c.auth));
    }
    out.insert("CreationTime".into(), seconds(c.created_ms));
    out.insert("LastModifiedTime".into(), seconds(c.modified_ms));
    put(&mut out, "LastAuthorizedTime", c.authorized_ms.map(seconds));
    Value::Object(out)
}

impl Wire for DescribeConnection {
    fn decode(_ctx: &Context, params: &Value) -> Result<ConnectionNameInput, ApiError> {
        connection_name(params)
    }

    fn encode(described: ConnectionDescription) -> Value {
        connection(described, true)
    }
}

impl Wire for ListConnections {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListConnectionsInput, ApiError> {
        Ok(ListConnectionsInput {
            name_prefix: owned(str_opt(params, "NamePrefix")?),
            connection_state: owned(str_opt(params, "ConnectionState")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: ConnectionPage) -> Value {
        let mut out = Map::new();
        let list = page.connections.into_iter().map(|c| connection(c, false)).collect();
        out.insert("Connections".into(), Value::Array(list));
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

fn destination_input(params: &Value) -> Result<ApiDestinationInput, ApiError> {
    Ok(ApiDestinationInput {
        name: str_required(params, "Name")?.to_owned(),
        description: owned(str_opt(params, "Description")?),
        connection_arn: owned(str_opt(params, "ConnectionArn")?),
        invocation_endpoint: owned(str_opt(params, "InvocationEndpoint")?),
        http_method: owned(str_opt(params, "HttpMethod")?),
        invocation_rate_limit_per_second: i64_opt(params, "InvocationRateLimitPerSecond")?,
    })
}

fn destination_state(reply: ApiDestinationStateReply) -> Value {
    json!({
        "ApiDestinationArn": reply.arn,
        "ApiDestinationState": if reply.active { "ACTIVE" } else { "INACTIVE" },
        "CreationTime": seconds(reply.created_ms),
        "LastModifiedTime": seconds(reply.modified_ms),
    })
}

impl Wire for CreateApiDestination {
    fn decode(_ctx: &Context, params: &Value) -> Result<ApiDestinationInput, ApiError> {
        destination_input(params)
    }

    fn encode(reply: ApiDestinationStateReply) -> Value {
        destination_state(reply)
    }
}

impl Wire for UpdateApiDestination {
    fn decode(_ctx: &Context, params: &Value) -> Result<ApiDestinationInput, ApiError> {
        destination_input(params)
    }

    fn encode(reply: ApiDestinationStateReply) -> Value {
        destination_state(reply)
    }
}

/// An API destination's members; its description only when `whole`.
fn destination(described: ApiDestinationDescription, whole: bool) -> Value {
    let d = described.destination;
    let mut out = Map::new();
    out.insert("ApiDestinationArn".into(), json!(described.arn));
    out.insert("Name".into(), json!(d.name));
    if whole {
        put(&mut out, "Description", d.description);
    }
    out.insert("ApiDestinationState".into(), json!(if described.active { "ACTIVE" } else { "INACTIVE" }));
    out.insert("ConnectionArn".into(), json!(d.connection_arn));
    out.insert("InvocationEndpoint".into(), json!(d.endpoint));
    out.insert("HttpMethod".into(), json!(d.http_method));
    out.insert("InvocationRateLimitPerSecond".into(), json!(d.rate_limit));
    out.insert("CreationTime".into(), seconds(d.created_ms));
    out.insert("LastModifiedTime".into(), seconds(d.modified_ms));
    Value::Object(out)
}

fn destination_name(params: &Value) -> Result<ApiDestinationNameInput, ApiError> {
    Ok(ApiDestinationNameInput { name: str_required(params, "Name")?.to_owned() })
}

impl Wire for DescribeApiDestination {
    fn decode(_ctx: &Context, params: &Value) -> Result<ApiDestinationNameInput, ApiError> {
        destination_name(params)
    }

    fn encode(described: ApiDestinationDescription) -> Value {
        destination(described, true)
    }
}

impl Wire for ListApiDestinations {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListApiDestinationsInput, ApiError> {
        Ok(ListApiDestinationsInput {
            name_prefix: owned(str_opt(params, "NamePrefix")?),
            connection_arn: owned(str_opt(params, "ConnectionArn")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: ApiDestinationPage) -> Value {
        let mut out = Map::new();
        let list = page.destinations.into_iter().map(|d| destination(d, false)).collect();
        out.insert("ApiDestinations".into(), Value::Array(list));
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

impl Wire for DeleteApiDestination {
    fn decode(_ctx: &Context, params: &Value) -> Result<ApiDestinationNameInput, ApiError> {
        destination_name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}
