//! The one table from domain errors to wire errors: every refusal the front door can give, with its HTTP
//! status and the code each protocol family expects.

use serde_json::{Map, Value};
use skywatch_core::Failure;
use skywatch_core::ops::{AwsError, ErrorCode};

use crate::wire::{Service, SigV4Error, WireError};

/// Every way an API call can fail, independent of the wire format: the edge's own refusals (signatures,
/// routing, decoding, limits) and, as `Domain`, whatever code an engine's error names.
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
    /// An engine's refusal, with the code its error names and the error shape's other members.
    #[error("{message}")]
    Domain { code: ErrorCode, message: String, members: Box<Map<String, Value>> },
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// An engine's error as it goes on the wire.
    pub fn domain(error: &impl AwsError) -> Self {
        Self::Domain { code: error.code(), message: error.to_string(), members: Box::new(error.members()) }
    }

    /// A failed operation call.
    pub fn failure<E: AwsError>(failure: &Failure<E>) -> Self {
        match failure {
            Failure::Denied(message) => Self::AccessDenied(message.clone()),
            Failure::Refused(error) => Self::domain(error),
            Failure::Storage(error) => Self::Internal(error.to_string()),
        }
    }

    /// The code CloudTrail records for this error.
    pub fn audit_code(&self, service: Service) -> String {
        let wire = self.to_wire(Some(service));
        wire.query_code.unwrap_or(wire.code)
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
            Self::Domain { code, .. } => (code.status, code.code, code.query_code.unwrap_or(code.code)),
            Self::Internal(_) => (500, "InternalFailure", "InternalServiceError"),
        };
        let code = if query { query_code } else { json_code };
        let mut error = WireError::new(status, code, message);
        if let Self::Domain { members, .. } = self {
            for (name, value) in members.iter() {
                error = error.with_member(name.clone(), value.clone());
            }
        }
        if service == Some(Service::CloudWatch) { error.with_query_code(query_code) } else { error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skywatch_core::ops::codes;

    fn domain(code: ErrorCode) -> ApiError {
        ApiError::Domain { code, message: "x".into(), members: Box::default() }
    }

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
            (domain(codes::cloudwatch::DASHBOARD_NOT_FOUND), Some(Service::CloudWatch), 404, "ResourceNotFound"),
            (
                domain(codes::cloudwatch::DASHBOARD_INVALID_INPUT),
                Some(Service::CloudWatch),
                400,
                "InvalidParameterInput",
            ),
            (
                domain(codes::cloudtrail::INVALID_NEXT_TOKEN),
                Some(Service::CloudTrail),
                400,
                "InvalidNextTokenException",
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
