//! AWS Config › Resources: the inventory of recorded resources (type, id, name, last change, status), filtered by
//! type, by compliance, by a search over ids and names, and with or without deleted resources, in pages; every
//! filter in the URL (`type=`, `compliance=`, `q=`, `deleted=1`, `page=`). Each resource's compliance comes from its
//! `AWS::Config::ResourceCompliance` item; those items are listed only when their type is chosen. The filters are a GET form, so they work without scripts; with them, a
//! choice applies at once and each lands in the history (the back button undoes it). Keys: `/` search, `n`/`p`
//! next and previous page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::{ComplianceBadge, DASHBOARD_PATH, INVENTORY_PATH, StatusBadge, inventory_href, resource_href, time_utc};
use crate::api::{ResourceList, config_resources};
use crate::components::query::{href, use_region};

/// The compliance filter's choices: (URL value, label).
const COMPLIANCE_CHOICES: [(&str, &str); 5] = [
    ("", "Any compliance"),
    ("NON_COMPLIANT", "Noncompliant"),
    ("COMPLIANT", "Compliant"),
    ("NOT_APPLICABLE", "Not applicable"),
    ("INSUFFICIENT_DATA", "No results"),
];

/// The page's filters as they are in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filters {
    resource_type: String,
    search: String,
    deleted: bool,
    compliance: String,
}

impl Filters {
    fn from_query(query: &leptos_router::params::ParamsMap) -> Self {
        Self {
            resource_type: query.get("type").unwrap_or_default(),
            search: query.get("q").unwrap_or_default(),
            deleted: query.get("deleted").is_some_and(|d| d == "1" || d == "true"),
            compliance: query.get("compliance").unwrap_or_default(),
        }
    }

