//! Why a metrics query was refused; variant names are CloudWatch's error codes.

/// A refused or failed GetMetricStatistics, GetMetricData or ListMetrics.
#[derive(Debug, thiserror::Error)]
pub enum MetricsQueryError {
    #[error("{0}")]
    MissingParameter(String),
    #[error("{0}")]
    InvalidParameterValue(String),
    #[error("{0}")]
    InvalidParameterCombination(String),
    /// GetMetricData's refusals of its queries (ids, expressions, statistics), as CloudWatch's `ValidationError`.
    #[error("{0}")]
    Validation(String),
    /// An unusable NextToken.
    #[error("{0}")]
    InvalidNextToken(String),
    #[error("The metric data could not be read: {0}")]
    Storage(#[from] skywatch_tsdb::QueryError),
    /// The call could not be run or recorded (an operation's commit failed).
    #[error("{0}")]
    Unavailable(String),
}
