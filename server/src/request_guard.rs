//! Refuses requests that did not come from this server's own clients, before any route sees them: a `Host` the
//! server does not serve (DNS rebinding), a state-changing request a browser marks as sent from another site
//! (cross-site request forgery, including other ports of the same machine), and a console server function called
//! with a content type other than its own. Also tells the console whether the page was served over HTTPS, so
//! the session cookie is `Secure` then. SECURITY.md states the threat model this implements.

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use skywatch_app::api::FORM_ENDPOINTS;
use skywatch_app::api::ssr::Transport;
use skywatch_core::AuthMode;

/// What the guard accepts.
#[derive(Debug, Clone)]
pub struct Guard {
    /// Host names served besides IP literals and `localhost` (lower case, no port), from `--public-url`.
    names: Vec<String>,
    /// The origins of the public URLs (scheme, host, port), which pages served there post from.
    origins: Vec<url::Origin>,
    /// Those of them reached over HTTPS.
    https_names: Vec<String>,
    auth_mode: AuthMode,
}

impl Guard {
    /// `public_urls` are the addresses users reach the server by (behind a proxy, on a LAN name).
    pub fn new(public_urls: &[url::Url], auth_mode: AuthMode) -> Self {
        let name = |u: &url::Url| u.host_str().map(|h| normalise(h).to_owned());
        let names = public_urls.iter().filter_map(name).collect();
        let https_names = public_urls.iter().filter(|u| u.scheme() == "https").filter_map(name).collect();
        let origins = public_urls.iter().map(url::Url::origin).collect();
        Self { names, origins, https_names, auth_mode }
    }

    /// Whether a `Host` header value names this server: an IP address (a page cannot rebind a literal address to
    /// itself), `localhost` and its subdomains, or a configured public name.
    fn serves(&self, host: &str) -> bool {
        let name = host_name(host);
        name.parse::<IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.names.contains(&name)
    }

    /// Why a state-changing request is refused as sent from another site, if it is. The Origin must be this
    /// server as the request reached it (scheme, host and port) or a public URL's origin.
    fn cross_site(&self, headers: &HeaderMap, host: Option<&str>) -> Option<String> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(site) = text("sec-fetch-site")
            && !matches!(site.to_ascii_lowercase().as_str(), "same-origin" | "none")
        {
            return Some(format!("the browser marks this request as sent from a {site} page"));
        }
        let origin = text("origin")?;
        let Ok(url) = url::Url::parse(origin) else {
            return Some(format!("its Origin {origin:?} is not this server"));
        };
        let origin_host = url.host_str().map(normalise).unwrap_or_default().to_ascii_lowercase();
        let scheme = if self.https(headers, host) { "https" } else { "http" };
        let same_origin = host.is_some_and(|host| {
            let (name, port) = split_host(host);
            url.scheme() == scheme
                && name == origin_host
                && port.or(default_port(scheme)) == url.port_or_known_default()
        });
        if same_origin || self.origins.contains(&url.origin()) {
            None
        } else {
            Some(format!("its Origin {origin:?} is not this server"))
        }
    }

    /// Whether the page is served over HTTPS (a proxy in front says so, or the host is an `https` public URL).
    fn https(&self, headers: &HeaderMap, host: Option<&str>) -> bool {
        let forwarded = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        forwarded || host.is_some_and(|host| self.https_names.contains(&host_name(host)))
    }
}

fn normalise(name: &str) -> &str {
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.strip_suffix('.').unwrap_or(name)
}

/// A `Host` value split into its lower-case name and its port.
fn split_host(host: &str) -> (String, Option<u16>) {
    let host = host.trim().to_ascii_lowercase();
    let (name, port) = match host.rsplit_once(':') {
        // `[::1]:4566`, `name:4566`; a bare IPv6 literal has colons but no brackets and no port.
        Some((name, port)) if !name.contains(':') || name.ends_with(']') => (name.to_owned(), port.parse().ok()),
        _ => (host.clone(), None),
    };
    (normalise(&name).to_owned(), port)
}

