//! A resource's page, server side: every page of GetResourceConfigHistory (newest first, at most [`MAX_ITEMS`]
//! items), the timeline's window, the changes listed from it (each with its diff against the item before and its
//! CloudTrail events), and the resource's newest state.

use leptos::prelude::*;
use skywatch_core::config::model::Item;
use skywatch_core::config::{GetResourceConfigHistory, GetResourceConfigHistoryInput};

use super::changes::{describe, display};
use super::compliance;
use super::events::EventLookup;
use super::{ChangeView, ComplianceChangeView, Marker, RelationshipView, ResourceDetail};
use crate::api::ssr;

/// Items of one resource the page reads at most (10 pages of 100).
pub const MAX_ITEMS: usize = 1_000;
/// Compliance changes listed at once.
const MAX_COMPLIANCE_LISTED: usize = 50;
/// Changes listed at once.
pub const LIST_CHANGES: usize = 20;
/// The narrowest window the timeline shows, and the least it shows of a short history.
pub const MIN_WINDOW_MS: i64 = 1_000;
const MIN_EXTENT_MS: i64 = 60_000;
/// Window bounds further from the epoch than this are refused (the console's time range's bound), so nothing
/// computed from them overflows.
const MAX_ABS_MS: u64 = 100_000_000_000_000;
const MAX_ID_CHARS: usize = 1_024;
const MAX_TYPE_CHARS: usize = 256;

/// What the page asks for.
pub struct Request {
    pub resource_type: String,
    pub resource_id: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub at: Option<i64>,
}

/// The whole history's span, from its first item to now, padded a little on both sides (and at least
/// [`MIN_EXTENT_MS`] long), so the markers at the ends are not cut by the frame.
pub fn extent(first_ms: i64, now_ms: i64) -> (i64, i64) {
    let end = now_ms.max(first_ms);
    let span = (end - first_ms).max(MIN_EXTENT_MS);
    (end - span - span / 25, end + span / 50)
}

/// The window the timeline shows: the URL's `from`..`to` when it is a range at least [`MIN_WINDOW_MS`] long
/// within [`MAX_ABS_MS`] of the epoch, else the whole extent.
pub fn window(from: Option<i64>, to: Option<i64>, extent: (i64, i64)) -> (i64, i64) {
    match (from, to) {
        (Some(from), Some(to))
            if from.unsigned_abs() < MAX_ABS_MS && to.unsigned_abs() < MAX_ABS_MS && to - from >= MIN_WINDOW_MS =>
        {
            (from, to)
        }
        _ => extent,
    }
}

/// The indexes (into items oldest first) of the changes listed: the newest in the window at or before `at`,
/// newest first, at most [`LIST_CHANGES`]; with the capture times of the next older one in the window and of the
/// start of the newer page.
pub fn listed(captures: &[i64], window: (i64, i64), at: Option<i64>) -> (Vec<usize>, usize, Option<i64>, Option<i64>) {
    let inside: Vec<usize> =
        (0..captures.len()).rev().filter(|&i| (window.0..=window.1).contains(&captures[i])).collect();
    let start = at.map_or(0, |at| inside.iter().position(|&i| captures[i] <= at).unwrap_or(inside.len()));
    let shown: Vec<usize> = inside.iter().skip(start).take(LIST_CHANGES).copied().collect();
    let older = inside.get(start + shown.len()).map(|&i| captures[i]);
    let newer = (start > 0).then(|| inside[start.saturating_sub(LIST_CHANGES)]).map(|i| captures[i]);
    (shown, inside.len(), older, newer)
}

async fn history(
    services: &skywatch_core::Services,
    ctx: &skywatch_core::ops::Context,
    resource_type: &str,
    resource_id: &str,
) -> Result<(Vec<Item>, bool), ServerFnError> {
    let mut items = Vec::new();
    let mut next_token = None;
    loop {
        let input = GetResourceConfigHistoryInput {
            resource_type: resource_type.to_owned(),
            resource_id: resource_id.to_owned(),
            chronological_order: Some("Reverse".into()),
            limit: Some(100),
            next_token,
            ..Default::default()
        };
        let page = services.invoke::<GetResourceConfigHistory>(ctx, input).await.map_err(ssr::failed)?;
        items.extend(page.items);
        next_token = page.next_token;
        if next_token.is_none() {
            items.reverse();
            return Ok((items, false));
        }
        if items.len() >= MAX_ITEMS {
            items.reverse();
            return Ok((items, true));
        }
    }
}

fn relationships(item: &Item) -> Vec<RelationshipView> {
    item.relationships
        .iter()
        .map(|r| RelationshipView {
            name: r.relationship_name.clone(),
            resource_type: r.resource_type.clone(),
            resource_id: r.resource_id.clone(),
            resource_name: r.resource_name.clone(),
        })
        .collect()
}

