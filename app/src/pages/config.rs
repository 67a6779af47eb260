//! AWS Config: the dashboard (the recorder, the delivery channel, resource counts), the resource inventory, and a
//! resource's page (its state, relationships, configuration timeline and the changes with their diffs and the
//! CloudTrail events that caused them). Shared here: links to those pages, times and the item status badge.

mod changes;
pub mod dashboard;
pub mod resource;
pub mod resources;
pub mod rule;
pub mod rules;
mod timeline;

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::components::query::href;

pub const DASHBOARD_PATH: &str = "/config/dashboard";
pub const INVENTORY_PATH: &str = "/config/resources";
pub const RESOURCE_PATH: &str = "/config/resources/resource";
pub const RULES_PATH: &str = "/config/rules";
pub const RULE_PATH: &str = "/config/rules/rule";

/// A rule's page (the name stays a query value like the resource's id).
pub fn rule_href(name: &str, query: &ParamsMap) -> String {
    href(RULE_PATH, query, &[("name", name)])
}

/// The CSS modifier of a compliance type.
pub fn compliance_class(compliance: &str) -> &'static str {
    match compliance {
        "COMPLIANT" => "ok",
        "NON_COMPLIANT" => "deleted",
        _ => "other",
    }
}

/// A compliance type in words.
pub fn compliance_words(compliance: &str) -> &'static str {
    match compliance {
        "COMPLIANT" => "Compliant",
        "NON_COMPLIANT" => "Noncompliant",
        "NOT_APPLICABLE" => "Not applicable",
        _ => "No results",
    }
}

/// A compliance type as a badge (with the non-compliant count when given).
#[component]
pub fn ComplianceBadge(compliance: String, #[prop(optional)] count: Option<usize>) -> impl IntoView {
    let class = format!("cfg-status cfg-status-{}", compliance_class(&compliance));
    let words = match count {
        Some(n) if compliance == "NON_COMPLIANT" => format!("{} ({n})", compliance_words(&compliance)),
        _ => compliance_words(&compliance).to_owned(),
    };
    view! { <span class=class data-testid="compliance" data-compliance=compliance>{words}</span> }
}

/// A resource's page; type and id stay query values, since ids may be ARNs with `:` and `/`.
pub fn resource_href(resource_type: &str, resource_id: &str, query: &ParamsMap) -> String {
    href(RESOURCE_PATH, query, &[("type", resource_type), ("id", resource_id)])
}

/// The inventory filtered to one type (all types when empty).
pub fn inventory_href(resource_type: &str, query: &ParamsMap) -> String {
    href(INVENTORY_PATH, query, &[("type", resource_type)])
}

/// Epoch milliseconds as `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn time_utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
}

/// An optional time, or a dash.
pub fn maybe_time(ms: Option<i64>) -> String {
    ms.map(time_utc).unwrap_or_else(|| "–".to_owned())
}

/// The CSS modifier of a `configurationItemStatus`.
pub fn status_class(status: &str) -> &'static str {
    match status {
        "OK" => "ok",
        "ResourceDiscovered" => "discovered",
        "ResourceDeleted" | "ResourceDeletedNotRecorded" => "deleted",
        _ => "other",
    }
}

/// A `configurationItemStatus` as a badge.
#[component]
pub fn StatusBadge(status: String) -> impl IntoView {
    let class = format!("cfg-status cfg-status-{}", status_class(&status));
    let attribute = status.clone();
    view! { <span class=class data-testid="item-status" data-status=attribute>{status}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_classes() {
        assert_eq!(time_utc(1_767_323_045_678), "2026-01-02 03:04:05");
        assert_eq!(maybe_time(None), "–");
        assert_eq!(status_class("ResourceDeleted"), "deleted");
        assert_eq!(status_class("ResourceNotRecorded"), "other");
    }
}
