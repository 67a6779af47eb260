//! Acknowledged data survives kill -9: concurrent clients ingest over real HTTP, the process is killed
//! mid-ingest, and every acknowledged datapoint and its CloudTrail record are found in the redb file.

mod support;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use skywatch_store::Store;
use support::{Server, call};

const WRITERS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_datapoints_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let addr = server.addr;
    let acknowledged: Arc<Mutex<BTreeSet<(usize, u64)>>> = Arc::default();
    let http = reqwest::Client::new();
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let acknowledged = Arc::clone(&acknowledged);
        let http = http.clone();
        writers.push(tokio::spawn(async move {
            for seq in 0u64.. {
                let body = serde_json::json!({
                    "Namespace": "Durability",
                    "MetricData": [{"MetricName": format!("writer{writer}"), "Value": seq as f64}]
                });
                match call(&http, addr, "monitoring", "GraniteServiceVersion20100801.PutMetricData", &body).await {
                    Ok((200, _)) => {
                        acknowledged.lock().unwrap().insert((writer, seq));
                    }
                    Ok((status, body)) => panic!("unexpected reply {status}: {body}"),
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    // Let ingestion run, then kill the process without any chance to flush.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.sigkill();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 50, "too little was ingested to mean anything: {}", acknowledged.len());

    let store = Store::open(dir.path()).expect("the database opens after kill -9");
    for writer in 0..WRITERS {
        let series = format!("Durability\u{1f}writer{writer}");
        let stored: BTreeSet<u64> = store
            .read_blocking(|r| r.metric_points("000000000000", "us-east-1", &series, (0, i64::MAX)))
            .unwrap()
            .iter()
            .map(|row| row.stats.sum as u64)
            .collect();
        for (_, seq) in acknowledged.iter().filter(|(w, _)| *w == writer) {
            assert!(stored.contains(seq), "writer {writer} datapoint {seq} was acknowledged but is lost");
        }
    }
    let audited = store.read_blocking(|r| r.audit_event_count()).unwrap();
    assert!(
        audited as usize >= acknowledged.len(),
        "{audited} audit records for {} acknowledged calls",
        acknowledged.len()
    );
}

/// SIGTERM and SIGINT both finish in-flight work, commit, close the database and exit 0.
#[tokio::test]
async fn sigterm_and_sigint_shut_down_cleanly_after_committing() {
    for signal in ["TERM", "INT"] {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Server::start(dir.path());
        let http = reqwest::Client::new();
        let body = serde_json::json!({"Namespace": "App", "MetricData": [{"MetricName": "Up", "Value": 1}]});
        let (status, _) =
            call(&http, server.addr, "monitoring", "GraniteServiceVersion20100801.PutMetricData", &body).await.unwrap();
        assert_eq!(status, 200);
        let exit = server.signal(signal);
        assert!(exit.success(), "SIG{signal}: graceful shutdown exits 0, got {exit:?}");
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.read_blocking(|r| r.metric_point_count()).unwrap(), 1, "SIG{signal}");
    }
}
