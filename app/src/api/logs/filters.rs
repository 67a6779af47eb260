//! A log group's metric filters and subscription filters for the console: the group page's two tabs read them
//! (`DescribeMetricFilters`, `DescribeSubscriptionFilters` with each filter's delivery record), edit them
//! (`PutMetricFilter`, `DeleteMetricFilter`, `PutSubscriptionFilter`, `DeleteSubscriptionFilter`), test a pattern
//! against sample lines (`TestMetricFilter`, the lines prefilled from the newest events: `DescribeLogStreams`
//! and `GetLogEvents`), and offer destinations (the account's log groups, `DescribeLogGroups`, and topics,
//! `ListTopics`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The units a metric transformation may name (PutMetricFilter's enum; a test keeps it equal to the engine's).
pub const METRIC_UNITS: [&str; 27] = [
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// The most dimensions a metric transformation has.
pub const MAX_FILTER_DIMENSIONS: usize = 3;
/// The most subscription filters a log group has (AWS's quota).
pub const MAX_SUBSCRIPTION_FILTERS: usize = 2;
/// The most sample lines TestMetricFilter takes.
pub const MAX_TEST_LINES: usize = 50;
/// The newest events the test panel is prefilled with.
pub const SAMPLE_EVENTS: usize = 20;

/// One metric filter (its one metric transformation flattened), as the table shows it and the editor sends it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetricFilterView {
    pub name: String,
    pub pattern: String,
    pub namespace: String,
    pub metric: String,
    /// A number, or a `$field` the pattern extracts.
    pub value: String,
    pub default_value: Option<f64>,
    /// Dimension name -> `$field`.
    pub dimensions: Vec<(String, String)>,
    pub unit: Option<String>,
    /// Ignored when sent.
    pub created_ms: i64,
}

/// One sample line a pattern matched, with what it extracted (`$1`, `$status`, `$.latency`: value).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PatternMatch {
    /// From 1.
    pub line: usize,
    pub message: String,
    pub values: Vec<(String, String)>,
}

/// One subscription filter with its delivery record (the deliverer's; no AWS operation reports it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SubscriptionFilterView {
    pub name: String,
    pub pattern: String,
    pub destination_arn: String,
    /// `ByLogStream` or `Random`.
    pub distribution: String,
    pub created_ms: i64,
    /// Batches delivered, and the events in them.
    pub delivered: u64,
    pub events_delivered: u64,
    /// Deliveries given up.
    pub failed: u64,
    pub last_delivery_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_ms: Option<i64>,
}

/// What "Create subscription filter" sends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewSubscriptionFilter {
    pub name: String,
    pub pattern: String,
    /// An `http(s)://` URL, a topic ARN or a log group ARN.
    pub destination_arn: String,
    pub distribution: String,
}

/// Where a subscription filter can deliver, as the create form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FilterDestinations {
    /// The account's log groups in the region: (name, ARN), by name.
    pub log_groups: Vec<(String, String)>,
    /// More groups exist than are listed.
    pub more_groups: bool,
    /// The account's topic ARNs in the region.
    pub topics: Vec<String>,
}

/// A group's metric filters, by name.
#[server(endpoint = "logs_metric_filters", input = leptos::server_fn::codec::Json)]
pub async fn logs_metric_filters(
    region: String,
    account: Option<String>,
    group: String,
) -> Result<Vec<MetricFilterView>, ServerFnError> {
    server::metric_filters(region, account, group).await
}

/// PutMetricFilter: creates the filter, or replaces the one of that name.
#[server(endpoint = "logs_metric_filter_put", input = leptos::server_fn::codec::Json)]
pub async fn logs_metric_filter_put(
    region: String,
    account: Option<String>,
    group: String,
    filter: MetricFilterView,
) -> Result<(), ServerFnError> {
    server::put_metric_filter(region, account, group, filter).await
}

/// DeleteMetricFilter.
#[server(endpoint = "logs_metric_filter_delete", input = leptos::server_fn::codec::Json)]
pub async fn logs_metric_filter_delete(
    region: String,
    account: Option<String>,
    group: String,
    name: String,
) -> Result<(), ServerFnError> {
    server::delete_metric_filter(region, account, group, name).await
}

/// TestMetricFilter of `pattern` over the sample lines (blank ones left out).
#[server(endpoint = "logs_metric_filter_test", input = leptos::server_fn::codec::Json)]
pub async fn logs_metric_filter_test(
    region: String,
    account: Option<String>,
    pattern: String,
    lines: Vec<String>,
) -> Result<Vec<PatternMatch>, ServerFnError> {
    server::test_pattern(region, account, pattern, lines).await
}

