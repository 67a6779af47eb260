//! Issue 14: StartLiveTail through the whole front door. The call is decoded, checked and recorded like any other;
//! its reply is an event stream (initial-response, sessionStart, then a sessionUpdate each second); a refusal is
//! a whole JSON error; dropping the body ends the session; stopping the server ends the stream with its exception.

use bytes::Bytes;
use serde_json::{Value, json};
use skywatch_awsapi::wire::event_stream::CONTENT_TYPE;
use skywatch_awsapi::{ApiReply, ApiRequest, handle, reply};
use skywatch_core::auth::AccessKeys;
use skywatch_core::model::DEFAULT_ACCOUNT;
use skywatch_core::{AuthMode, Services};

fn services(dir: &tempfile::TempDir) -> Services {
    Services::open(dir.path(), AccessKeys::new([]), AuthMode::None).expect("open services")
}

fn request(target: &str, params: &Value) -> ApiRequest {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-amz-target", target.parse().unwrap());
    headers.insert("content-type", "application/x-amz-json-1.1".parse().unwrap());
    ApiRequest {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers,
        body: Bytes::from(params.to_string()),
        source_ip: "127.0.0.1".into(),
    }
}

async fn logs(services: &Services, operation: &str, params: Value) -> (u16, Value) {
    let response = handle(services, request(&format!("Logs_20140328.{operation}"), &params)).await;
    (response.status, serde_json::from_slice(&response.body).expect("a JSON reply"))
}

async fn tail(services: &Services, params: Value) -> ApiReply {
    reply(services, request("Logs_20140328.StartLiveTail", &params)).await
}

/// One event-stream message read back: (headers, JSON payload).
type Message = (Vec<(String, String)>, Value);

/// Splits a chunk into its messages, checking each one's lengths and both CRCs.
fn messages(mut bytes: &[u8]) -> Vec<Message> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        let (total, headers_len) = (word(0) as usize, word(4) as usize);
        assert_eq!(word(8), crc32fast::hash(&bytes[..8]), "prelude CRC");
        assert_eq!(word(total - 4), crc32fast::hash(&bytes[..total - 4]), "message CRC");
        let mut headers = Vec::new();
        let mut at = 12;
        while at < 12 + headers_len {
            let name_len = bytes[at] as usize;
            let name = std::str::from_utf8(&bytes[at + 1..at + 1 + name_len]).unwrap().to_owned();
            at += 1 + name_len;
            assert_eq!(bytes[at], 7, "string headers");
            let value_len = u16::from_be_bytes([bytes[at + 1], bytes[at + 2]]) as usize;
            headers.push((name, std::str::from_utf8(&bytes[at + 3..at + 3 + value_len]).unwrap().to_owned()));
            at += 3 + value_len;
        }
        out.push((headers, serde_json::from_slice(&bytes[at..total - 4]).expect("a JSON payload")));
        bytes = &bytes[total..];
    }
    out
}

fn header<'a>(message: &'a Message, name: &str) -> &'a str {
    message.0.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
}

/// The next chunk's messages (virtual time: the second passes at once).
async fn next(body: &mut skywatch_awsapi::streaming::ReplyStream) -> Vec<Message> {
    tokio::time::pause();
    let chunk = body.next_chunk().await.expect("the stream goes on");
    tokio::time::resume();
    messages(&chunk)
}

