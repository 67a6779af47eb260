//! The one table from domain errors to wire errors: every refusal the front door can give, with its HTTP
//! status and the code each protocol family expects.

use serde_json::{Value, json};
use skywatch_core::audit::LookupError;
use skywatch_core::metrics::{MetricsQueryError, PutMetricDataError};
use skywatch_dashboards::ValidationMessage;
use skywatch_dashboards::service::{DeleteDashboardsError, GetDashboardError, ListDashboardsError, PutDashboardError};

use crate::wire::{Service, SigV4Error, WireError};

/// Every way an API call can fail, independent of the wire format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    MissingAuthenticationToken(String),
    #[error("{0}")]
    IncompleteSignature(String),
    #[error("The security token included in the request is invalid.")]
    UnrecognizedClient,
    #[error("{0}")]
    InvalidSignature(String),
    #[error("{0}")]
    AccessDenied(String),
    #[error("{0}")]
    UnknownOperation(String),
    #[error("{0}")]
    NotImplemented(String),
    #[error("{0}")]
    Serialization(String),
    #[error("{0}")]
    RequestTooLarge(String),
    #[error("{0}")]
    MissingParameter(String),
    #[error("{0}")]
    InvalidParameterValue(String),
    #[error("{0}")]
    InvalidParameterCombination(String),
    /// CloudWatch's DashboardInvalidInputError: a refused dashboard body, with every validation message.
    #[error("{message}")]
    InvalidParameterInput { message: String, validation: Vec<ValidationMessage> },
    /// CloudWatch's DashboardNotFoundError.
    #[error("{0}")]
    ResourceNotFound(String),
    /// A service-specific exception whose model name is given as is (e.g. CloudTrail's InvalidMaxResultsException).
    #[error("{message}")]
    Named { code: &'static str, message: String },
    #[error("{0}")]
    Internal(String),
}

impl From<MetricsQueryError> for ApiError {
    fn from(error: MetricsQueryError) -> Self {
        match error {
            MetricsQueryError::MissingParameter(m) => Self::MissingParameter(m),
            MetricsQueryError::InvalidParameterValue(m) => Self::InvalidParameterValue(m),
            MetricsQueryError::InvalidParameterCombination(m) => Self::InvalidParameterCombination(m),
            MetricsQueryError::InvalidNextToken(m) => Self::Named { code: "InvalidNextToken", message: m },
            MetricsQueryError::Validation(m) => Self::Named { code: "ValidationError", message: m },
            storage @ MetricsQueryError::Storage(_) => Self::Internal(storage.to_string()),
        }
    }
}

impl From<PutMetricDataError> for ApiError {
    fn from(error: PutMetricDataError) -> Self {
        match error {
            PutMetricDataError::MissingParameter(m) => Self::MissingParameter(m),
            PutMetricDataError::InvalidParameterValue(m) => Self::InvalidParameterValue(m),
            PutMetricDataError::InvalidParameterCombination(m) => Self::InvalidParameterCombination(m),
        }
    }
}

impl From<LookupError> for ApiError {
    fn from(error: LookupError) -> Self {
        let message = error.to_string();
        let code = match error {
            LookupError::InvalidLookupAttributes(_) => "InvalidLookupAttributesException",
            LookupError::InvalidMaxResults(_) => "InvalidMaxResultsException",
            LookupError::InvalidTimeRange => "InvalidTimeRangeException",
            LookupError::InvalidNextToken => "InvalidNextTokenException",
            LookupError::Storage(_) => return Self::Internal(message),
        };
        Self::Named { code, message }
    }
}

impl From<PutDashboardError> for ApiError {
    fn from(error: PutDashboardError) -> Self {
        let message = error.to_string();
        match error {
            PutDashboardError::InvalidBody(validation) => Self::InvalidParameterInput { message, validation },
            PutDashboardError::InvalidName(_) | PutDashboardError::BodyTooLarge { .. } => {
                Self::InvalidParameterValue(message)
            }
        }
    }
}

impl From<GetDashboardError> for ApiError {
    fn from(error: GetDashboardError) -> Self {
        match error {
            GetDashboardError::NotFound(_) => Self::ResourceNotFound(error.to_string()),
            GetDashboardError::Storage(_) => Self::Internal(error.to_string()),
        }
    }
}

impl From<ListDashboardsError> for ApiError {
    fn from(error: ListDashboardsError) -> Self {
        match error {
            ListDashboardsError::InvalidPrefix | ListDashboardsError::InvalidNextToken => {
                Self::InvalidParameterValue(error.to_string())
            }
            ListDashboardsError::Storage(_) => Self::Internal(error.to_string()),
        }
    }
}

impl From<DeleteDashboardsError> for ApiError {
    fn from(error: DeleteDashboardsError) -> Self {
        match error {
            DeleteDashboardsError::TooManyNames(_) => Self::InvalidParameterValue(error.to_string()),
            DeleteDashboardsError::NotFound(_) => Self::ResourceNotFound(error.to_string()),
            DeleteDashboardsError::Storage(_) => Self::Internal(error.to_string()),
        }
    }
}

