//! CloudWatch › Logs › Log groups › one group (`/cloudwatch/logs/group?name=`): its details (ARN, creation, stored
//! bytes, metric filters, class), the retention with an inline editor (PutRetentionPolicy with AWS's periods, or
//! DeleteRetentionPolicy for "Never expire"), the KMS key (AssociateKmsKey, DisassociateKmsKey), its tags
//! (TagResource, UntagResource), deleting it, and its streams: ordered by last event time or by name, either way
//! round, searched by a name prefix, paged with tokens (`order=`, `dir=`, `q=`, `token=`, `back=` in the URL),
//! created and deleted, each opening the event viewer; "Search all streams" opens it for the whole group. The
//! streams, the metric filters and the subscription filters are the page's tabs (`tab=` in the URL).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

use super::metric_filters::MetricFilters;
use super::subscriptions::SubscriptionFilters;
use super::{
    GROUP_PATH, GROUPS_PATH, Pages, TokenPager, class_words, error_text, events_href, human_bytes, maybe_time,
    retention_choice, retention_words,
};
use crate::api::{
    LogGroupView, LogStreamList, LogStreamView, RETENTION_DAYS, StreamQuery, logs_group, logs_group_delete,
    logs_kms_key, logs_retention, logs_stream_create, logs_stream_delete, logs_streams, logs_tag, logs_untag,
};
use crate::components::query::{href, use_region};
use crate::pages::config::time_utc;

/// Messages of the page's actions, kept outside the data so a refetch does not drop them.
#[derive(Clone, Copy)]
pub(super) struct Notices {
    pub(super) error: RwSignal<Option<String>>,
    pub(super) notice: RwSignal<Option<String>>,
    /// Bumped after a change, to read the group (and its streams) again.
    pub(super) version: RwSignal<u32>,
}

impl Notices {
    /// Shows what an action did; after a change, reads the group again (a refusal leaves the form as it was).
    pub(super) fn outcome(&self, result: Result<(), ServerFnError>, done: impl Into<String>) -> bool {
        match result {
            Ok(()) => {
                self.error.set(None);
                self.notice.set(Some(done.into()));
                self.version.update(|v| *v += 1);
                true
            }
            Err(e) => {
                self.notice.set(None);
                self.error.set(Some(error_text(&e)));
                false
            }
        }
    }
}

