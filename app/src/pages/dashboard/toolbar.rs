//! The dashboard's toolbar: time range presets and an absolute range, local or UTC time, auto-refresh (all in
//! the URL), and the actions: edit, add widget, source, save, cancel, rename, duplicate, delete.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use skywatch_model::TimeRange;

use super::board::{Board, Dialog};
use super::format_time_at;
use crate::api::{Rendered, SaveOutcome, dashboard_save, describe_messages};
use crate::components::query::href_keeping;

/// The range presets CloudWatch dashboards offer.
pub const PRESETS: [&str; 6] = ["1h", "3h", "12h", "1d", "3d", "1w"];
/// Auto-refresh choices: URL value, label, seconds.
pub const REFRESH: [(&str, &str, u32); 4] =
    [("off", "Off", 0), ("10s", "10s", 10), ("1m", "1m", 60), ("5m", "5m", 300)];

/// The offset of the time zone the page shows, in minutes east of UTC: 0 for UTC, the browser's for local.
pub fn use_offset_minutes() -> Memo<i32> {
    let query = use_query_map();
    let local = Memo::new(move |_| query.read().get("tz").is_some_and(|tz| tz == "local"));
    let browser = RwSignal::new(0i32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let minutes = -js_sys::Date::new_0().get_timezone_offset();
        browser.set(minutes as i32);
    });
    Memo::new(move |_| if local.get() { browser.get() } else { 0 })
}

fn staying() -> NavigateOptions {
    NavigateOptions { scroll: false, replace: false, ..Default::default() }
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let board = expect_context::<Board>();
    let query = use_query_map();
    let location = use_location();
    let link = move |changes: &[(&str, &str)]| href_keeping(&location.pathname.get(), &query.read(), changes, &[]);
    let current_range = Memo::new(move |_| query.read().get("range"));
    let presets = PRESETS
        .iter()
        .map(|preset| {
            let preset = *preset;
            let active = move || current_range.get().as_deref() == Some(preset);
            view! {
                <a href=move || link(&[("range", preset)]) class:active=active data-noscroll="true" data-testid=format!("dash-range-{preset}")>
                    {preset}
                </a>
            }
        })
        .collect_view();
    let local = Memo::new(move |_| query.read().get("tz").is_some_and(|tz| tz == "local"));
    let refresh = Memo::new(move |_| query.read().get("refresh").unwrap_or_else(|| "off".into()));
    let navigate = use_navigate();
    let on_refresh = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let value = if value == "off" { String::new() } else { value };
        let target =
            href_keeping(&location.pathname.get_untracked(), &query.read_untracked(), &[("refresh", &value)], &[]);
        navigate(&target, staying());
    };
    let custom_open = RwSignal::new(false);
    view! {
        <div class="dashboard-toolbar" data-testid="dashboard-toolbar">
            <div class="segmented light" role="group" aria-label="Time range" data-testid="time-range">
                {presets}
                <button
                    type="button"
                    class:active=move || current_range.get().is_some_and(|r| r.contains(".."))
                    on:click=move |_| custom_open.update(|o| *o = !*o)
                    data-testid="dash-range-custom"
                >
                    "Custom"
                </button>
            </div>
            <RangeLabel/>
            <div class="segmented light" role="group" aria-label="Time zone">
                <a href=move || link(&[("tz", "")]) class:active=move || !local.get() data-noscroll="true" data-testid="tz-utc">"UTC"</a>
                <a href=move || link(&[("tz", "local")]) class:active=move || local.get() data-noscroll="true" data-testid="tz-local">"Local"</a>
            </div>
            <label class="control">
                "Refresh "
                <select aria-label="Auto-refresh" on:change=on_refresh data-testid="refresh-select">
                    {REFRESH
                        .iter()
                        .map(|(value, label, _)| view! { <option value=*value selected=move || refresh.get() == *value>{*label}</option> })
                        .collect_view()}
                </select>
            </label>
            <button class="secondary icon" title="Refresh now" on:click=move |_| board.tick.update(|t| *t += 1) data-testid="refresh-now">
                "⟳"
            </button>
            <span class="spacer"></span>
            <Actions/>
        </div>
        <Show when=move || custom_open.get()>
            <CustomRange open=custom_open/>
        </Show>
    }
}

