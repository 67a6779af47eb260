//! The sign-in page: a plain form that works without scripts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::Login as LoginAction;

#[component]
pub fn Login() -> impl IntoView {
    let action = ServerAction::<LoginAction>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let failed = move || query.read().get("error");
    let error = move || match action.value().get() {
        Some(Err(e)) => Some(e.to_string().replace("error running server function: ", "")),
        _ => match failed().as_deref() {
            Some("throttled") => {
                let retry = query.read().get("retry").and_then(|r| r.parse::<u64>().ok()).unwrap_or(1);
                Some(format!("Too many sign-in attempts. Try again in {retry} s."))
            }
            Some(_) => Some("Incorrect user name or password.".to_owned()),
            None => None,
        },
    };
    view! {
        <Title text="Sign in"/>
        <div class="login-page" data-theme="light">
            <div class="login-box">
                <div class="brand login-brand">"◈ Skywatch"</div>
                <h1 data-testid="page-title">"Sign in"</h1>
                <ActionForm action=action attr:data-testid="login-form">
                    <input type="hidden" name="next" value=next/>
                    <label>
                        "User name"
                        <input type="text" name="username" autocomplete="username" required autofocus data-testid="login-username"/>
                    </label>
                    <label>
                        "Password"
                        <input type="password" name="password" autocomplete="current-password" required data-testid="login-password"/>
                    </label>
                    {move || error().map(|e| view! { <div class="error" role="alert" data-testid="login-error">{e}</div> })}
                    <button type="submit" class="primary" data-testid="login-submit">"Sign in"</button>
                </ActionForm>
            </div>
        </div>
    }
}
