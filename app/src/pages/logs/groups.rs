//! CloudWatch › Logs › Log groups: the groups of the account and region (name, retention, stored bytes, metric
//! and subscription filters, class, KMS key, creation time), searched by a case-insensitive pattern or a name
//! prefix and filtered by class, paged with DescribeLogGroups' tokens; every filter and the page in the URL (`q=`,
//! `prefix=1`, `class=`, `token=`, `back=`). "Create log group" opens a dialog; "Delete" deletes the selected
//! groups after a confirmation. Keys: `/` search, `n`/`p` next and previous page, `j`/`k` rows, Enter opens a
//! row's group.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

use super::create::CreateGroupDialog;
use super::{
    GROUPS_PATH, Pages, TokenPager, class_words, error_text, group_href, human_bytes, retention_words, short_key,
};
use crate::api::{LogGroupList, LogGroupView, logs_group_delete, logs_groups};
use crate::components::query::{href, use_region};
use crate::pages::config::time_utc;

/// The class filter's choices: (URL value, label).
const CLASS_CHOICES: [(&str, &str); 5] = [
    ("", "Any class"),
    ("STANDARD", "Standard"),
    ("INFREQUENT_ACCESS", "Infrequent Access"),
    ("DELIVERY", "Delivery"),
    ("ESSENTIALS", "Essentials"),
];

/// The list's filters as they are in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filters {
    search: String,
    prefix: bool,
    class: String,
}

impl Filters {
    fn from_query(query: &ParamsMap) -> Self {
        Self {
            search: query.get("q").unwrap_or_default(),
            prefix: query.get("prefix").is_some_and(|p| p == "1" || p == "true"),
            class: query.get("class").unwrap_or_default(),
        }
    }

    /// The list with these filters, at the page `token` starts (the first without).
    fn link(&self, query: &ParamsMap, (token, back): (&str, &str)) -> String {
        href(
            GROUPS_PATH,
            query,
            &[
                ("q", self.search.trim()),
                ("prefix", if self.prefix { "1" } else { "" }),
                ("class", &self.class),
                ("token", token),
                ("back", back),
            ],
        )
    }
}