#[component]
pub fn LogGroupPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let name = Memo::new(move |_| query.read().get("name").unwrap_or_default());
    let notices = Notices { error: RwSignal::new(None), notice: RwSignal::new(None), version: RwSignal::new(0) };
    provide_context(notices);
    let detail = Resource::new(
        move || (region.get(), query.read().get("account"), name.get(), notices.version.get()),
        |(region, account, name, _)| logs_group(region, account, name),
    );
    view! {
        <Title text=move || format!("Log group {}", name.get())/>
        <div class="breadcrumb">
            "CloudWatch › Logs › "
            <a href=move || href(GROUPS_PATH, &query.read(), &[]) data-testid="breadcrumb-groups">"Log groups"</a>
            " › " {move || name.get()}
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading the log group…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(group) => {
                        let counts = (group.metric_filters, group.subscription_filters);
                        view! { <Summary group=group/> <GroupTabs name=name.get_untracked() counts=counts/> }.into_any()
                    }
                    Err(e) => view! {
                        <h1 data-testid="page-title" class="mono-title">{name.get_untracked()}</h1>
                        <div class="error" role="alert" data-testid="group-error">{error_text(&e)}</div>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

fn fact(term: &'static str, value: impl IntoView + 'static, test_id: &'static str) -> impl IntoView {
    view! { <dt>{term}</dt><dd data-testid=test_id>{value}</dd> }
}

#[component]
fn Summary(group: LogGroupView) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let name = StoredValue::new(group.name.clone());
    let account = move || query.read_untracked().get("account");
    let confirming = RwSignal::new(false);
    let delete = Action::new(move |_: &()| logs_group_delete(region.get_untracked(), account(), name.get_value()));
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            confirming.set(false);
            match result {
                Ok(()) => use_navigate()(&href(GROUPS_PATH, &query.read_untracked(), &[]), NavigateOptions::default()),
                Err(e) => notices.error.set(Some(error_text(&e))),
            }
        }
    });
    let all_streams = events_href(&group.name, None, &query.read_untracked());
    let LogGroupView {
        name: group_name,
        arn,
        created_ms,
        retention_days,
        stored_bytes,
        metric_filters,
        subscription_filters,
        class,
        kms_key,
        deletion_protection,
        tags,
    } = group;
    view! {
        <div class="title-row">
            <h1 data-testid="page-title" class="mono-title">{group_name}</h1>
            <span class="spacer"></span>
            <div class="title-actions">
                <a class="button-link logs-button" href=all_streams data-testid="search-all-streams" title="Events of every stream of the group">"Search all streams"</a>
                <a class="button-link logs-button" href=super::live_tail::live_tail_href(&name.get_value(), &query.read_untracked()) data-testid="start-tailing" title="Tail this group's new events">"Start tailing"</a>
                <a class="button-link logs-button" href=super::exports::create_href(&name.get_value(), &query.read_untracked()) data-testid="export-group" title="Create an export task of this group's events">"Export to S3"</a>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button class="secondary" on:click=move |_| confirming.set(true) data-testid="delete-group">"Delete log group"</button>
                    }
                >
                    <span class="confirm" data-testid="delete-group-confirm">
                        "Delete this log group and all its events? "
                        <button class="danger" disabled=move || delete.pending().get() on:click=move |_| { delete.dispatch(()); } data-testid="delete-group-yes">"Delete"</button>
                        <button class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </span>
                </Show>
            </div>
        </div>
        {move || notices.error.get().map(|e| view! { <div class="error" role="alert" data-testid="group-action-error">{e}</div> })}
        {move || notices.notice.get().map(|n| view! { <div class="notice small" role="status" data-testid="group-action-notice">{n}</div> })}
        <div class="two-columns cfg-status-panels">
            <section class="panel" data-testid="group-details">
                <header class="panel-header"><h2>"Log group details"</h2></header>
                <div class="panel-body">
                    <dl class="facts">
                        {fact("ARN", view! { <span class="mono small">{arn.clone()}</span> }, "group-arn")}
                        {fact("Creation time (UTC)", time_utc(created_ms), "group-created")}
                        {fact("Retention", view! { <RetentionEditor days=retention_days/> }, "group-retention")}
                        {fact("Stored bytes", view! { <span title=format!("{stored_bytes} bytes")>{human_bytes(stored_bytes)}</span> }, "group-stored")}
                        {fact("Metric filters", metric_filters, "group-metric-filters")}
                        {fact("Subscription filters", subscription_filters, "group-subscription-filters")}
                        {fact("Log class", class_words(&class).to_owned(), "group-class")}
                        {fact("KMS key", view! { <KmsKeyEditor key=kms_key/> }, "group-kms")}
                        {fact("Deletion protection", if deletion_protection { "On" } else { "Off" }, "group-deletion-protection")}
                    </dl>
                </div>
            </section>
            <TagsPanel arn=arn tags=tags/>
        </div>
    }
}

/// The group's tabs: its streams (the default), metric filters and subscription filters, with their counts.
#[component]
fn GroupTabs(name: String, counts: (usize, usize)) -> impl IntoView {
    let query = use_query_map();
    let tab = Memo::new(move |_| match query.read().get("tab").as_deref() {
        Some("metric-filters") => "metric-filters",
        Some("subscription-filters") => "subscription-filters",
        _ => "",
    });
    let link = move |which: &str| {
        let query = query.read();
        href(GROUP_PATH, &query, &[("name", &query.get("name").unwrap_or_default()), ("tab", which)])
    };
    let name = StoredValue::new(name);
    let tabs = [
        ("", "Log streams", None, "tab-streams"),
        ("metric-filters", "Metric filters", Some(counts.0), "tab-metric-filters"),
        ("subscription-filters", "Subscription filters", Some(counts.1), "tab-subscription-filters"),
    ];
    view! {
        <nav class="tabs" aria-label="Log group" data-testid="group-tabs">
            {tabs.into_iter().map(|(which, label, count, test_id)| view! {
                <a href=move || link(which) class:active=move || tab.get() == which data-testid=test_id>
                    {label} {count.map(|n| view! { " " <span class="count">{format!("({n})")}</span> })}
                </a>
            }).collect_view()}
        </nav>
        {move || match tab.get() {
            "metric-filters" => view! { <MetricFilters group=name.get_value()/> }.into_any(),
            "subscription-filters" => view! { <SubscriptionFilters group=name.get_value() count=counts.1/> }.into_any(),
            _ => view! { <Streams group=name.get_value()/> }.into_any(),
        }}
    }
}

