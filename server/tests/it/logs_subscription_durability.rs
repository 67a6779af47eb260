//! Issue 14: subscription deliveries survive kill -9. A filter subscribes an HTTP endpoint that is down; batches
//! are acknowledged (their deliveries queued in the same commits), the process is killed, the endpoint comes up,
//! and the restarted server delivers every acknowledged event to it.

use crate::support;

use std::collections::BTreeSet;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Server, call};

const TARGET: &str = "Logs_20140328.";
const BATCHES: usize = 20;
const EVENTS: usize = 5;

type Received = Arc<Mutex<Vec<serde_json::Value>>>;

/// An endpoint on `port` that keeps every payload posted to `/hook`.
async fn endpoint(port: u16, received: Received) {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::body::Bytes| {
            let received = Arc::clone(&received);
            async move {
                let mut text = String::new();
                flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut text).expect("gzip");
                received.lock().unwrap().push(serde_json::from_str(&text).expect("json"));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind the endpoint's port");
    axum::serve(listener, app).await.expect("serve");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_deliveries_survive_kill_9() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let http = reqwest::Client::new();
    let ok = |addr, op: &'static str, body: serde_json::Value| {
        let http = http.clone();
        async move {
            let (status, reply) = call(&http, addr, "logs", &format!("{TARGET}{op}"), &body).await.unwrap();
            assert_eq!(status, 200, "{op}: {reply}");
        }
    };
    let addr = server.addr;
    ok(addr, "CreateLogGroup", serde_json::json!({"logGroupName": "/subs"})).await;
    ok(addr, "CreateLogStream", serde_json::json!({"logGroupName": "/subs", "logStreamName": "s"})).await;
    let destination = format!("http://127.0.0.1:{port}/hook");
    let filter = serde_json::json!({"logGroupName": "/subs", "filterName": "all", "filterPattern": "", "destinationArn": destination});
    ok(addr, "PutSubscriptionFilter", filter).await;
    let mut sent = BTreeSet::new();
    for batch in 0..BATCHES {
        let now = chrono::Utc::now().timestamp_millis();
        let events: Vec<_> = (0..EVENTS)
            .map(|i| {
                let message = format!("b{batch} e{i}");
                sent.insert(message.clone());
                serde_json::json!({"timestamp": now, "message": message})
            })
            .collect();
        let body = serde_json::json!({"logGroupName": "/subs", "logStreamName": "s", "logEvents": events});
        ok(addr, "PutLogEvents", body).await;
    }
    server.sigkill();

    let received: Received = Arc::default();
    tokio::spawn(endpoint(port, Arc::clone(&received)));
    let _server = Server::start(dir.path());
    let deadline = Instant::now() + Duration::from_secs(60);
    let delivered = loop {
        let delivered: BTreeSet<String> = received
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p["messageType"] == "DATA_MESSAGE")
            .flat_map(|p| p["logEvents"].as_array().cloned().unwrap_or_default())
            .filter_map(|e| e["message"].as_str().map(str::to_owned))
            .collect();
        if delivered.len() >= sent.len() || Instant::now() > deadline {
            break delivered;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let missing: Vec<_> = sent.difference(&delivered).collect();
    assert!(missing.is_empty(), "acknowledged events never delivered: {missing:?}");
}
