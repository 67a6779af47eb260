//! The one registry of operations the front door serves: for each, its service, name, access (what a viewer
//! may call, and CloudTrail's `readOnly`), whether its reply has an output shape (the query protocol's empty
//! results), and its handler. Dispatch, the viewer rule, "not implemented yet" versus "unknown operation", and
//! the tests' list of implemented operations all read it. The name and the access come from the engine's
//! operation spec, so they cannot disagree with what the console runs.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;

use serde_json::Value;
use skywatch_core::Services;
use skywatch_core::ops::{Access, Context, Limit, Operation, Provides};

use crate::errors::ApiError;
use crate::streaming::ReplyStream;
use crate::wire::{Protocol, Service};

/// What a handler answers: a result in the neutral JSON shape, or a body streamed as it is made.
#[derive(Debug)]
pub enum Answer {
    Result(Value),
    Stream(ReplyStream),
}

/// A handler's future.
pub type Reply<'a> = Pin<Box<dyn Future<Output = Result<Answer, Refusal>> + Send + 'a>>;

/// Decodes the wire parameters, runs the operation and encodes its reply in the neutral JSON shape.
pub type Handler = for<'a> fn(&'a Services, &'a Context, &'a Value) -> Reply<'a>;

/// Decodes the body straight into the typed input and runs the operation: None (the body left in place) when the
/// fast decoder does not take the body, and the generic path ([`Handler`]) then runs.
pub type FastHandler = for<'a> fn(&'a Services, &'a Context, Protocol, &mut Option<Vec<u8>>) -> Option<Reply<'a>>;

/// A refused call, and whether the operation layer already recorded it in CloudTrail (the edge records the
/// refusals that happen before the operation runs, such as undecodable parameters).
#[derive(Debug)]
pub struct Refusal {
    pub error: ApiError,
    pub recorded: bool,
}

impl From<ApiError> for Refusal {
    /// A refusal of the edge, not yet recorded.
    fn from(error: ApiError) -> Self {
        Self { error, recorded: false }
    }
}

/// One served operation.
#[derive(Clone, Copy)]
pub struct Row {
    pub service: Service,
    pub name: &'static str,
    pub access: Access,
    /// The model has an output shape: an empty query-protocol reply still carries `<NameResult/>`.
    pub has_output: bool,
    /// The bounds the operation checks before doing work the request sizes (its spec's).
    pub limits: &'static [Limit],
    pub handler: Handler,
    /// A decoder from the body to the typed input that never decides an error, tried before [`Row::handler`].
    pub fast: Option<FastHandler>,
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Row")
            .field("service", &self.service)
            .field("name", &self.name)
            .field("access", &self.access)
            .field("has_output", &self.has_output)
            .field("limits", &self.limits)
            .field("fast", &self.fast.is_some())
            .finish_non_exhaustive()
    }
}

/// An operation's wire adapter: its typed input from the decoded parameters, its output as the reply.
pub trait Wire: Operation {
    fn decode(ctx: &Context, params: &Value) -> Result<Self::Input, ApiError>;
    fn encode(output: Self::Output) -> Value;
}

/// A decoder from the request body straight to the typed input, beside an operation's [`Wire`] adapter, for the
/// hot path (PutMetricData). It never decides an error: `Some(input)` only where the generic path
/// ([`crate::wire::decode_params`] and [`Wire::decode`]) would give an equal input (equal by value, by its
/// serialised CloudTrail record and by what the operation does with it), None for anything else (malformed,
/// duplicated members, unknown members, odd types, escapes or forms it does not handle, limits exceeded), and
/// then the generic path runs and answers as it always has. Taking the body out of `body` is allowed only when
/// answering `Some`.
pub trait FastWire: Wire {
    fn decode_fast(ctx: &Context, protocol: Protocol, body: &mut Option<Vec<u8>>) -> Option<Self::Input>;
}

