//! Issue 11: the alarm operations and the evaluator on a real redb file and the real metrics engine. Operations
//! run as `Services::invoke` runs them: `run`, commit the effect's changes, then its after-commit work.

use skywatch_alarms::AlarmState;
use skywatch_alarms::service::{
    Alarms, Common, CompositeInput, DeleteAlarms, DeleteAlarmsInput, DescribeAlarmHistory, DescribeAlarmHistoryInput,
    DescribeAlarms, DescribeAlarmsInput, DescribedAlarms, Dimension, ListTagsForResource, MetricInput,
    PutCompositeAlarm, PutCompositeAlarmInput, PutMetricAlarm, PutMetricAlarmInput, ResourceInput, SetAlarmState,
    SetAlarmStateInput,
};
use skywatch_metrics::tsdb::{Config, Tsdb};
use skywatch_metrics::{MetricDatum, plan_put};
use skywatch_ops::{AwsError, Context, Operation};
use skywatch_store::Store;

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";
const MINUTE: i64 = 60_000;

struct Fixture {
    alarms: Alarms,
    tsdb: Tsdb,
    sns: skywatch_sns::Sns,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::open(dir)
    }

    fn open(dir: tempfile::TempDir) -> Self {
        let store = Store::open(dir.path()).unwrap();
        let tsdb = Tsdb::open(store.clone(), Config::default()).unwrap();
        let sns = skywatch_sns::Sns::new(store.clone());
        Self { alarms: Alarms::new(store, tsdb.clone(), sns.clone()), tsdb, sns, dir }
    }

    /// Closes everything and opens the same data directory again (a restart).
    fn restart(self) -> Self {
        let Fixture { alarms, tsdb, sns, dir } = self;
        drop(alarms);
        drop(tsdb);
        drop(sns);
        Self::open(dir)
    }

    async fn call<Op: Operation<Engine = Alarms>>(
        &self,
        now_ms: i64,
        input: Op::Input,
    ) -> Result<Op::Output, Op::Error> {
        let ctx =
            Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "request", now_ms);
        let effect = Op::run(&self.alarms, &ctx, input).await?;
        self.alarms.store().apply(effect.changes).await.unwrap();
        if let Some(work) = effect.after_commit {
            work();
        }
        match effect.partial {
            Some(error) => Err(error),
            None => Ok(effect.reply),
        }
    }

    async fn put_data(&self, metric: &str, points: &[(i64, f64)], now_ms: i64) {
        let data: Vec<MetricDatum> = points
            .iter()
            .map(|(t, v)| MetricDatum {
                metric_name: metric.into(),
                dimensions: vec![("Host".into(), "web-1".into())],
                timestamp_ms: Some(*t),
                value: Some(*v),
                ..Default::default()
            })
            .collect();
        let planned = plan_put(ACCOUNT, REGION, "Shop", &data, now_ms).unwrap();
        let mut prepared = self.tsdb.prepare(&planned);
        self.tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
        self.tsdb.apply(prepared, now_ms);
    }

    async fn describe(&self, now_ms: i64, input: DescribeAlarmsInput) -> DescribedAlarms {
        self.call::<DescribeAlarms>(now_ms, input).await.unwrap()
    }

    async fn state(&self, now_ms: i64, name: &str) -> (AlarmState, String) {
        let types = vec!["MetricAlarm".into(), "CompositeAlarm".into()];
        let found = self
            .describe(
                now_ms,
                DescribeAlarmsInput { alarm_names: vec![name.into()], alarm_types: types, ..Default::default() },
            )
            .await;
        let view = found.metric_alarms.into_iter().chain(found.composite_alarms).next().expect("alarm exists");
        (view.status.value, view.status.reason)
    }
}

fn now_minute() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    now / MINUTE * MINUTE
}

fn cpu_alarm(name: &str, n: i64, m: Option<i64>, missing: Option<&str>) -> PutMetricAlarmInput {
    PutMetricAlarmInput {
        common: Common { alarm_name: name.into(), ..Default::default() },
        metric: MetricInput {
            metric_name: Some("CPUUtilization".into()),
            namespace: Some("Shop".into()),
            statistic: Some("Average".into()),
            dimensions: vec![Dimension { name: "Host".into(), value: "web-1".into() }],
            period: Some(60),
            evaluation_periods: Some(n),
            datapoints_to_alarm: m,
            threshold: Some(80.0),
            comparison_operator: Some("GreaterThanThreshold".into()),
            treat_missing_data: missing.map(str::to_owned),
            ..Default::default()
        },
    }
}

