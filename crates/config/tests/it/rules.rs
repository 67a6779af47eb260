//! Issue 13: rules on a real redb file. A managed rule's results follow a reported security group's changes
//! and every change of compliance is kept with the one before it; automatic remediation revokes the offending
//! ingress in the commit that records its attempt, and the recorder links the next item to that call; a webhook
//! invocation queued before a restart is posted after it, and a failing one is given up after its attempts.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use skywatch_config::remediation::model::{ParameterValue, State};
use skywatch_config::rules::model::{Compliance, Owner, Scope, Source, SourceDetail};
use skywatch_config::rules::storage::{compliance_history, rule};
use skywatch_config::{
    Config, DescribeRemediationExecutionStatus, DescribeRemediationExecutionStatusInput, GetResourceConfigHistory,
    GetResourceConfigHistoryInput, Outcome, PutConfigRule, PutConfigRuleInput, PutConfigurationRecorder,
    PutConfigurationRecorderInput, PutDeliveryChannel, PutDeliveryChannelInput, PutRemediationConfigurations,
    PutRemediationConfigurationsInput, PutResourceConfig, PutResourceConfigInput, RecorderNameInput, RemediationInput,
    ResourceKey, StartConfigurationRecorder, Transport,
};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const SG: &str = "AWS::EC2::SecurityGroup";

#[derive(Default)]
struct Recorder {
    posts: Mutex<Vec<(String, String)>>,
    status: Mutex<u16>,
}

impl Transport for Recorder {
    fn post(&self, url: &str, body: String) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
        self.posts.lock().unwrap().push((url.to_owned(), body));
        let status = *self.status.lock().unwrap();
        Box::pin(async move { Ok((status, String::new())) })
    }
}

struct Fixture {
    config: Config,
    dir: tempfile::TempDir,
    clock: std::cell::Cell<i64>,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            config: Config::new(Store::open(dir.path()).unwrap()),
            dir,
            clock: std::cell::Cell::new(1_765_000_000_000),
        }
    }

    fn restart(self) -> Self {
        let Fixture { config, dir, clock } = self;
        drop(config);
        Self { config: Config::new(Store::open(dir.path()).unwrap()), dir, clock }
    }

    fn tick(&self) -> i64 {
        self.clock.set(self.clock.get() + 1_000);
        self.clock.get()
    }

    async fn call<Op: Operation<Engine = Config>>(&self, input: Op::Input) -> Op::Output {
        let now = self.tick();
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "req-1234", now);
        let effect = Op::run(&self.config, &ctx, input).await.unwrap_or_else(|e| panic!("{}: {e}", Op::SPEC.name));
        let mut changes = effect.changes;
        if let Some(build) = effect.with_event {
            changes.extend(build(&format!("event-{now}")));
        }
        self.config.store().apply(changes).await.unwrap();
        effect.reply
    }

    /// Recorder, rules and remediation passes until nothing is left to do.
    async fn settle(&self, transport: &Arc<dyn Transport>) {
        for _ in 0..10 {
            let now = self.tick();
            self.config.record(now).await.unwrap();
            self.config.evaluate_rules(now).await.unwrap();
            self.config.invoke(transport, now).await.unwrap();
            self.config.remediate(transport, now).await.unwrap();
        }
    }

    async fn recording(&self) {
        self.call::<PutConfigurationRecorder>(PutConfigurationRecorderInput::default()).await;
        let channel = PutDeliveryChannelInput { s3_bucket_name: Some("bucket".into()), ..Default::default() };
        self.call::<PutDeliveryChannel>(channel).await;
        self.call::<StartConfigurationRecorder>(RecorderNameInput { configuration_recorder_name: "default".into() })
            .await;
    }

    async fn group(&self, id: &str, ports: &[i64]) {
        let permissions: Vec<_> = ports
            .iter()
            .map(|p| serde_json::json!({"ipProtocol": "tcp", "fromPort": p, "toPort": p, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}))
            .collect();
        let configuration = serde_json::json!({"groupId": id, "ipPermissions": permissions}).to_string();
        self.call::<PutResourceConfig>(PutResourceConfigInput {
            resource_type: SG.into(),
            schema_version_id: "1".into(),
            resource_id: id.into(),
            configuration,
            ..Default::default()
        })
        .await;
    }

    async fn rule(&self, name: &str, source: Source) {
        let input = PutConfigRuleInput {
            name: name.into(),
            description: None,
            scope: Scope { resource_types: vec![SG.into()], ..Scope::default() },
            source,
            input_parameters: None,
            maximum_execution_frequency: None,
            tags: Vec::new(),
        };
        self.call::<PutConfigRule>(input).await;
    }

    async fn changes(&self, id: &str) -> Vec<(Compliance, Option<Compliance>)> {
        let id = id.to_owned();
        self.config
            .store()
            .read(move |r| compliance_history(r, (ACCOUNT, REGION), (SG, &id), (0, i64::MAX), 100))
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.compliance, c.previous))
            .collect()
    }
}

