//! CloudWatch › Logs › the event viewer (`/cloudwatch/logs/events?group=&stream=`): one stream's events
//! (GetLogEvents: the newest page of the time range first, "Load older" and "Load newer" with its backward and
//! forward tokens) or a whole group's (FilterLogEvents: from the start of the range, "Load more" with its
//! nextToken, each event's stream linking to that stream), with a filter pattern (`filter=`; with a stream,
//! FilterLogEvents over `logStreamNames`). The time range is the console's (`range=`, the top bar's picker),
//! shifted by "time jumps" or started at an absolute time; times in UTC or local time (`tz=local`); long lines
//! cut or wrapped (`wrap=1`). A row opens (click, Enter) to its full message, JSON pretty-printed. The URL holds
//! everything but the rows loaded on top of the first page, so a view is a link. Keys: `/` the filter, `j`/`k`
//! rows, Enter opens one, `p`/`n` load older and newer.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use skywatch_model::TimeRange;

use super::{EVENTS_PATH, GROUPS_PATH, error_text, events_href, group_href, time_format_at, time_ms_at, zone_name};
use crate::api::{EventQuery, LogEventPage, LogEventView, logs_events};
use crate::components::query::{href, href_keeping, use_region, use_time_range};
use crate::pages::dashboard::{from_input, use_offset_minutes};

/// The filter pattern examples under the box: (pattern, what it finds).
const EXAMPLES: [(&str, &str); 5] = [
    ("ERROR", "events containing ERROR"),
    ("\"timed out\"", "an exact phrase"),
    ("?ERROR ?WARN", "either term"),
    ("{ $.level = \"error\" }", "JSON events by a field"),
    ("[ip, user, ts, request, status = 5*, bytes]", "space-delimited fields"),
];

/// The time jumps: (label, milliseconds).
const JUMPS: [(&str, i64); 2] = [("5m", 300_000), ("1h", 3_600_000)];

/// The URL's non-empty value of `key`.
fn param(query: &ParamsMap, key: &str) -> Option<String> {
    query.get(key).filter(|v| !v.is_empty())
}