#[tokio::test]
async fn a_session_streams_what_is_put_after_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let services = services(&dir);
    assert_eq!(logs(&services, "CreateLogGroup", json!({"logGroupName": "/app"})).await.0, 200);
    let stream = json!({"logGroupName": "/app", "logStreamName": "web-1"});
    assert_eq!(logs(&services, "CreateLogStream", stream).await.0, 200);

    let arn = format!("arn:aws:logs:us-east-1:{DEFAULT_ACCOUNT}:log-group:/app");
    let params = json!({"logGroupIdentifiers": [arn], "logEventFilterPattern": "ERROR"});
    let ApiReply::Streamed { head, mut body } = tail(&services, params).await else {
        panic!("StartLiveTail answers with a stream");
    };
    assert_eq!((head.status, head.header("content-type")), (200, Some(CONTENT_TYPE)));
    let request_id = head.header("x-amzn-RequestId").expect("a request id").to_owned();

    let first = next(&mut body).await;
    assert_eq!(first.len(), 2, "initial-response and sessionStart come at once");
    assert_eq!(header(&first[0], ":event-type"), "initial-response");
    assert_eq!(first[0].1, json!({}));
    assert_eq!(header(&first[1], ":event-type"), "sessionStart");
    assert_eq!(header(&first[1], ":message-type"), "event");
    assert_eq!(header(&first[1], ":content-type"), "application/json");
    let start = &first[1].1;
    assert_eq!(start["requestId"], json!(request_id));
    assert_eq!(start["logGroupIdentifiers"], json!([arn]));
    assert_eq!(start["logEventFilterPattern"], json!("ERROR"));
    assert!(start["sessionId"].as_str().is_some_and(|id| !id.is_empty()));

    let now = chrono::Utc::now().timestamp_millis();
    let put = json!({"logGroupName": "/app", "logStreamName": "web-1", "logEvents": [
        {"timestamp": now, "message": "ERROR boom"}, {"timestamp": now, "message": "INFO fine"}]});
    assert_eq!(logs(&services, "PutLogEvents", put).await.0, 200);
    let update = next(&mut body).await;
    assert_eq!(header(&update[0], ":event-type"), "sessionUpdate");
    assert_eq!(
        update[0].1,
        json!({"sessionMetadata": {"sampled": false}, "sessionResults": [{
            "logStreamName": "web-1", "logGroupIdentifier": arn, "message": "ERROR boom", "timestamp": now,
            "ingestionTime": update[0].1["sessionResults"][0]["ingestionTime"]}]})
    );
    assert!(update[0].1["sessionResults"][0]["ingestionTime"].as_i64().is_some_and(|t| t >= now));
    assert_eq!(next(&mut body).await[0].1["sessionResults"], json!([]), "an update every second, empty or not");

    // Recorded in CloudTrail when it started, as a read.
    let lookup = json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "StartLiveTail"}]});
    let target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    let found = handle(&services, request(target, &lookup)).await;
    let found: Value = serde_json::from_slice(&found.body).unwrap();
    let event: Value = serde_json::from_str(found["Events"][0]["CloudTrailEvent"].as_str().unwrap()).unwrap();
    assert_eq!(event["requestID"], json!(request_id));
    assert_eq!(event["readOnly"], json!(true));
    assert_eq!(event["requestParameters"]["logEventFilterPattern"], json!("ERROR"));

    assert_eq!(services.logs.live_tails(DEFAULT_ACCOUNT), 1);
    drop(body);
    assert_eq!(services.logs.live_tails(DEFAULT_ACCOUNT), 0, "a dropped body ends its session");
}

#[tokio::test]
async fn refusals_are_whole_errors() {
    let dir = tempfile::tempdir().unwrap();
    let services = services(&dir);
    let cases = [
        (json!({"logGroupIdentifiers": ["/missing"]}), "ResourceNotFoundException"),
        (json!({}), "InvalidParameterException"),
        (
            json!({"logGroupIdentifiers": (0..11).map(|i| format!("/g{i}")).collect::<Vec<_>>()}),
            "InvalidParameterException",
        ),
    ];
    for (params, code) in cases {
        let ApiReply::Whole(response) = tail(&services, params.clone()).await else {
            panic!("{params}: a refusal is not streamed");
        };
        assert_eq!(response.status, 400);
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["__type"], json!(code), "{params}: {body}");
    }
}

#[tokio::test]
async fn stopping_ends_the_stream_with_its_exception() {
    let dir = tempfile::tempdir().unwrap();
    let services = services(&dir);
    logs(&services, "CreateLogGroup", json!({"logGroupName": "/app"})).await;
    let ApiReply::Streamed { mut body, .. } = tail(&services, json!({"logGroupIdentifiers": ["/app"]})).await else {
        panic!("a stream");
    };
    next(&mut body).await;
    services.logs.end_live_tails();
    let last = next(&mut body).await;
    assert_eq!(header(&last[0], ":message-type"), "exception");
    assert_eq!(header(&last[0], ":exception-type"), "SessionStreamingException");
    assert!(last[0].1["message"].as_str().is_some_and(|m| m.contains("shutting down")));
    assert_eq!(body.next_chunk().await, None);
    assert_eq!(services.logs.live_tails(DEFAULT_ACCOUNT), 0);
}
