//! Subscription filters: PutSubscriptionFilter (checking the destination as AWS checks it, and queueing the
//! control message a new subscription sends), DescribeSubscriptionFilters and DeleteSubscriptionFilter.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::filter::parse_pattern;
use super::streams::check_stream_name;
use super::{GROUP_LIMITS, check_group_name, existing_group, group_resource, read, spec};
use crate::subscription::payload::Payload;
use crate::subscription::storage::{self, Delivery, DeliveryStatus, SubscriptionChange};
use crate::subscription::{Destination, MAX_SUBSCRIPTION_FILTERS, SubscriptionFilter};
use crate::{Logs, LogsError};

/// Filters a page of DescribeSubscriptionFilters at most (and by default).
pub const PAGE: usize = 50;
const TOKEN_KIND: &str = "logs-subscription-filters";

/// PutSubscriptionFilter's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutSubscriptionFilterInput {
    pub log_group_name: String,
    pub filter_name: String,
    pub filter_pattern: String,
    pub destination_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_on_transformed_logs: Option<bool>,
}

/// PutSubscriptionFilter: creates or replaces a filter; events ingested from then on are delivered.
pub struct PutSubscriptionFilter;

fn undeliverable(arn: &str, why: &str) -> LogsError {
    LogsError::InvalidParameter(format!("Could not deliver test message to specified destination {arn}: {why}"))
}

impl Operation for PutSubscriptionFilter {
    const SPEC: Spec = spec("PutSubscriptionFilter", Access::Write).with_limits(&[
        Limit::aws("subscription filters a log group", MAX_SUBSCRIPTION_FILTERS as u64),
        Limit::aws("filterPattern characters", 1024),
        Limit::aws("destinationArn characters", 2048),
    ]);
    type Engine = Logs;
    type Input = PutSubscriptionFilterInput;
    type Output = ();
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: PutSubscriptionFilterInput,
    ) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_stream_name("filterName", &input.filter_name)?;
        if input.destination_arn.is_empty() || input.destination_arn.len() > 2048 {
            return Err(LogsError::constraint(
                "destinationArn",
                &input.destination_arn.chars().take(64).collect::<String>(),
                "Member must have length less than or equal to 2048 and greater than or equal to 1",
            ));
        }
        let distribution = match input.distribution.as_deref() {
            None => "ByLogStream".to_owned(),
            Some(d @ ("Random" | "ByLogStream")) => d.to_owned(),
            Some(other) => {
                return Err(LogsError::constraint(
                    "distribution",
                    other,
                    "Member must satisfy enum value set: [Random, ByLogStream]",
                ));
            }
        };
        if input.role_arn.as_deref().is_some_and(str::is_empty) {
            return Err(LogsError::constraint("roleArn", "", "Member must have length greater than or equal to 1"));
        }
        parse_pattern(&input.filter_pattern)?;
        let destination = Destination::parse(&input.destination_arn)?;
        if let Destination::LogGroup { account, region, name } = &destination
            && (account, region, name) == (&ctx.account, &ctx.region, &input.log_group_name)
        {
            return Err(undeliverable(&input.destination_arn, "a log group cannot subscribe to itself."));
        }
        if matches!(destination, Destination::Topic { .. }) && logs.topics.is_none() {
            return Err(undeliverable(&input.destination_arn, "this server has no topics."));
        }
        let (c, group, name, arn) =
            (ctx.clone(), input.log_group_name.clone(), input.filter_name.clone(), input.destination_arn.clone());
        let topics = logs.topics.clone();
        let check = destination.clone();
        read(logs, move |r| {
            existing_group(r, &c, &group)?;
            let existing = storage::subscription_filters(r, (&c.account, &c.region), &group, "")?;
            if !existing.iter().any(|f| f.filter_name == name) && existing.len() >= MAX_SUBSCRIPTION_FILTERS {
                return Err(LogsError::LimitExceeded("Resource limit exceeded.".into()));
            }
            match &check {
                Destination::Topic { arn } if !topics.as_ref().is_some_and(|t| t.exists(r, arn).unwrap_or(false)) => {
                    Err(undeliverable(arn, "the topic does not exist."))
                }
                Destination::LogGroup { account, region, name } => {
                    match crate::storage::group(r, account, region, name)? {
                        Some(_) => Ok(()),
                        None => Err(undeliverable(&arn, "the log group does not exist.")),
                    }
                }
                _ => Ok(()),
            }
        })
        .await?;
        let filter = SubscriptionFilter {
            filter_name: input.filter_name,
            log_group_name: input.log_group_name.clone(),
            filter_pattern: input.filter_pattern,
            destination_arn: input.destination_arn.clone(),
            role_arn: input.role_arn,
            distribution,
            apply_on_transformed_logs: input.apply_on_transformed_logs.unwrap_or(false),
            creation_time: ctx.now_ms,
        };
        // AWS checks a new destination with a control message; a log group needs none.
        let control = (!matches!(destination, Destination::LogGroup { .. })).then(|| {
            Box::new(Delivery {
                id: logs.next_id(ctx.now_ms),
                account: ctx.account.clone(),
                region: ctx.region.clone(),
                log_group: filter.log_group_name.clone(),
                filter_name: filter.filter_name.clone(),
                destination_arn: filter.destination_arn.clone(),
                payload: Payload::control(ctx.now_ms),
                attempts: 0,
                created_ms: ctx.now_ms,
                due_ms: ctx.now_ms,
                last_error: None,
            })
        });
        let change = SubscriptionChange::Put {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            filter: Box::new(filter),
            control,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &input.log_group_name)]))
    }
}

