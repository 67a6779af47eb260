//! The console's Live Tail stream, `GET /_skywatch/logs/live-tail` (its query and events are described in
//! `skywatch_app::api::LiveTailRequest` and its neighbours): Server-Sent Events over the same StartLiveTail
//! operation the AWS front door streams, run through `Services::invoke` as the signed-in console user, so it is
//! authorised, validated and recorded in CloudTrail like the API call. A refusal is an `error` event (an
//! `EventSource` cannot read the body of an error status); then `start`, an `update` for each second in which
//! something matched, a comment for each quiet one (so a browser that left is noticed at the next second, as the
//! front door notices a departed SDK), and `end` when the session times out or the server stops. Nothing is
//! spawned: the body holds the session, and hyper drops the body when the browser goes.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;
use skywatch_app::api::{LiveTailEvent, LiveTailStarted, LiveTailStop, LiveTailUpdate};
use skywatch_awsapi::streaming::ReplyStream;
use skywatch_core::Services;
use skywatch_core::logs::ops::{LiveTailSession, SessionUpdate, StartLiveTail, StartLiveTailInput};
use skywatch_core::model::{Caller, DEFAULT_REGION};
use skywatch_core::ops::{Context, Origin};

pub use skywatch_app::api::LIVE_TAIL_STREAM_PATH as PATH;

/// The media type of the stream.
const CONTENT_TYPE: &str = "text/event-stream";
/// Query pairs read; StartLiveTail takes at most 10 groups and 100 stream names, so more only adds a refusal.
const MAX_PAIRS: usize = 256;
/// How long the browser waits before reconnecting to a stream that broke (the `retry` field), in milliseconds.
const RETRY_MS: u32 = 5_000;
/// What a quiet second sends: an SSE comment.
const QUIET: &[u8] = b":\n\n";

/// What the query asks for: the region, the account the page shows, and StartLiveTail's input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Wanted {
    region: String,
    account: Option<String>,
    input: StartLiveTailInput,
}

/// Reads the query: `region`, `account`, `group`, `stream` and `prefix` (repeated), `filter`.
fn wanted(query: &str) -> Wanted {
    let mut out = Wanted::default();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()).take(MAX_PAIRS) {
        let value = value.into_owned();
        match key.as_ref() {
            "region" => out.region = value,
            "account" if !value.is_empty() => out.account = Some(value),
            "group" => out.input.log_group_identifiers.push(value),
            "stream" => out.input.log_stream_names.push(value),
            "prefix" => out.input.log_stream_name_prefixes.push(value),
            "filter" if !value.trim().is_empty() => out.input.log_event_filter_pattern = Some(value),
            _ => {}
        }
    }
    if out.region.is_empty() {
        out.region = DEFAULT_REGION.to_owned();
    }
    out
}