/// The group's newest events (up to [`SAMPLE_EVENTS`], oldest first), to test a pattern against.
#[server(endpoint = "logs_sample_events", input = leptos::server_fn::codec::Json)]
pub async fn logs_sample_events(
    region: String,
    account: Option<String>,
    group: String,
) -> Result<Vec<String>, ServerFnError> {
    server::sample_events(region, account, group).await
}

/// A group's subscription filters with their delivery records.
#[server(endpoint = "logs_subscription_filters", input = leptos::server_fn::codec::Json)]
pub async fn logs_subscription_filters(
    region: String,
    account: Option<String>,
    group: String,
) -> Result<Vec<SubscriptionFilterView>, ServerFnError> {
    server::subscription_filters(region, account, group).await
}

/// PutSubscriptionFilter.
#[server(endpoint = "logs_subscription_filter_put", input = leptos::server_fn::codec::Json)]
pub async fn logs_subscription_filter_put(
    region: String,
    account: Option<String>,
    group: String,
    filter: NewSubscriptionFilter,
) -> Result<(), ServerFnError> {
    server::put_subscription_filter(region, account, group, filter).await
}

/// DeleteSubscriptionFilter.
#[server(endpoint = "logs_subscription_filter_delete", input = leptos::server_fn::codec::Json)]
pub async fn logs_subscription_filter_delete(
    region: String,
    account: Option<String>,
    group: String,
    name: String,
) -> Result<(), ServerFnError> {
    server::delete_subscription_filter(region, account, group, name).await
}

/// The log groups (other than `group`) and topics a subscription filter of `group` can deliver to.
#[server(endpoint = "logs_filter_destinations", input = leptos::server_fn::codec::Json)]
pub async fn logs_filter_destinations(
    region: String,
    account: Option<String>,
    group: String,
) -> Result<FilterDestinations, ServerFnError> {
    server::destinations(region, account, group).await
}

#[cfg(feature = "ssr")]
mod server {
    use std::collections::BTreeMap;

    use leptos::prelude::*;
    use skywatch_core::logs::filters::{MetricFilter, MetricTransformation};
    use skywatch_core::logs::ops::{
        DeleteMetricFilter, DeleteMetricFilterInput, DeleteSubscriptionFilter, DeleteSubscriptionFilterInput,
        DescribeLogGroups, DescribeLogGroupsInput, DescribeLogStreams, DescribeLogStreamsInput, DescribeMetricFilters,
        DescribeMetricFiltersInput, DescribeSubscriptionFilters, DescribeSubscriptionFiltersInput, GetLogEvents,
        GetLogEventsInput, PutMetricFilter, PutMetricFilterInput, PutSubscriptionFilter, PutSubscriptionFilterInput,
        SubscriptionFilterRow, TestMetricFilter, TestMetricFilterInput,
    };
    use skywatch_core::sns::{ListTopics, ListTopicsInput};

    use super::{
        FilterDestinations, MetricFilterView, NewSubscriptionFilter, PatternMatch, SAMPLE_EVENTS,
        SubscriptionFilterView,
    };
    use crate::api::ssr;

    /// Pages of a listing read before the rest is left out: a group has at most 100 metric filters (two pages)
    /// and 2 subscription filters; the destination choices stop at 500 log groups and 1,000 topics.
    const FILTER_PAGES: usize = 3;
    const GROUP_PAGES: usize = 10;
    const TOPIC_PAGES: usize = 10;
    /// Streams whose newest events fill the test panel.
    const SAMPLE_STREAMS: i64 = 3;

    fn view(filter: MetricFilter) -> MetricFilterView {
        let MetricFilter { filter_name, filter_pattern, metric_transformations, creation_time, .. } = filter;
        let metric = metric_transformations.into_iter().next();
        let (namespace, name, value, default_value, dimensions, unit) = match metric {
            Some(t) => (
                t.metric_namespace,
                t.metric_name,
                t.metric_value,
                t.default_value,
                t.dimensions.into_iter().collect(),
                t.unit,
            ),
            None => Default::default(),
        };
        MetricFilterView {
            name: filter_name,
            pattern: filter_pattern,
            namespace,
            metric: name,
            value,
            default_value,
            dimensions,
            unit,
            created_ms: creation_time,
        }
    }

