//! Issue 12 ("annotations indexed for search"): on a real redb file, a filter expression that requires an
//! annotation value reads only the traces the index lists (TracesProcessedCount says so) and finds exactly what a
//! full scan finds; the index follows re-summaries, pages like the scan, is built once for summaries stored
//! before it, and goes with its traces at retention.

use std::ops::ControlFlow;

use skywatch_ops::{Context, Operation};
use skywatch_store::{Change, Direction, Mutation, Store, Tx, WriteError};
use skywatch_traces::storage::{ANNOTATIONS, META};
use skywatch_traces::{
    GetTraceSummaries, GetTraceSummariesInput, PutTraceSegments, PutTraceSegmentsInput, QUIET_MS, SummaryPage, Traces,
};

const NOW: i64 = 1_700_000_000_000;

struct Fixture {
    traces: Traces,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { traces: Traces::new(Store::open(dir.path()).unwrap()), _dir: dir }
    }

    async fn call<Op: Operation<Engine = Traces>>(&self, input: Op::Input) -> Result<Op::Output, String> {
        let ctx =
            Context::new(skywatch_model::Caller::Anonymous { account: "000000000000".into() }, "us-east-1", "r", NOW);
        let effect = Op::run(&self.traces, &ctx, input).await.map_err(|e| e.to_string())?;
        self.traces.store().apply(effect.changes).await.unwrap();
        Ok(effect.reply)
    }

    async fn put(&self, documents: Vec<String>) {
        let unprocessed =
            self.call::<PutTraceSegments>(PutTraceSegmentsInput { trace_segment_documents: documents }).await.unwrap();
        assert!(unprocessed.is_empty(), "{unprocessed:?}");
        self.traces.summarize_due(NOW + QUIET_MS).await.unwrap();
    }

    async fn find(&self, filter: &str, next_token: Option<String>) -> SummaryPage {
        self.call::<GetTraceSummaries>(GetTraceSummariesInput {
            start_time_ms: NOW - 3_600_000,
            end_time_ms: NOW,
            filter_expression: Some(filter.to_owned()),
            next_token,
            ..Default::default()
        })
        .await
        .unwrap()
    }

    /// Every page's trace ids, and the traces looked at over all pages.
    async fn find_all(&self, filter: &str) -> (Vec<String>, u64) {
        let (mut ids, mut processed, mut token) = (Vec::new(), 0, None);
        loop {
            let page = self.find(filter, token).await;
            ids.extend(page.summaries.iter().map(|s| s.id.to_string()));
            processed += page.processed;
            match page.next_token {
                Some(next) => token = Some(next),
                None => return (ids, processed),
            }
        }
    }

    fn index_rows(&self) -> usize {
        self.traces
            .store()
            .read_blocking(|reader| {
                let mut rows = 0;
                reader.scan(ANNOTATIONS, (None, None), Direction::Forward, |_, _| {
                    rows += 1;
                    ControlFlow::Continue(())
                })?;
                Ok(rows)
            })
            .unwrap()
    }
}

/// A one-segment trace `n`, `ago` seconds before NOW, tier gold for every third, faulting on odd `n`.
fn trace(n: u32, ago: f64) -> String {
    let start = NOW as f64 / 1000.0 - ago;
    let tier = if n.is_multiple_of(3) { "gold" } else { "standard" };
    format!(
        r#"{{"trace_id":"1-{:08x}-{n:024x}","id":"{:016x}","name":"shop","start_time":{start},"end_time":{},"fault":{},
           "annotations":{{"tier":"{tier}","n":{n},"vip":{}}}}}"#,
        (NOW / 1000) as u32,
        u64::from(n) + 1,
        start + 0.1,
        n % 2 == 1,
        n.is_multiple_of(5),
    )
}

