//! Reply and error encoding: XML escaping, the error shape of each protocol (aws-wire.md "Error formats"),
//! and Value → XML → Value round trips for nested arrays.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use skywatch_awsapi::wire::xml::{escape_text, to_xml};
use skywatch_awsapi::wire::{
    Operation, Protocol, Service, WireError, WireResponse, decode_cbor, error, success, xml_map,
};

fn op(service: Service, protocol: Protocol, name: &str) -> Operation {
    Operation { service, protocol, name: name.to_string() }
}

fn body_json(response: &WireResponse) -> Value {
    serde_json::from_slice(&response.body).expect("JSON body")
}

fn body_text(response: &WireResponse) -> &str {
    std::str::from_utf8(&response.body).expect("UTF-8 body")
}

#[test]
fn xml_escaping() {
    assert_eq!(escape_text("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    assert_eq!(escape_text("line\r\nnext\ttab"), "line&#xD;\nnext\ttab");
    assert_eq!(escape_text("nul\u{0}bell\u{7}"), "nul\u{FFFD}bell\u{FFFD}");
    assert_eq!(escape_text("ünï 😀"), "ünï 😀");
    assert_eq!(to_xml(&json!({"Name": "<script>&"})), "<Name>&lt;script&gt;&amp;</Name>");
}

#[test]
fn query_success_has_result_wrapper_namespace_and_request_id() {
    let describe = op(Service::CloudWatch, Protocol::AwsQuery, "DescribeAlarms");
    let result = json!({"MetricAlarms": [{"AlarmName": "a&b", "Dimensions": [{"Name": "Svc", "Value": "api"}], "Period": 60}], "NextToken": null});
    let response = success(&describe, true, "req-1", result.clone());
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/xml"));
    assert_eq!(response.header("x-amzn-requestid"), Some("req-1"));
    assert_eq!(
        body_text(&response),
        "<DescribeAlarmsResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><DescribeAlarmsResult>\
         <MetricAlarms><member><AlarmName>a&amp;b</AlarmName><Dimensions><member><Name>Svc</Name><Value>api</Value>\
         </member></Dimensions><Period>60</Period></member></MetricAlarms></DescribeAlarmsResult>\
         <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeAlarmsResponse>"
    );
}

#[test]
fn query_success_without_output_and_with_maps() {
    let delete = op(Service::Sns, Protocol::AwsQuery, "DeleteTopic");
    assert_eq!(
        body_text(&success(&delete, false, "r", Value::Null)),
        "<DeleteTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ResponseMetadata>\
         <RequestId>r</RequestId></ResponseMetadata></DeleteTopicResponse>"
    );
    let mut attributes = Map::new();
    attributes.insert("Owner".into(), json!("000000000000"));
    attributes.insert("Policy".into(), json!("{\"a\":1}"));
    let get = op(Service::Sns, Protocol::AwsQuery, "GetTopicAttributes");
    let body = success(&get, true, "r", json!({"Attributes": xml_map(&attributes)}));
    assert!(body_text(&body).contains(
        "<GetTopicAttributesResult><Attributes><entry><key>Owner</key><value>000000000000</value></entry>\
         <entry><key>Policy</key><value>{&quot;a&quot;:1}</value></entry></Attributes></GetTopicAttributesResult>"
    ));
}

#[test]
fn json_and_rest_json_success() {
    let logs = op(Service::Logs, Protocol::AwsJson1_1, "DescribeLogGroups");
    let response = success(&logs, true, "id", json!({"logGroups": []}));
    assert_eq!(response.header("Content-Type"), Some("application/x-amz-json-1.1"));
    assert_eq!(body_json(&response), json!({"logGroups": []}));
    let cw = op(Service::CloudWatch, Protocol::AwsJson1_0, "PutMetricData");
    let response = success(&cw, true, "id", Value::Null);
    assert_eq!(response.header("content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(response.body, b"{}");
    let xray = op(Service::XRay, Protocol::RestJson, "GetSamplingRules");
    let response = success(&xray, true, "id", json!({"SamplingRuleRecords": []}));
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("x-amzn-RequestId"), Some("id"));
}

#[test]
fn cbor_success_round_trips() {
    let cw = op(Service::CloudWatch, Protocol::RpcV2Cbor, "GetMetricData");
    let result = json!({"MetricDataResults": [{"Id": "m1", "Values": [1.5, 2.0], "Timestamps": [1735787045]}]});
    let response = success(&cw, true, "id", result.clone());
    assert_eq!(response.header("content-type"), Some("application/cbor"));
    assert_eq!(response.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(decode_cbor(&response.body), Ok(result));
    assert_eq!(success(&cw, true, "id", Value::Null).body, vec![0xa0]);
}

#[test]
fn json_error_shape() {
    let logs = op(Service::Logs, Protocol::AwsJson1_1, "GetLogEvents");
    let err = WireError::new(400, "ResourceNotFoundException", "The specified log group does not exist.");
    let response = error(Some(&logs), Protocol::AwsJson1_1, "rid", &err);
    assert_eq!(response.status, 400);
    assert_eq!(response.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(response.header("x-amzn-RequestId"), Some("rid"));
    assert_eq!(response.header("x-amzn-query-error"), None);
    assert_eq!(
        body_json(&response),
        json!({"__type": "ResourceNotFoundException", "message": "The specified log group does not exist."})
    );
}

#[test]
fn cloudwatch_json_error_is_query_compatible() {
    let cw = op(Service::CloudWatch, Protocol::AwsJson1_0, "GetDashboard");
    let err =
        WireError::new(404, "DashboardNotFoundError", "Dashboard d does not exist").with_query_code("ResourceNotFound");
    let response = error(Some(&cw), Protocol::AwsJson1_0, "rid", &err);
    assert_eq!(response.status, 404);
    assert_eq!(response.header("content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(response.header("x-amzn-query-error"), Some("ResourceNotFound;Sender"));
    assert_eq!(body_json(&response), json!({"__type": "ResourceNotFound", "message": "Dashboard d does not exist"}));

    let internal = WireError::new(500, "InternalServiceFault", "boom").with_query_code("InternalServiceError");
    let response = error(Some(&cw), Protocol::AwsJson1_0, "rid", &internal);
    assert_eq!(response.header("x-amzn-query-error"), Some("InternalServiceError;Receiver"));

    let plain = WireError::new(400, "ValidationError", "bad");
    let response = error(None, Protocol::AwsJson1_0, "rid", &plain);
    assert_eq!(response.header("x-amzn-query-error"), Some("ValidationError;Sender"));
    assert_eq!(body_json(&response)["__type"], "ValidationError");
}

#[test]
fn xray_error_uses_the_error_type_header() {
    let xray = op(Service::XRay, Protocol::RestJson, "GetGroup");
    let err = WireError::new(400, "InvalidRequestException", "Group not found");
    let response = error(Some(&xray), Protocol::RestJson, "rid", &err);
    assert_eq!(response.header("x-amzn-ErrorType"), Some("InvalidRequestException"));
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(body_json(&response), json!({"message": "Group not found"}));
}

#[test]
fn query_error_shapes() {
    let sns = op(Service::Sns, Protocol::AwsQuery, "GetTopicAttributes");
    let err = WireError::new(404, "NotFound", "Topic does not exist <t>");
    let response = error(Some(&sns), Protocol::AwsQuery, "rid", &err);
    assert_eq!(response.status, 404);
    assert_eq!(response.header("content-type"), Some("text/xml"));
    assert_eq!(
        body_text(&response),
        "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>\
         <Code>NotFound</Code><Message>Topic does not exist &lt;t&gt;</Message></Error><RequestId>rid</RequestId>\
         </ErrorResponse>"
    );
    let legacy = op(Service::CloudWatch, Protocol::AwsQuery, "GetDashboard");
    let err = WireError::new(404, "DashboardNotFoundError", "gone").with_query_code("ResourceNotFound");
    let response = error(Some(&legacy), Protocol::AwsQuery, "rid", &err);
    assert!(body_text(&response).contains("<Code>ResourceNotFound</Code>"));
    assert_eq!(response.header("x-amzn-query-error"), None);
    let unknown = error(None, Protocol::AwsQuery, "rid", &WireError::new(400, "InvalidAction", "no"));
    assert!(body_text(&unknown).starts_with("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"));
}

#[test]
fn cbor_error_shape() {
    let cw = op(Service::CloudWatch, Protocol::RpcV2Cbor, "PutMetricData");
    let err =
        WireError::new(400, "InvalidParameterValueException", "bad value").with_query_code("InvalidParameterValue");
    let response = error(Some(&cw), Protocol::RpcV2Cbor, "rid", &err);
    assert_eq!(response.header("content-type"), Some("application/cbor"));
    assert_eq!(response.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(response.header("x-amzn-query-error"), Some("InvalidParameterValue;Sender"));
    assert_eq!(decode_cbor(&response.body), Ok(json!({"__type": "InvalidParameterValue", "message": "bad value"})));
}

/// A minimal parser for the XML `to_xml` writes: elements and escaped text, no attributes. An element whose
/// children are all `<member>` is an array, other children make an object, no children make a string.
fn parse_xml(input: &str) -> Value {
    fn parse_children(s: &mut &str) -> Vec<(String, Value)> {
        let mut children = Vec::new();
        while s.starts_with('<') && !s.starts_with("</") {
            let end = s.find('>').expect("tag end");
            let name = s[1..end].to_string();
            *s = &s[end + 1..];
            let text_end = s.find('<').expect("content end");
            let value = if s.starts_with("</") || text_end > 0 {
                let text = unescape(&s[..text_end]);
                *s = &s[text_end..];
                Value::String(text)
            } else {
                let inner = parse_children(s);
                if inner.iter().all(|(n, _)| n == "member") {
                    Value::Array(inner.into_iter().map(|(_, v)| v).collect())
                } else {
                    Value::Object(inner.into_iter().collect())
                }
            };
            let close = format!("</{name}>");
            assert!(s.starts_with(&close), "expected {close} at {s:?}");
            *s = &s[close.len()..];
            children.push((name, value));
        }
        children
    }
    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&#xD;", "\r")
            .replace("&amp;", "&")
    }
    let mut s = input;
    let children = parse_children(&mut s);
    assert!(s.is_empty(), "left over: {s:?}");
    Value::Object(children.into_iter().collect())
}

#[test]
fn nested_arrays_round_trip_through_xml() {
    let value = json!({"Grid": [["a", "b"], ["c"]], "Rows": [{"Cells": [{"V": "1"}, {"V": "2"}]}], "S": "x&y"});
    let xml = to_xml(&value);
    assert!(xml.contains(
        "<Grid><member><member>a</member><member>b</member></member><member><member>c</member></member></Grid>"
    ));
    assert_eq!(parse_xml(&xml), value);
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = "[ -~\t\n\r]{0,8}".prop_map(Value::String);
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(Value::Array),
            proptest::collection::btree_map("[A-Z][a-z]{0,4}", inner, 1..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn xml_round_trip(fields in proptest::collection::btree_map("[A-Z][a-z]{0,4}", arb_value(), 1..4)) {
        let value = Value::Object(fields.into_iter().collect());
        prop_assert_eq!(parse_xml(&to_xml(&value)), value);
    }
}
