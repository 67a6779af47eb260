//! Keyboard shortcuts for the whole console: `t` switches the theme, `/` jumps to the page's search box, and
//! `n`/`p` (next, previous page) and `+`/`-` (zoom in, out) follow the page's link marked
//! `data-shortcut="next"`, `"previous"`, `"zoom-in"` or `"zoom-out"` when it has one. They are handled in the
//! browser only and ignored while typing in a field. Escape closes the open dialog, wherever the focus is (a
//! disabled button drops it to the page).

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// Installs the shortcuts for as long as the layout lives.
pub fn install(theme_toggle: impl Fn() + 'static) {
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_in_a_field() {
            return;
        }
        let marked = |name: &str| {
            document()
                .query_selector(&format!("[data-shortcut={name}]"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        };
        match event.key().as_str() {
            "t" => theme_toggle(),
            "/" => {
                if let Some(search) = marked("search") {
                    event.prevent_default();
                    let _ = search.focus();
                }
            }
            key => {
                let name = match key {
                    "n" => "next",
                    "p" => "previous",
                    "+" | "=" => "zoom-in",
                    "-" => "zoom-out",
                    _ => return,
                };
                if let Some(link) = marked(name) {
                    event.prevent_default();
                    link.click();
                }
            }
        }
    });
    on_cleanup(move || handle.remove());
}

/// Calls `close` on Escape for as long as the calling component lives (a dialog, or the page owning dialogs).
pub fn close_on_escape(close: impl Fn() + 'static) {
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || handle.remove());
}

fn typing_in_a_field() -> bool {
    document()
        .active_element()
        .map(|e| matches!(e.tag_name().to_ascii_uppercase().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
        .unwrap_or(false)
}
