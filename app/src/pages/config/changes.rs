//! A resource's changes, newest first: each configuration item's capture time and status, a readable diff
//! against the item before it (paths added, removed and changed, with their values), the configuration a
//! discovered resource started with, and the CloudTrail events that caused the change, each linked to the event
//! history opened on that event. Newer and older pages of the window move the `at=` cursor.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use super::{ComplianceBadge, RESOURCE_PATH, StatusBadge, compliance_class, rule_href, time_utc};
use crate::api::{ChangeKind, ChangeView, ComplianceChangeView, DiffKind, DiffLine, RelatedEvent};
use crate::components::query::{href, href_keeping};

/// How far around an event's time the event history link looks.
const EVENT_MARGIN_MS: i64 = 60_000;

/// The event history opened on one event: filtered by its id, its record shown, over a range around its time
/// (or the whole 90 days when the time is unknown).
pub fn event_href(event: &RelatedEvent, query: &ParamsMap) -> String {
    let range = match &event.event {
        Some(facts) => format!("{}..{}", facts.time_ms - EVENT_MARGIN_MS, facts.time_ms + EVENT_MARGIN_MS),
        None => "90d".to_owned(),
    };
    let id = event.event_id.as_str();
    href("/cloudtrail/event-history", query, &[("attr", "EventId"), ("value", id), ("event", id), ("range", &range)])
}

fn summary(change: &ChangeView) -> String {
    match change.kind {
        ChangeKind::Discovered => "Resource discovered".to_owned(),
        ChangeKind::Deleted => "Resource deleted".to_owned(),
        ChangeKind::Unknown => "Earlier history not read: no comparison".to_owned(),
        ChangeKind::Updated => {
            let count = change.lines.len() + change.more_lines;
            match count {
                0 => "No configuration difference".to_owned(),
                1 => "1 change".to_owned(),
                n => format!("{n} changes"),
            }
        }
    }
}

/// A value: inline when it is one line, a block when it is pretty JSON.
fn value(text: String, class: &'static str) -> AnyView {
    if text.contains('\n') {
        view! { <pre class=format!("diff-json {class}")>{text}</pre> }.into_any()
    } else {
        view! { <code class=class>{text}</code> }.into_any()
    }
}

fn diff_row(line: DiffLine) -> impl IntoView {
    let (sign, kind, word) = match line.kind {
        DiffKind::Added => ("+", "added", "added"),
        DiffKind::Removed => ("−", "removed", "removed"),
        DiffKind::Changed => ("~", "changed", "changed"),
    };
    let shown = match line.kind {
        DiffKind::Added => line.after.map(|v| value(v, "diff-after")).into_any(),
        DiffKind::Removed => line.before.map(|v| value(v, "diff-before")).into_any(),
        DiffKind::Changed => view! {
            {line.before.map(|v| value(v, "diff-before"))}
            <span class="diff-arrow" aria-label="to">" → "</span>
            {line.after.map(|v| value(v, "diff-after"))}
        }
        .into_any(),
    };
    let path = line.path.clone();
    view! {
        <tr class=format!("diff-{kind}") data-testid="diff-line" data-kind=kind data-path=path>
            <td class="diff-sign" aria-hidden="true">{sign}</td>
            <td class="diff-path mono">{line.path}</td>
            <td class="diff-word small">{word}</td>
            <td class="diff-value">{shown}</td>
        </tr>
    }
}

fn event_item(event: RelatedEvent, query: &ParamsMap) -> impl IntoView + use<> {
    let link = event_href(&event, query);
    let id = event.event_id.clone();
    let body = match event.event {
        Some(facts) => view! {
            <a href=link data-testid="related-event-link" title=format!("Event {id}")>{facts.name}</a>
            <span class="small">" by " <strong>{facts.user}</strong></span>
            <span class="small muted">{format!(" · {} · {} · {}", facts.time, facts.source, facts.source_ip)}</span>
            {facts.error_code.map(|code| view! { " " <span class="badge badge-error">{code}</span> })}
        }
        .into_any(),
        None => {
            let why = if event.looked_up { " (not in the event history near this change)" } else { "" };
            view! {
                <a href=link class="mono small" data-testid="related-event-link">{id.clone()}</a>
                <span class="small muted">{why}</span>
            }
            .into_any()
        }
    };
    view! { <li data-testid="related-event" data-event-id=event.event_id.clone()>{body}</li> }
}

