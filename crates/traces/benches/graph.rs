//! X-Ray's speed targets on the engine, on a real redb file: documents stored through PutTraceSegments' change
//! (segments a second, documents parsed and checked first), traces summarized (the summarizer's rate), and
//! GetServiceGraph over an hour holding 1,000,000 segments (target: under a second). The shop's topology:
//! gateway -> orders -> payments -> a database, orders -> inventory; one request in 50 faults.
//! Run: `cargo bench -p skywatch-traces --bench graph` (`SEGMENTS=200000` for a smaller store).

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;
use skywatch_traces::document::parse;
use skywatch_traces::storage::PutDocuments;
use skywatch_traces::{GetServiceGraph, GetServiceGraphInput, QUIET_MS, Traces};

const HOUR_MS: i64 = 3_600_000;
const END_MS: i64 = 1_767_225_600_000;

/// The four documents of request `n`, which starts `offset` seconds into the hour.
fn request(n: u64, offset: f64) -> Vec<String> {
    let t = (END_MS - HOUR_MS) as f64 / 1000.0 + offset;
    let trace = format!("1-{:08x}-{:024x}", (t as u64) as u32, n);
    let id = |k: u64| format!("{:016x}", n * 16 + k);
    let fault = n.is_multiple_of(50);
    vec![
        format!(
            r#"{{"trace_id":"{trace}","id":"{}","name":"gateway","origin":"AWS::EC2::Instance","start_time":{t},"end_time":{},"http":{{"request":{{"method":"GET","url":"http://shop/api/cart"}},"response":{{"status":{}}}}},"annotations":{{"customer":"c{}"}},"subsegments":[{{"id":"{}","name":"orders","namespace":"remote","start_time":{t},"end_time":{}}}]}}"#,
            id(1),
            t + 0.120,
            if fault { 500 } else { 200 },
            n % 1000,
            id(2),
            t + 0.110
        ),
        format!(
            r#"{{"trace_id":"{trace}","id":"{}","parent_id":"{}","name":"orders","origin":"AWS::EC2::Instance","start_time":{t},"end_time":{},"fault":{fault},"subsegments":[{{"id":"{}","name":"payments","namespace":"remote","start_time":{t},"end_time":{}}},{{"id":"{}","name":"inventory","namespace":"remote","start_time":{t},"end_time":{}}}]}}"#,
            id(3),
            id(2),
            t + 0.100,
            id(4),
            t + 0.06,
            id(5),
            t + 0.02
        ),
        format!(
            r#"{{"trace_id":"{trace}","id":"{}","parent_id":"{}","name":"payments","origin":"AWS::EC2::Instance","start_time":{t},"end_time":{},"fault":{fault},"subsegments":[{{"id":"{}","name":"payments-db","namespace":"remote","sql":{{"url":"pg"}},"start_time":{t},"end_time":{}}}]}}"#,
            id(6),
            id(4),
            t + 0.05,
            id(7),
            t + 0.01
        ),
        format!(
            r#"{{"trace_id":"{trace}","id":"{}","parent_id":"{}","name":"inventory","origin":"AWS::EC2::Instance","start_time":{t},"end_time":{}}}"#,
            id(8),
            id(5),
            t + 0.015
        ),
    ]
}

fn context() -> Context {
    Context::new(skywatch_model::Caller::Anonymous { account: "000000000000".into() }, "us-east-1", "bench", END_MS)
}

fn graph(c: &mut Criterion) {
    let segments: u64 = std::env::var("SEGMENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let requests = segments / 4;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let traces = Traces::new(Store::open(dir.path()).unwrap());
    let batch = 5_000u64;
    let started = Instant::now();
    runtime.block_on(async {
        for first in (0..requests).step_by(batch as usize) {
            let mut documents = Vec::new();
            for n in first..(first + batch).min(requests) {
                let offset = (n as f64 / requests as f64) * 3_590.0;
                for text in request(n, offset) {
                    documents.extend(parse(&text).unwrap());
                }
            }
            let change = PutDocuments::new("000000000000", "us-east-1", END_MS, documents).expect("encodable");
            traces.store().apply(vec![change.mutation()]).await.unwrap();
        }
    });
    let ingest = started.elapsed();
    let started = Instant::now();
    let summarized = runtime.block_on(traces.summarize_due(END_MS + QUIET_MS)).unwrap();
    let summarize = started.elapsed();
    eprintln!(
        "stored {} segments in {:.1} s ({:.0} segments/s, parse and commit); summarized {} traces in {:.1} s ({:.0} traces/s)",
        requests * 4,
        ingest.as_secs_f64(),
        (requests * 4) as f64 / ingest.as_secs_f64(),
        summarized,
        summarize.as_secs_f64(),
        summarized as f64 / summarize.as_secs_f64()
    );
    let ctx = context();
    let input = GetServiceGraphInput { start_time_ms: END_MS - HOUR_MS, end_time_ms: END_MS, ..Default::default() };
    let probe = runtime.block_on(GetServiceGraph::run(&traces, &ctx, input.clone())).unwrap().reply;
    let total: i64 = probe.nodes.iter().filter(|n| n.key.name == "gateway").map(|n| n.stats.total()).sum();
    assert_eq!(total as u64, requests, "the hour's graph counts every request");
    c.bench_function("get_service_graph_one_hour", |b| {
        b.iter(|| runtime.block_on(GetServiceGraph::run(&traces, &ctx, input.clone())).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = graph
}
criterion_main!(benches);