#[component]
pub fn LogEventsPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let group = Memo::new(move |_| param(&query.read(), "group").unwrap_or_default());
    let stream = Memo::new(move |_| param(&query.read(), "stream"));
    let events = Resource::new(
        move || {
            let q = query.read();
            let wanted = EventQuery {
                group: group.get(),
                stream: stream.get(),
                filter: q.get("filter").unwrap_or_default(),
                range: range.get().to_query_value(),
                token: param(&q, "token"),
            };
            (region.get(), q.get("account"), wanted)
        },
        |(region, account, wanted)| logs_events(region, account, wanted),
    );
    let title = move || stream.get().unwrap_or_else(|| group.get());
    view! {
        <Title text=move || format!("Log events {}", title())/>
        <div class="breadcrumb">
            "CloudWatch › Logs › "
            <a href=move || href(GROUPS_PATH, &query.read(), &[]) data-testid="breadcrumb-groups">"Log groups"</a>
            " › "
            <a href=move || group_href(&group.get(), &query.read()) class="mono" data-testid="breadcrumb-group">{move || group.get()}</a>
            " › "
            {move || stream.get().map(|s| view! { <span class="mono">{s}</span> }.into_any()).unwrap_or_else(|| "All streams".into_any())}
        </div>
        <div class="title-row">
            <h1 data-testid="page-title" class="mono-title">{title}</h1>
            <span class="muted small" data-testid="events-scope">
                {move || if stream.get().is_some() { "Log stream" } else { "All streams of the log group" }}
            </span>
            <span class="spacer"></span>
            <div class="title-actions">
                {move || stream.get().is_some().then(|| view! {
                    <a class="button-link logs-button" href=move || {
                        let filter = query.read().get("filter").unwrap_or_default();
                        href_keeping(EVENTS_PATH, &query.read(), &[("stream", ""), ("filter", &filter)], &["token"])
                    } data-testid="search-group">"Search all streams"</a>
                })}
            </div>
        </div>
        <FilterBox/>
        <Transition fallback=|| view! { <p class="muted">"Loading events…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Ok(page) => view! { <Viewer page=page/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="events-error">{error_text(&e)}</div> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The filter pattern box: a GET form (it works without scripts), examples that run at once.
#[component]
fn FilterBox() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let from_url = Memo::new(move |_| query.read().get("filter").unwrap_or_default());
    let text = RwSignal::new(from_url.get_untracked());
    Effect::new(move |_| text.set(from_url.get()));
    let run = move |pattern: String| {
        let link = href_keeping(EVENTS_PATH, &query.read_untracked(), &[("filter", &pattern)], &["token"]);
        navigate(&link, Default::default());
    };
    let run_example = run.clone();
    let carried = move || {
        ["region", "account", "range", "group", "stream", "tz", "wrap"]
            .into_iter()
            .filter_map(|key| query.read().get(key).map(|v| (key, v)))
            .map(|(key, v)| view! { <input type="hidden" name=key value=v/> })
            .collect_view()
    };
    view! {
        <form method="get" action=EVENTS_PATH class="panel filter-panel" data-testid="events-filter"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                run(text.get_untracked());
            }>
            {carried}
            <div class="filter-row">
                <input type="search" name="filter" class="filter-input mono" aria-label="Filter pattern"
                    placeholder="Filter events: terms, \"a phrase\", { $.level = \"error\" }, [ip, user, status = 5*]"
                    title="Filter pattern (/)" data-shortcut="search" maxlength="1024" spellcheck="false" autocomplete="off"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                    data-testid="events-filter-input"/>
                <button type="submit" class="primary" data-testid="events-filter-apply">"Search"</button>
                <a href=move || href_keeping(EVENTS_PATH, &query.read(), &[("filter", "")], &["token"]) data-testid="events-filter-clear">"Clear"</a>
            </div>
            <div class="filter-examples small muted">
                "Examples: "
                {EXAMPLES.into_iter().map(|(example, what)| {
                    let run = run_example.clone();
                    view! {
                        <button type="button" class="chip chip-button mono" title=what on:click=move |_| {
                            text.set(example.to_owned());
                            run(example.to_owned());
                        }>{example}</button>
                    }
                }).collect_view()}
            </div>
        </form>
    }
}

/// One event of the list, with the key the list tracks it by.
type Row = (u64, LogEventView);