/// Whether `region` has a region's shape (`us-east-1`), so that nothing else reaches the audit record.
fn region_shaped(region: &str) -> bool {
    (1..=32).contains(&region.len())
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// One SSE event: its name and its JSON on one `data` line (serde_json escapes every newline).
fn event(name: &str, value: &impl Serialize) -> Bytes {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    Bytes::from(format!("event: {name}\ndata: {json}\n\n"))
}

/// A stream of one event, then the end.
fn only(name: &'static str, stop: LiveTailStop) -> ReplyStream {
    ReplyStream::unfold(CONTENT_TYPE, Some(event(name, &stop)), |chunk| async move { chunk.map(|c| (c, None)) })
}

/// The `update` event of a session update.
fn update(update: SessionUpdate) -> LiveTailUpdate {
    LiveTailUpdate {
        sampled: update.sampled,
        events: update
            .events
            .into_iter()
            .map(|e| LiveTailEvent {
                log_group_identifier: e.log_group_identifier,
                log_stream_name: e.log_stream_name,
                message: e.message,
                timestamp: e.timestamp,
                ingestion_time: e.ingestion_time,
            })
            .collect(),
    }
}

/// Where a session's stream is.
enum Phase {
    Start(Box<LiveTailSession>),
    Updates(Box<LiveTailSession>),
    Ended,
}

/// The stream's next chunk: `start` at once, then a chunk each second, then `end`.
async fn step(phase: Phase) -> Option<(Bytes, Phase)> {
    match phase {
        Phase::Start(session) => {
            let start = &session.session_start;
            let started = LiveTailStarted {
                session_id: start.session_id.clone(),
                request_id: start.request_id.clone(),
                log_group_identifiers: start.log_group_identifiers.clone(),
            };
            let mut chunk = format!("retry: {RETRY_MS}\n\n").into_bytes();
            chunk.extend_from_slice(&event("start", &started));
            Some((Bytes::from(chunk), Phase::Updates(session)))
        }
        Phase::Updates(mut session) => match session.next_update().await? {
            Ok(next) if next.events.is_empty() && !next.sampled => {
                Some((Bytes::from_static(QUIET), Phase::Updates(session)))
            }
            Ok(next) => Some((event("update", &update(next)), Phase::Updates(session))),
            Err(end) => {
                let stop = LiveTailStop { code: end.code().to_owned(), message: end.to_string() };
                Some((event("end", &stop), Phase::Ended))
            }
        },
        Phase::Ended => None,
    }
}

/// Runs StartLiveTail for `caller` as the query asks, and returns the stream of its session (or of its refusal).
async fn open(services: &Services, caller: Caller, query: &str, origin: Origin, now_ms: i64) -> ReplyStream {
    let Wanted { region, account, input } = wanted(query);
    if !region_shaped(&region) {
        let message = format!("The region {region:?} is not a region.");
        return only("error", LiveTailStop { code: "InvalidParameterException".into(), message });
    }
    let account = services.console_account(&caller, account.as_deref());
    let ctx =
        Context::new(caller, region, uuid::Uuid::new_v4().to_string(), now_ms).in_account(account).from_origin(origin);
    match services.invoke::<StartLiveTail>(&ctx, input).await {
        Ok(session) => ReplyStream::unfold(CONTENT_TYPE, Phase::Start(Box::new(session)), step),
        Err(failure) => {
            let stop = LiveTailStop { code: failure.code().audit_code().to_owned(), message: failure.to_string() };
            only("error", stop)
        }
    }
}

/// Whether the browser marks the request as made by another site's page (which may not start sessions here, even
/// when the server runs without sign-in).
fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| !matches!(site.to_ascii_lowercase().as_str(), "same-origin" | "none"))
}

