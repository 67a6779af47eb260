//! One request through the front door: size limits, decompression, routing, authentication, role check,
//! decoding, the service call, and the CloudTrail record committed together with the call's data.

use bytes::Bytes;
use serde_json::Value;
use skywatch_core::Action;
use skywatch_core::Services;
use skywatch_core::audit::{EventKind, is_read_only};
use skywatch_core::store::Mutation;

use crate::authenticate::{authenticate, scope};
use crate::errors::ApiError;
use crate::services;
use crate::wire::{
    self, DecodeError, IdentifyError, Operation, Protocol, Service, WireResponse, decode_params, decompress, identify,
};

/// The most bytes a request body may have on the wire (AWS's 1 MB payload limit).
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// The most bytes a gzip request body may expand to.
pub const MAX_DECODED_BYTES: usize = 8 * 1024 * 1024;
/// Requests whose decoded body is larger than this keep their parameters out of CloudTrail records, as
/// CloudTrail leaves out oversized ones.
const MAX_AUDITED_PARAMETERS: usize = 16 * 1024;

/// An HTTP request as the front door needs it.
pub struct ApiRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    pub source_ip: String,
}

/// What a service call produced: the result to encode, the mutations to commit with its audit record, and what
/// to do once they are durable (make written metric points visible). A `refusal` is replied instead of the
/// result once the mutations are committed: a call that does part of its work and fails for the rest
/// (DeleteDashboards deletes the dashboards that exist and names the missing ones).
pub struct Outcome {
    pub result: Value,
    pub mutations: Vec<Mutation>,
    pub after_commit: Option<Box<dyn FnOnce() + Send>>,
    pub refusal: Option<ApiError>,
}

impl Outcome {
    /// A reply that writes nothing.
    pub fn reply(result: Value) -> Self {
        Self { result, mutations: Vec::new(), after_commit: None, refusal: None }
    }

    /// A reply that commits `mutations` (with the audit record) and nothing else.
    pub fn commit(result: Value, mutations: Vec<Mutation>) -> Self {
        Self { result, mutations, after_commit: None, refusal: None }
    }

    /// An error reply after committing what part of the call did succeed.
    pub fn partial(mutations: Vec<Mutation>, refusal: ApiError) -> Self {
        Self { result: Value::Null, mutations, after_commit: None, refusal: Some(refusal) }
    }
}

/// The reply for a body over [`MAX_REQUEST_BYTES`], in the shape of the protocol the request looks like.
pub fn too_large(headers: &http::HeaderMap, path: &str) -> WireResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let op = identify("POST", path, headers, b"", None).ok();
    let service = op.as_ref().map(|o| o.service);
    let error = ApiError::RequestTooLarge(format!("Request body exceeds the {MAX_REQUEST_BYTES} byte limit."));
    wire::error(op.as_ref(), guess_protocol(headers), &request_id, &error.to_wire(service))
}

fn guess_protocol(headers: &http::HeaderMap) -> Protocol {
    let content_type = headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.contains("x-amz-json-1.0") {
        Protocol::AwsJson1_0
    } else if content_type.contains("x-amz-json-1.1") {
        Protocol::AwsJson1_1
    } else if content_type.contains("cbor") {
        Protocol::RpcV2Cbor
    } else if content_type.contains("x-www-form-urlencoded") {
        Protocol::AwsQuery
    } else {
        Protocol::RestJson
    }
}

/// Serves one request at the current time.
pub async fn handle(services: &Services, request: ApiRequest) -> WireResponse {
    handle_at(services, request, chrono::Utc::now()).await
}