#[component]
pub fn LogGroupsPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let version = RwSignal::new(0u32);
    let creating = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    // Outside the table, which is drawn again when the list is read again.
    let error = RwSignal::new(None::<String>);
    let list = Resource::new(
        move || {
            let q = query.read();
            (region.get(), q.get("account"), Filters::from_query(&q), Pages::from_query(&q).token, version.get())
        },
        |(region, account, filters, token, _)| {
            logs_groups(region, account, filters.search, filters.prefix, filters.class, token)
        },
    );
    let created = Callback::new(move |name: String| {
        creating.set(false);
        notice.set(Some(format!("Log group {name} created.")));
        version.update(|v| *v += 1);
    });
    view! {
        <Title text="CloudWatch log groups"/>
        <div class="breadcrumb">"CloudWatch › Logs › Log groups"</div>
        <div class="title-row">
            <h1 data-testid="page-title">"Log groups"</h1>
            <span class="spacer"></span>
            <div class="title-actions">
                <button class="primary" data-testid="create-group" on:click=move |_| creating.set(true)>"Create log group"</button>
            </div>
        </div>
        {move || notice.get().map(|n| view! { <div class="notice small" role="status" data-testid="groups-notice">{n}</div> })}
        <Show when=move || creating.get()>
            <CreateGroupDialog open=creating created=created/>
        </Show>
        <section class="panel" data-testid="groups-panel">
            <FilterForm/>
            <Transition fallback=|| view! { <p class="muted panel-body">"Loading log groups…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <GroupTable list=list version=version notice=notice error=error/> }.into_any(),
                        Err(e) => view! { <div class="error" role="alert" data-testid="groups-error">{error_text(&e)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn FilterForm() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let from_url = Memo::new(move |_| Filters::from_query(&query.read()));
    let search = RwSignal::new(from_url.get_untracked().search);
    // Follows the URL (back, a link).
    Effect::new(move |_| search.set(from_url.get().search));
    let go = move |filters: Filters| navigate(&filters.link(&query.read_untracked(), ("", "")), Default::default());
    let (go_prefix, go_class) = (go.clone(), go.clone());
    let carried = move || {
        ["region", "account", "range"]
            .into_iter()
            .filter_map(|key| query.read().get(key).map(|v| (key, v)))
            .map(|(key, v)| view! { <input type="hidden" name=key value=v/> })
            .collect_view()
    };
    view! {
        <form method="get" action=GROUPS_PATH class="filter-bar panel-filters" data-testid="groups-filter"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                go(Filters { search: search.get_untracked(), ..from_url.get_untracked() });
            }>
            {carried}
            <input type="search" name="q" class="logs-search" placeholder="Filter log groups" aria-label="Filter log groups"
                title="Log group names containing this, any case; with prefix search, names starting with it (/)"
                data-shortcut="search" data-testid="groups-search" maxlength="512" spellcheck="false"
                prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            <label class="inline-form small" title="Names starting with the text, case-sensitive (logGroupNamePrefix)">
                <input type="checkbox" name="prefix" value="1" data-testid="groups-prefix"
                    prop:checked=move || from_url.get().prefix
                    on:change=move |ev| go_prefix(Filters { prefix: event_target_checked(&ev), search: search.get_untracked(), ..from_url.get_untracked() })/>
                "Prefix search"
            </label>
            <select name="class" aria-label="Log class" data-testid="groups-class"
                on:change=move |ev| go_class(Filters { class: event_target_value(&ev), search: search.get_untracked(), ..from_url.get_untracked() })>
                {CLASS_CHOICES.iter().map(|(value, label)| view! {
                    <option value=*value selected=move || from_url.get().class == *value>{*label}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="primary" data-testid="groups-apply">"Search"</button>
            <a href=move || href(GROUPS_PATH, &query.read(), &[]) data-testid="groups-clear">"Clear"</a>
        </form>
    }
}

#[component]
fn GroupTable(
    list: LogGroupList,
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let filters = Filters::from_query(&query.read_untracked());
    let pages = Pages::from_query(&query.read_untracked());
    let LogGroupList { groups, next_token } = list;
    let selected = RwSignal::new(Vec::<String>::new());
    let confirming = RwSignal::new(false);
    let delete = Action::new(move |names: &Vec<String>| {
        let (names, region, account) = (names.clone(), region.get_untracked(), query.read_untracked().get("account"));
        async move {
            for name in &names {
                logs_group_delete(region.clone(), account.clone(), name.clone()).await?;
            }
            Ok::<_, ServerFnError>(names.len())
        }
    });
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            confirming.set(false);
            match result {
                Ok(count) => {
                    error.set(None);
                    selected.set(Vec::new());
                    notice.set(Some(format!("Deleted {count} log group{}.", if count == 1 { "" } else { "s" })));
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(error_text(&e)));
                }
            }
        }
    });
    let filtered = !filters.search.trim().is_empty() || !filters.class.is_empty();
    let shown = groups.len();
    let page_number = pages.number();
    let body = if groups.is_empty() {
        let text = if filtered || page_number > 1 {
            "No log groups match the filters."
        } else {
            "No log groups in this account and region yet. Create one here, or with aws logs create-log-group."
        };
        view! { <p class="empty" data-testid="groups-empty">{text}</p> }.into_any()
    } else {
        let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
        let all_checked = {
            let names = names.clone();
            move || !names.is_empty() && selected.with(|s| names.iter().all(|n| s.contains(n)))
        };
        let toggle_all = move |ev| {
            let on = event_target_checked(&ev);
            selected.set(if on { names.clone() } else { Vec::new() });
        };
        view! {
            <table class="grid logs-groups" data-testid="groups-table">
                <thead><tr>
                    <th class="check"><input type="checkbox" aria-label="Select all log groups on this page" prop:checked=all_checked on:change=toggle_all data-testid="groups-select-all"/></th>
                    <th>"Log group"</th><th>"Retention"</th><th class="num">"Stored bytes"</th>
                    <th class="num">"Metric filters"</th><th class="num">"Subscription filters"</th><th>"Log class"</th><th>"KMS key"</th><th>"Creation time (UTC)"</th>
                </tr></thead>
                <tbody>
                    {groups.into_iter().map(|group| view! { <GroupRow group=group selected=selected/> }).collect_view()}
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
            <span class="table-caption" data-testid="groups-count">
                {format!("{shown} log group{}{}", if shown == 1 { "" } else { "s" }, if page_number > 1 || next_token.is_some() { format!(" · page {page_number}") } else { String::new() })}
            </span>
            <span class="spacer"></span>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button class="secondary" disabled=move || selected.read().is_empty() on:click=move |_| confirming.set(true) data-testid="delete-groups">
                        "Delete"
                    </button>
                }
            >
                <span class="confirm" data-testid="delete-confirm">
                    {move || {
                        let names = selected.get();
                        if names.len() == 1 {
                            format!("Delete log group {} and all its events? ", names[0])
                        } else {
                            format!("Delete {} log groups and all their events? ", names.len())
                        }
                    }}
                    <button class="danger" disabled=move || delete.pending().get() on:click=move |_| { delete.dispatch(selected.get_untracked()); } data-testid="delete-confirm-yes">
                        "Delete"
                    </button>
                    <button class="secondary" on:click=move |_| confirming.set(false) data-testid="delete-confirm-no">"Cancel"</button>
                </span>
            </Show>
        </div>
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="delete-error">{e}</div> })}
        {body}
        <TokenPager link=link pages=pages next_token=next_token test_id="groups-pager"/>
    }
    .into_any()
}

#[component]
fn GroupRow(group: LogGroupView, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let query = use_query_map();
    let name = group.name.clone();
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
    let link = group_href(&group.name, &query.read_untracked());
    let kms = group.kms_key.clone();
    let row_checked = checked.clone();
    view! {
        <tr data-testid="group-row" data-name=group.name.clone() data-row tabindex="0" class:selected=row_checked>
            <td class="check">
                <input type="checkbox" aria-label=format!("Select {}", group.name) prop:checked=checked on:change=toggle data-testid="group-select"/>
            </td>
            <td class="mono small id-cell"><a href=link data-row-link data-testid="group-link">{group.name.clone()}</a></td>
            <td class="nowrap" data-testid="group-retention">{retention_words(group.retention_days)}</td>
            <td class="num nowrap" data-testid="group-stored" title=format!("{} bytes", group.stored_bytes)>{human_bytes(group.stored_bytes)}</td>
            <td class="num" data-testid="group-metric-filters">{group.metric_filters}</td>
            <td class="num" data-testid="group-subscription-filters">{group.subscription_filters}</td>
            <td class="nowrap" data-testid="group-class">{class_words(&group.class).to_owned()}</td>
            <td class="mono small nowrap" data-testid="group-kms" title=kms.clone().unwrap_or_default()>{kms.as_deref().map(short_key).unwrap_or_else(|| "–".to_owned())}</td>
            <td class="small nowrap">{time_utc(group.created_ms)}</td>
        </tr>
    }
}
