//! CloudWatch › Dashboards: the account's dashboards with a search (in the URL), creating one by name, deleting
//! the selected ones, and the automatic overview of every namespace that has metrics.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{
    DashboardListing, DashboardRow, SaveOutcome, dashboard_delete, dashboard_list, dashboard_save, describe_messages,
};
use crate::components::query::{href, use_region};
use crate::pages::dashboard::{EMPTY_BODY, dashboard_href, format_time_at, name_problem};

#[component]
pub fn DashboardsPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let account = Memo::new(move |_| query.read().get("account"));
    let version = RwSignal::new(0u32);
    let list = Resource::new(
        move || (region.get(), account.get(), search.get(), version.get()),
        |(region, account, search, _)| dashboard_list(region, account, search),
    );
    view! {
        <Title text="CloudWatch dashboards"/>
        <div class="breadcrumb">"CloudWatch › Dashboards"</div>
        <h1 data-testid="page-title">"Dashboards"</h1>
        <Toolbar search=search/>
        <Transition fallback=|| view! { <p class="muted">"Loading dashboards…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <Lists list=list version=version/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="dashboards-error">{e.to_string()}</div> }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

/// The search box and the create form.
#[component]
fn Toolbar(search: Memo<String>) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let link = href("/cloudwatch/dashboards", &query.read_untracked(), &[("q", text.as_str())]);
        navigate(&link, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let creating = RwSignal::new(false);
    view! {
        <div class="filter-bar">
            <input
                type="search"
                placeholder="Find dashboards"
                aria-label="Find dashboards"
                prop:value=move || search.get()
                on:input=on_search
                data-testid="dashboards-search"
            />
            <span class="spacer"></span>
            <button class="primary" on:click=move |_| creating.set(true) data-testid="create-dashboard">
                "Create dashboard"
            </button>
        </div>
        <Show when=move || creating.get()>
            <CreateForm creating=creating/>
        </Show>
    }
}

/// Asks for a name and creates an empty dashboard, then opens it for editing.
#[component]
fn CreateForm(creating: RwSignal<bool>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let query = use_query_map();
    let create = Action::new(move |name: &String| {
        let name = name.clone();
        let account = query.read_untracked().get("account");
        async move { (name.clone(), dashboard_save(account, name, EMPTY_BODY.to_owned(), None, true).await) }
    });
    Effect::new(move |_| {
        if let Some((created, outcome)) = create.value().get() {
            match outcome {
                Ok(SaveOutcome::Saved { .. }) => {
                    let link = dashboard_href(&created, &query.read_untracked(), &[("edit", "1")]);
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
                error.set(None);
                create.dispatch(wanted);
            }
        }
    };
    view! {
        <form class="inline-form dialog-inline" on:submit=submit data-testid="create-form">
            <label>
                "Dashboard name "
                <input
                    type="text"
                    autofocus
                    maxlength="255"
                    placeholder="e.g. Checkout-service"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    data-testid="create-name"
                />
            </label>
            <button type="submit" class="primary" data-testid="create-submit">"Create"</button>
            <button type="button" class="secondary" on:click=move |_| creating.set(false)>"Cancel"</button>
            <span class="muted">"Letters, digits, - and _."</span>
            {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="create-error">{e}</div> })}
        </form>
    }
}

/// The custom dashboards table and the automatic dashboards.
#[component]
fn Lists(list: DashboardListing, version: RwSignal<u32>) -> impl IntoView {
    let query = use_query_map();
    let selected = RwSignal::new(Vec::<String>::new());
    let confirming = RwSignal::new(false);
    let delete =
        Action::new(move |names: &Vec<String>| dashboard_delete(query.read_untracked().get("account"), names.clone()));
    let delete_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            confirming.set(false);
            selected.set(Vec::new());
            delete_error.set(result.err().map(|e| e.to_string()));
            version.update(|v| *v += 1);
        }
    });
    let DashboardListing { dashboards, total, namespaces } = list;
    let shown = dashboards.len();
    let rows = dashboards.into_iter().map(|row| view! { <Row row=row selected=selected/> }).collect_view();
    view! {
        <section class="panel" data-testid="custom-dashboards">
            <header class="panel-header">
                <h2>"Custom dashboards " <span class="count" data-testid="dashboards-count">{format!("({shown})")}</span></h2>
                <span class="spacer"></span>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button
                            class="secondary"
                            disabled=move || selected.read().is_empty()
                            on:click=move |_| confirming.set(true)
                            data-testid="delete-dashboards"
                        >
                            "Delete"
                        </button>
                    }
                >
                    <span class="confirm" data-testid="delete-confirm">
                        {move || format!("Delete {} dashboard(s)? ", selected.read().len())}
                        <button class="danger" on:click=move |_| { delete.dispatch(selected.get_untracked()); } data-testid="delete-confirm-yes">
                            "Delete"
                        </button>
                        <button class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </span>
                </Show>
            </header>
            {move || delete_error.get().map(|e| view! { <div class="error" role="alert" data-testid="delete-error">{e}</div> })}
            {if shown == 0 {
                let text = if total == 0 {
                    "No dashboards yet. Create one, or send one with aws cloudwatch put-dashboard."
                } else {
                    "No dashboards match the search."
                };
                view! { <p class="empty" data-testid="dashboards-empty">{text}</p> }.into_any()
            } else {
                view! {
                    <table class="grid" data-testid="dashboards-table">
                        <thead><tr><th class="check"></th><th>"Name"</th><th>"Last modified"</th><th class="num">"Size"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
        <section class="panel" data-testid="automatic-dashboards">
            <header class="panel-header"><h2>"Automatic dashboards"</h2></header>
            {if namespaces.is_empty() {
                view! { <p class="empty">"Namespaces appear here once they have metrics."</p> }.into_any()
            } else {
                view! {
                    <ul class="chip-list">
                        {namespaces
                            .into_iter()
                            .map(|namespace| {
                                let link = href("/cloudwatch/dashboards/automatic", &query.read_untracked(), &[("ns", namespace.as_str())]);
                                view! { <li><a href=link data-testid="automatic-link">{namespace}</a></li> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Row(row: DashboardRow, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let query = use_query_map();
    let name = row.name.clone();
    let link = dashboard_href(&row.name, &query.read_untracked(), &[]);
    let checked = {
        let name = name.clone();
        move || selected.read().contains(&name)
    };
    let toggle = move |_| {
        let name = name.clone();
        selected.update(|s| {
            if let Some(at) = s.iter().position(|n| *n == name) {
                s.remove(at);
            } else {
                s.push(name);
            }
        })
    };
    view! {
        <tr data-testid="dashboard-row">
            <td class="check">
                <input type="checkbox" aria-label=format!("Select {}", row.name) prop:checked=checked on:change=toggle data-testid="dashboard-select"/>
            </td>
            <td><a href=link data-testid="dashboard-link">{row.name.clone()}</a></td>
            <td class="muted">{format!("{} UTC", format_time_at(row.last_modified_ms, 0))}</td>
            <td class="num muted">{format_size(row.size)}</td>
        </tr>
    }
}

fn format_size(bytes: u64) -> String {
    if bytes < 1024 { format!("{bytes} B") } else { format!("{:.1} KB", bytes as f64 / 1024.0) }
}
