//! Which service, protocol and operation a request is, following the routing table of aws-wire.md: the
//! `X-Amz-Target` prefix (JSON 1.0/1.1), the X-Ray REST path, the RPCv2 CBOR path, or the awsQuery form body.

use super::operations;

/// The wire protocols Skywatch speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    AwsJson1_0,
    AwsJson1_1,
    RestJson,
    AwsQuery,
    RpcV2Cbor,
}

impl Protocol {
    /// The `Content-Type` of replies in this protocol.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
            Protocol::RestJson => "application/json",
            Protocol::AwsQuery => "text/xml",
            Protocol::RpcV2Cbor => "application/cbor",
        }
    }
}

/// The AWS services Skywatch answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    CloudWatch,
    Logs,
    Events,
    CloudTrail,
    Config,
    XRay,
    Sns,
}

impl Service {
    pub const ALL: [Service; 7] = [
        Service::CloudWatch,
        Service::Logs,
        Service::Events,
        Service::CloudTrail,
        Service::Config,
        Service::XRay,
        Service::Sns,
    ];

    /// The service name in the SigV4 credential scope (the model's endpointPrefix).
    pub fn scope_name(self) -> &'static str {
        match self {
            Service::CloudWatch => "monitoring",
            Service::Logs => "logs",
            Service::Events => "events",
            Service::CloudTrail => "cloudtrail",
            Service::Config => "config",
            Service::XRay => "xray",
            Service::Sns => "sns",
        }
    }

    /// The inverse of [`Service::scope_name`].
    pub fn from_scope_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.scope_name() == name)
    }

    /// The `eventSource` CloudTrail records for calls to this service, e.g. `monitoring.amazonaws.com`.
    pub fn event_source(self) -> &'static str {
        match self {
            Service::CloudWatch => "monitoring.amazonaws.com",
            Service::Logs => "logs.amazonaws.com",
            Service::Events => "events.amazonaws.com",
            Service::CloudTrail => "cloudtrail.amazonaws.com",
            Service::Config => "config.amazonaws.com",
            Service::XRay => "xray.amazonaws.com",
            Service::Sns => "sns.amazonaws.com",
        }
    }

    /// The `X-Amz-Target` prefix of the JSON services.
    pub fn target_prefix(self) -> Option<&'static str> {
        match self {
            Service::CloudWatch => Some("GraniteServiceVersion20100801"),
            Service::Logs => Some("Logs_20140328"),
            Service::Events => Some("AWSEvents"),
            Service::CloudTrail => Some("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"),
            Service::Config => Some("StarlingDoveService"),
            Service::XRay | Service::Sns => None,
        }
    }

    /// The model's API version (the awsQuery `Version` parameter for CloudWatch and SNS).
    pub fn api_version(self) -> &'static str {
        match self {
            Service::CloudWatch => "2010-08-01",
            Service::Logs => "2014-03-28",
            Service::Events => "2015-10-07",
            Service::CloudTrail => "2013-11-01",
            Service::Config => "2014-11-12",
            Service::XRay => "2016-04-12",
            Service::Sns => "2010-03-31",
        }
    }

    /// The XML namespace of awsQuery replies (CloudWatch legacy query and SNS).
    pub fn xml_namespace(self) -> Option<&'static str> {
        match self {
            Service::CloudWatch => Some("http://monitoring.amazonaws.com/doc/2010-08-01/"),
            Service::Sns => Some("http://sns.amazonaws.com/doc/2010-03-31/"),
            _ => None,
        }
    }

    /// The protocol current botocore uses for this service.
    pub fn default_protocol(self) -> Protocol {
        match self {
            Service::CloudWatch => Protocol::AwsJson1_0,
            Service::Logs | Service::Events | Service::CloudTrail | Service::Config => Protocol::AwsJson1_1,
            Service::XRay => Protocol::RestJson,
            Service::Sns => Protocol::AwsQuery,
        }
    }

    /// Every operation name of this service's botocore model, sorted.
    pub fn operations(self) -> &'static [&'static str] {
        match self {
            Service::CloudWatch => operations::CLOUDWATCH,
            Service::Logs => operations::LOGS,
            Service::Events => operations::EVENTS,
            Service::CloudTrail => operations::CLOUDTRAIL,
            Service::Config => operations::CONFIG,
            Service::XRay => operations::XRAY,
            Service::Sns => operations::SNS,
        }
    }
}

/// An identified request: which service, over which protocol, which operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub service: Service,
    pub protocol: Protocol,
    pub name: String,
}

