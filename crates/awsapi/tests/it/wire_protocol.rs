//! Protocol and operation identification: every captured request routes to the service of its credential
//! scope and the operation it names; the generated operation lists match the botocore models.

use crate::wire_support as support;

use skywatch_awsapi::wire::protocol::xray_operation_for_path;
use skywatch_awsapi::wire::{
    IdentifyError, Protocol, Service, decompress, identify, is_known_operation, parse_authorization,
};
use support::{load_captures, reference_dir};

fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        let name = http::HeaderName::from_bytes(name.as_bytes()).expect("name");
        map.append(name, http::HeaderValue::from_str(value).expect("value"));
    }
    map
}

#[test]
fn every_capture_identifies_as_its_scope_service() {
    for capture in load_captures() {
        let auth = parse_authorization(capture.header("authorization").expect("auth")).expect("parses");
        let body = decompress(capture.header("content-encoding"), &capture.raw, 1 << 20).expect("decompress");
        let op = identify(&capture.method, &capture.path, &capture.header_map(), &body, Some(&auth.service))
            .unwrap_or_else(|e| panic!("{}: {e}", capture.label()));
        assert_eq!(op.service.scope_name(), auth.service, "{}", capture.label());
        if let Some(target) = capture.header("x-amz-target") {
            assert!(target.ends_with(&format!(".{}", op.name)), "{}", capture.label());
            assert_eq!(op.protocol, op.service.default_protocol());
        }
        let expected_protocol = match (capture.file.as_str(), op.service) {
            ("cbor-forced.jsonl", _) => Protocol::RpcV2Cbor,
            ("legacy-query-botocore-1.42.6.jsonl", _) | (_, Service::Sns) => Protocol::AwsQuery,
            (_, Service::XRay) => Protocol::RestJson,
            (_, Service::CloudWatch) => Protocol::AwsJson1_0,
            _ => Protocol::AwsJson1_1,
        };
        assert_eq!(op.protocol, expected_protocol, "{}", capture.label());
    }
}

#[test]
fn specific_captures_route_as_expected() {
    let by_label: Vec<(String, String)> = load_captures()
        .into_iter()
        .map(|c| {
            let body = decompress(c.header("content-encoding"), &c.raw, 1 << 20).expect("decompress");
            let op = identify(&c.method, &c.path, &c.header_map(), &body, None).expect("identify");
            (c.label(), format!("{:?}/{:?}/{}", op.service, op.protocol, op.name))
        })
        .collect();
    for expected in [
        "CloudWatch/RpcV2Cbor/PutMetricData",
        "CloudWatch/RpcV2Cbor/DescribeAlarms",
        "CloudWatch/AwsQuery/PutMetricData",
        "CloudWatch/AwsQuery/DescribeAlarms",
        "CloudWatch/AwsJson1_0/GetMetricStatistics",
        "Sns/AwsQuery/Publish",
        "Sns/AwsQuery/Subscribe",
        "XRay/RestJson/PutTraceSegments",
        "XRay/RestJson/BatchGetTraces",
        "XRay/RestJson/GetSamplingTargets",
        "XRay/RestJson/PutTelemetryRecords",
        "Logs/AwsJson1_1/StartLiveTail",
        "CloudTrail/AwsJson1_1/LookupEvents",
        "Config/AwsJson1_1/PutEvaluations",
        "Events/AwsJson1_1/PutEvents",
    ] {
        assert!(by_label.iter().any(|(_, got)| got == expected), "no capture identified as {expected}");
    }
}

#[test]
fn target_errors() {
    let body = b"{}";
    let unknown_prefix = identify("POST", "/", &headers(&[("x-amz-target", "Nope_2020.DoIt")]), body, None);
    assert_eq!(unknown_prefix, Err(IdentifyError::UnknownTargetPrefix("Nope_2020".into())));
    let unknown_op = identify("POST", "/", &headers(&[("x-amz-target", "Logs_20140328.DoIt")]), body, None);
    assert_eq!(unknown_op, Err(IdentifyError::UnknownOperation { service: Service::Logs, name: "DoIt".into() }));
    for malformed in ["NoDot", "Logs_20140328."] {
        let result = identify("POST", "/", &headers(&[("x-amz-target", malformed)]), body, None);
        assert!(matches!(result, Err(IdentifyError::MalformedTarget(_))), "{malformed}: {result:?}");
    }
}

#[test]
fn path_errors() {
    let none = headers(&[]);
    let result = identify("POST", "/NotAnXrayPath", &none, b"{}", Some("xray"));
    assert!(matches!(result, Err(IdentifyError::UnknownPath { .. })), "{result:?}");
    let result = identify("GET", "/TraceSegments", &none, b"", None);
    assert!(matches!(result, Err(IdentifyError::UnknownPath { .. })), "{result:?}");
    let result = identify("POST", "/service/Logs_20140328/operation/PutLogEvents", &none, b"", None);
    assert!(matches!(result, Err(IdentifyError::UnknownPath { .. })), "{result:?}");
    let cbor = headers(&[("content-type", "application/cbor")]);
    let result = identify("POST", "/service/GraniteServiceVersion20100801/operation/Nope", &cbor, b"", None);
    assert!(matches!(result, Err(IdentifyError::UnknownOperation { .. })), "{result:?}");
    assert_eq!(identify("POST", "/", &none, b"{}", Some("logs")), Err(IdentifyError::Unroutable));
}

