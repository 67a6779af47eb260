//! Dashboards through the whole front door (issue 4) in CloudWatch's three protocols: JSON 1.0
//! (awsQueryCompatible, what boto3 sends), legacy query/XML and RPCv2 CBOR, with errors carrying
//! `dashboardValidationMessages`, deletes of what exists and CloudTrail records.

use bytes::Bytes;
use serde_json::{Value, json};
use skywatch_awsapi::wire::WireResponse;
use skywatch_awsapi::{ApiRequest, handle};
use skywatch_core::auth::AccessKeys;
use skywatch_core::{AuthMode, Services};

const TARGET: &str = "GraniteServiceVersion20100801";
const BODY: &str =
    "{ \"widgets\": [ {\"type\":\"text\", \"properties\": {\"markdown\": \"# Ünïcode ✓\"}} ],\n  \"start\":\"-PT6H\" }";

fn services(dir: &tempfile::TempDir) -> Services {
    Services::open(dir.path(), AccessKeys::new([]), AuthMode::None).expect("open services")
}

fn request(path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> ApiRequest {
    let mut map = http::HeaderMap::new();
    for (name, value) in headers {
        map.insert(http::HeaderName::from_bytes(name.as_bytes()).expect("name"), value.parse().expect("value"));
    }
    ApiRequest {
        method: "POST".into(),
        path: path.into(),
        query: String::new(),
        headers: map,
        body: Bytes::from(body),
        source_ip: "127.0.0.1".into(),
    }
}

async fn json_call(services: &Services, operation: &str, params: Value) -> (WireResponse, Value) {
    let target = format!("{TARGET}.{operation}");
    let headers = [
        ("x-amz-target", target.as_str()),
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amzn-query-mode", "true"),
    ];
    let response = handle(services, request("/", &headers, params.to_string().into_bytes())).await;
    let body = serde_json::from_slice(&response.body).expect("a JSON reply");
    (response, body)
}

async fn query_call(services: &Services, form: &[(&str, &str)]) -> (WireResponse, String) {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    serializer.append_pair("Version", "2010-08-01");
    for (name, value) in form {
        serializer.append_pair(name, value);
    }
    let headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8")];
    let response = handle(services, request("/", &headers, serializer.finish().into_bytes())).await;
    let text = String::from_utf8(response.body.clone()).expect("XML text");
    (response, text)
}

async fn cbor_call(services: &Services, operation: &str, params: ciborium::Value) -> (WireResponse, ciborium::Value) {
    let mut body = Vec::new();
    ciborium::ser::into_writer(&params, &mut body).expect("encode CBOR");
    let headers = [
        ("smithy-protocol", "rpc-v2-cbor"),
        ("content-type", "application/cbor"),
        ("accept", "application/cbor"),
        ("x-amzn-query-mode", "true"),
    ];
    let path = format!("/service/{TARGET}/operation/{operation}");
    let response = handle(services, request(&path, &headers, body)).await;
    let value = ciborium::de::from_reader(response.body.as_slice()).expect("a CBOR reply");
    (response, value)
}

fn cbor_get<'a>(value: &'a ciborium::Value, key: &str) -> Option<&'a ciborium::Value> {
    value.as_map()?.iter().find(|(k, _)| k.as_text() == Some(key)).map(|(_, v)| v)
}

fn text_map(pairs: &[(&str, &str)]) -> ciborium::Value {
    ciborium::Value::Map(pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect())
}