/// The loaded events and the controls around them.
#[component]
fn Viewer(page: LogEventPage) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let offset = use_offset_minutes();
    let wrap = Memo::new(move |_| query.read().get("wrap").is_some_and(|w| w == "1"));
    let LogEventPage {
        events,
        filtered,
        older_token,
        newer_token,
        start_ms,
        end_ms,
        searched_streams,
        latest_event_ms,
    } = page;
    let first_empty = events.is_empty();
    let whole_group = param(&query.read_untracked(), "stream").is_none();
    let keys = StoredValue::new(events.len() as u64);
    let rows = RwSignal::new(events.into_iter().enumerate().map(|(i, e)| (i as u64, e)).collect::<Vec<Row>>());
    // GetLogEvents gives a backward token even on an empty range; there is nothing older in it then.
    let older = RwSignal::new(older_token.filter(|_| !first_empty));
    let newer = RwSignal::new(newer_token);
    let older_done = RwSignal::new(false);
    let newer_note = RwSignal::new(None::<String>);
    let load_error = RwSignal::new(None::<String>);
    let base = StoredValue::new(EventQuery {
        group: param(&query.read_untracked(), "group").unwrap_or_default(),
        stream: param(&query.read_untracked(), "stream"),
        filter: query.read_untracked().get("filter").unwrap_or_default(),
        range: range.get_untracked().to_query_value(),
        token: None,
    });
    let load = Action::new(move |(is_older, token): &(bool, String)| {
        let wanted = EventQuery { token: Some(token.clone()), ..base.get_value() };
        let (is_older, region, account) = (*is_older, region.get_untracked(), query.read_untracked().get("account"));
        async move { (is_older, logs_events(region, account, wanted).await) }
    });
    Effect::new(move |_| {
        let Some((is_older, result)) = load.value().get() else { return };
        let page = match result {
            Ok(page) => page,
            Err(e) => {
                load_error.set(Some(error_text(&e)));
                return;
            }
        };
        load_error.set(None);
        let count = page.events.len();
        let mut key = keys.get_value();
        let mut batch = Vec::with_capacity(count);
        for event in page.events {
            batch.push((key, event));
            key += 1;
        }
        keys.set_value(key);
        if is_older {
            if count == 0 {
                older_done.set(true);
            } else {
                rows.update(|r| {
                    batch.append(r);
                    *r = batch;
                });
                older.set(page.older_token);
            }
        } else {
            rows.update(|r| r.extend(batch));
            match (page.filtered, count, page.newer_token) {
                (false, 0, token) => {
                    newer.set(token);
                    let live = matches!(range.get_untracked(), TimeRange::Relative { .. });
                    let note = if live { "No newer events yet." } else { "No newer events in this time range." };
                    newer_note.set(Some(note.into()));
                }
                (true, _, None) => {
                    newer.set(None);
                    newer_note.set(Some("End of the time range.".into()));
                }
                (_, _, token) => {
                    newer.set(token);
                    newer_note.set(None);
                }
            }
        }
    });
    let token_link = move |token: String| href_keeping(EVENTS_PATH, &query.read(), &[("token", &token)], &[]);
    let load_older = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(token) = older.get_untracked() {
            load.dispatch((true, token));
        }
    };
    let load_newer = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(token) = newer.get_untracked() {
            load.dispatch((false, token));
        }
    };
    let count = move || rows.with(Vec::len);
    let caption = move || {
        let n = count();
        let mut text = format!("{n} event{}", if n == 1 { "" } else { "s" });
        if filtered && whole_group {
            text.push_str(&format!(
                " · {searched_streams} stream{} searched",
                if searched_streams == 1 { "" } else { "s" }
            ));
        }
        text
    };
    let filter_set = !query.read_untracked().get("filter").unwrap_or_default().trim().is_empty();
    let columns = if whole_group { 4 } else { 3 };
    let empty = move || {
        let text = if filter_set {
            "No events match the filter pattern in this time range."
        } else {
            "No events in this time range."
        };
        let latest = latest_event_ms.map(|latest| {
            let span = (end_ms - start_ms).max(60_000);
            let around = TimeRange::Absolute { start_ms: latest + 1 - span, end_ms: latest + 1 }.to_query_value();
            let link = href_keeping(EVENTS_PATH, &query.read_untracked(), &[("range", &around)], &["token"]);
            view! {
                " The newest event is at "
                <span class="nowrap">{move || format!("{} {}", time_ms_at(latest, offset.get()), zone_name(offset.get()))}</span>
                ". "
                <a href=link data-testid="events-latest">"Show the time before it"</a>
            }
        });
        view! { <p class="empty" data-testid="events-empty">{text}{latest}</p> }
    };
    view! {
        <section class="panel" data-testid="events-panel">
            <TimeBar start_ms=start_ms end_ms=end_ms/>
            <div class="table-toolbar">
                <span class="table-caption" data-testid="events-count">{caption}</span>
                <span class="spacer"></span>
                <label class="inline-form small" title="Wrap long messages instead of cutting them">
                    <input type="checkbox" data-testid="events-wrap" prop:checked=move || wrap.get() on:change=move |ev| {
                        let value = if event_target_checked(&ev) { "1" } else { "" };
                        let link = href_keeping(EVENTS_PATH, &query.read_untracked(), &[("wrap", value)], &[]);
                        use_navigate()(&link, leptos_router::NavigateOptions { scroll: false, ..Default::default() });
                    }/>
                    "Wrap lines"
                </label>
            </div>
            {move || load_error.get().map(|e| view! { <div class="error" role="alert" data-testid="events-load-error">{e}</div> })}
            {move || (!filtered && !first_empty).then(|| match (older.get(), older_done.get()) {
                (Some(token), false) => view! {
                    <div class="logs-load">
                        <a href=token_link(token) class="button-link" data-shortcut="previous" title="Load older events (p)"
                            on:click=load_older data-testid="events-older">
                            {move || if load.pending().get() { "Loading…" } else { "Load older events" }}
                        </a>
                    </div>
                }.into_any(),
                _ => view! { <div class="logs-load muted small" data-testid="events-no-older">"No older events in this time range."</div> }.into_any(),
            })}
            <Show when=move || { count() > 0 } fallback=empty>
                <table class="grid log-events" class:wrap=move || wrap.get() data-testid="events-table">
                    <colgroup>
                        <col class="log-col-toggle"/>
                        <col class="log-col-time"/>
                        {whole_group.then(|| view! { <col class="log-col-stream"/> })}
                        <col/>
                    </colgroup>
                    <thead><tr>
                        <th></th>
                        <th data-testid="events-time-header">{move || format!("Timestamp ({})", zone_name(offset.get()))}</th>
                        {whole_group.then(|| view! { <th>"Log stream"</th> })}
                        <th>"Message"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|row| row.0 let:row>
                            <EventRow event=row.1 whole_group=whole_group columns=columns/>
                        </For>
                    </tbody>
                </table>
            </Show>
            // An empty stream page has nothing to continue from: the empty note says where the events are.
            {move || match newer.get().filter(|_| filtered || count() > 0) {
                Some(token) => view! {
                    <div class="logs-load">
                        <a href=token_link(token) class="button-link" data-shortcut="next" title="Load newer events (n)"
                            on:click=load_newer data-testid="events-newer">
                            {move || if load.pending().get() { "Loading…" } else if filtered { "Load more" } else { "Load newer events" }}
                        </a>
                        {move || newer_note.get().map(|n| view! { <span class="muted small" data-testid="events-newer-note">{n}</span> })}
                    </div>
                }.into_any(),
                None => newer_note
                    .get()
                    .or_else(|| (count() > 0).then(|| "End of the time range.".to_owned()))
                    .map(|text| view! { <div class="logs-load muted small" data-testid="events-end">{text}</div> })
                    .into_any(),
            }}
        </section>
    }
    .into_any()
}

