//! The axum side of the AWS front door: reads the body within its bounds (`bodies`) and hands the request to the
//! wire edge, which does everything AWS-specific.

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use skywatch_awsapi::{
    ApiRequest, MAX_DECODED_BYTES, MAX_REQUEST_BYTES, OtlpSender, handle as handle_api, handle_otlp, request_limit,
    too_large,
};

use crate::bodies::BodyError;
use crate::router::AppState;

/// Which wire edge serves a request.
#[derive(Clone, Copy)]
enum Edge {
    /// The AWS APIs.
    Api,
    /// OTLP/HTTP traces (`/v1/traces`), signed for X-Ray.
    Otlp,
}

pub async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    request: Request<Body>,
) -> Response {
    serve(state, peer, request, Edge::Api).await
}

/// `/v1/traces`: OpenTelemetry's OTLP/HTTP exporters.
pub async fn otlp(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    request: Request<Body>,
) -> Response {
    serve(state, peer, request, Edge::Otlp).await
}

async fn serve(state: AppState, peer: std::net::SocketAddr, request: Request<Body>, edge: Edge) -> Response {
    let (parts, body) = request.into_parts();
    // A compressed body may be inflated: its budget covers the inflated copy too.
    let inflated = if parts.headers.contains_key(header::CONTENT_ENCODING) { MAX_DECODED_BYTES } else { 0 };
    let limit = match edge {
        Edge::Api => request_limit(&parts.headers),
        Edge::Otlp => MAX_REQUEST_BYTES,
    };
    let response = match state.bodies.read(&parts.headers, body, limit, inflated).await {
        Ok(read) => {
            let request = ApiRequest {
                method: parts.method.as_str().to_owned(),
                path: parts.uri.path().to_owned(),
                query: parts.uri.query().unwrap_or("").to_owned(),
                headers: parts.headers,
                body: read.bytes.clone(),
                source_ip: peer.ip().to_string(),
            };
            let response = match edge {
                Edge::Api => handle_api(&state.services, request).await,
                Edge::Otlp => handle_otlp(&state.services, request, OtlpSender::Signed).await,
            };
            drop(read);
            response
        }
        Err(BodyError::TooLarge) => too_large(&parts.headers, parts.uri.path()),
        Err(error) => {
            // The body did not arrive whole in time, or the connection broke: nothing was read or done.
            tracing::debug!(?error, "request body not read");
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
