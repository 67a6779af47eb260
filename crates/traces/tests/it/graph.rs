//! Issue 12: the service graph of gateway -> orders -> payments -> a SQL database over five requests (three ok,
//! one fault started in payments, one 429 answered by the gateway itself), as X-Ray counts it: nodes from their
//! own segments, edges from the callers' subsegments, a client node whose edge carries the root's numbers, an
//! inferred database node; a trace summarized again is not counted twice; GetTraceGraph for named traces.

use skywatch_ops::{Context, Operation};
use skywatch_store::Store;
use skywatch_traces::graph::{GraphNode, Stats};
use skywatch_traces::trace_graph::Role;
use skywatch_traces::{
    GetServiceGraph, GetServiceGraphInput, GetTraceGraph, GetTraceGraphInput, PutTraceSegments, PutTraceSegmentsInput,
    QUIET_MS, ServiceGraph, Traces,
};

const NOW: i64 = 1_767_225_660_000;

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
        let input = PutTraceSegmentsInput { trace_segment_documents: documents };
        assert!(self.call::<PutTraceSegments>(input).await.unwrap().is_empty());
        self.traces.summarize_due(NOW + QUIET_MS).await.unwrap();
    }

    async fn graph(&self) -> ServiceGraph {
        let input = GetServiceGraphInput { start_time_ms: NOW - 60_000, end_time_ms: NOW, ..Default::default() };
        self.call::<GetServiceGraph>(input).await.unwrap()
    }
}

fn trace(n: u32) -> String {
    format!("1-{:08x}-{:024x}", (NOW / 1000 - 60) as u32, n)
}

/// One request: (gateway, gateway->orders, orders, orders->payments, payments, payments->db) durations in ms,
/// `fault` in payments, or a 429 at the gateway with no call.
fn request(n: u32, ms: [u32; 6], fault: bool, throttled: bool) -> Vec<String> {
    let t0 = (NOW / 1000 - 59) as f64 + f64::from(n);
    let s = |ms: u32| f64::from(ms) / 1000.0;
    let id = |k: u32| format!("{:016x}", n * 100 + k);
    let trace = trace(n);
    if throttled {
        return vec![format!(
            r#"{{"trace_id":"{trace}","id":"{}","name":"gateway","origin":"AWS::EC2::Instance","start_time":{t0},"end_time":{},"http":{{"response":{{"status":429}}}}}}"#,
            id(1),
            t0 + s(ms[0])
        )];
    }
    let status = if fault { 500 } else { 200 };
    vec![
        format!(
            r#"{{"trace_id":"{trace}","id":"{}","name":"gateway","origin":"AWS::EC2::Instance","start_time":{t0},"end_time":{},"http":{{"response":{{"status":{status}}}}},
               "subsegments":[{{"id":"{}","name":"orders","namespace":"remote","start_time":{t0},"end_time":{},"http":{{"response":{{"status":{status}}}}}}}]}}"#,
            id(1),
            t0 + s(ms[0]),
            id(2),
            t0 + s(ms[1])
        ),
        format!(
            r#"{{"trace_id":"{trace}","id":"{}","parent_id":"{}","name":"orders","origin":"AWS::EC2::Instance","start_time":{t0},"end_time":{},"fault":{fault},
               "subsegments":[{{"id":"{}","name":"payments","namespace":"remote","start_time":{t0},"end_time":{},"http":{{"response":{{"status":{status}}}}}}}]}}"#,
            id(3),
            id(2),
            t0 + s(ms[2]),
            id(4),
            t0 + s(ms[3])
        ),
        format!(
            r#"{{"trace_id":"{trace}","id":"{}","parent_id":"{}","name":"payments","origin":"AWS::EC2::Instance","start_time":{t0},"end_time":{},"fault":{fault},
               "subsegments":[{{"id":"{}","name":"payments@db.internal","namespace":"remote","sql":{{"database_type":"PostgreSQL"}},"start_time":{t0},"end_time":{}}}]}}"#,
            id(5),
            id(4),
            t0 + s(ms[4]),
            id(6),
            t0 + s(ms[5])
        ),
    ]
}

