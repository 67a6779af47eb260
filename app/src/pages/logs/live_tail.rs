//! CloudWatch › Logs › Live Tail (`/cloudwatch/logs/live-tail?group=…`): up to 10 log groups (chosen from the
//! account's, searched by name), optionally some streams of one group by name or prefix, and a filter pattern,
//! tailed through StartLiveTail over the server's Server-Sent Events stream (`api::LiveTailRequest`). New events
//! come at the bottom, the view following them unless the reader scrolled up; at most [`MAX_ROWS`] are kept.
//! Pause (the button or Space) holds new events back, counted, until Resume; up to five highlight terms are
//! marked in messages, each in its own colour; each event's stream links to the event viewer. Groups, streams,
//! pattern and highlights are in the URL (`group`, `stream`, `prefix`, `filter`, `hl`, repeated keys for lists;
//! `start=1` starts at once), so a tail is a link.

use std::collections::VecDeque;
use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

use super::events::pretty_json;
use super::{GROUPS_PATH, error_text, events_href, time_format_at, time_ms_at, zone_name};
use crate::api::{LiveTailEvent, LiveTailRequest, LiveTailStarted, LiveTailStop, LiveTailUpdate, logs_groups};
use crate::components::query::{encode, href, use_region};
use crate::pages::dashboard::use_offset_minutes;

pub const LIVE_TAIL_PATH: &str = "/cloudwatch/logs/live-tail";

/// The most log groups a session tails (StartLiveTail's limit).
pub const MAX_GROUPS: usize = 10;
/// The most highlight terms.
pub const MAX_HIGHLIGHTS: usize = 5;
/// The most events the list keeps (the newest); older ones leave the page.
pub const MAX_ROWS: usize = 1_000;
/// The most stream names or prefixes a session takes (StartLiveTail's limit).
const MAX_STREAMS: usize = 100;
/// The seconds the events-a-second figure averages over.
const RATE_WINDOW_S: f64 = 5.0;

/// The Live Tail page of `group` (empty: none chosen yet), started at once.
pub fn live_tail_href(group: &str, query: &ParamsMap) -> String {
    href(LIVE_TAIL_PATH, query, &[("group", group), ("start", "1")])
}

/// Which streams of the (one) group are tailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreamMode {
    All,
    Names,
    Prefixes,
}

impl StreamMode {
    fn value(self) -> &'static str {
        match self {
            StreamMode::All => "all",
            StreamMode::Names => "names",
            StreamMode::Prefixes => "prefixes",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "names" => StreamMode::Names,
            "prefixes" => StreamMode::Prefixes,
            _ => StreamMode::All,
        }
    }
}

/// The page's choices: what to tail and how to show it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Setup {
    groups: Vec<String>,
    mode: StreamMode,
    /// Stream names or prefixes, comma-separated as typed.
    streams: String,
    pattern: String,
    highlights: Vec<String>,
}

/// The values of a repeated key, without empty ones, at most `max`.
fn all(query: &ParamsMap, key: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in query.get_all(key).unwrap_or_default() {
        if !value.trim().is_empty() && !out.contains(&value) && out.len() < max {
            out.push(value);
        }
    }
    out
}

/// Comma-separated names, trimmed, without empty ones or repeats, at most [`MAX_STREAMS`] + 1 (so that too many
/// are refused rather than cut).
fn split_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !out.iter().any(|n| n == name) && out.len() <= MAX_STREAMS {
            out.push(name.to_owned());
        }
    }
    out
}

impl Setup {
    fn from_query(query: &ParamsMap) -> Self {
        let (names, prefixes) = (all(query, "stream", MAX_STREAMS + 1), all(query, "prefix", MAX_STREAMS + 1));
        let (mode, streams) = if !names.is_empty() {
            (StreamMode::Names, names.join(", "))
        } else if !prefixes.is_empty() {
            (StreamMode::Prefixes, prefixes.join(", "))
        } else {
            (StreamMode::All, String::new())
        };
        Self {
            groups: all(query, "group", MAX_GROUPS),
            mode,
            streams,
            pattern: query.get("filter").unwrap_or_default(),
            highlights: all(query, "hl", MAX_HIGHLIGHTS),
        }
    }

    /// StartLiveTail's members; streams only with exactly one group, as CloudWatch Logs takes them.
    fn request(&self) -> LiveTailRequest {
        let listed = if self.groups.len() == 1 { split_names(&self.streams) } else { Vec::new() };
        let (streams, prefixes) = match self.mode {
            StreamMode::All => (Vec::new(), Vec::new()),
            StreamMode::Names => (listed, Vec::new()),
            StreamMode::Prefixes => (Vec::new(), listed),
        };
        LiveTailRequest { groups: self.groups.clone(), streams, prefixes, pattern: self.pattern.trim().to_owned() }
    }