/// The range shown, in the page's time zone.
#[component]
fn RangeLabel() -> impl IntoView {
    let board = expect_context::<Board>();
    let offset = use_offset_minutes();
    let text = move |rendered: Option<Result<Rendered, ServerFnError>>| {
        rendered
            .and_then(|r| r.ok())
            .and_then(|r| match r {
                Rendered::Dashboard(d, _) => Some((d.start_ms, d.end_ms)),
                Rendered::Invalid(_) => None,
            })
            .map(|(start, end)| {
                let minutes = offset.get();
                let zone = if minutes == 0 { "UTC".to_owned() } else { format!("UTC{:+}", f64::from(minutes) / 60.0) };
                format!("{} – {} {zone}", format_time_at(start, minutes), format_time_at(end, minutes))
            })
            .unwrap_or_default()
    };
    view! {
        <Transition fallback=|| view! { <span class="range-label muted" data-testid="range-label"></span> }>
            {move || Suspend::new(async move {
                let rendered = board.rendered.await;
                view! { <span class="range-label muted" data-testid="range-label">{move || text(Some(rendered.clone()))}</span> }
            })}
        </Transition>
    }
}

/// Two date-time fields for an absolute range, read in the page's time zone.
#[component]
fn CustomRange(open: RwSignal<bool>) -> impl IntoView {
    let board = expect_context::<Board>();
    let query = use_query_map();
    let location = use_location();
    let offset = use_offset_minutes();
    let initial = board
        .rendered
        .get_untracked()
        .and_then(|r| r.ok())
        .and_then(|r| match r {
            Rendered::Dashboard(d, _) => Some((d.start_ms, d.end_ms)),
            Rendered::Invalid(_) => None,
        })
        .unwrap_or((0, 0));
    let start = RwSignal::new(to_input(initial.0, offset.get_untracked()));
    let end = RwSignal::new(to_input(initial.1, offset.get_untracked()));
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let shift = i64::from(offset.get_untracked()) * 60_000;
        match (from_input(&start.get_untracked()), from_input(&end.get_untracked())) {
            (Some(s), Some(e)) if s < e => {
                let range = TimeRange::Absolute { start_ms: s - shift, end_ms: e - shift }.to_query_value();
                let target = href_keeping(
                    &location.pathname.get_untracked(),
                    &query.read_untracked(),
                    &[("range", &range)],
                    &[],
                );
                open.set(false);
                navigate(&target, staying());
            }
            _ => error.set(Some("Enter a start before the end, as 2026-12-01T09:00.".into())),
        }
    };
    view! {
        <form class="inline-form dialog-inline" on:submit=apply data-testid="custom-range">
            <label>"From " <input type="datetime-local" prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev)) data-testid="custom-start"/></label>
            <label>"To " <input type="datetime-local" prop:value=move || end.get() on:input=move |ev| end.set(event_target_value(&ev)) data-testid="custom-end"/></label>
            <button type="submit" class="primary" data-testid="custom-apply">"Apply"</button>
            <button type="button" class="secondary" on:click=move |_| open.set(false)>"Cancel"</button>
            {move || error.get().map(|e| view! { <span class="error-text">{e}</span> })}
        </form>
    }
}

/// `2026-12-01T09:00` for a datetime-local field.
fn to_input(ms: i64, offset_minutes: i32) -> String {
    format_time_at(ms, offset_minutes).replace(' ', "T")
}

/// Reads a datetime-local value (`2026-12-01T09:00`, optionally with seconds) as epoch ms of that wall time.
pub fn from_input(text: &str) -> Option<i64> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
        .map(|time| time.and_utc().timestamp_millis())
}

