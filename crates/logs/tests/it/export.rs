//! Issue 14: export tasks on a real redb file and a real export directory, through the Logs operations and the
//! runner's steps: AWS's object layout and line format (gzip read back), the time range and stream prefix, objects
//! split by size, stream names that would climb out of the task's directory, a cancel between two chunks, a task
//! interrupted by a crash started again after the restart, one active task an account, and the refusals.

use std::io::Read;
use std::path::{Path, PathBuf};

use skywatch_logs::export::{ExportSettings, ExportStatus, ExportTask, Step};
use skywatch_logs::ingest::InputEvent;
use skywatch_logs::ops::{
    CancelExportTask, CancelExportTaskInput, CreateExportTask, CreateExportTaskInput, CreateLogGroup,
    CreateLogGroupInput, CreateLogStream, DescribeExportTasks, DescribeExportTasksInput, PutLogEvents,
    PutLogEventsInput, StreamInput,
};
use skywatch_logs::{Keyring, Logs, LogsError};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const NOW: i64 = 1_796_637_600_000; // 2026-12-07T10:00:00.000Z
const ACCOUNT: &str = "000000000000";

struct Fixture {
    logs: Logs,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let logs = Logs::new(Store::open(&dir.path().join("data")).unwrap(), Keyring::in_dir(dir.path()));
        Self { logs, dir }
    }

    fn restart(self) -> Self {
        let Fixture { logs, dir } = self;
        drop(logs);
        let logs = Logs::new(Store::open(&dir.path().join("data")).unwrap(), Keyring::in_dir(dir.path()));
        Self { logs, dir }
    }

    fn exports(&self) -> PathBuf {
        self.dir.path().join("exports")
    }

    async fn try_as<Op: Operation<Engine = Logs, Error = LogsError>>(
        &self,
        (account, region): (&str, &str),
        input: Op::Input,
    ) -> Result<Op::Output, LogsError> {
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: account.into() }, region, "r", NOW);
        let effect = Op::run(&self.logs, &ctx, input).await?;
        self.logs.store().apply(effect.changes).await.unwrap();
        if let Some(after) = effect.after_commit {
            after();
        }
        Ok(effect.reply)
    }

    async fn try_call<Op: Operation<Engine = Logs, Error = LogsError>>(
        &self,
        input: Op::Input,
    ) -> Result<Op::Output, LogsError> {
        self.try_as::<Op>((ACCOUNT, "us-east-1"), input).await
    }

    async fn call<Op: Operation<Engine = Logs, Error = LogsError>>(&self, input: Op::Input) -> Op::Output {
        self.try_call::<Op>(input).await.unwrap()
    }

    async fn group(&self, name: &str, streams: &[&str]) {
        self.call::<CreateLogGroup>(CreateLogGroupInput { log_group_name: name.into(), ..Default::default() }).await;
        for stream in streams {
            let input = StreamInput { log_group_name: name.into(), log_stream_name: (*stream).into() };
            self.call::<CreateLogStream>(input).await;
        }
    }

    async fn put(&self, group: &str, stream: &str, events: &[(i64, &str)]) {
        let input = PutLogEventsInput {
            log_group_name: group.into(),
            log_stream_name: stream.into(),
            log_events: events.iter().map(|(t, m)| InputEvent { timestamp_ms: *t, message: (*m).into() }).collect(),
            sequence_token: None,
        };
        let out = self.call::<PutLogEvents>(input).await;
        assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    }

    async fn export(&self, input: CreateExportTaskInput) -> String {
        self.call::<CreateExportTask>(input).await.task_id
    }

    async fn describe(&self, input: DescribeExportTasksInput) -> Vec<ExportTask> {
        self.call::<DescribeExportTasks>(input).await.tasks
    }

    async fn task(&self, id: &str) -> ExportTask {
        let tasks = self.describe(DescribeExportTasksInput { task_id: Some(id.into()), ..Default::default() }).await;
        assert_eq!(tasks.len(), 1);
        tasks.into_iter().next().unwrap()
    }

    async fn cancel(&self, id: &str) -> Result<(), LogsError> {
        self.try_call::<CancelExportTask>(CancelExportTaskInput { task_id: id.into() }).await
    }

    /// Runs the oldest active task to its end, step by step, and returns it as stored.
    async fn run_next(&self, settings: ExportSettings) -> ExportTask {
        let task = self.logs.next_export().await.unwrap().expect("a task is waiting");
        let mut run = match self.logs.start_export(&self.exports(), task, settings, NOW).await.unwrap() {
            Ok(run) => run,
            Err(Step::Done(task)) => return *task,
            Err(Step::More) => unreachable!("start ends a task or returns its run"),
        };
        for _ in 0..10_000 {
            if let Step::Done(task) = run.step(&self.logs, NOW).await.unwrap() {
                return *task;
            }
        }
        panic!("the export never ended");
    }
}

