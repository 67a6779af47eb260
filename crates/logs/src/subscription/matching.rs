//! Which events of a batch each subscription filter delivers: one queued delivery per filter that matched any,
//! carrying the matching events with the ids FilterLogEvents gives them.

use super::SubscriptionFilter;
use super::deliver::data_payload;
use super::payload::PayloadEvent;
use super::storage::Delivery;
use crate::block::Event;
use crate::read::EventKey;

/// Where a batch was stored: its account, region, group and stream, and the id of its block.
#[derive(Debug, Clone, Copy)]
pub struct BatchPlace<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub group: &'a str,
    pub stream: &'a str,
    pub block_id: u64,
}

/// The deliveries of `events` (the batch's block, in order) for `filters`; `next_id` numbers them. A filter whose
/// pattern no longer parses delivers nothing.
pub fn plan_deliveries(
    filters: &[SubscriptionFilter],
    place: BatchPlace<'_>,
    events: &[Event],
    now_ms: i64,
    mut next_id: impl FnMut() -> u64,
) -> Vec<Delivery> {
    let mut out = Vec::new();
    for filter in filters {
        let Ok(pattern) = crate::ops::parse_pattern(&filter.filter_pattern) else { continue };
        let everything = pattern.matches_everything();
        let matched: Vec<PayloadEvent> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| everything || pattern.matches(&e.message))
            .map(|(index, e)| PayloadEvent {
                id: EventKey {
                    timestamp_ms: e.timestamp_ms,
                    block_id: place.block_id,
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                }
                .event_id(),
                timestamp: e.timestamp_ms,
                message: e.message.clone(),
            })
            .collect();
        if matched.is_empty() {
            continue;
        }
        out.push(Delivery {
            id: next_id(),
            account: place.account.to_owned(),
            region: place.region.to_owned(),
            log_group: place.group.to_owned(),
            filter_name: filter.filter_name.clone(),
            destination_arn: filter.destination_arn.clone(),
            payload: data_payload(place.account, place.group, place.stream, &filter.filter_name, matched),
            attempts: 0,
            created_ms: now_ms,
            due_ms: now_ms,
            last_error: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(name: &str, pattern: &str) -> SubscriptionFilter {
        SubscriptionFilter {
            filter_name: name.into(),
            log_group_name: "/g".into(),
            filter_pattern: pattern.into(),
            destination_arn: "https://example.test/".into(),
            role_arn: None,
            distribution: "ByLogStream".into(),
            apply_on_transformed_logs: false,
            creation_time: 0,
        }
    }

    #[test]
    fn each_filter_delivers_the_events_it_matches() {
        let events: Vec<Event> = ["INFO ok", "ERROR boom", "{\"status\": 503}", "ERROR again"]
            .iter()
            .enumerate()
            .map(|(i, m)| Event { timestamp_ms: 1_000 + i as i64, ingestion_ms: 9, message: (*m).into() })
            .collect();
        let place = BatchPlace { account: "123456789012", region: "us-east-1", group: "/g", stream: "s", block_id: 7 };
        let filters = [
            filter("errors", "ERROR"),
            filter("all", ""),
            filter("5xx", "{ $.status >= 500 }"),
            filter("none", "NOPE"),
        ];
        let mut id = 0;
        let planned = plan_deliveries(&filters, place, &events, 5, || {
            id += 1;
            id
        });
        let got: Vec<(&str, Vec<&str>)> = planned
            .iter()
            .map(|d| {
                (d.filter_name.as_str(), d.payload.log_events.iter().map(|e| e.message.as_str()).collect::<Vec<_>>())
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("errors", vec!["ERROR boom", "ERROR again"]),
                ("all", vec!["INFO ok", "ERROR boom", "{\"status\": 503}", "ERROR again"]),
                ("5xx", vec!["{\"status\": 503}"]),
            ]
        );
        let errors = &planned[0];
        assert_eq!(errors.payload.subscription_filters, vec!["errors".to_owned()]);
        assert_eq!((errors.payload.owner.as_str(), errors.payload.log_stream.as_str()), ("123456789012", "s"));
        // Ids are FilterLogEvents' ids of the same events.
        let key = EventKey { timestamp_ms: 1_001, block_id: 7, index: 1 };
        assert_eq!(errors.payload.log_events[0].id, key.event_id());
        assert_eq!(planned.iter().map(|d| d.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    }
}
