//! Sends a browser without a session to the login page before any console page renders.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use skywatch_core::{AuthMode, Services};

/// Paths that never need a session: sign-in, static files, server functions (which check for themselves).
fn is_public(path: &str) -> bool {
    path == "/login"
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
        || path == "/favicon.svg"
        || path == "/favicon.ico"
        || path == "/healthz"
        || path == skywatch_awsapi::OTLP_TRACES_PATH
        || path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

pub async fn require_session(State(services): State<Services>, request: Request<Body>, next: Next) -> Response {
    if services.auth_mode == AuthMode::None || request.method() != Method::GET || is_public(request.uri().path()) {
        return next.run(request).await;
    }
    let cookie = request.headers().get(header::COOKIE).and_then(|v| v.to_str().ok());
    if services.console_caller(cookie, chrono::Utc::now().timestamp_millis()).await.is_some() {
        return next.run(request).await;
    }
    let target = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let encoded = skywatch_app::encode_query_value(target);
    let mut response = Redirect::to(&format!("/login?next={encoded}")).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
}