/// `GET /_skywatch/logs/live-tail`.
pub async fn stream(
    State(services): State<Services>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request<Body>,
) -> Response {
    let headers = request.headers();
    if cross_site(headers) {
        return (StatusCode::FORBIDDEN, "Live Tail streams only to this server's own pages.").into_response();
    }
    let now_ms = chrono::Utc::now().timestamp_millis();
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    let body = match services.console_caller(cookie, now_ms).await {
        Some(caller) => {
            let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("console");
            let origin = Origin { source_ip: peer.ip().to_string(), user_agent: user_agent.to_owned() };
            open(&services, caller, request.uri().query().unwrap_or(""), origin, now_ms).await
        }
        None => only("error", LiveTailStop { code: String::new(), message: "Sign in to continue.".into() }),
    };
    let mut response = Response::new(Body::new(Events(body)));
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Proxies in front (nginx) would otherwise hold the events back.
    out.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// The stream as a response body, each chunk sent as it is made.
struct Events(ReplyStream);

impl hyper::body::Body for Events {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        self.0.poll_chunk(cx).map(|chunk| chunk.map(|bytes| Ok(hyper::body::Frame::data(bytes))))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use skywatch_awsapi::{ApiRequest, handle};
    use skywatch_core::auth::AccessKeys;
    use skywatch_core::model::{DEFAULT_ACCOUNT, Role};
    use skywatch_core::{AuthMode, Services};

    use super::*;

    fn services(dir: &tempfile::TempDir) -> Services {
        Services::open(dir.path(), AccessKeys::new([]), AuthMode::None).expect("open services")
    }

    fn user(role: Role) -> Caller {
        Caller::ConsoleUser { name: "ana".into(), account: DEFAULT_ACCOUNT.into(), role }
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp_millis()
    }

    fn origin() -> Origin {
        Origin { source_ip: "127.0.0.1".into(), user_agent: "test-browser".into() }
    }

    /// One AWS API call (JSON 1.1) through the front door.
    async fn call(services: &Services, target: &str, params: Value) -> Value {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amz-target", target.parse().unwrap());
        headers.insert("content-type", "application/x-amz-json-1.1".parse().unwrap());
        let request = ApiRequest {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers,
            body: Bytes::from(params.to_string()),
            source_ip: "127.0.0.1".into(),
        };
        let response = handle(services, request).await;
        assert_eq!(response.status, 200, "{target}: {}", String::from_utf8_lossy(&response.body));
        serde_json::from_slice(&response.body).unwrap_or(Value::Null)
    }

    async fn logs(services: &Services, operation: &str, params: Value) -> Value {
        call(services, &format!("Logs_20140328.{operation}"), params).await
    }

    /// The events of the next chunk (a second at most): (name, JSON), or comments as ("", Null).
    async fn next(body: &mut ReplyStream) -> Vec<(String, Value)> {
        parse(&body.next_chunk().await.expect("the stream goes on"))
    }

    /// The next `update` event, skipping quiet seconds (events committed just as a second ends are the next
    /// second's), within a few seconds.
    async fn next_update(body: &mut ReplyStream) -> Value {
        for _ in 0..5 {
            if let Some((_, update)) = next(body).await.into_iter().find(|(name, _)| name == "update") {
                return update;
            }
        }
        panic!("no update came");
    }

    fn parse(chunk: &[u8]) -> Vec<(String, Value)> {
        let text = std::str::from_utf8(chunk).expect("text");
        assert!(text.ends_with("\n\n"), "whole events: {text:?}");
        text.split("\n\n")
            .filter(|block| !block.is_empty())
            .filter_map(|block| {
                let (mut name, mut data) = (String::new(), Value::Null);
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event: ") {
                        name = n.to_owned();
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data = serde_json::from_str(d).expect("JSON data");
                    } else if line.starts_with("retry: ") {
                        return None;
                    } else {
                        assert!(line.starts_with(':'), "a comment: {line:?}");
                    }
                }
                Some((name, data))
            })
            .collect()
    }

    #[test]
    fn the_query_is_read_with_repeated_keys() {
        let got = wanted("group=%2Fa&group=%2Fb&stream=s%201&prefix=p&filter=ERROR&region=eu-west-1&account=1&x=y");
        assert_eq!(got.region, "eu-west-1");
        assert_eq!(got.account.as_deref(), Some("1"));
        assert_eq!(got.input.log_group_identifiers, ["/a", "/b"]);
        assert_eq!(got.input.log_stream_names, ["s 1"]);
        assert_eq!(got.input.log_stream_name_prefixes, ["p"]);
        assert_eq!(got.input.log_event_filter_pattern.as_deref(), Some("ERROR"));
        let plain = wanted("group=g&filter=%20&account=");
        assert_eq!(
            (plain.region.as_str(), plain.account, plain.input.log_event_filter_pattern),
            (DEFAULT_REGION, None, None)
        );
        let many = "group=g&".repeat(1000);
        assert_eq!(wanted(&many).input.log_group_identifiers.len(), MAX_PAIRS, "a bounded read");
        assert!(region_shaped("ap-northeast-1"));
        assert!(!region_shaped("us-east-1\"}") && !region_shaped(""));
    }

    #[tokio::test]
    async fn a_session_streams_its_matching_events_as_the_console_user() {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        logs(&services, "CreateLogGroup", json!({"logGroupName": "/app"})).await;
        logs(&services, "CreateLogStream", json!({"logGroupName": "/app", "logStreamName": "web-1"})).await;
        let query = "region=us-east-1&group=%2Fapp&filter=ERROR";
        let mut body = open(&services, user(Role::Viewer), query, origin(), now()).await;
        let first = next(&mut body).await;
        assert_eq!(first.len(), 1, "{first:?}");
        assert_eq!(first[0].0, "start");
        assert_eq!(first[0].1["logGroupIdentifiers"], json!(["/app"]));
        let request_id = first[0].1["requestId"].as_str().expect("a request id").to_owned();
        assert!(first[0].1["sessionId"].as_str().is_some_and(|id| !id.is_empty()));

        assert_eq!(next(&mut body).await, [(String::new(), Value::Null)], "a quiet second is a comment");
        let now = chrono::Utc::now().timestamp_millis();
        let put = json!({"logGroupName": "/app", "logStreamName": "web-1", "logEvents": [
            {"timestamp": now, "message": "ERROR boom\nsecond line"}, {"timestamp": now, "message": "INFO fine"}]});
        logs(&services, "PutLogEvents", put).await;
        let got = next_update(&mut body).await;
        let events = &got["events"];
        assert_eq!(got["sampled"], json!(false));
        assert_eq!(events.as_array().map(Vec::len), Some(1), "{events}");
        assert_eq!(events[0]["message"], json!("ERROR boom\nsecond line"));
        assert_eq!(events[0]["logStreamName"], json!("web-1"));
        assert_eq!(events[0]["logGroupIdentifier"], json!("/app"));
        assert_eq!(events[0]["timestamp"], json!(now));
        assert!(events[0]["ingestionTime"].as_i64().is_some_and(|t| t >= now));

        // Recorded in CloudTrail as the console user's read, with the page's user agent.
        let lookup = json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "StartLiveTail"}]});
        let found =
            call(&services, "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", lookup).await;
        let record: Value = serde_json::from_str(found["Events"][0]["CloudTrailEvent"].as_str().unwrap()).unwrap();
        assert_eq!(record["requestID"], json!(request_id));
        assert_eq!(record["readOnly"], json!(true));
        assert_eq!(record["userAgent"], json!("test-browser"));
        assert_eq!(record["requestParameters"]["logEventFilterPattern"], json!("ERROR"));
        assert_eq!(found["Events"][0]["Username"], json!("ana"));

        assert_eq!(services.logs.live_tails(DEFAULT_ACCOUNT), 1);
        drop(body);
        assert_eq!(services.logs.live_tails(DEFAULT_ACCOUNT), 0, "a dropped stream ends its session");
    }

    #[tokio::test]
    async fn refusals_are_one_error_event_with_the_aws_code_and_message() {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        logs(&services, "CreateLogGroup", json!({"logGroupName": "/a"})).await;
        logs(&services, "CreateLogGroup", json!({"logGroupName": "/b"})).await;
        let cases = [
            ("group=%2Fmissing", "ResourceNotFoundException", "The specified log group does not exist."),
            ("", "InvalidParameterException", "Member must have length greater than or equal to 1"),
            ("group=%2Fa&group=%2Fb&prefix=web", "InvalidParameterException", "exactly one log group identifier"),
            ("group=%2Fa&filter=%7B%20%24.x%20%3D%20", "InvalidParameterException", ""),
            ("region=x%22y&group=%2Fa", "InvalidParameterException", "is not a region"),
        ];
        for (query, code, words) in cases {
            let mut body = open(&services, user(Role::Admin), query, origin(), now()).await;
            let got = parse(&body.next_chunk().await.expect("one event"));
            assert_eq!(got.len(), 1, "{query}: {got:?}");
            assert_eq!(got[0].0, "error", "{query}");
            assert_eq!(got[0].1["code"], json!(code), "{query}: {got:?}");
            assert!(got[0].1["message"].as_str().is_some_and(|m| m.contains(words)), "{query}: {got:?}");
            assert_eq!(body.next_chunk().await, None, "{query}: then the end");
        }
        assert_eq!(services.logs.live_tails(DEFAULT_ACCOUNT), 0);
    }

    #[tokio::test]
    async fn the_sixteenth_session_of_an_account_is_refused_until_one_ends() {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        logs(&services, "CreateLogGroup", json!({"logGroupName": "/app"})).await;
        let mut open_ones = Vec::new();
        for _ in 0..15 {
            open_ones.push(open(&services, user(Role::Admin), "group=%2Fapp", origin(), now()).await);
        }
        let mut refused = open(&services, user(Role::Admin), "group=%2Fapp", origin(), now()).await;
        let got = parse(&refused.next_chunk().await.unwrap());
        assert_eq!((got[0].0.as_str(), &got[0].1["code"]), ("error", &json!("LimitExceededException")));
        open_ones.pop();
        let mut admitted = open(&services, user(Role::Admin), "group=%2Fapp", origin(), now()).await;
        assert_eq!(parse(&admitted.next_chunk().await.unwrap())[0].0, "start");
    }

    #[tokio::test]
    async fn stopping_the_server_ends_the_stream_with_end() {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        logs(&services, "CreateLogGroup", json!({"logGroupName": "/app"})).await;
        let mut body = open(&services, user(Role::Admin), "group=%2Fapp", origin(), now()).await;
        next(&mut body).await;
        services.logs.end_live_tails();
        let last = next(&mut body).await;
        assert_eq!(last[0].0, "end");
        assert_eq!(last[0].1["code"], json!("SessionStreamingException"));
        assert!(last[0].1["message"].as_str().is_some_and(|m| m.contains("shutting down")));
        assert_eq!(body.next_chunk().await, None);
        assert_eq!(services.logs.live_tails(DEFAULT_ACCOUNT), 0);
    }

    #[test]
    fn pages_of_other_sites_are_refused() {
        let with = |site: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("sec-fetch-site", site.parse().unwrap());
            cross_site(&headers)
        };
        assert!(with("cross-site") && with("same-site"));
        assert!(!with("same-origin") && !with("none") && !cross_site(&HeaderMap::new()));
    }
}