    /// The page's link for these choices, keeping the console's carried keys (region, account, range).
    fn href(&self, query: &ParamsMap) -> String {
        let base = href(LIVE_TAIL_PATH, query, &[]);
        let request = self.request();
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        pairs.extend(request.groups.iter().map(|g| ("group", g.as_str())));
        pairs.extend(request.streams.iter().map(|s| ("stream", s.as_str())));
        pairs.extend(request.prefixes.iter().map(|p| ("prefix", p.as_str())));
        if !request.pattern.is_empty() {
            pairs.push(("filter", request.pattern.as_str()));
        }
        pairs.extend(self.highlights.iter().map(|h| ("hl", h.as_str())));
        let tz = query.get("tz").unwrap_or_default();
        if !tz.is_empty() {
            pairs.push(("tz", tz.as_str()));
        }
        if pairs.is_empty() {
            return base;
        }
        let rest: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        let joiner = if base.contains('?') { '&' } else { '?' };
        format!("{base}{joiner}{}", rest.join("&"))
    }
}

/// `message` cut into runs, each with the index of the highlight term it is (None: plain text). Terms match
/// without regard to ASCII case; the earliest match wins, the longest of those starting together.
pub fn mark_highlights(message: &str, terms: &[String]) -> Vec<(Option<usize>, String)> {
    let lower = message.to_ascii_lowercase();
    let terms: Vec<String> = terms.iter().map(|t| t.to_ascii_lowercase()).collect();
    let mut runs = Vec::new();
    let mut at = 0;
    while at < message.len() {
        let found = terms
            .iter()
            .enumerate()
            .filter(|(_, term)| !term.is_empty())
            .filter_map(|(index, term)| lower[at..].find(term.as_str()).map(|offset| (at + offset, term.len(), index)))
            .min_by_key(|(start, len, _)| (*start, std::cmp::Reverse(*len)));
        let Some((start, len, index)) = found else { break };
        if start > at {
            runs.push((None, message[at..start].to_owned()));
        }
        runs.push((Some(index), message[start..start + len].to_owned()));
        at = start + len;
    }
    if at < message.len() {
        runs.push((None, message[at..].to_owned()));
    }
    runs
}

/// The group's name of an event's `logGroupIdentifier` (a name, or an ARN as the session was given it).
fn group_name(identifier: &str) -> &str {
    match identifier.split_once(":log-group:") {
        Some((_, rest)) => rest.strip_suffix(":*").unwrap_or(rest),
        None => identifier,
    }
}

/// One event of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TailRow {
    key: u64,
    event: LiveTailEvent,
    /// It came in a sampled update.
    sampled: bool,
}

/// Keeps the newest `max` of `rows`.
fn keep_newest<T>(rows: &mut VecDeque<T>, max: usize) {
    while rows.len() > max {
        rows.pop_front();
    }
}

/// Where the session is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Idle,
    Connecting,
    Live {
        session_id: String,
    },
    Reconnecting,
    /// The user stopped it.
    Stopped,
    /// The server ended it (timeout, shutdown) or the connection was lost: why.
    Ended(String),
    /// The call was refused: AWS's code and message.
    Refused(String),
}

impl Status {
    fn running(&self) -> bool {
        matches!(self, Status::Connecting | Status::Live { .. } | Status::Reconnecting)
    }
}

/// The page's live state, shared by its parts.
#[derive(Clone, Copy)]
struct Tail {
    status: RwSignal<Status>,
    rows: RwSignal<VecDeque<Arc<TailRow>>>,
    next_key: StoredValue<u64>,
    paused: RwSignal<bool>,
    /// What arrived while paused (the newest [`MAX_ROWS`]), and how many events that was.
    held: StoredValue<VecDeque<Arc<TailRow>>>,
    held_count: RwSignal<u64>,
    received: RwSignal<u64>,
    sampled_updates: RwSignal<u64>,
    /// The last update was sampled.
    sampled_now: RwSignal<bool>,
    /// (arrival time in ms, events) of the last seconds, for the rate.
    arrivals: StoredValue<VecDeque<(f64, usize)>>,
    started_at: StoredValue<f64>,
    rate: RwSignal<f64>,
    /// The list follows new events (the reader has not scrolled up).
    follow: RwSignal<bool>,
    scroller: NodeRef<Div>,
}

impl Tail {
    fn new() -> Self {
        Self {
            status: RwSignal::new(Status::Idle),
            rows: RwSignal::new(VecDeque::new()),
            next_key: StoredValue::new(0),
            paused: RwSignal::new(false),
            held: StoredValue::new(VecDeque::new()),
            held_count: RwSignal::new(0),
            received: RwSignal::new(0),
            sampled_updates: RwSignal::new(0),
            sampled_now: RwSignal::new(false),
            arrivals: StoredValue::new(VecDeque::new()),
            started_at: StoredValue::new(0.0),
            rate: RwSignal::new(0.0),
            follow: RwSignal::new(true),
            scroller: NodeRef::new(),
        }
    }

