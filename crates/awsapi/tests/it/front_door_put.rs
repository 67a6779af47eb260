//! PutMetricData through the whole front door on its fast path (issue 15): one request in JSON 1.0, awsQuery and
//! RPCv2 CBOR stores the same points and is recorded alike, and a request with one bad datum among 1,000 stores
//! nothing and is refused with AWS's words.

use bytes::Bytes;
use serde_json::{Value, json};
use skywatch_awsapi::wire::WireResponse;
use skywatch_awsapi::{ApiRequest, handle_at};
use skywatch_core::audit::{LookupEvents, LookupQuery};
use skywatch_core::auth::AccessKeys;
use skywatch_core::metrics::tsdb::storage;
use skywatch_core::model::{Caller, Role};
use skywatch_core::ops::Context;
use skywatch_core::{AuthMode, Services};

const TARGET: &str = "GraniteServiceVersion20100801.PutMetricData";

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn services(dir: &tempfile::TempDir) -> Services {
    Services::open(dir.path(), AccessKeys::new([]), AuthMode::None).expect("open services")
}

async fn call(services: &Services, content_type: &str, path: &str, body: Vec<u8>) -> WireResponse {
    let mut headers = http::HeaderMap::new();
    headers.insert("content-type", content_type.parse().unwrap());
    if content_type.contains("json") {
        headers.insert("x-amz-target", TARGET.parse().unwrap());
    }
    if content_type.contains("cbor") {
        headers.insert("smithy-protocol", "rpc-v2-cbor".parse().unwrap());
    }
    let request = ApiRequest {
        method: "POST".into(),
        path: path.into(),
        query: String::new(),
        headers,
        body: Bytes::from(body),
        source_ip: "127.0.0.1".into(),
    };
    handle_at(services, request, now()).await
}

fn datums(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            json!({"MetricName": "Latency", "Dimensions": [{"Name": "Series", "Value": (i % 10).to_string()},
                {"Name": "Az", "Value": "a"}], "Value": i as f64, "Unit": "Milliseconds",
                "Timestamp": 1_800_000_000 - 60})
        })
        .collect()
}

fn query(data: &[Value]) -> Vec<u8> {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("Action", "PutMetricData").append_pair("Version", "2010-08-01").append_pair("Namespace", "App");
    for (i, d) in data.iter().enumerate() {
        let p = format!("MetricData.member.{}.", i + 1);
        form.append_pair(&format!("{p}MetricName"), d["MetricName"].as_str().unwrap());
        for (j, dim) in d["Dimensions"].as_array().unwrap().iter().enumerate() {
            form.append_pair(&format!("{p}Dimensions.member.{}.Name", j + 1), dim["Name"].as_str().unwrap());
            form.append_pair(&format!("{p}Dimensions.member.{}.Value", j + 1), dim["Value"].as_str().unwrap());
        }
        form.append_pair(&format!("{p}Value"), &d["Value"].to_string());
        form.append_pair(&format!("{p}Unit"), d["Unit"].as_str().unwrap());
        form.append_pair(&format!("{p}Timestamp"), "2027-01-15T07:59:00Z");
    }
    form.finish().into_bytes()
}

fn cbor(data: &[Value]) -> Vec<u8> {
    use ciborium::Value as C;
    let text = |s: &str| C::Text(s.into());
    let datums = data
        .iter()
        .map(|d| {
            let dims = d["Dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|dim| {
                    C::Map(vec![
                        (text("Name"), text(dim["Name"].as_str().unwrap())),
                        (text("Value"), text(dim["Value"].as_str().unwrap())),
                    ])
                })
                .collect();
            C::Map(vec![
                (text("MetricName"), text(d["MetricName"].as_str().unwrap())),
                (text("Dimensions"), C::Array(dims)),
                (text("Value"), C::Float(d["Value"].as_f64().unwrap())),
                (text("Unit"), text(d["Unit"].as_str().unwrap())),
                (text("Timestamp"), C::Tag(1, Box::new(C::Integer(1_799_999_940.into())))),
            ])
        })
        .collect();
    let mut out = Vec::new();
    let request = C::Map(vec![(text("Namespace"), text("App")), (text("MetricData"), C::Array(datums))]);
    ciborium::ser::into_writer(&request, &mut out).unwrap();
    out
}

