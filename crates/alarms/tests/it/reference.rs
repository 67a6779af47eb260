//! Issue 11: the evaluator against a plain reference over random histories. Random raw samples (none, one or
//! several a minute) go through the real write path into a real store; the evaluator fetches, aggregates and
//! judges them; the reference computes each minute's Average by hand, lays out the evaluation range the way
//! semantics.md describes (N + 2 periods, the period under way counted once it has data) and applies M of N with
//! the missing-data rules, written out plainly. Both must agree on the alarm's state.

use proptest::prelude::*;
use skywatch_alarms::AlarmState;
use skywatch_alarms::service::{
    Alarms, Common, DescribeAlarms, DescribeAlarmsInput, Dimension, MetricInput, PutMetricAlarm, PutMetricAlarmInput,
};
use skywatch_metrics::tsdb::{Config, Sample, SeriesKey, Tsdb, WritePoint};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";
const MINUTE: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Treatment {
    Missing,
    Ignore,
    Breaching,
    NotBreaching,
}

impl Treatment {
    fn as_str(self) -> &'static str {
        match self {
            Treatment::Missing => "missing",
            Treatment::Ignore => "ignore",
            Treatment::Breaching => "breaching",
            Treatment::NotBreaching => "notBreaching",
        }
    }
}

/// The reference: `slots` oldest first (`None` missing, else whether it breaches); `None` keeps the state.
fn reference(slots: &[Option<bool>], n: usize, m: usize, missing: Treatment) -> Option<AlarmState> {
    let real: Vec<usize> = (0..slots.len()).filter(|&i| slots[i].is_some()).collect();
    if real.len() >= n {
        let breaching = real[real.len() - n..].iter().filter(|&&i| slots[i] == Some(true)).count();
        return Some(if breaching >= m { AlarmState::Alarm } else { AlarmState::Ok });
    }
    // Fill the most recent missing periods, as few as needed to reach N.
    let wanted = n - real.len();
    let mut fills: Vec<usize> = (0..slots.len()).rev().filter(|&i| slots[i].is_none()).take(wanted).collect();
    fills.sort();
    let fill = match missing {
        Treatment::Breaching => Some(true),
        Treatment::NotBreaching => Some(false),
        _ => None,
    };
    let real_breaching = real.iter().filter(|&&i| slots[i] == Some(true)).count();
    let filled_breaching = if fill == Some(true) { wanted } else { 0 };
    if real_breaching + filled_breaching >= m {
        return Some(AlarmState::Alarm);
    }
    let any_good = real.iter().any(|&i| slots[i] == Some(false)) || (fill == Some(false) && wanted > 0);
    if any_good {
        return Some(AlarmState::Ok);
    }
    match missing {
        Treatment::Ignore => None,
        _ if real.is_empty() => Some(AlarmState::InsufficientData),
        _ => {
            // Only breaching real points, fewer than M: ALARM when the oldest evaluated one is real.
            let oldest = real.iter().chain(fills.iter()).min().copied();
            if oldest.is_some_and(|i| slots[i] == Some(true)) {
                Some(AlarmState::Alarm)
            } else {
                Some(AlarmState::InsufficientData)
            }
        }
    }
}

/// A minute of samples: none, or one to three values.
fn minute() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![2 => Just(Vec::new()), 5 => prop::collection::vec(0.0f64..100.0, 1..4)]
}

fn run_case(
    history: &[Vec<f64>],
    n: usize,
    m: usize,
    missing: Treatment,
    threshold: f64,
) -> (Option<AlarmState>, AlarmState) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let tsdb = Tsdb::open(store.clone(), Config::default()).unwrap();
        let alarms = Alarms::new(store.clone(), tsdb.clone(), skywatch_sns::Sns::new(store.clone()));
        let now_wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        // The newest minute of the history is the one under way: "now" is 30 s into it.
        let current = now_wall / MINUTE * MINUTE;
        let now = current + 30_000;
        let key = SeriesKey::new(ACCOUNT, REGION, "Ref", "Value", vec![("Host".into(), "a".into())]);
        let first = current - (history.len() as i64 - 1) * MINUTE;
        let points: Vec<WritePoint> = history
            .iter()
            .enumerate()
            .flat_map(|(i, samples)| {
                let key = key.clone();
                samples.iter().enumerate().map(move |(j, v)| WritePoint {
                    series: key.clone(),
                    unit: None,
                    timestamp_ms: first + i as i64 * MINUTE + j as i64 * 1_000,
                    sample: Sample::Value(*v),
                })
            })
            .collect();
        let mut prepared = tsdb.prepare(&points);
        store.apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
        tsdb.apply(prepared, now);
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "r", now);
        let input = PutMetricAlarmInput {
            common: Common { alarm_name: "ref".into(), ..Default::default() },
            metric: MetricInput {
                metric_name: Some("Value".into()),
                namespace: Some("Ref".into()),
                statistic: Some("Average".into()),
                dimensions: vec![Dimension { name: "Host".into(), value: "a".into() }],
                period: Some(60),
                evaluation_periods: Some(n as i64),
                datapoints_to_alarm: Some(m as i64),
                threshold: Some(threshold),
                comparison_operator: Some("GreaterThanOrEqualToThreshold".into()),
                treat_missing_data: Some(missing.as_str().into()),
                ..Default::default()
            },
        };
        let effect = PutMetricAlarm::run(&alarms, &ctx, input).await.unwrap();
        store.apply(effect.changes).await.unwrap();
        alarms.evaluate(now, None, true).await.unwrap();
        let described = DescribeAlarms::run(&alarms, &ctx, DescribeAlarmsInput::default()).await.unwrap().reply;
        // The reference: minute averages by hand, the range as semantics.md lays it out.
        let averages: Vec<Option<f64>> =
            history.iter().map(|s| (!s.is_empty()).then(|| s.iter().sum::<f64>() / s.len() as f64)).collect();
        let range = n + 2;
        let under_way_has_data = averages.last().is_some_and(Option::is_some);
        let end = if under_way_has_data { averages.len() } else { averages.len() - 1 };
        let slots: Vec<Option<bool>> = (0..range)
            .map(|k| {
                let index = end as i64 - range as i64 + k as i64;
                usize::try_from(index).ok().and_then(|i| averages[i]).map(|v| v >= threshold)
            })
            .collect();
        (reference(&slots, n, m, missing), described.metric_alarms[0].status.value)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_evaluator_agrees_with_the_reference(
        history in prop::collection::vec(minute(), 1..9),
        n in 1usize..5,
        m_offset in 0usize..5,
        missing in prop::sample::select(vec![Treatment::Missing, Treatment::Ignore, Treatment::Breaching, Treatment::NotBreaching]),
        threshold in 20.0f64..80.0,
    ) {
        let m = 1 + m_offset % n;
        let (want, got) = run_case(&history, n, m, missing, threshold);
        // `None`: keep the state, which for a new alarm is INSUFFICIENT_DATA.
        prop_assert_eq!(want.unwrap_or(AlarmState::InsufficientData), got, "history {:?}", history);
    }
}
