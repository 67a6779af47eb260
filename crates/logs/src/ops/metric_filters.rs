//! Metric filters: PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter and TestMetricFilter.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::filter::parse_pattern;
use super::streams::check_stream_name;
use super::{check_group_name, existing_group, group_resource, read, spec};
use crate::filters::{self, MAX_METRIC_FILTERS, MetricFilter, MetricTransformation, compile};
use crate::storage::LogsChange;
use crate::{Logs, LogsError};

/// Filters a page of DescribeMetricFilters at most (and by default).
pub const PAGE: usize = 50;
/// The most messages TestMetricFilter takes.
pub const MAX_TEST_MESSAGES: usize = 50;
const TOKEN_KIND: &str = "logs-metric-filters";
/// Filter patterns with regular expressions a log group may have.
pub const MAX_REGEX_FILTERS: usize = 5;

/// PutMetricFilter's input.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutMetricFilterInput {
    pub log_group_name: String,
    pub filter_name: String,
    pub filter_pattern: String,
    pub metric_transformations: Vec<MetricTransformation>,
}

/// PutMetricFilter: creates or replaces a filter; it publishes for events ingested from now on only.
pub struct PutMetricFilter;

impl Operation for PutMetricFilter {
    const SPEC: Spec = spec("PutMetricFilter", Access::Write).with_limits(&[
        Limit::aws("metric filters a log group", MAX_METRIC_FILTERS as u64),
        Limit::aws("filterPattern characters", 1024),
        Limit::aws("metricTransformations", 1),
        Limit::aws("dimensions a metric transformation", filters::MAX_DIMENSIONS as u64),
        Limit::aws("filter patterns with regular expressions a log group", MAX_REGEX_FILTERS as u64),
    ]);
    type Engine = Logs;
    type Input = PutMetricFilterInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: PutMetricFilterInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_stream_name("filterName", &input.filter_name)?;
        let filter = MetricFilter {
            filter_name: input.filter_name.clone(),
            filter_pattern: input.filter_pattern,
            metric_transformations: input.metric_transformations,
            creation_time: ctx.now_ms,
            log_group_name: input.log_group_name.clone(),
        };
        compile(&filter)?;
        let (c, group, name) = (ctx.clone(), input.log_group_name.clone(), input.filter_name.clone());
        let existing = read(logs, move |r| {
            existing_group(r, &c, &group)?;
            Ok(filters::metric_filters(r, (&c.account, &c.region), &group, "")?)
        })
        .await?;
        let replaces = existing.iter().any(|f| f.filter_name == name);
        // AWS allows five filter patterns with regular expressions a log group.
        let regexes = |pattern: &str| parse_pattern(pattern).map_or(0, |p| usize::from(p.regex_count() > 0));
        let with_regex: usize =
            existing.iter().filter(|f| f.filter_name != name).map(|f| regexes(&f.filter_pattern)).sum();
        if regexes(&filter.filter_pattern) > 0 && with_regex >= MAX_REGEX_FILTERS {
            return Err(LogsError::LimitExceeded(format!(
                "A log group can have at most {MAX_REGEX_FILTERS} filter patterns with regular expressions."
            )));
        }
        if !replaces && existing.len() >= MAX_METRIC_FILTERS {
            return Err(LogsError::LimitExceeded(format!(
                "Resource limit exceeded: a log group has at most {MAX_METRIC_FILTERS} metric filters."
            )));
        }
        let change = LogsChange::PutMetricFilter {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            filter: Box::new(filter),
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &input.log_group_name)]))
    }
}

/// DeleteMetricFilter's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteMetricFilterInput {
    pub log_group_name: String,
    pub filter_name: String,
}

/// DeleteMetricFilter.
pub struct DeleteMetricFilter;

impl Operation for DeleteMetricFilter {
    const SPEC: Spec = spec("DeleteMetricFilter", Access::Write).with_limits(super::GROUP_LIMITS);
    type Engine = Logs;
    type Input = DeleteMetricFilterInput;
    type Output = ();
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: DeleteMetricFilterInput,
    ) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_stream_name("filterName", &input.filter_name)?;
        let (c, group, name) = (ctx.clone(), input.log_group_name.clone(), input.filter_name.clone());
        let exists = read(logs, move |r| {
            existing_group(r, &c, &group)?;
            Ok(filters::metric_filters(r, (&c.account, &c.region), &group, &name)?
                .iter()
                .any(|f| f.filter_name == name))
        })
        .await?;
        if !exists {
            return Err(LogsError::NotFound("The specified metric filter does not exist.".into()));
        }
        let change = LogsChange::DeleteMetricFilter {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            group: input.log_group_name.clone(),
            name: input.filter_name,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &input.log_group_name)]))
    }
}

/// DescribeMetricFilters' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeMetricFiltersInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// DescribeMetricFilters' output.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DescribeMetricFiltersOutput {
    pub filters: Vec<MetricFilter>,
    pub next_token: Option<String>,
}

/// DescribeMetricFilters: a group's filters (by name prefix), or the account's, or those publishing one metric.
pub struct DescribeMetricFilters;

