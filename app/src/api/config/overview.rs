//! The dashboard's server side: DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus for the
//! recorder, DescribeDeliveryChannels and DescribeDeliveryChannelStatus for the channel, and every page of
//! GetDiscoveredResourceCounts.

use leptos::prelude::*;
use skywatch_core::Services;
use skywatch_core::config::model::{DeliveryChannel, DeliveryInfo, Recorder};
use skywatch_core::config::{
    ChannelNamesInput, DescribeConfigurationRecorderStatus, DescribeConfigurationRecorders,
    DescribeDeliveryChannelStatus, DescribeDeliveryChannels, GetDiscoveredResourceCounts,
    GetDiscoveredResourceCountsInput, RecorderNamesInput,
};
use skywatch_core::ops::Context;

use super::{ChannelView, ConfigOverview, DeliveryView, RecorderView};
use crate::api::ssr;

/// Pages of counts read at most (100 types a page).
const MAX_COUNT_PAGES: usize = 10;

fn recorder(config: &Recorder, status: Option<&Recorder>) -> RecorderView {
    let status = status.map_or(&config.status, |s| &s.status);
    RecorderView {
        name: config.name.clone(),
        role_arn: config.role_arn.clone(),
        recording: status.recording,
        last_start_ms: status.last_start_ms,
        last_stop_ms: status.last_stop_ms,
        last_status: status.last_status.clone(),
        last_status_change_ms: status.last_status_change_ms,
        strategy: config.group.strategy.as_str().to_owned(),
        include_global: config.group.include_global_resource_types,
        resource_types: config.group.resource_types.clone(),
        exclusions: config.group.exclusions.clone(),
        frequency: config.mode.as_ref().map(|m| m.frequency.clone()),
    }
}

fn delivery(info: &DeliveryInfo) -> DeliveryView {
    DeliveryView {
        last_status: info.last_status.clone(),
        last_error: info.last_error.as_ref().map(|(code, message)| format!("{code}: {message}")),
        last_attempt_ms: info.last_attempt_ms,
        last_success_ms: info.last_success_ms,
        next_ms: info.next_ms,
    }
}

fn channel(config: &DeliveryChannel, status: Option<&DeliveryChannel>) -> ChannelView {
    let status = status.map_or(&config.status, |s| &s.status);
    ChannelView {
        name: config.name.clone(),
        bucket: config.bucket.clone(),
        key_prefix: config.key_prefix.clone(),
        topic_arn: config.topic_arn.clone(),
        frequency: config.snapshot_frequency.clone(),
        snapshot: delivery(&status.snapshot),
        history: delivery(&status.history),
    }
}

/// Every resource count, most numerous first, and the total.
pub async fn counts(services: &Services, ctx: &Context) -> Result<(u64, Vec<(String, u64)>), ServerFnError> {
    let mut counts = Vec::new();
    let mut total = 0;
    let mut next_token = None;
    for _ in 0..MAX_COUNT_PAGES {
        let input = GetDiscoveredResourceCountsInput { resource_types: Vec::new(), limit: None, next_token };
        let page = services.invoke::<GetDiscoveredResourceCounts>(ctx, input).await.map_err(ssr::failed)?;
        total = page.total;
        counts.extend(page.counts);
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    Ok((total, counts))
}

/// The host this request reached, as AWS clients would address it.
async fn endpoint() -> String {
    let host = ssr::headers()
        .await
        .ok()
        .and_then(|h| h.get(axum::http::header::HOST).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "127.0.0.1:4566".to_owned());
    format!("http://{host}")
}

pub async fn overview(region: String, account: Option<String>) -> Result<ConfigOverview, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let recorders = services
        .invoke::<DescribeConfigurationRecorders>(&ctx, RecorderNamesInput::default())
        .await
        .map_err(ssr::failed)?;
    let statuses = if recorders.is_empty() {
        Vec::new()
    } else {
        services
            .invoke::<DescribeConfigurationRecorderStatus>(&ctx, RecorderNamesInput::default())
            .await
            .map_err(ssr::failed)?
    };
    let channels =
        services.invoke::<DescribeDeliveryChannels>(&ctx, ChannelNamesInput::default()).await.map_err(ssr::failed)?;
    let channel_statuses = if channels.is_empty() {
        Vec::new()
    } else {
        services
            .invoke::<DescribeDeliveryChannelStatus>(&ctx, ChannelNamesInput::default())
            .await
            .map_err(ssr::failed)?
    };
    let (total, counts) = counts(&services, &ctx).await?;
    Ok(ConfigOverview {
        account: ctx.account.clone(),
        region: ctx.region.clone(),
        endpoint: endpoint().await,
        recorder: recorders.first().map(|r| recorder(r, statuses.iter().find(|s| s.name == r.name))),
        channel: channels.first().map(|c| channel(c, channel_statuses.iter().find(|s| s.name == c.name))),
        total,
        counts,
    })
}