pub async fn resource(
    region: String,
    account: Option<String>,
    request: Request,
) -> Result<ResourceDetail, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let (resource_type, resource_id) = (request.resource_type.trim(), request.resource_id.as_str());
    if resource_type.is_empty()
        || resource_id.is_empty()
        || resource_type.chars().count() > MAX_TYPE_CHARS
        || resource_id.chars().count() > MAX_ID_CHARS
    {
        ssr::set_status(axum::http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new("ValidationException: name a resource type and a resource id."));
    }
    let (items, history_capped) = history(&services, &ctx, resource_type, resource_id).await?;
    let (Some(first), Some(newest)) = (items.first(), items.last()) else {
        ssr::set_status(axum::http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new(format!(
            "ResourceNotDiscoveredException: no configuration items of {resource_type} {resource_id}."
        )));
    };
    let extent = extent(first.capture_ms, ctx.now_ms);
    let window = window(request.from, request.to, extent);
    let captures: Vec<i64> = items.iter().map(|i| i.capture_ms).collect();
    let (shown, in_window, older, newer) = listed(&captures, window, request.at);
    let mut lookup = EventLookup::new(&services, &ctx);
    let mut changes = Vec::with_capacity(shown.len());
    for index in shown {
        let item = &items[index];
        let previous = index.checked_sub(1).and_then(|p| items.get(p));
        let (kind, lines, more_lines, snapshot) = describe(item, previous, history_capped);
        let events = lookup.related(&item.related_events, item.capture_ms).await;
        changes.push(ChangeView {
            capture_ms: item.capture_ms,
            status: item.status.as_str().to_owned(),
            kind,
            lines,
            more_lines,
            snapshot,
            events,
        });
    }
    // Compliance: the rules' current results, and the history of the resource's compliance items (none for a
    // compliance item itself).
    let (rule_results, compliance_markers, compliance_changes) = if resource_type == compliance::RESOURCE_COMPLIANCE {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        let results = compliance::rule_results(&services, &ctx, resource_type, resource_id).await?;
        let compliance_items = compliance::items(&services, &ctx, resource_type, resource_id).await?;
        let (markers, changes) = compliance::changes(&compliance_items);
        // The compliance changes between the listed changes: after the next older item, up to `at` (or the window's
        // end), so that each page shows its own.
        let low = older.map_or(window.0, |o| o + 1);
        let high = request.at.unwrap_or(window.1).min(window.1);
        let listed: Vec<ComplianceChangeView> = changes
            .into_iter()
            .rev()
            .filter(|c| (low..=high).contains(&c.time_ms))
            .take(MAX_COMPLIANCE_LISTED)
            .collect();
        (results, markers, listed)
    };
    let known = items.iter().rev().find(|i| i.configuration.is_some()).unwrap_or(newest);
    Ok(ResourceDetail {
        resource_type: newest.resource_type.clone(),
        resource_id: newest.resource_id.clone(),
        resource_name: known.resource_name.clone(),
        arn: known.arn.clone(),
        availability_zone: known.availability_zone.clone(),
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        created_ms: known.resource_creation_ms,
        status: newest.status.as_str().to_owned(),
        tags: known.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        relationships: relationships(known),
        configuration: known.configuration.as_ref().map(display),
        supplementary: (!known.supplementary.is_empty())
            .then(|| serde_json::to_string_pretty(&known.supplementary).unwrap_or_default()),
        markers: items
            .iter()
            .map(|i| Marker { capture_ms: i.capture_ms, status: i.status.as_str().to_owned() })
            .collect(),
        history_capped,
        window,
        extent,
        in_window,
        changes,
        older,
        newer,
        rule_results,
        compliance_markers,
        compliance_changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extent_pads_a_short_history() {
        let (start, end) = extent(1_000_000, 1_000_000);
        assert!(end - start >= MIN_EXTENT_MS);
        assert!(start < 1_000_000 && end >= 1_000_000);
        let (start, end) = extent(0, 100_000_000);
        assert!(start < 0 && end > 100_000_000);
    }

    #[test]
    fn the_window_comes_from_the_url_when_sane() {
        let extent = (0, 10_000_000);
        assert_eq!(window(None, None, extent), extent);
        assert_eq!(window(Some(100), Some(100 + MIN_WINDOW_MS), extent), (100, 100 + MIN_WINDOW_MS));
        assert_eq!(window(Some(100), Some(200), extent), extent, "too narrow");
        assert_eq!(window(Some(500), Some(100), extent), extent, "backwards");
        assert_eq!(window(Some(i64::MIN), Some(i64::MAX), extent), extent, "overflowing");
        assert_eq!(window(Some(5), None, extent), extent);
    }

    #[test]
    fn changes_are_listed_newest_first_in_pages() {
        let captures: Vec<i64> = (1..=50).map(|i| i * 10).collect();
        let (shown, inside, older, newer) = listed(&captures, (0, 1_000), None);
        assert_eq!(inside, 50);
        assert_eq!(shown.len(), LIST_CHANGES);
        assert_eq!(shown[0], 49);
        assert_eq!(older, Some(captures[49 - LIST_CHANGES]));
        assert_eq!(newer, None);
        // The next page starts at `older`, and leads back to the first.
        let (shown, _, _, newer) = listed(&captures, (0, 1_000), older);
        assert_eq!(shown[0], 49 - LIST_CHANGES);
        assert_eq!(newer, Some(500));
        // A window keeps only its own changes.
        let (shown, inside, older, _) = listed(&captures, (95, 205), None);
        assert_eq!((shown, inside, older), ((9..=19).rev().collect::<Vec<_>>(), 11, None));
        // `at` past every change lists nothing.
        assert_eq!(listed(&captures, (0, 1_000), Some(1)).0, Vec::<usize>::new());
    }
}
