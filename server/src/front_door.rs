//! The axum side of the AWS front door: collects the request (with the body size limit) and hands it to the
//! wire edge, which does everything AWS-specific.

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use skywatch_awsapi::{ApiRequest, MAX_REQUEST_BYTES, handle as handle_api, too_large};

use crate::router::AppState;

pub async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let response = match axum::body::to_bytes(body, MAX_REQUEST_BYTES).await {
        Ok(body) => {
            let request = ApiRequest {
                method: parts.method.as_str().to_owned(),
                path: parts.uri.path().to_owned(),
                query: parts.uri.query().unwrap_or("").to_owned(),
                headers: parts.headers,
                body,
                source_ip: peer.ip().to_string(),
            };
            handle_api(&state.services, request).await
        }
        Err(error) if is_length_limit(&error) => too_large(&parts.headers, parts.uri.path()),
        Err(error) => {
            // The body stopped arriving (its read deadline passed) or the connection broke: nothing was read.
            tracing::debug!(%error, "request body not read");
            let mut out = Response::new(Body::from("The request body was not received in time."));
            *out.status_mut() = StatusCode::REQUEST_TIMEOUT;
            return out;
        }
    };
    let mut out = Response::new(Body::from(response.body));
    *out.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in response.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            out.headers_mut().append(name, value);
        }
    }
    out
}

/// Whether reading the body failed because it is over the limit (not because it stalled).
fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}
