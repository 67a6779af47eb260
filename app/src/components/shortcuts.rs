//! Keyboard shortcuts for the whole console: `t` switches the theme, `/` jumps to the page's search box, and
//! `n`/`p` (next, previous page) and `+`/`-` (zoom in, out) follow the page's link marked
//! `data-shortcut="next"`, `"previous"`, `"zoom-in"` or `"zoom-out"` when it has one. `j`/`k` move the focus to
//! the next or previous of the page's rows marked `data-row` (focusable, `tabindex="0"`), and Enter on such a
//! row follows its link marked `data-row-link` (rows that do something else on Enter handle it themselves). They
//! are handled in the browser only and ignored while typing in a field. Escape closes the open dialog, wherever
//! the focus is (a disabled button drops it to the page).

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
            "j" | "k" => {
                if move_between_rows(event.key() == "j") {
                    event.prevent_default();
                }
            }
            "Enter" => {
                let link = focused_row()
                    .and_then(|row| row.query_selector("[data-row-link]").ok().flatten())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(link) = link {
                    event.prevent_default();
                    link.click();
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

/// The row that has the focus, when one does.
fn focused_row() -> Option<web_sys::Element> {
    document().active_element().filter(|e| e.has_attribute("data-row"))
}

/// Focuses the row after (or before) the focused one, or the first row when none has the focus; false when the
/// page has no rows.
fn move_between_rows(forward: bool) -> bool {
    let Ok(rows) = document().query_selector_all("[data-row]") else {
        return false;
    };
    let count = rows.length();
    if count == 0 {
        return false;
    }
    let active = document().active_element();
    let current = (0..count).find(|&i| {
        rows.item(i).zip(active.as_ref()).is_some_and(|(row, active)| row.is_same_node(Some(active.unchecked_ref())))
    });
    let next = match current {
        Some(i) if forward => (i + 1).min(count - 1),
        Some(i) => i.saturating_sub(1),
        None => 0,
    };
    if let Some(row) = rows.item(next).and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = row.focus();
    }
    true
}

fn typing_in_a_field() -> bool {
    document()
        .active_element()
        .map(|e| matches!(e.tag_name().to_ascii_uppercase().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
        .unwrap_or(false)
}