fn export_input(group: &str, from: i64, to: i64) -> CreateExportTaskInput {
    CreateExportTaskInput {
        log_group_name: group.into(),
        from,
        to,
        destination: "my-bucket".into(),
        ..Default::default()
    }
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).unwrap();
    text
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

#[tokio::test]
async fn an_export_writes_aws_layout_and_lines_for_its_range_and_prefix() {
    let f = Fixture::start();
    let streams = ["web/a", "web/2026/12/06/[$LATEST]abc", "web/..", "web/../../escape", "worker"];
    f.group("/shop", &streams).await;
    f.put("/shop", "web/a", &[(NOW - 3000, "too early"), (NOW - 2000, "first"), (NOW - 1000, "{\"k\": 1}")]).await;
    f.put("/shop", "web/a", &[(NOW, "at the end"), (NOW + 1, "too late")]).await;
    f.put("/shop", "web/2026/12/06/[$LATEST]abc", &[(NOW - 1500, "lambda line")]).await;
    f.put("/shop", "web/..", &[(NOW - 1500, "dots")]).await;
    f.put("/shop", "web/../../escape", &[(NOW - 1500, "climber")]).await;
    f.put("/shop", "worker", &[(NOW - 1500, "not web")]).await;
    let input = CreateExportTaskInput {
        task_name: Some("nightly".into()),
        log_stream_name_prefix: Some("web/".into()),
        destination_prefix: Some("exports/shop".into()),
        ..export_input("/shop", NOW - 2000, NOW)
    };
    let id = f.export(input).await;
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
    let pending = f.task(&id).await;
    assert_eq!((pending.status, pending.task_name.as_deref()), (ExportStatus::Pending, Some("nightly")));
    assert_eq!(pending.prefix(), "exports/shop");

    let done = f.run_next(ExportSettings::default()).await;
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.message.as_deref(), Some("Completed successfully"));
    assert_eq!(done.completed_ms, Some(NOW));
    assert_eq!((done.progress.streams_done, done.progress.streams_total, done.progress.events), (4, 4, 6));
    assert_eq!(f.task(&id).await, done);

    let bucket = f.exports().join("my-bucket");
    let task_files = |rest: &str| format!("exports/shop/{id}/{rest}");
    let mut expected = vec![
        "exports/shop/aws-logs-write-test".to_owned(),
        task_files("web/%2E%2E/000000.gz"),
        task_files("web/%2E%2E/%2E%2E/escape/000000.gz"),
        task_files("web/2026/12/06/[$LATEST]abc/000000.gz"),
        task_files("web/a/000000.gz"),
    ];
    expected.sort();
    assert_eq!(files(&bucket), expected, "no stream climbs out of the task's directory; no temporary file is left");
    let prefix = bucket.join("exports/shop");
    assert_eq!(std::fs::read(prefix.join("aws-logs-write-test")).unwrap(), b"Permission Check Successful");
    assert_eq!(
        gunzip(&prefix.join(&id).join("web/a/000000.gz")),
        "2026-12-07T09:59:58.000Z first\n2026-12-07T09:59:59.000Z {\"k\": 1}\n2026-12-07T10:00:00.000Z at the end\n"
    );
    let lambda = prefix.join(&id).join("web/2026/12/06/[$LATEST]abc/000000.gz");
    assert_eq!(gunzip(&lambda), "2026-12-07T09:59:58.500Z lambda line\n");
    assert_eq!(
        gunzip(&prefix.join(&id).join("web/%2E%2E/%2E%2E/escape/000000.gz")),
        "2026-12-07T09:59:58.500Z climber\n"
    );
    let written: u64 = files(&prefix.join(&id)).iter().map(|p| gunzip(&prefix.join(&id).join(p)).len() as u64).sum();
    assert_eq!(done.progress.bytes, written);
}

