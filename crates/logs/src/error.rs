//! Why a Logs operation refused, each reason naming CloudWatch Logs' error code.

use skywatch_ops::{AwsError, ErrorCode, codes};
use skywatch_store::{ReadError, WriteError};

use crate::keys::KeyError;

/// A Logs refusal; the message is what CloudWatch Logs says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogsError {
    #[error("{0}")]
    InvalidParameter(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    AlreadyExists(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("{0}")]
    OperationAborted(String),
    #[error("{0}")]
    InvalidOperation(String),
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    AccessDenied(String),
    #[error("{0}")]
    TooManyTags(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl LogsError {
    /// AWS's wording of a member that breaks its model constraint.
    pub fn constraint(member: &str, value: &str, constraint: &str) -> Self {
        LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
        ))
    }

    pub fn no_group() -> Self {
        LogsError::NotFound("The specified log group does not exist.".into())
    }

    pub fn no_stream() -> Self {
        LogsError::NotFound("The specified log stream does not exist.".into())
    }
}

impl AwsError for LogsError {
    fn code(&self) -> ErrorCode {
        use codes::logs;
        match self {
            LogsError::InvalidParameter(_) => logs::INVALID_PARAMETER,
            LogsError::NotFound(_) => logs::RESOURCE_NOT_FOUND,
            LogsError::AlreadyExists(_) => logs::RESOURCE_ALREADY_EXISTS,
            LogsError::LimitExceeded(_) => logs::LIMIT_EXCEEDED,
            LogsError::OperationAborted(_) => logs::OPERATION_ABORTED,
            LogsError::InvalidOperation(_) => logs::INVALID_OPERATION,
            LogsError::Validation(_) => logs::VALIDATION,
            LogsError::AccessDenied(_) => logs::ACCESS_DENIED,
            LogsError::TooManyTags(_) => logs::TOO_MANY_TAGS,
            LogsError::Storage(_) => codes::INTERNAL,
        }
    }
}

impl From<ReadError> for LogsError {
    fn from(error: ReadError) -> Self {
        LogsError::Storage(error.to_string())
    }
}

impl From<WriteError> for LogsError {
    fn from(error: WriteError) -> Self {
        LogsError::Storage(error.to_string())
    }
}

impl From<KeyError> for LogsError {
    fn from(error: KeyError) -> Self {
        match error {
            KeyError::BadArn(arn) => LogsError::InvalidParameter(format!(
                "Specified KMS key {arn} is not a valid KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>) of this account and region."
            )),
            KeyError::Missing(arn) => LogsError::AccessDenied(format!(
                "The specified KMS key {arn} does not exist or is not allowed to be used with this log group."
            )),
            KeyError::Decrypt(arn) => {
                LogsError::AccessDenied(format!("Log data encrypted with KMS key {arn} could not be decrypted."))
            }
            KeyError::Io(message) => LogsError::Storage(message),
        }
    }
}