    /// Takes what the stream said.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn take(&self, incoming: Incoming) {
        match incoming {
            Incoming::Started(started) => self.status.set(Status::Live { session_id: started.session_id }),
            Incoming::Update(update) => self.receive(update, now_ms()),
            Incoming::Refused(stop) => self.status.set(Status::Refused(stop.text())),
            Incoming::Ended(stop) => self.status.set(Status::Ended(stop.text())),
            Incoming::Broken { closed: true } => {
                self.status.set(Status::Ended("The connection to the server was lost.".into()))
            }
            Incoming::Broken { closed: false } => self.status.set(Status::Reconnecting),
        }
    }

    /// Takes one update: counted, then shown, or held while paused.
    fn receive(&self, update: LiveTailUpdate, now_ms: f64) {
        let count = update.events.len();
        self.arrivals.update_value(|a| a.push_back((now_ms, count)));
        self.received.update(|r| *r += count as u64);
        self.sampled_now.set(update.sampled);
        if update.sampled {
            self.sampled_updates.update(|s| *s += 1);
        }
        let mut key = self.next_key.get_value();
        let rows: Vec<Arc<TailRow>> = update
            .events
            .into_iter()
            .map(|event| {
                key += 1;
                Arc::new(TailRow { key, event, sampled: update.sampled })
            })
            .collect();
        self.next_key.set_value(key);
        if self.paused.get_untracked() {
            self.held.update_value(|held| {
                held.extend(rows);
                keep_newest(held, MAX_ROWS);
            });
            self.held_count.update(|n| *n += count as u64);
        } else {
            self.show(rows);
        }
    }

    fn show(&self, rows: impl IntoIterator<Item = Arc<TailRow>>) {
        self.rows.update(|shown| {
            shown.extend(rows);
            keep_newest(shown, MAX_ROWS);
        });
        self.scroll_if_following();
    }

    /// Scrolls to the newest event once the list is drawn, unless the reader scrolled up.
    fn scroll_if_following(&self) {
        let (follow, scroller) = (self.follow, self.scroller);
        request_animation_frame(move || {
            if follow.get_untracked()
                && let Some(element) = scroller.get_untracked()
            {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }

    fn pause(&self, paused: bool) {
        if paused == self.paused.get_untracked() {
            return;
        }
        self.paused.set(paused);
        if !paused {
            let held = self.held.try_update_value(std::mem::take).unwrap_or_default();
            self.held_count.set(0);
            self.show(held);
        }
    }

    fn clear(&self) {
        self.rows.set(VecDeque::new());
        self.held.set_value(VecDeque::new());
        self.held_count.set(0);
        self.received.set(0);
        self.sampled_updates.set(0);
        self.sampled_now.set(false);
        self.follow.set(true);
    }

    /// The events a second over the last few seconds (or since the start, when sooner).
    fn tick(&self, now_ms: f64) {
        let window_ms = RATE_WINDOW_S * 1000.0;
        let events: usize = self
            .arrivals
            .try_update_value(|a| {
                while a.front().is_some_and(|(at, _)| now_ms - at > window_ms) {
                    a.pop_front();
                }
                a.iter().map(|(_, n)| n).sum()
            })
            .unwrap_or(0);
        let running_ms = (now_ms - self.started_at.get_value()).clamp(1000.0, window_ms);
        self.rate.set(events as f64 / (running_ms / 1000.0));
    }
}

/// The browser's clock, in epoch milliseconds.
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().timestamp_millis() as f64
    }
}

/// What the stream said (made by the browser's side only).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Incoming {
    Started(LiveTailStarted),
    Update(LiveTailUpdate),
    Refused(LiveTailStop),
    Ended(LiveTailStop),
    /// The connection broke; `closed` when the browser gave up (else it reconnects).
    Broken {
        closed: bool,
    },
}

/// The browser's side of the stream: an `EventSource` and its listeners.
#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;

    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    use web_sys::{Event, EventSource, MessageEvent};

    use super::Incoming;
    use crate::api::LiveTailStop;

    /// An open stream; dropping it closes it.
    pub struct Connection {
        source: EventSource,
        _listeners: Vec<Closure<dyn FnMut(Event)>>,
    }

    impl Connection {
        pub fn open(url: &str, on: impl Fn(Incoming) + 'static) -> Result<Self, String> {
            let source = EventSource::new(url).map_err(|e| format!("The stream could not be opened: {e:?}"))?;
            let on = Rc::new(on);
            let mut listeners = Vec::new();
            for name in ["start", "update", "error", "end"] {
                let (on, watched) = (Rc::clone(&on), source.clone());
                let listener = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                    let data = event.dyn_ref::<MessageEvent>().and_then(|m| m.data().as_string());
                    if let Some(incoming) = read(name, data.as_deref(), &watched) {
                        on(incoming);
                    }
                });
                source
                    .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                    .map_err(|e| format!("The stream could not be opened: {e:?}"))?;
                listeners.push(listener);
            }
            Ok(Self { source, _listeners: listeners })
        }
    }

    impl Drop for Connection {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    /// One event of the stream; the source is closed after the last one (so the browser does not reconnect).
    fn read(name: &str, data: Option<&str>, source: &EventSource) -> Option<Incoming> {
        let stop = |data: &str| {
            source.close();
            serde_json::from_str::<LiveTailStop>(data).unwrap_or_else(|_| LiveTailStop {
                code: String::new(),
                message: "The server's answer could not be read.".into(),
            })
        };
        match (name, data) {
            ("start", Some(data)) => serde_json::from_str(data).ok().map(Incoming::Started),
            ("update", Some(data)) => serde_json::from_str(data).ok().map(Incoming::Update),
            ("error", Some(data)) => Some(Incoming::Refused(stop(data))),
            ("end", Some(data)) => Some(Incoming::Ended(stop(data))),
            ("error", None) => Some(Incoming::Broken { closed: source.ready_state() == EventSource::CLOSED }),
            _ => None,
        }
    }
}

