//! GetMetricStatistics through the engine: every statistic on known data, the three datapoint forms agreeing
//! (property test against a reference over the raw values), period rules and validation.

use crate::support;

use proptest::prelude::*;
use skywatch_metrics::tsdb::SeriesKey;
use skywatch_metrics::tsdb::sketch::RELATIVE_ACCURACY;
use skywatch_metrics::{MetricDatum, MetricsQueryError, StatisticValues, StatisticsRequest, get_metric_statistics};
use support::*;

fn request(metric: &str, start_ms: i64, end_ms: i64, period_seconds: i64) -> StatisticsRequest {
    StatisticsRequest {
        series: SeriesKey::new(ACCOUNT, REGION, "App", metric, Vec::new()),
        start_ms,
        end_ms,
        period_seconds,
        statistics: ["SampleCount", "Sum", "Average", "Minimum", "Maximum"].map(str::to_owned).to_vec(),
        extended_statistics: ["p50", "p90", "IQM", "TM(10%:90%)", "PR(:5)", "TC(:5)", "TS(:5)", "WM(10%:90%)"]
            .map(str::to_owned)
            .to_vec(),
        unit: None,
    }
}

fn stat(point: &[(String, f64)], name: &str) -> f64 {
    point.iter().find(|(n, _)| n == name).map(|(_, v)| *v).unwrap_or_else(|| panic!("{name} missing"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_statistic_on_values_one_to_ten() {
    let engine = Engine::start();
    let now = now_hour();
    let t = now - 30 * MINUTE;
    let data: Vec<MetricDatum> = (1..=10).map(|v| value("Ten", &[], t + v * 1000, v as f64)).collect();
    engine.put("App", &data, now).await;
    let points = get_metric_statistics(&engine.tsdb, &request("Ten", t, t + 5 * MINUTE, 300), now).await.unwrap();
    assert_eq!(points.len(), 1);
    let p = &points[0];
    assert_eq!(p.timestamp_ms, t);
    assert_eq!(p.unit, "Count");
    let basic = [("SampleCount", 10.0), ("Sum", 55.0), ("Average", 5.5), ("Minimum", 1.0), ("Maximum", 10.0)];
    for (name, expected) in basic {
        assert_eq!(stat(&p.statistics, name), expected, "{name}");
    }
    // Hand-computed on 1..=10: p50 is 5 (lower median), p90 is 9; IQM and TM(10%:90%) average the middle;
    // PR(:5) = 50% of values are <= 5; TC/TS count and sum them; WM(10%:90%) clamps 1 -> 2 and 10 -> 9.
    let extended = [
        ("p50", 5.0),
        ("p90", 9.0),
        ("IQM", 5.5),
        ("TM(10%:90%)", 5.5),
        ("PR(:5)", 50.0),
        ("TC(:5)", 5.0),
        ("TS(:5)", 15.0),
        ("WM(10%:90%)", 5.5),
    ];
    for (name, expected) in extended {
        let got = stat(&p.extended_statistics, name);
        assert!(
            (got - expected).abs() <= expected.abs() * RELATIVE_ACCURACY * 2.0 + 1e-9,
            "{name}: {got} vs {expected}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn periods_and_units_follow_cloudwatch() {
    let engine = Engine::start();
    let now = now_hour();
    let t = now - 60 * MINUTE;
    let data: Vec<MetricDatum> = (0..6).map(|m| value("Minutes", &[], t + m * MINUTE + 7_000, m as f64)).collect();
    engine.put("App", &data, now).await;
    let basic = |mut r: StatisticsRequest| {
        r.extended_statistics.clear();
        r
    };
    // Start at hh:mm:34 rounds down to the minute; 2-minute periods sum pairs of minutes.
    let points = get_metric_statistics(&engine.tsdb, &basic(request("Minutes", t + 34_000, t + 6 * MINUTE, 120)), now)
        .await
        .unwrap();
    let sums: Vec<(i64, f64)> = points.iter().map(|p| (p.timestamp_ms - t, stat(&p.statistics, "Sum"))).collect();
    assert_eq!(sums, vec![(0, 1.0), (2 * MINUTE, 5.0), (4 * MINUTE, 9.0)]);
    // A unit that does not match the data gives no datapoints.
    let mut seconds = basic(request("Minutes", t, t + 6 * MINUTE, 60));
    seconds.unit = Some("Seconds".into());
    assert!(get_metric_statistics(&engine.tsdb, &seconds, now).await.unwrap().is_empty());
    // Standard-resolution data is kept per minute: a 10-second period sees one bucket per minute.
    let ten =
        get_metric_statistics(&engine.tsdb, &basic(request("Minutes", t, t + 2 * MINUTE, 10)), now).await.unwrap();
    assert_eq!(ten.iter().map(|p| p.timestamp_ms - t).collect::<Vec<_>>(), vec![0, MINUTE]);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_requests_are_refused_with_cloudwatch_codes() {
    let engine = Engine::start();
    let now = now_hour();
    type Case = (&'static str, fn(&mut StatisticsRequest), fn(&MetricsQueryError) -> bool);
    let cases: [Case; 7] = [
        (
            "no statistics",
            |r| {
                r.statistics.clear();
                r.extended_statistics.clear();
            },
            |e| matches!(e, MetricsQueryError::InvalidParameterCombination(_)),
        ),
        ("period 45", |r| r.period_seconds = 45, |e| matches!(e, MetricsQueryError::InvalidParameterValue(_))),
        (
            "start after end",
            |r| r.start_ms = r.end_ms + 1,
            |e| matches!(e, MetricsQueryError::InvalidParameterValue(_)),
        ),
        (
            "too many datapoints",
            |r| r.start_ms = r.end_ms - 1441 * MINUTE,
            |e| matches!(e, MetricsQueryError::InvalidParameterCombination(_)),
        ),
        (
            "bad basic statistic",
            |r| r.statistics = vec!["p99".into()],
            |e| matches!(e, MetricsQueryError::InvalidParameterValue(_)),
        ),
        (
            "bad extended statistic",
            |r| r.extended_statistics = vec!["p101".into()],
            |e| matches!(e, MetricsQueryError::InvalidParameterValue(_)),
        ),
        ("bad unit", |r| r.unit = Some("Parsecs".into()), |e| matches!(e, MetricsQueryError::InvalidParameterValue(_))),
    ];
    for (name, change, expected) in cases {
        let mut r = request("Any", now - 60 * MINUTE, now, 60);
        change(&mut r);
        let error = get_metric_statistics(&engine.tsdb, &r, now).await.unwrap_err();
        assert!(expected(&error), "{name}: {error:?}");
    }
}

/// The exact value at rank floor(q * (n - 1)) of the sorted values.
fn lower_quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((q * (sorted.len() - 1) as f64).floor() as usize).min(sorted.len() - 1)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The same raw values sent one by one, as Values+Counts and as one StatisticValues set agree exactly on
    /// SampleCount, Sum, Average, Minimum and Maximum; single values and Values+Counts agree on percentiles,
    /// which are within the sketch's relative accuracy of the exact lower quantile.
    #[test]
    fn the_three_forms_agree_and_percentiles_are_within_the_bound(
        raw in proptest::collection::vec(prop_oneof![(-1000i32..1000).prop_map(|v| v as f64 / 4.0), 0.001f64..1e6], 1..150)
    ) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let engine = Engine::start();
            let now = now_hour();
            let t = now - 30 * MINUTE;
            let singles: Vec<MetricDatum> = raw.iter().map(|v| value("Single", &[], t, *v)).collect();
            engine.put("App", &singles, now).await;
            let mut distinct: Vec<f64> = raw.clone();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let counts: Vec<f64> = distinct.iter().map(|d| raw.iter().filter(|v| *v == d).count() as f64).collect();
            let counted = MetricDatum { values: distinct.clone(), counts, value: None, ..value("Counted", &[], t, 0.0) };
            engine.put("App", &[counted], now).await;
            let sum: f64 = raw.iter().sum();
            let (min, max) = (distinct[0], distinct[distinct.len() - 1]);
            let set = MetricDatum {
                statistic_values: Some(StatisticValues { sample_count: raw.len() as f64, sum, minimum: min, maximum: max }),
                value: None,
                ..value("Set", &[], t, 0.0)
            };
            engine.put("App", &[set], now).await;
            let mut answers = Vec::new();
            for metric in ["Single", "Counted", "Set"] {
                let mut r = request(metric, t, t + MINUTE, 60);
                r.extended_statistics = vec!["p10".into(), "p50".into(), "p99".into()];
                answers.push(get_metric_statistics(&engine.tsdb, &r, now).await.unwrap().remove(0));
            }
            let basic = |i: usize, name: &str| stat(&answers[i].statistics, name);
            for name in ["SampleCount", "Minimum", "Maximum"] {
                prop_assert_eq!(basic(0, name), basic(1, name), "{}", name);
                prop_assert_eq!(basic(0, name), basic(2, name), "{}", name);
            }
            for name in ["Sum", "Average"] {
                let tolerance = 1e-9 * raw.iter().map(|v| v.abs()).sum::<f64>().max(1.0);
                prop_assert!((basic(0, name) - basic(1, name)).abs() <= tolerance, "{}", name);
                prop_assert!((basic(0, name) - basic(2, name)).abs() <= tolerance, "{}", name);
            }
            prop_assert_eq!(&answers[0].extended_statistics, &answers[1].extended_statistics);
            let mut sorted = raw.clone();
            sorted.sort_by(f64::total_cmp);
            for (q, name) in [(0.10, "p10"), (0.50, "p50"), (0.99, "p99")] {
                let exact = lower_quantile(&sorted, q);
                let got = stat(&answers[0].extended_statistics, name);
                prop_assert!((got - exact).abs() <= exact.abs() * RELATIVE_ACCURACY + 1e-9, "{} {} vs {}", name, got, exact);
            }
            Ok(())
        })?;
    }
}
