//! Issue 14: Live Tail through the operations. A session sees what PutLogEvents commits after it starts, in its
//! groups and streams and matching its pattern, at the next one-second update; a missing group is refused, and an
//! account may have 15 sessions at once.

use skywatch_logs::ingest::InputEvent;
use skywatch_logs::ops::{
    CreateLogGroup, CreateLogGroupInput, CreateLogStream, LiveTailSession, PutLogEvents, PutLogEventsInput,
    StartLiveTail, StartLiveTailInput, StreamInput,
};
use skywatch_logs::{Keyring, Logs, LogsError};
use skywatch_ops::{AwsError, Context, Operation};
use skywatch_store::Store;

const ACCOUNT: &str = "161616161616";
const REGION: &str = "us-east-1";
const NOW: i64 = 1_800_000_000_000;

struct Fixture {
    logs: Logs,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        Self { logs: Logs::new(store, Keyring::in_dir(dir.path())), _dir: dir }
    }

    /// Runs an operation as the server does: its changes in one commit, then its after-commit work.
    async fn call<Op: Operation<Engine = Logs, Error = LogsError>>(
        &self,
        input: Op::Input,
    ) -> Result<Op::Output, LogsError> {
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "req-1", NOW);
        let effect = Op::run(&self.logs, &ctx, input).await?;
        self.logs.store().apply(effect.changes).await.unwrap();
        if let Some(after) = effect.after_commit {
            after();
        }
        Ok(effect.reply)
    }

    async fn group_with_streams(&self, group: &str, streams: &[&str]) {
        let input = CreateLogGroupInput { log_group_name: group.into(), ..Default::default() };
        self.call::<CreateLogGroup>(input).await.unwrap();
        for stream in streams {
            let input = StreamInput { log_group_name: group.into(), log_stream_name: (*stream).into() };
            self.call::<CreateLogStream>(input).await.unwrap();
        }
    }

    async fn put(&self, group: &str, stream: &str, messages: &[&str]) {
        let input = PutLogEventsInput {
            log_group_name: group.into(),
            log_stream_name: stream.into(),
            log_events: messages.iter().map(|m| InputEvent { timestamp_ms: NOW, message: (*m).into() }).collect(),
            sequence_token: None,
        };
        self.call::<PutLogEvents>(input).await.unwrap();
    }

    async fn tail(&self, input: StartLiveTailInput) -> Result<LiveTailSession, LogsError> {
        self.call::<StartLiveTail>(input).await
    }
}

fn groups(identifiers: &[&str]) -> StartLiveTailInput {
    StartLiveTailInput {
        log_group_identifiers: identifiers.iter().map(|g| (*g).to_owned()).collect(),
        ..Default::default()
    }
}

/// The messages of the session's next update (virtual time: the second passes at once).
async fn next_messages(session: &mut LiveTailSession) -> Vec<String> {
    tokio::time::pause();
    let update = session.next_update().await.expect("open").expect("not ended");
    tokio::time::resume();
    update
        .events
        .into_iter()
        .map(|e| format!("{} {} {}", e.log_group_identifier, e.log_stream_name, e.message))
        .collect()
}

#[tokio::test]
async fn committed_events_reach_the_sessions_that_select_them() {
    let fx = Fixture::start();
    fx.group_with_streams("/app", &["web-1", "web-2", "api-1"]).await;
    fx.group_with_streams("/other", &["web-1"]).await;
    fx.put("/app", "web-1", &["ERROR before the session"]).await;
    let arn = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/app");
    let mut everything = fx.tail(groups(&[&arn, "/other"])).await.unwrap();
    assert_eq!(everything.session_start.request_id, "req-1");
    assert_eq!(everything.session_start.log_group_identifiers, [arn.clone(), "/other".into()]);
    let filtered = StartLiveTailInput { log_event_filter_pattern: Some("ERROR".into()), ..groups(&["/app"]) };
    let mut errors = fx.tail(filtered).await.unwrap();
    let web = StartLiveTailInput { log_stream_name_prefixes: vec!["web".into()], ..groups(&["/app"]) };
    let mut web = fx.tail(web).await.unwrap();
    assert_ne!(everything.session_start.session_id, errors.session_start.session_id);

    fx.put("/app", "web-1", &["ERROR one", "INFO two"]).await;
    fx.put("/app", "api-1", &["ERROR three"]).await;
    fx.put("/other", "web-1", &["INFO four"]).await;

    assert_eq!(
        next_messages(&mut everything).await,
        [
            format!("{arn} web-1 ERROR one"),
            format!("{arn} web-1 INFO two"),
            format!("{arn} api-1 ERROR three"),
            "/other web-1 INFO four".into(),
        ]
    );
    assert_eq!(next_messages(&mut errors).await, ["/app web-1 ERROR one", "/app api-1 ERROR three"]);
    assert_eq!(next_messages(&mut web).await, ["/app web-1 ERROR one", "/app web-1 INFO two"]);
}

#[tokio::test]
async fn missing_groups_and_a_16th_session_are_refused() {
    let fx = Fixture::start();
    fx.group_with_streams("/app", &[]).await;
    let missing = fx.tail(groups(&["/app", "/nope"])).await.map(drop);
    assert_eq!(missing, Err(LogsError::NotFound("The specified log group does not exist.".into())));
    let mut open = Vec::new();
    for _ in 0..15 {
        open.push(fx.tail(groups(&["/app"])).await.unwrap());
    }
    assert_eq!(fx.logs.live_tails(ACCOUNT), 15);
    let refused = fx.tail(groups(&["/app"])).await.map(drop).unwrap_err();
    assert_eq!(refused.code().code, "LimitExceededException");
    open.pop();
    assert!(fx.tail(groups(&["/app"])).await.is_ok(), "a closed session gives its place back");
}
