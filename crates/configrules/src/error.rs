//! The crate's one error type, each variant naming the AWS Config error code it answers with.

/// A refusal of rule text or parameters, as `PutConfigRule` answers it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// `InvalidParameterValueException`: input parameters or policy text AWS Config refuses.
    #[error("{0}")]
    InvalidParameterValue(String),
    /// `ValidationException`: a value outside the model's constraints (a length).
    #[error("{0}")]
    Validation(String),
}

impl RuleError {
    /// The AWS error code (the model's shape name).
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::InvalidParameterValue(_) => "InvalidParameterValueException",
            RuleError::Validation(_) => "ValidationException",
        }
    }

    /// The message, as AWS words it where its wording is known.
    pub fn message(&self) -> &str {
        match self {
            RuleError::InvalidParameterValue(m) | RuleError::Validation(m) => m,
        }
    }
}
