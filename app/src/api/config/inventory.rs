//! The inventory's server side: current resources from SelectResourceConfig (every type at once, or one, ordered,
//! with each newest item's status), deleted ones from ListDiscoveredResources (per type, with
//! `includeDeletedResources`), the types from GetDiscoveredResourceCounts. The search (a substring of the id or
//! the name, which the query language's prefix-only LIKE cannot say) and the pages are the console's own, over at
//! most [`MAX_ROWS`] resources.

use leptos::prelude::*;
use serde_json::Value;
use skywatch_core::Services;
use skywatch_core::config::{
    ListDiscoveredResources, ListDiscoveredResourcesInput, SelectResourceConfig, SelectResourceConfigInput,
};
use skywatch_core::ops::Context;

use std::collections::HashMap;

use super::compliance::RESOURCE_COMPLIANCE;
use super::overview::counts;
use super::{ResourceList, ResourceRow};
use crate::api::ssr;

/// Rows a page of the inventory.
pub const PAGE_ROWS: usize = 50;
/// Resources one listing reads at most.
pub const MAX_ROWS: usize = 2_000;
/// The longest resource type a filter may name (AWS's is 196).
const MAX_TYPE_CHARS: usize = 256;
const COLUMNS: &str = "resourceType, resourceId, resourceName, configurationItemCaptureTime, configurationItemStatus";

/// What the page asks for.
pub struct Filters {
    pub resource_type: String,
    pub search: String,
    /// `COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE` or `INSUFFICIENT_DATA` (no result); anything else: all.
    pub compliance: String,
    pub deleted: bool,
    pub page: usize,
}

/// A string literal of the query language (`''` is a quote inside one).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The advanced query listing current resources of one type, or of all.
pub fn expression(resource_type: Option<&str>) -> String {
    match resource_type {
        Some(t) => format!("SELECT {COLUMNS} WHERE resourceType = {} ORDER BY resourceId", literal(t)),
        None => format!("SELECT {COLUMNS} ORDER BY resourceType, resourceId"),
    }
}

/// One row of SelectResourceConfig's results.
fn row(json: &str) -> Option<ResourceRow> {
    let value: Value = serde_json::from_str(json).ok()?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let captured = text("configurationItemCaptureTime")?;
    Some(ResourceRow {
        resource_type: text("resourceType")?,
        resource_id: text("resourceId")?,
        resource_name: text("resourceName"),
        last_change_ms: chrono::DateTime::parse_from_rfc3339(&captured).ok()?.timestamp_millis(),
        status: text("configurationItemStatus").unwrap_or_default(),
        compliance: None,
    })
}

/// The advanced query of every resource's compliance (its compliance item's `configuration.complianceType`).
pub const COMPLIANCE_EXPRESSION: &str =
    "SELECT resourceId, configuration.complianceType WHERE resourceType = 'AWS::Config::ResourceCompliance'";

/// One row of the compliance query: (`<type>/<id>`, compliance).
fn compliance_row(json: &str) -> Option<(String, String)> {
    let value: Value = serde_json::from_str(json).ok()?;
    let id = value.get("resourceId")?.as_str()?.to_owned();
    let compliance = value.get("configuration")?.get("complianceType")?.as_str()?.to_owned();
    Some((id, compliance))
}

/// Every resource's compliance by `<type>/<id>` (at most [`MAX_ROWS`]).
async fn compliance(services: &Services, ctx: &Context) -> Result<HashMap<String, String>, ServerFnError> {
    let mut found = HashMap::new();
    let mut next_token = None;
    loop {
        let input = SelectResourceConfigInput { expression: COMPLIANCE_EXPRESSION.to_owned(), limit: None, next_token };
        let page = services.invoke::<SelectResourceConfig>(ctx, input).await.map_err(ssr::failed)?;
        found.extend(page.results.iter().filter_map(|json| compliance_row(json)));
        next_token = page.next_token;
        if next_token.is_none() || found.len() >= MAX_ROWS {
            return Ok(found);
        }
    }
}