/// The retention and its inline editor: a select of AWS's periods (and "Never expire").
#[component]
fn RetentionEditor(days: Option<u32>) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let editing = RwSignal::new(false);
    let chosen = RwSignal::new(days.map(|d| d.to_string()).unwrap_or_default());
    let save = Action::new(move |days: &Option<u32>| {
        let name = query.read_untracked().get("name").unwrap_or_default();
        logs_retention(region.get_untracked(), query.read_untracked().get("account"), name, *days)
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            let days: Option<u32> = chosen.get_untracked().parse().ok();
            if notices.outcome(result, format!("Retention set to {}.", retention_words(days).to_lowercase())) {
                editing.set(false);
            }
        }
    });
    view! {
        <Show
            when=move || editing.get()
            fallback=move || view! {
                <span class="logs-inline">
                    <span data-testid="retention-value">{retention_words(days)}</span>
                    <button class="link-button logs-edit" on:click=move |_| editing.set(true) data-testid="retention-edit">"Edit"</button>
                </span>
            }
        >
            <form class="inline-form" data-testid="retention-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch(chosen.get_untracked().parse().ok());
            }>
                <select aria-label="Retention" data-testid="retention-select" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="" selected=move || chosen.get().is_empty()>"Never expire"</option>
                    {RETENTION_DAYS.iter().map(|d| {
                        let value = d.to_string();
                        let is = value.clone();
                        view! { <option value=value selected=move || chosen.get() == is>{retention_choice(*d)}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="primary" disabled=move || save.pending().get() data-testid="retention-save">"Save"</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(false)>"Cancel"</button>
            </form>
        </Show>
    }
}

/// The KMS key: associate one (an ARN), or disassociate the group's.
#[component]
fn KmsKeyEditor(key: Option<String>) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let editing = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let change = Action::new(move |key: &Option<String>| {
        let name = query.read_untracked().get("name").unwrap_or_default();
        logs_kms_key(region.get_untracked(), query.read_untracked().get("account"), name, key.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = change.value().get() {
            let done =
                if text.get_untracked().trim().is_empty() { "KMS key disassociated." } else { "KMS key associated." };
            if notices.outcome(result, done) {
                editing.set(false);
            }
        }
    });
    let has_key = key.is_some();
    view! {
        <Show
            when=move || editing.get()
            fallback=move || {
                let key = key.clone();
                view! {
                    <span class="logs-inline">
                        <span class="mono small" data-testid="kms-value">{key.clone().unwrap_or_else(|| "–".to_owned())}</span>
                        {if has_key {
                            view! { <button class="link-button logs-edit" on:click=move |_| { text.set(String::new()); change.dispatch(None); } data-testid="kms-disassociate">"Disassociate"</button> }.into_any()
                        } else {
                            view! { <button class="link-button logs-edit" on:click=move |_| editing.set(true) data-testid="kms-associate">"Associate"</button> }.into_any()
                        }}
                    </span>
                }
            }
        >
            <form class="inline-form" data-testid="kms-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                change.dispatch(Some(text.get_untracked()));
            }>
                <input type="text" class="mono logs-kms-input" aria-label="KMS key ARN" maxlength="256" spellcheck="false"
                    placeholder="arn:aws:kms:<region>:<account>:key/<key-id>"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) data-testid="kms-input"/>
                <button type="submit" class="primary" disabled=move || change.pending().get() data-testid="kms-save">"Associate"</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(false)>"Cancel"</button>
            </form>
        </Show>
    }
}

