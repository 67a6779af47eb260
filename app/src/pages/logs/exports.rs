//! CloudWatch › Logs › Export tasks (`/cloudwatch/logs/exports`): the account's export tasks in the region,
//! newest first (DescribeExportTasks, paged with its tokens, filtered by status), each with its log group, time
//! range, destination, status and progress (streams written of those to export, events, bytes), cancelled after
//! a confirmation while active (CancelExportTask). While a task on the page is active the list is read again every
//! [`REFRESH_MS`] milliseconds, so its progress moves. "Create export task" opens a form (`create=1`, the log group
//! preselected from `group=`): log group, time range with quick choices, stream prefix, bucket, prefix and name
//! (CreateExportTask); refusals show the operation's message. Filters and the page are in the URL (`status=`,
//! `token=`, `back=`), so a view is a link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

use super::{GROUPS_PATH, Pages, TokenPager, error_text, group_href, human_bytes, time_format_at, zone_name};
use crate::api::{
    DEFAULT_EXPORT_PREFIX, EXPORT_STATUSES, ExportTaskList, ExportTaskView, NewExportTask, logs_export_groups,
    logs_export_task_cancel, logs_export_task_create, logs_export_tasks,
};
use crate::components::query::{href, use_region};
use crate::pages::dashboard::{from_input, use_offset_minutes};

pub const EXPORTS_PATH: &str = "/cloudwatch/logs/exports";

/// How often the list is read again while a task on it is active.
pub const REFRESH_MS: u64 = 1_500;

/// The form's quick time ranges: (label, milliseconds up to now).
const QUICK_RANGES: [(&str, i64); 4] =
    [("1h", 3_600_000), ("12h", 43_200_000), ("1d", 86_400_000), ("1w", 604_800_000)];

/// How times are written in the table and read from the form's fields.
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// The export tasks page with the create form open, its log group chosen (a group page's "Export to S3").
pub fn create_href(group: &str, query: &ParamsMap) -> String {
    href(EXPORTS_PATH, query, &[("group", group), ("create", "1")])
}

/// The list of `status` (empty: any) at the page `token` starts.
fn list_href(query: &ParamsMap, status: &str, (token, back): (&str, &str)) -> String {
    href(EXPORTS_PATH, query, &[("status", status), ("token", token), ("back", back)])
}

/// The status filter in the URL, when it is one of the codes.
fn status_of(query: &ParamsMap) -> String {
    query.get("status").filter(|s| EXPORT_STATUSES.contains(&s.as_str())).unwrap_or_default()
}

/// The time now, in epoch milliseconds (the browser's clock once hydrated).
fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().timestamp_millis()
    }
}

/// A task id shortened to its first group (`0f3c2a9e…`).
fn short_id(id: &str) -> String {
    match id.split_once('-') {
        Some((first, _)) => format!("{first}…"),
        None if id.chars().count() > 12 => format!("{}…", id.chars().take(8).collect::<String>()),
        None => id.to_owned(),
    }
}

/// A count with thousands separators.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the progress bar says: `3 / 10 streams`, `1,234 events · 12 KB`.
fn progress_words(task: &ExportTaskView) -> (String, String) {
    let streams = if task.status == "PENDING" && task.streams_total == 0 {
        "Waiting to start".to_owned()
    } else {
        format!(
            "{} / {} stream{}",
            task.streams_done,
            task.streams_total,
            if task.streams_total == 1 { "" } else { "s" }
        )
    };
    let events = format!(
        "{} event{} · {}",
        thousands(task.events),
        if task.events == 1 { "" } else { "s" },
        human_bytes(task.bytes)
    );
    (streams, events)
}

/// A name with line break chances after each `/`, so a long group name wraps between its parts.
fn breakable(name: &str) -> impl IntoView + use<> {
    name.split_inclusive('/').map(|part| view! { {part.to_owned()}<wbr/> }).collect_view()
}

/// A time range in the page's zone; the end's date only when it differs from the start's.
fn range_words(from_ms: i64, to_ms: i64, offset: i32) -> (String, String) {
    let (from, to) = (time_format_at(from_ms, offset, TIME_FORMAT), time_format_at(to_ms, offset, TIME_FORMAT));
    let end = match (from.split_once(' '), to.split_once(' ')) {
        (Some((day, _)), Some((to_day, time))) if day == to_day => time.to_owned(),
        _ => to,
    };
    (from, end)
}

