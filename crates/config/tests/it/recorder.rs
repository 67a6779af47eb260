//! Issue 13: the recorder on a real redb file. Third-party resources reported with PutResourceConfig become
//! configuration items naming the call's CloudTrail event; an unchanged report records nothing; deletion is an
//! item of its own; a stopped recorder records nothing; and a notice committed before a crash is recorded after
//! the restart.

use skywatch_config::model::ItemStatus;
use skywatch_config::{
    Config, ConfigError, DeleteResourceConfig, DeleteResourceConfigInput, DeliverConfigSnapshot,
    DeliverConfigSnapshotInput, GetResourceConfigHistory, GetResourceConfigHistoryInput, HISTORY_EVERY_MS,
    PutConfigurationRecorder, PutConfigurationRecorderInput, PutDeliveryChannel, PutDeliveryChannelInput,
    PutResourceConfig, PutResourceConfigInput, RecorderNameInput, StartConfigurationRecorder,
    StopConfigurationRecorder,
};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const SG: &str = "AWS::EC2::SecurityGroup";

struct Fixture {
    config: Config,
    dir: tempfile::TempDir,
    calls: std::cell::Cell<u32>,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { config: Self::open(dir.path()), dir, calls: std::cell::Cell::new(0) }
    }

    fn open(dir: &std::path::Path) -> Config {
        Config::new(Store::open(dir).unwrap()).delivering(dir.join("s3"), HISTORY_EVERY_MS)
    }

    fn restart(self) -> Self {
        let Fixture { config, dir, calls } = self;
        drop(config);
        Self { config: Self::open(dir.path()), dir, calls }
    }

    /// Runs an operation as the invoke path does: its changes and those naming its event, in one commit.
    async fn call<Op: Operation<Engine = Config>>(&self, input: Op::Input) -> Result<Op::Output, Op::Error> {
        self.calls.set(self.calls.get() + 1);
        let now = 1_765_000_000_000 + i64::from(self.calls.get()) * 1_000;
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "req", now);
        let effect = Op::run(&self.config, &ctx, input).await?;
        let mut changes = effect.changes;
        if let Some(build) = effect.with_event {
            changes.extend(build(&format!("event-{}", self.calls.get())));
        }
        self.config.store().apply(changes).await.unwrap();
        Ok(effect.reply)
    }

    async fn recording(&self) {
        self.call::<PutConfigurationRecorder>(PutConfigurationRecorderInput::default()).await.unwrap();
        let channel = PutDeliveryChannelInput { s3_bucket_name: Some("bucket".into()), ..Default::default() };
        self.call::<PutDeliveryChannel>(channel).await.unwrap();
        self.call::<StartConfigurationRecorder>(name()).await.unwrap();
    }

    async fn report(&self, id: &str, configuration: &str) -> Result<(), ConfigError> {
        self.call::<PutResourceConfig>(PutResourceConfigInput {
            resource_type: SG.into(),
            schema_version_id: "1".into(),
            resource_id: id.into(),
            resource_name: Some("web".into()),
            configuration: configuration.into(),
            tags: [("team".to_owned(), "shop".to_owned())].into(),
        })
        .await
    }

    async fn record(&self) -> usize {
        self.config.record(1_765_000_000_500 + i64::from(self.calls.get()) * 1_000).await.unwrap()
    }

    async fn history(&self, id: &str) -> Vec<skywatch_config::model::Item> {
        let input = GetResourceConfigHistoryInput {
            resource_type: SG.into(),
            resource_id: id.into(),
            later_time_ms: Some(i64::MAX),
            ..Default::default()
        };
        self.call::<GetResourceConfigHistory>(input).await.unwrap().items
    }
}

fn name() -> RecorderNameInput {
    RecorderNameInput { configuration_recorder_name: "default".into() }
}