    fn some(text: &str) -> Option<String> {
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    pub async fn metric_filters(
        region: String,
        account: Option<String>,
        group: String,
    ) -> Result<Vec<MetricFilterView>, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let mut filters = Vec::new();
        let mut next_token = None;
        for _ in 0..FILTER_PAGES {
            let input =
                DescribeMetricFiltersInput { log_group_name: Some(group.clone()), next_token, ..Default::default() };
            let page = services.invoke::<DescribeMetricFilters>(&ctx, input).await.map_err(ssr::failed)?;
            filters.extend(page.filters.into_iter().map(view));
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
        Ok(filters)
    }

    pub async fn put_metric_filter(
        region: String,
        account: Option<String>,
        group: String,
        filter: MetricFilterView,
    ) -> Result<(), ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let dimensions: BTreeMap<String, String> = filter
            .dimensions
            .iter()
            .filter(|(name, _)| !name.trim().is_empty())
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .collect();
        let input = PutMetricFilterInput {
            log_group_name: group,
            filter_name: filter.name.trim().to_owned(),
            // Sent as typed: its first character chooses the pattern's form.
            filter_pattern: filter.pattern,
            metric_transformations: vec![MetricTransformation {
                metric_name: filter.metric.trim().to_owned(),
                metric_namespace: filter.namespace.trim().to_owned(),
                metric_value: filter.value.trim().to_owned(),
                default_value: filter.default_value,
                dimensions,
                unit: filter.unit.as_deref().and_then(some),
            }],
        };
        services.invoke::<PutMetricFilter>(&ctx, input).await.map_err(ssr::failed)
    }