#[tokio::test]
async fn without_a_prefix_objects_go_under_exportedlogs_and_split_by_size() {
    let f = Fixture::start();
    f.group("/big", &["s", "empty"]).await;
    let messages: Vec<String> = (0..40).map(|i| format!("event number {i:02} with some padding")).collect();
    let events: Vec<(i64, &str)> =
        messages.iter().enumerate().map(|(i, m)| (NOW - 1000 + i as i64, m.as_str())).collect();
    f.put("/big", "s", &events).await;
    let id = f.export(export_input("/big", NOW - 10_000, NOW)).await;
    let line_len = "2026-12-07T09:59:59.000Z ".len() + messages[0].len() + 1;
    let settings = ExportSettings { chunk_events: 7, object_bytes: (line_len * 10) as u64, ..Default::default() };
    let done = f.run_next(settings).await;
    assert_eq!(done.status, ExportStatus::Completed, "{:?}", done.message);
    assert_eq!(done.destination_prefix, None);
    assert_eq!(done.prefix(), "exportedlogs");

    let bucket = f.exports().join("my-bucket");
    let objects: Vec<String> = (0..4).map(|i| format!("exportedlogs/{id}/s/{i:06}.gz")).collect();
    let mut expected = vec!["aws-logs-write-test".to_owned()];
    expected.extend(objects.iter().cloned());
    assert_eq!(files(&bucket), expected, "the check object at the bucket's top; no object for an empty stream");
    let text: String = objects.iter().map(|o| gunzip(&bucket.join(o))).collect();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 40);
    for (i, line) in lines.iter().enumerate() {
        assert!(line.ends_with(&messages[i]), "{line}");
        assert!(line.starts_with("2026-12-07T09:59:59.0"), "{line}");
    }
    assert_eq!(gunzip(&bucket.join(&objects[0])).lines().count(), 10);
}

#[tokio::test]
async fn a_cancel_stops_the_export_between_chunks_and_leaves_finished_objects() {
    let f = Fixture::start();
    f.group("/c", &["a", "b"]).await;
    f.put("/c", "a", &[(NOW - 30, "a1"), (NOW - 20, "a2"), (NOW - 10, "a3")]).await;
    let b: Vec<(i64, String)> = (0..6).map(|i| (NOW - 60 + i, format!("b{i}"))).collect();
    f.put("/c", "b", &b.iter().map(|(t, m)| (*t, m.as_str())).collect::<Vec<_>>()).await;
    let id = f.export(export_input("/c", 0, NOW)).await;
    let settings = ExportSettings { chunk_events: 3, ..Default::default() };
    let task = f.logs.next_export().await.unwrap().unwrap();
    let Ok(mut run) = f.logs.start_export(&f.exports(), task, settings, NOW).await.unwrap() else {
        panic!("the task starts");
    };
    assert_eq!(f.task(&id).await.status, ExportStatus::Running);
    assert_eq!(f.task(&id).await.message.as_deref(), Some("Exported 0 of 2 log streams (0 events)"));
    // a's three events, a's end (its object finished), then b's first three.
    for _ in 0..3 {
        assert_eq!(run.step(&f.logs, NOW).await.unwrap(), Step::More);
    }
    let running = f.task(&id).await;
    assert_eq!((running.progress.streams_done, running.progress.events), (1, 6));
    assert_eq!(running.message.as_deref(), Some("Exported 1 of 2 log streams (6 events)"));

    f.cancel(&id).await.unwrap();
    let Step::Done(cancelled) = run.step(&f.logs, NOW).await.unwrap() else { panic!("a cancelled run ends") };
    assert_eq!(cancelled.status, ExportStatus::Cancelled);
    assert_eq!(cancelled.completed_ms, Some(NOW));
    assert_eq!(cancelled.progress.events, 6, "the progress made before the cancel stays");
    let dir = f.exports().join("my-bucket/exportedlogs").join(&id);
    assert_eq!(files(&dir), ["a/000000.gz"], "b's unfinished object is dropped, a's stays");
    assert_eq!(gunzip(&dir.join("a/000000.gz")).lines().count(), 3);

    let again = f.cancel(&id).await.unwrap_err();
    assert_eq!(again, LogsError::InvalidOperation("The specified export task has already finished".into()));
    assert!(f.logs.next_export().await.unwrap().is_none());
}

