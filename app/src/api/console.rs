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
#[server(endpoint = "whoami", input = leptos::server_fn::codec::Json)]
pub async fn whoami() -> Result<Option<ConsoleContext>, ServerFnError> {
    use self::super::ssr;
    use skywatch_core::AuthMode;
    use skywatch_core::model::Caller;
    let services = ssr::services()?;
    let headers = ssr::headers().await?;
    let cookie = headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok());
    let Some(caller) = services.console_caller(cookie, ssr::now_ms()).await else {
        return Ok(None);
    };
    let user = match &caller {
        Caller::ConsoleUser { name, .. } => name.clone(),
        Caller::AccessKey { access_key_id, .. } => access_key_id.clone(),
        Caller::Anonymous { .. } => "root".into(),
        Caller::Service { service, .. } => service.clone(),
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
    use skywatch_core::model::{Caller, DEFAULT_ACCOUNT, DEFAULT_REGION};
    use skywatch_core::ops::Context;
    let services = ssr::services()?;
    let anonymous = Caller::Anonymous { account: DEFAULT_ACCOUNT.into() };
    let ctx = Context::new(anonymous, DEFAULT_REGION, uuid::Uuid::new_v4().to_string(), ssr::now_ms())
        .from_origin(ssr::origin().await);
    let outcome = services.sign_in(ctx, &username, &password).await.map_err(|e| ServerFnError::new(e.to_string()))?;
    let next = safe_next(next.as_deref());
    let signed_in = match outcome {
        skywatch_core::SignInOutcome::SignedIn(signed_in) => signed_in,
        refused => {
            // Back to the form with the error in the URL: works the same with and without JavaScript.
            let error = match refused {
                skywatch_core::SignInOutcome::Throttled { retry_after_s } => format!("throttled&retry={retry_after_s}"),
                _ => "1".to_owned(),
            };
            leptos_axum::redirect(&format!("/login?error={error}&next={}", crate::components::query::encode(&next)));
            return Ok(());
        }
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!(
            "{}={}; {}; Max-Age={}",
            skywatch_core::SESSION_COOKIE,
            signed_in.token,
            ssr::cookie_attributes().await,
            skywatch_core::auth::SESSION_LIFETIME_HOURS * 3600
        );
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
    leptos_axum::redirect(&next);
    Ok(())
}

/// Only same-site paths are followed after sign-in. The candidate is resolved the way a browser resolves a
/// `Location` (the WHATWG URL parser: tabs and newlines dropped, backslashes read as slashes), so `/\t/evil.example`
/// cannot become `//evil.example`; anything that leaves this origin, or is not a path, goes to `/`.
#[cfg(feature = "ssr")]
pub fn safe_next(next: Option<&str>) -> String {
    const BASE: &str = "http://skywatch.invalid/";
    let Some(next) = next.filter(|n| n.starts_with('/')) else {
        return "/".to_owned();
    };
    let Ok(base) = url::Url::parse(BASE) else {
        return "/".to_owned();
    };
    match base.join(next) {
        Ok(resolved) if resolved.origin() == base.origin() && resolved.username().is_empty() => {
            let mut path = resolved.path().to_owned();
            if let Some(query) = resolved.query() {
                path.push('?');
                path.push_str(query);
            }
            if let Some(fragment) = resolved.fragment() {
                path.push('#');
                path.push_str(fragment);
            }
            // A path that starts with `//` would still be read as another host by the browser.
            if path.starts_with("//") { "/".to_owned() } else { path }
        }
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
        let clear = format!("{}=; {}; Max-Age=0", skywatch_core::SESSION_COOKIE, ssr::cookie_attributes().await);
        if let Ok(value) = axum::http::HeaderValue::from_str(&clear) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
    leptos_axum::redirect("/login");
    Ok(())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/cloudtrail/event-history?range=1h")), "/cloudtrail/event-history?range=1h");
        // Issue 9: browsers drop tabs and newlines and read backslashes as slashes.
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\\/evil.example",
            "///evil.example",
            "/.//evil.example",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/metrics/../dashboards?a=1#x")), "/dashboards?a=1#x");
    }
}
