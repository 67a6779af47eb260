//! AWS error codes. Each domain error names its code here (the model's error shape name, the awsQuery code
//! where the service has one, and the HTTP status); the wire edge only chooses which of the two codes a
//! protocol shows and how it is framed.

/// An AWS error code as the service's model defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCode {
    /// HTTP status.
    pub status: u16,
    /// The error shape's name, e.g. `ResourceNotFoundException` or CloudWatch's `DashboardNotFoundError`.
    pub code: &'static str,
    /// The awsQuery code (`error.code` in the model) of query-compatible services, e.g. `ResourceNotFound`.
    pub query_code: Option<&'static str>,
}

impl ErrorCode {
    /// A code of a JSON service.
    pub const fn new(status: u16, code: &'static str) -> Self {
        Self { status, code, query_code: None }
    }

    /// A code of a query-compatible service (CloudWatch, SNS): the shape name and the query code.
    pub const fn query(status: u16, code: &'static str, query_code: &'static str) -> Self {
        Self { status, code, query_code: Some(query_code) }
    }

    /// The code CloudTrail records as `errorCode`: the query code where there is one, else the shape name.
    pub fn audit_code(&self) -> &'static str {
        self.query_code.unwrap_or(self.code)
    }
}

/// A domain error that knows its AWS code. Its `Display` is the message the client sees.
pub trait AwsError: std::error::Error + Send + Sync + 'static {
    /// The error's code.
    fn code(&self) -> ErrorCode;

    /// Modeled members of the error shape besides its message (e.g. CloudWatch's `dashboardValidationMessages`).
    fn members(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::Map::new()
    }
}

/// Codes shared by several services.
pub mod codes {
    use super::ErrorCode;

    /// A failure of the server itself (a storage error).
    pub const INTERNAL: ErrorCode = ErrorCode::query(500, "InternalFailure", "InternalServiceError");
    /// The caller's role may not call the operation.
    pub const ACCESS_DENIED: ErrorCode = ErrorCode::query(403, "AccessDeniedException", "AccessDenied");
    /// Too many requests of this kind at once (AWS's common `ThrottlingException`).
    pub const THROTTLING: ErrorCode = ErrorCode::query(400, "ThrottlingException", "Throttling");

    /// CloudWatch's codes (query compatible: JSON shape name, query code).
    pub mod cloudwatch {
        use super::ErrorCode;

        pub const MISSING_PARAMETER: ErrorCode = ErrorCode::query(400, "MissingParameterException", "MissingParameter");
        pub const INVALID_PARAMETER_VALUE: ErrorCode =
            ErrorCode::query(400, "InvalidParameterValueException", "InvalidParameterValue");
        pub const INVALID_PARAMETER_COMBINATION: ErrorCode =
            ErrorCode::query(400, "InvalidParameterCombinationException", "InvalidParameterCombination");
        pub const INVALID_NEXT_TOKEN: ErrorCode = ErrorCode::query(400, "InvalidNextToken", "InvalidNextToken");
        pub const VALIDATION: ErrorCode = ErrorCode::query(400, "ValidationError", "ValidationError");
        /// DashboardInvalidInputError.
        pub const DASHBOARD_INVALID_INPUT: ErrorCode =
            ErrorCode::query(400, "DashboardInvalidInputError", "InvalidParameterInput");
        /// ResourceNotFound (alarms).
        pub const RESOURCE_NOT_FOUND: ErrorCode = ErrorCode::query(404, "ResourceNotFound", "ResourceNotFound");
        /// ResourceNotFoundException (tagging).
        pub const RESOURCE_NOT_FOUND_EXCEPTION: ErrorCode =
            ErrorCode::query(404, "ResourceNotFoundException", "ResourceNotFoundException");
        /// LimitExceededFault.
        pub const LIMIT_EXCEEDED: ErrorCode = ErrorCode::query(400, "LimitExceededFault", "LimitExceeded");
        /// InvalidFormatFault.
        pub const INVALID_FORMAT: ErrorCode = ErrorCode::query(400, "InvalidFormatFault", "InvalidFormat");
        /// DashboardNotFoundError.
        pub const DASHBOARD_NOT_FOUND: ErrorCode = ErrorCode::query(404, "DashboardNotFoundError", "ResourceNotFound");
    }

    /// CloudTrail's codes.
    pub mod cloudtrail {
        use super::ErrorCode;

        pub const INVALID_LOOKUP_ATTRIBUTES: ErrorCode = ErrorCode::new(400, "InvalidLookupAttributesException");
        pub const INVALID_MAX_RESULTS: ErrorCode = ErrorCode::new(400, "InvalidMaxResultsException");
        pub const INVALID_TIME_RANGE: ErrorCode = ErrorCode::new(400, "InvalidTimeRangeException");
        pub const INVALID_NEXT_TOKEN: ErrorCode = ErrorCode::new(400, "InvalidNextTokenException");
    }

    /// SNS's codes (an awsQuery service: the query code is what clients see).
    pub mod sns {
        use super::ErrorCode;

        pub const INVALID_PARAMETER: ErrorCode = ErrorCode::query(400, "InvalidParameterException", "InvalidParameter");
        pub const NOT_FOUND: ErrorCode = ErrorCode::query(404, "NotFoundException", "NotFound");
        pub const TOPIC_LIMIT_EXCEEDED: ErrorCode =
            ErrorCode::query(403, "TopicLimitExceededException", "TopicLimitExceeded");
        pub const SUBSCRIPTION_LIMIT_EXCEEDED: ErrorCode =
            ErrorCode::query(403, "SubscriptionLimitExceededException", "SubscriptionLimitExceeded");
        pub const AUTHORIZATION_ERROR: ErrorCode =
            ErrorCode::query(403, "AuthorizationErrorException", "AuthorizationError");
    }

    /// X-Ray's codes (rest-json: the shape name in `x-amzn-ErrorType`).
    pub mod xray {
        use super::ErrorCode;

        pub const INVALID_REQUEST: ErrorCode = ErrorCode::new(400, "InvalidRequestException");
        pub const THROTTLED: ErrorCode = ErrorCode::new(429, "ThrottledException");
        pub const RULE_LIMIT_EXCEEDED: ErrorCode = ErrorCode::new(400, "RuleLimitExceededException");
        pub const TOO_MANY_TAGS: ErrorCode = ErrorCode::new(400, "TooManyTagsException");
        pub const RESOURCE_NOT_FOUND: ErrorCode = ErrorCode::new(404, "ResourceNotFoundException");
    }

    /// IAM's codes (for the console's users).
    pub mod iam {
        use super::ErrorCode;

        pub const VALIDATION: ErrorCode = ErrorCode::query(400, "ValidationError", "ValidationError");
        pub const PASSWORD_POLICY_VIOLATION: ErrorCode =
            ErrorCode::query(400, "PasswordPolicyViolationException", "PasswordPolicyViolation");
    }
}
