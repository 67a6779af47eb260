//! Issue 14: acknowledged log events survive kill -9. Writers put batches into streams of their own over real
//! HTTP, the process is killed mid-ingest, and every acknowledged batch is found, in order and whole, when the
//! redb file is opened again.

use crate::support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use skywatch_logs::ops::{GetLogEvents, GetLogEventsInput};
use skywatch_logs::{Keyring, Logs};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;
use support::{Server, call};

const WRITERS: usize = 4;
const EVENTS: usize = 50;
const TARGET: &str = "Logs_20140328.";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_log_events_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let addr = server.addr;
    let http = reqwest::Client::new();
    let setup = |op: &str, body: serde_json::Value| {
        let http = http.clone();
        let target = format!("{TARGET}{op}");
        async move {
            let (status, reply) = call(&http, addr, "logs", &target, &body).await.unwrap();
            assert_eq!(status, 200, "{reply}");
        }
    };
    setup("CreateLogGroup", serde_json::json!({"logGroupName": "/durable"})).await;
    for writer in 0..WRITERS {
        setup(
            "CreateLogStream",
            serde_json::json!({"logGroupName": "/durable", "logStreamName": format!("w{writer}")}),
        )
        .await;
    }
    let acknowledged: Arc<Mutex<BTreeMap<usize, u64>>> = Arc::default();
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (acknowledged, http) = (Arc::clone(&acknowledged), http.clone());
        writers.push(tokio::spawn(async move {
            for batch in 0u64.. {
                let now = chrono::Utc::now().timestamp_millis();
                let events: Vec<_> = (0..EVENTS)
                    .map(|i| serde_json::json!({"timestamp": now, "message": format!("w{writer} b{batch} e{i} {}", "x".repeat(100))}))
                    .collect();
                let body = serde_json::json!({"logGroupName": "/durable", "logStreamName": format!("w{writer}"), "logEvents": events});
                match call(&http, addr, "logs", &format!("{TARGET}PutLogEvents"), &body).await {
                    Ok((200, _)) => {
                        acknowledged.lock().unwrap().insert(writer, batch + 1);
                    }
                    Ok((status, body)) => panic!("unexpected reply {status}: {body}"),
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.sigkill();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let total: u64 = acknowledged.values().sum();
    assert!(total > 20, "too little was ingested to mean anything: {total} batches");

    let store = Store::open(dir.path()).expect("the database opens after kill -9");
    let logs = Logs::new(store, Keyring::in_dir(dir.path()));
    let ctx = Context::new(
        skywatch_model::Caller::Anonymous { account: "000000000000".into() },
        "us-east-1",
        "check",
        chrono::Utc::now().timestamp_millis(),
    );
    for writer in 0..WRITERS {
        let mut messages = Vec::new();
        let mut token = None;
        loop {
            let input = GetLogEventsInput {
                log_group_name: Some("/durable".into()),
                log_stream_name: format!("w{writer}"),
                start_from_head: Some(true),
                next_token: token.clone(),
                ..Default::default()
            };
            let page = GetLogEvents::run(&logs, &ctx, input).await.unwrap().reply;
            if Some(&page.next_forward_token) == token.as_ref() {
                break;
            }
            messages.extend(page.events.into_iter().map(|e| e.message));
            token = Some(page.next_forward_token);
        }
        let acked = acknowledged.get(&writer).copied().unwrap_or(0);
        // Whole batches, in order, at least every acknowledged one (one more may have committed unanswered).
        assert_eq!(messages.len() % EVENTS, 0, "writer {writer}: a batch was stored in part");
        let stored = (messages.len() / EVENTS) as u64;
        assert!(stored >= acked, "writer {writer}: {stored} batches stored, {acked} acknowledged");
        let expected: Vec<String> = (0..stored)
            .flat_map(|b| (0..EVENTS).map(move |i| format!("w{writer} b{b} e{i} {}", "x".repeat(100))))
            .collect();
        assert_eq!(messages, expected, "writer {writer}: stored events are not its batches in order");
    }
}
