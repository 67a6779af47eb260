//! CloudWatch › Dashboards › one dashboard: its widgets on the 24-column grid over the time range in the URL
//! (presets, absolute, drag on a chart to zoom), auto-refresh and local or UTC time also in the URL, and an edit
//! mode (move and resize with the mouse, add and edit widgets, the JSON source, save, rename, duplicate).
//! Automatic per-namespace overviews use the same screen, read-only.

mod board;
pub(crate) mod compose;
mod dialogs;
mod grid;
mod picker;
mod source;
mod toolbar;
mod widget;
mod widget_editor;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

pub use self::toolbar::{from_input, use_offset_minutes};
pub use self::widget_editor::ViewSelect;
pub use skywatch_dashboards::edit::EMPTY_BODY;

use self::board::Screen;
use crate::api::{LoadedDashboard, dashboard_automatic, dashboard_load};
use crate::components::query::{href, use_region};

/// The link to a dashboard, keeping the carried query keys and applying `changes`.
pub fn dashboard_href(name: &str, current: &ParamsMap, changes: &[(&str, &str)]) -> String {
    href(&format!("/cloudwatch/dashboards/dashboard/{name}"), current, changes)
}

/// Why `name` cannot name a dashboard, worded for the console.
pub fn name_problem(name: &str) -> Option<String> {
    skywatch_dashboards::validate_name(name).err().map(|e| e.to_string())
}

/// A time shifted by `offset_minutes` east of UTC, as `2026-12-02 15:04`.
pub fn format_time_at(ms: i64, offset_minutes: i32) -> String {
    chrono::DateTime::from_timestamp_millis(ms.saturating_add(i64::from(offset_minutes) * 60_000))
        .map(|time| time.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// `/cloudwatch/dashboards/dashboard/:name`
#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let account = Memo::new(move |_| query.read().get("account"));
    let loaded = Resource::new(move || (account.get(), name.get()), |(account, name)| dashboard_load(account, name));
    view! { <Loaded loaded=loaded/> }
}

/// `/cloudwatch/dashboards/automatic?ns=Namespace`
#[component]
pub fn AutomaticDashboardPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let namespace = Memo::new(move |_| query.read().get("ns").unwrap_or_default());
    let account = Memo::new(move |_| query.read().get("account"));
    let loaded = Resource::new(
        move || (region.get(), account.get(), namespace.get()),
        |(region, account, namespace)| dashboard_automatic(region, account, namespace),
    );
    view! { <Loaded loaded=loaded/> }
}

#[component]
fn Loaded(loaded: Resource<Result<LoadedDashboard, ServerFnError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading dashboard…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(dashboard) => view! { <Screen dashboard=dashboard/> }.into_any(),
                    Err(e) => view! {
                        <Title text="Dashboard"/>
                        <div class="breadcrumb"><a href="/cloudwatch/dashboards">"CloudWatch › Dashboards"</a></div>
                        <h1 data-testid="page-title">"Dashboard"</h1>
                        <div class="error" role="alert" data-testid="dashboard-error">{e.to_string()}</div>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_formatted_in_utc_or_shifted() {
        assert_eq!(format_time_at(0, 0), "1970-01-01 00:00");
        assert_eq!(format_time_at(1_764_689_100_000, 0), "2025-12-02 15:25");
        assert_eq!(format_time_at(1_764_689_100_000, 540), "2025-12-03 00:25");
        assert_eq!(format_time_at(951_782_400_000, 0), "2000-02-29 00:00");
    }
}