async fn current(
    services: &Services,
    ctx: &Context,
    resource_type: Option<&str>,
) -> Result<(Vec<ResourceRow>, bool), ServerFnError> {
    let expression = expression(resource_type);
    let mut rows = Vec::new();
    let mut next_token = None;
    loop {
        let input = SelectResourceConfigInput { expression: expression.clone(), limit: None, next_token };
        let page = services.invoke::<SelectResourceConfig>(ctx, input).await.map_err(ssr::failed)?;
        rows.extend(page.results.iter().filter_map(|json| row(json)));
        next_token = page.next_token;
        if next_token.is_none() {
            return Ok((rows, false));
        }
        if rows.len() >= MAX_ROWS {
            return Ok((rows, true));
        }
    }
}

async fn deleted(
    services: &Services,
    ctx: &Context,
    types: &[String],
    room: usize,
) -> Result<(Vec<ResourceRow>, bool), ServerFnError> {
    let mut rows = Vec::new();
    for resource_type in types {
        let mut next_token = None;
        loop {
            if rows.len() >= room {
                return Ok((rows, true));
            }
            let input = ListDiscoveredResourcesInput {
                resource_type: resource_type.clone(),
                include_deleted_resources: true,
                next_token,
                ..Default::default()
            };
            let page = services.invoke::<ListDiscoveredResources>(ctx, input).await.map_err(ssr::failed)?;
            rows.extend(page.resources.into_iter().filter(|r| r.deleted_ms.is_some()).map(|r| ResourceRow {
                resource_type: r.resource_type,
                resource_id: r.resource_id,
                resource_name: r.resource_name,
                last_change_ms: r.last_capture_ms,
                status: "ResourceDeleted".to_owned(),
                compliance: None,
            }));
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
    }
    Ok((rows, false))
}

/// Whether a row has the compliance asked for (`INSUFFICIENT_DATA`: none recorded); any when none is.
pub fn compliance_matches(row: &ResourceRow, compliance: &str) -> bool {
    match compliance {
        "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" => row.compliance.as_deref() == Some(compliance),
        "INSUFFICIENT_DATA" => row.compliance.as_deref().is_none_or(|c| c == "INSUFFICIENT_DATA"),
        _ => true,
    }
}

/// Whether a row matches the search: a case-insensitive substring of its id or name.
pub fn matches(row: &ResourceRow, search: &str) -> bool {
    let search = search.trim().to_lowercase();
    search.is_empty()
        || row.resource_id.to_lowercase().contains(&search)
        || row.resource_name.as_deref().is_some_and(|n| n.to_lowercase().contains(&search))
}

pub async fn resources(
    region: String,
    account: Option<String>,
    filters: Filters,
) -> Result<ResourceList, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let chosen = filters.resource_type.trim();
    if chosen.chars().count() > MAX_TYPE_CHARS {
        ssr::set_status(axum::http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new("ValidationException: the resource type is too long."));
    }
    let (_, counts) = counts(&services, &ctx).await?;
    let mut types = counts;
    types.sort_by(|a, b| a.0.cmp(&b.0));
    let chosen = (!chosen.is_empty()).then_some(chosen);
    let (mut rows, mut capped) = current(&services, &ctx, chosen).await?;
    if filters.deleted {
        let listed: Vec<String> = match chosen {
            Some(t) => vec![t.to_owned()],
            None => types.iter().map(|(t, _)| t.clone()).collect(),
        };
        let (gone, more) = deleted(&services, &ctx, &listed, MAX_ROWS.saturating_sub(rows.len())).await?;
        capped |= more;
        rows.extend(gone);
        rows.sort_by(|a, b| a.resource_type.cmp(&b.resource_type).then_with(|| a.resource_id.cmp(&b.resource_id)));
    }
    // Compliance items are resources of their own, listed only when their type is chosen.
    if chosen != Some(RESOURCE_COMPLIANCE) {
        rows.retain(|row| row.resource_type != RESOURCE_COMPLIANCE);
        let known = compliance(&services, &ctx).await?;
        for row in &mut rows {
            row.compliance = known.get(&format!("{}/{}", row.resource_type, row.resource_id)).cloned();
        }
    }
    rows.retain(|row| matches(row, &filters.search) && compliance_matches(row, &filters.compliance));
    let matched = rows.len();
    let (rows, page, pages) = page_of(rows, filters.page);
    Ok(ResourceList { types, rows, matched, page, pages, capped })
}

