//! The event viewer's server side: GetLogEvents for one stream without a filter pattern (the newest page of the
//! range first, as the console tails a stream; the backward and forward tokens page older and newer), otherwise
//! FilterLogEvents (the whole group, or the stream by `logStreamNames`, with the pattern; pages run forward from
//! the start of the range). When a range has no events at all, DescribeLogStreams says when the newest event
//! was, so the page can offer to jump there.

use leptos::prelude::*;
use skywatch_core::Services;
use skywatch_core::logs::ops::{
    DescribeLogStreams, DescribeLogStreamsInput, FilterLogEvents, FilterLogEventsInput, GetLogEvents, GetLogEventsInput,
};
use skywatch_core::model::TimeRange;
use skywatch_core::ops::Context;

use super::{EVENTS_PAGE, EventQuery, LogEventPage, LogEventView};
use crate::api::ssr;

pub async fn page(region: String, account: Option<String>, query: EventQuery) -> Result<LogEventPage, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let range = TimeRange::parse(&query.range).unwrap_or_default();
    let (start_ms, end_ms) = range.bounds_ms(ctx.now_ms);
    let (start_ms, end_ms) = (start_ms.max(0), end_ms.max(1));
    // Sent as typed: the first character chooses the pattern's form, as AWS reads it.
    let filter = if query.filter.trim().is_empty() { String::new() } else { query.filter.clone() };
    let token = query.token.filter(|t| !t.is_empty());
    let first_page = token.is_none();
    let stream = query.stream.filter(|s| !s.is_empty());
    let mut page = match (&stream, filter.is_empty()) {
        (Some(stream), true) => {
            let input = GetLogEventsInput {
                log_group_name: Some(query.group.clone()),
                log_stream_name: stream.clone(),
                start_time: Some(start_ms),
                end_time: Some(end_ms),
                next_token: token,
                limit: Some(EVENTS_PAGE),
                start_from_head: Some(false),
                ..Default::default()
            };
            let output = services.invoke::<GetLogEvents>(&ctx, input).await.map_err(ssr::failed)?;
            LogEventPage {
                events: output
                    .events
                    .into_iter()
                    .map(|e| LogEventView {
                        stream: None,
                        timestamp_ms: e.timestamp_ms,
                        ingestion_ms: e.ingestion_ms,
                        message: e.message,
                    })
                    .collect(),
                filtered: false,
                older_token: Some(output.next_backward_token),
                newer_token: Some(output.next_forward_token),
                start_ms,
                end_ms,
                searched_streams: 1,
                latest_event_ms: None,
            }
        }
        _ => {
            let input = FilterLogEventsInput {
                log_group_name: Some(query.group.clone()),
                log_stream_names: stream.iter().cloned().collect(),
                start_time: Some(start_ms),
                // FilterLogEvents' end is inclusive, the range's is not.
                end_time: Some(end_ms - 1),
                filter_pattern: (!filter.is_empty()).then(|| filter.clone()),
                next_token: token,
                limit: Some(EVENTS_PAGE),
                ..Default::default()
            };
            let output = services.invoke::<FilterLogEvents>(&ctx, input).await.map_err(ssr::failed)?;
            LogEventPage {
                events: output
                    .events
                    .into_iter()
                    .map(|e| LogEventView {
                        stream: Some(e.stream),
                        timestamp_ms: e.timestamp_ms,
                        ingestion_ms: e.ingestion_ms,
                        message: e.message,
                    })
                    .collect(),
                filtered: true,
                older_token: None,
                newer_token: output.next_token,
                start_ms,
                end_ms,
                searched_streams: output.searched.len(),
                latest_event_ms: None,
            }
        }
    };
    // An empty range (not just a page the scan budget cut short): where the newest event is.
    let nothing = page.events.is_empty() && (!page.filtered || page.newer_token.is_none());
    if first_page && nothing && filter.is_empty() {
        page.latest_event_ms = latest_event(&services, &ctx, &query.group, stream.as_deref()).await?;
    }
    Ok(page)
}

/// The newest event's time of `stream`, or of the group's streams.
async fn latest_event(
    services: &Services,
    ctx: &Context,
    group: &str,
    stream: Option<&str>,
) -> Result<Option<i64>, ServerFnError> {
    let input = match stream {
        Some(stream) => DescribeLogStreamsInput {
            log_group_name: Some(group.to_owned()),
            log_stream_name_prefix: Some(stream.to_owned()),
            limit: Some(1),
            ..Default::default()
        },
        None => DescribeLogStreamsInput {
            log_group_name: Some(group.to_owned()),
            order_by: Some("LastEventTime".to_owned()),
            descending: Some(true),
            limit: Some(1),
            ..Default::default()
        },
    };
    let output = services.invoke::<DescribeLogStreams>(ctx, input).await.map_err(ssr::failed)?;
    Ok(output
        .streams
        .into_iter()
        .find(|row| stream.is_none_or(|s| row.stream.name == s))
        .and_then(|row| row.stream.last_event_ms))
}
