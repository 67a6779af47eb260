//! CloudWatch › Alarms: every alarm of the account and region with its state, filtered by a search, a state and
//! a kind (all in the URL), with counts per state; creating metric and composite alarms; and, for the selected
//! alarms, turning actions on or off and deleting.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{AlarmListing, AlarmSummary, STATES, alarm_actions_enabled, alarm_delete, alarm_list};
use crate::components::alarm::{StateBadge, alarm_href, state_words};
use crate::components::query::{href, use_region};
use crate::pages::dashboard::format_time_at;

#[component]
pub fn AlarmsPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let param = move |key: &str| query.read().get(key).unwrap_or_default();
    let version = RwSignal::new(0u32);
    // Outlives the listing, which is rebuilt when the alarms are read again after a change.
    let error = RwSignal::new(None::<String>);
    let list = Resource::new(
        move || (region.get(), param("account"), param("q"), param("state"), param("kind"), version.get()),
        |(region, account, search, state, kind, _)| alarm_list(region, Some(account), search, Some(state), Some(kind)),
    );
    view! {
        <Title text="CloudWatch alarms"/>
        <div class="breadcrumb">"CloudWatch › Alarms"</div>
        <h1 data-testid="page-title">"Alarms"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading alarms…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(listing) => view! { <Listing listing=listing version=version error=error/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="alarms-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The state counts, the filters and the table.
#[component]
fn Listing(listing: AlarmListing, version: RwSignal<u32>, error: RwSignal<Option<String>>) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let param = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let go = move |changes: &[(&str, &str)]| {
        let link = href("/cloudwatch/alarms", &query.read_untracked(), &keep_filters(&query.read_untracked(), changes));
        navigate(&link, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let selected = RwSignal::new(Vec::<String>::new());
    let confirming = RwSignal::new(false);
    let account = move || query.read_untracked().get("account");
    let region = use_region();
    let delete = Action::new(move |names: &Vec<String>| alarm_delete(region.get_untracked(), account(), names.clone()));
    let switch = Action::new(move |(names, on): &(Vec<String>, bool)| {
        alarm_actions_enabled(region.get_untracked(), account(), names.clone(), *on)
    });
    Effect::new(move |_| {
        let outcome = delete.value().get().or_else(|| switch.value().get());
        if let Some(result) = outcome {
            confirming.set(false);
            error.set(result.err().map(|e| e.to_string()));
            if error.get_untracked().is_none() {
                selected.set(Vec::new());
            }
            version.update(|v| *v += 1);
        }
    });
    let AlarmListing { rows, total, counts } = listing;
    let shown = rows.len();
    let state_filter = param("state");
    let kind_filter = param("kind");
    let go_search = go.clone();
    let go_state = go.clone();
    let go_kind = go;
    view! {
        <div class="cards state-cards" data-testid="state-counts">
            {STATES
                .iter()
                .zip(counts)
                .map(|(state, count)| {
                    let link = href("/cloudwatch/alarms", &query.read_untracked(), &keep_filters(&query.read_untracked(), &[("state", state)]));
                    view! {
                        <a class="card state-card" href=link data-testid="state-count" data-state=*state>
                            <StateBadge state=(*state).to_owned()/>
                            <span class="ns-count">{count}</span>
                        </a>
                    }
                })
                .collect_view()}
        </div>
        <section class="panel" data-testid="alarms-panel">
            <header class="panel-header">
                <h2>"Alarms " <span class="count" data-testid="alarms-count">{format!("({shown}/{total})")}</span></h2>
                <span class="spacer"></span>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button class="secondary" disabled=move || selected.read().is_empty()
                            on:click=move |_| { switch.dispatch((selected.get_untracked(), false)); } data-testid="disable-actions">
                            "Disable actions"
                        </button>
                        <button class="secondary" disabled=move || selected.read().is_empty()
                            on:click=move |_| { switch.dispatch((selected.get_untracked(), true)); } data-testid="enable-actions">
                            "Enable actions"
                        </button>
                        <button class="secondary" disabled=move || selected.read().is_empty()
                            on:click=move |_| confirming.set(true) data-testid="delete-alarms">
                            "Delete"
                        </button>
                    }
                >
                    <span class="confirm" data-testid="delete-confirm">
                        {move || format!("Delete {} alarm(s)? ", selected.read().len())}
                        <button class="danger" on:click=move |_| { delete.dispatch(selected.get_untracked()); } data-testid="delete-confirm-yes">"Delete"</button>
                        <button class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </span>
                </Show>
                <a class="button-link secondary" href=href("/cloudwatch/alarms/composite", &query.read_untracked(), &[]) data-testid="create-composite">
                    "Create composite alarm"
                </a>
                <a class="button-link primary" href=href("/cloudwatch/alarms/create", &query.read_untracked(), &[]) data-testid="create-alarm">
                    "Create alarm"
                </a>
            </header>
            <div class="filter-bar panel-filters">
                <input
                    type="search"
                    placeholder="Search alarms"
                    aria-label="Search alarms"
                    prop:value=param("q")
                    on:input=move |ev| go_search(&[("q", event_target_value(&ev).as_str())])
                    data-testid="alarms-search"
                />
                <select aria-label="State" on:change=move |ev| go_state(&[("state", event_target_value(&ev).as_str())]) data-testid="state-filter">
                    <option value="" selected=state_filter.is_empty()>"Any state"</option>
                    {STATES.iter().map(|s| view! { <option value=*s selected=state_filter == *s>{state_words(s)}</option> }).collect_view()}
                </select>
                <select aria-label="Alarm type" on:change=move |ev| go_kind(&[("kind", event_target_value(&ev).as_str())]) data-testid="kind-filter">
                    <option value="" selected=kind_filter.is_empty()>"Any type"</option>
                    <option value="metric" selected=kind_filter == "metric">"Metric alarms"</option>
                    <option value="composite" selected=kind_filter == "composite">"Composite alarms"</option>
                </select>
            </div>
            {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="alarms-action-error">{e}</div> })}
            {if shown == 0 {
                let text = if total == 0 {
                    "No alarms yet. Create one here, or with aws cloudwatch put-metric-alarm."
                } else {
                    "No alarms match the filters."
                };
                view! { <p class="empty" data-testid="alarms-empty">{text}</p> }.into_any()
            } else {
                view! {
                    <table class="grid" data-testid="alarms-table">
                        <thead><tr>
                            <th class="check"></th><th>"Name"</th><th>"State"</th><th>"Last state update (UTC)"</th>
                            <th>"Conditions"</th><th>"Actions"</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().map(|row| view! { <Row row=row selected=selected/> }).collect_view()}</tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

/// `changes` applied over the page's own filters (kept from the current URL).
fn keep_filters<'a>(
    current: &'a leptos_router::params::ParamsMap,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for key in ["q", "state", "kind"] {
        if let Some((_, value)) = changes.iter().find(|(k, _)| *k == key) {
            out.push((key, value));
        } else if let Some(value) = current.get_str(key) {
            out.push((key, value));
        }
    }
    out
}

#[component]
fn Row(row: AlarmSummary, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let query = use_query_map();
    let name = row.name.clone();
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
    let actions = match (row.has_actions, row.actions_enabled) {
        (false, _) => "No actions",
        (true, true) => "Actions enabled",
        (true, false) => "Actions disabled",
    };
    view! {
        <tr data-testid="alarm-row" data-name=row.name.clone()>
            <td class="check">
                <input type="checkbox" aria-label=format!("Select {}", row.name) prop:checked=checked on:change=toggle data-testid="alarm-select"/>
            </td>
            <td>
                <a href=alarm_href(&row.name, &query.read_untracked()) data-testid="alarm-link">{row.name.clone()}</a>
                <div class="muted small">{row.kind.clone()}</div>
            </td>
            <td><StateBadge state=row.state.clone()/></td>
            <td class="muted">{format_time_at(row.state_updated_ms, 0)}</td>
            <td class="mono small" data-testid="alarm-condition">{row.condition.clone()}</td>
            <td class="muted">{actions}</td>
        </tr>
    }
}