    /// The inventory with these filters on page `page` (1 is left out).
    fn link(&self, query: &leptos_router::params::ParamsMap, page: usize) -> String {
        let page = if page > 1 { page.to_string() } else { String::new() };
        href(
            INVENTORY_PATH,
            query,
            &[
                ("type", &self.resource_type),
                ("q", self.search.trim()),
                ("deleted", if self.deleted { "1" } else { "" }),
                ("compliance", &self.compliance),
                ("page", &page),
            ],
        )
    }
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let list = Resource::new(
        move || {
            let q = query.read();
            let filters = Filters::from_query(&q);
            let page = q.get("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1);
            (region.get(), q.get("account"), filters, page)
        },
        |(region, account, filters, page)| {
            config_resources(
                region,
                account,
                filters.resource_type,
                filters.search,
                filters.deleted,
                filters.compliance,
                page,
            )
        },
    );
    view! {
        <Title text="AWS Config resources"/>
        <div class="breadcrumb">"AWS Config › Resources"</div>
        <h1 data-testid="page-title">"Resources"</h1>
        <section class="panel" data-testid="inventory-panel">
            <FilterForm list=list/>
            <Transition fallback=|| view! { <p class="muted panel-body">"Loading resources…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <Inventory list=list/> }.into_any(),
                        Err(e) => view! { <div class="error" role="alert" data-testid="inventory-error">{e.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The type select: every type with current resources (and the chosen one, even without), from the listing.
#[component]
fn TypeSelect(list: Resource<Result<ResourceList, ServerFnError>>, on_pick: Callback<String>) -> impl IntoView {
    let query = use_query_map();
    let chosen = move || query.read_untracked().get("type").unwrap_or_default();
    let select = move |mut names: Vec<(String, u64)>| {
        let current = chosen();
        if !current.is_empty() && !names.iter().any(|(n, _)| *n == current) {
            names.push((current.clone(), 0));
        }
        view! {
            <select name="type" class="cfg-type-select" aria-label="Resource type" data-testid="type-filter"
                on:change=move |ev| on_pick.run(event_target_value(&ev))>
                <option value="" selected=current.is_empty()>"All resource types"</option>
                {names.into_iter().map(|(name, count)| {
                    let selected = name == current;
                    view! { <option value=name.clone() selected=selected>{format!("{name} ({count})")}</option> }
                }).collect_view()}
            </select>
        }
    };
    view! {
        <Transition fallback=move || select(Vec::new())>
            {move || Suspend::new(async move { select(list.await.map(|l| l.types).unwrap_or_default()) })}
        </Transition>
    }
}

#[component]
fn FilterForm(list: Resource<Result<ResourceList, ServerFnError>>) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let from_url = Memo::new(move |_| Filters::from_query(&query.read()));
    let search = RwSignal::new(from_url.get_untracked().search);
    // Follows the URL (back, a link from the dashboard).
    Effect::new(move |_| search.set(from_url.get().search));
    let go = move |filters: Filters| {
        navigate(&filters.link(&query.read_untracked(), 1), Default::default());
    };
    let (go_type, go_deleted, go_compliance) = (go.clone(), go.clone(), go.clone());
    let carried = move || {
        ["region", "account", "range"]
            .into_iter()
            .filter_map(|key| query.read().get(key).map(|v| (key, v)))
            .map(|(key, v)| view! { <input type="hidden" name=key value=v/> })
            .collect_view()
    };
    view! {
        <form method="get" action=INVENTORY_PATH class="filter-bar panel-filters" data-testid="inventory-filter"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                go(Filters { search: search.get_untracked(), ..from_url.get_untracked() });
            }>
            {carried}
            <TypeSelect list=list on_pick=Callback::new(move |resource_type| {
                go_type(Filters { resource_type, search: search.get_untracked(), ..from_url.get_untracked() })
            })/>
            <select name="compliance" aria-label="Compliance" data-testid="compliance-filter"
                on:change=move |ev| go_compliance(Filters { compliance: event_target_value(&ev), search: search.get_untracked(), ..from_url.get_untracked() })>
                {COMPLIANCE_CHOICES.iter().map(|(value, label)| view! {
                    <option value=*value selected=move || from_url.get().compliance == *value>{*label}</option>
                }).collect_view()}
            </select>
            <input type="search" name="q" placeholder="Search resource ids and names" aria-label="Search resource ids and names"
                title="Search resource ids and names (/)" data-shortcut="search" data-testid="inventory-search" maxlength="256"
                prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            <label class="inline-form small">
                <input type="checkbox" name="deleted" value="1" data-testid="include-deleted"
                    prop:checked=move || from_url.get().deleted
                    on:change=move |ev| go_deleted(Filters { deleted: event_target_checked(&ev), search: search.get_untracked(), ..from_url.get_untracked() })/>
                "Include deleted resources"
            </label>
            <button type="submit" class="primary" data-testid="inventory-apply">"Search"</button>
            <a href=move || href(INVENTORY_PATH, &query.read(), &[]) data-testid="inventory-clear">"Clear"</a>
        </form>
    }
}

#[component]
fn Inventory(list: ResourceList) -> impl IntoView {
    let query = use_query_map();
    let filters = Filters::from_query(&query.read_untracked());
    let ResourceList { types, rows, matched, page, pages, capped } = list;
    let filtered =
        !filters.search.trim().is_empty() || !filters.resource_type.is_empty() || !filters.compliance.is_empty();
    let caption = format!(
        "{matched} resource{}{}",
        if matched == 1 { "" } else { "s" },
        if pages > 1 { format!(" · page {page} of {pages}") } else { String::new() }
    );
    let body = if rows.is_empty() {
        let (text, link) = if types.is_empty() && !filtered {
            ("No resources recorded in this account and region yet. ", true)
        } else {
            ("No resources match the filters.", false)
        };
        view! {
            <p class="empty" data-testid="inventory-empty">
                {text}
                {link.then(|| view! {
                    <a href=href(DASHBOARD_PATH, &query.read_untracked(), &[]) data-testid="inventory-dashboard">"See the recorder's status"</a>
                })}
            </p>
        }
        .into_any()
    } else {
        let type_links = filters.resource_type.is_empty();
        view! {
            <table class="grid cfg-inventory" data-testid="inventory-table">
                <thead><tr>
                    <th>"Resource type"</th><th>"Resource ID"</th><th>"Name"</th>
                    <th>"Last change (UTC)"</th><th>"Status"</th><th>"Compliance"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let link = resource_href(&row.resource_type, &row.resource_id, &query.read_untracked());
                        let type_cell = if type_links {
                            view! { <a href=inventory_href(&row.resource_type, &query.read_untracked()) class="type-link">{row.resource_type.clone()}</a> }.into_any()
                        } else {
                            row.resource_type.clone().into_any()
                        };
                        view! {
                            <tr data-testid="resource-row" data-id=row.resource_id.clone() data-type=row.resource_type.clone()
                                class:deleted-row=row.status == "ResourceDeleted">
                                <td class="mono small nowrap">{type_cell}</td>
                                <td class="mono small id-cell"><a href=link data-testid="resource-link">{row.resource_id.clone()}</a></td>
                                <td class="small">{row.resource_name.clone().unwrap_or_default()}</td>
                                <td class="small nowrap">{time_utc(row.last_change_ms)}</td>
                                <td><StatusBadge status=row.status.clone()/></td>
                                <td data-testid="resource-compliance">{row.compliance.clone().map(|c| view! { <ComplianceBadge compliance=c/> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let pager = (pages > 1).then(|| {
        let previous = (page > 1).then(|| filters.link(&query.read_untracked(), page - 1));
        let next = (page < pages).then(|| filters.link(&query.read_untracked(), page + 1));
        view! {
            <nav class="cfg-pager" aria-label="Pages" data-testid="inventory-pager">
                {previous.map(|link| view! { <a href=link data-shortcut="previous" title="Previous page (p)" data-testid="inventory-previous">"‹ Previous"</a> })}
                <span class="muted small">{format!("Page {page} of {pages}")}</span>
                {next.map(|link| view! { <a href=link data-shortcut="next" title="Next page (n)" data-testid="inventory-next">"Next ›"</a> })}
            </nav>
        }
    });
    view! {
        {(matched > 0).then(|| view! { <div class="table-caption cfg-caption" data-testid="inventory-count">{caption}</div> })}
        {capped.then(|| view! {
            <p class="muted small cfg-caption" data-testid="inventory-capped">"Showing the first 2,000 resources: choose a type to narrow the listing."</p>
        })}
        {body}
        {pager}
    }
    .into_any()
}
