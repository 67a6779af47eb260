//! The dashboard's dialogs in one overlay: source, add and edit widget, and the name dialogs (rename, save as)
//! and delete, which go through the same server functions as the list page.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::board::{Board, Dialog};
use super::source::SourceDialog;
use super::widget_editor::{AddWidgetDialog, EditWidgetDialog};
use super::{dashboard_href, name_problem};
use crate::api::{SaveOutcome, dashboard_delete, dashboard_save, describe_messages};

#[component]
pub fn Dialogs() -> impl IntoView {
    let board = expect_context::<Board>();
    move || {
        let dialog = board.dialog.get();
        let inner = match dialog {
            Dialog::None => return None,
            Dialog::Source => view! { <SourceDialog/> }.into_any(),
            Dialog::AddWidget => view! { <AddWidgetDialog/> }.into_any(),
            Dialog::EditWidget(index) => view! { <EditWidgetDialog index=index/> }.into_any(),
            Dialog::Rename => view! { <NameDialog rename=true/> }.into_any(),
            Dialog::Duplicate => view! { <NameDialog rename=false/> }.into_any(),
            Dialog::Delete => view! { <DeleteDialog/> }.into_any(),
        };
        Some(view! {
            <div class="overlay" on:click=move |_| board.dialog.set(Dialog::None)>
                <div class="dialog" role="dialog" aria-modal="true" on:click=|ev| ev.stop_propagation()>
                    {inner}
                </div>
            </div>
        })
    }
}

/// Rename, or save a copy under a new name (also how an automatic dashboard becomes a custom one).
#[component]
fn NameDialog(rename: bool) -> impl IntoView {
    let board = expect_context::<Board>();
    let query = use_query_map();
    let initial = if rename {
        board.name.get_untracked()
    } else {
        format!("{}-copy", board.name.get_untracked().replace('/', "-"))
    };
    let name = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let save = Action::new(move |wanted: &String| {
        let wanted = wanted.clone();
        let body = board.working.get_untracked();
        let previous = rename.then(|| board.name.get_untracked());
        let account = query.read_untracked().get("account");
        async move { (wanted.clone(), dashboard_save(account, wanted, body, previous, !rename).await) }
    });
    Effect::new(move |_| {
        if let Some((saved, outcome)) = save.value().get() {
            match outcome {
                Ok(SaveOutcome::Saved { .. }) => {
                    board.dialog.set(Dialog::None);
                    let link = dashboard_href(&saved, &query.read_untracked(), &[]);
                    use_navigate()(&link, NavigateOptions::default());
                }
                Ok(SaveOutcome::Invalid(messages)) => error.set(Some(describe_messages(&messages))),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = name.get_untracked().trim().to_owned();
        match name_problem(&wanted) {
            Some(problem) => error.set(Some(problem)),
            None => {
                save.dispatch(wanted);
            }
        }
    };
    view! {
        <form class="dialog-body" on:submit=submit data-testid="name-dialog">
            <h2>{if rename { "Rename dashboard" } else { "Save as a new dashboard" }}</h2>
            <label class="block">
                "Name"
                <input type="text" maxlength="255" autofocus prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) data-testid="name-input"/>
            </label>
            {move || error.get().map(|e| view! { <p class="error-text" data-testid="name-error">{e}</p> })}
            <footer class="dialog-actions">
                <button type="button" class="secondary" on:click=move |_| board.dialog.set(Dialog::None)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || save.pending().get() data-testid="name-submit">
                    {if rename { "Rename" } else { "Save" }}
                </button>
            </footer>
        </form>
    }
}

#[component]
fn DeleteDialog() -> impl IntoView {
    let board = expect_context::<Board>();
    let query = use_query_map();
    let error = RwSignal::new(None::<String>);
    let delete = Action::new(move |_: &()| {
        dashboard_delete(query.read_untracked().get("account"), vec![board.name.get_untracked()])
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            let link = crate::components::query::href("/cloudwatch/dashboards", &query.read_untracked(), &[]);
            use_navigate()(&link, NavigateOptions::default());
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    view! {
        <div class="dialog-body" data-testid="delete-dialog">
            <h2>"Delete dashboard"</h2>
            <p>{move || format!("Delete {} permanently?", board.name.get())}</p>
            {move || error.get().map(|e| view! { <p class="error-text">{e}</p> })}
            <footer class="dialog-actions">
                <button class="secondary" on:click=move |_| board.dialog.set(Dialog::None)>"Cancel"</button>
                <button class="danger" on:click=move |_| { delete.dispatch(()); } data-testid="delete-submit">"Delete"</button>
            </footer>
        </div>
    }
}