impl Operation for DescribeMetricFilters {
    const SPEC: Spec = spec("DescribeMetricFilters", Access::Read).with_limits(&[Limit::aws("limit", PAGE as u64)]);
    type Engine = Logs;
    type Input = DescribeMetricFiltersInput;
    type Output = DescribeMetricFiltersOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: DescribeMetricFiltersInput,
    ) -> Result<Effect<DescribeMetricFiltersOutput, LogsError>, LogsError> {
        let limit = match input.limit {
            None => PAGE,
            Some(n @ 1..=50) => n as usize,
            Some(n) => {
                return Err(LogsError::constraint("limit", &n.to_string(), "Member must have value between 1 and 50"));
            }
        };
        if let Some(group) = &input.log_group_name {
            check_group_name("logGroupName", group)?;
        }
        if input.filter_name_prefix.is_some() && input.log_group_name.is_none() {
            return Err(LogsError::InvalidParameter(
                "If you include the filterNamePrefix parameter, you must also include the logGroupName parameter."
                    .into(),
            ));
        }
        if input.metric_name.is_some() != input.metric_namespace.is_some() {
            return Err(LogsError::InvalidParameter(
                "The metricName and metricNamespace parameters must be specified together.".into(),
            ));
        }
        let bad_token = || LogsError::InvalidParameter("The specified nextToken is invalid.".into());
        let after = match &input.next_token {
            None => None,
            Some(t) => {
                let cursor = token::decode(TOKEN_KIND, t).ok_or_else(bad_token)?;
                let (group, name) = cursor.split_once('\n').ok_or_else(bad_token)?;
                Some((group.to_owned(), name.to_owned()))
            }
        };
        let c = ctx.clone();
        let (found, more) = read(logs, move |r| {
            let metric = input.metric_name.clone().zip(input.metric_namespace.clone());
            let keep = |f: &MetricFilter| {
                input.log_group_name.as_ref().is_none_or(|g| &f.log_group_name == g)
                    && input.filter_name_prefix.as_ref().is_none_or(|p| f.filter_name.starts_with(p.as_str()))
                    && metric.as_ref().is_none_or(|(name, namespace)| {
                        f.metric_transformations
                            .iter()
                            .any(|t| &t.metric_name == name && &t.metric_namespace == namespace)
                    })
            };
            let mut found = match &input.log_group_name {
                // One group: the filters under it, after the cursor.
                Some(group) => {
                    existing_group(r, &c, group)?;
                    let prefix = input.filter_name_prefix.as_deref().unwrap_or("");
                    filters::metric_filters(r, (&c.account, &c.region), group, prefix)?
                        .into_iter()
                        .filter(|f| keep(f) && after.as_ref().is_none_or(|(_, name)| f.filter_name > *name))
                        .take(limit + 1)
                        .collect::<Vec<_>>()
                }
                None => {
                    let after = after.as_ref().map(|(g, n)| (g.as_str(), n.as_str()));
                    filters::all_metric_filters(r, (&c.account, &c.region), limit + 1, keep, after)?
                }
            };
            let more = found.len() > limit;
            found.truncate(limit);
            Ok((found, more))
        })
        .await?;
        let next_token = match found.last() {
            Some(last) if more => {
                Some(token::encode(TOKEN_KIND, &format!("{}\n{}", last.log_group_name, last.filter_name)))
            }
            _ => None,
        };
        Ok(Effect::reply(DescribeMetricFiltersOutput { filters: found, next_token }))
    }
}

/// TestMetricFilter's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestMetricFilterInput {
    pub filter_pattern: String,
    pub log_event_messages: Vec<String>,
}

/// One message TestMetricFilter found matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricFilterMatch {
    /// From 1.
    pub event_number: usize,
    pub event_message: String,
    pub extracted_values: BTreeMap<String, String>,
}

/// TestMetricFilter: which messages a pattern matches, and what it extracts from each.
pub struct TestMetricFilter;

impl Operation for TestMetricFilter {
    const SPEC: Spec = spec("TestMetricFilter", Access::Read).with_limits(&[
        Limit::aws("logEventMessages", MAX_TEST_MESSAGES as u64),
        Limit::aws("filterPattern characters", 1024),
    ]);
    type Engine = Logs;
    type Input = TestMetricFilterInput;
    type Output = Vec<MetricFilterMatch>;
    type Error = LogsError;

    async fn run(
        _logs: &Logs,
        _ctx: &Context,
        input: TestMetricFilterInput,
    ) -> Result<Effect<Vec<MetricFilterMatch>, LogsError>, LogsError> {
        if input.log_event_messages.is_empty() || input.log_event_messages.len() > MAX_TEST_MESSAGES {
            return Err(LogsError::constraint(
                "logEventMessages",
                &format!("[{} messages]", input.log_event_messages.len()),
                "Member must have length less than or equal to 50 and greater than or equal to 1",
            ));
        }
        let pattern = parse_pattern(&input.filter_pattern)?;
        let matches = input
            .log_event_messages
            .iter()
            .enumerate()
            .filter_map(|(i, message)| {
                pattern.evaluate(message).map(|found| MetricFilterMatch {
                    event_number: i + 1,
                    event_message: message.clone(),
                    extracted_values: found.values(),
                })
            })
            .collect();
        Ok(Effect::reply(matches))
    }
}