/// The time range read, the time jumps, an absolute start, and UTC or local time.
#[component]
fn TimeBar(start_ms: i64, end_ms: i64) -> impl IntoView {
    let query = use_query_map();
    let range = use_time_range();
    let offset = use_offset_minutes();
    let local = Memo::new(move |_| query.read().get("tz").is_some_and(|tz| tz == "local"));
    let relative = move || matches!(range.get(), TimeRange::Relative { .. });
    let span = (end_ms - start_ms).max(1);
    let range_link = move |range: TimeRange| {
        href_keeping(EVENTS_PATH, &query.read(), &[("range", &range.to_query_value())], &["token"])
    };
    let jump = move |delta: i64| range_link(TimeRange::Absolute { start_ms: start_ms + delta, end_ms: end_ms + delta });
    let earlier = JUMPS
        .iter()
        .rev()
        .map(|(label, ms)| {
            let (label, ms) = (*label, *ms);
            view! { <a href=move || jump(-ms) title=format!("Move the range {label} earlier") data-testid=format!("jump-back-{label}")>{format!("‹ {label}")}</a> }
        })
        .collect_view();
    let later = move || {
        JUMPS
            .iter()
            .map(|(label, ms)| {
                let (label, ms) = (*label, *ms);
                view! { <a href=move || jump(ms) title=format!("Move the range {label} later") data-testid=format!("jump-forward-{label}")>{format!("{label} ›")}</a> }
            })
            .collect_view()
    };
    let to_now = move || range_link(TimeRange::Relative { seconds: (span / 1000).max(1) as u64 });
    let typed = RwSignal::new(None::<String>);
    let start_text = move || typed.get().unwrap_or_else(|| time_format_at(start_ms, offset.get(), "%Y-%m-%dT%H:%M:%S"));
    let navigate = use_navigate();
    let start_at = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let shift = i64::from(offset.get_untracked()) * 60_000;
        if let Some(start) = from_input(&start_text()).map(|s| s - shift) {
            typed.set(None);
            navigate(&range_link(TimeRange::Absolute { start_ms: start, end_ms: start + span }), Default::default());
        }
    };
    let tz_link = move |tz: &str| href_keeping(EVENTS_PATH, &query.read(), &[("tz", tz)], &[]);
    view! {
        <div class="logs-timebar" data-testid="events-timebar">
            <div class="segmented light" role="group" aria-label="Time jumps" data-testid="time-jumps">
                {earlier}
                {move || (!relative()).then(later)}
                {move || (!relative()).then(|| view! { <a href=to_now title="The same length of time up to now" data-testid="jump-now">"Now"</a> })}
            </div>
            <span class="range-label muted small" data-testid="events-range">
                {move || {
                    let at = |ms| time_format_at(ms, offset.get(), "%Y-%m-%d %H:%M:%S");
                    format!("{} – {} {}", at(start_ms), at(end_ms), zone_name(offset.get()))
                }}
            </span>
            <form class="inline-form small" data-testid="start-form" on:submit=start_at>
                <label>"Start at "
                    <input type="datetime-local" step="1" aria-label="Start time" data-testid="start-input"
                        prop:value=start_text on:input=move |ev| typed.set(Some(event_target_value(&ev)))/>
                </label>
                <button type="submit" class="secondary" data-testid="start-apply">"Go"</button>
            </form>
            <span class="spacer"></span>
            <div class="segmented light" role="group" aria-label="Time zone">
                <a href=move || tz_link("") class:active=move || !local.get() data-noscroll="true" data-testid="tz-utc">"UTC"</a>
                <a href=move || tz_link("local") class:active=move || local.get() data-noscroll="true" data-testid="tz-local">"Local"</a>
            </div>
        </div>
    }
}