/// Page `page` (1-based, clamped to the pages there are) of `rows`, with the page shown and the pages in all.
pub fn page_of<T>(rows: Vec<T>, page: usize) -> (Vec<T>, usize, usize) {
    let pages = rows.len().div_ceil(PAGE_ROWS).max(1);
    let page = page.clamp(1, pages);
    (rows.into_iter().skip((page - 1) * PAGE_ROWS).take(PAGE_ROWS).collect(), page, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_quoted_in_the_query() {
        assert_eq!(
            expression(Some("AWS::EC2::SecurityGroup")),
            format!("SELECT {COLUMNS} WHERE resourceType = 'AWS::EC2::SecurityGroup' ORDER BY resourceId")
        );
        assert!(expression(Some("x' OR 'a'='a")).contains("'x'' OR ''a''=''a'"));
        assert!(!expression(None).contains("WHERE"));
    }

    #[test]
    fn rows_are_read_from_results() {
        let json = r#"{"resourceType":"AWS::EC2::SecurityGroup","resourceId":"sg-1","resourceName":"web","configurationItemCaptureTime":"2026-01-02T03:04:05.678Z","configurationItemStatus":"OK"}"#;
        let row = row(json).expect("a row");
        assert_eq!(row.resource_name.as_deref(), Some("web"));
        assert_eq!(row.last_change_ms, 1_767_323_045_678);
        assert_eq!(row.status, "OK");
        assert!(super::row(r#"{"resourceId":"x"}"#).is_none());
        assert!(super::row("not json").is_none());
    }

    #[test]
    fn pages_are_clamped() {
        let rows: Vec<usize> = (0..(2 * PAGE_ROWS + 3)).collect();
        let (shown, page, pages) = page_of(rows.clone(), 2);
        assert_eq!((shown.first(), shown.len(), page, pages), (Some(&PAGE_ROWS), PAGE_ROWS, 2, 3));
        let (shown, page, _) = page_of(rows.clone(), usize::MAX);
        assert_eq!((shown.len(), page), (3, 3));
        assert_eq!(page_of(rows, 0).1, 1);
        assert_eq!(page_of(Vec::<usize>::new(), 5), (Vec::new(), 1, 1));
    }

    #[test]
    fn search_looks_at_ids_and_names() {
        let row = ResourceRow {
            resource_type: "T".into(),
            resource_id: "sg-0ABC".into(),
            resource_name: Some("Web servers".into()),
            last_change_ms: 0,
            status: "OK".into(),
            compliance: Some("NON_COMPLIANT".into()),
        };
        assert!(compliance_matches(&row, "NON_COMPLIANT") && compliance_matches(&row, ""));
        assert!(!compliance_matches(&row, "COMPLIANT") && !compliance_matches(&row, "INSUFFICIENT_DATA"));
        let row2 = ResourceRow { compliance: None, ..row.clone() };
        assert!(compliance_matches(&row2, "INSUFFICIENT_DATA"));
        assert_eq!(
            compliance_row(
                r#"{"resourceId":"AWS::EC2::SecurityGroup/sg-1","configuration":{"complianceType":"COMPLIANT"}}"#
            ),
            Some(("AWS::EC2::SecurityGroup/sg-1".to_owned(), "COMPLIANT".to_owned()))
        );
        for (search, hit) in
            [("", true), ("abc", true), ("WEB", true), ("servers", true), ("db", false), ("  sg-0  ", true)]
        {
            assert_eq!(matches(&row, search), hit, "{search}");
        }
    }
}
