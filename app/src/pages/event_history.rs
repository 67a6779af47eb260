//! CloudTrail event history: filter by one lookup attribute, page newest first, open a record's JSON.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};
use skywatch_model::LookupAttributeKey;

use crate::api::{EventRow, lookup_events};
use crate::components::query::{href, use_region, use_time_range};

#[component]
pub fn EventHistory() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let param = move |key: &str| query.read().get(key).unwrap_or_default();
    let attribute_key = move || {
        let key = param("attr");
        if LookupAttributeKey::parse(&key).is_some() { key } else { "EventName".to_owned() }
    };
    let events = Resource::new(
        move || {
            (
                region.get(),
                range.get().to_query_value(),
                attribute_key(),
                param("value"),
                param("token"),
                param("account"),
            )
        },
        |(region, range, key, value, token, account)| {
            lookup_events(region, range, Some(key), Some(value), Some(token), Some(account))
        },
    );
    let selected = move || param("event");
    view! {
        <Title text="CloudTrail event history"/>
        <div class="breadcrumb">"CloudTrail › Event history"</div>
        <h1 data-testid="page-title">"Event history"</h1>
        <FilterBar attribute_key=Signal::derive(attribute_key) value=Signal::derive(move || param("value"))/>
        <Transition fallback=|| view! { <p class="muted">"Loading events…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Ok(page) => {
                        let next = page.next_token.clone();
                        view! {
                            <EventTable rows=page.rows selected=Signal::derive(selected)/>
                            <Pager next=next/>
                        }
                            .into_any()
                    }
                    Err(e) => view! {
                        <div class="error" role="alert" data-testid="events-error">{e.to_string()}</div>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn FilterBar(attribute_key: Signal<String>, value: Signal<String>) -> impl IntoView {
    let query = use_query_map();
    let carried = move || {
        ["region", "range", "account"]
            .into_iter()
            .filter_map(|key| query.read().get(key).map(|v| (key, v)))
            .map(|(key, v)| view! { <input type="hidden" name=key value=v/> })
            .collect_view()
    };
    view! {
        <form method="get" class="filter-bar" data-testid="event-filter">
            {carried}
            <select name="attr" aria-label="Lookup attribute" data-testid="filter-attribute">
                {LookupAttributeKey::ALL
                    .iter()
                    .map(|key| {
                        let name = key.as_str();
                        view! { <option value=name selected=move || attribute_key.get() == name>{name}</option> }
                    })
                    .collect_view()}
            </select>
            <input
                type="search"
                name="value"
                placeholder="Enter a lookup value"
                value=move || value.get()
                aria-label="Lookup value"
                title="Lookup value (/)"
                data-shortcut="search"
                data-testid="filter-value"
            />
            <button type="submit" class="primary" data-testid="filter-apply">"Apply"</button>
            <a href=move || href("/cloudtrail/event-history", &query.read(), &[]) data-testid="filter-clear">"Clear"</a>
        </form>
    }
}

#[component]
fn EventTable(rows: Vec<EventRow>, selected: Signal<String>) -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    if rows.is_empty() {
        return view! { <p class="empty" data-testid="events-empty">"No events match in this time range."</p> }
            .into_any();
    }
    let count = rows.len();
    view! {
        <div class="table-caption" data-testid="events-count">
            {format!("{count} event{} shown, newest first", if count == 1 { "" } else { "s" })}
        </div>
        <table class="grid" data-testid="events-table">
            <thead>
                <tr>
                    <th>"Event name"</th>
                    <th>"Event time"</th>
                    <th>"User name"</th>
                    <th>"Event source"</th>
                    <th>"Read-only"</th>
                    <th>"Source IP"</th>
                    <th>"Error code"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let id = row.event_id.clone();
                        let is_open = {
                            let id = id.clone();
                            move || selected.get() == id
                        };
                        let link = {
                            let id = id.clone();
                            let is_open = is_open.clone();
                            move || {
                                let target = if is_open() { "" } else { id.as_str() };
                                let mut extra: Vec<(&str, String)> = ["attr", "value", "token"]
                                    .into_iter()
                                    .filter_map(|k| query.read().get(k).map(|v| (k, v)))
                                    .collect();
                                extra.push(("event", target.to_owned()));
                                let changes: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
                                href(&location.pathname.get(), &query.read(), &changes)
                            }
                        };
                        let json = row.record_json.clone();
                        let open_for_detail = is_open.clone();
                        view! {
                            <tr class:selected=is_open.clone() data-testid="event-row" data-event-name=row.event_name.clone()>
                                <td>
                                    <a href=link data-testid="event-link">{row.event_name.clone()}</a>
                                </td>
                                <td class="mono">{row.event_time.clone()}</td>
                                <td>{row.username.clone()}</td>
                                <td>{row.event_source.clone()}</td>
                                <td>{if row.read_only { "true" } else { "false" }}</td>
                                <td class="mono">{row.source_ip.clone()}</td>
                                <td>
                                    {row.error_code.clone().map(|code| view! { <span class="badge badge-error">{code}</span> })}
                                </td>
                            </tr>
                            <Show when=open_for_detail>
                                <tr class="detail">
                                    <td colspan="7">
                                        <pre class="json" data-testid="event-json">{json.clone()}</pre>
                                    </td>
                                </tr>
                            </Show>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Pager(next: Option<String>) -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    next.map(|token| {
        let link = move || {
            let mut changes: Vec<(&str, String)> =
                ["attr", "value"].into_iter().filter_map(|k| query.read().get(k).map(|v| (k, v))).collect();
            changes.push(("token", token.clone()));
            let changes: Vec<(&str, &str)> = changes.iter().map(|(k, v)| (*k, v.as_str())).collect();
            href(&location.pathname.get(), &query.read(), &changes)
        };
        view! { <a class="pager" href=link data-testid="events-next">"Older events ›"</a> }
    })
}
