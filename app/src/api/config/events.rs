//! The CloudTrail events behind configuration changes: each related event id of an item is looked up with
//! LookupEvents (lookup attribute `EventId`) over a short window ending just after the item's capture — the call
//! commits its record before the recorder's next pass captures the change — so a lookup reads minutes of event
//! history, not 90 days. At most [`MAX_LOOKUPS`] a page; the rest are shown by id, linked to the event history.

use std::collections::HashMap;

use skywatch_core::Services;
use skywatch_core::audit::{LookupAttribute, LookupEvents, LookupQuery};
use skywatch_core::ops::Context;

use super::{EventFacts, RelatedEvent};

/// Event lookups one page makes at most.
pub const MAX_LOOKUPS: usize = 40;
/// How long before an item's capture its events are looked for (the recorder passes every second or sooner;
/// a server stopped between a call and the pass delays its capture).
const BEFORE_CAPTURE_MS: i64 = 15 * 60_000;
/// And after it (CloudTrail times are whole seconds).
const AFTER_CAPTURE_MS: i64 = 2_000;

/// Looks up events by id, remembering what it found and how many lookups are left.
pub struct EventLookup<'a> {
    services: &'a Services,
    ctx: &'a Context,
    found: HashMap<String, Option<EventFacts>>,
    left: usize,
}

impl<'a> EventLookup<'a> {
    pub fn new(services: &'a Services, ctx: &'a Context) -> Self {
        Self { services, ctx, found: HashMap::new(), left: MAX_LOOKUPS }
    }

    /// The related events of an item captured at `capture_ms`.
    pub async fn related(&mut self, ids: &[String], capture_ms: i64) -> Vec<RelatedEvent> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids.iter().filter(|id| !id.is_empty()) {
            if let Some(known) = self.found.get(id) {
                out.push(RelatedEvent { event_id: id.clone(), event: known.clone(), looked_up: true });
                continue;
            }
            if self.left == 0 {
                out.push(RelatedEvent { event_id: id.clone(), event: None, looked_up: false });
                continue;
            }
            self.left -= 1;
            let event = self.one(id, capture_ms).await;
            self.found.insert(id.clone(), event.clone());
            out.push(RelatedEvent { event_id: id.clone(), event, looked_up: true });
        }
        out
    }

    async fn one(&self, id: &str, capture_ms: i64) -> Option<EventFacts> {
        let query = LookupQuery {
            attributes: vec![LookupAttribute { attribute_key: "EventId".into(), attribute_value: id.to_owned() }],
            start_time: chrono::DateTime::from_timestamp_millis(capture_ms.saturating_sub(BEFORE_CAPTURE_MS)),
            end_time: chrono::DateTime::from_timestamp_millis(capture_ms.saturating_add(AFTER_CAPTURE_MS)),
            max_results: Some(1),
            next_token: None,
        };
        let page = match self.services.invoke::<LookupEvents>(self.ctx, query).await {
            Ok(page) => page,
            Err(failure) => {
                // One event the history cannot give is shown by its id; it does not fail the resource's page.
                tracing::warn!(event_id = id, %failure, "a related event could not be looked up");
                return None;
            }
        };
        let event = page.events.into_iter().find(|e| e.event_id == id)?;
        Some(EventFacts {
            user: event.username().unwrap_or_default().to_owned(),
            time_ms: chrono::DateTime::parse_from_rfc3339(&event.event_time)
                .map_or(capture_ms, |t| t.timestamp_millis()),
            name: event.event_name,
            source: event.event_source,
            time: event.event_time,
            source_ip: event.source_ip_address,
            error_code: event.error_code,
        })
    }
}
