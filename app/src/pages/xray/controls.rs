//! Controls the X-Ray pages share: the group selector, which keeps the choice in the URL (`group=`), and the
//! link to a trace's timeline.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::xray_groups;
use crate::components::query::{encode, href, href_keeping, use_region};

/// The group in the URL; empty for Default.
pub fn use_group() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("group").filter(|g| g != "Default").unwrap_or_default())
}

/// A link to a trace's timeline.
pub fn trace_href(id: &str, query: &leptos_router::params::ParamsMap) -> String {
    href(&format!("/xray/traces/{}", encode(id)), query, &[])
}

/// The group selector: choosing a group reloads the page's data for it, keeping the page's other state but the
/// selection (which belongs to the old group's map) and the page cursor.
#[component]
pub fn GroupSelect() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let region = use_region();
    let group = use_group();
    let groups = Resource::new(
        move || (region.get(), query.read().get("account")),
        |(region, account)| xray_groups(region, account),
    );
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let value = if value == "Default" { String::new() } else { value };
        let link = href_keeping(
            &location.pathname.get_untracked(),
            &query.read_untracked(),
            &[("group", &value)],
            &["sel", "to", "token"],
        );
        navigate(&link, NavigateOptions { scroll: false, ..Default::default() });
    };
    let on_change = StoredValue::new(on_change);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = groups.await.unwrap_or_default();
                let chosen = group.get_untracked();
                let mut names: Vec<String> = list.into_iter().map(|g| g.name).collect();
                if !names.iter().any(|n| n == "Default") {
                    names.insert(0, "Default".to_owned());
                }
                view! {
                    <label class="inline-form small">
                        "Group "
                        <select name="group" aria-label="Group" data-testid="group-select"
                            on:change=move |ev| on_change.with_value(|f| f(ev))>
                            {names
                                .into_iter()
                                .map(|name| {
                                    let selected = name == chosen || (chosen.is_empty() && name == "Default");
                                    view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The tail of a trace id, which is what tells traces of the same second apart.
pub fn short_id(id: &str) -> String {
    let tail: Vec<char> = id.rsplit('-').next().unwrap_or_default().chars().collect();
    let shown: String = tail[tail.len().saturating_sub(12)..].iter().collect();
    format!("…{shown}")
}

/// A request's HTTP status with its fault, error or throttle marker.
pub fn status_cell(status: Option<u16>, fault: bool, error: bool, throttle: bool) -> impl IntoView {
    let (class, word) = if fault {
        ("fault", "Fault")
    } else if throttle {
        ("throttle", "Throttle")
    } else if error {
        ("error", "Error")
    } else {
        ("ok", "OK")
    };
    view! {
        <span class="status-cell">
            <span class=format!("health-dot health-{class}") aria-hidden="true"></span>
            <span class="mono">{status.map(|s| s.to_string()).unwrap_or_else(|| "-".into())}</span>
            {(class != "ok").then(|| view! {
                <span class=format!("marker marker-{class}") data-testid=format!("marker-{class}")>{word}</span>
            })}
        </span>
    }
}
