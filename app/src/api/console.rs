//! Who is signed in, and signing in and out.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What every page's frame needs to know about the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleContext {
    pub user: String,
    pub role: String,
    pub account: String,
    pub accounts: Vec<String>,
    /// False when the server runs with `--auth none`: there is no sign-out then.
    pub auth_enabled: bool,
}

/// The signed-in user, or `None` when the page should send the browser to the login page.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<ConsoleContext>, ServerFnError> {
    use self::super::ssr;
    use skywatch_core::AuthMode;
    use skywatch_core::model::Caller;
    let services = ssr::services()?;
    let headers = ssr::headers().await?;
    let cookie = headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok());
    let Some(caller) = services.console_caller(cookie).await else {
        return Ok(None);
    };
    let user = match &caller {
        Caller::ConsoleUser { name, .. } => name.clone(),
        Caller::AccessKey { access_key_id, .. } => access_key_id.clone(),
        Caller::Anonymous { .. } => "root".into(),
    };
    Ok(Some(ConsoleContext {
        user,
        role: caller.role().as_str().into(),
        account: caller.account().into(),
        accounts: services.known_accounts(),
        auth_enabled: services.auth_mode == AuthMode::SigV4,
    }))
}

/// Signs in: checks the password, starts a session in an HttpOnly SameSite=Strict cookie, records the
/// sign-in in CloudTrail, and sends the browser on.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String, next: Option<String>) -> Result<(), ServerFnError> {
    use self::super::ssr;
    use skywatch_core::model::{Caller, DEFAULT_ACCOUNT, Role};
    let services = ssr::services()?;
    let user = services.users.verify(&username, &password).await.map_err(|e| ServerFnError::new(e.to_string()))?;
    let caller = Caller::ConsoleUser {
        name: username.clone(),
        account: DEFAULT_ACCOUNT.into(),
        role: user.as_ref().map(|u| u.role).unwrap_or(Role::Viewer),
    };
    let sign_in = ssr::ConsoleEvent::sign_in(&caller).parameters(serde_json::json!({ "userName": username }));
    let Some(user) = user else {
        let outcome = Some(("Failed authentication".to_owned(), "Incorrect user name or password.".to_owned()));
        sign_in.outcome(outcome).commit().await?;
        // Back to the form with the error in the URL: works the same with and without JavaScript.
        let next = safe_next(next.as_deref());
        leptos_axum::redirect(&format!("/login?error=1&next={}", crate::components::query::encode(&next)));
        return Ok(());
    };
    let token = services.sessions.create(&user.name, user.role).await.map_err(|e| ServerFnError::new(e.to_string()))?;
    sign_in.commit().await?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
            skywatch_core::SESSION_COOKIE,
            skywatch_core::auth::SESSION_LIFETIME_HOURS * 3600
        );
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Only same-site paths are followed after sign-in.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Signs out: ends the session and clears the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    use self::super::ssr;
    let services = ssr::services()?;
    let headers = ssr::headers().await?;
    let cookie = headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(token) = skywatch_core::cookie_value(cookie, skywatch_core::SESSION_COOKIE) {
        services.sessions.delete(token).await.map_err(|e| ServerFnError::new(e.to_string()))?;
    }
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let clear = format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", skywatch_core::SESSION_COOKIE);
        if let Ok(value) = axum::http::HeaderValue::from_str(&clear) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
    leptos_axum::redirect("/login");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/cloudtrail/event-history?range=1h")), "/cloudtrail/event-history?range=1h");
        for hostile in ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
