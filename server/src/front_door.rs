//! The axum side of the AWS front door: reads the body within its bounds (`bodies`) and hands the request to the
//! wire edge, which does everything AWS-specific.

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use skywatch_awsapi::streaming::ReplyStream;
use skywatch_awsapi::{
    ApiReply, ApiRequest, MAX_DECODED_BYTES, MAX_REQUEST_BYTES, OtlpSender, handle_otlp, reply as reply_api,
    request_limit, too_large,
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
                Edge::Api => reply_api(&state.services, request).await,
                Edge::Otlp => ApiReply::Whole(handle_otlp(&state.services, request, OtlpSender::Signed).await),
            };
            drop(read);
            response
        }
        Err(BodyError::TooLarge) => ApiReply::Whole(too_large(&parts.headers, parts.uri.path())),
        Err(error) => {
            // The body did not arrive whole in time, or the connection broke: nothing was read or done.
            tracing::debug!(?error, "request body not read");
            let mut out = Response::new(Body::from("The request body was not received in time."));
            *out.status_mut() = StatusCode::REQUEST_TIMEOUT;
            return out;
        }
    };
    let (response, body) = match response {
        ApiReply::Whole(mut response) => {
            let body = Body::from(std::mem::take(&mut response.body));
            (response, body)
        }
        ApiReply::Streamed { head, body } => (head, Body::new(Streamed(body))),
    };
    let mut out = Response::new(body);
    *out.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in response.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            out.headers_mut().append(name, value);
        }
    }
    out
}

/// A streamed reply's body (an event stream), its chunks sent as they are made. Dropped when the client goes or
/// the connection breaks, which drops what makes the chunks (a Live Tail session ends with it).
struct Streamed(ReplyStream);

impl hyper::body::Body for Streamed {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        self.0.poll_chunk(cx).map(|chunk| chunk.map(|bytes| Ok(hyper::body::Frame::data(bytes))))
    }
}
