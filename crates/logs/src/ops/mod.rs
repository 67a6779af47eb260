//! The Logs operations (`logs`, JSON 1.1 at the edge): groups (create, delete, describe, retention, KMS keys, tags),
//! streams (create, delete, describe), and events (PutLogEvents, GetLogEvents, FilterLogEvents).

mod events;
mod export;
mod filter;
mod groups;
mod live_tail;
mod metric_filters;
mod streams;
mod subscription_filters;
mod tags;

pub use events::{
    GetLogEvents, GetLogEventsInput, GetLogEventsOutput, OutputEvent, PutLogEvents, PutLogEventsInput,
    PutLogEventsOutput,
};
pub use export::{
    CancelExportTask, CancelExportTaskInput, CreateExportTask, CreateExportTaskInput, CreateExportTaskOutput,
    DescribeExportTasks, DescribeExportTasksInput, DescribeExportTasksOutput,
};
pub(crate) use filter::parse_pattern;
pub use filter::{FilterLogEvents, FilterLogEventsInput, FilterLogEventsOutput, FilteredEvent};
pub use groups::{
    AssociateKmsKey, CreateLogGroup, CreateLogGroupInput, DeleteLogGroup, DeleteRetentionPolicy, DescribeLogGroups,
    DescribeLogGroupsInput, DescribeLogGroupsOutput, DisassociateKmsKey, GroupNameInput, GroupRow, KmsKeyInput,
    PutRetentionPolicy, PutRetentionPolicyInput,
};
pub use live_tail::{
    LiveTailEnd, LiveTailSession, SessionStart, SessionUpdate, StartLiveTail, StartLiveTailInput, TailEvent,
};
pub use metric_filters::{
    DeleteMetricFilter, DeleteMetricFilterInput, DescribeMetricFilters, DescribeMetricFiltersInput,
    DescribeMetricFiltersOutput, MetricFilterMatch, PutMetricFilter, PutMetricFilterInput, TestMetricFilter,
    TestMetricFilterInput,
};
pub use streams::{
    CreateLogStream, DeleteLogStream, DescribeLogStreams, DescribeLogStreamsInput, DescribeLogStreamsOutput,
    StreamInput, StreamRow,
};
pub use subscription_filters::{
    DeleteSubscriptionFilter, DeleteSubscriptionFilterInput, DescribeSubscriptionFilters,
    DescribeSubscriptionFiltersInput, DescribeSubscriptionFiltersOutput, PutSubscriptionFilter,
    PutSubscriptionFilterInput, SubscriptionFilterRow,
};
pub use tags::{
    ListTagsForResource, ListTagsLogGroup, ResourceArnInput, TagLogGroup, TagLogGroupInput, TagResource,
    TagResourceInput, UntagLogGroup, UntagLogGroupInput, UntagResource, UntagResourceInput,
};

use skywatch_ops::{Access, Context, EventResource, Limit, Spec};
use skywatch_store::Reader;

use crate::LogsError;
use crate::model::{LogGroup, group_arn, group_from_identifier, valid_group_name};
use crate::storage;

/// The bound of calls that name a group.
const GROUP_LIMITS: &[Limit] = &[Limit::aws("logGroupName characters", 512)];
/// The bounds of calls that name a stream.
const STREAM_LIMITS: &[Limit] =
    &[Limit::aws("logGroupName characters", 512), Limit::aws("logStreamName characters", 512)];

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "logs", event_source: "logs.amazonaws.com", name, access, limits: &[] }
}

/// A log group in a CloudTrail record (and so in AWS Config's inventory).
pub(crate) fn group_resource(ctx: &Context, name: &str) -> EventResource {
    EventResource { resource_type: "AWS::Logs::LogGroup".into(), arn: group_arn(&ctx.region, &ctx.account, name) }
}

/// Checks a `logGroupName` member against the model.
pub(crate) fn check_group_name(member: &str, name: &str) -> Result<(), LogsError> {
    if name.is_empty() || name.len() > 512 {
        return Err(LogsError::constraint(
            member,
            name,
            "Member must have length less than or equal to 512 and greater than or equal to 1",
        ));
    }
    if !valid_group_name(name) {
        return Err(LogsError::constraint(
            member,
            name,
            "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
        ));
    }
    Ok(())
}

/// The group a call names by `logGroupName` or `logGroupIdentifier` (exactly one of them).
pub(crate) fn named_group(ctx: &Context, name: Option<&str>, identifier: Option<&str>) -> Result<String, LogsError> {
    match (name, identifier) {
        (Some(_), Some(_)) => {
            Err(LogsError::InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.".into()))
        }
        (None, None) => {
            Err(LogsError::InvalidParameter("Should provide either a log group name or a log group identifier.".into()))
        }
        (Some(name), None) => {
            check_group_name("logGroupName", name)?;
            Ok(name.to_owned())
        }
        (None, Some(identifier)) => {
            let name = group_from_identifier(identifier, &ctx.region, &ctx.account).ok_or_else(LogsError::no_group)?;
            check_group_name("logGroupIdentifier", name)?;
            Ok(name.to_owned())
        }
    }
}

/// Group `name` of the call's account and region, or ResourceNotFoundException.
pub(crate) fn existing_group(reader: &Reader, ctx: &Context, name: &str) -> Result<LogGroup, LogsError> {
    storage::group(reader, &ctx.account, &ctx.region, name)?.ok_or_else(LogsError::no_group)
}

/// Reads through the store off the async runtime.
pub(crate) async fn read<T: Send + 'static>(
    logs: &crate::Logs,
    read: impl FnOnce(&Reader) -> Result<T, LogsError> + Send + 'static,
) -> Result<T, LogsError> {
    logs.store.read(move |reader| Ok(read(reader))).await?
}
