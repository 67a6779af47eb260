//! One request through the front door: size limits, decompression, routing, authentication, role check,
//! decoding, the service call, and the CloudTrail record committed together with the call's data.

use std::borrow::Cow;

use bytes::Bytes;
use skywatch_core::Services;
use skywatch_core::audit::EventKind;
use skywatch_core::ops::{Access, Context, Origin, Spec, camel_case_keys};
use skywatch_core::{Record, denied_message};

use crate::authenticate::{authenticate, scope};
use crate::errors::ApiError;
use crate::registry::{self, Answer, Refusal};
use crate::streaming::ReplyStream;
use crate::wire::{
    self, DecodeError, IdentifyError, Operation, Protocol, Service, WireResponse, decode_params, decompress, identify,
};

/// The most bytes a request body may have on the wire (AWS's 1 MB payload limit).
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// The most bytes a CloudWatch Logs request body may have: PutLogEvents counts its 1 MiB batch in message bytes,
/// and JSON's framing and escapes (boto3 escapes every non-ASCII character) make the request several times that.
pub const MAX_LOGS_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// The most bytes a request with these headers may carry on the wire.
pub fn request_limit(headers: &http::HeaderMap) -> usize {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
    if target.starts_with("Logs_20140328.") { MAX_LOGS_REQUEST_BYTES } else { MAX_REQUEST_BYTES }
}

/// The most bytes a gzip request body may expand to.
pub const MAX_DECODED_BYTES: usize = 8 * 1024 * 1024;

/// An HTTP request as the front door needs it.
pub struct ApiRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    pub source_ip: String,
}

/// The reply for a body over [`request_limit`], in the shape of the protocol the request looks like.
pub fn too_large(headers: &http::HeaderMap, path: &str) -> WireResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let op = identify("POST", path, headers, b"", None).ok();
    let service = op.as_ref().map(|o| o.service);
    let limit = request_limit(headers);
    let error = ApiError::RequestTooLarge(format!("Request body exceeds the {limit} byte limit."));
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

/// A reply: whole, or a head (status and headers) whose body is streamed as it is made (an event stream).
#[derive(Debug)]
pub enum ApiReply {
    Whole(WireResponse),
    Streamed { head: WireResponse, body: ReplyStream },
}

impl ApiReply {
    /// The reply's status, headers and whole body; a streamed body is dropped, which ends what makes it.
    pub fn into_whole(self) -> WireResponse {
        match self {
            ApiReply::Whole(response) => response,
            ApiReply::Streamed { head, .. } => head,
        }
    }
}

/// An operation's answer as a reply.
fn answered(op: &Operation, has_output: bool, request_id: &str, answer: Answer) -> ApiReply {
    match answer {
        Answer::Result(result) => ApiReply::Whole(wire::success(op, has_output, request_id, result)),
        Answer::Stream(body) => ApiReply::Streamed { head: body.head(request_id), body },
    }
}

/// Serves one request at the current time (a reply with a whole body; the server uses [`reply`]).
pub async fn handle(services: &Services, request: ApiRequest) -> WireResponse {
    handle_at(services, request, chrono::Utc::now()).await
}

/// [`reply_at`] for a reply with a whole body (a streamed body is dropped: tests and replays of whole replies).
pub async fn handle_at(services: &Services, request: ApiRequest, now: chrono::DateTime<chrono::Utc>) -> WireResponse {
    reply_at(services, request, now).await.into_whole()
}

/// Serves one request at the current time, streaming the body of an operation that answers with a stream.
pub async fn reply(services: &Services, request: ApiRequest) -> ApiReply {
    reply_at(services, request, chrono::Utc::now()).await
}