#[tokio::test]
async fn a_task_interrupted_by_a_crash_starts_again_after_the_restart() {
    let f = Fixture::start();
    f.group("/r", &["s"]).await;
    let events: Vec<(i64, String)> = (0..10).map(|i| (NOW - 100 + i, format!("line {i}"))).collect();
    f.put("/r", "s", &events.iter().map(|(t, m)| (*t, m.as_str())).collect::<Vec<_>>()).await;
    let id = f.export(export_input("/r", 0, NOW)).await;
    let settings = ExportSettings { chunk_events: 4, object_bytes: 60, ..Default::default() };
    let task = f.logs.next_export().await.unwrap().unwrap();
    let Ok(mut run) = f.logs.start_export(&f.exports(), task, settings, NOW).await.unwrap() else {
        panic!("the task starts");
    };
    assert_eq!(run.step(&f.logs, NOW).await.unwrap(), Step::More);
    let dir = f.exports().join("my-bucket/exportedlogs").join(&id);
    assert!(!files(&dir).is_empty(), "objects were being written");
    // The process dies mid-export: no abandon, the unfinished object's temporary file stays behind.
    std::mem::forget(run);

    let f = f.restart();
    let waiting = f.logs.next_export().await.unwrap().expect("the interrupted task is still active");
    assert_eq!((waiting.task_id.as_str(), waiting.status), (id.as_str(), ExportStatus::Running));
    let done = f.run_next(settings).await;
    assert_eq!(done.status, ExportStatus::Completed);
    assert_eq!(done.progress.events, 10, "counted once, from scratch");
    let names = files(&dir);
    assert!(names.iter().all(|n| n.starts_with("s/") && n.ends_with(".gz")), "{names:?}");
    let text: String = names.iter().map(|n| gunzip(&dir.join(n))).collect();
    let expected: String = events.iter().map(|(t, m)| skywatch_logs::export::files::line(*t, m)).collect();
    assert_eq!(text, expected);
}

#[tokio::test]
async fn an_account_has_one_active_task() {
    let f = Fixture::start();
    f.group("/one", &[]).await;
    let first = f.export(export_input("/one", 0, NOW)).await;
    let refused = f.try_call::<CreateExportTask>(export_input("/one", 0, NOW)).await.unwrap_err();
    assert_eq!(refused, LogsError::LimitExceeded("Resource limit exceeded.".into()));
    let west = (ACCOUNT, "eu-west-1");
    f.try_as::<CreateLogGroup>(west, CreateLogGroupInput { log_group_name: "/one".into(), ..Default::default() })
        .await
        .unwrap();
    let other_region = f.try_as::<CreateExportTask>((ACCOUNT, "eu-west-1"), export_input("/one", 0, NOW)).await;
    assert!(matches!(other_region, Err(LogsError::LimitExceeded(_))), "{other_region:?}");
    // Another account is not held up (its group first).
    let other = ("222222222222", "us-east-1");
    f.try_as::<CreateLogGroup>(other, CreateLogGroupInput { log_group_name: "/one".into(), ..Default::default() })
        .await
        .unwrap();
    f.try_as::<CreateExportTask>(other, export_input("/one", 0, NOW)).await.unwrap();

    // Two calls racing: the second is refused while the first's task is not yet committed.
    f.cancel(&first).await.unwrap();
    let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, "us-east-1", "r", NOW);
    let racing = CreateExportTask::run(&f.logs, &ctx, export_input("/one", 0, NOW)).await.unwrap();
    let second = CreateExportTask::run(&f.logs, &ctx, export_input("/one", 0, NOW)).await.err();
    assert_eq!(second, Some(LogsError::LimitExceeded("Resource limit exceeded.".into())));
    f.logs.store().apply(racing.changes).await.unwrap();
    (racing.after_commit.unwrap())();
    assert!(matches!(
        f.try_call::<CreateExportTask>(export_input("/one", 0, NOW)).await,
        Err(LogsError::LimitExceeded(_))
    ));

    // Once the task ends, the account may export again.
    let done = f.run_next(ExportSettings::default()).await;
    assert_eq!(done.status, ExportStatus::Completed);
    let next = f.run_next(ExportSettings::default()).await;
    assert_eq!(next.status, ExportStatus::Completed);
    f.export(export_input("/one", 0, NOW)).await;
}