/// Edit, save and the other actions.
#[component]
fn Actions() -> impl IntoView {
    let board = expect_context::<Board>();
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let save = Action::new(move |_: &()| {
        let (name, body) = (board.name.get_untracked(), board.working.get_untracked());
        let account = query.read_untracked().get("account");
        async move { (body.clone(), dashboard_save(account, name, body, None, false).await) }
    });
    Effect::new(move |_| {
        if let Some((body, outcome)) = save.value().get() {
            match outcome {
                Ok(SaveOutcome::Saved { .. }) => {
                    board.saved.set(body);
                    board.editing.set(false);
                    board.notice.set(Some((true, "Dashboard saved.".into())));
                    // A reload shows the saved dashboard, not the editor the page may have been opened in.
                    if query.read_untracked().get("edit").is_some() {
                        let target =
                            href_keeping(&location.pathname.get_untracked(), &query.read_untracked(), &[], &["edit"]);
                        navigate(&target, NavigateOptions { replace: true, scroll: false, ..Default::default() });
                    }
                }
                Ok(SaveOutcome::Invalid(messages)) => {
                    board.notice.set(Some((false, format!("Not saved: {}", describe_messages(&messages)))))
                }
                Err(e) => board.notice.set(Some((false, e.to_string()))),
            }
        }
    });
    let cancel = move |_| {
        board.working.set(board.saved.get_untracked());
        board.editing.set(false);
        board.notice.set(None);
    };
    let open = move |dialog: Dialog| move |_| board.dialog.set(dialog);
    view! {
        <Show
            when=move || board.editing.get()
            fallback=move || {
                if board.automatic {
                    view! {
                        <button class="secondary" on:click=open(Dialog::Source) data-testid="view-source">"View source"</button>
                        <button class="primary" on:click=open(Dialog::Duplicate) data-testid="save-as">"Save as dashboard"</button>
                    }
                        .into_any()
                } else {
                    view! {
                        <details class="menu actions-menu" data-testid="actions-menu">
                            <summary>"Actions"</summary>
                            <div class="menu-items">
                                <button class="link-button" on:click=open(Dialog::Source) data-testid="action-source">"View/edit source"</button>
                                <button class="link-button" on:click=open(Dialog::Rename) data-testid="action-rename">"Rename"</button>
                                <button class="link-button" on:click=open(Dialog::Duplicate) data-testid="action-duplicate">"Save as…"</button>
                                <button class="link-button" on:click=open(Dialog::Delete) data-testid="action-delete">"Delete"</button>
                            </div>
                        </details>
                        <button class="primary" on:click=move |_| board.editing.set(true) data-testid="edit-dashboard">"Edit"</button>
                    }
                        .into_any()
                }
            }
        >
            <button class="secondary" on:click=open(Dialog::AddWidget) data-testid="add-widget">"Add widget"</button>
            <button class="secondary" on:click=open(Dialog::Source) data-testid="edit-source">"Source"</button>
            <button class="secondary" on:click=cancel data-testid="cancel-edit">"Cancel"</button>
            <button class="primary" on:click=move |_| { save.dispatch(()); } disabled=move || save.pending().get() data-testid="save-dashboard">
                "Save"
            </button>
        </Show>
    }
}

/// Bumps the board's tick every auto-refresh period while the range is relative.
#[component]
pub fn RefreshTimer() -> impl IntoView {
    let board = expect_context::<Board>();
    let query = use_query_map();
    let seconds = Memo::new(move |_| {
        let wanted = query.read().get("refresh").unwrap_or_default();
        let relative = !query.read().get("range").is_some_and(|r| r.contains(".."));
        REFRESH.iter().find(|(value, _, _)| *value == wanted).map(|(_, _, s)| *s).filter(|s| *s > 0 && relative)
    });
    Effect::new(move |_| {
        let seconds = seconds.get()?;
        set_interval_with_handle(
            move || board.tick.update(|t| *t += 1),
            std::time::Duration::from_secs(u64::from(seconds)),
        )
        .ok()
        .map(|handle| on_cleanup(move || handle.clear()))
    });
    view! { <span class="refresh-state" data-testid="refresh-state" data-seconds=move || seconds.get().unwrap_or(0)></span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_fields_are_read_and_impossible_dates_refused() {
        assert_eq!(from_input("1970-01-01T00:00"), Some(0));
        assert_eq!(from_input("2025-12-02T15:25"), Some(1_764_689_100_000));
        assert_eq!(from_input("2025-12-02T15:25:30"), Some(1_764_689_130_000));
        for bad in ["", "2025-02-30T00:00", "2025-13-01T00:00", "2025-12-02 15:25", "2025-12-02T24:00", "x-1-1T1:1"] {
            assert_eq!(from_input(bad), None, "{bad}");
        }
        assert_eq!(to_input(1_764_689_100_000, 60), "2025-12-02T16:25");
    }
}