/// Serves one request as if the clock read `now`: signature freshness and the operation itself (its context's
/// clock) are judged against it, so replay tests serve captured requests at the time they were made.
pub async fn reply_at(services: &Services, request: ApiRequest, now: chrono::DateTime<chrono::Utc>) -> ApiReply {
    let request_id = uuid::Uuid::new_v4().to_string();
    let fallback = guess_protocol(&request.headers);
    let reply_error = |op: Option<&Operation>, error: ApiError| {
        if matches!(error, ApiError::Internal(_)) {
            tracing::error!(%error, "internal error in front door");
        }
        ApiReply::Whole(wire::error(op, fallback, &request_id, &error.to_wire(op.map(|o| o.service))))
    };
    let scope = scope(&request);
    let scope_service = scope.as_ref().map(|s| s.service.clone());
    let encoding = request.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok());
    // A compressed body is inflated only for a caller whose signature holds (it covers the body as sent), so an
    // unsigned gzip bomb costs nothing; routing for the error reply then reads the headers alone.
    let early_identity = match encoding {
        None => None,
        Some(_) => match authenticate(services, &request, now) {
            Ok(identity) => Some(identity),
            Err(e) => {
                let op = identify(&request.method, &request.path, &request.headers, b"", scope_service.as_deref());
                return reply_error(op.ok().as_ref(), e);
            }
        },
    };
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
    let op = match identify(&request.method, &request.path, &request.headers, &body, scope_service.as_deref()) {
        Ok(op) => op,
        Err(e) => {
            let service = match &e {
                IdentifyError::UnknownOperation { service, .. } => Some(*service),
                _ => scope.as_ref().and_then(|s| Service::from_scope_name(&s.service)),
            };
            let wire_error = ApiError::UnknownOperation(e.to_string()).to_wire(service);
            return ApiReply::Whole(wire::error(None, fallback, &request_id, &wire_error));
        }
    };
    // A signature scoped to another service is refused as AWS refuses it, whatever the key.
    if let Some(scoped) = scope_service.as_deref().filter(|s| *s != op.service.scope_name()) {
        tracing::debug!(scoped, operation = %op.name, "credential scoped to another service");
        let message = format!("Credential should be scoped to correct service: '{}'. ", op.service.scope_name());
        return reply_error(Some(&op), ApiError::InvalidSignature(message));
    }
    // Authentication failures touch nothing, not even the audit trail.
    let identity = match early_identity.map_or_else(|| authenticate(services, &request, now), Ok) {
        Ok(identity) => identity,
        Err(e) => return reply_error(Some(&op), e),
    };
    let user_agent = request.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ctx = Context::new(identity.caller, identity.region, request_id.clone(), now.timestamp_millis())
        .from_origin(Origin { source_ip: request.source_ip.clone(), user_agent: user_agent.to_owned() });
    let (has_output, outcome) = run(services, &op, &ctx, Cow::Owned(body)).await;
    match outcome {
        Ok(answer) => answered(&op, has_output, &request_id, answer),
        Err(error) => ApiReply::Whole(wire::error(Some(&op), fallback, &request_id, &error.to_wire(Some(op.service)))),
    }
}

/// Decodes the parameters and runs the operation through its registry row. Refusals the operation layer did
/// not record (undecodable parameters, operations not implemented yet) are recorded here. An owned body is first
/// offered to the row's fast decoder, which either takes it or leaves it to the generic path.
async fn run(
    services: &Services,
    op: &Operation,
    ctx: &Context,
    mut body: Cow<'_, [u8]>,
) -> (bool, Result<Answer, ApiError>) {
    let row = registry::find(op.service, &op.name);
    let spec = Spec {
        service: op.service.scope_name(),
        event_source: op.service.event_source(),
        name: row
            .map_or_else(|| op.service.operations().iter().find(|n| **n == op.name).copied().unwrap_or(""), |r| r.name),
        access: row.map_or(Access::Write, |r| r.access),
        limits: row.map_or(&[], |r| r.limits),
    };
    if let (Some(row), Cow::Owned(bytes)) = (row, &mut body)
        && let Some(fast) = row.fast
    {
        let mut slot = Some(std::mem::take(bytes));
        let reply = fast(services, ctx, op.protocol, &mut slot);
        *bytes = slot.unwrap_or_default();
        if let Some(reply) = reply {
            return match reply.await {
                Ok(result) => (row.has_output, Ok(result)),
                Err(Refusal { error, recorded }) => {
                    if !recorded {
                        record(services, ctx, spec, None, &error, op.service).await;
                    }
                    (row.has_output, Err(error))
                }
            };
        }
    }
    let body: &[u8] = &body;
    let params = match decode_params(op.protocol, body) {
        Ok(params) => params,
        Err(e) => {
            let error = ApiError::Serialization(e.to_string());
            record(services, ctx, spec, None, &error, op.service).await;
            return (true, Err(error));
        }
    };
    let Some(row) = row else {
        let error = ApiError::UnknownOperation(format!(
            "Skywatch does not implement {}:{} yet.",
            op.service.scope_name(),
            op.name
        ));
        if spec.access == Access::Write && !ctx.caller.role().may_mutate() {
            let denied = ApiError::AccessDenied(denied_message(ctx, &spec));
            record(services, ctx, spec, camel_case_keys(&params, body.len()), &denied, op.service).await;
            return (true, Err(denied));
        }
        record(services, ctx, spec, camel_case_keys(&params, body.len()), &error, op.service).await;
        return (true, Err(error));
    };
    match (row.handler)(services, ctx, &params).await {
        Ok(result) => (row.has_output, Ok(result)),
        Err(Refusal { error, recorded: true }) => (row.has_output, Err(error)),
        Err(Refusal { error, recorded: false }) => {
            record(services, ctx, spec, camel_case_keys(&params, body.len()), &error, op.service).await;
            (row.has_output, Err(error))
        }
    }
}

/// Records a refusal the operation layer did not see.
async fn record(
    services: &Services,
    ctx: &Context,
    spec: Spec,
    parameters: Option<serde_json::Value>,
    error: &ApiError,
    service: Service,
) {
    let record = Record {
        kind: EventKind::ApiCall,
        spec,
        ctx,
        parameters,
        resources: Vec::new(),
        error: Some((error.audit_code(service), error.to_string())),
    };
    if let Err(e) = services.commit(record, Vec::new()).await {
        tracing::error!(error = %e, "could not record a refused call");
    }
}