#[component]
fn TagsPanel(arn: String, tags: Vec<(String, String)>) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let arn = StoredValue::new(arn);
    let account = move || query.read_untracked().get("account");
    let key = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let add = Action::new(move |tag: &(String, String)| {
        logs_tag(region.get_untracked(), account(), arn.get_value(), vec![tag.clone()])
    });
    let remove = Action::new(move |key: &String| {
        logs_untag(region.get_untracked(), account(), arn.get_value(), vec![key.clone()])
    });
    Effect::new(move |_| {
        if let Some(result) = add.value().get() {
            let done = format!("Tag {} added.", key.get_untracked().trim());
            if notices.outcome(result, done) {
                key.set(String::new());
                value.set(String::new());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            notices.outcome(result, "Tag removed.");
        }
    });
    let count = tags.len();
    view! {
        <section class="panel" data-testid="group-tags">
            <header class="panel-header"><h2>"Tags " <span class="count muted">{format!("({count})")}</span></h2></header>
            {if tags.is_empty() {
                view! { <p class="empty small" data-testid="tags-empty">"No tags."</p> }.into_any()
            } else {
                view! {
                    <table class="grid compact">
                        <thead><tr><th>"Key"</th><th>"Value"</th><th class="actions"></th></tr></thead>
                        <tbody>
                            {tags.into_iter().map(|(k, v)| {
                                let (removed, data_key) = (k.clone(), k.clone());
                                view! {
                                    <tr data-testid="tag" data-key=data_key>
                                        <td class="mono small">{k}</td>
                                        <td class="mono small">{v}</td>
                                        <td class="actions"><button class="link-button logs-edit" on:click=move |_| { remove.dispatch(removed.clone()); } data-testid="tag-remove">"Remove"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
            <form class="inline-form panel-body" data-testid="tag-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                add.dispatch((key.get_untracked(), value.get_untracked()));
            }>
                <input type="text" aria-label="Tag key" placeholder="Key" maxlength="128" size="14"
                    prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev)) data-testid="tag-key"/>
                <input type="text" aria-label="Tag value" placeholder="Value" maxlength="256" size="18"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) data-testid="tag-value"/>
                <button type="submit" class="secondary" disabled=move || add.pending().get() data-testid="tag-add">"Add tag"</button>
            </form>
        </section>
    }
}

/// The streams table's order and search as they are in the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StreamFilters {
    by_time: bool,
    descending: bool,
    prefix: String,
}

impl StreamFilters {
    fn from_query(query: &ParamsMap) -> Self {
        let prefix = query.get("q").unwrap_or_default();
        // A prefix search orders by name: DescribeLogStreams takes no prefix with LastEventTime.
        let by_time = prefix.trim().is_empty() && query.get("order").as_deref() != Some("name");
        let descending = match query.get("dir").as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => by_time,
        };
        Self { by_time, descending, prefix }
    }

    /// The group's page with this order and search, at the page `token` starts.
    fn link(&self, query: &ParamsMap, (token, back): (&str, &str)) -> String {
        let name = query.get("name").unwrap_or_default();
        let dir = match (self.by_time, self.descending) {
            (true, true) | (false, false) => "",
            (_, true) => "desc",
            (_, false) => "asc",
        };
        href(
            GROUP_PATH,
            query,
            &[
                ("name", &name),
                ("order", if self.by_time { "" } else { "name" }),
                ("dir", dir),
                ("q", self.prefix.trim()),
                ("token", token),
                ("back", back),
            ],
        )
    }
}

#[component]
fn Streams(group: String) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let group = StoredValue::new(group);
    let list = Resource::new(
        move || {
            let q = query.read();
            (
                region.get(),
                q.get("account"),
                StreamFilters::from_query(&q),
                Pages::from_query(&q).token,
                notices.version.get(),
            )
        },
        move |(region, account, filters, token, _)| {
            let query = StreamQuery {
                group: group.get_value(),
                by_time: filters.by_time,
                descending: filters.descending,
                prefix: filters.prefix,
                token,
            };
            logs_streams(region, account, query)
        },
    );
    view! {
        <section class="panel" data-testid="streams-panel">
            <header class="panel-header">
                <h2>"Log streams"</h2>
                <span class="spacer"></span>
                <StreamOrder/>
                <CreateStream group=group.get_value()/>
            </header>
            <StreamSearch/>
            <Transition fallback=|| view! { <p class="muted panel-body">"Loading streams…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <StreamTable list=list group=group.get_value()/> }.into_any(),
                        Err(e) => view! { <div class="error" role="alert" data-testid="streams-error">{error_text(&e)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Order by last event time or name, descending or ascending (links).
#[component]
fn StreamOrder() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| StreamFilters::from_query(&query.read()));
    let link = move |by_time: bool, descending: bool| {
        let current = filters.get();
        let prefix = if by_time { String::new() } else { current.prefix };
        StreamFilters { by_time, descending, prefix }.link(&query.read(), ("", ""))
    };
    view! {
        <div class="segmented light" role="group" aria-label="Order streams by" data-testid="streams-order">
            <a href=move || link(true, true) class:active=move || filters.get().by_time data-testid="order-time">"Last event time"</a>
            <a href=move || link(false, false) class:active=move || !filters.get().by_time data-testid="order-name">"Name"</a>
        </div>
        <div class="segmented light" role="group" aria-label="Direction" data-testid="streams-direction">
            <a href=move || link(filters.get().by_time, true) class:active=move || filters.get().descending data-testid="order-desc" title="Descending">"↓ Desc"</a>
            <a href=move || link(filters.get().by_time, false) class:active=move || !filters.get().descending data-testid="order-asc" title="Ascending">"↑ Asc"</a>
        </div>
    }
}

/// The prefix search over stream names (a GET form; with scripts it navigates).
#[component]
fn StreamSearch() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let from_url = Memo::new(move |_| StreamFilters::from_query(&query.read()));
    let text = RwSignal::new(from_url.get_untracked().prefix);
    Effect::new(move |_| text.set(from_url.get().prefix));
    let carried = move || {
        ["region", "account", "range", "name"]
            .into_iter()
            .filter_map(|key| query.read().get(key).map(|v| (key, v)))
            .map(|(key, v)| view! { <input type="hidden" name=key value=v/> })
            .collect_view()
    };
    view! {
        <form method="get" action=GROUP_PATH class="filter-bar panel-filters" data-testid="streams-filter"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let prefix = text.get_untracked();
                let current = from_url.get_untracked();
                let filters = if prefix.trim().is_empty() {
                    StreamFilters { prefix, ..current }
                } else {
                    StreamFilters { by_time: false, descending: current.descending && !current.by_time, prefix }
                };
                navigate(&filters.link(&query.read_untracked(), ("", "")), Default::default());
            }>
            {carried}
            <input type="search" name="q" class="logs-search" placeholder="Filter streams by name prefix"
                aria-label="Stream name prefix" title="Streams whose names start with this (/)" data-shortcut="search"
                maxlength="512" spellcheck="false" data-testid="streams-search"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            <button type="submit" class="primary" data-testid="streams-apply">"Search"</button>
            <a href=move || StreamFilters { by_time: true, descending: true, prefix: String::new() }.link(&query.read(), ("", ""))
                data-testid="streams-clear">"Clear"</a>
        </form>
    }
}

/// "Create log stream": a name, CreateLogStream.
#[component]
fn CreateStream(group: String) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let group = StoredValue::new(group);
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let create = Action::new(move |name: &String| {
        logs_stream_create(
            region.get_untracked(),
            query.read_untracked().get("account"),
            group.get_value(),
            name.clone(),
        )
    });
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            let done = format!("Log stream {} created.", name.get_untracked().trim());
            if notices.outcome(result, done) {
                name.set(String::new());
                open.set(false);
            }
        }
    });
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! { <button class="secondary" on:click=move |_| open.set(true) data-testid="create-stream">"Create log stream"</button> }
        >
            <form class="inline-form" data-testid="create-stream-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                create.dispatch(name.get_untracked());
            }>
                <input type="text" autofocus aria-label="Log stream name" placeholder="Log stream name" maxlength="512"
                    spellcheck="false" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))
                    data-testid="create-stream-name"/>
                <button type="submit" class="primary" disabled=move || create.pending().get() data-testid="create-stream-submit">"Create"</button>
                <button type="button" class="secondary" on:click=move |_| open.set(false)>"Cancel"</button>
            </form>
        </Show>
    }
}

