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

    /// AWS Config (JSON 1.1): every exception is a 400 named by its shape.
    pub mod config {
        use super::ErrorCode;

        pub const VALIDATION: ErrorCode = ErrorCode::new(400, "ValidationException");
        pub const NO_SUCH_CONFIGURATION_RECORDER: ErrorCode =
            ErrorCode::new(400, "NoSuchConfigurationRecorderException");
        pub const MAX_NUMBER_OF_CONFIGURATION_RECORDERS_EXCEEDED: ErrorCode =
            ErrorCode::new(400, "MaxNumberOfConfigurationRecordersExceededException");
        pub const INVALID_CONFIGURATION_RECORDER_NAME: ErrorCode =
            ErrorCode::new(400, "InvalidConfigurationRecorderNameException");
        pub const INVALID_ROLE: ErrorCode = ErrorCode::new(400, "InvalidRoleException");
        pub const INVALID_RECORDING_GROUP: ErrorCode = ErrorCode::new(400, "InvalidRecordingGroupException");
        pub const NO_AVAILABLE_DELIVERY_CHANNEL: ErrorCode = ErrorCode::new(400, "NoAvailableDeliveryChannelException");
        pub const NO_SUCH_DELIVERY_CHANNEL: ErrorCode = ErrorCode::new(400, "NoSuchDeliveryChannelException");
        pub const LAST_DELIVERY_CHANNEL_DELETE_FAILED: ErrorCode =
            ErrorCode::new(400, "LastDeliveryChannelDeleteFailedException");
        pub const MAX_NUMBER_OF_DELIVERY_CHANNELS_EXCEEDED: ErrorCode =
            ErrorCode::new(400, "MaxNumberOfDeliveryChannelsExceededException");
        pub const NO_AVAILABLE_CONFIGURATION_RECORDER: ErrorCode =
            ErrorCode::new(400, "NoAvailableConfigurationRecorderException");
        pub const INVALID_DELIVERY_CHANNEL_NAME: ErrorCode = ErrorCode::new(400, "InvalidDeliveryChannelNameException");
        pub const NO_SUCH_BUCKET: ErrorCode = ErrorCode::new(400, "NoSuchBucketException");
        pub const INVALID_S3_KEY_PREFIX: ErrorCode = ErrorCode::new(400, "InvalidS3KeyPrefixException");
        pub const INVALID_SNS_TOPIC_ARN: ErrorCode = ErrorCode::new(400, "InvalidSNSTopicARNException");
        pub const NO_RUNNING_CONFIGURATION_RECORDER: ErrorCode =
            ErrorCode::new(400, "NoRunningConfigurationRecorderException");
        pub const INVALID_TIME_RANGE: ErrorCode = ErrorCode::new(400, "InvalidTimeRangeException");
        pub const INVALID_LIMIT: ErrorCode = ErrorCode::new(400, "InvalidLimitException");
        pub const INVALID_NEXT_TOKEN: ErrorCode = ErrorCode::new(400, "InvalidNextTokenException");
        pub const RESOURCE_NOT_DISCOVERED: ErrorCode = ErrorCode::new(400, "ResourceNotDiscoveredException");
        pub const INVALID_EXPRESSION: ErrorCode = ErrorCode::new(400, "InvalidExpressionException");
        pub const NO_SUCH_CONFIG_RULE: ErrorCode = ErrorCode::new(400, "NoSuchConfigRuleException");
        pub const INVALID_PARAMETER_VALUE: ErrorCode = ErrorCode::new(400, "InvalidParameterValueException");
        pub const MAX_NUMBER_OF_CONFIG_RULES_EXCEEDED: ErrorCode =
            ErrorCode::new(400, "MaxNumberOfConfigRulesExceededException");
        pub const RESOURCE_IN_USE: ErrorCode = ErrorCode::new(400, "ResourceInUseException");
        pub const INSUFFICIENT_PERMISSIONS: ErrorCode = ErrorCode::new(400, "InsufficientPermissionsException");
        pub const RESOURCE_NOT_FOUND: ErrorCode = ErrorCode::new(400, "ResourceNotFoundException");
        pub const TOO_MANY_TAGS: ErrorCode = ErrorCode::new(400, "TooManyTagsException");
        pub const NO_SUCH_REMEDIATION_CONFIGURATION: ErrorCode =
            ErrorCode::new(400, "NoSuchRemediationConfigurationException");
        pub const INVALID_RESULT_TOKEN: ErrorCode = ErrorCode::new(400, "InvalidResultTokenException");
        pub const LIMIT_EXCEEDED: ErrorCode = ErrorCode::new(400, "LimitExceededException");
        pub const MAX_NUMBER_OF_REMEDIATION_CONFIGURATIONS_EXCEEDED: ErrorCode =
            ErrorCode::new(400, "MaxNumberOfRemediationConfigurationsExceededException");
        pub const REMEDIATION_IN_PROGRESS: ErrorCode = ErrorCode::new(400, "RemediationInProgressException");
        pub const NO_SUCH_CONFIGURATION_AGGREGATOR: ErrorCode =
            ErrorCode::new(400, "NoSuchConfigurationAggregatorException");
        pub const MAX_ACTIVE_RESOURCES_EXCEEDED: ErrorCode = ErrorCode::new(400, "MaxActiveResourcesExceededException");
        pub const ORGANIZATION_ACCESS_DENIED: ErrorCode = ErrorCode::new(400, "OrganizationAccessDeniedException");
        pub const NO_AVAILABLE_ORGANIZATION: ErrorCode = ErrorCode::new(400, "NoAvailableOrganizationException");
        pub const ORGANIZATION_ALL_FEATURES_NOT_ENABLED: ErrorCode =
            ErrorCode::new(400, "OrganizationAllFeaturesNotEnabledException");
    }

    /// EventBridge (JSON 1.1): every exception is named by its shape, with status 400; member constraint violations
    /// are `ValidationException` in the "1 validation error detected" wording.
    pub mod events {
        use super::ErrorCode;

        pub const VALIDATION: ErrorCode = ErrorCode::new(400, "ValidationException");
        pub const RESOURCE_NOT_FOUND: ErrorCode = ErrorCode::new(400, "ResourceNotFoundException");
        pub const RESOURCE_ALREADY_EXISTS: ErrorCode = ErrorCode::new(400, "ResourceAlreadyExistsException");
        pub const INVALID_EVENT_PATTERN: ErrorCode = ErrorCode::new(400, "InvalidEventPatternException");
        pub const LIMIT_EXCEEDED: ErrorCode = ErrorCode::new(400, "LimitExceededException");
        pub const POLICY_LENGTH_EXCEEDED: ErrorCode = ErrorCode::new(400, "PolicyLengthExceededException");
        pub const ILLEGAL_STATUS: ErrorCode = ErrorCode::new(400, "IllegalStatusException");
    }

    /// CloudWatch Logs (JSON 1.1): every exception is named by its shape; member constraint violations are
    /// `InvalidParameterException` in the "1 validation error detected" wording.
    pub mod logs {
        use super::ErrorCode;

        pub const INVALID_PARAMETER: ErrorCode = ErrorCode::new(400, "InvalidParameterException");
        pub const RESOURCE_NOT_FOUND: ErrorCode = ErrorCode::new(400, "ResourceNotFoundException");
        pub const RESOURCE_ALREADY_EXISTS: ErrorCode = ErrorCode::new(400, "ResourceAlreadyExistsException");
        pub const LIMIT_EXCEEDED: ErrorCode = ErrorCode::new(400, "LimitExceededException");
        pub const OPERATION_ABORTED: ErrorCode = ErrorCode::new(400, "OperationAbortedException");
        pub const INVALID_OPERATION: ErrorCode = ErrorCode::new(400, "InvalidOperationException");
        pub const VALIDATION: ErrorCode = ErrorCode::new(400, "ValidationException");
        pub const ACCESS_DENIED: ErrorCode = ErrorCode::new(400, "AccessDeniedException");
        pub const TOO_MANY_TAGS: ErrorCode = ErrorCode::new(400, "TooManyTagsException");
        pub const SERVICE_UNAVAILABLE: ErrorCode = ErrorCode::new(500, "ServiceUnavailableException");
    }
}