#[tokio::test]
async fn refusals_name_the_problem_as_cloudwatch_logs_does() {
    let f = Fixture::start();
    f.group("/v", &[]).await;
    let invalid = |m: &str| LogsError::InvalidParameter(m.into());
    let range = |from: i64, to: i64| {
        invalid(&format!(
            "Specified time range of '{from}' and '{to}' is not valid. Please make sure the values are non-negative \
             and the start time is before the end time."
        ))
    };
    let bucket = invalid("The given bucket does not exist. Please make sure the bucket is valid.");
    let cases: Vec<(CreateExportTaskInput, LogsError)> = vec![
        (export_input("/v", 10, 10), range(10, 10)),
        (export_input("/v", 20, 10), range(20, 10)),
        (export_input("/v", -1, 10), range(-1, 10)),
        (export_input("/missing", 0, 10), LogsError::no_group()),
        (CreateExportTaskInput { destination: "My_Bucket".into(), ..export_input("/v", 0, 10) }, bucket.clone()),
        (CreateExportTaskInput { destination: "../etc".into(), ..export_input("/v", 0, 10) }, bucket.clone()),
        (CreateExportTaskInput { destination: "ab".into(), ..export_input("/v", 0, 10) }, bucket),
    ];
    for (input, expected) in cases {
        let got = f.try_call::<CreateExportTask>(input.clone()).await.unwrap_err();
        assert_eq!(got, expected, "{input:?}");
    }
    for prefix in ["..", "../up", "a/../../b", "/etc", "a\\..\\b", "./x", "a\nb", ""] {
        let input = CreateExportTaskInput { destination_prefix: Some(prefix.into()), ..export_input("/v", 0, 10) };
        let got = f.try_call::<CreateExportTask>(input).await.unwrap_err();
        assert!(
            matches!(&got, LogsError::InvalidParameter(m) if m.starts_with("The destinationPrefix")),
            "{prefix:?}: {got:?}"
        );
    }
    for (input, member) in [
        (CreateExportTaskInput { task_name: Some(String::new()), ..export_input("/v", 0, 10) }, "taskName"),
        (
            CreateExportTaskInput { log_stream_name_prefix: Some("a:b".into()), ..export_input("/v", 0, 10) },
            "logStreamNamePrefix",
        ),
        (CreateExportTaskInput { destination: "b".repeat(513), ..export_input("/v", 0, 10) }, "destination"),
        (export_input("bad name", 0, 10), "logGroupName"),
    ] {
        let got = f.try_call::<CreateExportTask>(input).await.unwrap_err();
        assert!(matches!(&got, LogsError::InvalidParameter(m) if m.contains(&format!("at '{member}'"))), "{got:?}");
    }
    let missing = f.cancel("9b2f3c9e-0000-4000-8000-000000000000").await.unwrap_err();
    assert_eq!(missing, LogsError::NotFound("The specified export task does not exist.".into()));
    for (input, member) in [
        (DescribeExportTasksInput { limit: Some(0), ..Default::default() }, "limit"),
        (DescribeExportTasksInput { limit: Some(51), ..Default::default() }, "limit"),
        (DescribeExportTasksInput { status_code: Some("DONE".into()), ..Default::default() }, "statusCode"),
    ] {
        let got = f.try_call::<DescribeExportTasks>(input).await.unwrap_err();
        assert!(matches!(&got, LogsError::InvalidParameter(m) if m.contains(&format!("at '{member}'"))), "{got:?}");
    }
    let bad_token = DescribeExportTasksInput { next_token: Some("nonsense".into()), ..Default::default() };
    assert_eq!(
        f.try_call::<DescribeExportTasks>(bad_token).await.unwrap_err(),
        invalid("The specified nextToken is invalid.")
    );
    // Nothing refused left a task behind.
    assert!(f.describe(DescribeExportTasksInput::default()).await.is_empty());
}