/// Serves one request as if the clock read `now` (signature freshness is judged against it); replay tests use
/// it to serve captured requests at the time they were signed.
pub async fn handle_at(services: &Services, request: ApiRequest, now: chrono::DateTime<chrono::Utc>) -> WireResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let fallback = guess_protocol(&request.headers);
    let reply_error = |op: Option<&Operation>, error: ApiError| {
        if matches!(error, ApiError::Internal(_)) {
            tracing::error!(%error, "internal error in front door");
        }
        wire::error(op, fallback, &request_id, &error.to_wire(op.map(|o| o.service)))
    };
    let encoding = request.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok());
    let body = match decompress(encoding, &request.body, MAX_DECODED_BYTES) {
        Ok(body) => body,
        Err(DecodeError::TooLarge { limit }) => {
            return reply_error(
                None,
                ApiError::RequestTooLarge(format!("Request body exceeds {limit} bytes once decompressed.")),
            );
        }
        Err(e) => return reply_error(None, ApiError::Serialization(e.to_string())),
    };
    let scope = scope(&request);
    let op = match identify(
        &request.method,
        &request.path,
        &request.headers,
        &body,
        scope.as_ref().map(|s| s.service.as_str()),
    ) {
        Ok(op) => op,
        Err(e) => {
            let service = match &e {
                IdentifyError::UnknownOperation { service, .. } => Some(*service),
                _ => scope.as_ref().and_then(|s| Service::from_scope_name(&s.service)),
            };
            let wire_error = ApiError::UnknownOperation(e.to_string()).to_wire(service);
            return wire::error(None, fallback, &request_id, &wire_error);
        }
    };
    // Authentication failures touch nothing, not even the audit trail.
    let identity = match authenticate(services, &request, now) {
        Ok(identity) => identity,
        Err(e) => return reply_error(Some(&op), e),
    };
    let action = Action {
        caller: identity.caller.clone(),
        region: identity.region.clone(),
        event_source: op.service.event_source(),
        event_name: op.name.clone(),
        source_ip: request.source_ip.clone(),
        user_agent: request
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned(),
        request_id: request_id.clone(),
        request_parameters: None,
        resources: Vec::new(),
    };
    let (outcome, parameters) = run(services, &op, &identity, &body).await;
    // The decoded body's size bounds the parameters' size: no second serialisation on the hot path.
    let audited = parameters.filter(|_| body.len() <= MAX_AUDITED_PARAMETERS);
    let action = Action { request_parameters: audited, ..action };
    match outcome {
        Ok(Outcome { result, mutations, after_commit, refusal }) => {
            let refusal = refusal.map(|error| error.to_wire(Some(op.service)));
            let audit = refusal.as_ref().map(|error| (error.code.clone(), error.message.clone()));
            match services.commit_with_audit(EventKind::ApiCall, action, mutations, audit).await {
                Ok(()) => {
                    if let Some(after_commit) = after_commit {
                        after_commit();
                    }
                    match refusal {
                        Some(error) => wire::error(Some(&op), fallback, &request_id, &error),
                        None => wire::success(&op, &request_id, &result),
                    }
                }
                Err(e) => reply_error(Some(&op), ApiError::Internal(e.to_string())),
            }
        }
        Err(error) => {
            let wire_error = error.to_wire(Some(op.service));
            let audit = Some((wire_error.code.clone(), wire_error.message.clone()));
            if let Err(e) = services.commit_with_audit(EventKind::ApiCall, action, Vec::new(), audit).await {
                tracing::error!(error = %e, "could not record a failed call");
            }
            wire::error(Some(&op), fallback, &request_id, &wire_error)
        }
    }
}

/// Checks the role, decodes the parameters and calls the service. Returns the parameters for the audit record.
async fn run(
    services: &Services,
    op: &Operation,
    identity: &crate::authenticate::Identity,
    body: &[u8],
) -> (Result<Outcome, ApiError>, Option<Value>) {
    let params = match decode_params(op.protocol, body) {
        Ok(params) => params,
        Err(e) => return (Err(ApiError::Serialization(e.to_string())), None),
    };
    if !identity.caller.role().may_mutate() && !is_read_only(&op.name) {
        let message = format!(
            "User: {} is not authorized to perform: {}:{} because its role is viewer",
            identity.caller.account(),
            op.service.scope_name(),
            op.name
        );
        return (Err(ApiError::AccessDenied(message)), Some(params));
    }
    let outcome = services::call(services, op, identity, &params).await;
    (outcome, Some(params))
}