    pub async fn delete_metric_filter(
        region: String,
        account: Option<String>,
        group: String,
        name: String,
    ) -> Result<(), ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let input = DeleteMetricFilterInput { log_group_name: group, filter_name: name };
        services.invoke::<DeleteMetricFilter>(&ctx, input).await.map_err(ssr::failed)
    }

    pub async fn test_pattern(
        region: String,
        account: Option<String>,
        pattern: String,
        lines: Vec<String>,
    ) -> Result<Vec<PatternMatch>, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        // Numbered as the textarea shows them; blank lines are not events.
        let kept: Vec<(usize, String)> = lines
            .into_iter()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, l)| (i + 1, l))
            .collect();
        let input = TestMetricFilterInput {
            filter_pattern: pattern,
            log_event_messages: kept.iter().map(|(_, line)| line.clone()).collect(),
        };
        let found = services.invoke::<TestMetricFilter>(&ctx, input).await.map_err(ssr::failed)?;
        Ok(found
            .into_iter()
            .map(|m| PatternMatch {
                line: kept.get(m.event_number.saturating_sub(1)).map_or(m.event_number, |(line, _)| *line),
                message: m.event_message,
                values: m.extracted_values.into_iter().collect(),
            })
            .collect())
    }

    pub async fn sample_events(
        region: String,
        account: Option<String>,
        group: String,
    ) -> Result<Vec<String>, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let input = DescribeLogStreamsInput {
            log_group_name: Some(group.clone()),
            order_by: Some("LastEventTime".to_owned()),
            descending: Some(true),
            limit: Some(SAMPLE_STREAMS),
            ..Default::default()
        };
        let streams = services.invoke::<DescribeLogStreams>(&ctx, input).await.map_err(ssr::failed)?.streams;
        let mut events = Vec::new();
        for row in streams.into_iter().filter(|row| row.stream.last_event_ms.is_some()) {
            let input = GetLogEventsInput {
                log_group_name: Some(group.clone()),
                log_stream_name: row.stream.name,
                limit: Some(SAMPLE_EVENTS as i64),
                start_from_head: Some(false),
                ..Default::default()
            };
            let output = services.invoke::<GetLogEvents>(&ctx, input).await.map_err(ssr::failed)?;
            events.extend(output.events.into_iter().map(|e| (e.timestamp_ms, e.message)));
        }
        // The newest of the streams' newest, oldest first as a log reads.
        events.sort_by_key(|(timestamp, _)| std::cmp::Reverse(*timestamp));
        events.truncate(SAMPLE_EVENTS);
        events.reverse();
        Ok(events.into_iter().map(|(_, message)| message.trim_end_matches(['\r', '\n']).to_owned()).collect())
    }

    fn subscription_view(row: SubscriptionFilterRow) -> SubscriptionFilterView {
        let SubscriptionFilterRow { filter, status } = row;
        SubscriptionFilterView {
            name: filter.filter_name,
            pattern: filter.filter_pattern,
            destination_arn: filter.destination_arn,
            distribution: filter.distribution,
            created_ms: filter.creation_time,
            delivered: status.delivered,
            events_delivered: status.events_delivered,
            failed: status.failed,
            last_delivery_ms: status.last_delivery_ms,
            last_error: status.last_error,
            last_error_ms: status.last_error_ms,
        }
    }

    pub async fn subscription_filters(
        region: String,
        account: Option<String>,
        group: String,
    ) -> Result<Vec<SubscriptionFilterView>, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let mut filters = Vec::new();
        let mut next_token = None;
        for _ in 0..FILTER_PAGES {
            let input =
                DescribeSubscriptionFiltersInput { log_group_name: group.clone(), next_token, ..Default::default() };
            let page = services.invoke::<DescribeSubscriptionFilters>(&ctx, input).await.map_err(ssr::failed)?;
            filters.extend(page.filters.into_iter().map(subscription_view));
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
        Ok(filters)
    }

    pub async fn put_subscription_filter(
        region: String,
        account: Option<String>,
        group: String,
        filter: NewSubscriptionFilter,
    ) -> Result<(), ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let input = PutSubscriptionFilterInput {
            log_group_name: group,
            filter_name: filter.name.trim().to_owned(),
            filter_pattern: filter.pattern,
            destination_arn: filter.destination_arn.trim().to_owned(),
            role_arn: None,
            distribution: some(&filter.distribution),
            apply_on_transformed_logs: None,
        };
        services.invoke::<PutSubscriptionFilter>(&ctx, input).await.map_err(ssr::failed)
    }

    pub async fn delete_subscription_filter(
        region: String,
        account: Option<String>,
        group: String,
        name: String,
    ) -> Result<(), ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let input = DeleteSubscriptionFilterInput { log_group_name: group, filter_name: name };
        services.invoke::<DeleteSubscriptionFilter>(&ctx, input).await.map_err(ssr::failed)
    }

    pub async fn destinations(
        region: String,
        account: Option<String>,
        group: String,
    ) -> Result<FilterDestinations, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let mut found = FilterDestinations::default();
        let mut next_token = None;
        for page_number in 0..GROUP_PAGES {
            let input = DescribeLogGroupsInput { next_token, ..Default::default() };
            let page = services.invoke::<DescribeLogGroups>(&ctx, input).await.map_err(ssr::failed)?;
            found.log_groups.extend(
                page.groups
                    .into_iter()
                    .filter(|row| row.group.name != group)
                    .map(|row| (row.group.name, row.log_group_arn)),
            );
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
            found.more_groups = page_number + 1 == GROUP_PAGES;
        }
        let mut next_token = None;
        for _ in 0..TOPIC_PAGES {
            let page =
                services.invoke::<ListTopics>(&ctx, ListTopicsInput { next_token }).await.map_err(ssr::failed)?;
            found.topics.extend(page.topic_arns);
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
        }
        found.topics.sort();
        Ok(found)
    }

    #[cfg(test)]
    mod tests {
        use skywatch_core::logs::filters::{MetricFilter, MetricTransformation, compile};

        fn with_unit(unit: &str) -> MetricFilter {
            MetricFilter {
                filter_name: "f".into(),
                filter_pattern: "ERROR".into(),
                metric_transformations: vec![MetricTransformation {
                    metric_name: "Errors".into(),
                    metric_namespace: "App".into(),
                    metric_value: "1".into(),
                    default_value: None,
                    dimensions: Default::default(),
                    unit: Some(unit.into()),
                }],
                creation_time: 0,
                log_group_name: "g".into(),
            }
        }

        #[test]
        fn the_console_offers_the_engines_units_and_quotas() {
            for unit in super::super::METRIC_UNITS {
                assert!(compile(&with_unit(unit)).is_ok(), "{unit}");
            }
            assert!(compile(&with_unit("Furlongs")).is_err());
            assert_eq!(super::super::MAX_FILTER_DIMENSIONS, skywatch_core::logs::filters::MAX_DIMENSIONS);
            assert_eq!(
                super::super::MAX_SUBSCRIPTION_FILTERS,
                skywatch_core::logs::subscription::MAX_SUBSCRIPTION_FILTERS
            );
        }
    }
}