/// Why a request could not be routed. The caller answers `UnknownOperationException` (JSON, CBOR, REST) or
/// `InvalidAction` (query).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifyError {
    #[error("Unrecognized X-Amz-Target prefix: {0}")]
    UnknownTargetPrefix(String),
    #[error("Malformed X-Amz-Target: {0}")]
    MalformedTarget(String),
    #[error("Operation {name} is not supported by {}.", service.scope_name())]
    UnknownOperation { service: Service, name: String },
    #[error("No operation is served at {method} {path}")]
    UnknownPath { method: String, path: String },
    #[error("Could not find operation: the request has no Action parameter.")]
    MissingAction,
    #[error("Could not tell which service the query request with Version {version:?} is for.")]
    UnknownQueryService { version: Option<String> },
    #[error("The request names no operation (no X-Amz-Target, known path, or Action).")]
    Unroutable,
}

/// X-Ray's REST paths (all POST, no URI parameters), from the requestUri of xray.json.
const XRAY_PATHS: &[(&str, &str)] = &[
    ("/CancelTraceRetrieval", "CancelTraceRetrieval"),
    ("/CreateGroup", "CreateGroup"),
    ("/CreateSamplingRule", "CreateSamplingRule"),
    ("/DeleteGroup", "DeleteGroup"),
    ("/DeleteResourcePolicy", "DeleteResourcePolicy"),
    ("/DeleteSamplingRule", "DeleteSamplingRule"),
    ("/EncryptionConfig", "GetEncryptionConfig"),
    ("/GetGroup", "GetGroup"),
    ("/GetIndexingRules", "GetIndexingRules"),
    ("/GetRetrievedTracesGraph", "GetRetrievedTracesGraph"),
    ("/GetSamplingRules", "GetSamplingRules"),
    ("/GetTraceSegmentDestination", "GetTraceSegmentDestination"),
    ("/Groups", "GetGroups"),
    ("/Insight", "GetInsight"),
    ("/InsightEvents", "GetInsightEvents"),
    ("/InsightImpactGraph", "GetInsightImpactGraph"),
    ("/InsightSummaries", "GetInsightSummaries"),
    ("/ListResourcePolicies", "ListResourcePolicies"),
    ("/ListRetrievedTraces", "ListRetrievedTraces"),
    ("/ListTagsForResource", "ListTagsForResource"),
    ("/PutEncryptionConfig", "PutEncryptionConfig"),
    ("/PutResourcePolicy", "PutResourcePolicy"),
    ("/SamplingStatisticSummaries", "GetSamplingStatisticSummaries"),
    ("/SamplingTargets", "GetSamplingTargets"),
    ("/ServiceGraph", "GetServiceGraph"),
    ("/StartTraceRetrieval", "StartTraceRetrieval"),
    ("/TagResource", "TagResource"),
    ("/TelemetryRecords", "PutTelemetryRecords"),
    ("/TimeSeriesServiceStatistics", "GetTimeSeriesServiceStatistics"),
    ("/TraceGraph", "GetTraceGraph"),
    ("/TraceSegments", "PutTraceSegments"),
    ("/TraceSummaries", "GetTraceSummaries"),
    ("/Traces", "BatchGetTraces"),
    ("/UntagResource", "UntagResource"),
    ("/UpdateGroup", "UpdateGroup"),
    ("/UpdateIndexingRule", "UpdateIndexingRule"),
    ("/UpdateSamplingRule", "UpdateSamplingRule"),
    ("/UpdateTraceSegmentDestination", "UpdateTraceSegmentDestination"),
];

/// The X-Ray operation served at a REST path, if any.
pub fn xray_operation_for_path(path: &str) -> Option<&'static str> {
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    XRAY_PATHS.iter().find(|(p, _)| *p == path).map(|(_, op)| *op)
}

/// Whether `name` is an operation of `service`'s botocore model.
pub fn is_known_operation(service: Service, name: &str) -> bool {
    service.operations().binary_search(&name).is_ok()
}

const CBOR_PATH_PREFIX: &str = "/service/";

