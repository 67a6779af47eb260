//! CloudWatch › Alarms › one alarm: its state and reason, the metric graph with the threshold (or band) and the
//! ALARM stretches, the state timeline over the console's range, the configuration, its actions, a composite
//! alarm's rule as a tree of its children's states, the history (filtered by type, in the URL), and "set
//! state" for testing actions.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::{AlarmInfo, STATES, alarm_actions_enabled, alarm_delete, alarm_detail, alarm_set_state};
use crate::components::alarm::{AlarmChart, RuleTree, StateBadge, StateTimeline, alarm_href, state_words};
use crate::components::query::{href, use_region, use_time_range};
use crate::pages::dashboard::format_time_at;

const HISTORY_TYPES: [(&str, &str); 4] = [
    ("", "All"),
    ("StateUpdate", "State updates"),
    ("ConfigurationUpdate", "Configuration updates"),
    ("Action", "Actions"),
];

#[component]
pub fn AlarmPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let version = RwSignal::new(0u32);
    // Outlives the detail view, which is rebuilt when the alarm is read again after a change.
    let error = RwSignal::new(None::<String>);
    let theme = use_context::<crate::components::theme::ConsoleTheme>();
    let detail = Resource::new(
        move || {
            let q = query.read();
            (region.get(), q.get("account"), name.get(), range.get().to_query_value(), q.get("history"), version.get())
        },
        move |(region, account, name, range, history, _)| {
            let dark = theme.is_some_and(|t| t.0.get_untracked() == "dark");
            async move {
                let info = alarm_detail(region, account, name, range, history).await?;
                #[cfg(feature = "ssr")]
                let info = {
                    let mut info = info;
                    if let Some(graph) = info.graph.take() {
                        use crate::components::alarm::{ALARM_CHART_HEIGHT, prerender_alarm_chart};
                        info.graph = Some(prerender_alarm_chart(graph, &info.timeline, dark, ALARM_CHART_HEIGHT).await);
                    }
                    info
                };
                #[cfg(not(feature = "ssr"))]
                let _ = dark;
                Ok::<_, ServerFnError>(info)
            }
        },
    );
    view! {
        <Title text=move || format!("Alarm {}", name.get())/>
        <div class="breadcrumb">
            <a href=move || href("/cloudwatch/alarms", &query.read(), &[])>"CloudWatch › Alarms"</a>" › "{move || name.get()}
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading the alarm…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(info) => view! { <Detail info=info version=version error=error/> }.into_any(),
                    Err(e) => view! {
                        <h1 data-testid="page-title">{name.get_untracked()}</h1>
                        <div class="error" role="alert" data-testid="alarm-error">{e.to_string()}</div>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(info: AlarmInfo, version: RwSignal<u32>, error: RwSignal<Option<String>>) -> impl IntoView {
    let query = use_query_map();
    let (start_ms, end_ms) = info
        .graph
        .as_ref()
        .map(|g| (g.start_ms, g.end_ms))
        .or_else(|| info.timeline.first().zip(info.timeline.last()).map(|(a, b)| (a.from_ms, b.to_ms)))
        .unwrap_or((0, 1));
    let name = info.summary.name.clone();
    let composite = info.rule.is_some();
    let history_type = query.read_untracked().get("history").unwrap_or_default();
    view! {
        <div class="title-row">
            <h1 data-testid="page-title">{name.clone()}</h1>
            <StateBadge state=info.summary.state.clone()/>
            <span class="spacer"></span>
            <Controls name=name.clone() enabled=info.summary.actions_enabled version=version error=error/>
        </div>
        <p class="lead" data-testid="alarm-reason">{info.reason.clone()}</p>
        {info.suppressed_by.clone().map(|by| view! {
            <div class="notice" data-testid="alarm-suppressed">
                {format!("Actions suppressed ({by}): {}", info.suppressed_reason.clone().unwrap_or_default())}
            </div>
        })}
        <section class="panel">
            <header class="panel-header">
                <h2>{if composite { "State" } else { "Graph" }}</h2>
                <span class="muted">{format!("{} to {} UTC", format_time_at(start_ms, 0), format_time_at(end_ms, 0))}</span>
            </header>
            <div class="panel-body">
                {info.graph.clone().map(|graph| view! { <AlarmChart graph=graph spans=info.timeline.clone()/> })}
                <StateTimeline spans=info.timeline.clone() start_ms=start_ms end_ms=end_ms/>
                <div class="legend timeline-legend">
                    {STATES.iter().map(|s| view! { <span class="legend-item"><StateBadge state=(*s).to_owned()/></span> }).collect_view()}
                </div>
            </div>
        </section>
        {info.rule.clone().map(|rule| view! {
            <section class="panel" data-testid="alarm-rule">
                <header class="panel-header"><h2>"Rule"</h2><span class="muted">"Each child's state now"</span></header>
                <div class="panel-body"><RuleTree node=rule/></div>
            </section>
        })}
        <div class="two-columns">
            <section class="panel" data-testid="alarm-details">
                <header class="panel-header"><h2>"Details"</h2></header>
                <table class="grid details">
                    <tbody>
                        {info.details.clone().into_iter().map(|(label, value)| view! {
                            <tr><th>{label}</th><td class="mono small">{value}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="panel" data-testid="alarm-actions">
                <header class="panel-header"><h2>"Actions"</h2></header>
                {if info.actions.is_empty() {
                    view! { <p class="empty">"No actions."</p> }.into_any()
                } else {
                    view! {
                        <table class="grid">
                            <thead><tr><th>"When"</th><th>"Action"</th></tr></thead>
                            <tbody>
                                {info.actions.clone().into_iter().map(|(state, arn)| view! {
                                    <tr data-testid="alarm-action"><td><StateBadge state=state/></td><td class="mono small">{arn}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any()
                }}
                {(!info.parents.is_empty()).then(|| view! {
                    <p class="muted parents" data-testid="alarm-parents">
                        "Used by composite alarms: "
                        {info.parents.clone().into_iter().map(|parent| view! {
                            <a href=alarm_href(&parent, &query.read_untracked())>{parent.clone()}</a>" "
                        }).collect_view()}
                    </p>
                })}
            </section>
        </div>
        <section class="panel" data-testid="alarm-history">
            <header class="panel-header">
                <h2>"History"</h2>
                <span class="spacer"></span>
                <div class="segmented" role="group" aria-label="History type">
                    {HISTORY_TYPES.iter().map(|(value, label)| {
                        let link = href(&alarm_path(&name), &query.read_untracked(), &[("history", value)]);
                        let class = if history_type == *value { "active" } else { "" };
                        view! { <a href=link class=class data-testid="history-filter">{*label}</a> }
                    }).collect_view()}
                </div>
            </header>
            {if info.history.is_empty() {
                view! { <p class="empty" data-testid="history-empty">"No history of this kind."</p> }.into_any()
            } else {
                view! {
                    <table class="grid" data-testid="history-table">
                        <thead><tr><th>"Date (UTC)"</th><th>"Type"</th><th>"Description"</th></tr></thead>
                        <tbody>
                            {info.history.clone().into_iter().map(|row| view! {
                                <tr data-testid="history-row">
                                    <td class="muted nowrap">{format_time_at(row.time_ms, 0)}</td>
                                    <td>{row.item_type.clone()}</td>
                                    <td><details><summary>{row.summary.clone()}</summary><pre class="mono small">{pretty(&row.data)}</pre></details></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

fn alarm_path(name: &str) -> String {
    format!("/cloudwatch/alarms/alarm/{}", crate::components::query::encode(name))
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_owned())
}

/// Set state, actions on or off, delete.
#[component]
fn Controls(name: String, enabled: bool, version: RwSignal<u32>, error: RwSignal<Option<String>>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let setting = RwSignal::new(false);
    let chosen = RwSignal::new("ALARM".to_owned());
    let reason = RwSignal::new(String::new());
    let stored = StoredValue::new(name);
    let set_state = Action::new(move |(state, why): &(String, String)| {
        alarm_set_state(region.get_untracked(), account(), stored.get_value(), state.clone(), why.clone())
    });
    let switch = Action::new(move |on: &bool| {
        alarm_actions_enabled(region.get_untracked(), account(), vec![stored.get_value()], *on)
    });
    let delete = Action::new(move |_: &()| alarm_delete(region.get_untracked(), account(), vec![stored.get_value()]));
    Effect::new(move |_| {
        if let Some(result) = set_state.value().get().or_else(|| switch.value().get()) {
            error.set(result.err().map(|e| e.to_string()));
            setting.set(false);
            version.update(|v| *v += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            match result {
                Ok(()) => use_navigate()(
                    &href("/cloudwatch/alarms", &query.read_untracked(), &[]),
                    NavigateOptions::default(),
                ),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    view! {
        <div class="title-actions">
            <button class="secondary" on:click=move |_| setting.update(|s| *s = !*s) data-testid="set-state">"Set state"</button>
            <button class="secondary" on:click=move |_| { switch.dispatch(!enabled); } data-testid="toggle-actions">
                {if enabled { "Disable actions" } else { "Enable actions" }}
            </button>
            <button class="secondary" on:click=move |_| { delete.dispatch(()); } data-testid="delete-alarm">"Delete"</button>
        </div>
        <Show when=move || setting.get()>
            <form class="inline-form dialog-inline" data-testid="set-state-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                set_state.dispatch((chosen.get_untracked(), reason.get_untracked()));
            }>
                <label>"State "
                    <select on:change=move |ev| chosen.set(event_target_value(&ev)) data-testid="set-state-value">
                        {STATES.iter().map(|s| view! { <option value=*s selected=move || chosen.get() == *s>{state_words(s)}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Reason "
                    <input type="text" maxlength="1023" placeholder="Testing the alarm's actions"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) data-testid="set-state-reason"/>
                </label>
                <button type="submit" class="primary" data-testid="set-state-submit">"Set state"</button>
                <span class="muted">"A metric alarm returns to its real state at its next evaluation."</span>
            </form>
        </Show>
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="alarm-action-error">{e}</div> })}
    }
}