#[tokio::test]
async fn reported_changes_become_items_that_name_their_calls() {
    let fixture = Fixture::start();
    assert!(matches!(fixture.report("sg-1", "{}").await, Err(ConfigError::NoRunningRecorder(_))));
    fixture.recording().await;

    fixture.report("sg-1", r#"{"groupId":"sg-1","vpcId":"vpc-1"}"#).await.unwrap();
    assert_eq!(fixture.record().await, 1);
    fixture.report("sg-1", r#"{"groupId":"sg-1","vpcId":"vpc-1"}"#).await.unwrap();
    assert_eq!(fixture.record().await, 0, "an unchanged report records nothing");
    fixture.report("sg-1", r#"{"groupId":"sg-1","vpcId":"vpc-2"}"#).await.unwrap();
    assert_eq!(fixture.record().await, 1);

    let items = fixture.history("sg-1").await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].status, ItemStatus::Ok);
    assert_eq!(items[1].status, ItemStatus::ResourceDiscovered);
    assert!(items[0].capture_ms > items[1].capture_ms, "newest first");
    assert_eq!(items[1].related_events, ["event-5"], "the first call was refused: no recorder ran");
    assert_eq!(items[0].related_events, ["event-7"]);
    assert_eq!(items[0].relationships[0].resource_id, "vpc-2");
    assert_eq!(items[0].tags.get("team").map(String::as_str), Some("shop"));

    let delete = DeleteResourceConfigInput { resource_type: SG.into(), resource_id: "sg-1".into() };
    fixture.call::<DeleteResourceConfig>(delete).await.unwrap();
    assert_eq!(fixture.record().await, 1);
    let items = fixture.history("sg-1").await;
    assert_eq!(items[0].status, ItemStatus::ResourceDeleted);
    assert_eq!(items[0].configuration, None);
}

#[tokio::test]
async fn a_stopped_recorder_records_nothing() {
    let fixture = Fixture::start();
    fixture.recording().await;
    fixture.report("sg-1", "{}").await.unwrap();
    fixture.call::<StopConfigurationRecorder>(name()).await.unwrap();
    assert_eq!(fixture.record().await, 0);
}

#[tokio::test]
async fn a_notice_committed_before_a_crash_is_recorded_after_the_restart() {
    let fixture = Fixture::start();
    fixture.recording().await;
    fixture.report("sg-9", r#"{"groupId":"sg-9"}"#).await.unwrap();
    let fixture = fixture.restart();
    assert_eq!(fixture.record().await, 1);
    assert_eq!(fixture.history("sg-9").await.len(), 1);
}

#[tokio::test]
async fn bad_reports_are_refused_before_anything_is_stored() {
    let fixture = Fixture::start();
    fixture.recording().await;
    for configuration in ["not json", "[1,2]", &format!("{{\"a\":\"{}\"}}", "x".repeat(70_000))] {
        assert!(matches!(fixture.report("sg-1", configuration).await, Err(ConfigError::Validation(_))));
    }
    let long_id = "i".repeat(769);
    assert!(matches!(fixture.report(&long_id, "{}").await, Err(ConfigError::Validation(_))));
    assert_eq!(fixture.record().await, 0);
}

/// Every gzip JSON file under `dir`, by path relative to it.
fn files(dir: &std::path::Path) -> Vec<(String, serde_json::Value)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let reader = flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap());
                let document = serde_json::from_reader(reader).unwrap();
                found.push((path.strip_prefix(dir).unwrap().display().to_string(), document));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[tokio::test]
async fn history_files_and_snapshots_are_delivered_in_aws_configs_layout() {
    let fixture = Fixture::start();
    fixture.recording().await;
    fixture.report("sg-1", r#"{"groupId":"sg-1"}"#).await.unwrap();
    fixture.record().await;
    let captured = fixture.history("sg-1").await[0].capture_ms;
    let buckets = fixture.dir.path().join("s3");

    assert_eq!(fixture.config.deliver(captured + 1_000).await.unwrap(), 0, "history is not due yet");
    let due = captured + HISTORY_EVERY_MS;
    assert_eq!(fixture.config.deliver(due).await.unwrap(), 1);
    let delivered = files(&buckets);
    assert_eq!(delivered.len(), 1);
    let (path, document) = &delivered[0];
    assert!(
        path.starts_with(&format!("bucket/AWSLogs/{ACCOUNT}/Config/{REGION}/2025/12/"))
            && path.contains("/ConfigHistory/"),
        "{path}"
    );
    assert!(path.contains(&format!("{ACCOUNT}_Config_{REGION}_ConfigHistory_AWS_EC2_SecurityGroup_")), "{path}");
    assert_eq!(document["configurationItems"][0]["resourceId"], "sg-1");
    assert_eq!(document["configurationItems"][0]["configuration"]["groupId"], "sg-1");
    assert_eq!(fixture.config.deliver(due + 1_000).await.unwrap(), 0, "the window was delivered once");

    let input = DeliverConfigSnapshotInput { delivery_channel_name: "default".into() };
    let id = fixture.call::<DeliverConfigSnapshot>(input).await.unwrap();
    assert_eq!(fixture.config.deliver(due + 2_000).await.unwrap(), 1);
    let snapshot = files(&buckets).into_iter().find(|(path, _)| path.contains("ConfigSnapshot")).unwrap();
    assert!(snapshot.0.ends_with(&format!("_{id}.json.gz")), "{}", snapshot.0);
    assert_eq!(snapshot.1["configSnapshotId"], id.as_str());
    assert_eq!(snapshot.1["configurationItems"].as_array().unwrap().len(), 1);
}

/// Records what is announced.
#[derive(Default)]
struct Announced(std::sync::Mutex<Vec<skywatch_config::announce::ConfigEvent>>);

impl skywatch_config::announce::Announce for Announced {
    fn plan(
        &self,
        _reader: &skywatch_store::Reader,
        event: &skywatch_config::announce::ConfigEvent,
    ) -> Vec<skywatch_store::Mutation> {
        self.0.lock().unwrap().push(event.clone());
        Vec::new()
    }

    fn committed(&self) {}
}

/// Issue 16: every recorded item is announced once as "Config Configuration Item Change", with AWS's change type.
#[tokio::test]
async fn recorded_items_are_announced_once_each() {
    let announced = std::sync::Arc::new(Announced::default());
    let mut fixture = Fixture::start();
    fixture.config = fixture.config.clone().announcing_to(announced.clone());
    fixture.recording().await;
    fixture.report("sg-1", r#"{"groupId":"sg-1"}"#).await.unwrap();
    fixture.record().await;
    fixture.report("sg-1", r#"{"groupId":"sg-1","vpcId":"vpc-2"}"#).await.unwrap();
    fixture.record().await;
    assert_eq!(fixture.config.announce(1_765_000_100_000).await.unwrap(), 2);
    assert_eq!(fixture.config.announce(1_765_000_100_000).await.unwrap(), 0, "once each");
    let events = announced.0.lock().unwrap().clone();
    let types: Vec<&str> = events.iter().map(|e| e.detail_type).collect();
    assert_eq!(types, ["Config Configuration Item Change"; 2]);
    let change = |e: &skywatch_config::announce::ConfigEvent| e.detail["configurationItemDiff"]["changeType"].clone();
    assert_eq!((change(&events[0]), change(&events[1])), (serde_json::json!("CREATE"), serde_json::json!("UPDATE")));
    assert_eq!(events[1].detail["messageType"], "ConfigurationItemChangeNotification");
    assert_eq!(events[1].detail["configurationItem"]["resourceId"], "sg-1");
    assert_eq!(events[1].detail["configurationItem"]["configurationItemStatus"], "OK");
    assert_eq!((events[1].account.as_str(), events[1].region.as_str()), (ACCOUNT, REGION));
}
