//! Why a Config operation refused: one variant per AWS Config exception Skywatch answers, each naming its
//! code in `ops::codes::config`.

use skywatch_ops::{AwsError, ErrorCode, codes};
use skywatch_store::{ReadError, WriteError};

/// A refused Config call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    InvalidParameterValue(String),
    #[error("{0}")]
    NoSuchRecorder(String),
    #[error("{0}")]
    MaxRecorders(String),
    #[error("{0}")]
    InvalidRecorderName(String),
    #[error("{0}")]
    InvalidRecordingGroup(String),
    #[error("{0}")]
    NoAvailableChannel(String),
    #[error("{0}")]
    NoSuchChannel(String),
    #[error("{0}")]
    LastChannelDeleteFailed(String),
    #[error("{0}")]
    MaxChannels(String),
    #[error("{0}")]
    NoAvailableRecorder(String),
    #[error("{0}")]
    InvalidChannelName(String),
    #[error("{0}")]
    NoSuchBucket(String),
    #[error("{0}")]
    InvalidTopicArn(String),
    #[error("{0}")]
    NoRunningRecorder(String),
    #[error("{0}")]
    InvalidTimeRange(String),
    #[error("{0}")]
    InvalidLimit(String),
    #[error("{0}")]
    InvalidNextToken(String),
    #[error("{0}")]
    ResourceNotDiscovered(String),
    #[error("{0}")]
    InvalidExpression(String),
    #[error("{0}")]
    NoSuchConfigRule(String),
    #[error("{0}")]
    MaxConfigRules(String),
    #[error("{0}")]
    ResourceInUse(String),
    #[error("{0}")]
    ResourceNotFound(String),
    #[error("{0}")]
    TooManyTags(String),
    #[error("{0}")]
    NoSuchRemediation(String),
    #[error("{0}")]
    RemediationInProgress(String),
    #[error("{0}")]
    InvalidResultToken(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("{0}")]
    NoSuchAggregator(String),
    #[error("{0}")]
    MaxActiveResources(String),
    #[error("{0}")]
    NoAvailableOrganization(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl AwsError for ConfigError {
    fn code(&self) -> ErrorCode {
        use codes::config as c;
        match self {
            ConfigError::Validation(_) => c::VALIDATION,
            ConfigError::InvalidParameterValue(_) => c::INVALID_PARAMETER_VALUE,
            ConfigError::NoSuchRecorder(_) => c::NO_SUCH_CONFIGURATION_RECORDER,
            ConfigError::MaxRecorders(_) => c::MAX_NUMBER_OF_CONFIGURATION_RECORDERS_EXCEEDED,
            ConfigError::InvalidRecorderName(_) => c::INVALID_CONFIGURATION_RECORDER_NAME,
            ConfigError::InvalidRecordingGroup(_) => c::INVALID_RECORDING_GROUP,
            ConfigError::NoAvailableChannel(_) => c::NO_AVAILABLE_DELIVERY_CHANNEL,
            ConfigError::NoSuchChannel(_) => c::NO_SUCH_DELIVERY_CHANNEL,
            ConfigError::LastChannelDeleteFailed(_) => c::LAST_DELIVERY_CHANNEL_DELETE_FAILED,
            ConfigError::MaxChannels(_) => c::MAX_NUMBER_OF_DELIVERY_CHANNELS_EXCEEDED,
            ConfigError::NoAvailableRecorder(_) => c::NO_AVAILABLE_CONFIGURATION_RECORDER,
            ConfigError::InvalidChannelName(_) => c::INVALID_DELIVERY_CHANNEL_NAME,
            ConfigError::NoSuchBucket(_) => c::NO_SUCH_BUCKET,
            ConfigError::InvalidTopicArn(_) => c::INVALID_SNS_TOPIC_ARN,
            ConfigError::NoRunningRecorder(_) => c::NO_RUNNING_CONFIGURATION_RECORDER,
            ConfigError::InvalidTimeRange(_) => c::INVALID_TIME_RANGE,
            ConfigError::InvalidLimit(_) => c::INVALID_LIMIT,
            ConfigError::InvalidNextToken(_) => c::INVALID_NEXT_TOKEN,
            ConfigError::ResourceNotDiscovered(_) => c::RESOURCE_NOT_DISCOVERED,
            ConfigError::InvalidExpression(_) => c::INVALID_EXPRESSION,
            ConfigError::NoSuchConfigRule(_) => c::NO_SUCH_CONFIG_RULE,
            ConfigError::MaxConfigRules(_) => c::MAX_NUMBER_OF_CONFIG_RULES_EXCEEDED,
            ConfigError::ResourceInUse(_) => c::RESOURCE_IN_USE,
            ConfigError::ResourceNotFound(_) => c::RESOURCE_NOT_FOUND,
            ConfigError::TooManyTags(_) => c::TOO_MANY_TAGS,
            ConfigError::NoSuchRemediation(_) => c::NO_SUCH_REMEDIATION_CONFIGURATION,
            ConfigError::RemediationInProgress(_) => c::REMEDIATION_IN_PROGRESS,
            ConfigError::InvalidResultToken(_) => c::INVALID_RESULT_TOKEN,
            ConfigError::LimitExceeded(_) => c::LIMIT_EXCEEDED,
            ConfigError::NoSuchAggregator(_) => c::NO_SUCH_CONFIGURATION_AGGREGATOR,
            ConfigError::MaxActiveResources(_) => c::MAX_ACTIVE_RESOURCES_EXCEEDED,
            ConfigError::NoAvailableOrganization(_) => c::NO_AVAILABLE_ORGANIZATION,
            ConfigError::Storage(_) => codes::INTERNAL,
        }
    }
}

impl From<ReadError> for ConfigError {
    fn from(error: ReadError) -> Self {
        ConfigError::Storage(error.to_string())
    }
}

impl From<WriteError> for ConfigError {
    fn from(error: WriteError) -> Self {
        ConfigError::Storage(error.to_string())
    }
}

/// AWS's wording for a member that breaks its constraint ("1 validation error detected: ...").
pub fn constraint(value: &str, member: &str, rule: &str) -> ConfigError {
    ConfigError::Validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"
    ))
}

/// AWS's wording for a required member left out.
pub fn missing(member: &str) -> ConfigError {
    ConfigError::Validation(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    ))
}