async fn shop() -> Fixture {
    let fx = Fixture::start();
    fx.put(request(1, [120, 100, 95, 70, 65, 20], false, false)).await;
    fx.put(request(2, [95, 80, 75, 50, 46, 12], false, false)).await;
    fx.put(request(3, [210, 190, 185, 160, 155, 110], false, false)).await;
    fx.put(request(4, [130, 115, 110, 90, 86, 30], true, false)).await;
    fx.put(request(5, [2, 0, 0, 0, 0, 0], false, true)).await;
    fx
}

fn node<'a>(graph: &'a ServiceGraph, name: &str, role: Role) -> &'a GraphNode {
    graph.nodes.iter().find(|n| n.key.name == name && n.role == role).unwrap_or_else(|| panic!("no {name} node"))
}

fn edge<'a>(graph: &'a ServiceGraph, from: &'a GraphNode, to: &str) -> &'a Stats {
    let target = graph.nodes.iter().find(|n| n.key.name == to && n.role != Role::Client).unwrap().reference;
    &from.edges.iter().find(|(r, _)| *r == target).unwrap_or_else(|| panic!("no edge to {to}")).1
}

/// (ok, error, throttle, fault, total response time in ms, histogram ms)
fn counts(stats: &Stats) -> (i64, i64, i64, i64, i64, Vec<u32>) {
    (
        stats.ok,
        stats.error,
        stats.throttle,
        stats.fault,
        (stats.total_response_time * 1000.0).round() as i64,
        stats.histogram.keys().copied().collect(),
    )
}

#[tokio::test]
async fn nodes_count_their_own_segments_and_edges_their_callers_calls() {
    let fx = shop().await;
    let graph = fx.graph().await;
    let client = node(&graph, "gateway", Role::Client);
    assert_eq!(client.reference, 0, "clients come first");
    let gateway = node(&graph, "gateway", Role::Service);
    assert!(gateway.root);
    assert_eq!(gateway.key.kind.as_deref(), Some("AWS::EC2::Instance"));
    assert_eq!(counts(&gateway.stats), (3, 0, 1, 1, 557, vec![2, 95, 120, 130, 210]));
    assert_eq!(
        counts(edge(&graph, client, "gateway")),
        counts(&gateway.stats),
        "the client edge is the root's numbers"
    );
    assert_eq!(counts(edge(&graph, gateway, "orders")), (3, 0, 0, 1, 485, vec![80, 100, 115, 190]));
    let orders = node(&graph, "orders", Role::Service);
    assert_eq!(counts(&orders.stats), (3, 0, 0, 1, 465, vec![75, 95, 110, 185]));
    assert_eq!(counts(edge(&graph, orders, "payments")), (3, 0, 0, 1, 370, vec![50, 70, 90, 160]));
    let payments = node(&graph, "payments", Role::Service);
    assert_eq!(counts(&payments.stats), (3, 0, 0, 1, 352, vec![46, 65, 86, 155]));
    assert_eq!(counts(edge(&graph, payments, "payments@db.internal")), (4, 0, 0, 0, 172, vec![12, 20, 30, 110]));
    let db = node(&graph, "payments@db.internal", Role::Inferred);
    assert_eq!(db.key.kind.as_deref(), Some("Database::SQL"));
    assert_eq!(counts(&db.stats), (4, 0, 0, 0, 172, vec![12, 20, 30, 110]));
    assert!(db.edges.is_empty());
}