#[tokio::test]
async fn tasks_are_listed_newest_first_in_pages_by_status_and_by_id() {
    let f = Fixture::start();
    f.group("/d", &[]).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let ctx =
            Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, "us-east-1", "r", NOW + i);
        let effect = CreateExportTask::run(&f.logs, &ctx, export_input("/d", 0, 10)).await.unwrap();
        f.logs.store().apply(effect.changes).await.unwrap();
        drop(effect.after_commit);
        ids.push(effect.reply.task_id);
        if i % 2 == 0 {
            f.cancel(ids.last().unwrap()).await.unwrap();
        } else {
            f.run_next(ExportSettings::default()).await;
        }
    }
    ids.reverse();
    let (mut seen, mut token, mut pages) = (Vec::new(), None, 0);
    loop {
        let input = DescribeExportTasksInput { limit: Some(2), next_token: token.clone(), ..Default::default() };
        let page = f.call::<DescribeExportTasks>(input).await;
        assert!(page.tasks.len() <= 2);
        seen.extend(page.tasks.into_iter().map(|t| t.task_id));
        pages += 1;
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ids);
    assert_eq!(pages, 3);
    let cancelled =
        f.describe(DescribeExportTasksInput { status_code: Some("CANCELLED".into()), ..Default::default() }).await;
    assert_eq!(
        cancelled.iter().map(|t| t.task_id.clone()).collect::<Vec<_>>(),
        [ids[0].clone(), ids[2].clone(), ids[4].clone()]
    );
    assert!(cancelled.iter().all(|t| t.message.as_deref() == Some("Cancelled by user")));
    let completed =
        f.describe(DescribeExportTasksInput { status_code: Some("COMPLETED".into()), ..Default::default() }).await;
    assert_eq!(completed.len(), 2);
    let by_id = DescribeExportTasksInput {
        task_id: Some(ids[1].clone()),
        status_code: Some("CANCELLED".into()),
        ..Default::default()
    };
    assert!(f.describe(by_id).await.is_empty(), "the task is COMPLETED");
    let unknown = DescribeExportTasksInput { task_id: Some("unknown".into()), ..Default::default() };
    assert!(f.describe(unknown).await.is_empty());
    // Another region's listing is its own.
    let elsewhere = f.try_as::<DescribeExportTasks>((ACCOUNT, "eu-west-1"), DescribeExportTasksInput::default()).await;
    assert!(elsewhere.unwrap().tasks.is_empty());
}

#[tokio::test]
async fn a_task_whose_group_is_gone_fails_with_the_reason() {
    let f = Fixture::start();
    f.group("/gone", &[]).await;
    let id = f.export(export_input("/gone", 0, 10)).await;
    f.call::<skywatch_logs::ops::DeleteLogGroup>(skywatch_logs::ops::GroupNameInput { log_group_name: "/gone".into() })
        .await;
    let done = f.run_next(ExportSettings::default()).await;
    assert_eq!((done.task_id.as_str(), done.status), (id.as_str(), ExportStatus::Failed));
    assert_eq!(done.message.as_deref(), Some("The specified log group does not exist."));
    assert_eq!(
        f.cancel(&id).await.unwrap_err(),
        LogsError::InvalidOperation("The specified export task has already finished".into())
    );
}
