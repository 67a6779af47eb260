//! The time range picker: relative choices as links, so the range lives in the URL and works without scripts.
//! A link keeps the page's own state (filters, graphed metrics) but not a page cursor (`token`), which belongs to
//! the old range.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use skywatch_model::time_range::RELATIVE_CHOICES;

use super::query::{href_keeping, use_time_range};

#[component]
pub fn TimeRangePicker() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let current = use_time_range();
    view! {
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
    }
}
