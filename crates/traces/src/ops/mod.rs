//! The X-Ray operations (rest-json at the edge): ingest (PutTraceSegments), reading traces (BatchGetTraces) and
//! finding them (GetTraceSummaries), the service graph (GetServiceGraph, GetTraceGraph), and centralized sampling
//! (the sampling rules, GetSamplingTargets, GetSamplingStatisticSummaries), and groups.

mod graph;
mod groups;
mod ingest;
mod read;
mod sampling;
mod summaries;
mod timeseries;

pub use graph::{GetServiceGraph, GetServiceGraphInput, GetTraceGraph, GetTraceGraphInput, ServiceGraph};
pub use groups::{CreateGroup, DeleteGroup, GetGroup, GetGroups, GroupInput, GroupList, GroupRecord, UpdateGroup};
pub use ingest::{MAX_DOCUMENTS, PutTraceSegments, PutTraceSegmentsInput, Unprocessed};
pub use read::{BatchGetTraces, BatchGetTracesInput, TracePage};
pub use sampling::{
    CreateSamplingRule, CreateSamplingRuleInput, DeleteSamplingRule, DeleteSamplingRuleInput, GetSamplingRules,
    GetSamplingStatisticSummaries, GetSamplingTargets, GetSamplingTargetsInput, PageInput, RuleList, RuleRecord,
    StatisticsInput, TargetsReply, UpdateSamplingRule, UpdateSamplingRuleInput,
};
pub use summaries::{GetTraceSummaries, GetTraceSummariesInput, SummaryPage};
pub use timeseries::{GetTimeSeriesServiceStatistics, TimePoint, TimeSeriesInput};

use skywatch_ops::{Access, AwsError, ErrorCode, Spec, codes};
use skywatch_store::ReadError;

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "xray", event_source: "xray.amazonaws.com", name, access, limits: &[] }
}

/// Why a trace operation refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TracesError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("{0}")]
    RuleLimit(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl From<ReadError> for TracesError {
    fn from(error: ReadError) -> Self {
        TracesError::Storage(error.to_string())
    }
}

impl AwsError for TracesError {
    fn code(&self) -> ErrorCode {
        match self {
            TracesError::InvalidRequest(_) => codes::xray::INVALID_REQUEST,
            TracesError::RuleLimit(_) => codes::xray::RULE_LIMIT_EXCEEDED,
            TracesError::Storage(_) => codes::INTERNAL,
        }
    }
}