/// A message's JSON, pretty-printed: the whole message, or the JSON object it ends with (after a prefix such as
/// a timestamp and a level), as (prefix, JSON).
pub fn pretty_json(message: &str) -> Option<(String, String)> {
    let trimmed = message.trim();
    let parse = |text: &str| {
        serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .filter(|v| v.is_object() || v.is_array())
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
    };
    if let Some(pretty) = parse(trimmed) {
        return Some((String::new(), pretty));
    }
    let at = trimmed.find('{')?;
    parse(&trimmed[at..]).map(|pretty| (trimmed[..at].trim_end().to_owned(), pretty))
}

/// The terms a term pattern looks for (`ERROR "timed out" ?WARN`; not the ones it excludes, `-DEBUG`), to mark
/// them in the messages; none for JSON, space-delimited and regular expression patterns.
pub fn pattern_terms(pattern: &str) -> Vec<String> {
    if pattern.starts_with(['{', '[', '%']) {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut chars = pattern.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let mut excluded = false;
        if first == '-' || first == '?' {
            excluded = first == '-';
            chars.next();
        }
        let mut term = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => term.extend(chars.next()),
                    '"' => break,
                    c => term.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                term.push(c);
            }
        }
        if !excluded && !term.is_empty() && !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// `message` cut into runs, each marked when it is one of `terms` (the earliest match first, the longest of
/// those starting together).
pub fn mark_terms(message: &str, terms: &[String]) -> Vec<(bool, String)> {
    let mut runs = Vec::new();
    let mut rest = message;
    while !rest.is_empty() {
        let found = terms
            .iter()
            .filter_map(|term| rest.find(term.as_str()).map(|at| (at, term.len())))
            .min_by_key(|(at, len)| (*at, std::cmp::Reverse(*len)));
        let Some((at, len)) = found else { break };
        if at > 0 {
            runs.push((false, rest[..at].to_owned()));
        }
        runs.push((true, rest[at..at + len].to_owned()));
        rest = &rest[at + len..];
    }
    if !rest.is_empty() {
        runs.push((false, rest.to_owned()));
    }
    runs
}