/// DeleteSubscriptionFilter's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteSubscriptionFilterInput {
    pub log_group_name: String,
    pub filter_name: String,
}

/// DeleteSubscriptionFilter: deliveries already queued are still made.
pub struct DeleteSubscriptionFilter;

impl Operation for DeleteSubscriptionFilter {
    const SPEC: Spec = spec("DeleteSubscriptionFilter", Access::Write).with_limits(GROUP_LIMITS);
    type Engine = Logs;
    type Input = DeleteSubscriptionFilterInput;
    type Output = ();
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: DeleteSubscriptionFilterInput,
    ) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_stream_name("filterName", &input.filter_name)?;
        let (c, group, name) = (ctx.clone(), input.log_group_name.clone(), input.filter_name.clone());
        let exists = read(logs, move |r| {
            existing_group(r, &c, &group)?;
            Ok(storage::subscription_filters(r, (&c.account, &c.region), &group, &name)?
                .iter()
                .any(|f| f.filter_name == name))
        })
        .await?;
        if !exists {
            return Err(LogsError::NotFound("The specified subscription filter does not exist.".into()));
        }
        let change = SubscriptionChange::Delete {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            group: input.log_group_name.clone(),
            name: input.filter_name,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &input.log_group_name)]))
    }
}

/// DescribeSubscriptionFilters' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeSubscriptionFiltersInput {
    pub log_group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One filter as DescribeSubscriptionFilters finds it, with how its deliveries have gone (the console shows it;
/// the wire does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionFilterRow {
    pub filter: SubscriptionFilter,
    pub status: DeliveryStatus,
}

/// DescribeSubscriptionFilters' output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeSubscriptionFiltersOutput {
    pub filters: Vec<SubscriptionFilterRow>,
    pub next_token: Option<String>,
}

/// DescribeSubscriptionFilters: a group's filters by name (and name prefix).
pub struct DescribeSubscriptionFilters;

impl Operation for DescribeSubscriptionFilters {
    const SPEC: Spec =
        spec("DescribeSubscriptionFilters", Access::Read).with_limits(&[Limit::aws("limit", PAGE as u64)]);
    type Engine = Logs;
    type Input = DescribeSubscriptionFiltersInput;
    type Output = DescribeSubscriptionFiltersOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: DescribeSubscriptionFiltersInput,
    ) -> Result<Effect<DescribeSubscriptionFiltersOutput, LogsError>, LogsError> {
        let limit = match input.limit {
            None => PAGE,
            Some(n @ 1..=50) => n as usize,
            Some(n) => {
                return Err(LogsError::constraint("limit", &n.to_string(), "Member must have value between 1 and 50"));
            }
        };
        check_group_name("logGroupName", &input.log_group_name)?;
        if let Some(prefix) = &input.filter_name_prefix {
            check_stream_name("filterNamePrefix", prefix)?;
        }
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(TOKEN_KIND, t)
                    .ok_or_else(|| LogsError::InvalidParameter("The specified nextToken is invalid.".into()))?,
            ),
        };
        let c = ctx.clone();
        let (filters, more) = read(logs, move |r| {
            existing_group(r, &c, &input.log_group_name)?;
            let prefix = input.filter_name_prefix.as_deref().unwrap_or("");
            let mut found: Vec<SubscriptionFilterRow> =
                storage::subscription_filters(r, (&c.account, &c.region), &input.log_group_name, prefix)?
                    .into_iter()
                    .filter(|f| after.as_ref().is_none_or(|name| f.filter_name > *name))
                    .take(limit + 1)
                    .map(|filter| {
                        let status = storage::delivery_status(
                            r,
                            (&c.account, &c.region),
                            &filter.log_group_name,
                            &filter.filter_name,
                        )?;
                        Ok(SubscriptionFilterRow { filter, status })
                    })
                    .collect::<Result<_, LogsError>>()?;
            let more = found.len() > limit;
            found.truncate(limit);
            Ok((found, more))
        })
        .await?;
        let next_token = match filters.last() {
            Some(last) if more => Some(token::encode(TOKEN_KIND, &last.filter.filter_name)),
            _ => None,
        };
        Ok(Effect::reply(DescribeSubscriptionFiltersOutput { filters, next_token }))
    }
}