fn managed(identifier: &str) -> Source {
    Source { owner: Owner::Aws, identifier: Some(identifier.into()), details: Vec::new(), policy: None }
}

#[tokio::test]
async fn compliance_changes_are_kept_with_the_state_before_them() {
    let fixture = Fixture::start();
    let transport: Arc<dyn Transport> = Arc::new(Recorder::default());
    fixture.recording().await;
    fixture.group("sg-1", &[443]).await;
    fixture.rule("restricted-ssh", managed("INCOMING_SSH_DISABLED")).await;
    fixture.settle(&transport).await;
    fixture.group("sg-1", &[443, 22]).await;
    fixture.settle(&transport).await;
    fixture.group("sg-1", &[443]).await;
    fixture.settle(&transport).await;
    assert_eq!(
        fixture.changes("sg-1").await,
        [
            (Compliance::Compliant, None),
            (Compliance::NonCompliant, Some(Compliance::Compliant)),
            (Compliance::Compliant, Some(Compliance::NonCompliant)),
        ]
    );
    // As AWS Config does, each change is also an AWS::Config::ResourceCompliance item of its own.
    let items = fixture
        .call::<GetResourceConfigHistory>(GetResourceConfigHistoryInput {
            resource_type: "AWS::Config::ResourceCompliance".into(),
            resource_id: format!("{SG}/sg-1"),
            later_time_ms: Some(i64::MAX),
            chronological_order: Some("Forward".into()),
            ..Default::default()
        })
        .await
        .items;
    let types: Vec<_> = items.iter().map(|i| i.configuration.as_ref().unwrap()["complianceType"].clone()).collect();
    assert_eq!(types, ["COMPLIANT", "NON_COMPLIANT", "COMPLIANT"]);
    let rules = &items[1].configuration.as_ref().unwrap()["configRuleList"];
    assert_eq!(rules, &serde_json::json!([{"configRuleName": "restricted-ssh", "complianceType": "NON_COMPLIANT"}]));
    assert_eq!(items[0].relationships[0].resource_id, "sg-1");

    // Issue 16: each change is announced as "Config Rules Compliance Change", with the state before it.
    let announced = Arc::new(Announced::default());
    let config = fixture.config.clone().announcing_to(announced.clone());
    while config.announce(fixture.tick()).await.unwrap() > 0 {}
    let events = announced.0.lock().unwrap().clone();
    let changes: Vec<_> = events.iter().filter(|e| e.detail_type == "Config Rules Compliance Change").collect();
    let shown: Vec<(serde_json::Value, serde_json::Value)> = changes
        .iter()
        .map(|e| {
            (
                e.detail["newEvaluationResult"]["complianceType"].clone(),
                e.detail["oldEvaluationResult"]["complianceType"].clone(),
            )
        })
        .collect();
    let json = |s: &str| serde_json::json!(s);
    assert_eq!(
        shown,
        [
            (json("COMPLIANT"), serde_json::Value::Null),
            (json("NON_COMPLIANT"), json("COMPLIANT")),
            (json("COMPLIANT"), json("NON_COMPLIANT"))
        ]
    );
    let detail = &changes[1].detail;
    assert_eq!(
        (detail["configRuleName"].as_str(), detail["resourceId"].as_str()),
        (Some("restricted-ssh"), Some("sg-1"))
    );
    assert_eq!(detail["messageType"], "ComplianceChangeNotification");
    assert!(detail["configRuleARN"].as_str().unwrap().starts_with("arn:aws:config:us-east-1:"));
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

#[tokio::test]
async fn automatic_remediation_revokes_ssh_and_the_next_item_names_its_call() {
    let fixture = Fixture::start();
    let transport: Arc<dyn Transport> = Arc::new(Recorder::default());
    fixture.recording().await;
    fixture.rule("restricted-ssh", managed("INCOMING_SSH_DISABLED")).await;
    let remediation = RemediationInput {
        config_rule_name: "restricted-ssh".into(),
        target_type: "SSM_DOCUMENT".into(),
        target_id: "AWS-DisablePublicAccessForSecurityGroup".into(),
        parameters: [("GroupId".to_owned(), ParameterValue::ResourceId)].into(),
        automatic: true,
        ..Default::default()
    };
    fixture
        .call::<PutRemediationConfigurations>(PutRemediationConfigurationsInput {
            remediation_configurations: vec![remediation],
        })
        .await;
    fixture.group("sg-9", &[22, 443]).await;
    fixture.settle(&transport).await;

    assert_eq!(
        fixture.changes("sg-9").await,
        [(Compliance::NonCompliant, None), (Compliance::Compliant, Some(Compliance::NonCompliant))]
    );
    let history = fixture
        .call::<GetResourceConfigHistory>(GetResourceConfigHistoryInput {
            resource_type: SG.into(),
            resource_id: "sg-9".into(),
            later_time_ms: Some(i64::MAX),
            ..Default::default()
        })
        .await
        .items;
    assert_eq!(history.len(), 2);
    let closed = history[0].configuration.as_ref().unwrap();
    assert_eq!(closed["ipPermissions"].as_array().unwrap().len(), 1, "{closed}");
    assert_eq!(history[0].related_events.len(), 1);
    assert!(!history[0].related_events[0].starts_with("event-"), "named by the remediation's own CloudTrail record");

    let status = fixture
        .call::<DescribeRemediationExecutionStatus>(DescribeRemediationExecutionStatusInput {
            config_rule_name: "restricted-ssh".into(),
            resource_keys: vec![ResourceKey { resource_type: SG.into(), resource_id: "sg-9".into() }],
            ..Default::default()
        })
        .await;
    assert_eq!(status.executions[0].state, State::Succeeded);
    assert_eq!(status.executions[0].steps.len(), 1);
}

#[tokio::test]
async fn a_webhook_invocation_survives_a_restart_and_a_failing_one_is_given_up() {
    let fixture = Fixture::start();
    let failing = Arc::new(Recorder { status: Mutex::new(500), ..Recorder::default() });
    let transport: Arc<dyn Transport> = failing.clone();
    fixture.recording().await;
    let source = Source {
        owner: Owner::CustomLambda,
        identifier: Some("http://127.0.0.1:9/fn".into()),
        details: vec![SourceDetail {
            message_type: "ConfigurationItemChangeNotification".into(),
            maximum_execution_frequency: None,
        }],
        policy: None,
    };
    fixture.group("sg-2", &[22]).await;
    fixture.config.record(fixture.tick()).await.unwrap();
    // The new rule's first run queues one invocation for the one group.
    fixture.rule("custom", source).await;
    fixture.config.evaluate_rules(fixture.tick()).await.unwrap();

    let fixture = fixture.restart();
    for _ in 0..5 {
        fixture.clock.set(fixture.clock.get() + 60_000);
        fixture.config.invoke(&transport, fixture.clock.get()).await.unwrap();
    }
    let posts = failing.posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 3, "three attempts, then given up");
    assert!(posts[0].1.contains("\"configRuleName\":\"custom\""));
    let status = fixture.config.store().read(|r| rule(r, ACCOUNT, REGION, "custom")).await.unwrap().unwrap().status;
    assert_eq!(status.last_error.map(|e| e.0).as_deref(), Some("FunctionError"));
}