/// Issue 10: a page on any site may post `text/plain` without asking; such a body is never an AWS request.
#[test]
fn browser_simple_bodies_are_not_requests() {
    let plain = headers(&[("content-type", "text/plain")]);
    let form_as_text = identify("POST", "/", &plain, b"Action=DeleteDashboards&DashboardNames.member.1=d", None);
    assert_eq!(form_as_text, Err(IdentifyError::Unroutable));
    let cbor_as_text =
        identify("POST", "/service/GraniteServiceVersion20100801/operation/DeleteDashboards", &plain, b"", None);
    assert!(matches!(cbor_as_text, Err(IdentifyError::UnknownPath { .. })), "{cbor_as_text:?}");
    let cbor = headers(&[("content-type", "application/cbor")]);
    let real = identify("POST", "/service/GraniteServiceVersion20100801/operation/DeleteDashboards", &cbor, b"", None);
    assert_eq!(real.map(|o| o.protocol), Ok(Protocol::RpcV2Cbor));
}

#[test]
fn query_routing_uses_version_then_scope() {
    let form = headers(&[("content-type", "application/x-www-form-urlencoded; charset=utf-8")]);
    let by_version = identify("POST", "/", &form, b"Action=ListTopics&Version=2010-03-31", Some("monitoring"));
    assert_eq!(by_version.map(|o| o.service), Ok(Service::Sns));
    let by_scope = identify("POST", "/", &form, b"Action=ListMetrics", Some("monitoring"));
    assert_eq!(by_scope.map(|o| (o.service, o.protocol)), Ok((Service::CloudWatch, Protocol::AwsQuery)));
    let unknown = identify("POST", "/", &form, b"Action=ListMetrics&Version=1999-01-01", None);
    assert_eq!(unknown, Err(IdentifyError::UnknownQueryService { version: Some("1999-01-01".into()) }));
    assert_eq!(identify("POST", "/", &form, b"Version=2010-03-31", None), Err(IdentifyError::MissingAction));
    let bad_action = identify("POST", "/", &form, b"Action=Nope&Version=2010-03-31", None);
    assert_eq!(bad_action, Err(IdentifyError::UnknownOperation { service: Service::Sns, name: "Nope".into() }));
    // No content type, but clearly a form.
    let bare = identify("POST", "/", &headers(&[]), b"Action=Publish&Version=2010-03-31", None);
    assert_eq!(bare.map(|o| o.name), Ok("Publish".to_string()));
}

#[test]
fn scope_names_round_trip() {
    for service in Service::ALL {
        assert_eq!(Service::from_scope_name(service.scope_name()), Some(service));
        assert!(service.event_source().starts_with(service.scope_name()));
        assert!(service.event_source().ends_with(".amazonaws.com"));
    }
    assert_eq!(Service::from_scope_name("s3"), None);
}

fn model(name: &str) -> serde_json::Value {
    let path = reference_dir().join("botocore-models").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("model JSON")
}

fn model_file(service: Service) -> &'static str {
    match service {
        Service::CloudWatch => "cloudwatch",
        Service::Logs => "logs",
        Service::Events => "events",
        Service::CloudTrail => "cloudtrail",
        Service::Config => "config",
        Service::XRay => "xray",
        Service::Sns => "sns",
    }
}

#[test]
fn operation_lists_match_the_models() {
    for service in Service::ALL {
        let model = model(model_file(service));
        let mut names: Vec<&str> =
            model["operations"].as_object().expect("operations").keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(service.operations(), names.as_slice(), "{service:?}: regenerate wire/operations.rs");
        assert!(names.iter().all(|n| is_known_operation(service, n)));
        assert_eq!(model["metadata"]["endpointPrefix"].as_str(), Some(service.scope_name()));
        assert_eq!(model["metadata"]["targetPrefix"].as_str(), service.target_prefix());
        assert_eq!(model["metadata"]["apiVersion"].as_str(), Some(service.api_version()));
        assert_eq!(model["metadata"]["xmlNamespace"].as_str(), service.xml_namespace());
    }
    assert!(!is_known_operation(Service::CloudWatch, "PutLogEvents"));
}

/// Issue 4: an empty query reply keeps its `<OpResult/>` unless the model has no output (PutMetricData). Issue 9:
/// the fact lives in the operation registry, checked here against the models.
#[test]
fn the_registry_knows_which_operations_have_output() {
    for row in skywatch_awsapi::rows() {
        let model = model(model_file(row.service));
        let operation = &model["operations"][row.name];
        assert!(operation.is_object(), "{row:?} is not in the model");
        assert_eq!(row.has_output, operation.get("output").is_some(), "{row:?}");
    }
}

#[test]
fn every_xray_request_uri_routes_to_its_operation() {
    let model = model("xray");
    for (name, op) in model["operations"].as_object().expect("operations") {
        let uri = op["http"]["requestUri"].as_str().expect("requestUri");
        assert_eq!(op["http"]["method"].as_str(), Some("POST"));
        assert_eq!(xray_operation_for_path(uri), Some(name.as_str()), "{uri}");
    }
}