#[tokio::test]
async fn an_annotation_filter_reads_only_the_indexed_traces_and_finds_what_a_scan_finds() {
    let fx = Fixture::start();
    fx.put((0..600).map(|n| trace(n, 1000.0 - f64::from(n))).collect()).await;
    let (indexed, looked_at) = fx.find_all(r#"annotation.tier = "gold" AND fault"#).await;
    assert_eq!(looked_at, 200, "only the gold traces are read");
    // The same question in a form the index cannot answer: every trace is read, the answer is the same.
    let (scanned, scanned_count) =
        fx.find_all(r#"(annotation.tier = "gold" OR annotation.tier = "x") AND fault"#).await;
    assert_eq!(scanned_count, 600);
    assert_eq!(indexed, scanned);
    assert_eq!(indexed.len(), 100);
    // Numbers and booleans are indexed too, in the order of the conjunction's terms.
    let (by_number, looked_at) = fx.find_all("ok AND annotation.n = 42").await;
    assert_eq!((by_number.len(), looked_at), (1, 1));
    let (vips, looked_at) = fx.find_all("annotation.vip = true").await;
    assert_eq!((vips.len() as u64, looked_at), (120, 120));
    let (none, looked_at) = fx.find_all(r#"annotation.tier = "platinum""#).await;
    assert_eq!((none.len(), looked_at), (0, 0));
}

#[tokio::test]
async fn the_index_follows_a_summary_made_again() {
    let fx = Fixture::start();
    fx.put(vec![trace(3, 100.0)]).await;
    // A late segment of the same trace that starts earlier and adds an annotation: the summary moves.
    let late = format!(
        r#"{{"trace_id":"1-{:08x}-{:024x}","id":"00000000000000ff","name":"audit","start_time":{},"end_time":{},"annotations":{{"region":"eu"}}}}"#,
        (NOW / 1000) as u32,
        3,
        NOW as f64 / 1000.0 - 200.0,
        NOW as f64 / 1000.0 - 199.0
    );
    fx.put(vec![late]).await;
    let (gold, _) = fx.find_all(r#"annotation.tier = "gold""#).await;
    assert_eq!(gold.len(), 1, "found once, at its new start");
    let (eu, _) = fx.find_all(r#"annotation.region = "eu""#).await;
    assert_eq!(eu, gold);
    assert_eq!(fx.index_rows(), 4, "tier, n, vip and region: the old entries went with the old summary");
}

/// Removes every row of the annotation index and its marker, as a store from before the index would be.
#[derive(Debug)]
struct Forget(Vec<Vec<u8>>);

impl Change for Forget {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        for key in &self.0 {
            tx.remove(ANNOTATIONS, key)?;
        }
        tx.remove(META, b"annotations-indexed")
    }
}

#[tokio::test]
async fn summaries_from_before_the_index_are_indexed_once_and_retention_clears_it() {
    let fx = Fixture::start();
    fx.put((0..30).map(|n| trace(n, 500.0)).collect()).await;
    let keys = fx
        .traces
        .store()
        .read_blocking(|reader| {
            let mut keys = Vec::new();
            reader.scan(ANNOTATIONS, (None, None), Direction::Forward, |key, _| {
                keys.push(key.to_vec());
                ControlFlow::Continue(())
            })?;
            Ok(keys)
        })
        .unwrap();
    fx.traces.store().apply(vec![Mutation::new(Forget(keys))]).await.unwrap();
    assert_eq!(fx.find_all(r#"annotation.tier = "gold""#).await.0.len(), 0, "an unindexed store misses them");
    fx.traces.index_annotations().await.unwrap();
    assert_eq!(fx.find_all(r#"annotation.tier = "gold""#).await.0.len(), 10);
    let rows = fx.index_rows();
    fx.traces.index_annotations().await.unwrap();
    assert_eq!(fx.index_rows(), rows, "done once");
    fx.traces.expire(NOW + 31 * 86_400_000).await.unwrap();
    assert_eq!(fx.index_rows(), 0);
}