/// The wire adapter of an operation that answers with a stream (StartLiveTail's event stream): its typed input
/// from the decoded parameters, its output as the reply's body. The call is checked and recorded before the stream
/// starts, like any other.
pub trait StreamWire: Operation {
    fn decode(ctx: &Context, params: &Value) -> Result<Self::Input, ApiError>;
    fn stream(output: Self::Output) -> ReplyStream;
}

fn serve<'a, Op: Wire>(services: &'a Services, ctx: &'a Context, params: &'a Value) -> Reply<'a>
where
    Services: Provides<Op::Engine>,
    Op::Engine: Send,
{
    Box::pin(async move {
        let input = Op::decode(ctx, params)?;
        match services.invoke::<Op>(ctx, input).await {
            Ok(output) => Ok(Answer::Result(Op::encode(output))),
            Err(failure) => Err(Refusal { error: ApiError::failure(&failure), recorded: true }),
        }
    })
}

fn serve_fast<'a, Op: FastWire>(
    services: &'a Services,
    ctx: &'a Context,
    protocol: Protocol,
    body: &mut Option<Vec<u8>>,
) -> Option<Reply<'a>>
where
    Services: Provides<Op::Engine>,
    Op::Engine: Send,
{
    let input = Op::decode_fast(ctx, protocol, body)?;
    Some(Box::pin(async move {
        match services.invoke::<Op>(ctx, input).await {
            Ok(output) => Ok(Answer::Result(Op::encode(output))),
            Err(failure) => Err(Refusal { error: ApiError::failure(&failure), recorded: true }),
        }
    }))
}

fn serve_stream<'a, Op: StreamWire>(services: &'a Services, ctx: &'a Context, params: &'a Value) -> Reply<'a>
where
    Services: Provides<Op::Engine>,
    Op::Engine: Send,
{
    Box::pin(async move {
        let input = Op::decode(ctx, params)?;
        match services.invoke::<Op>(ctx, input).await {
            Ok(output) => Ok(Answer::Stream(Op::stream(output))),
            Err(failure) => Err(Refusal { error: ApiError::failure(&failure), recorded: true }),
        }
    })
}

/// The row of `Op`, served for `service`.
fn row<Op: Wire>(service: Service, has_output: bool) -> Row
where
    Services: Provides<Op::Engine>,
    Op::Engine: Send,
{
    Row {
        service,
        name: Op::SPEC.name,
        access: Op::SPEC.access,
        has_output,
        limits: Op::SPEC.limits,
        handler: serve::<Op>,
        fast: None,
    }
}

/// The row of `Op`, which has a fast decoder, served for `service`.
fn fast_row<Op: FastWire>(service: Service, has_output: bool) -> Row
where
    Services: Provides<Op::Engine>,
    Op::Engine: Send,
{
    Row { fast: Some(serve_fast::<Op>), ..row::<Op>(service, has_output) }
}

/// The row of `Op`, which answers with a stream, served for `service`.
fn stream_row<Op: StreamWire>(service: Service, has_output: bool) -> Row
where
    Services: Provides<Op::Engine>,
    Op::Engine: Send,
{
    Row {
        service,
        name: Op::SPEC.name,
        access: Op::SPEC.access,
        has_output,
        limits: Op::SPEC.limits,
        handler: serve_stream::<Op>,
        fast: None,
    }
}

