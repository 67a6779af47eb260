//! The demo workload: a small simulated shop running on an EC2 fleet behind an Application Load Balancer, which
//! reaches Skywatch only through the public AWS APIs, signed like any client. Traffic follows a day-like curve
//! compressed into a 30-minute "day", incidents strike every few minutes, and every value is a pure function of a
//! seed and the clock, so the backfilled hours and the live ticks draw one continuous, reproducible picture.

mod alarms;
mod client;
mod config;
mod dashboard;
mod datum;
mod ec2;
mod elb;
mod events;
mod logs;
mod resume;
mod schedule;
mod shop;
mod signal;
mod traces;
mod workload;

use std::net::SocketAddr;
use std::time::Duration;

use skywatch_core::auth::AccessKey;
use skywatch_core::model::{DEFAULT_ACCOUNT, Role};

pub use client::SignedClient;

/// How often the demo reports.
const TICK: Duration = Duration::from_secs(10);
/// The operator checks the audit trail every this many ticks.
const LOOK_EVERY: u64 = 6;
/// Fixes the noise, incident victims and spikes: the same seed and clock always give the same data.
const SEED: u64 = 0x5c1e_5eed_0d15_ea5e;

/// A fresh admin key for the demo, registered with the server before it starts.
pub fn generate_key() -> AccessKey {
    use rand::Rng;
    let secret: String =
        rand::thread_rng().sample_iter(&rand::distributions::Alphanumeric).take(40).map(char::from).collect();
    AccessKey { id: "AKIDSKYWATCHDEMO".into(), secret, account: DEFAULT_ACCOUNT.into(), role: Role::Admin }
}

/// How far back a fresh demo fills in traces (the service map's and trace list's usual windows).
const TRACE_BACKFILL_SECONDS: i64 = 30 * 60;
/// How far back a fresh demo fills in logs.
const LOG_BACKFILL_SECONDS: i64 = 30 * 60;
/// Traces are built and sent this many seconds at a time (an OTLP export stays well under its span limit).
const TRACE_WINDOW_SECONDS: i64 = 60;

/// Runs until the process ends. The first tick fills in the hours since the demo last ran (at most three); each
/// later one reports the seconds since the previous. `daemon` is the X-Ray daemon's UDP address, when it is open.
pub async fn run(server: SocketAddr, key: AccessKey, daemon: Option<SocketAddr>) {
    let key_id = key.id.clone();
    let client = SignedClient::new(server, key, "us-east-1");
    dashboard::ensure(&client).await;
    let mut covered = resume::start(&client, &key_id, chrono::Utc::now().timestamp()).await;
    // After the backfill, so the alarms' first evaluation sees the last hours.
    alarms::ensure(&client).await;
    config::ensure(&client).await;
    logs::ensure(&client).await;
    // After the alarms (the failed-orders rule notifies their topic) and the logs.
    events::ensure(&client).await;
    let mut beat = None;
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tracing::info!("demo workload started");
    for tick in 1u64.. {
        interval.tick().await;
        let now = chrono::Utc::now().timestamp();
        let from = covered.max(now - resume::BACKFILL_SECONDS);
        let started = std::time::Instant::now();
        let batches = workload::requests(SEED, from, now);
        let traces_from = from.max(now - TRACE_BACKFILL_SECONDS);
        covered = covered.max(now);
        for batch in &batches {
            if let Err(error) =
                client.call("monitoring", "GraniteServiceVersion20100801.PutMetricData", &batch.body()).await
            {
                tracing::warn!(%error, namespace = batch.namespace, "demo PutMetricData failed");
            }
        }
        send_traces(&client, daemon, traces_from, now, now - from <= workload::MAX_LIVE_WINDOW).await;
        logs::send(&client, SEED, from.max(now - LOG_BACKFILL_SECONDS), now).await;
        events::send(&client, SEED, from, now).await;
        beat = config::story(&client, now, beat).await;
        if now - from > workload::MAX_LIVE_WINDOW {
            let elapsed_ms = started.elapsed().as_millis();
            tracing::info!(requests = batches.len(), seconds = now - from, elapsed_ms, "demo backfilled");
        }
        if tick.is_multiple_of(LOOK_EVERY) {
            let body = serde_json::json!({
                "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "PutMetricData"}],
                "MaxResults": 5
            });
            if let Err(error) = client
                .call("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", &body)
                .await
            {
                tracing::warn!(%error, "demo LookupEvents failed");
            }
        }
    }
}

/// Sends the shop's traces of `[from, until)`: the X-Ray SDK's documents as datagrams to the daemon port when it
/// is open and this is a live tick (a backfill's burst would overrun a socket buffer, so it goes through
/// PutTraceSegments), the OpenTelemetry services' spans as signed OTLP/HTTP exports.
async fn send_traces(client: &SignedClient, daemon: Option<SocketAddr>, from: i64, until: i64, live: bool) {
    let udp = match daemon.filter(|_| live) {
        Some(addr) => tokio::net::UdpSocket::bind("127.0.0.1:0").await.ok().map(|socket| (socket, addr)),
        None => None,
    };
    let mut start = from;
    while start < until {
        let end = (start + TRACE_WINDOW_SECONDS).min(until);
        let batch = traces::batch(SEED, start, end);
        let count = batch.traces();
        let (documents, export) = batch.export();
        if !live {
            tracing::debug!(traces = count, from = start, until = end, "demo traces backfilled");
        }
        start = end;
        match &udp {
            Some((socket, addr)) => {
                for document in &documents {
                    let datagram = format!("{{\"format\":\"json\",\"version\":1}}\n{document}");
                    if let Err(error) = socket.send_to(datagram.as_bytes(), addr).await {
                        tracing::warn!(%error, "demo segment datagram not sent");
                        break;
                    }
                }
            }
            None => {
                for chunk in documents.chunks(500) {
                    let body = serde_json::json!({ "TraceSegmentDocuments": chunk }).to_string().into_bytes();
                    if let Err(error) = client.post("xray", "/TraceSegments", "application/json", body).await {
                        tracing::warn!(%error, "demo PutTraceSegments failed");
                    }
                }
            }
        }
        let body = skywatch_core::traces::otlp::encode(&export);
        if let Err(error) = client.post("xray", "/v1/traces", "application/x-protobuf", body).await {
            tracing::warn!(%error, "demo OTLP export failed");
        }
    }
}