#[tokio::test]
async fn a_new_alarm_is_unchecked_and_an_update_keeps_its_state() {
    let fx = Fixture::start();
    let now = now_minute();
    fx.call::<PutMetricAlarm>(now, cpu_alarm("cpu", 1, None, None)).await.unwrap();
    assert_eq!(fx.state(now, "cpu").await, (AlarmState::InsufficientData, "Unchecked: Initial alarm creation".into()));
    fx.call::<SetAlarmState>(
        now,
        SetAlarmStateInput {
            alarm_name: "cpu".into(),
            state_value: "ALARM".into(),
            state_reason: "testing".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    fx.call::<PutMetricAlarm>(now + 1, cpu_alarm("cpu", 3, Some(2), None)).await.unwrap();
    assert_eq!(fx.state(now + 1, "cpu").await, (AlarmState::Alarm, "testing".into()));
}

/// Issue 11: PutMetricAlarm refuses what CloudWatch refuses, with its code.
#[tokio::test]
async fn put_metric_alarm_validation_cases() {
    let fx = Fixture::start();
    let now = now_minute();
    type Edit = fn(&mut PutMetricAlarmInput);
    let cases: &[(&str, Edit, &str, &str)] = &[
        ("period not 10/20/30/60k", |i| i.metric.period = Some(45), "ValidationError", "Period must be 10, 20, 30"),
        (
            "a day of one-minute periods is the most",
            |i| i.metric.evaluation_periods = Some(1441),
            "ValidationError",
            "more than a day",
        ),
        (
            "hourly periods may span a week",
            |i| {
                i.metric.period = Some(3600);
                i.metric.evaluation_periods = Some(169)
            },
            "ValidationError",
            "more than a week",
        ),
        ("M above N", |i| i.metric.datapoints_to_alarm = Some(2), "ValidationError", "DatapointsToAlarm"),
        (
            "both statistics",
            |i| i.metric.extended_statistic = Some("p99".into()),
            "InvalidParameterCombination",
            "mutually exclusive",
        ),
        ("unknown statistic", |i| i.metric.statistic = Some("Median".into()), "InvalidParameterValue", "Median"),
        ("no comparison", |i| i.metric.comparison_operator = None, "MissingParameter", "ComparisonOperator"),
        (
            "band operator without a band",
            |i| i.metric.comparison_operator = Some("GreaterThanUpperThreshold".into()),
            "ValidationError",
            "ThresholdMetricId",
        ),
        ("no threshold", |i| i.metric.threshold = None, "MissingParameter", "Threshold"),
        (
            "bad missing-data option",
            |i| i.metric.treat_missing_data = Some("zero".into()),
            "ValidationError",
            "TreatMissingData",
        ),
        (
            "six actions",
            |i| i.common.alarm_actions = (0..6).map(|k| format!("arn:aws:sns:us-east-1:0:t{k}")).collect(),
            "ValidationError",
            "less than or equal to 5",
        ),
        (
            "not an action",
            |i| i.common.ok_actions = vec!["mailto:ops@example.com".into()],
            "ValidationError",
            "Invalid arn syntax",
        ),
    ];
    for (what, edit, code, words) in cases {
        let mut input = cpu_alarm("cpu", 1, None, None);
        edit(&mut input);
        let error = fx.call::<PutMetricAlarm>(now, input).await.expect_err(what);
        assert_eq!(error.code().audit_code(), *code, "{what}: {error}");
        assert!(error.to_string().contains(words), "{what}: {error}");
    }
    let described = fx.describe(now, DescribeAlarmsInput::default()).await;
    assert!(described.metric_alarms.is_empty(), "nothing refused was stored");
}

#[tokio::test]
async fn metric_math_alarms_need_exactly_one_returning_query() {
    use skywatch_alarms::definition::{AlarmQuery, MetricStat};
    let fx = Fixture::start();
    let stat = |id: &str| AlarmQuery {
        id: id.into(),
        metric_stat: Some(MetricStat {
            namespace: "Shop".into(),
            metric_name: "Errors".into(),
            dimensions: vec![],
            period: 60,
            stat: "Sum".into(),
            unit: None,
        }),
        expression: None,
        label: None,
        return_data: Some(false),
        period: None,
        account_id: None,
    };
    let expression = AlarmQuery {
        id: "rate".into(),
        metric_stat: None,
        expression: Some("100 * errors / requests".into()),
        label: None,
        return_data: None,
        period: None,
        account_id: None,
    };
    let mut input = cpu_alarm("error-rate", 1, None, None);
    input.metric = MetricInput {
        metrics: vec![stat("errors"), stat("requests"), expression.clone()],
        evaluation_periods: Some(1),
        threshold: Some(5.0),
        comparison_operator: Some("GreaterThanThreshold".into()),
        ..Default::default()
    };
    fx.call::<PutMetricAlarm>(now_minute(), input.clone()).await.unwrap();
    input.metric.metrics[0].return_data = Some(true);
    let error = fx.call::<PutMetricAlarm>(now_minute(), input).await.unwrap_err();
    assert_eq!(error.to_string(), "Exactly one element of the metrics list should return data.");
}

/// Issue 11: breaching data moves the alarm to ALARM within one pass, with CloudWatch's reason; the history keeps
/// the transition; the state survives a restart; data back under the threshold moves it to OK.
#[tokio::test]
async fn breaching_data_raises_the_alarm_and_the_state_survives_a_restart() {
    let fx = Fixture::start();
    let now = now_minute();
    fx.call::<PutMetricAlarm>(now - 10 * MINUTE, cpu_alarm("cpu", 3, Some(2), None)).await.unwrap();
    fx.put_data("CPUUtilization", &[(now - 2 * MINUTE, 95.0), (now - MINUTE, 20.0), (now, 97.5)], now).await;
    let pass = fx.alarms.evaluate(now + 5_000, None, true).await.unwrap();
    assert_eq!((pass.evaluated, pass.transitions), (1, 1));
    let (state, reason) = fx.state(now, "cpu").await;
    assert_eq!(state, AlarmState::Alarm);
    assert!(
        reason.starts_with("Threshold Crossed: 2 out of the last 3 datapoints [97.5 (") && reason.ends_with("was greater than the threshold (80.0) (minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition).".replace("was", "were").as_str()),
        "{reason}"
    );
    let again = fx.alarms.evaluate(now + 15_000, Some(now + 5_000), true).await.unwrap();
    assert_eq!(again.evaluated, 0, "a standard alarm is evaluated once a minute");

    let fx = fx.restart();
    assert_eq!(fx.state(now, "cpu").await.0, AlarmState::Alarm, "the state survives a restart");
    let later = now + 3 * MINUTE;
    fx.put_data("CPUUtilization", &[(now + MINUTE, 10.0), (now + 2 * MINUTE, 12.0), (later, 11.0)], later).await;
    fx.alarms.evaluate(later + 1_000, None, true).await.unwrap();
    assert_eq!(fx.state(later, "cpu").await.0, AlarmState::Ok);
    let history = fx
        .call::<DescribeAlarmHistory>(
            later,
            DescribeAlarmHistoryInput {
                alarm_name: Some("cpu".into()),
                history_item_type: Some("StateUpdate".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let summaries: Vec<&str> = history.items.iter().map(|i| i.summary.as_str()).collect();
    assert_eq!(summaries, ["Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM"]);
}

/// Issue 11: missing data per TreatMissingData (semantics.md's vectors in the evaluator, end to end).
#[tokio::test]
async fn missing_data_follows_treat_missing_data() {
    let fx = Fixture::start();
    let now = now_minute();
    for (name, missing) in
        [("missing", "missing"), ("breaching", "breaching"), ("not-breaching", "notBreaching"), ("ignore", "ignore")]
    {
        fx.call::<PutMetricAlarm>(now - 10 * MINUTE, cpu_alarm(name, 3, None, Some(missing))).await.unwrap();
    }
    // `- - - - X`: one breaching point, the newest.
    fx.put_data("CPUUtilization", &[(now, 99.0)], now).await;
    fx.alarms.evaluate(now + 1_000, None, true).await.unwrap();
    assert_eq!(fx.state(now, "missing").await.0, AlarmState::InsufficientData);
    assert_eq!(fx.state(now, "breaching").await.0, AlarmState::Alarm);
    assert_eq!(fx.state(now, "not-breaching").await.0, AlarmState::Ok);
    assert_eq!(fx.state(now, "ignore").await.0, AlarmState::InsufficientData, "ignore keeps the state");
}

/// Issue 11: a composite alarm follows its child at once; the child cannot be deleted while the composite names
/// it; DescribeAlarms finds parents and children.
#[tokio::test]
async fn composite_alarms_follow_children_and_protect_them() {
    let fx = Fixture::start();
    let now = now_minute();
    fx.call::<PutMetricAlarm>(now, cpu_alarm("cpu", 1, None, None)).await.unwrap();
    fx.call::<PutMetricAlarm>(now, cpu_alarm("latency", 1, None, None)).await.unwrap();
    let composite = |rule: &str| PutCompositeAlarmInput {
        common: Common { alarm_name: "shop-down".into(), ..Default::default() },
        composite: CompositeInput { alarm_rule: rule.into(), ..Default::default() },
    };
    let error = fx.call::<PutCompositeAlarm>(now, composite("ALARM(cpu) AND ALARM(nope)")).await.unwrap_err();
    assert_eq!(error.to_string(), "Could not save the composite alarm as alarms [nope] in the alarm rule do not exist");
    fx.call::<PutCompositeAlarm>(now, composite("ALARM(cpu) OR ALARM(\"latency\")")).await.unwrap();
    fx.alarms.evaluate(now, None, false).await.unwrap();
    assert_eq!(fx.state(now, "shop-down").await.0, AlarmState::Ok);
    fx.call::<SetAlarmState>(
        now + 1,
        SetAlarmStateInput {
            alarm_name: "cpu".into(),
            state_value: "ALARM".into(),
            state_reason: "drill".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    fx.alarms.evaluate(now + 2, None, false).await.unwrap();
    let (state, reason) = fx.state(now + 2, "shop-down").await;
    assert_eq!(state, AlarmState::Alarm);
    assert!(
        reason.starts_with("arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu transitioned to ALARM at "),
        "{reason}"
    );

    let parents =
        fx.describe(now, DescribeAlarmsInput { parents_of_alarm_name: Some("cpu".into()), ..Default::default() }).await;
    assert_eq!(parents.composite_alarms.iter().map(|v| v.alarm.name.as_str()).collect::<Vec<_>>(), ["shop-down"]);
    let children = fx
        .describe(now, DescribeAlarmsInput { children_of_alarm_name: Some("shop-down".into()), ..Default::default() })
        .await;
    assert_eq!(children.metric_alarms.len(), 2);
    let only_metric = fx.describe(now, DescribeAlarmsInput::default()).await;
    assert!(only_metric.composite_alarms.is_empty(), "without AlarmTypes, metric alarms only");

    let refused =
        fx.call::<DeleteAlarms>(now, DeleteAlarmsInput { alarm_names: vec!["cpu".into()] }).await.unwrap_err();
    assert_eq!(refused.to_string(), "Cannot delete cpu as there are composite alarm(s) depending on it.");
    assert_eq!(refused.code().audit_code(), "ValidationError");
    fx.call::<DeleteAlarms>(now, DeleteAlarmsInput { alarm_names: vec!["shop-down".into(), "cpu".into()] })
        .await
        .unwrap();
    let left = fx
        .describe(
            now,
            DescribeAlarmsInput {
                alarm_types: vec!["MetricAlarm".into(), "CompositeAlarm".into()],
                ..Default::default()
            },
        )
        .await;
    assert_eq!(left.metric_alarms.iter().map(|v| v.alarm.name.as_str()).collect::<Vec<_>>(), ["latency"]);
    assert!(left.composite_alarms.is_empty());
}

#[tokio::test]
async fn describe_alarms_pages_by_name_and_filters_by_state() {
    let fx = Fixture::start();
    let now = now_minute();
    for i in 0..7 {
        fx.call::<PutMetricAlarm>(now, cpu_alarm(&format!("a{i}"), 1, None, None)).await.unwrap();
    }
    fx.call::<SetAlarmState>(
        now,
        SetAlarmStateInput {
            alarm_name: "a3".into(),
            state_value: "OK".into(),
            state_reason: "x".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = fx
            .describe(
                now,
                DescribeAlarmsInput { max_records: Some(3), next_token: token.clone(), ..Default::default() },
            )
            .await;
        names.extend(page.metric_alarms.iter().map(|v| v.alarm.name.clone()));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(names, ["a0", "a1", "a2", "a3", "a4", "a5", "a6"]);
    let ok = fx.describe(now, DescribeAlarmsInput { state_value: Some("OK".into()), ..Default::default() }).await;
    assert_eq!(ok.metric_alarms.iter().map(|v| v.alarm.name.as_str()).collect::<Vec<_>>(), ["a3"]);
    let prefixed =
        fx.describe(now, DescribeAlarmsInput { alarm_name_prefix: Some("a5".into()), ..Default::default() }).await;
    assert_eq!(prefixed.metric_alarms.len(), 1);
    let bad = fx
        .call::<DescribeAlarms>(now, DescribeAlarmsInput { next_token: Some("junk".into()), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(bad.code().audit_code(), "InvalidNextToken");
}

#[tokio::test]
async fn tags_need_an_existing_alarm_arn() {
    let fx = Fixture::start();
    let now = now_minute();
    let mut input = cpu_alarm("cpu", 1, None, None);
    input.common.tags = vec![skywatch_alarms::service::Tag { key: "team".into(), value: "shop".into() }];
    fx.call::<PutMetricAlarm>(now, input).await.unwrap();
    let arn = "arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu".to_owned();
    let tags = fx.call::<ListTagsForResource>(now, ResourceInput { resource_arn: arn }).await.unwrap();
    assert_eq!(tags, [("team".to_owned(), "shop".to_owned())]);
    let missing = "arn:aws:cloudwatch:us-east-1:000000000000:alarm:nope".to_owned();
    let error = fx.call::<ListTagsForResource>(now, ResourceInput { resource_arn: missing }).await.unwrap_err();
    assert_eq!(error.code().audit_code(), "ResourceNotFoundException");
}

impl Fixture {
    fn ctx(&self, now_ms: i64) -> Context {
        Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "request", now_ms)
    }

    /// A topic with one confirmed HTTP subscription; returns the topic's ARN.
    async fn topic(&self, name: &str) -> String {
        use skywatch_sns::{
            ConfirmSubscription, ConfirmSubscriptionInput, CreateTopic, CreateTopicInput, Subscribe, SubscribeInput,
        };
        let ctx = self.ctx(now_minute());
        let run = |effect: skywatch_ops::Effect<String, skywatch_sns::SnsError>| async move {
            self.sns.store().apply(effect.changes).await.unwrap();
            effect.reply
        };
        let topic =
            run(CreateTopic::run(&self.sns, &ctx, CreateTopicInput { name: name.into(), ..Default::default() })
                .await
                .unwrap())
            .await;
        let subscribe = SubscribeInput {
            topic_arn: topic.clone(),
            protocol: "http".into(),
            endpoint: Some("http://127.0.0.1:9/".into()),
            ..Default::default()
        };
        run(Subscribe::run(&self.sns, &ctx, subscribe).await.unwrap()).await;
        let pending = self.deliveries().await;
        let confirmation = pending.iter().find(|d| d.topic_arn == topic).expect("a confirmation is queued");
        let body: serde_json::Value = serde_json::from_str(&confirmation.body).unwrap();
        let token = body["Token"].as_str().unwrap().to_owned();
        let confirm = ConfirmSubscriptionInput { topic_arn: topic.clone(), token, ..Default::default() };
        run(ConfirmSubscription::run(&self.sns, &ctx, confirm).await.unwrap()).await;
        topic
    }

    async fn deliveries(&self) -> Vec<skywatch_sns::storage::Delivery> {
        self.sns.store().read(|r| skywatch_sns::storage::due(r, i64::MAX - 1, 1000)).await.unwrap()
    }

    async fn history(&self, name: &str, kind: &str) -> Vec<String> {
        let input = DescribeAlarmHistoryInput {
            alarm_name: Some(name.into()),
            history_item_type: Some(kind.into()),
            ..Default::default()
        };
        self.call::<DescribeAlarmHistory>(now_minute(), input)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.summary)
            .collect()
    }
}

/// Issue 11: a transition publishes CloudWatch's alarm message to the alarm's topic, queued with the state change,
/// and records the action; an EC2 action is recorded against the alarm's instance.
#[tokio::test]
async fn actions_publish_to_topics_and_record_ec2_actions() {
    let fx = Fixture::start();
    let now = now_minute();
    let topic = fx.topic("ops").await;
    let before = fx.deliveries().await.len();
    let mut input = cpu_alarm("cpu", 1, None, None);
    input.common.alarm_actions = vec![topic.clone(), "arn:aws:automate:us-east-1:ec2:stop".into()];
    input.metric.dimensions = vec![Dimension { name: "InstanceId".into(), value: "i-0abc".into() }];
    fx.call::<PutMetricAlarm>(now, input).await.unwrap();
    fx.call::<SetAlarmState>(
        now,
        SetAlarmStateInput {
            alarm_name: "cpu".into(),
            state_value: "ALARM".into(),
            state_reason: "drill".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    let queued = fx.deliveries().await;
    assert_eq!(queued.len(), before + 1, "one notification to the one subscriber");
    let queued = queued.iter().find(|d| d.message_type == "Notification").expect("a notification is queued");
    let notification: serde_json::Value = serde_json::from_str(&queued.body).unwrap();
    assert_eq!(notification["Subject"], "ALARM: \"cpu\" in US East (N. Virginia)");
    let message: serde_json::Value = serde_json::from_str(notification["Message"].as_str().unwrap()).unwrap();
    assert_eq!((message["NewStateValue"].as_str(), message["NewStateReason"].as_str()), (Some("ALARM"), Some("drill")));
    let mut actions = fx.history("cpu", "Action").await;
    actions.sort();
    assert_eq!(
        actions,
        [
            "Successfully executed action arn:aws:automate:us-east-1:ec2:stop".to_owned(),
            format!("Successfully executed action {topic}")
        ]
    );

    // Disabled actions do nothing; a missing topic is a failed action.
    fx.call::<skywatch_alarms::service::DisableAlarmActions>(
        now,
        skywatch_alarms::service::AlarmActionsInput { alarm_names: vec!["cpu".into()] },
    )
    .await
    .unwrap();
    fx.call::<SetAlarmState>(
        now + 1,
        SetAlarmStateInput {
            alarm_name: "cpu".into(),
            state_value: "OK".into(),
            state_reason: "calm".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(fx.deliveries().await.len(), before + 1);
    let mut gone = cpu_alarm("gone", 1, None, None);
    gone.common.ok_actions = vec!["arn:aws:sns:us-east-1:000000000000:nope".into()];
    fx.call::<PutMetricAlarm>(now, gone).await.unwrap();
    fx.call::<SetAlarmState>(
        now,
        SetAlarmStateInput {
            alarm_name: "gone".into(),
            state_value: "OK".into(),
            state_reason: "x".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    let failed = fx.history("gone", "Action").await;
    assert_eq!(
        failed,
        ["Failed to execute action arn:aws:sns:us-east-1:000000000000:nope. Received error: \"Topic does not exist\""]
    );
}

/// Issue 11: a composite alarm's actions are suppressed while its ActionsSuppressor is in ALARM, and held for the
/// wait period, then run when the suppressor stayed out of ALARM.
#[tokio::test]
async fn the_actions_suppressor_holds_composite_actions() {
    let fx = Fixture::start();
    let now = now_minute();
    let topic = fx.topic("pager").await;
    for name in ["cpu", "maintenance"] {
        fx.call::<PutMetricAlarm>(now, cpu_alarm(name, 1, None, None)).await.unwrap();
    }
    let composite = |wait: i64| PutCompositeAlarmInput {
        common: Common { alarm_name: "page".into(), alarm_actions: vec![topic.clone()], ..Default::default() },
        composite: CompositeInput {
            alarm_rule: "ALARM(cpu)".into(),
            actions_suppressor: Some("maintenance".into()),
            actions_suppressor_wait_period: Some(wait),
            actions_suppressor_extension_period: Some(60),
        },
    };
    fx.call::<PutCompositeAlarm>(now, composite(0)).await.unwrap();
    let set = |name: &str, state: &str| SetAlarmStateInput {
        alarm_name: name.into(),
        state_value: state.into(),
        state_reason: "t".into(),
        state_reason_data: None,
    };
    fx.call::<SetAlarmState>(now, set("maintenance", "ALARM")).await.unwrap();
    fx.call::<SetAlarmState>(now, set("cpu", "ALARM")).await.unwrap();
    let before = fx.deliveries().await.len();
    fx.alarms.evaluate(now + 1, None, false).await.unwrap();
    let types = vec!["CompositeAlarm".to_owned()];
    let described = fx
        .describe(
            now,
            DescribeAlarmsInput { alarm_names: vec!["page".into()], alarm_types: types.clone(), ..Default::default() },
        )
        .await;
    let page = &described.composite_alarms[0];
    assert_eq!(page.status.value, AlarmState::Alarm);
    assert_eq!(page.status.suppressed_by.as_deref(), Some("Alarm"));
    assert_eq!(fx.deliveries().await.len(), before, "suppressed: nothing published");

    // With a wait period and the suppressor out of ALARM (and past its extension), actions wait, then run.
    fx.call::<SetAlarmState>(now, set("maintenance", "OK")).await.unwrap();
    fx.call::<SetAlarmState>(now + 2, set("cpu", "OK")).await.unwrap();
    fx.alarms.evaluate(now + 3, None, false).await.unwrap();
    fx.call::<PutCompositeAlarm>(now + 4, composite(120)).await.unwrap();
    let later = now + 120_000;
    fx.call::<SetAlarmState>(later, set("cpu", "ALARM")).await.unwrap();
    fx.alarms.evaluate(later + 1, None, false).await.unwrap();
    let described = fx
        .describe(
            later,
            DescribeAlarmsInput { alarm_names: vec!["page".into()], alarm_types: types.clone(), ..Default::default() },
        )
        .await;
    assert_eq!(described.composite_alarms[0].status.suppressed_by.as_deref(), Some("WaitPeriod"));
    let waiting = fx.deliveries().await.len();
    fx.alarms.evaluate(later + 121_000, None, false).await.unwrap();
    assert_eq!(fx.deliveries().await.len(), waiting + 1, "the held actions ran when the wait ended");
    let described = fx
        .describe(
            later,
            DescribeAlarmsInput { alarm_names: vec!["page".into()], alarm_types: types, ..Default::default() },
        )
        .await;
    assert_eq!(described.composite_alarms[0].status.suppressed_by, None);
}

/// Issue 11: an anomaly detection alarm: the band is trained on the metric's own history (the day before), and a
/// datapoint outside it raises the alarm; the reason data carries the band.
#[tokio::test]
async fn an_anomaly_band_alarm_fires_on_an_outlier() {
    use skywatch_alarms::definition::{AlarmQuery, MetricStat};
    let fx = Fixture::start();
    let now = now_minute();
    // A steady day: 50 give or take 1, every five minutes.
    let history: Vec<(i64, f64)> = (1..288).map(|k| (now - k * 5 * MINUTE, 50.0 + (k % 3) as f64 - 1.0)).collect();
    fx.put_data("Latency", &history, now).await;
    let watched = AlarmQuery {
        id: "m1".into(),
        metric_stat: Some(MetricStat {
            namespace: "Shop".into(),
            metric_name: "Latency".into(),
            dimensions: vec![("Host".into(), "web-1".into())],
            period: 300,
            stat: "Average".into(),
            unit: None,
        }),
        expression: None,
        label: None,
        return_data: Some(true),
        period: None,
        account_id: None,
    };
    let band = AlarmQuery {
        id: "ad1".into(),
        metric_stat: None,
        expression: Some("ANOMALY_DETECTION_BAND(m1, 2)".into()),
        label: None,
        return_data: Some(true),
        period: None,
        account_id: None,
    };
    let input = PutMetricAlarmInput {
        common: Common { alarm_name: "latency-anomaly".into(), ..Default::default() },
        metric: MetricInput {
            metrics: vec![watched, band],
            threshold_metric_id: Some("ad1".into()),
            evaluation_periods: Some(1),
            comparison_operator: Some("LessThanLowerOrGreaterThanUpperThreshold".into()),
            ..Default::default()
        },
    };
    fx.call::<PutMetricAlarm>(now, input.clone()).await.unwrap();
    fx.alarms.evaluate(now + 1_000, None, true).await.unwrap();
    assert_eq!(fx.state(now, "latency-anomaly").await.0, AlarmState::Ok, "inside the band");
    fx.put_data("Latency", &[(now, 95.0)], now).await;
    fx.alarms.evaluate(now + 2_000, Some(now - MINUTE), true).await.unwrap();
    let (state, reason) = fx.state(now, "latency-anomaly").await;
    assert_eq!(state, AlarmState::Alarm);
    assert!(reason.contains("[95.0 (") && reason.contains("was outside the band ("), "{reason}");
    let mut with_threshold = input;
    with_threshold.metric.threshold = Some(1.0);
    let refused = fx.call::<PutMetricAlarm>(now, with_threshold).await.unwrap_err();
    assert_eq!(refused.code().audit_code(), "InvalidParameterCombination");
}

/// Issue 11: DescribeAlarmHistory pages newest first (or oldest first) with a token, and filters by dates.
#[tokio::test]
async fn alarm_history_pages_and_filters_by_date() {
    let fx = Fixture::start();
    let now = now_minute();
    fx.call::<PutMetricAlarm>(now, cpu_alarm("flappy", 1, None, None)).await.unwrap();
    for k in 1..=6 {
        let state = if k % 2 == 0 { "OK" } else { "ALARM" };
        let input = SetAlarmStateInput {
            alarm_name: "flappy".into(),
            state_value: state.into(),
            state_reason: format!("flip {k}"),
            state_reason_data: None,
        };
        fx.call::<SetAlarmState>(now + k * 1_000, input).await.unwrap();
    }
    let page = |token: Option<String>, scan: Option<&str>| DescribeAlarmHistoryInput {
        alarm_name: Some("flappy".into()),
        history_item_type: Some("StateUpdate".into()),
        max_records: Some(4),
        next_token: token,
        scan_by: scan.map(str::to_owned),
        ..Default::default()
    };
    let first = fx.call::<DescribeAlarmHistory>(now, page(None, None)).await.unwrap();
    assert_eq!(first.items.len(), 4);
    assert!(first.items.windows(2).all(|w| w[0].timestamp_ms >= w[1].timestamp_ms), "newest first");
    let second = fx.call::<DescribeAlarmHistory>(now, page(first.next_token.clone(), None)).await.unwrap();
    assert_eq!(second.items.len(), 2);
    assert_eq!(second.next_token, None);
    let ascending = fx.call::<DescribeAlarmHistory>(now, page(None, Some("TimestampAscending"))).await.unwrap();
    assert_eq!(ascending.items[0].summary, "Alarm updated from INSUFFICIENT_DATA to ALARM");
    let window = DescribeAlarmHistoryInput {
        alarm_name: Some("flappy".into()),
        start_date_ms: Some(now + 2_000),
        end_date_ms: Some(now + 3_000),
        ..Default::default()
    };
    assert_eq!(fx.call::<DescribeAlarmHistory>(now, window).await.unwrap().items.len(), 2);
    let wrong = DescribeAlarmHistoryInput { next_token: first.next_token, ..Default::default() };
    let describe_token = DescribeAlarmsInput { next_token: wrong.next_token.clone(), ..Default::default() };
    assert_eq!(
        fx.call::<DescribeAlarms>(now, describe_token).await.unwrap_err().code().audit_code(),
        "InvalidNextToken",
        "a history token is not an alarms token"
    );
}

/// Issue 11: alarm history is kept two weeks, a deleted alarm's too; older entries go, from both indexes.
#[tokio::test]
async fn alarm_history_older_than_two_weeks_is_removed() {
    use skywatch_alarms::service::retention::{HISTORY_RETENTION_MS, expire_history};
    let fx = Fixture::start();
    let now = now_minute();
    let old = now - HISTORY_RETENTION_MS - 10 * MINUTE;
    fx.call::<PutMetricAlarm>(old, cpu_alarm("old", 1, None, None)).await.unwrap();
    fx.call::<SetAlarmState>(
        old + 1,
        SetAlarmStateInput {
            alarm_name: "old".into(),
            state_value: "ALARM".into(),
            state_reason: "then".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    fx.call::<SetAlarmState>(
        now,
        SetAlarmStateInput {
            alarm_name: "old".into(),
            state_value: "OK".into(),
            state_reason: "now".into(),
            state_reason_data: None,
        },
    )
    .await
    .unwrap();
    let removed = expire_history(fx.alarms.store(), now).await.unwrap();
    assert_eq!(removed, 2, "the creation and the old transition");
    let by_name = DescribeAlarmHistoryInput { alarm_name: Some("old".into()), ..Default::default() };
    let left = fx.call::<DescribeAlarmHistory>(now, by_name).await.unwrap();
    assert_eq!(left.items.iter().map(|i| i.summary.as_str()).collect::<Vec<_>>(), ["Alarm updated from ALARM to OK"]);
    let all = fx.call::<DescribeAlarmHistory>(now, DescribeAlarmHistoryInput::default()).await.unwrap();
    assert_eq!(all.items.len(), 1);
    assert_eq!(expire_history(fx.alarms.store(), now).await.unwrap(), 0, "idempotent");
}
