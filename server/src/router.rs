//! One port, two faces: the console (Leptos pages, server functions, static files) and the AWS front door.
//! Browsers GET pages; AWS clients POST to `/`, `/service/...` (CBOR) or X-Ray's paths.

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use skywatch_app::{App, shell};
use skywatch_core::Services;

use crate::bodies::{BodyError, BodyReader};
use crate::{assets, console_gate, front_door, request_guard};

#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub bodies: BodyReader,
}

pub fn leptos_options(listen: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("skywatch")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .site_addr(listen)
        .build()
}

/// The largest body a console server function reads (a dashboard body is at most 1 MiB, sent as JSON).
pub const MAX_SERVER_FN_BODY_BYTES: usize = 2 * 1024 * 1024;

pub fn build(
    services: Services,
    leptos_options: LeptosOptions,
    guard: request_guard::Guard,
    bodies: BodyReader,
) -> Router {
    let routes = generate_route_list(App);
    let state = AppState { leptos_options: leptos_options.clone(), services: services.clone(), bodies: bodies.clone() };
    let context_services = services.clone();
    let shell_options = leptos_options.clone();
    Router::new()
        .route("/", post(front_door::handle))
        .route("/service/{*operation}", post(front_door::handle))
        .route("/api/{*fn_name}", get(server_fn).post(server_fn))
        .route(skywatch_awsapi::OTLP_TRACES_PATH, any(front_door::otlp))
        .route("/healthz", get(|| async { "ok" }))
        .route("/_skywatch/inbox/{name}", post(crate::inbox::receive).with_state(services.clone()))
        .route(crate::live_tail::PATH, get(crate::live_tail::stream).with_state(services.clone()))
        // Before the console routes: `/pkg/<file>` would otherwise match the `/:service/:page` page route.
        .route("/pkg/{*file}", get(static_file))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_services.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(services.clone(), console_gate::require_session))
        .layer(axum::middleware::from_fn_with_state(services, sns_links))
        .layer(axum::middleware::from_fn_with_state(bodies, server_fn_bounds))
        .layer(axum::middleware::from_fn_with_state(std::sync::Arc::new(guard), request_guard::check))
        .with_state(state)
}

/// The links in SNS messages (`GET /?Action=ConfirmSubscription&...`, `GET /?Action=Unsubscribe&...`, and the
/// signing certificate `GET /SimpleNotificationService-<hash>.pem`) are served by the AWS front door without a
/// session or a signature, as SNS serves them; every other request goes on.
async fn sns_links(
    State(services): State<skywatch_core::Services>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let query = request.uri().query().unwrap_or("");
    if skywatch_awsapi::is_signing_certificate(request.method().as_str(), request.uri().path()) {
        let reply = skywatch_awsapi::signing_certificate(&services, request.uri().path()).await;
        return wire_reply(reply);
    }
    if !skywatch_awsapi::is_sns_link(request.method().as_str(), request.uri().path(), query) {
        return next.run(request).await;
    }
    let api_request = skywatch_awsapi::ApiRequest {
        method: "GET".into(),
        path: "/".into(),
        query: query.to_owned(),
        headers: request.headers().clone(),
        body: bytes::Bytes::new(),
        source_ip: peer.ip().to_string(),
    };
    wire_reply(skywatch_awsapi::handle_link(&services, api_request).await)
}

fn wire_reply(reply: skywatch_awsapi::wire::encode::WireResponse) -> Response {
    let mut out = Response::new(Body::from(reply.body));
    *out.status_mut() = axum::http::StatusCode::from_u16(reply.status).unwrap_or(axum::http::StatusCode::BAD_GATEWAY);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) =
            (axum::http::HeaderName::try_from(name), axum::http::HeaderValue::try_from(value))
        {
            out.headers_mut().append(name, value);
        }
    }
    out
}

async fn server_fn(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    let services = state.services.clone();
    leptos_axum::handle_server_fns_with_context(move || provide_context(services.clone()), request).await
}

/// Bounds console server-function calls (leptos registers each function's own route, so this wraps the whole
/// router and picks them by path): the body is read within the body bounds before leptos sees it (413 past
/// [`MAX_SERVER_FN_BODY_BYTES`], 408 when it does not arrive in time). Leptos answers a call whose arguments do not
/// decode with 500; that is the client's error, so it answers 400, as every other bad request does.
async fn server_fn_bounds(
    State(bodies): State<BodyReader>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    const CLIENT_ERRORS: [&[u8]; 4] = [b"Deserialization|", b"Args|", b"MissingArg|", b"Request|"];
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let read = match bodies.read(&parts.headers, body, MAX_SERVER_FN_BODY_BYTES, 0).await {
        Ok(read) => read,
        Err(BodyError::TooLarge) => {
            let message = format!("A console call's body may be at most {MAX_SERVER_FN_BODY_BYTES} bytes.");
            return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
        }
        Err(_) => {
            return (axum::http::StatusCode::REQUEST_TIMEOUT, "The request body was not received in time.")
                .into_response();
        }
    };
    let response = next.run(Request::from_parts(parts, Body::from(read.bytes.clone()))).await;
    drop(read);
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "the error could not be read").into_response();
    };
    if CLIENT_ERRORS.iter().any(|prefix| bytes.starts_with(prefix)) {
        parts.status = axum::http::StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn static_file(request: Request<Body>) -> Response {
    assets::response_for(request.uri().path())
        .unwrap_or_else(|| (axum::http::StatusCode::NOT_FOUND, "not found").into_response())
}

/// POSTs that match no console route belong to the AWS front door (X-Ray's rest-json paths and unknown ones);
/// GETs are static files or the console's not-found page.
async fn fallback(
    State(state): State<AppState>,
    connect_info: ConnectInfo<std::net::SocketAddr>,
    request: Request<Body>,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return front_door::handle(State(state), connect_info, request).await;
    }
    if let Some(asset) = assets::response_for(request.uri().path()) {
        return asset;
    }
    let services = state.services.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || provide_context(services.clone()),
        move || shell(options.clone()),
    );
    handler(request).await.into_response()
}