/// Identifies the operation of a request. `body` must already be decompressed; `scope_service` is the
/// credential scope's service name, used when a query request's `Version` is not conclusive.
pub fn identify(
    method: &str,
    path: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    scope_service: Option<&str>,
) -> Result<Operation, IdentifyError> {
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if let Some(target) = headers.get("x-amz-target") {
        let target = String::from_utf8_lossy(target.as_bytes()).trim().to_string();
        return identify_target(&target);
    }
    if let Some(rest) = path.strip_prefix(CBOR_PATH_PREFIX) {
        // Smithy RPC v2 CBOR says so in its content type; a browser cannot send that one across sites unasked.
        let cbor = headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
            v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case(Protocol::RpcV2Cbor.content_type()))
        });
        if !cbor {
            return Err(IdentifyError::UnknownPath { method: method.to_string(), path: path.to_string() });
        }
        return identify_cbor_path(rest, method, path);
    }
    if let Some(name) = xray_operation_for_path(path) {
        if !method.eq_ignore_ascii_case("POST") {
            return Err(IdentifyError::UnknownPath { method: method.to_string(), path: path.to_string() });
        }
        return Ok(Operation { service: Service::XRay, protocol: Protocol::RestJson, name: name.to_string() });
    }
    let scope = scope_service.and_then(Service::from_scope_name);
    if looks_like_form(headers, body) {
        return identify_query(body, scope);
    }
    if scope == Some(Service::XRay) || path != "/" {
        return Err(IdentifyError::UnknownPath { method: method.to_string(), path: path.to_string() });
    }
    Err(IdentifyError::Unroutable)
}

fn identify_target(target: &str) -> Result<Operation, IdentifyError> {
    let Some((prefix, name)) = target.rsplit_once('.') else {
        return Err(IdentifyError::MalformedTarget(target.to_string()));
    };
    if name.is_empty() {
        return Err(IdentifyError::MalformedTarget(target.to_string()));
    }
    let service = Service::ALL
        .into_iter()
        .find(|s| s.target_prefix() == Some(prefix))
        .ok_or_else(|| IdentifyError::UnknownTargetPrefix(prefix.to_string()))?;
    known(service, service.default_protocol(), name)
}

fn identify_cbor_path(rest: &str, method: &str, path: &str) -> Result<Operation, IdentifyError> {
    let unknown = || IdentifyError::UnknownPath { method: method.to_string(), path: path.to_string() };
    let mut parts = rest.split('/');
    let (Some(service_id), Some("operation"), Some(name), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(unknown());
    };
    // Only CloudWatch lists smithy-rpc-v2-cbor among its protocols.
    if Service::CloudWatch.target_prefix() != Some(service_id) {
        return Err(unknown());
    }
    if !method.eq_ignore_ascii_case("POST") || name.is_empty() {
        return Err(unknown());
    }
    known(Service::CloudWatch, Protocol::RpcV2Cbor, name)
}

fn identify_query(body: &[u8], scope: Option<Service>) -> Result<Operation, IdentifyError> {
    let (mut action, mut version) = (None, None);
    // Only the two keys are decoded: a PutMetricData body holds thousands of other pairs.
    for piece in super::form_pairs::pieces(body) {
        let (raw, escaped) = super::form_pairs::raw_key(piece);
        if !escaped && raw != b"Action" && raw != b"Version" {
            continue;
        }
        let (key, value) = super::form_pairs::pair(piece);
        match key.as_ref() {
            "Action" => action = Some(value.into_owned()),
            "Version" => version = Some(value.into_owned()),
            _ => {}
        }
    }
    let action = action.filter(|a| !a.is_empty()).ok_or(IdentifyError::MissingAction)?;
    let by_version = match version.as_deref() {
        Some(v) if v == Service::Sns.api_version() => Some(Service::Sns),
        Some(v) if v == Service::CloudWatch.api_version() => Some(Service::CloudWatch),
        _ => None,
    };
    let service = by_version
        .or(scope.filter(|s| matches!(s, Service::Sns | Service::CloudWatch)))
        .ok_or(IdentifyError::UnknownQueryService { version })?;
    known(service, Protocol::AwsQuery, &action)
}

fn known(service: Service, protocol: Protocol, name: &str) -> Result<Operation, IdentifyError> {
    if is_known_operation(service, name) {
        Ok(Operation { service, protocol, name: name.to_string() })
    } else {
        Err(IdentifyError::UnknownOperation { service, name: name.to_string() })
    }
}

/// A query request says so in its content type; without one, a body starting with `Action=` or containing
/// `&Action=` is taken as a form too. A body sent as another type (a browser's `text/plain`, which a page on any
/// site may post) is never read as a form.
fn looks_like_form(headers: &http::HeaderMap, body: &[u8]) -> bool {
    match headers.get(http::header::CONTENT_TYPE) {
        Some(value) => String::from_utf8_lossy(value.as_bytes())
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded"),
        None => body.starts_with(b"Action=") || body.windows(8).any(|w| w == b"&Action="),
    }
}
