//! Server-side helpers shared by the server functions: services, caller, client info and audit.

use axum::http::HeaderMap;
use leptos::prelude::*;
use skywatch_core::audit::EventKind;
use skywatch_core::model::{Caller, DEFAULT_REGION, EventResource};
use skywatch_core::{Action, Services};

pub fn services() -> Result<Services, ServerFnError> {
    use_context::<Services>().ok_or_else(|| ServerFnError::new("services are not available"))
}

pub async fn headers() -> Result<HeaderMap, ServerFnError> {
    leptos_axum::extract::<HeaderMap>().await.map_err(|e| ServerFnError::new(e.to_string()))
}

/// The signed-in caller, or an error that tells the page to sign in.
pub async fn caller() -> Result<Caller, ServerFnError> {
    let services = services()?;
    let headers = headers().await?;
    let cookie = headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok());
    match services.console_caller(cookie).await {
        Some(caller) => Ok(caller),
        None => {
            set_status(axum::http::StatusCode::UNAUTHORIZED);
            Err(ServerFnError::new("Sign in to continue."))
        }
    }
}

/// Refuses callers that may not mutate, with 403 and AWS's AccessDenied wording.
pub fn require_admin(caller: &Caller, action: &str) -> Result<(), ServerFnError> {
    if caller.role().may_mutate() {
        return Ok(());
    }
    set_status(axum::http::StatusCode::FORBIDDEN);
    Err(ServerFnError::new(format!("AccessDenied: viewers may not perform {action}; ask an admin.")))
}

pub fn set_status(status: axum::http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// The client's address and user agent, for CloudTrail.
pub async fn client_info() -> (String, String) {
    let headers = headers().await.unwrap_or_default();
    let agent =
        headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("console").to_owned();
    let ip = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|_| "127.0.0.1".into());
    (ip, agent)
}

/// A console action to record in CloudTrail: `ConsoleEvent::api_call(..)` or `::sign_in(..)`, then the optional
/// parts, then `commit`, which stores it durably before the server function returns.
pub struct ConsoleEvent<'a> {
    caller: &'a Caller,
    kind: EventKind,
    event_source: &'static str,
    event_name: &'static str,
    region: String,
    parameters: Option<serde_json::Value>,
    resources: Vec<EventResource>,
    outcome: Option<(String, String)>,
    data: Vec<skywatch_core::store::Mutation>,
}

impl<'a> ConsoleEvent<'a> {
    /// An API call the console makes on the user's behalf, in the default region.
    pub fn api_call(caller: &'a Caller, event_source: &'static str, event_name: &'static str) -> Self {
        Self {
            caller,
            kind: EventKind::ApiCall,
            event_source,
            event_name,
            region: DEFAULT_REGION.to_owned(),
            parameters: None,
            resources: Vec::new(),
            outcome: None,
            data: Vec::new(),
        }
    }

    /// A console sign-in (`ConsoleLogin`).
    pub fn sign_in(caller: &'a Caller) -> Self {
        Self { kind: EventKind::ConsoleSignIn, ..Self::api_call(caller, "signin.amazonaws.com", "ConsoleLogin") }
    }

    pub fn in_region(self, region: &str) -> Self {
        Self { region: region.to_owned(), ..self }
    }

    pub fn parameters(self, parameters: serde_json::Value) -> Self {
        Self { parameters: Some(parameters), ..self }
    }

    pub fn resources(self, resources: Vec<EventResource>) -> Self {
        Self { resources, ..self }
    }

    /// The action's error code and message when it failed.
    pub fn outcome(self, outcome: Option<(String, String)>) -> Self {
        Self { outcome, ..self }
    }

    /// Data changes committed in the same durable batch as the record.
    pub fn data(self, data: Vec<skywatch_core::store::Mutation>) -> Self {
        Self { data, ..self }
    }

    pub async fn commit(self) -> Result<(), ServerFnError> {
        let services = services()?;
        let (source_ip, user_agent) = client_info().await;
        let action = Action {
            caller: self.caller.clone(),
            region: self.region,
            event_source: self.event_source,
            event_name: self.event_name.to_owned(),
            source_ip,
            user_agent,
            request_id: uuid::Uuid::new_v4().to_string(),
            request_parameters: self.parameters,
            resources: self.resources,
        };
        services
            .commit_with_audit(self.kind, action, self.data, self.outcome)
            .await
            .map_err(|e| ServerFnError::new(e.to_string()))
    }
}