#[tokio::test]
async fn json_put_get_list_delete_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let services = services(&dir);
    let (response, body) =
        json_call(&services, "PutDashboard", json!({"DashboardName": "ops-1", "DashboardBody": BODY})).await;
    assert_eq!((response.status, body), (200, json!({"DashboardValidationMessages": []})));
    json_call(&services, "PutDashboard", json!({"DashboardName": "ops-2", "DashboardBody": "{\"widgets\":[]}"})).await;

    let (response, body) = json_call(&services, "GetDashboard", json!({"DashboardName": "ops-1"})).await;
    assert_eq!(response.status, 200);
    assert_eq!(body["DashboardBody"], BODY);
    assert_eq!(body["DashboardArn"], "arn:aws:cloudwatch::000000000000:dashboard/ops-1");

    let (_, body) = json_call(&services, "ListDashboards", json!({"DashboardNamePrefix": "ops"})).await;
    let entries = body["DashboardEntries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["Size"], BODY.len());
    assert!(entries[0]["LastModified"].is_number(), "epoch seconds in JSON: {}", entries[0]);
    assert!(body.get("NextToken").is_none());

    // The current CloudWatch model: "the operation attempts to delete as many dashboards as possible", and lists no
    // not-found error for DeleteDashboards: ops-1 goes, the unknown name is passed over, the answer is success.
    let (response, body) = json_call(&services, "DeleteDashboards", json!({"DashboardNames": ["ops-1", "nope"]})).await;
    assert_eq!((response.status, body), (200, json!({})));
    let (response, body) = json_call(&services, "DeleteDashboards", json!({"DashboardNames": []})).await;
    assert_eq!(response.status, 400);
    assert_eq!(response.header("x-amzn-query-error"), Some("MissingParameter;Sender"));
    assert_eq!(body["message"], "The parameter DashboardNames is required.");
    let (response, body) = json_call(&services, "GetDashboard", json!({"DashboardName": "ops-1"})).await;
    assert_eq!((response.status, body["__type"].as_str()), (404, Some("ResourceNotFound")));
    assert_eq!(body["message"], "Dashboard ops-1 does not exist");

    let now_ms = chrono::Utc::now().timestamp_millis();
    let page = skywatch_core::audit::lookup(&services.store, "000000000000", "us-east-1", Default::default(), now_ms)
        .await
        .expect("lookup");
    let deletes: Vec<_> = page.events.iter().filter(|e| e.event_name == "DeleteDashboards").collect();
    assert_eq!(deletes.len(), 2, "the refused one is audited too");
    let delete = deletes.iter().find(|e| e.error_code.is_none()).expect("the delete succeeded");
    assert_eq!(delete.request_parameters, Some(json!({"dashboardNames": ["ops-1", "nope"]})));
    assert!(!delete.read_only);
    assert!(deletes.iter().any(|e| e.error_code.as_deref() == Some("MissingParameter")), "{deletes:?}");
    let put = page.events.iter().find(|e| e.event_name == "PutDashboard" && e.error_code.is_none()).expect("put");
    // Issue 9: CloudTrail's own form, member names with a lower-case first letter, and the resource named.
    assert_eq!(put.request_parameters.as_ref().map(|p| p["dashboardName"].clone()), Some(json!("ops-2")));
    assert_eq!(put.resources[0].arn, "arn:aws:cloudwatch::000000000000:dashboard/ops-2");
}

#[tokio::test]
async fn json_validation_errors_carry_every_message_and_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let services = services(&dir);
    let bad = r#"{"widgets":[{"type":"metric","x":0,"y":0,"width":30,"properties":{}}]}"#;
    let (response, body) =
        json_call(&services, "PutDashboard", json!({"DashboardName": "bad", "DashboardBody": bad})).await;
    assert_eq!(response.status, 400);
    assert_eq!(response.header("x-amzn-query-error"), Some("InvalidParameterInput;Sender"));
    assert_eq!(body["__type"], "InvalidParameterInput");
    assert_eq!(
        body["dashboardValidationMessages"],
        json!([
            {"DataPath": "/widgets/0/width", "Message": "Should be <= 24"},
            {"DataPath": "/widgets/0/properties", "Message": "Should have required property 'metrics'"},
        ])
    );
    let message = body["message"].as_str().expect("message");
    assert!(message.starts_with("The dashboard body is invalid, there are 2 validation errors: ["), "{message}");

    let (response, body) =
        json_call(&services, "PutDashboard", json!({"DashboardName": "bad", "DashboardBody": "[1]"})).await;
    assert_eq!(response.status, 400);
    assert_eq!(
        body["dashboardValidationMessages"],
        json!([{"DataPath": "", "Message": "The field DashboardBody must be a valid JSON object"}])
    );

    let (response, body) =
        json_call(&services, "PutDashboard", json!({"DashboardName": "a/b", "DashboardBody": "{\"widgets\":[]}"}))
            .await;
    assert_eq!((response.status, body["__type"].as_str()), (400, Some("InvalidParameterValue")));
    let (response, body) = json_call(&services, "ListDashboards", json!({"NextToken": "garbage"})).await;
    assert_eq!((response.status, body["__type"].as_str()), (400, Some("InvalidParameterValue")));
    let (response, body) = json_call(&services, "PutDashboard", json!({"DashboardName": "x"})).await;
    assert_eq!((response.status, body["__type"].as_str()), (400, Some("MissingParameter")));
    let (_, body) = json_call(&services, "ListDashboards", json!({})).await;
    assert_eq!(body["DashboardEntries"], json!([]), "nothing refused was stored");
}

