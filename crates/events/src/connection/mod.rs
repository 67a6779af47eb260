//! Connections and API destinations. A connection holds how to authorize calls to an HTTP API (basic, an API key,
//! or OAuth client credentials) and parameters added to every call; an API destination names an endpoint, its
//! method, a connection and a rate limit. Their secrets stay in the store (AWS keeps them in Secrets Manager) and
//! are never answered back. [`http`] builds an API destination's request; [`limiter`] keeps its rate; OAuth tokens
//! are fetched by the deliverer and kept in memory ([`tokens`]).

pub mod http;
pub mod limiter;
pub mod storage;
pub mod tokens;

use serde::{Deserialize, Serialize};

/// How a connection authorizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthorizationType {
    Basic,
    ApiKey,
    OauthClientCredentials,
}

impl AuthorizationType {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorizationType::Basic => "BASIC",
            AuthorizationType::ApiKey => "API_KEY",
            AuthorizationType::OauthClientCredentials => "OAUTH_CLIENT_CREDENTIALS",
        }
    }

    pub fn parse(text: &str) -> Option<AuthorizationType> {
        [AuthorizationType::Basic, AuthorizationType::ApiKey, AuthorizationType::OauthClientCredentials]
            .into_iter()
            .find(|t| t.as_str() == text)
    }
}

/// A key and value added to calls (`IsValueSecret` ones are never answered back).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Parameter {
    pub key: String,
    pub value: String,
    #[serde(default)]
    pub secret: bool,
}

/// Headers, query strings and body members added to calls.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HttpParameters {
    #[serde(default)]
    pub headers: Vec<Parameter>,
    #[serde(default)]
    pub query: Vec<Parameter>,
    #[serde(default)]
    pub body: Vec<Parameter>,
}

impl HttpParameters {
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.query.is_empty() && self.body.is_empty()
    }
}

/// The authorization of a connection, with its secrets.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Auth {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<(String, String)>,
    /// API key: the header's name and value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuth>,
    /// Added to every call.
    #[serde(default)]
    pub invocation: Option<HttpParameters>,
}

/// OAuth client credentials.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OAuth {
    pub client_id: String,
    pub client_secret: String,
    pub authorization_endpoint: String,
    pub http_method: String,
    #[serde(default)]
    pub parameters: HttpParameters,
}

/// A connection's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConnectionState {
    Authorized,
    Authorizing,
    Deauthorized,
    Deleting,
}

impl ConnectionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Authorized => "AUTHORIZED",
            ConnectionState::Authorizing => "AUTHORIZING",
            ConnectionState::Deauthorized => "DEAUTHORIZED",
            ConnectionState::Deleting => "DELETING",
        }
    }
}

/// A connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub name: String,
    /// The ARN's last part.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub authorization_type: AuthorizationType,
    pub auth: Auth,
    pub state: ConnectionState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_ms: Option<i64>,
}

/// An API destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiDestination {
    pub name: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub connection_arn: String,
    pub endpoint: String,
    pub http_method: String,
    /// Calls a second, at most.
    pub rate_limit: i64,
    pub created_ms: i64,
    pub modified_ms: i64,
}

/// The ARN of a connection.
pub fn connection_arn(region: &str, account: &str, name: &str, id: &str) -> String {
    format!("arn:{}:events:{region}:{account}:connection/{name}/{id}", skywatch_model::partition(region))
}

/// The ARN of an API destination.
pub fn api_destination_arn(region: &str, account: &str, name: &str, id: &str) -> String {
    format!("arn:{}:events:{region}:{account}:api-destination/{name}/{id}", skywatch_model::partition(region))
}

/// The ARN of the secret a connection's credentials are kept in (AWS keeps them in Secrets Manager).
pub fn secret_arn(region: &str, account: &str, name: &str, id: &str) -> String {
    let suffix: String = id.chars().filter(char::is_ascii_alphanumeric).take(6).collect();
    format!(
        "arn:{}:secretsmanager:{region}:{account}:secret:events!connection/{name}/{id}-{suffix}",
        skywatch_model::partition(region)
    )
}

/// (account, region, name) of a connection ARN, if it is one: `arn:…:events:<region>:<account>:connection/<name>/<id>`.
pub fn parse_connection_arn(arn: &str) -> Option<(String, String, String)> {
    let mut parts = arn.splitn(6, ':');
    let (scheme, _, service, region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let rest = resource.strip_prefix("connection/")?;
    let (name, id) = rest.split_once('/')?;
    let valid = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    (scheme == "arn" && service == "events" && valid(name) && valid(id) && !region.is_empty())
        .then(|| (account.to_owned(), region.to_owned(), name.to_owned()))
}

/// The HTTP methods an API destination may use.
pub const METHODS: [&str; 7] = ["HEAD", "POST", "PATCH", "DELETE", "PUT", "GET", "OPTIONS"];