#[component]
fn EventRow(event: LogEventView, whole_group: bool, columns: usize) -> impl IntoView {
    let query = use_query_map();
    let offset = use_offset_minutes();
    let open = RwSignal::new(false);
    let toggle = move || open.update(|o| *o = !*o);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        // Links keep their own clicks; selecting text is not opening the row.
        let on_link = ev
            .target()
            .and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|e| e.closest("a, button").ok().flatten())
            .is_some();
        let selecting = window().get_selection().ok().flatten().is_some_and(|s| !s.is_collapsed());
        if !on_link && !selecting {
            toggle();
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            toggle();
        }
    };
    let LogEventView { stream, timestamp_ms, ingestion_ms, message } = event;
    let json = pretty_json(&message);
    let is_json = json.is_some();
    let stream_cell = whole_group.then(|| {
        let name = stream.clone().unwrap_or_default();
        let group = query.read_untracked().get("group").unwrap_or_default();
        let (title, text) = (name.clone(), name.clone());
        let link = move || events_href(&group, Some(&name), &query.read());
        view! { <td class="mono small log-stream"><a href=link title=title data-testid="event-stream-link">{text}</a></td> }
    });
    let full = message.clone();
    let terms = pattern_terms(&query.read_untracked().get("filter").unwrap_or_default());
    let shown = mark_terms(&message, &terms)
        .into_iter()
        .map(
            |(hit, text)| {
                if hit { view! { <mark class="log-match">{text}</mark> }.into_any() } else { text.into_any() }
            },
        )
        .collect_view();
    view! {
        <tr class="log-row" class:open=move || open.get() data-testid="event-row" data-row tabindex="0"
            aria-expanded=move || open.get().to_string() data-json=is_json.to_string()
            on:click=on_click on:keydown=on_key>
            <td class="log-toggle" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</td>
            <td class="mono small nowrap log-time" data-testid="event-time" data-ms=timestamp_ms.to_string()>
                {move || time_ms_at(timestamp_ms, offset.get())}
            </td>
            {stream_cell}
            <td class="mono small log-message" data-testid="event-message">{shown}</td>
        </tr>
        <Show when=move || open.get()>
            <tr class="detail log-detail" data-testid="event-detail">
                <td colspan=columns.to_string()>
                    {match json.clone() {
                        Some((prefix, pretty)) => view! {
                            {(!prefix.is_empty()).then(|| view! { <div class="mono small log-prefix">{prefix}</div> })}
                            <pre class="json" data-testid="event-json">{pretty}</pre>
                        }.into_any(),
                        None => view! { <pre class="json log-full" data-testid="event-full">{full.clone()}</pre> }.into_any(),
                    }}
                    <div class="muted small log-facts">
                        {move || format!("Timestamp {} · ingested {} {}", time_ms_at(timestamp_ms, offset.get()), time_ms_at(ingestion_ms, offset.get()), zone_name(offset.get()))}
                        {stream.clone().map(|s| format!(" · stream {s}"))}
                    </div>
                </td>
            </tr>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::{mark_terms, pattern_terms, pretty_json};

    #[test]
    fn term_patterns_mark_their_terms() {
        assert_eq!(pattern_terms("ERROR \"timed out\" ?WARN -DEBUG"), ["ERROR", "timed out", "WARN"]);
        assert_eq!(pattern_terms("{ $.level = \"error\" }"), Vec::<String>::new());
        assert_eq!(pattern_terms("  "), Vec::<String>::new());
        let terms = pattern_terms("ERROR ERR");
        assert_eq!(
            mark_terms("an ERROR, ERR", &terms),
            [(false, "an ".into()), (true, "ERROR".into()), (false, ", ".into()), (true, "ERR".into())]
        );
        assert_eq!(mark_terms("quiet", &terms), [(false, "quiet".to_owned())]);
    }

    #[test]
    fn json_messages_are_pretty_printed_with_their_prefix() {
        assert_eq!(pretty_json("{\"a\":1}"), Some((String::new(), "{\n  \"a\": 1\n}".to_owned())));
        assert_eq!(
            pretty_json("2026-12-06T10:00:00Z INFO {\"b\":[true]}"),
            Some(("2026-12-06T10:00:00Z INFO".to_owned(), "{\n  \"b\": [\n    true\n  ]\n}".to_owned()))
        );
        assert_eq!(pretty_json("plain text { not json"), None);
        assert_eq!(pretty_json("42"), None);
    }
}