/// The request parameters of the last PutMetricData record.
async fn recorded(services: &Services) -> (Option<String>, Option<Value>) {
    let caller = Caller::ConsoleUser { name: "admin".into(), account: "000000000000".into(), role: Role::Admin };
    let ctx = Context::new(caller, "us-east-1", "lookup", now().timestamp_millis());
    let page = services.invoke::<LookupEvents>(&ctx, LookupQuery::default()).await.expect("lookup");
    let event = page.events.into_iter().find(|e| e.event_name == "PutMetricData").expect("a PutMetricData record");
    (event.error_code, event.request_parameters)
}

#[tokio::test]
async fn each_protocol_stores_the_same_points_and_records_them_alike() {
    let data = datums(20);
    let bodies = [
        ("application/x-amz-json-1.0", "/", serde_json::to_vec(&json!({"Namespace": "App", "MetricData": data}))),
        ("application/x-www-form-urlencoded; charset=utf-8", "/", Ok(query(&data))),
        ("application/cbor", "/service/GraniteServiceVersion20100801/operation/PutMetricData", Ok(cbor(&data))),
    ];
    let mut records = Vec::new();
    for (content_type, path, body) in bodies {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        let response = call(&services, content_type, path, body.unwrap()).await;
        assert_eq!(response.status, 200, "{content_type}: {}", String::from_utf8_lossy(&response.body));
        assert_eq!(services.tsdb.series_count(), 10, "{content_type}");
        let [series, wal, ..] = services.tsdb.store().read_blocking(storage::counts).unwrap();
        assert_eq!((series, wal), (10, 1), "{content_type}: ten series, one log record");
        records.push(recorded(&services).await);
    }
    let (error, parameters) = &records[0];
    assert_eq!(*error, None);
    let parameters = parameters.as_ref().expect("a small request is recorded");
    assert_eq!(parameters["metricData"][19]["dimensions"][0], json!({"name": "Series", "value": "9"}));
    assert!(records.iter().all(|r| r == &records[0]), "{records:#?}");
}

/// Each case: the last of 1,000 datums made bad, and AWS's refusal of it; nothing is stored.
#[tokio::test]
async fn one_bad_datum_among_a_thousand_stores_nothing() {
    type Case = (&'static str, fn(&mut Value), &'static str, &'static str);
    let cases: [Case; 3] = [
        (
            "unit",
            |d| d["Unit"] = json!("Parsecs"),
            "InvalidParameterValue",
            "The value Parsecs for parameter MetricData.member.1000.Unit is invalid.",
        ),
        (
            "blank dimension",
            |d| d["Dimensions"][1]["Value"] = json!(""),
            "MissingParameter",
            "The parameter MetricData.member.1000.Dimensions.member.2.Value is required.",
        ),
        (
            "two forms",
            |d| d["Values"] = json!([1, 2]),
            "InvalidParameterCombination",
            "The parameters MetricData.member.1000.Value and MetricData.member.1000.Values are mutually exclusive and you have specified both.",
        ),
    ];
    for (name, spoil, code, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        let mut data = datums(1000);
        spoil(&mut data[999]);
        let body = serde_json::to_vec(&json!({"Namespace": "App", "MetricData": data})).unwrap();
        let response = call(&services, "application/x-amz-json-1.0", "/", body).await;
        assert_eq!(response.status, 400, "{name}");
        let reply: Value = serde_json::from_slice(&response.body).unwrap();
        assert!(reply["__type"].as_str().unwrap_or_default().ends_with(code), "{name}: {reply}");
        assert_eq!(reply["message"], message, "{name}");
        assert_eq!(services.tsdb.series_count(), 0, "{name}");
        let [series, wal, ..] = services.tsdb.store().read_blocking(storage::counts).unwrap();
        assert_eq!((series, wal), (0, 0), "{name}: no log record");
        let (error, parameters) = recorded(&services).await;
        assert_eq!(error.as_deref(), Some(code), "{name}");
        assert_eq!(parameters, None, "{name}: a 1,000-datum request is over CloudTrail's size");
    }
}
