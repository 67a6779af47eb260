//! The HTTP requests of API destinations: the delivery (the endpoint with the connection's query parameters, the
//! connection's headers, the authorization its type makes, the body for methods that carry one) and, for OAuth
//! connections, the client-credentials token request and the reading of its answer.

use base64::Engine as _;

use super::{ApiDestination, Auth, HttpParameters};

/// A request a sink sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// What an endpoint answered (the body read up to a bound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The most bytes of an answer read.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// `url` with `parameters` added to its query string.
fn with_query(url: &str, parameters: &[super::Parameter]) -> String {
    if parameters.is_empty() {
        return url.to_owned();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for p in parameters {
        query.append_pair(&p.key, &p.value);
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{}", query.finish())
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

/// The delivery of `body` to `destination` through a connection with `auth` (`token`: the OAuth access token).
pub fn invocation(destination: &ApiDestination, auth: &Auth, body: String, token: Option<&str>) -> HttpRequest {
    let empty = HttpParameters::default();
    let parameters = auth.invocation.as_ref().unwrap_or(&empty);
    let mut headers = vec![("content-type".to_owned(), "application/json; charset=utf-8".to_owned())];
    headers.extend(parameters.headers.iter().map(|p| (p.key.clone(), p.value.clone())));
    if let Some((user, password)) = &auth.basic {
        headers.push(("authorization".to_owned(), basic(user, password)));
    }
    if let Some((name, value)) = &auth.api_key {
        headers.push((name.clone(), value.clone()));
    }
    if let Some(token) = token {
        headers.push(("authorization".to_owned(), format!("Bearer {token}")));
    }
    let carries_body = !matches!(destination.http_method.as_str(), "GET" | "HEAD");
    HttpRequest {
        method: destination.http_method.clone(),
        url: with_query(&destination.endpoint, &parameters.query),
        headers,
        body: carries_body.then_some(body),
    }
}

/// The client-credentials token request of an OAuth connection: the client's id and secret as basic
/// authorization, the connection's OAuth body parameters as a form (`grant_type=client_credentials` unless set).
pub fn token_request(auth: &Auth) -> Option<HttpRequest> {
    let oauth = auth.oauth.as_ref()?;
    let mut form = form_urlencoded::Serializer::new(String::new());
    if !oauth.parameters.body.iter().any(|p| p.key == "grant_type") {
        form.append_pair("grant_type", "client_credentials");
    }
    for p in &oauth.parameters.body {
        form.append_pair(&p.key, &p.value);
    }
    let mut headers = vec![
        ("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
        ("authorization".to_owned(), basic(&oauth.client_id, &oauth.client_secret)),
    ];
    headers.extend(oauth.parameters.headers.iter().map(|p| (p.key.clone(), p.value.clone())));
    Some(HttpRequest {
        method: oauth.http_method.clone(),
        url: with_query(&oauth.authorization_endpoint, &oauth.parameters.query),
        headers,
        body: Some(form.finish()),
    })
}

/// The access token and its lifetime in seconds (an hour when not said) of a token endpoint's answer.
pub fn read_token(body: &[u8]) -> Option<(String, i64)> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let token = value.get("access_token")?.as_str()?.to_owned();
    let lifetime = value.get("expires_in").and_then(serde_json::Value::as_i64).unwrap_or(3600);
    Some((token, lifetime))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{OAuth, Parameter};

    fn destination(method: &str) -> ApiDestination {
        ApiDestination {
            name: "hook".into(),
            id: "1".into(),
            description: None,
            connection_arn: String::new(),
            endpoint: "https://api.example.test/orders?x=1".into(),
            http_method: method.into(),
            rate_limit: 300,
            created_ms: 0,
            modified_ms: 0,
        }
    }

    #[test]
    fn each_authorization_type_makes_its_header() {
        let invocation_parameters = HttpParameters {
            headers: vec![Parameter { key: "x-team".into(), value: "shop".into(), secret: false }],
            query: vec![Parameter { key: "source".into(), value: "event bridge".into(), secret: false }],
            body: Vec::new(),
        };
        let auth = Auth {
            basic: Some(("user".into(), "pass".into())),
            invocation: Some(invocation_parameters),
            ..Auth::default()
        };
        let request = invocation(&destination("POST"), &auth, "{}".into(), None);
        assert_eq!(request.url, "https://api.example.test/orders?x=1&source=event+bridge");
        assert!(request.headers.contains(&("authorization".into(), "Basic dXNlcjpwYXNz".into())));
        assert!(request.headers.contains(&("x-team".into(), "shop".into())));
        assert_eq!(request.body.as_deref(), Some("{}"));
        let key = Auth { api_key: Some(("x-api-key".into(), "k".into())), ..Auth::default() };
        let request = invocation(&destination("GET"), &key, "{}".into(), None);
        assert!(request.headers.contains(&("x-api-key".into(), "k".into())));
        assert_eq!(request.body, None, "GET carries no body");
        let bearer = invocation(&destination("PUT"), &Auth::default(), "{}".into(), Some("t0k"));
        assert!(bearer.headers.contains(&("authorization".into(), "Bearer t0k".into())));
    }

    #[test]
    fn oauth_asks_for_client_credentials() {
        let auth = Auth {
            oauth: Some(OAuth {
                client_id: "id".into(),
                client_secret: "secret".into(),
                authorization_endpoint: "https://auth.example.test/token".into(),
                http_method: "POST".into(),
                parameters: HttpParameters {
                    body: vec![Parameter { key: "scope".into(), value: "orders".into(), secret: false }],
                    ..HttpParameters::default()
                },
            }),
            ..Auth::default()
        };
        let request = token_request(&auth).unwrap();
        assert_eq!(request.body.as_deref(), Some("grant_type=client_credentials&scope=orders"));
        assert!(request.headers.contains(&("authorization".into(), "Basic aWQ6c2VjcmV0".into())));
        assert_eq!(read_token(br#"{"access_token":"abc","expires_in":60}"#), Some(("abc".into(), 60)));
        assert_eq!(read_token(br#"{"access_token":"abc"}"#), Some(("abc".into(), 3600)));
        assert_eq!(read_token(b"nope"), None);
    }
}
