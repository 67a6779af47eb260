//! The time range picker: relative choices as links, so the range lives in the URL and works without scripts.
//! A link keeps the page's own state (filters, graphed metrics) but not a page cursor (`token`), which belongs to
//! the old range. Dashboards show their own picker instead; AWS Config's pages show current state, and a
//! resource's timeline has its own window, so they show none.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use skywatch_model::time_range::RELATIVE_CHOICES;

use super::query::{href_keeping, use_time_range};

/// Where pages without the console's time range live: a dashboard (saved or automatic, with a picker of its
/// own), and AWS Config's pages.
const OWN_TIME_PAGES: [&str; 2] = ["/cloudwatch/dashboards/", "/config/"];
/// Pages without a time range, by their exact path.
const TIMELESS_PAGES: [&str; 2] = ["/cloudwatch/logs", "/cloudwatch/logs/group"];

#[component]
pub fn TimeRangePicker() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let current = use_time_range();
    // A dashboard has its own picker (presets, absolute ranges, time zone, refresh) over the same `range`.
    let page_has_own = move || {
        location
            .pathname
            .with(|path| OWN_TIME_PAGES.iter().any(|p| path.starts_with(p)) || TIMELESS_PAGES.contains(&path.as_str()))
    };
    view! {
        <Show when=move || !page_has_own()>
        <div class="segmented" role="group" aria-label="Time range" data-testid="time-range">
            {RELATIVE_CHOICES
                .iter()
                .map(|(label, _)| {
                    let label = *label;
                    let link = move || href_keeping(&location.pathname.get(), &query.read(), &[("range", label)], &["token"]);
                    let active = move || current.get().to_query_value() == label;
                    view! {
                        <a
                            href=link
                            class:active=active
                            aria-current=move || if active() { "true" } else { "false" }
                            data-testid=format!("range-{label}")
                        >
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </div>
        </Show>
    }
}