#[component]
fn Change(change: ChangeView, selected: bool) -> impl IntoView {
    let query = use_query_map();
    let kind = match change.kind {
        ChangeKind::Discovered => "discovered",
        ChangeKind::Updated => "updated",
        ChangeKind::Deleted => "deleted",
        ChangeKind::Unknown => "unknown",
    };
    let summary = summary(&change);
    let more = change.more_lines;
    let events = change.events;
    let anchor = href_keeping(RESOURCE_PATH, &query.read_untracked(), &[("at", &change.capture_ms.to_string())], &[]);
    view! {
        <article class="cfg-change" class:selected=selected id=format!("change-{}", change.capture_ms)
            data-testid="change" data-capture=change.capture_ms data-kind=kind data-status=change.status.clone()>
            <header class="change-head">
                <a class="change-time mono" href=anchor data-testid="change-time">{time_utc(change.capture_ms)}</a>
                <StatusBadge status=change.status.clone()/>
                <span class="change-summary" data-testid="change-summary">{summary}</span>
            </header>
            {(!change.lines.is_empty()).then(|| view! {
                <table class="diff" data-testid="diff">
                    <tbody>{change.lines.into_iter().map(diff_row).collect_view()}</tbody>
                </table>
            })}
            {(more > 0).then(|| view! { <p class="muted small">{format!("… and {more} more differences.")}</p> })}
            {change.snapshot.map(|json| view! {
                <details class="raw change-snapshot" open>
                    <summary class="small">"Configuration when discovered"</summary>
                    <pre class="json" data-testid="change-snapshot">{json}</pre>
                </details>
            })}
            <div class="change-events small">
                <span class="muted">"Caused by: "</span>
                {if events.is_empty() {
                    view! { <span class="muted" data-testid="no-related-events">"no CloudTrail event (recorded by the recorder itself)"</span> }.into_any()
                } else {
                    view! {
                        <ul class="event-list">
                            {events.into_iter().map(|e| event_item(e, &query.read_untracked())).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </div>
        </article>
    }
}

/// One rule's result on the resource changing.
#[component]
fn ComplianceChange(change: ComplianceChangeView) -> impl IntoView {
    let query = use_query_map();
    let anchor = href_keeping(RESOURCE_PATH, &query.read_untracked(), &[("at", &change.time_ms.to_string())], &[]);
    let before = change.before.clone().unwrap_or_else(|| "no result".to_owned());
    let after = change.after.clone().unwrap_or_else(|| "no result".to_owned());
    let class = format!("cfg-change cfg-compliance-change cfg-compliance-{}", compliance_class(&after));
    view! {
        <article class=class data-testid="compliance-change" data-time=change.time_ms data-rule=change.rule.clone()
            data-before=change.before.clone().unwrap_or_default() data-after=change.after.clone().unwrap_or_default()>
            <header class="change-head">
                <a class="change-time mono" href=anchor>{time_utc(change.time_ms)}</a>
                <ComplianceBadge compliance=after.clone()/>
                <span class="change-summary" data-testid="compliance-change-summary">
                    <a href=rule_href(&change.rule, &query.read_untracked())>{change.rule.clone()}</a>
                    {format!(": {before} → {after}")}
                </span>
            </header>
            {change.annotation.map(|a| view! { <p class="small muted change-annotation" data-testid="compliance-change-annotation">{a}</p> })}
        </article>
    }
}

/// An entry of the change list: a configuration change or a compliance change.
enum Entry {
    Item(ChangeView),
    Compliance(ComplianceChangeView),
}

#[component]
pub fn ChangeList(
    changes: Vec<ChangeView>,
    compliance: Vec<ComplianceChangeView>,
    in_window: usize,
    newer: Option<i64>,
    older: Option<i64>,
    selected: Option<i64>,
) -> impl IntoView {
    let query = use_query_map();
    let shown = changes.len();
    let cursor = |at: i64| href_keeping(RESOURCE_PATH, &query.read_untracked(), &[("at", &at.to_string())], &[]);
    let newer = newer.map(|at| view! { <a href=cursor(at) data-shortcut="previous" title="Newer changes (p)" data-testid="changes-newer">"‹ Newer changes"</a> });
    let older = older.map(|at| view! { <a href=cursor(at) data-shortcut="next" title="Older changes (n)" data-testid="changes-older">"Older changes ›"</a> });
    let paged = newer.is_some() || older.is_some();
    view! {
        <section class="panel" data-testid="changes-panel">
            <header class="panel-header">
                <h2>"Changes " <span class="count" data-testid="changes-count">{format!("({shown} of {in_window} in view)")}</span></h2>
                <span class="muted small">"Newest first; each compared with the configuration before it."</span>
            </header>
            {if changes.is_empty() && compliance.is_empty() {
                view! { <p class="empty" data-testid="changes-empty">"No changes in this window. Zoom out to see more."</p> }.into_any()
            } else {
                // Newest first; at one time, the compliance a change caused above the change.
                let mut entries: Vec<(i64, u8, Entry)> = changes.into_iter().map(|c| (c.capture_ms, 0, Entry::Item(c))).collect();
                entries.extend(compliance.into_iter().map(|c| (c.time_ms, 1, Entry::Compliance(c))));
                entries.sort_by_key(|(at, order, _)| (std::cmp::Reverse(*at), std::cmp::Reverse(*order)));
                entries.into_iter().map(|(_, _, entry)| match entry {
                    Entry::Item(change) => {
                        let is_selected = selected == Some(change.capture_ms);
                        view! { <Change change=change selected=is_selected/> }.into_any()
                    }
                    Entry::Compliance(change) => view! { <ComplianceChange change=change/> }.into_any(),
                }).collect_view().into_any()
            }}
            {paged.then(|| view! { <nav class="cfg-pager panel-body" aria-label="Changes">{newer}{older}</nav> })}
        </section>
    }
}