#[component]
fn StreamTable(list: LogStreamList, group: String) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let filters = StreamFilters::from_query(&query.read_untracked());
    let pages = Pages::from_query(&query.read_untracked());
    let LogStreamList { streams, next_token } = list;
    let group = StoredValue::new(group);
    let selected = RwSignal::new(Vec::<String>::new());
    let confirming = RwSignal::new(false);
    let delete = Action::new(move |names: &Vec<String>| {
        let (names, region, account) = (names.clone(), region.get_untracked(), query.read_untracked().get("account"));
        async move {
            for name in &names {
                logs_stream_delete(region.clone(), account.clone(), group.get_value(), name.clone()).await?;
            }
            Ok::<_, ServerFnError>(names.len())
        }
    });
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            confirming.set(false);
            let count = result.as_ref().copied().unwrap_or(0);
            if notices.outcome(
                result.map(|_| ()),
                format!("Deleted {count} log stream{}.", if count == 1 { "" } else { "s" }),
            ) {
                selected.set(Vec::new());
            }
        }
    });
    let shown = streams.len();
    let page_number = pages.number();
    let body = if streams.is_empty() {
        let text = if filters.prefix.trim().is_empty() && page_number == 1 {
            "No log streams in this group yet."
        } else {
            "No log streams match the prefix."
        };
        view! { <p class="empty" data-testid="streams-empty">{text}</p> }.into_any()
    } else {
        view! {
            <table class="grid logs-streams" data-testid="streams-table">
                <thead><tr>
                    <th class="check"></th><th>"Log stream"</th><th>"Last event time (UTC)"</th>
                    <th>"First event time (UTC)"</th><th>"Last ingestion (UTC)"</th><th>"Created (UTC)"</th>
                </tr></thead>
                <tbody>
                    {streams.into_iter().map(|stream| view! { <StreamRow stream=stream group=group.get_value() selected=selected/> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let link = Callback::new(move |(token, back): (String, String)| {
        filters.link(&query.read_untracked(), (token.as_str(), back.as_str()))
    });
    view! {
        <div class="table-toolbar">
            <span class="table-caption" data-testid="streams-count">
                {format!("{shown} log stream{}{}", if shown == 1 { "" } else { "s" }, if page_number > 1 || next_token.is_some() { format!(" · page {page_number}") } else { String::new() })}
            </span>
            <span class="spacer"></span>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button class="secondary" disabled=move || selected.read().is_empty() on:click=move |_| confirming.set(true) data-testid="delete-streams">"Delete"</button>
                }
            >
                <span class="confirm" data-testid="delete-streams-confirm">
                    {move || format!("Delete {} log stream(s) and their events? ", selected.read().len())}
                    <button class="danger" disabled=move || delete.pending().get() on:click=move |_| { delete.dispatch(selected.get_untracked()); } data-testid="delete-streams-yes">"Delete"</button>
                    <button class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </span>
            </Show>
        </div>
        {body}
        <TokenPager link=link pages=pages next_token=next_token test_id="streams-pager"/>
    }
    .into_any()
}

#[component]
fn StreamRow(stream: LogStreamView, group: String, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let query = use_query_map();
    let name = stream.name.clone();
    let checked = {
        let name = name.clone();
        move || selected.read().contains(&name)
    };
    let toggle = {
        let name = name.clone();
        move |_| {
            selected.update(|s| match s.iter().position(|n| *n == name) {
                Some(at) => {
                    s.remove(at);
                }
                None => s.push(name.clone()),
            })
        }
    };
    let link = events_href(&group, Some(&stream.name), &query.read_untracked());
    let row_checked = checked.clone();
    view! {
        <tr data-testid="stream-row" data-name=stream.name.clone() data-row tabindex="0" class:selected=row_checked>
            <td class="check">
                <input type="checkbox" aria-label=format!("Select {}", stream.name) prop:checked=checked on:change=toggle data-testid="stream-select"/>
            </td>
            <td class="mono small id-cell"><a href=link data-row-link data-testid="stream-link">{stream.name.clone()}</a></td>
            <td class="small nowrap" data-testid="stream-last-event">{maybe_time(stream.last_event_ms)}</td>
            <td class="small nowrap">{maybe_time(stream.first_event_ms)}</td>
            <td class="small nowrap">{maybe_time(stream.last_ingestion_ms)}</td>
            <td class="small nowrap">{time_utc(stream.created_ms)}</td>
        </tr>
    }
}
