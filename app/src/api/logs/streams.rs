//! A group's streams on the server side: DescribeLogStreams for the table, CreateLogStream and DeleteLogStream.

use leptos::prelude::*;
use skywatch_core::logs::ops::{
    CreateLogStream, DeleteLogStream, DescribeLogStreams, DescribeLogStreamsInput, StreamInput, StreamRow,
};

use super::{LogStreamList, LogStreamView, StreamQuery};
use crate::api::ssr;

pub fn view(row: StreamRow) -> LogStreamView {
    let StreamRow { stream, arn } = row;
    LogStreamView {
        name: stream.name,
        arn,
        created_ms: stream.created_ms,
        first_event_ms: stream.first_event_ms,
        last_event_ms: stream.last_event_ms,
        last_ingestion_ms: stream.last_ingestion_ms,
    }
}

pub async fn list(region: String, account: Option<String>, query: StreamQuery) -> Result<LogStreamList, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let prefix = query.prefix.trim().to_owned();
    let input = DescribeLogStreamsInput {
        log_group_name: Some(query.group),
        log_stream_name_prefix: (!prefix.is_empty()).then_some(prefix),
        order_by: Some(if query.by_time { "LastEventTime" } else { "LogStreamName" }.to_owned()),
        descending: Some(query.descending),
        next_token: query.token.filter(|t| !t.is_empty()),
        ..Default::default()
    };
    let output = services.invoke::<DescribeLogStreams>(&ctx, input).await.map_err(ssr::failed)?;
    Ok(LogStreamList { streams: output.streams.into_iter().map(view).collect(), next_token: output.next_token })
}

pub async fn create(region: String, account: Option<String>, group: String, name: String) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = StreamInput { log_group_name: group, log_stream_name: name.trim().to_owned() };
    services.invoke::<CreateLogStream>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn delete(region: String, account: Option<String>, group: String, name: String) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = StreamInput { log_group_name: group, log_stream_name: name };
    services.invoke::<DeleteLogStream>(&ctx, input).await.map_err(ssr::failed)
}