#[tokio::test]
async fn a_trace_summarized_again_is_counted_once() {
    let fx = shop().await;
    // A late subsegment of request 1 makes its summary again.
    let late = format!(
        r#"{{"type":"subsegment","trace_id":"{}","parent_id":"{:016x}","id":"00000000000000ee","name":"cache","namespace":"remote","start_time":{},"end_time":{}}}"#,
        trace(1),
        105,
        (NOW / 1000 - 58) as f64,
        (NOW / 1000 - 58) as f64 + 0.001
    );
    fx.put(vec![late]).await;
    let graph = fx.graph().await;
    let payments = node(&graph, "payments", Role::Service);
    assert_eq!(payments.stats.total(), 4, "request 1 still counted once");
    assert_eq!(counts(edge(&graph, payments, "cache")).0, 1);
    assert_eq!(node(&graph, "gateway", Role::Service).stats.total(), 5);
}

#[tokio::test]
async fn the_graph_of_named_traces() {
    let fx = shop().await;
    let input = GetTraceGraphInput { trace_ids: vec![trace(4), trace(5)] };
    let graph = fx.call::<GetTraceGraph>(input).await.unwrap();
    let gateway = node(&graph, "gateway", Role::Service);
    assert_eq!((gateway.stats.total(), gateway.stats.fault, gateway.stats.throttle), (2, 1, 1));
    assert_eq!(node(&graph, "payments", Role::Service).stats.fault, 1);
    let refused = fx.call::<GetTraceGraph>(GetTraceGraphInput { trace_ids: vec!["nope".into()] }).await;
    assert!(refused.unwrap_err().contains("Invalid TraceId"));
}

#[tokio::test]
async fn windows_are_checked() {
    let fx = Fixture::start();
    let backwards = GetServiceGraphInput { start_time_ms: NOW, end_time_ms: NOW - 1, ..Default::default() };
    assert!(fx.call::<GetServiceGraph>(backwards).await.unwrap_err().contains("not be earlier"));
    let long = GetServiceGraphInput { start_time_ms: NOW - 90_000_000, end_time_ms: NOW, ..Default::default() };
    assert!(fx.call::<GetServiceGraph>(long).await.unwrap_err().contains("24 hours"));
    let empty = fx.graph().await;
    assert!(empty.nodes.is_empty());
}

#[tokio::test]
async fn time_series_of_a_node_an_edge_or_every_edge() {
    use skywatch_traces::{GetTimeSeriesServiceStatistics, TimeSeriesInput};
    let fx = shop().await;
    let series = |selector: Option<&str>, forecast: bool| TimeSeriesInput {
        start_time_ms: NOW - 120_000,
        end_time_ms: NOW,
        entity_selector_expression: selector.map(str::to_owned),
        forecast_statistics: forecast,
        ..Default::default()
    };
    let payments =
        fx.call::<GetTimeSeriesServiceStatistics>(series(Some("service(\"payments\")"), true)).await.unwrap();
    assert_eq!(payments.len(), 1, "one minute holds every request");
    assert_eq!(payments[0].timestamp_ms, NOW - 60_000);
    assert!(payments[0].service);
    assert_eq!((payments[0].stats.total(), payments[0].stats.fault), (4, 1));
    assert_eq!(payments[0].forecast, Some((1, 1)), "one point: no spread yet");
    let edge = fx
        .call::<GetTimeSeriesServiceStatistics>(series(Some("edge(\"gateway\", id(name: \"orders\"))"), false))
        .await
        .unwrap();
    assert_eq!((edge[0].service, edge[0].stats.total()), (false, 4));
    let every_edge = fx.call::<GetTimeSeriesServiceStatistics>(series(None, false)).await.unwrap();
    assert_eq!(every_edge[0].stats.total(), 5 + 4 + 4 + 4, "the client's, and each call edge's");
    for (input, words) in [
        (series(Some("annotation.x = \"y\""), false), "supports only"),
        (TimeSeriesInput { period: Some(30), ..series(None, false) }, "multiple of 60"),
        (TimeSeriesInput { start_time_ms: NOW - 90_000_000, ..series(None, false) }, "more than 1440"),
    ] {
        assert!(fx.call::<GetTimeSeriesServiceStatistics>(input).await.unwrap_err().contains(words));
    }
}
