//! CloudTrail event history for the console.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One row of the event history table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub event_id: String,
    pub event_time: String,
    pub event_name: String,
    pub username: String,
    pub event_source: String,
    pub read_only: bool,
    pub error_code: Option<String>,
    pub source_ip: String,
    /// The whole record, pretty-printed.
    pub record_json: String,
}

/// One page of event history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    pub rows: Vec<EventRow>,
    pub next_token: Option<String>,
}

/// Event history of one region and the caller's account, newest first; the same lookup as `LookupEvents`.
#[server(endpoint = "lookup_events")]
pub async fn lookup_events(
    region: String,
    range: String,
    attribute_key: Option<String>,
    attribute_value: Option<String>,
    next_token: Option<String>,
    account: Option<String>,
) -> Result<EventPage, ServerFnError> {
    use self::super::ssr;
    use skywatch_core::audit::{LookupQuery, lookup};
    use skywatch_core::model::TimeRange;
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    let range = TimeRange::parse(&range).unwrap_or_default();
    let now = chrono::Utc::now();
    let (start_ms, end_ms) = range.bounds_ms(now.timestamp_millis());
    let attributes = match (attribute_key, attribute_value) {
        (Some(key), Some(value)) if !key.is_empty() && !value.is_empty() => vec![(key, value)],
        _ => vec![],
    };
    let query = LookupQuery {
        attributes,
        start_time: chrono::DateTime::from_timestamp_millis(start_ms),
        end_time: chrono::DateTime::from_timestamp_millis(end_ms),
        max_results: Some(50),
        next_token: next_token.filter(|t| !t.is_empty()),
    };
    // Admins may look at any known account; everyone else sees their own.
    let account = account
        .filter(|a| caller.role().may_mutate() && services.known_accounts().contains(a))
        .unwrap_or_else(|| caller.account().to_owned());
    let parameters = serde_json::json!({
        "lookupAttributes": query
            .attributes
            .iter()
            .map(|(k, v)| serde_json::json!({"attributeKey": k, "attributeValue": v}))
            .collect::<Vec<_>>(),
        "startTime": query.start_time.map(|t| t.to_rfc3339()),
        "endTime": query.end_time.map(|t| t.to_rfc3339()),
        "maxResults": 50,
    });
    let result = lookup(&services.store, &account, &region, query).await;
    // The console's reads are recorded like the AWS console's: as the API call it makes.
    let outcome = result.as_ref().err().map(|e| ("InvalidParameterException".to_owned(), e.to_string()));
    ssr::ConsoleEvent::api_call(&caller, "cloudtrail.amazonaws.com", "LookupEvents")
        .in_region(&region)
        .parameters(parameters)
        .outcome(outcome)
        .commit()
        .await?;
    let page = result.map_err(|e| ServerFnError::new(e.to_string()))?;
    let rows = page
        .events
        .into_iter()
        .map(|event| EventRow {
            record_json: serde_json::to_string_pretty(&event).unwrap_or_default(),
            username: event.username().unwrap_or("").to_owned(),
            event_id: event.event_id,
            event_time: event.event_time,
            event_name: event.event_name,
            event_source: event.event_source,
            read_only: event.read_only,
            error_code: event.error_code,
            source_ip: event.source_ip_address,
        })
        .collect();
    Ok(EventPage { rows, next_token: page.next_token })
}
