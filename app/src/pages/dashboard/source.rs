//! The whole body as JSON: read it, or (outside automatic dashboards) edit it and apply it after validation, with
//! CloudWatch's messages naming each problem's data path.

use leptos::prelude::*;
use skywatch_dashboards::{ValidationMessage, parse_body};

use super::board::{Board, Dialog, InvalidBody};

/// Pretty-prints a body that is JSON; leaves anything else as it is.
pub fn pretty(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| body.to_owned())
}

#[component]
pub fn SourceDialog() -> impl IntoView {
    let board = expect_context::<Board>();
    let text = RwSignal::new(board.working.with_untracked(|body| pretty(body)));
    let messages = RwSignal::new(Vec::<ValidationMessage>::new());
    let apply = move |_| {
        let candidate = text.get_untracked();
        match parse_body(&candidate) {
            Ok(_) => {
                messages.set(Vec::new());
                board.working.set(candidate);
                board.editing.set(true);
                board.dialog.set(Dialog::None);
            }
            Err(found) => messages.set(found),
        }
    };
    view! {
        <div class="dialog-body wide" data-testid="source-dialog">
            <h2>"Dashboard source"</h2>
            <p class="muted">
                "The CloudWatch dashboard body, as PutDashboard takes it and GetDashboard returns it."
            </p>
            <textarea
                class="code source"
                rows="24"
                spellcheck="false"
                readonly=board.automatic
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                data-testid="source-text"
            ></textarea>
            {move || (!messages.read().is_empty()).then(|| view! { <InvalidBody messages=messages.get()/> })}
            <footer class="dialog-actions">
                <button class="secondary" on:click=move |_| board.dialog.set(Dialog::None) data-testid="source-close">"Close"</button>
                <Show when=move || !board.automatic>
                    <button class="primary" on:click=apply data-testid="source-apply">"Update"</button>
                </Show>
            </footer>
        </div>
    }
}
