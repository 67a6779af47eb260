//! Server-side helpers shared by the server functions: the services, the signed-in caller, and the context an
//! operation runs in. Server functions are thin adapters: they build a [`Context`] and a typed input and call
//! `Services::invoke`, the same operation the AWS API runs, so both are authorised, validated and recorded
//! alike.

use axum::http::{HeaderMap, StatusCode};
use leptos::prelude::*;
use skywatch_core::model::Caller;
use skywatch_core::ops::{AwsError, Context, Origin};
use skywatch_core::{Failure, Services};

pub fn services() -> Result<Services, ServerFnError> {
    use_context::<Services>().ok_or_else(|| ServerFnError::new("services are not available"))
}

pub async fn headers() -> Result<HeaderMap, ServerFnError> {
    leptos_axum::extract::<HeaderMap>().await.map_err(|e| ServerFnError::new(e.to_string()))
}

/// How the request reached the server, as the request guard saw it: over HTTPS (through a proxy, or at an
/// `https` public URL) the session cookie is `Secure`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transport {
    pub https: bool,
}

/// The transport of the current request (plain HTTP when nothing says otherwise).
pub async fn transport() -> Transport {
    leptos_axum::extract::<axum::Extension<Transport>>().await.map(|e| e.0).unwrap_or_default()
}

/// The attributes every session cookie carries: `Secure` over HTTPS.
pub async fn cookie_attributes() -> &'static str {
    if transport().await.https {
        "Path=/; HttpOnly; SameSite=Strict; Secure"
    } else {
        "Path=/; HttpOnly; SameSite=Strict"
    }
}

/// The time of a console call: the one place the console reads the clock.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The signed-in caller, or an error that tells the page to sign in.
pub async fn caller() -> Result<Caller, ServerFnError> {
    let services = services()?;
    let headers = headers().await?;
    let cookie = headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok());
    match services.console_caller(cookie, now_ms()).await {
        Some(caller) => Ok(caller),
        None => {
            set_status(StatusCode::UNAUTHORIZED);
            Err(ServerFnError::new("Sign in to continue."))
        }
    }
}

/// The context of a console call in `region`, acting in the account the page shows (`account`, which only
/// admins may change; everyone else acts in their own): reads and writes alike go there.
pub async fn context(region: &str, account: Option<&str>) -> Result<(Services, Context), ServerFnError> {
    let services = services()?;
    let caller = caller().await?;
    let account = services.console_account(&caller, account);
    let ctx = Context::new(caller, region, uuid::Uuid::new_v4().to_string(), now_ms())
        .in_account(account)
        .from_origin(origin().await);
    Ok((services, ctx))
}

pub fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// A failed operation as the console reports it: the HTTP status of its AWS code, and `Code: message`.
pub fn failed<E: AwsError>(failure: Failure<E>) -> ServerFnError {
    let code = failure.code();
    set_status(StatusCode::from_u16(code.status).unwrap_or(StatusCode::BAD_REQUEST));
    ServerFnError::new(format!("{}: {failure}", code.audit_code()))
}

/// The client's address and user agent, for CloudTrail.
pub async fn origin() -> Origin {
    let headers = headers().await.unwrap_or_default();
    let user_agent =
        headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("console").to_owned();
    let source_ip = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|_| "127.0.0.1".into());
    Origin { source_ip, user_agent }
}
