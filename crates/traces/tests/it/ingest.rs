//! Issue 12: documents on a real redb file through PutTraceSegments: good ones stored and bad ones answered with
//! X-Ray's codes; an in-progress segment replaced by its finished version (never the other way round); subsegments
//! sent on their own put back under their parents by BatchGetTraces, in any arrival order; pages of traces and
//! unknown ids; everything still there after a restart.

use serde_json::Value;
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;
use skywatch_traces::storage::pending;
use skywatch_traces::{BatchGetTraces, BatchGetTracesInput, PutTraceSegments, PutTraceSegmentsInput, Traces};

const TRACE: &str = "1-58406520-a006649127e371903a2de979";

struct Fixture {
    traces: Traces,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { traces: Traces::new(Store::open(dir.path()).unwrap()), dir }
    }

    fn restart(self) -> Self {
        let Fixture { traces, dir } = self;
        drop(traces);
        Self { traces: Traces::new(Store::open(dir.path()).unwrap()), dir }
    }

    async fn call<Op: Operation<Engine = Traces>>(&self, input: Op::Input) -> Op::Output {
        let ctx =
            Context::new(skywatch_model::Caller::Anonymous { account: "000000000000".into() }, "us-east-1", "r", 1);
        let effect = Op::run(&self.traces, &ctx, input).await.map_err(|e| e.to_string()).unwrap();
        self.traces.store().apply(effect.changes).await.unwrap();
        effect.reply
    }

    async fn put(&self, documents: &[String]) -> Vec<skywatch_traces::Unprocessed> {
        self.call::<PutTraceSegments>(PutTraceSegmentsInput { trace_segment_documents: documents.to_vec() }).await
    }

    async fn get(&self, ids: &[&str]) -> skywatch_traces::TracePage {
        let input = BatchGetTracesInput { trace_ids: ids.iter().map(|s| (*s).to_owned()).collect(), next_token: None };
        self.call::<BatchGetTraces>(input).await
    }
}

fn segment(id: &str, name: &str, start: f64, tail: &str) -> String {
    format!(r#"{{"trace_id":"{TRACE}","id":"{id}","name":"{name}","start_time":{start}{tail}}}"#)
}

fn subsegment(id: &str, parent: &str, name: &str, start: f64, end: f64) -> String {
    format!(
        r#"{{"type":"subsegment","trace_id":"{TRACE}","parent_id":"{parent}","id":"{id}","name":"{name}","start_time":{start},"end_time":{end}}}"#
    )
}

fn documents(page: &skywatch_traces::TracePage) -> Vec<Value> {
    page.traces[0].segments.iter().map(|(_, json)| serde_json::from_str(json).unwrap()).collect()
}

#[tokio::test]
async fn good_documents_are_stored_and_bad_ones_answered_with_x_rays_codes() {
    let fx = Fixture::start();
    let unprocessed = fx
        .put(&[
            segment("a000000000000001", "gateway", 100.0, r#","end_time":100.5"#),
            "{".to_owned(),
            segment("a000000000000002", "orders", 100.1, ""),
        ])
        .await;
    let codes: Vec<(Option<&str>, &str)> =
        unprocessed.iter().map(|u| (u.id.as_deref(), u.error_code.as_str())).collect();
    assert_eq!(codes, [(None, "ParseError"), (Some("a000000000000002"), "MissingEndTime")]);
    assert_eq!(unprocessed[1].message, "Invalid segment. ErrorCode: MissingEndTime");
    let page = fx.get(&[TRACE]).await;
    assert_eq!(page.traces.len(), 1);
    assert_eq!(page.traces[0].segments.len(), 1);
    assert_eq!(page.traces[0].duration, Some(0.5));
    let waiting = fx.traces.store().read_blocking(pending).unwrap();
    assert_eq!(waiting.len(), 1, "the trace waits for its summary");
}

#[tokio::test]
async fn a_finished_segment_replaces_its_in_progress_version_and_never_the_reverse() {
    let fx = Fixture::start();
    let in_progress = segment("b000000000000001", "orders", 200.0, r#","in_progress":true"#);
    let finished = segment("b000000000000001", "orders", 200.0, r#","end_time":201.25"#);
    fx.put(std::slice::from_ref(&in_progress)).await;
    assert_eq!(fx.get(&[TRACE]).await.traces[0].duration, None, "nothing has ended yet");
    fx.put(std::slice::from_ref(&finished)).await;
    fx.put(&[in_progress]).await;
    let page = fx.get(&[TRACE]).await;
    assert_eq!(page.traces[0].duration, Some(1.25));
    assert_eq!(documents(&page)[0]["end_time"], 201.25);
}

#[tokio::test]
async fn subsegments_sent_alone_are_put_back_under_their_parents_whatever_the_order() {
    let fx = Fixture::start();
    // The grandchild arrives first, then its parent (itself a loose subsegment), then the segment.
    fx.put(&[subsegment("c000000000000003", "c000000000000002", "query", 300.3, 300.4)]).await;
    fx.put(&[
        subsegment("c000000000000002", "c000000000000011", "db", 300.2, 300.6),
        subsegment("c000000000000004", "ffffffffffffffff", "orphan", 300.1, 300.2),
    ])
    .await;
    let nested = r#","end_time":301.0,"subsegments":[{"id":"c000000000000011","name":"handler","start_time":300.1,"end_time":300.9}]"#;
    fx.put(&[segment("c000000000000001", "orders", 300.0, nested)]).await;
    let page = fx.get(&[TRACE]).await;
    let docs = documents(&page);
    assert_eq!(docs.len(), 2, "the segment, and the orphan whose parent never came");
    assert_eq!(docs[0]["name"], "orders");
    let handler = &docs[0]["subsegments"][0];
    assert_eq!(handler["name"], "handler");
    let db = &handler["subsegments"][0];
    assert_eq!((db["name"].as_str(), db.get("parent_id"), db.get("type")), (Some("db"), None, None));
    assert_eq!(db["subsegments"][0]["name"], "query");
    assert_eq!(docs[1]["name"], "orphan");
    assert_eq!(page.traces[0].duration, Some(1.0));
}

#[tokio::test]
async fn traces_come_in_pages_and_unknown_ids_are_named() {
    let fx = Fixture::start();
    let ids: Vec<String> = (0..7).map(|i| format!("1-58406520-a0066491{i:016x}")).collect();
    let docs: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"trace_id":"{id}","id":"d000000000000001","name":"s","start_time":1,"end_time":2}}"#))
        .collect();
    assert!(fx.put(&docs).await.is_empty());
    let mut wanted: Vec<&str> = ids.iter().map(String::as_str).collect();
    wanted.push("1-58406520-000000000000000000000000");
    wanted.push("not-an-id");
    let first = fx.get(&wanted).await;
    assert_eq!(first.traces.len(), 5);
    let token = first.next_token.clone().unwrap();
    let input =
        BatchGetTracesInput { trace_ids: wanted.iter().map(|s| (*s).to_owned()).collect(), next_token: Some(token) };
    let second = fx.call::<BatchGetTraces>(input).await;
    assert_eq!(second.traces.len(), 2);
    assert_eq!(second.unprocessed, ["1-58406520-000000000000000000000000", "not-an-id"]);
    assert_eq!(second.next_token, None);
}

#[tokio::test]
async fn stored_traces_survive_a_restart() {
    let fx = Fixture::start();
    fx.put(&[segment("e000000000000001", "gateway", 100.0, r#","end_time":100.5"#)]).await;
    let fx = fx.restart();
    assert_eq!(fx.get(&[TRACE]).await.traces[0].segments.len(), 1);
}
