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

/// Event history of one region and the page's account, newest first: the `LookupEvents` operation.
#[server(endpoint = "lookup_events", input = leptos::server_fn::codec::Json)]
pub async fn lookup_events(
    region: String,
    range: String,
    attribute_key: Option<String>,
    attribute_value: Option<String>,
    next_token: Option<String>,
    account: Option<String>,
) -> Result<EventPage, ServerFnError> {
    use self::super::ssr;
    use skywatch_core::audit::{LookupAttribute, LookupEvents, LookupQuery};
    use skywatch_core::model::TimeRange;
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let range = TimeRange::parse(&range).unwrap_or_default();
    let (start_ms, end_ms) = range.bounds_ms(ctx.now_ms);
    let attributes = match (attribute_key, attribute_value) {
        (Some(key), Some(value)) if !key.is_empty() && !value.is_empty() => {
            vec![LookupAttribute { attribute_key: key, attribute_value: value }]
        }
        _ => vec![],
    };
    let query = LookupQuery {
        attributes,
        start_time: chrono::DateTime::from_timestamp_millis(start_ms),
        end_time: chrono::DateTime::from_timestamp_millis(end_ms),
        max_results: Some(50),
        next_token: next_token.filter(|t| !t.is_empty()),
    };
    let page = services.invoke::<LookupEvents>(&ctx, query).await.map_err(ssr::failed)?;
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