static ROWS: LazyLock<Vec<Row>> = LazyLock::new(|| {
    use skywatch_core::alarms::service as alarms;
    use skywatch_core::sns;
    use skywatch_dashboards::service as dashboards;
    use skywatch_metrics as metrics;
    vec![
        fast_row::<metrics::PutMetricData>(Service::CloudWatch, false),
        row::<metrics::GetMetricStatistics>(Service::CloudWatch, true),
        row::<metrics::GetMetricData>(Service::CloudWatch, true),
        row::<metrics::ListMetrics>(Service::CloudWatch, true),
        row::<metrics::GetMetricWidgetImage>(Service::CloudWatch, true),
        row::<dashboards::PutDashboard>(Service::CloudWatch, true),
        row::<dashboards::GetDashboard>(Service::CloudWatch, true),
        row::<dashboards::ListDashboards>(Service::CloudWatch, true),
        row::<dashboards::DeleteDashboards>(Service::CloudWatch, true),
        row::<alarms::PutMetricAlarm>(Service::CloudWatch, false),
        row::<alarms::PutCompositeAlarm>(Service::CloudWatch, false),
        row::<alarms::DescribeAlarms>(Service::CloudWatch, true),
        row::<alarms::DescribeAlarmsForMetric>(Service::CloudWatch, true),
        row::<alarms::DescribeAlarmHistory>(Service::CloudWatch, true),
        row::<alarms::SetAlarmState>(Service::CloudWatch, false),
        row::<alarms::EnableAlarmActions>(Service::CloudWatch, false),
        row::<alarms::DisableAlarmActions>(Service::CloudWatch, false),
        row::<alarms::DeleteAlarms>(Service::CloudWatch, false),
        row::<alarms::TagResource>(Service::CloudWatch, true),
        row::<alarms::UntagResource>(Service::CloudWatch, true),
        row::<alarms::ListTagsForResource>(Service::CloudWatch, true),
        row::<sns::CreateTopic>(Service::Sns, true),
        row::<sns::DeleteTopic>(Service::Sns, false),
        row::<sns::ListTopics>(Service::Sns, true),
        row::<sns::GetTopicAttributes>(Service::Sns, true),
        row::<sns::SetTopicAttributes>(Service::Sns, false),
        row::<sns::Subscribe>(Service::Sns, true),
        row::<sns::ConfirmSubscription>(Service::Sns, true),
        row::<sns::Unsubscribe>(Service::Sns, false),
        row::<sns::ListSubscriptionsByTopic>(Service::Sns, true),
        row::<sns::GetSubscriptionAttributes>(Service::Sns, true),
        row::<sns::Publish>(Service::Sns, true),
        row::<skywatch_core::audit::LookupEvents>(Service::CloudTrail, true),
        row::<skywatch_core::events::CreateEventBus>(Service::Events, true),
        row::<skywatch_core::events::DescribeEventBus>(Service::Events, true),
        row::<skywatch_core::events::ListEventBuses>(Service::Events, true),
        row::<skywatch_core::events::DeleteEventBus>(Service::Events, false),
        row::<skywatch_core::events::PutRule>(Service::Events, true),
        row::<skywatch_core::events::DescribeRule>(Service::Events, true),
        row::<skywatch_core::events::ListRules>(Service::Events, true),
        row::<skywatch_core::events::EnableRule>(Service::Events, false),
        row::<skywatch_core::events::DisableRule>(Service::Events, false),
        row::<skywatch_core::events::DeleteRule>(Service::Events, false),
        row::<skywatch_core::events::TestEventPattern>(Service::Events, true),
        row::<skywatch_core::events::PutTargets>(Service::Events, true),
        row::<skywatch_core::events::RemoveTargets>(Service::Events, true),
        row::<skywatch_core::events::ListTargetsByRule>(Service::Events, true),
        row::<skywatch_core::events::ListRuleNamesByTarget>(Service::Events, true),
        row::<skywatch_core::events::TagResource>(Service::Events, true),
        row::<skywatch_core::events::UntagResource>(Service::Events, true),
        row::<skywatch_core::events::ListTagsForResource>(Service::Events, true),
        row::<skywatch_core::events::PutEvents>(Service::Events, true),
        row::<skywatch_core::events::PutPermission>(Service::Events, false),
        row::<skywatch_core::events::RemovePermission>(Service::Events, false),
        row::<skywatch_core::events::UpdateEventBus>(Service::Events, true),
        row::<skywatch_core::events::CreateArchive>(Service::Events, true),
        row::<skywatch_core::events::DescribeArchive>(Service::Events, true),
        row::<skywatch_core::events::ListArchives>(Service::Events, true),
        row::<skywatch_core::events::UpdateArchive>(Service::Events, true),
        row::<skywatch_core::events::DeleteArchive>(Service::Events, true),
        row::<skywatch_core::events::StartReplay>(Service::Events, true),
        row::<skywatch_core::events::DescribeReplay>(Service::Events, true),
        row::<skywatch_core::events::ListReplays>(Service::Events, true),
        row::<skywatch_core::events::CancelReplay>(Service::Events, true),
        row::<skywatch_core::events::CreateConnection>(Service::Events, true),
        row::<skywatch_core::events::DescribeConnection>(Service::Events, true),
        row::<skywatch_core::events::ListConnections>(Service::Events, true),
        row::<skywatch_core::events::UpdateConnection>(Service::Events, true),
        row::<skywatch_core::events::DeleteConnection>(Service::Events, true),
        row::<skywatch_core::events::DeauthorizeConnection>(Service::Events, true),
        row::<skywatch_core::events::CreateApiDestination>(Service::Events, true),
        row::<skywatch_core::events::DescribeApiDestination>(Service::Events, true),
        row::<skywatch_core::events::ListApiDestinations>(Service::Events, true),
        row::<skywatch_core::events::UpdateApiDestination>(Service::Events, true),
        row::<skywatch_core::events::DeleteApiDestination>(Service::Events, true),
        row::<skywatch_core::events::CreatePartnerEventSource>(Service::Events, true),
        row::<skywatch_core::events::DeletePartnerEventSource>(Service::Events, false),
        row::<skywatch_core::events::DescribePartnerEventSource>(Service::Events, true),
        row::<skywatch_core::events::ListPartnerEventSources>(Service::Events, true),
        row::<skywatch_core::events::ListPartnerEventSourceAccounts>(Service::Events, true),
        row::<skywatch_core::events::PutPartnerEvents>(Service::Events, true),
        row::<skywatch_core::events::ListEventSources>(Service::Events, true),
        row::<skywatch_core::events::DescribeEventSource>(Service::Events, true),
        row::<skywatch_core::events::ActivateEventSource>(Service::Events, false),
        row::<skywatch_core::events::DeactivateEventSource>(Service::Events, false),
        row::<skywatch_core::traces::PutTraceSegments>(Service::XRay, true),
        row::<skywatch_core::traces::BatchGetTraces>(Service::XRay, true),
        row::<skywatch_core::traces::GetTraceSummaries>(Service::XRay, true),
        row::<skywatch_core::traces::GetServiceGraph>(Service::XRay, true),
        row::<skywatch_core::traces::GetTraceGraph>(Service::XRay, true),
        row::<skywatch_core::traces::GetSamplingRules>(Service::XRay, true),
        row::<skywatch_core::traces::CreateSamplingRule>(Service::XRay, true),
        row::<skywatch_core::traces::UpdateSamplingRule>(Service::XRay, true),
        row::<skywatch_core::traces::DeleteSamplingRule>(Service::XRay, true),
        row::<skywatch_core::traces::GetSamplingTargets>(Service::XRay, true),
        row::<skywatch_core::traces::GetSamplingStatisticSummaries>(Service::XRay, true),
        row::<skywatch_core::traces::CreateGroup>(Service::XRay, true),
        row::<skywatch_core::traces::GetGroup>(Service::XRay, true),
        row::<skywatch_core::traces::UpdateGroup>(Service::XRay, true),
        row::<skywatch_core::traces::DeleteGroup>(Service::XRay, true),
        row::<skywatch_core::traces::GetGroups>(Service::XRay, true),
        row::<skywatch_core::traces::GetTimeSeriesServiceStatistics>(Service::XRay, true),
        row::<skywatch_core::config::PutConfigurationRecorder>(Service::Config, false),
        row::<skywatch_core::config::DescribeConfigurationRecorders>(Service::Config, true),
        row::<skywatch_core::config::DescribeConfigurationRecorderStatus>(Service::Config, true),
        row::<skywatch_core::config::StartConfigurationRecorder>(Service::Config, false),
        row::<skywatch_core::config::StopConfigurationRecorder>(Service::Config, false),
        row::<skywatch_core::config::DeleteConfigurationRecorder>(Service::Config, false),
        row::<skywatch_core::config::PutDeliveryChannel>(Service::Config, false),
        row::<skywatch_core::config::DescribeDeliveryChannels>(Service::Config, true),
        row::<skywatch_core::config::DescribeDeliveryChannelStatus>(Service::Config, true),
        row::<skywatch_core::config::DeleteDeliveryChannel>(Service::Config, false),
        row::<skywatch_core::config::DeliverConfigSnapshot>(Service::Config, true),
        row::<skywatch_core::config::PutResourceConfig>(Service::Config, false),
        row::<skywatch_core::config::DeleteResourceConfig>(Service::Config, false),
        row::<skywatch_core::config::GetResourceConfigHistory>(Service::Config, true),
        row::<skywatch_core::config::ListDiscoveredResources>(Service::Config, true),
        row::<skywatch_core::config::BatchGetResourceConfig>(Service::Config, true),
        row::<skywatch_core::config::GetDiscoveredResourceCounts>(Service::Config, true),
        row::<skywatch_core::config::SelectResourceConfig>(Service::Config, true),
        row::<skywatch_core::config::PutRemediationConfigurations>(Service::Config, true),
        row::<skywatch_core::config::DescribeRemediationConfigurations>(Service::Config, true),
        row::<skywatch_core::config::DeleteRemediationConfiguration>(Service::Config, true),
        row::<skywatch_core::config::StartRemediationExecution>(Service::Config, true),
        row::<skywatch_core::config::DescribeRemediationExecutionStatus>(Service::Config, true),
        row::<skywatch_core::config::PutConfigRule>(Service::Config, false),
        row::<skywatch_core::config::DescribeConfigRules>(Service::Config, true),
        row::<skywatch_core::config::DeleteConfigRule>(Service::Config, false),
        row::<skywatch_core::config::StartConfigRulesEvaluation>(Service::Config, true),
        row::<skywatch_core::config::DescribeConfigRuleEvaluationStatus>(Service::Config, true),
        row::<skywatch_core::config::PutEvaluations>(Service::Config, true),
        row::<skywatch_core::config::DescribeComplianceByConfigRule>(Service::Config, true),
        row::<skywatch_core::config::DescribeComplianceByResource>(Service::Config, true),
        row::<skywatch_core::config::GetComplianceDetailsByConfigRule>(Service::Config, true),
        row::<skywatch_core::config::GetComplianceDetailsByResource>(Service::Config, true),
        row::<skywatch_core::config::GetComplianceSummaryByConfigRule>(Service::Config, true),
        row::<skywatch_core::config::GetComplianceSummaryByResourceType>(Service::Config, true),
        row::<skywatch_core::config::PutConfigurationAggregator>(Service::Config, true),
        row::<skywatch_core::config::DescribeConfigurationAggregators>(Service::Config, true),
        row::<skywatch_core::config::DeleteConfigurationAggregator>(Service::Config, false),
        row::<skywatch_core::config::DescribeConfigurationAggregatorSourcesStatus>(Service::Config, true),
        row::<skywatch_core::config::PutAggregationAuthorization>(Service::Config, true),
        row::<skywatch_core::config::DescribeAggregationAuthorizations>(Service::Config, true),
        row::<skywatch_core::config::DeleteAggregationAuthorization>(Service::Config, false),
        row::<skywatch_core::config::GetAggregateDiscoveredResourceCounts>(Service::Config, true),
        row::<skywatch_core::config::ListAggregateDiscoveredResources>(Service::Config, true),
        row::<skywatch_core::config::GetAggregateResourceConfig>(Service::Config, true),
        row::<skywatch_core::config::BatchGetAggregateResourceConfig>(Service::Config, true),
        row::<skywatch_core::config::SelectAggregateResourceConfig>(Service::Config, true),
        row::<skywatch_core::config::DescribeAggregateComplianceByConfigRules>(Service::Config, true),
        row::<skywatch_core::config::GetAggregateConfigRuleComplianceSummary>(Service::Config, true),
        row::<skywatch_core::config::GetAggregateComplianceDetailsByConfigRule>(Service::Config, true),
        row::<skywatch_core::logs::ops::CreateLogGroup>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DeleteLogGroup>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DescribeLogGroups>(Service::Logs, true),
        row::<skywatch_core::logs::ops::PutRetentionPolicy>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DeleteRetentionPolicy>(Service::Logs, false),
        row::<skywatch_core::logs::ops::AssociateKmsKey>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DisassociateKmsKey>(Service::Logs, false),
        row::<skywatch_core::logs::ops::TagResource>(Service::Logs, false),
        row::<skywatch_core::logs::ops::UntagResource>(Service::Logs, false),
        row::<skywatch_core::logs::ops::ListTagsForResource>(Service::Logs, true),
        row::<skywatch_core::logs::ops::TagLogGroup>(Service::Logs, false),
        row::<skywatch_core::logs::ops::UntagLogGroup>(Service::Logs, false),
        row::<skywatch_core::logs::ops::ListTagsLogGroup>(Service::Logs, true),
        row::<skywatch_core::logs::ops::CreateLogStream>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DeleteLogStream>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DescribeLogStreams>(Service::Logs, true),
        row::<skywatch_core::logs::ops::PutLogEvents>(Service::Logs, true),
        row::<skywatch_core::logs::ops::GetLogEvents>(Service::Logs, true),
        row::<skywatch_core::logs::ops::FilterLogEvents>(Service::Logs, true),
        row::<skywatch_core::logs::ops::PutMetricFilter>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DescribeMetricFilters>(Service::Logs, true),
        row::<skywatch_core::logs::ops::DeleteMetricFilter>(Service::Logs, false),
        row::<skywatch_core::logs::ops::TestMetricFilter>(Service::Logs, true),
        stream_row::<skywatch_core::logs::ops::StartLiveTail>(Service::Logs, true),
        row::<skywatch_core::logs::ops::CreateExportTask>(Service::Logs, true),
        row::<skywatch_core::logs::ops::DescribeExportTasks>(Service::Logs, true),
        row::<skywatch_core::logs::ops::CancelExportTask>(Service::Logs, false),
        row::<skywatch_core::logs::ops::PutSubscriptionFilter>(Service::Logs, false),
        row::<skywatch_core::logs::ops::DescribeSubscriptionFilters>(Service::Logs, true),
        row::<skywatch_core::logs::ops::DeleteSubscriptionFilter>(Service::Logs, false),
    ]
});

static INDEX: LazyLock<HashMap<(Service, &'static str), Row>> =
    LazyLock::new(|| ROWS.iter().map(|row| ((row.service, row.name), *row)).collect());

/// Every served operation.
pub fn rows() -> &'static [Row] {
    &ROWS
}

/// The row of an operation, if Skywatch serves it.
pub fn find(service: Service, name: &str) -> Option<Row> {
    INDEX.get(&(service, name)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 10: every served operation states the bounds it checks, beside its registry entry.
    #[test]
    fn every_operation_states_its_limits() {
        for row in rows() {
            assert!(!row.limits.is_empty(), "{} states no limits", row.name);
            assert!(row.limits.iter().all(|limit| limit.value > 0), "{}: {:?}", row.name, row.limits);
        }
        let data = find(Service::CloudWatch, "GetMetricData").expect("GetMetricData is served");
        assert!(data.limits.contains(&Limit::aws("MetricDataQueries", 500)));
    }
}