#[cfg(feature = "hydrate")]
use browser::Connection;

/// On the server there is no stream to hold.
#[cfg(not(feature = "hydrate"))]
type Connection = ();

#[component]
pub fn LiveTailPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let initial = Setup::from_query(&query.read_untracked());
    let autostart = query.read_untracked().get("start").is_some_and(|s| s == "1") && !initial.groups.is_empty();
    let groups = RwSignal::new(initial.groups.clone());
    let mode = RwSignal::new(initial.mode);
    let streams = RwSignal::new(initial.streams.clone());
    let pattern = RwSignal::new(initial.pattern.clone());
    let highlights = RwSignal::new(initial.highlights.clone());
    let wrap = RwSignal::new(false);
    let pretty = RwSignal::new(false);
    let tail = Tail::new();
    // The browser's stream is not `Send`; the server has none (and renders on any thread).
    #[cfg(feature = "hydrate")]
    let connection = StoredValue::new_local(None::<Connection>);
    #[cfg(not(feature = "hydrate"))]
    let connection = StoredValue::new(None::<Connection>);
    let setup = move || Setup {
        groups: groups.get_untracked(),
        mode: mode.get_untracked(),
        streams: streams.get_untracked(),
        pattern: pattern.get_untracked(),
        highlights: highlights.get_untracked(),
    };
    let navigate = use_navigate();
    // The URL follows the choices, so the page is a link to this tail.
    let remember = move || {
        let link = setup().href(&query.read_untracked());
        navigate(&link, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let stop = move || {
        connection.update_value(|c| *c = None);
        tail.pause(false);
        if tail.status.get_untracked().running() {
            tail.status.set(Status::Stopped);
        }
    };
    let remember_start = remember.clone();
    let start = move || {
        connection.update_value(|c| *c = None);
        tail.pause(false);
        remember_start();
        let request = setup().request();
        let url = request.href(&region.get_untracked(), query.read_untracked().get("account").as_deref());
        tail.status.set(Status::Connecting);
        tail.started_at.set_value(now_ms());
        tail.arrivals.set_value(VecDeque::new());
        tail.rate.set(0.0);
        #[cfg(feature = "hydrate")]
        {
            let opened = Connection::open(&url, move |incoming| tail.take(incoming));
            match opened {
                Ok(opened) => connection.set_value(Some(opened)),
                Err(message) => tail.status.set(Status::Ended(message)),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = url;
    };
    #[cfg(feature = "hydrate")]
    on_cleanup(move || {
        connection.try_update_value(|c| *c = None);
    });
    // The rate, each second while a session runs.
    Effect::new(move |_| {
        if !tail.status.with(Status::running) {
            tail.rate.set(0.0);
            return None;
        }
        set_interval_with_handle(move || tail.tick(now_ms()), std::time::Duration::from_secs(1))
            .ok()
            .map(|handle| on_cleanup(move || handle.clear()))
    });
    let start_once = start.clone();
    Effect::new(move |ran: Option<()>| {
        if ran.is_none() && autostart {
            start_once();
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |event| {
            if event.key() != " " || event.ctrl_key() || event.meta_key() || event.alt_key() || focus_takes_space() {
                return;
            }
            if tail.status.with_untracked(Status::running) {
                event.prevent_default();
                tail.pause(!tail.paused.get_untracked());
            }
        });
        on_cleanup(move || handle.remove());
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !groups.with_untracked(Vec::is_empty) {
            start();
        }
    };
    view! {
        <Title text="Live Tail"/>
        <div class="breadcrumb">
            "CloudWatch › Logs › "
            <a href=move || href(GROUPS_PATH, &query.read(), &[]) data-testid="breadcrumb-groups">"Log groups"</a>
            " › Live Tail"
        </div>
        <div class="title-row">
            <h1 data-testid="page-title">"Live Tail"</h1>
            <StatusPill tail=tail/>
            <span class="spacer"></span>
            <div class="title-actions tail-actions">
                <button type="button" class="secondary" data-testid="tail-pause"
                    title="Hold new events back (Space)"
                    disabled=move || !tail.status.with(Status::running)
                    aria-pressed=move || tail.paused.get().to_string()
                    on:click=move |_| tail.pause(!tail.paused.get_untracked())>
                    {move || if tail.paused.get() { "Resume" } else { "Pause" }}
                </button>
                <button type="button" class="secondary" data-testid="tail-clear" title="Remove the events shown"
                    on:click=move |_| tail.clear()>"Clear"</button>
                {move || if tail.status.with(Status::running) {
                    view! {
                        <button type="submit" form="tail-setup" class="secondary" data-testid="tail-apply"
                            disabled=move || groups.with(Vec::is_empty)
                            title="Start again with the groups, streams and pattern as they are now">"Apply"</button>
                        <button type="button" class="primary tail-stop" data-testid="tail-stop" on:click=move |_| stop()>"Stop"</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="submit" form="tail-setup" class="primary" data-testid="tail-start"
                            disabled=move || groups.with(Vec::is_empty)
                            title=move || if groups.with(Vec::is_empty) { "Choose up to 10 log groups first" } else { "Start tailing" }>
                            "Start"
                        </button>
                    }.into_any()
                }}
            </div>
        </div>
        <form id="tail-setup" class="panel tail-setup" data-testid="tail-setup" on:submit=on_submit>
            <GroupPicker groups=groups/>
            <div class="tail-field">
                <span class="tail-label">"Log streams"</span>
                <div class="tail-streams">
                    <select aria-label="Which log streams" data-testid="tail-stream-mode"
                        disabled=move || groups.with(|g| g.len() != 1)
                        prop:value=move || mode.get().value()
                        on:change=move |ev| mode.set(StreamMode::parse(&event_target_value(&ev)))>
                        <option value="all">"All log streams"</option>
                        <option value="names">"Stream names"</option>
                        <option value="prefixes">"Stream name prefixes"</option>
                    </select>
                    <input type="text" class="mono" aria-label="Stream names or prefixes, comma-separated" data-testid="tail-streams"
                        placeholder=move || match mode.get() {
                            StreamMode::Prefixes => "web-, api-",
                            _ => "web-1, web-2",
                        }
                        disabled=move || groups.with(|g| g.len() != 1) || mode.get() == StreamMode::All
                        prop:value=move || streams.get() on:input=move |ev| streams.set(event_target_value(&ev))/>
                </div>
                <span class="muted small">
                    {move || if groups.with(|g| g.len() == 1) { "Comma-separated, up to 100." } else { "Only with one log group." }}
                </span>
                <span class="tail-label">"Filter pattern"</span>
                <input type="search" class="filter-input mono" aria-label="Filter pattern" data-testid="tail-pattern"
                    placeholder="ERROR, \"timed out\", { $.status >= 500 }" maxlength="1024" spellcheck="false"
                    autocomplete="off" data-shortcut="search" title="Filter pattern (/); Enter starts or applies"
                    prop:value=move || pattern.get() on:input=move |ev| pattern.set(event_target_value(&ev))/>
                <span class="muted small">
                    {move || if tail.status.with(Status::running) { "Press Enter to apply a changed pattern." } else { "Every event when empty." }}
                </span>
            </div>
            <Highlights highlights=highlights remember=Callback::new(move |()| remember())/>
        </form>
        {move || match tail.status.get() {
            Status::Refused(message) => Some(view! { <div class="error" role="alert" data-testid="tail-error">{message}</div> }.into_any()),
            Status::Ended(message) => Some(view! { <div class="notice tail-ended" data-testid="tail-ended">{message}</div> }.into_any()),
            _ => None,
        }}
        <Events tail=tail highlights=highlights wrap=wrap pretty=pretty/>
    }
}

/// Whether the focused element takes Space itself (a field, a button, a link, a select).
#[cfg(feature = "hydrate")]
fn focus_takes_space() -> bool {
    document().active_element().is_some_and(|e| {
        matches!(e.tag_name().to_ascii_uppercase().as_str(), "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON" | "A")
            || e.has_attribute("contenteditable")
    })
}

/// Where the session is, in a word and a dot.
#[component]
fn StatusPill(tail: Tail) -> impl IntoView {
    let text = move || match tail.status.get() {
        Status::Idle => "Not started".to_owned(),
        Status::Connecting => "Starting…".to_owned(),
        Status::Live { .. } if tail.paused.get() => "Paused".to_owned(),
        Status::Live { .. } => "Streaming".to_owned(),
        Status::Reconnecting => "Reconnecting…".to_owned(),
        Status::Stopped => "Stopped".to_owned(),
        Status::Ended(_) => "Ended".to_owned(),
        Status::Refused(_) => "Refused".to_owned(),
    };
    let state = move || match tail.status.get() {
        Status::Live { .. } if tail.paused.get() => "paused",
        Status::Live { .. } => "live",
        Status::Connecting | Status::Reconnecting => "starting",
        Status::Refused(_) => "refused",
        _ => "idle",
    };
    let session = move || match tail.status.get() {
        Status::Live { session_id } => format!("Session {session_id}"),
        _ => String::new(),
    };
    view! {
        <span class="tail-status" data-state=state title=session data-testid="tail-status">
            <span class="tail-dot" aria-hidden="true"></span>
            {text}
        </span>
    }
}

/// The log groups: the chosen ones (up to 10) as chips, and the account's groups, searched by name, to choose
/// from.
#[component]
fn GroupPicker(groups: RwSignal<Vec<String>>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let search = RwSignal::new(String::new());
    let choices = Resource::new(
        move || (region.get(), query.read().get("account"), search.get()),
        |(region, account, search)| logs_groups(region, account, search, false, String::new(), None),
    );
    let toggle = move |name: String, on: bool| {
        groups.update(|g| {
            g.retain(|n| *n != name);
            if on && g.len() < MAX_GROUPS {
                g.push(name);
            }
        });
    };
    view! {
        <div class="tail-field tail-groups" data-testid="tail-groups">
            <span class="tail-label">
                "Log groups "
                <span class="muted" data-testid="tail-group-count">{move || format!("({}/{MAX_GROUPS})", groups.with(Vec::len))}</span>
            </span>
            <div class="tail-chosen">
                <For each=move || groups.get() key=|name| name.clone() let:name>
                    {
                        let (remove, label, shown) = (name.clone(), format!("Remove {name}"), name.clone());
                        view! {
                            <span class="chip mono tail-chip" data-testid="tail-group-chip" data-name=name>
                                {shown}
                                <button type="button" class="tail-chip-remove" aria-label=label
                                    on:click=move |_| toggle(remove.clone(), false)>"×"</button>
                            </span>
                        }
                    }
                </For>
                {move || groups.with(Vec::is_empty).then(|| view! { <span class="muted small">"None chosen."</span> })}
            </div>
            <input type="search" class="tail-group-search" aria-label="Search log groups" placeholder="Search log groups"
                data-testid="tail-group-search" prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev))
                on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default() }/>
            <div class="tail-group-list" role="group" aria-label="Log groups to tail">
                <Transition fallback=|| view! { <span class="muted small">"Loading log groups…"</span> }>
                    {move || Suspend::new(async move {
                        match choices.await {
                            Ok(list) if list.groups.is_empty() => view! { <span class="muted small" data-testid="tail-groups-empty">"No log groups match."</span> }.into_any(),
                            Ok(list) => list.groups.into_iter().map(|group| {
                                let name = group.name;
                                let (checked_name, toggled_name, limit_name, shown) = (name.clone(), name.clone(), name.clone(), name.clone());
                                let checked = move || groups.with(|g| g.contains(&checked_name));
                                let full = move || groups.with(|g| g.len() >= MAX_GROUPS && !g.contains(&limit_name));
                                view! {
                                    <label class="tail-group-option mono" data-testid="tail-group-option" data-name=name>
                                        <input type="checkbox" prop:checked=checked disabled=full
                                            on:change=move |ev| toggle(toggled_name.clone(), event_target_checked(&ev))/>
                                        <span>{shown}</span>
                                    </label>
                                }
                            }).collect_view().into_any(),
                            Err(e) => view! { <span class="error small" data-testid="tail-groups-error">{error_text(&e)}</span> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </div>
    }
}

/// The highlight terms: up to five, each marked in its own colour.
#[component]
fn Highlights(highlights: RwSignal<Vec<String>>, remember: Callback<()>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let add = move || {
        let term = typed.get_untracked().trim().to_owned();
        if term.is_empty() || highlights.with_untracked(|h| h.len() >= MAX_HIGHLIGHTS || h.contains(&term)) {
            return;
        }
        highlights.update(|h| h.push(term));
        typed.set(String::new());
        remember.run(());
    };
    let remove = move |index: usize| {
        highlights.update(|h| {
            if index < h.len() {
                h.remove(index);
            }
        });
        remember.run(());
    };
    view! {
        <div class="tail-field tail-highlights">
            <span class="tail-label">
                "Highlight terms "
                <span class="muted">{move || format!("({}/{MAX_HIGHLIGHTS})", highlights.with(Vec::len))}</span>
            </span>
            <div class="tail-streams">
                <input type="text" class="mono" aria-label="A term to highlight" placeholder="A term to highlight"
                    data-testid="tail-highlight-input" maxlength="100" spellcheck="false"
                    disabled=move || highlights.with(|h| h.len() >= MAX_HIGHLIGHTS)
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add(); }/>
                <button type="button" class="secondary small-button" data-testid="tail-highlight-add"
                    disabled=move || highlights.with(|h| h.len() >= MAX_HIGHLIGHTS)
                    on:click=move |_| add()>"Add"</button>
            </div>
            <div class="tail-chosen">
                {move || highlights.get().into_iter().enumerate().map(|(index, term)| {
                    let (label, shown) = (format!("Stop highlighting {term}"), term.clone());
                    view! {
                        <span class=format!("chip mono tail-chip hl hl-{index}") data-testid="tail-highlight" data-term=term>
                            {shown}
                            <button type="button" class="tail-chip-remove" aria-label=label
                                on:click=move |_| remove(index)>"×"</button>
                        </span>
                    }
                }).collect_view()}
                {move || highlights.with(Vec::is_empty).then(|| view! { <span class="muted small">"Case-insensitive, in the messages."</span> })}
            </div>
        </div>
    }
}

/// The events: a toolbar with the counts, the pause note and the view options, and the list.
#[component]
fn Events(
    tail: Tail,
    highlights: RwSignal<Vec<String>>,
    wrap: RwSignal<bool>,
    pretty: RwSignal<bool>,
) -> impl IntoView {
    let offset = use_offset_minutes();
    let shown = move || tail.rows.with(VecDeque::len);
    let caption = move || {
        // Events held while paused are not counted among those the list could show.
        let (shown, received) = (shown(), tail.received.get().saturating_sub(tail.held_count.get()));
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        if received > shown as u64 {
            format!("{received} event{} · showing the newest {shown}", plural(received))
        } else {
            format!("{shown} event{}", plural(shown as u64))
        }
    };
    let on_scroll = move |_| {
        if let Some(element) = tail.scroller.get_untracked() {
            let bottom = element.scroll_top() + element.client_height() >= element.scroll_height() - 8;
            if bottom != tail.follow.get_untracked() {
                tail.follow.set(bottom);
            }
        }
    };
    let jump = move |_| {
        tail.follow.set(true);
        tail.scroll_if_following();
    };
    let empty = move || {
        let text = match tail.status.get() {
            Status::Idle | Status::Stopped | Status::Refused(_) | Status::Ended(_) => {
                "Choose log groups and press Start to see their new events as they arrive."
            }
            _ => "Waiting for new events…",
        };
        view! { <p class="tail-empty muted" data-testid="tail-empty">{text}</p> }
    };
    view! {
        <section class="panel tail-panel" data-testid="tail-panel">
            <div class="table-toolbar tail-toolbar">
                <span class="table-caption" data-testid="tail-count">{caption}</span>
                <span class="muted small tail-rate" data-testid="tail-rate" title="Matching events a second, over the last 5 seconds">
                    {move || format!("{:.1} events/s", tail.rate.get())}
                </span>
                {move || (tail.sampled_updates.get() > 0).then(|| view! {
                    <span class="badge tail-sampled" class:tail-sampled-now=move || tail.sampled_now.get() data-testid="tail-sampled"
                        title=move || format!("{} update(s) carried a sample: at most 500 events a second are sent", tail.sampled_updates.get())>
                        "Sampled"
                    </span>
                })}
                {move || tail.paused.get().then(|| view! {
                    <span class="tail-held" data-testid="tail-held">
                        {move || {
                            let n = tail.held_count.get();
                            format!("Paused · {n} new event{}", if n == 1 { "" } else { "s" })
                        }}
                        <button type="button" class="link-button" data-testid="tail-resume" on:click=move |_| tail.pause(false)>"Resume"</button>
                    </span>
                })}
                <span class="spacer"></span>
                <label class="inline-form small" title="Show JSON messages pretty-printed">
                    <input type="checkbox" data-testid="tail-pretty" prop:checked=move || pretty.get()
                        on:change=move |ev| {
                            pretty.set(event_target_checked(&ev));
                            tail.scroll_if_following();
                        }/>
                    "Format JSON"
                </label>
                <label class="inline-form small" title="Wrap long messages instead of cutting them">
                    <input type="checkbox" data-testid="tail-wrap" prop:checked=move || wrap.get()
                        on:change=move |ev| {
                            wrap.set(event_target_checked(&ev));
                            tail.scroll_if_following();
                        }/>
                    "Wrap lines"
                </label>
            </div>
            <div class="tail-scroll" node_ref=tail.scroller on:scroll=on_scroll data-testid="tail-scroll">
                <Show when=move || { shown() > 0 } fallback=empty>
                    <table class="grid log-events tail-events" class:wrap=move || wrap.get() || pretty.get() data-testid="tail-table">
                        <colgroup>
                            <col class="tail-col-time"/>
                            <col class="tail-col-group"/>
                            <col class="tail-col-stream"/>
                            <col/>
                        </colgroup>
                        <thead><tr>
                            <th data-testid="tail-time-header">{move || format!("Time ({})", zone_name(offset.get()))}</th>
                            <th>"Log group"</th>
                            <th>"Log stream"</th>
                            <th>"Message"</th>
                        </tr></thead>
                        <tbody>
                            <For each=move || tail.rows.get() key=|row| row.key let:row>
                                <EventRow row=row highlights=highlights pretty=pretty/>
                            </For>
                        </tbody>
                    </table>
                </Show>
            </div>
            {move || (!tail.follow.get() && shown() > 0).then(|| view! {
                <button type="button" class="secondary small-button tail-jump" data-testid="tail-jump" on:click=jump>"↓ Newest events"</button>
            })}
        </section>
    }
}

#[component]
fn EventRow(row: Arc<TailRow>, highlights: RwSignal<Vec<String>>, pretty: RwSignal<bool>) -> impl IntoView {
    let query = use_query_map();
    let offset = use_offset_minutes();
    let event = &row.event;
    let (timestamp, ingested) = (event.timestamp, event.ingestion_time);
    let group = group_name(&event.log_group_identifier).to_owned();
    let stream = event.log_stream_name.clone();
    let link = {
        let (group, stream) = (group.clone(), stream.clone());
        move || events_href(&group, Some(&stream), &query.read())
    };
    let message = event.message.clone();
    let json = pretty_json(&message);
    let text = move || match (&json, pretty.get()) {
        (Some((prefix, body)), true) if prefix.is_empty() => body.clone(),
        (Some((prefix, body)), true) => format!("{prefix}\n{body}"),
        _ => message.clone(),
    };
    let marked = move || {
        mark_highlights(&text(), &highlights.get())
            .into_iter()
            .map(|(term, run)| match term {
                Some(index) => {
                    view! { <mark class=format!("hl hl-{index}") data-testid="tail-mark">{run}</mark> }.into_any()
                }
                None => run.into_any(),
            })
            .collect_view()
    };
    let title = move || {
        format!(
            "{} {} · ingested {}",
            time_ms_at(timestamp, offset.get()),
            zone_name(offset.get()),
            time_ms_at(ingested, offset.get())
        )
    };
    view! {
        <tr class="tail-row" class:tail-row-sampled=row.sampled data-testid="tail-row" data-stream=stream.clone()>
            <td class="mono small nowrap tail-time" title=title data-ms=timestamp.to_string() data-testid="tail-time">
                {move || time_format_at(timestamp, offset.get(), "%H:%M:%S%.3f")}
            </td>
            <td class="mono small log-stream" title=group.clone() data-testid="tail-group">{group.clone()}</td>
            <td class="mono small log-stream"><a href=link title=stream.clone() data-testid="tail-stream-link">{stream.clone()}</a></td>
            <td class="mono small log-message tail-message" data-testid="tail-message">{marked}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert((*k).to_owned(), (*v).to_owned());
        }
        map
    }

    #[test]
    fn highlights_mark_each_term_with_its_colour() {
        let terms = vec!["error".to_owned(), "ERR".to_owned(), "user=".to_owned()];
        // (message, the runs: term index or None, text)
        type Runs = Vec<(Option<usize>, &'static str)>;
        let cases: Vec<(&str, Runs)> = vec![
            ("ERROR for user=7", vec![(Some(0), "ERROR"), (None, " for "), (Some(2), "user="), (None, "7")]),
            ("an Err here", vec![(None, "an "), (Some(1), "Err"), (None, " here")]),
            ("quiet", vec![(None, "quiet")]),
            ("", vec![]),
            ("été error", vec![(None, "été "), (Some(0), "error")]),
        ];
        for (message, want) in cases {
            let want: Vec<(Option<usize>, String)> = want.into_iter().map(|(i, t)| (i, t.to_owned())).collect();
            assert_eq!(mark_highlights(message, &terms), want, "{message:?}");
        }
        assert_eq!(mark_highlights("abc", &[String::new()]), [(None, "abc".to_owned())], "an empty term marks nothing");
    }

    #[test]
    fn the_url_holds_the_choices() {
        let q = query(&[("region", "eu-west-1"), ("group", "/a"), ("group", "/b"), ("filter", "ERROR"), ("hl", "x")]);
        let setup = Setup::from_query(&q);
        assert_eq!(setup.groups, ["/a", "/b"]);
        assert_eq!(
            (setup.mode, setup.pattern.as_str(), setup.highlights.as_slice()),
            (StreamMode::All, "ERROR", &["x".to_owned()][..])
        );
        assert_eq!(
            setup.href(&q),
            "/cloudwatch/logs/live-tail?region=eu-west-1&group=%2Fa&group=%2Fb&filter=ERROR&hl=x"
        );
        let one = Setup::from_query(&query(&[("group", "/a"), ("prefix", "web-"), ("prefix", "api-")]));
        assert_eq!((one.mode, one.streams.as_str()), (StreamMode::Prefixes, "web-, api-"));
        let request = one.request();
        assert_eq!(
            (request.prefixes.as_slice(), request.streams.len()),
            (&["web-".to_owned(), "api-".to_owned()][..], 0)
        );
        // Streams go only with one group, as CloudWatch Logs takes them.
        let two = Setup { groups: vec!["/a".into(), "/b".into()], ..one };
        assert!(two.request().prefixes.is_empty());
        let many: Vec<(&str, String)> = (0..12).map(|i| ("group", format!("/g{i}"))).collect();
        let refs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(Setup::from_query(&query(&refs)).groups.len(), MAX_GROUPS);
        assert_eq!(
            live_tail_href("/a", &query(&[("region", "us-east-2")])),
            "/cloudwatch/logs/live-tail?region=us-east-2&group=%2Fa&start=1"
        );
    }

    #[test]
    fn names_are_split_on_commas() {
        assert_eq!(split_names(" web-1, web-2 ,,web-1 "), ["web-1", "web-2"]);
        assert_eq!(split_names(&"s,".repeat(300)).len(), 1);
        let many: String = (0..300).map(|i| format!("s{i},")).collect();
        assert_eq!(split_names(&many).len(), MAX_STREAMS + 1, "one too many, so the call is refused, not cut");
    }

    #[test]
    fn identifiers_name_their_group() {
        assert_eq!(group_name("/app/web"), "/app/web");
        assert_eq!(group_name("arn:aws:logs:us-east-1:000000000000:log-group:/app/web"), "/app/web");
        assert_eq!(group_name("arn:aws:logs:us-east-1:000000000000:log-group:/app/web:*"), "/app/web");
    }

    #[test]
    fn lists_keep_their_newest() {
        let mut rows: VecDeque<u32> = (0..1005).collect();
        keep_newest(&mut rows, MAX_ROWS);
        assert_eq!((rows.len(), rows.front().copied()), (MAX_ROWS, Some(5)));
    }
}
