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
        Self { alarms: Alarms::new(store, tsdb.clone()), tsdb, dir }
    }

    /// Closes everything and opens the same data directory again (a restart).
    fn restart(self) -> Self {
        let Fixture { alarms, tsdb, dir } = self;
        drop(alarms);
        drop(tsdb);
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
