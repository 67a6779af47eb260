//! Issue 12: summaries on a real redb file: made once a trace is quiet (not before), made again with a new
//! revision when a late segment arrives, still made after a restart that came before them; GetTraceSummaries over
//! a time range with filter expressions, `Event` ranges, pages, and its refusals.

use skywatch_ops::{Context, Operation};
use skywatch_store::Store;
use skywatch_traces::storage::pending;
use skywatch_traces::{
    GetTraceSummaries, GetTraceSummariesInput, PutTraceSegments, PutTraceSegmentsInput, QUIET_MS, SummaryPage, Traces,
};

/// The fixture's clock: every call happens at this instant (ms).
const NOW: i64 = 1_700_000_000_000;

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
    }

    async fn find(&self, filter: Option<&str>) -> SummaryPage {
        self.query(GetTraceSummariesInput {
            start_time_ms: NOW - 3_600_000,
            end_time_ms: NOW,
            filter_expression: filter.map(str::to_owned),
            ..Default::default()
        })
        .await
        .unwrap()
    }

    async fn query(&self, input: GetTraceSummariesInput) -> Result<SummaryPage, String> {
        self.call::<GetTraceSummaries>(input).await
    }
}

fn trace_id(n: u32) -> String {
    format!("1-{:08x}-{:024x}", (NOW / 1000) as u32, n)
}

/// A request of `n`: a gateway segment starting `ago` seconds before NOW, faulting on odd `n`, calling orders.
fn request(n: u32, ago: f64) -> Vec<String> {
    let start = NOW as f64 / 1000.0 - ago;
    let trace = trace_id(n);
    let fault = n % 2 == 1;
    vec![
        format!(
            r#"{{"trace_id":"{trace}","id":"{:016x}","name":"gateway","start_time":{start},"end_time":{},"fault":{fault},"annotations":{{"n":{n}}},
               "subsegments":[{{"id":"{:016x}","name":"orders","namespace":"remote","start_time":{},"end_time":{}}}]}}"#,
            u64::from(n) * 16 + 1,
            start + 0.3,
            u64::from(n) * 16 + 2,
            start + 0.05,
            start + 0.25,
        ),
        format!(
            r#"{{"trace_id":"{trace}","id":"{:016x}","parent_id":"{:016x}","name":"orders","start_time":{},"end_time":{},"fault":{fault}}}"#,
            u64::from(n) * 16 + 3,
            u64::from(n) * 16 + 2,
            start + 0.06,
            start + 0.24,
        ),
    ]
}

#[tokio::test]
async fn a_summary_is_made_once_the_trace_is_quiet_and_again_when_it_changes() {
    let fx = Fixture::start();
    fx.put(request(1, 60.0)).await;
    assert_eq!(fx.traces.summarize_due(NOW + QUIET_MS - 1).await.unwrap(), 0, "not quiet yet");
    assert_eq!(fx.find(None).await.summaries.len(), 0);
    assert_eq!(fx.traces.summarize_due(NOW + QUIET_MS).await.unwrap(), 1);
    let first = fx.find(None).await;
    assert_eq!(first.summaries.len(), 1);
    let summary = &first.summaries[0];
    assert_eq!((summary.revision, summary.has_fault), (1, true));
    assert!((summary.response_time.unwrap() - 0.3).abs() < 1e-6);
    assert!(fx.traces.store().read_blocking(pending).unwrap().is_empty());
    // A late document: the summary is made again, in place.
    let late = format!(
        r#"{{"trace_id":"{}","id":"00000000000000ff","parent_id":"0000000000000013","name":"audit","start_time":{},"end_time":{}}}"#,
        trace_id(1),
        NOW as f64 / 1000.0 - 59.0,
        NOW as f64 / 1000.0 - 58.0
    );
    fx.put(vec![late]).await;
    fx.traces.summarize_due(NOW + QUIET_MS).await.unwrap();
    let again = fx.find(None).await;
    assert_eq!(again.summaries.len(), 1);
    assert_eq!(again.summaries[0].revision, 2);
    assert!(again.summaries[0].services().any(|s| s.name == "audit"));
}

#[tokio::test]
async fn traces_waiting_for_their_summary_survive_a_restart() {
    let fx = Fixture::start();
    fx.put(request(3, 30.0)).await;
    let fx = fx.restart();
    assert_eq!(fx.traces.summarize_due(NOW + QUIET_MS).await.unwrap(), 1);
    assert_eq!(fx.find(None).await.summaries.len(), 1);
}

#[tokio::test]
async fn filters_ranges_and_pages() {
    let fx = Fixture::start();
    for n in 0..250 {
        fx.put(request(n, 3000.0 - f64::from(n))).await;
    }
    fx.put(request(1000, 7200.0)).await;
    fx.traces.summarize_due(NOW + QUIET_MS).await.unwrap();

    let mut all = Vec::new();
    let mut next_token = None;
    loop {
        let page = fx
            .query(GetTraceSummariesInput {
                start_time_ms: NOW - 3_600_000,
                end_time_ms: NOW,
                next_token: next_token.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(page.summaries.len() <= 100);
        all.extend(page.summaries.into_iter().map(|s| s.id));
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    assert_eq!(all.len(), 250, "the trace two hours old is outside the range");
    let mut sorted = all.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 250, "no trace twice across pages");

    let faults = fx.find(Some("fault")).await;
    assert_eq!(faults.summaries.len(), 100, "a full page of the 125 faults");
    assert!(faults.processed >= 100);
    let mut matched = Vec::new();
    for filter in [
        "service(\"orders\") { fault } AND annotation.n < 10",
        "annotation.n = 42",
        "edge(\"gateway\", \"orders\") { responsetime > 0.19 }",
        "!service(\"orders\")",
    ] {
        matched.push(fx.find(Some(filter)).await.summaries.len());
    }
    assert_eq!(matched, [5, 1, 100, 0]);

    // An Event range finds a trace that started before the range and was still running in it.
    let events = fx
        .query(GetTraceSummariesInput {
            start_time_ms: NOW - 2_999_900,
            end_time_ms: NOW - 2_999_000,
            time_range_type: Some("Event".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(events.summaries.iter().any(|s| s.id.to_string() == trace_id(0)), "started 0.1 s before, ran 0.3 s");
}

#[tokio::test]
async fn bad_queries_are_refused() {
    let fx = Fixture::start();
    let base = GetTraceSummariesInput { start_time_ms: NOW - 1000, end_time_ms: NOW, ..Default::default() };
    let cases = [
        (GetTraceSummariesInput { end_time_ms: NOW - 1001, ..base.clone() }, "EndTime must not be earlier"),
        (GetTraceSummariesInput { start_time_ms: NOW - 90_000_000, ..base.clone() }, "24 hours or less"),
        (GetTraceSummariesInput { time_range_type: Some("Span".into()), ..base.clone() }, "TimeRangeType"),
        (
            GetTraceSummariesInput { filter_expression: Some("fault ==".into()), ..base.clone() },
            "Invalid filter expression",
        ),
        (GetTraceSummariesInput { next_token: Some("garbage".into()), ..base.clone() }, "Invalid NextToken"),
    ];
    for (input, words) in cases {
        let error = fx.query(input).await.unwrap_err();
        assert!(error.contains(words), "{error}");
    }
    let instant = GetTraceSummariesInput { start_time_ms: NOW, end_time_ms: NOW, ..Default::default() };
    assert!(fx.query(instant).await.unwrap().summaries.is_empty(), "an empty window is empty, not an error");
}
