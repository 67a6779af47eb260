//! Dark and light themes. The choice lives in a cookie so the server renders the right one first; the toggle
//! is handled in the browser (wasm), which makes it the console's proof of hydration.

use leptos::prelude::*;

pub const THEME_COOKIE: &str = "skywatch_theme";

/// The console's current theme (`"light"` or `"dark"`), provided by the layout for what draws in it (charts).
#[derive(Debug, Clone, Copy)]
pub struct ConsoleTheme(pub RwSignal<String>);

impl ConsoleTheme {
    /// Whether the dark theme is on (tracked).
    pub fn is_dark(self) -> bool {
        self.0.get() == "dark"
    }
}

/// The theme the page starts with: the cookie's, else light.
pub fn initial_theme() -> String {
    let cookie = cookie_header();
    let value = cookie
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == THEME_COOKIE)
        .map(|(_, value)| value.to_owned());
    match value.as_deref() {
        Some("dark") => "dark".into(),
        _ => "light".into(),
    }
}

#[cfg(feature = "ssr")]
fn cookie_header() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn cookie_header() -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn cookie_header() -> String {
    String::new()
}

/// Switches between dark and light and remembers the choice.
pub fn toggle_theme(theme: RwSignal<String>) {
    let next = if theme.get_untracked() == "dark" { "light" } else { "dark" };
    store_theme(next);
    theme.set(next.to_owned());
}

/// Remembers the choice for a year.
fn store_theme(theme: &str) {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        if let Some(document) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = document.set_cookie(&format!("{THEME_COOKIE}={theme}; Path=/; Max-Age=31536000; SameSite=Strict"));
        }
    }
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    let _ = theme;
}

/// The toggle button in the top bar.
#[component]
pub fn ThemeToggle(theme: RwSignal<String>) -> impl IntoView {
    let toggle = move |_| toggle_theme(theme);
    view! {
        <button
            type="button"
            class="icon-button"
            data-testid="theme-toggle"
            title="Switch between dark and light theme (t)"
            aria-label="Toggle theme"
            on:click=toggle
        >
            {move || if theme.get() == "dark" { "☀ Light" } else { "☾ Dark" }}
        </button>
    }
}