#[component]
pub fn ExportTasksPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let navigate = use_navigate();
    let version = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    // Outside the table, which is drawn again each time the list is read.
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<String>);
    let creating = Memo::new(move |_| query.read().get("create").is_some_and(|c| c == "1"));
    let list = Resource::new(
        move || {
            let q = query.read();
            (region.get(), q.get("account"), status_of(&q), Pages::from_query(&q).token, version.get())
        },
        |(region, account, status, token, _)| logs_export_tasks(region, account, status, token),
    );
    // While a task on the page may still move, read the list again every so often.
    let busy =
        Memo::new(move |_| list.get().and_then(Result::ok).is_some_and(|l| l.tasks.iter().any(|t| t.is_active())));
    Effect::new(move |_| {
        if !busy.get() {
            return None;
        }
        set_interval_with_handle(move || version.update(|v| *v += 1), std::time::Duration::from_millis(REFRESH_MS))
            .ok()
            .map(|handle| on_cleanup(move || handle.clear()))
    });
    let account = move || query.read_untracked().get("account");
    let cancel = Action::new(move |id: &String| {
        let id = id.clone();
        let call = logs_export_task_cancel(region.get_untracked(), account(), id.clone());
        async move { (id, call.await) }
    });
    Effect::new(move |_| {
        if let Some((id, result)) = cancel.value().get() {
            confirming.set(None);
            match result {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some(format!("Export task {id} cancelled.")));
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(error_text(&e)));
                }
            }
        }
    });
    let on_created = Callback::new(move |id: String| {
        error.set(None);
        notice.set(Some(format!("Export task {id} created.")));
        created.set(Some(id));
        // The first page of every status, where the new task is on top.
        navigate(&href(EXPORTS_PATH, &query.read_untracked(), &[]), NavigateOptions::default());
        version.update(|v| *v += 1);
    });
    let open_form =
        move || href(EXPORTS_PATH, &query.read(), &[("status", &status_of(&query.read())), ("create", "1")]);
    view! {
        <Title text="CloudWatch Logs export tasks"/>
        <div class="breadcrumb">
            "CloudWatch › Logs › "
            <a href=move || href(GROUPS_PATH, &query.read(), &[]) data-testid="breadcrumb-groups">"Log groups"</a>
            " › Export tasks"
        </div>
        <div class="title-row">
            <h1 data-testid="page-title">"Export tasks"</h1>
            <span class="spacer"></span>
            <div class="title-actions">
                <Show when=move || !creating.get()>
                    <a class="button-link logs-button exports-primary" href=open_form data-testid="create-export">"Create export task"</a>
                </Show>
            </div>
        </div>
        {move || notice.get().map(|n| view! { <div class="notice small" role="status" data-testid="exports-notice">{n}</div> })}
        <Show when=move || creating.get()>
            <CreateExportForm created=on_created/>
        </Show>
        <section class="panel" data-testid="exports-panel">
            <StatusFilter version=version/>
            <Show when=move || confirming.read().is_some()>
                <div class="table-toolbar exports-confirm">
                    <span class="confirm" data-testid="cancel-export-confirm">
                        {move || format!("Cancel export task {}? Objects already written stay in the bucket. ", confirming.get().unwrap_or_default())}
                        <button class="danger" disabled=move || cancel.pending().get()
                            on:click=move |_| { if let Some(id) = confirming.get_untracked() { cancel.dispatch(id); } } data-testid="cancel-export-yes">
                            "Cancel task"
                        </button>
                        <button class="secondary" on:click=move |_| confirming.set(None) data-testid="cancel-export-no">"Keep running"</button>
                    </span>
                </div>
            </Show>
            {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="exports-action-error">{e}</div> })}
            <Transition fallback=|| view! { <p class="muted panel-body">"Loading export tasks…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <TaskTable list=list confirming=confirming created=created/> }.into_any(),
                        Err(e) => view! { <div class="error" role="alert" data-testid="exports-error">{error_text(&e)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The status filter (`status=`) and a button that reads the list again.
#[component]
fn StatusFilter(version: RwSignal<u32>) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let status = Memo::new(move |_| status_of(&query.read()));
    let carried = move || {
        ["region", "account", "range"]
            .into_iter()
            .filter_map(|key| query.read().get(key).map(|v| (key, v)))
            .map(|(key, v)| view! { <input type="hidden" name=key value=v/> })
            .collect_view()
    };
    view! {
        <form method="get" action=EXPORTS_PATH class="filter-bar panel-filters" data-testid="exports-filter">
            {carried}
            <label class="inline-form small">
                "Status"
                <select name="status" aria-label="Status" data-testid="exports-status"
                    on:change=move |ev| navigate(&list_href(&query.read_untracked(), &event_target_value(&ev), ("", "")), Default::default())>
                    <option value="" selected=move || status.get().is_empty()>"Any status"</option>
                    {EXPORT_STATUSES.iter().map(|code| view! {
                        <option value=*code selected=move || status.get() == *code>{*code}</option>
                    }).collect_view()}
                </select>
            </label>
            <noscript><button type="submit" class="secondary">"Apply"</button></noscript>
            <span class="spacer"></span>
            <button type="button" class="secondary" title="Read the export tasks again" on:click=move |_| version.update(|v| *v += 1)
                data-testid="exports-refresh">"Refresh"</button>
        </form>
    }
}

#[component]
fn TaskTable(
    list: ExportTaskList,
    confirming: RwSignal<Option<String>>,
    created: RwSignal<Option<String>>,
) -> impl IntoView {
    let query = use_query_map();
    let offset = use_offset_minutes();
    let status = status_of(&query.read_untracked());
    let pages = Pages::from_query(&query.read_untracked());
    let ExportTaskList { tasks, next_token } = list;
    let active = tasks.iter().filter(|t| t.is_active()).count();
    let (shown, page_number) = (tasks.len(), pages.number());
    let body = if tasks.is_empty() {
        let text = if !status.is_empty() || page_number > 1 {
            "No export tasks match the filter."
        } else {
            "No export tasks in this account and region yet. Create one here, from a log group's page, or with aws logs create-export-task."
        };
        view! { <p class="empty" data-testid="exports-empty">{text}</p> }.into_any()
    } else {
        view! {
            <table class="grid logs-exports" data-testid="exports-table">
                <thead><tr>
                    <th title="The task's name and id">"Export task"</th><th>"Log group"</th>
                    <th>{move || format!("Time range ({})", zone_name(offset.get()))}</th>
                    <th>"Destination"</th><th>"Status"</th><th>"Progress"</th>
                    <th>{move || format!("Created → done ({})", zone_name(offset.get()))}</th>
                    <th class="actions"></th>
                </tr></thead>
                <tbody>
                    {tasks.into_iter().map(|task| view! { <TaskRow task=task confirming=confirming created=created/> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let link = Callback::new(move |(token, back): (String, String)| {
        list_href(&query.read_untracked(), &status, (token.as_str(), back.as_str()))
    });
    let more = page_number > 1 || next_token.is_some();
    view! {
        <div class="table-toolbar">
            <span class="table-caption" data-testid="exports-count">
                {format!("{shown} export task{}{}", if shown == 1 { "" } else { "s" }, if more { format!(" · page {page_number}") } else { String::new() })}
            </span>
            <span class="spacer"></span>
            {(active > 0).then(|| view! {
                <span class="muted small exports-live" data-testid="exports-live" title="The list is read again while a task is active">
                    <span class="exports-live-dot" aria-hidden="true"></span>
                    {format!("{active} active · updating every {:.1} s", REFRESH_MS as f64 / 1000.0)}
                </span>
            })}
        </div>
        {body}
        <TokenPager link=link pages=pages next_token=next_token test_id="exports-pager"/>
    }
    .into_any()
}

#[component]
fn TaskRow(
    task: ExportTaskView,
    confirming: RwSignal<Option<String>>,
    created: RwSignal<Option<String>>,
) -> impl IntoView {
    let query = use_query_map();
    let offset = use_offset_minutes();
    let percent = task.percent();
    let (streams, events) = progress_words(&task);
    let id = task.task_id.clone();
    let is_new = {
        let id = id.clone();
        move || created.read().as_deref() == Some(id.as_str())
    };
    let status_class = format!("export-status export-{}", task.status.to_lowercase().replace('_', "-"));
    let failed = (task.status == "FAILED").then(|| task.message.clone()).flatten();
    let group_link = group_href(&task.log_group_name, &query.read_untracked());
    let (from_ms, to_ms, created_ms, completed_ms) = (task.from_ms, task.to_ms, task.created_ms, task.completed_ms);
    let range = move || range_words(from_ms, to_ms, offset.get());
    let ran = move || range_words(created_ms, completed_ms.unwrap_or(created_ms), offset.get());
    let cancel = task.is_active().then(|| {
        let id = id.clone();
        view! {
            <button class="link-button logs-edit" on:click=move |_| confirming.set(Some(id.clone()))
                title="Stop the export (CancelExportTask)" data-testid="export-cancel">"Cancel"</button>
        }
    });
    let prefix_note = task.stream_prefix.clone().map(
        |p| view! { <div class="muted small nowrap" title="Log stream name prefix">{format!("streams {p}*")}</div> },
    );
    view! {
        <tr data-testid="export-row" data-id=id.clone() data-status=task.status.clone() data-row tabindex="0" class:selected=is_new>
            <td class="small nowrap">
                {task.task_name.clone().map(|n| view! { <div class="exports-task-name" data-testid="export-name">{n}</div> })}
                <div class="mono" class:muted=task.task_name.is_some() title=id.clone() data-testid="export-id">{short_id(&id)}</div>
            </td>
            <td class="mono small logs-export-group" data-testid="export-group">
                <a href=group_link data-row-link>{breakable(&task.log_group_name)}</a>
                {prefix_note}
            </td>
            <td class="small nowrap" data-testid="export-range">
                {move || range().0}<br/><span class="muted">"→ "</span>{move || range().1}
            </td>
            <td class="mono small logs-export-destination" title=format!("Objects under {}/{}/", task.destination_url(), task.task_id) data-testid="export-destination">
                "s3://"{breakable(&format!("{}/{}", task.destination, task.destination_prefix))}
            </td>
            <td class="nowrap" title=task.message.clone().unwrap_or_default()>
                <span class=status_class data-testid="export-status">{task.status.clone()}</span>
                {failed.map(|m| view! { <div class="error-text small exports-message" data-testid="export-message">{m}</div> })}
            </td>
            <td class="export-progress-cell" data-testid="export-progress">
                <div class="export-progress" role="progressbar" aria-label="Log streams exported" aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow=percent.to_string() aria-valuetext=streams.clone()
                    data-done=task.streams_done.to_string() data-total=task.streams_total.to_string() data-testid="export-progress-bar">
                    <span class="export-progress-fill" class:export-progress-done=task.status == "COMPLETED" style=format!("width: {percent}%")></span>
                </div>
                <div class="small nowrap export-progress-words" data-testid="export-streams">{streams}</div>
                <div class="small nowrap muted" data-testid="export-events">{events}</div>
            </td>
            <td class="small nowrap">
                <span data-testid="export-created">{move || ran().0}</span>
                {completed_ms.map(|_| view! { <br/><span class="muted">"→ "</span><span data-testid="export-completed">{move || ran().1}</span> })}
            </td>
            <td class="actions">{cancel}</td>
        </tr>
    }
}

/// "Create export task": log group, time range, stream prefix, bucket, prefix and name; CreateExportTask.
#[component]
fn CreateExportForm(created: Callback<String>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let offset = use_offset_minutes();
    let account = move || query.read_untracked().get("account");
    let wanted_group = query.read_untracked().get("group").unwrap_or_default();
    let group = RwSignal::new(wanted_group.clone());
    let now = now_ms();
    let from = RwSignal::new(now - QUICK_RANGES[0].1);
    let to = RwSignal::new(now);
    // The text of a field being typed in, until it reads as a time.
    let from_text = RwSignal::new(None::<String>);
    let to_text = RwSignal::new(None::<String>);
    let quick = RwSignal::new(Some(QUICK_RANGES[0].0));
    let stream_prefix = RwSignal::new(String::new());
    let bucket = RwSignal::new(String::new());
    let prefix = RwSignal::new(DEFAULT_EXPORT_PREFIX.to_owned());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let groups = Resource::new(
        move || (region.get(), query.read().get("account")),
        |(region, account)| logs_export_groups(region, account),
    );
    let save = Action::new(move |task: &NewExportTask| {
        logs_export_task_create(region.get_untracked(), account(), task.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(id) => created.run(id),
                Err(e) => error.set(Some(error_text(&e))),
            }
        }
    });
    let shift = move || i64::from(offset.get_untracked()) * 60_000;
    let shown = move |ms: RwSignal<i64>, typed: RwSignal<Option<String>>| {
        move || typed.get().unwrap_or_else(|| time_format_at(ms.get(), offset.get(), INPUT_FORMAT))
    };
    let typing = move |ms: RwSignal<i64>, typed: RwSignal<Option<String>>| {
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            quick.set(None);
            match from_input(&text) {
                Some(at) => {
                    ms.set(at - shift());
                    typed.set(None);
                }
                None => typed.set(Some(text)),
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if from_text.get_untracked().is_some() || to_text.get_untracked().is_some() {
            error.set(Some("Enter the start and the end as 2026-12-01T09:00:00.".into()));
            return;
        }
        let log_group_name = group.get_untracked();
        if log_group_name.is_empty() {
            error.set(Some("Choose a log group.".into()));
            return;
        }
        error.set(None);
        save.dispatch(NewExportTask {
            task_name: name.get_untracked(),
            log_group_name,
            stream_prefix: stream_prefix.get_untracked(),
            from_ms: from.get_untracked(),
            to_ms: to.get_untracked(),
            bucket: bucket.get_untracked(),
            prefix: prefix.get_untracked(),
        });
    };
    let field = move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    let close = move || href(EXPORTS_PATH, &query.read(), &[("status", &status_of(&query.read()))]);
    let objects = move || {
        let bucket = bucket.get();
        let prefix = prefix.get();
        format!(
            "s3://{}/{}/<task id>/<log stream>/000000.gz",
            if bucket.trim().is_empty() { "<bucket>" } else { bucket.trim() },
            if prefix.trim().is_empty() { DEFAULT_EXPORT_PREFIX } else { prefix.trim() }
        )
    };
    view! {
        <section class="panel exports-create" data-testid="create-export-panel">
            <header class="panel-header">
                <h2>"Create export task"</h2>
                <span class="muted small">"Write a log group's events in a time range to gzip objects in an S3 bucket."</span>
            </header>
            <form class="panel-body exports-form" data-testid="create-export-form" on:submit=submit>
                <div class="form-grid logs-grid-export">
                    <label>
                        "Log group"
                        <Transition fallback=|| view! { <select disabled=true><option>"Loading log groups…"</option></select> }>
                            {move || Suspend::new(async move {
                                let choices = groups.await.unwrap_or_default();
                                if group.get_untracked().is_empty() && let Some(first) = choices.names.first() {
                                    group.set(first.clone());
                                }
                                let mut names = choices.names;
                                let wanted = group.get_untracked();
                                if !wanted.is_empty() && !names.contains(&wanted) {
                                    names.insert(0, wanted);
                                }
                                let empty = names.is_empty();
                                view! {
                                    <select data-testid="export-group-select" on:change=field(group)>
                                        {empty.then(|| view! { <option value="" disabled=true selected=true>"No log groups in this region"</option> })}
                                        {names.into_iter().map(|n| {
                                            let (chosen, label) = (n.clone(), n.clone());
                                            view! { <option value=n selected=move || group.get() == chosen>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                    {choices.more.then(|| view! { <span class="muted small">"The first 500 log groups are listed."</span> })}
                                }
                                .into_any()
                            })}
                        </Transition>
                    </label>
                    <label>
                        "Log stream prefix (optional)"
                        <input type="text" maxlength="512" spellcheck="false" placeholder="Every stream"
                            prop:value=move || stream_prefix.get() on:input=field(stream_prefix) data-testid="export-stream-prefix"/>
                    </label>
                    <label>
                        "Task name (optional)"
                        <input type="text" maxlength="512" spellcheck="false" placeholder="nightly-archive"
                            prop:value=move || name.get() on:input=field(name) data-testid="export-name-input"/>
                    </label>
                </div>
                <div class="form-grid logs-grid-export-range">
                    <label>
                        {move || format!("From ({})", zone_name(offset.get()))}
                        <input type="datetime-local" step="1" required prop:value=shown(from, from_text) on:input=typing(from, from_text) data-testid="export-from"/>
                    </label>
                    <label>
                        {move || format!("To ({})", zone_name(offset.get()))}
                        <input type="datetime-local" step="1" required prop:value=shown(to, to_text) on:input=typing(to, to_text) data-testid="export-to"/>
                    </label>
                    <div class="exports-quick">
                        <span class="exports-field-title">"Up to now"</span>
                        <div class="segmented light" role="group" aria-label="Time range up to now" data-testid="export-quick">
                            {QUICK_RANGES.iter().map(|(label, span)| {
                                let (label, span) = (*label, *span);
                                view! {
                                    <button type="button" class:active=move || quick.get() == Some(label) title=format!("The last {label}")
                                        on:click=move |_| {
                                            let now = now_ms();
                                            from.set(now - span);
                                            to.set(now);
                                            from_text.set(None);
                                            to_text.set(None);
                                            quick.set(Some(label));
                                        }
                                        data-testid=format!("export-quick-{label}")>{label}</button>
                                }
                            }).collect_view()}
                        </div>
                    </div>
                </div>
                <div class="form-grid logs-grid-export-destination">
                    <label>
                        "S3 bucket name"
                        <input type="text" required maxlength="63" spellcheck="false" placeholder="my-log-archive"
                            prop:value=move || bucket.get() on:input=field(bucket) data-testid="export-bucket"/>
                    </label>
                    <label>
                        "S3 bucket prefix"
                        <input type="text" maxlength="1024" spellcheck="false"
                            prop:value=move || prefix.get() on:input=field(prefix) data-testid="export-prefix"/>
                    </label>
                </div>
                <p class="muted small exports-objects">"Objects: " <span class="mono" data-testid="export-objects">{objects}</span></p>
                {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="create-export-error">{e}</div> })}
                <div class="inline-form">
                    <button type="submit" class="primary" disabled=move || save.pending().get() data-testid="create-export-submit">"Create export task"</button>
                    <a class="button-link logs-button" href=close data-testid="create-export-cancel">"Cancel"</a>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_counts_and_ranges_are_written_short() {
        assert_eq!(short_id("0f3c2a9e-1b2c-4d5e-8f90-123456789abc"), "0f3c2a9e…");
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(short_id("abcdefghijklmnop"), "abcdefgh…");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        // 2026-01-02 03:04:05 UTC and an hour later, then a day later.
        let at = 1_767_323_045_000;
        assert_eq!(range_words(at, at + 3_600_000, 0), ("2026-01-02 03:04:05".into(), "04:04:05".into()));
        assert_eq!(range_words(at, at + 86_400_000, 0), ("2026-01-02 03:04:05".into(), "2026-01-03 03:04:05".into()));
        assert_eq!(range_words(at, at + 3_600_000, 60), ("2026-01-02 04:04:05".into(), "05:04:05".into()));
    }

    #[test]
    fn progress_words_count_streams_events_and_bytes() {
        let task = |status: &str, done, total, events, bytes| ExportTaskView {
            status: status.into(),
            streams_done: done,
            streams_total: total,
            events,
            bytes,
            ..Default::default()
        };
        let cases = [
            (task("PENDING", 0, 0, 0, 0), ("Waiting to start", "0 events · 0 B")),
            (task("RUNNING", 1, 3, 1, 100), ("1 / 3 streams", "1 event · 100 B")),
            (task("COMPLETED", 1, 1, 12_345, 2048), ("1 / 1 stream", "12,345 events · 2.0 KB")),
        ];
        for (task, (streams, events)) in cases {
            assert_eq!(progress_words(&task), (streams.to_owned(), events.to_owned()), "{task:?}");
        }
    }

    #[test]
    fn the_status_filter_takes_only_status_codes() {
        let mut query = ParamsMap::new();
        query.insert("status".to_owned(), "RUNNING".to_owned());
        assert_eq!(status_of(&query), "RUNNING");
        query.insert("status".to_owned(), "running".to_owned());
        assert_eq!(status_of(&query), "");
        query.insert("region".to_owned(), "eu-west-1".to_owned());
        assert_eq!(
            create_href("/app/a b", &query),
            "/cloudwatch/logs/exports?region=eu-west-1&group=%2Fapp%2Fa%20b&create=1"
        );
        assert_eq!(
            list_href(&query, "FAILED", ("t2", "t1")),
            "/cloudwatch/logs/exports?region=eu-west-1&status=FAILED&token=t2&back=t1"
        );
    }
}
