//! Keyboard shortcuts for the whole console: `t` switches the theme, `/` jumps to the page's search box.
//! They are handled in the browser only and ignored while typing in a field. Escape closes the open dialog,
//! wherever the focus is (a disabled button drops it to the page).

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// Installs the shortcuts for as long as the layout lives.
pub fn install(theme_toggle: impl Fn() + 'static) {
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_in_a_field() {
            return;
        }
        match event.key().as_str() {
            "t" => theme_toggle(),
            "/" => {
                if let Some(search) = document()
                    .query_selector("[data-shortcut=search]")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    event.prevent_default();
                    let _ = search.focus();
                }
            }
            _ => {}
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