#[tokio::test]
async fn legacy_query_round_trip_and_errors_in_xml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let services = services(&dir);
    let (response, text) =
        query_call(&services, &[("Action", "PutDashboard"), ("DashboardName", "q"), ("DashboardBody", BODY)]).await;
    assert_eq!(response.status, 200, "{text}");
    assert!(text.contains("<PutDashboardResult>"), "{text}");
    let (response, text) = query_call(&services, &[("Action", "GetDashboard"), ("DashboardName", "q")]).await;
    assert_eq!(response.status, 200);
    assert!(text.contains("<DashboardBody>{ &quot;widgets&quot;: [ {&quot;type&quot;:&quot;text&quot;,"), "{text}");
    let (_, text) = query_call(&services, &[("Action", "ListDashboards")]).await;
    assert!(text.contains("<DashboardEntries><member><Dashboard"), "{text}");
    assert!(text.contains("<DashboardArn>arn:aws:cloudwatch::000000000000:dashboard/q</DashboardArn>"), "{text}");
    assert!(text.contains("<DashboardName>q</DashboardName>"), "{text}");
    assert!(text.contains("<LastModified>20"), "ISO 8601 in XML: {text}");

    let (response, text) = query_call(
        &services,
        &[("Action", "PutDashboard"), ("DashboardName", "q"), ("DashboardBody", r#"{"widgets":[{"type":"text"}]}"#)],
    )
    .await;
    assert_eq!(response.status, 400);
    assert!(text.contains("<Code>InvalidParameterInput</Code>"), "{text}");
    let member = "<dashboardValidationMessages><member><DataPath>/widgets/0</DataPath><Message>Should have required property &apos;properties&apos;</Message></member></dashboardValidationMessages>";
    let member_alt = member.replace("&apos;", "'");
    assert!(text.contains(member) || text.contains(&member_alt), "{text}");

    let (response, text) =
        query_call(&services, &[("Action", "DeleteDashboards"), ("DashboardNames.member.1", "q")]).await;
    assert_eq!(response.status, 200, "{text}");
    let (response, text) =
        query_call(&services, &[("Action", "DeleteDashboards"), ("DashboardNames.member.1", "q")]).await;
    assert_eq!(response.status, 200, "a name with no dashboard is passed over: {text}");
    let (response, text) = query_call(&services, &[("Action", "DeleteDashboards"), ("DashboardNames", "")]).await;
    assert_eq!(response.status, 400);
    assert!(text.contains("<Code>MissingParameter</Code>"), "{text}");
    assert!(text.contains("The parameter DashboardNames is required."), "{text}");
    let (response, text) = query_call(&services, &[("Action", "GetDashboard"), ("DashboardName", "q")]).await;
    assert_eq!(response.status, 404);
    assert!(text.contains("<Code>ResourceNotFound</Code>"), "{text}");
}

#[tokio::test]
async fn cbor_round_trip_and_validation_members() {
    let dir = tempfile::tempdir().expect("temp dir");
    let services = services(&dir);
    let (response, _) =
        cbor_call(&services, "PutDashboard", text_map(&[("DashboardName", "c"), ("DashboardBody", BODY)])).await;
    assert_eq!(response.status, 200);
    let (_, reply) = cbor_call(&services, "GetDashboard", text_map(&[("DashboardName", "c")])).await;
    assert_eq!(cbor_get(&reply, "DashboardBody").and_then(|v| v.as_text()), Some(BODY));

    let (response, reply) = cbor_call(
        &services,
        "PutDashboard",
        text_map(&[("DashboardName", "c"), ("DashboardBody", r#"{"widgets":[{"type":"log","properties":{}}]}"#)]),
    )
    .await;
    assert_eq!(response.status, 400);
    assert_eq!(cbor_get(&reply, "__type").and_then(|v| v.as_text()), Some("InvalidParameterInput"));
    let messages = cbor_get(&reply, "dashboardValidationMessages").and_then(|v| v.as_array()).expect("messages");
    assert_eq!(cbor_get(&messages[0], "DataPath").and_then(|v| v.as_text()), Some("/widgets/0/properties"));
    assert_eq!(
        cbor_get(&messages[0], "Message").and_then(|v| v.as_text()),
        Some("Should have required property 'query'")
    );
}