/// Whether a GET is one of the links SNS messages carry: `/?Action=ConfirmSubscription&...` (SubscribeURL) or
/// `/?Action=Unsubscribe&...` (UnsubscribeURL).
pub fn is_sns_link(method: &str, path: &str, query: &str) -> bool {
    method == "GET" && path == "/" && link_action(query).is_some()
}

fn link_action(query: &str) -> Option<&'static str> {
    query.split('&').find_map(|pair| match pair {
        "Action=ConfirmSubscription" => Some("ConfirmSubscription"),
        "Action=Unsubscribe" => Some("Unsubscribe"),
        _ => None,
    })
}

/// The X-Ray SDKs' calls to the daemon port (`POST /GetSamplingRules`, `POST /SamplingTargets`), unsigned as the
/// SDKs send them: the same operations as the API's, in the daemon's account and region, recorded like any call.
/// Other paths are 404.
pub async fn handle_daemon(
    services: &Services,
    (account, region): (&str, &str),
    path: &str,
    body: &[u8],
    source_ip: &str,
) -> WireResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let name = crate::wire::protocol::xray_operation_for_path(path)
        .filter(|name| matches!(*name, "GetSamplingRules" | "GetSamplingTargets"));
    let Some(name) = name else {
        return WireResponse {
            status: 404,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"Not Found".to_vec(),
        };
    };
    let op = Operation { service: Service::XRay, protocol: Protocol::RestJson, name: name.to_owned() };
    let caller = skywatch_core::model::Caller::Anonymous { account: account.to_owned() };
    let ctx = Context::new(caller, region, request_id.clone(), chrono::Utc::now().timestamp_millis())
        .from_origin(Origin { source_ip: source_ip.to_owned(), user_agent: "X-Ray SDK (daemon port)".into() });
    let (has_output, outcome) = run(services, &op, &ctx, Cow::Borrowed(body)).await;
    match outcome {
        Ok(answer) => answered(&op, has_output, &request_id, answer).into_whole(),
        Err(error) => wire::error(Some(&op), Protocol::RestJson, &request_id, &error.to_wire(Some(Service::XRay))),
    }
}

/// Whether a GET asks for the certificate SNS messages are signed with (the `SigningCertURL` they carry:
/// `/SimpleNotificationService-<hash>.pem`).
pub fn is_signing_certificate(method: &str, path: &str) -> bool {
    method == "GET"
        && path.strip_prefix('/').is_some_and(|name| {
            name.starts_with(skywatch_core::sns::signing::CERTIFICATE_PREFIX)
                && name.ends_with(".pem")
                && !name.contains('/')
                && name.len() <= 128
        })
}

/// The signing certificate, as SNS serves it: public, PEM; 404 for any other name.
pub async fn signing_certificate(services: &Services, path: &str) -> WireResponse {
    let name = path.trim_start_matches('/');
    match services.sns.signing_certificate(name).await {
        Some(pem) => WireResponse {
            status: 200,
            headers: vec![("Content-Type".into(), "application/x-x509-ca-cert".into())],
            body: pem.into_bytes(),
        },
        None => WireResponse {
            status: 404,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"Not Found".to_vec(),
        },
    }
}

/// Serves an SNS link without a signature, as SNS does: the call acts in the account and region of the topic it
/// names (so the token, or the subscription's ARN, is the credential), and is recorded like any call.
pub async fn handle_link(services: &Services, request: ApiRequest) -> WireResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let Some(name) = link_action(&request.query) else {
        let error = ApiError::UnknownOperation("Not an SNS link.".into());
        return wire::error(None, Protocol::AwsQuery, &request_id, &error.to_wire(Some(Service::Sns)));
    };
    let op = Operation { service: Service::Sns, protocol: Protocol::AwsQuery, name: name.to_owned() };
    let params = decode_params(Protocol::AwsQuery, request.query.as_bytes()).unwrap_or_default();
    let arn = params
        .get("TopicArn")
        .or_else(|| params.get("SubscriptionArn"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let topic = arn.rsplit_once(':').map_or(arn, |(topic, _)| topic);
    let owner =
        skywatch_core::sns::arn::parse_topic_arn(arn).or_else(|| skywatch_core::sns::arn::parse_topic_arn(topic));
    let Some((region, account, _)) = owner else {
        let error = ApiError::InvalidParameterValue(format!("Invalid parameter: {arn}"));
        return wire::error(Some(&op), Protocol::AwsQuery, &request_id, &error.to_wire(Some(Service::Sns)));
    };
    let caller = skywatch_core::model::Caller::Anonymous { account: account.to_owned() };
    let user_agent = request.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ctx = Context::new(caller, region, request_id.clone(), chrono::Utc::now().timestamp_millis())
        .from_origin(Origin { source_ip: request.source_ip.clone(), user_agent: user_agent.to_owned() });
    let (has_output, outcome) = run(services, &op, &ctx, Cow::Borrowed(request.query.as_bytes())).await;
    match outcome {
        Ok(answer) => answered(&op, has_output, &request_id, answer).into_whole(),
        Err(error) => wire::error(Some(&op), Protocol::AwsQuery, &request_id, &error.to_wire(Some(Service::Sns))),
    }
}