/// Signature failures, worded as AWS words them.
pub fn from_sigv4(error: SigV4Error) -> ApiError {
    let message = error.to_string();
    match error {
        SigV4Error::MissingAuthorization => ApiError::MissingAuthenticationToken(message),
        SigV4Error::MalformedAuthorization(_) | SigV4Error::MissingDate | SigV4Error::InvalidDate(_) => {
            ApiError::IncompleteSignature(message)
        }
        _ => ApiError::InvalidSignature(message),
    }
}

/// Whether a service speaks a query-family protocol (its error codes are the short query codes).
fn query_family(service: Service) -> bool {
    matches!(service, Service::CloudWatch | Service::Sns)
}

impl ApiError {
    /// The wire error for `service` (None when the request could not be tied to a service).
    pub fn to_wire(&self, service: Option<Service>) -> WireError {
        let query = service.is_some_and(query_family);
        let message = self.to_string();
        // (status, JSON-protocol code, query-protocol code)
        let (status, json_code, query_code): (u16, &str, &str) = match self {
            Self::MissingAuthenticationToken(_) => {
                (403, "MissingAuthenticationTokenException", "MissingAuthenticationToken")
            }
            Self::IncompleteSignature(_) => (400, "IncompleteSignatureException", "IncompleteSignature"),
            Self::UnrecognizedClient => (403, "UnrecognizedClientException", "InvalidClientTokenId"),
            Self::InvalidSignature(_) => (403, "InvalidSignatureException", "SignatureDoesNotMatch"),
            Self::AccessDenied(_) => (403, "AccessDeniedException", "AccessDenied"),
            Self::UnknownOperation(_) => (400, "UnknownOperationException", "InvalidAction"),
            Self::NotImplemented(_) => (501, "NotImplementedException", "NotImplemented"),
            Self::Serialization(_) => (400, "SerializationException", "MalformedQueryString"),
            Self::RequestTooLarge(_) => (413, "RequestEntityTooLargeException", "RequestEntityTooLarge"),
            Self::MissingParameter(_) => (400, "MissingParameterException", "MissingParameter"),
            Self::InvalidParameterValue(_) => (400, "InvalidParameterValueException", "InvalidParameterValue"),
            Self::InvalidParameterCombination(_) => {
                (400, "InvalidParameterCombinationException", "InvalidParameterCombination")
            }
            Self::InvalidParameterInput { .. } => (400, "DashboardInvalidInputError", "InvalidParameterInput"),
            Self::ResourceNotFound(_) => (404, "DashboardNotFoundError", "ResourceNotFound"),
            Self::Named { code, .. } => (400, code, code),
            Self::Internal(_) => (500, "InternalFailure", "InternalServiceError"),
        };
        let code = if query { query_code } else { json_code };
        let mut error = WireError::new(status, code, message);
        if let Self::InvalidParameterInput { validation, .. } = self {
            let messages: Vec<Value> =
                validation.iter().map(|m| json!({ "DataPath": m.data_path, "Message": m.message })).collect();
            error = error.with_member("dashboardValidationMessages", Value::Array(messages));
        }
        if service == Some(Service::CloudWatch) { error.with_query_code(query_code) } else { error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table, row by row: error, service, expected (status, code).
    #[test]
    fn wire_codes_follow_the_protocol_family() {
        let cases: Vec<(ApiError, Option<Service>, u16, &str)> = vec![
            (ApiError::UnknownOperation("x".into()), Some(Service::Logs), 400, "UnknownOperationException"),
            (ApiError::UnknownOperation("x".into()), Some(Service::Sns), 400, "InvalidAction"),
            (ApiError::InvalidSignature("x".into()), Some(Service::CloudTrail), 403, "InvalidSignatureException"),
            (ApiError::InvalidSignature("x".into()), Some(Service::CloudWatch), 403, "SignatureDoesNotMatch"),
            (ApiError::UnrecognizedClient, Some(Service::Events), 403, "UnrecognizedClientException"),
            (ApiError::InvalidParameterValue("x".into()), Some(Service::CloudWatch), 400, "InvalidParameterValue"),
            (ApiError::AccessDenied("x".into()), Some(Service::Config), 403, "AccessDeniedException"),
            (ApiError::RequestTooLarge("x".into()), Some(Service::CloudWatch), 413, "RequestEntityTooLarge"),
            (ApiError::Internal("x".into()), Some(Service::XRay), 500, "InternalFailure"),
            (ApiError::ResourceNotFound("x".into()), Some(Service::CloudWatch), 404, "ResourceNotFound"),
            (
                ApiError::InvalidParameterInput { message: "x".into(), validation: Vec::new() },
                Some(Service::CloudWatch),
                400,
                "InvalidParameterInput",
            ),
        ];
        for (error, service, status, code) in cases {
            let wire = error.to_wire(service);
            assert_eq!((wire.status, wire.code.as_str()), (status, code), "{error:?} for {service:?}");
        }
        let cloudwatch = ApiError::InvalidParameterValue("x".into()).to_wire(Some(Service::CloudWatch));
        assert_eq!(cloudwatch.query_code.as_deref(), Some("InvalidParameterValue"));
    }
}