fn host_name(host: &str) -> String {
    split_host(host).0
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// A request signed with SigV4 proves its key holder sent it (the signature covers the `Host`), so a signed API
/// call may name any host: containers reach the server by their service name. Only calls bound for the AWS front
/// door (POSTs outside the console's `/api/`) count: the console never takes a signature.
fn is_signed_api_call(request: &Request<Body>) -> bool {
    if request.method() != Method::POST || request.uri().path().starts_with("/api/") {
        return false;
    }
    let authorization = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    authorization.is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 "))
        || request.uri().query().is_some_and(|q| q.contains("X-Amz-Signature="))
}

/// The media type of a `Content-Type` value, without parameters, lower case.
fn media_type(headers: &HeaderMap) -> String {
    let value = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    value.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The content type a console server function takes.
fn server_fn_type(path: &str) -> Option<&'static str> {
    let endpoint = path.strip_prefix("/api/")?;
    Some(if FORM_ENDPOINTS.contains(&endpoint) { "application/x-www-form-urlencoded" } else { "application/json" })
}

fn refuse(status: StatusCode, message: String) -> Response {
    tracing::debug!(%status, %message, "request refused by the guard");
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

pub async fn check(State(guard): State<Arc<Guard>>, mut request: Request<Body>, next: Next) -> Response {
    let host = match request.headers().get(header::HOST).map(|v| v.to_str()) {
        Some(Ok(host)) => Some(host.to_owned()),
        Some(Err(_)) => return refuse(StatusCode::BAD_REQUEST, "The Host header is not text.".to_owned()),
        None => request.uri().authority().map(|a| a.to_string()),
    };
    let signed = guard.auth_mode == AuthMode::SigV4 && is_signed_api_call(&request);
    if let Some(host) = host.as_deref()
        && !signed
        && !guard.serves(host)
    {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            format!("Skywatch does not serve the host {host:?}. Start it with --public-url to serve that name."),
        );
    }
    let state_changing = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if state_changing && let Some(reason) = guard.cross_site(request.headers(), host.as_deref()) {
        return refuse(StatusCode::FORBIDDEN, format!("Cross-site request refused: {reason}."));
    }
    if request.method() == Method::POST
        && let Some(wanted) = server_fn_type(request.uri().path())
    {
        let got = media_type(request.headers());
        if got != wanted {
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("This console function takes {wanted}, not {got:?}."),
            );
        }
    }
    let https = guard.https(request.headers(), host.as_deref());
    request.extensions_mut().insert(Transport { https });
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        map
    }

    #[test]
    fn hosts_are_loopback_names_addresses_or_public_urls() {
        let guard = Guard::new(&[url::Url::parse("https://Watch.Example.com/").unwrap()], AuthMode::None);
        for ok in [
            "127.0.0.1:4566",
            "localhost:4566",
            "LOCALHOST",
            "[::1]:80",
            "a.localhost",
            "10.0.0.5",
            "watch.example.com",
        ] {
            assert!(guard.serves(ok), "{ok}");
        }
        for bad in ["evil.example:4566", "localhost.evil.example", "watch.example.com.evil", ""] {
            assert!(!guard.serves(bad), "{bad}");
        }
    }

    /// Issue 10: SameSite=Strict still sends cookies from other ports of the same host; Origin tells them apart.
    #[test]
    fn cross_site_requests_are_told_apart() {
        let guard = Guard::new(&[], AuthMode::SigV4);
        let host = Some("127.0.0.1:4566");
        let refused = |pairs: &[(&str, &str)]| guard.cross_site(&headers(pairs), host).is_some();
        assert!(!refused(&[]), "AWS clients send neither header");
        assert!(!refused(&[("origin", "http://127.0.0.1:4566"), ("sec-fetch-site", "same-origin")]));
        assert!(!refused(&[("sec-fetch-site", "none")]));
        assert!(refused(&[("origin", "http://127.0.0.1:8080")]), "another port is another origin");
        assert!(refused(&[("origin", "null")]));
        assert!(refused(&[("origin", "https://evil.example")]));
        assert!(refused(&[("sec-fetch-site", "same-site")]));
        assert!(refused(&[("sec-fetch-site", "cross-site")]));
        assert!(guard.cross_site(&headers(&[("origin", "http://localhost")]), Some("localhost:80")).is_none());
        assert!(guard.cross_site(&headers(&[("origin", "https://localhost")]), Some("localhost")).is_some(), "scheme");
        let public = Guard::new(&[url::Url::parse("https://watch.example.com").unwrap()], AuthMode::SigV4);
        let behind_proxy = |origin: &str| public.cross_site(&headers(&[("origin", origin)]), Some("127.0.0.1:4566"));
        assert!(behind_proxy("https://watch.example.com").is_none(), "the public URL's own pages");
        assert!(behind_proxy("http://watch.example.com").is_some(), "not its http twin");
        assert!(behind_proxy("https://watch.example.com:8443").is_some(), "nor another port");
    }

    /// Issue 10 review: an unverified signature-looking header lets only front-door calls name any host.
    #[test]
    fn only_front_door_calls_count_as_signed() {
        let request = |method: &str, path: &str| {
            Request::builder()
                .method(method)
                .uri(path)
                .header(header::AUTHORIZATION, "AWS4-HMAC-SHA256 Credential=x")
                .body(Body::empty())
                .unwrap()
        };
        assert!(is_signed_api_call(&request("POST", "/")));
        assert!(is_signed_api_call(&request("POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics")));
        assert!(!is_signed_api_call(&request("POST", "/api/login")));
        assert!(!is_signed_api_call(&request("GET", "/cloudwatch/dashboards")));
    }

    #[test]
    fn server_functions_take_their_own_type() {
        assert_eq!(server_fn_type("/api/dashboard_delete"), Some("application/json"));
        assert_eq!(server_fn_type("/api/login"), Some("application/x-www-form-urlencoded"));
        assert_eq!(server_fn_type("/"), None);
    }
}
