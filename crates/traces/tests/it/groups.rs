//! Issue 12: groups on a real redb file: created with a checked filter expression, listed after Default, found by
//! name or ARN, updated and deleted; a group's service graph counts only the traces it matched when they were
//! summarized; `group.name` in a filter expression stands for the group's expression; retention after 30 days.

use skywatch_ops::{Context, Operation};
use skywatch_store::Store;
use skywatch_traces::{
    CreateGroup, DeleteGroup, GetGroup, GetGroups, GetServiceGraph, GetServiceGraphInput, GetTraceSummaries,
    GetTraceSummariesInput, GroupInput, PageInput, PutTraceSegments, PutTraceSegmentsInput, QUIET_MS, Traces,
    UpdateGroup,
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

    /// A request to `service` that faults or not, summarized.
    async fn request(&self, n: u32, service: &str, fault: bool) {
        let start = (NOW / 1000 - 30) as f64 + f64::from(n) / 10.0;
        let document = format!(
            r#"{{"trace_id":"1-{:08x}-{:024x}","id":"{:016x}","name":"{service}","start_time":{start},"end_time":{},"fault":{fault}}}"#,
            (NOW / 1000) as u32,
            n,
            n + 1,
            start + 0.1
        );
        let input = PutTraceSegmentsInput { trace_segment_documents: vec![document] };
        assert!(self.call::<PutTraceSegments>(input).await.unwrap().is_empty());
        self.traces.summarize_due(NOW + QUIET_MS).await.unwrap();
    }

    async fn group_total(&self, group: Option<&str>) -> i64 {
        let input = GetServiceGraphInput {
            start_time_ms: NOW - 60_000,
            end_time_ms: NOW,
            group_name: group.map(str::to_owned),
            ..Default::default()
        };
        let graph = self.call::<GetServiceGraph>(input).await.unwrap();
        graph.nodes.iter().filter(|n| n.key.kind.as_deref() != Some("client")).map(|n| n.stats.total()).sum()
    }
}

fn group(name: &str, expression: Option<&str>) -> GroupInput {
    GroupInput {
        group_name: Some(name.into()),
        filter_expression: expression.map(str::to_owned),
        ..GroupInput::default()
    }
}

#[tokio::test]
async fn groups_are_created_found_changed_and_deleted() {
    let fx = Fixture::start();
    let created = fx.call::<CreateGroup>(group("faults", Some("fault"))).await.unwrap();
    let arn = created.group.as_ref().unwrap().arn("us-east-1", "000000000000");
    assert!(arn.starts_with("arn:aws:xray:us-east-1:000000000000:group/faults/"), "{arn}");
    let list = fx.call::<GetGroups>(PageInput::default()).await.unwrap();
    let names: Vec<&str> = list.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Default", "faults"]);
    let by_arn = GroupInput { group_arn: Some(arn.clone()), ..GroupInput::default() };
    assert_eq!(fx.call::<GetGroup>(by_arn).await.unwrap().group.unwrap().name, "faults");
    let updated = fx.call::<UpdateGroup>(group("faults", Some("fault OR error"))).await.unwrap();
    assert_eq!(updated.group.unwrap().filter_expression.as_deref(), Some("fault OR error"));
    for (input, words) in [
        (group("faults", Some("fault")), "already exists"),
        (group("Default", None), "reserved"),
        (group("bad name!", None), "GroupName"),
        (group("broken", Some("fault ==")), "Invalid filter expression"),
    ] {
        let error = fx.call::<CreateGroup>(input).await.unwrap_err();
        assert!(error.contains(words), "{error}");
    }
    assert!(fx.call::<DeleteGroup>(group("Default", None)).await.unwrap_err().contains("cannot be deleted"));
    fx.call::<DeleteGroup>(group("faults", None)).await.unwrap();
    assert!(fx.call::<GetGroup>(group("faults", None)).await.unwrap_err().contains("Group not found"));
}

#[tokio::test]
async fn a_groups_graph_counts_the_traces_it_matched_when_summarized() {
    let fx = Fixture::start();
    fx.request(1, "orders", true).await;
    fx.call::<CreateGroup>(group("faults", Some("fault"))).await.unwrap();
    fx.request(2, "orders", true).await;
    fx.request(3, "orders", false).await;
    fx.request(4, "payments", true).await;
    assert_eq!(fx.group_total(None).await, 4);
    assert_eq!(fx.group_total(Some("Default")).await, 4);
    assert_eq!(fx.group_total(Some("faults")).await, 2, "only faults summarized after the group existed");
    let input = GetServiceGraphInput {
        start_time_ms: NOW - 60_000,
        end_time_ms: NOW,
        group_name: Some("nope".into()),
        ..Default::default()
    };
    assert!(fx.call::<GetServiceGraph>(input).await.unwrap_err().contains("Group not found"));

    let query = |expression: &str| GetTraceSummariesInput {
        start_time_ms: NOW - 60_000,
        end_time_ms: NOW,
        filter_expression: Some(expression.into()),
        ..Default::default()
    };
    let faulted = fx.call::<GetTraceSummaries>(query("group.name = \"faults\"")).await.unwrap();
    assert_eq!(faulted.summaries.len(), 3, "the expression applies to every trace searched");
    let orders = fx.call::<GetTraceSummaries>(query("group.name = \"faults\" AND service(\"orders\")")).await.unwrap();
    assert_eq!(orders.summaries.len(), 2);
}

/// Issue 12: traces and the graph are kept 30 days, as X-Ray keeps them.
#[tokio::test]
async fn traces_and_the_graph_are_removed_after_thirty_days() {
    let fx = Fixture::start();
    fx.request(1, "orders", false).await;
    let day = 86_400_000;
    assert_eq!(fx.traces.expire(NOW + 29 * day).await.unwrap(), (0, 0), "nothing is 30 days old yet");
    assert_eq!(fx.group_total(None).await, 1);
    let (traces, minutes) = fx.traces.expire(NOW + 31 * day).await.unwrap();
    assert_eq!(traces, 1);
    assert!(minutes >= 1);
    assert_eq!(fx.group_total(None).await, 0);
    let input = skywatch_traces::BatchGetTracesInput {
        trace_ids: vec![format!("1-{:08x}-{:024x}", (NOW / 1000) as u32, 1)],
        next_token: None,
    };
    assert_eq!(fx.call::<skywatch_traces::BatchGetTraces>(input).await.unwrap().unprocessed.len(), 1);
    let query = GetTraceSummariesInput { start_time_ms: NOW - 60_000, end_time_ms: NOW, ..Default::default() };
    assert!(fx.call::<GetTraceSummaries>(query).await.unwrap().summaries.is_empty());
}
