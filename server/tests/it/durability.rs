//! Acknowledged data survives kill -9: concurrent clients ingest over real HTTP while the metric engine
//! checkpoints every second, the process is killed mid-ingest, and every acknowledged datapoint and its
//! CloudTrail record are found when the redb file is opened again.

use crate::support;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use skywatch_store::Store;
use skywatch_tsdb::{BucketQuery, Config, SeriesKey, Source, Tsdb};
use support::{Server, call};

const WRITERS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_datapoints_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(dir.path(), &["--metrics-checkpoint-secs", "1"]);
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
    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.sigkill();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 50, "too little was ingested to mean anything: {}", acknowledged.len());

    let store = Store::open(dir.path()).expect("the database opens after kill -9");
    let tsdb = Tsdb::open(store.clone(), Config::default()).expect("the metric engine opens after kill -9");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let all_time = BucketQuery {
        start_ms: now - 3_600_000,
        end_ms: now + 3_600_000,
        period_ms: 7_200_000,
        with_distribution: false,
    };
    for writer in 0..WRITERS {
        let key = SeriesKey::new("000000000000", "us-east-1", "Durability", format!("writer{writer}"), Vec::new());
        let acked = acknowledged.iter().filter(|(w, _)| *w == writer).count() as f64;
        let Some(id) = tsdb.series_of(&key).first().map(|series| series.id) else {
            assert_eq!(acked, 0.0, "writer {writer} had acknowledged datapoints but its series is lost");
            continue;
        };
        let summary = tsdb.query_blocking(&[id], &all_time, Source::Raw).unwrap().remove(0).remove(0);
        let (count, sum) = summary.map(|s| (s.sample_count, s.sum)).unwrap_or((0.0, 0.0));
        // Each writer sent 0, 1, 2, ... in order: what is stored must be exactly such a prefix, at least as long
        // as what was acknowledged (one more call may have committed without its reply getting out).
        assert!(count >= acked, "writer {writer}: {count} stored, {acked} acknowledged");
        assert_eq!(sum, count * (count - 1.0) / 2.0, "writer {writer}: stored values are not 0..{count}");
    }
    let audited = store.read_blocking(skywatch_core::audit::event_count).unwrap();
    assert!(
        audited as usize >= acknowledged.len(),
        "{audited} audit records for {} acknowledged calls",
        acknowledged.len()
    );
}

/// SIGTERM and SIGINT both finish in-flight work, checkpoint the metric log, commit, close the database and exit 0.
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
        // The final checkpoint folded the metric log into the series' open chunk.
        let [series, wal, open_chunks, _, _] = store.read_blocking(skywatch_tsdb::storage::counts).unwrap();
        assert_eq!((series, wal, open_chunks), (1, 0, 1), "SIG{signal}");
    }
}