#[tokio::test]
async fn a_periodic_rule_runs_at_its_frequency() {
    use skywatch_config::rules::storage::due_invocations;
    let fixture = Fixture::start();
    fixture.recording().await;
    let source = Source {
        owner: Owner::CustomLambda,
        identifier: Some("http://127.0.0.1:9/periodic".into()),
        details: vec![SourceDetail {
            message_type: "ScheduledNotification".into(),
            maximum_execution_frequency: Some("One_Hour".into()),
        }],
        policy: None,
    };
    fixture.rule("hourly", source).await;
    let queued = || async { fixture.config.store().read(|r| due_invocations(r, i64::MAX, 100)).await.unwrap().len() };
    let start = fixture.tick();
    fixture.config.evaluate_rules(start).await.unwrap();
    assert_eq!(queued().await, 1, "a new rule runs at once");
    fixture.config.evaluate_rules(start + 30 * 60_000).await.unwrap();
    assert_eq!(queued().await, 1, "not again within the hour");
    fixture.config.evaluate_rules(start + 60 * 60_000).await.unwrap();
    assert_eq!(queued().await, 2, "an hour later");
    let first = fixture.config.store().read(|r| due_invocations(r, i64::MAX, 100)).await.unwrap().remove(0);
    assert!(first.body.contains("ScheduledNotification"), "{}", first.body);
}
