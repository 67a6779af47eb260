//! Hand-computed statistics on small data sets, and tables of valid and invalid statistic spellings.

use crate::statistics_reference;

use skywatch_tsdb::statistic::{Bounds, ParseStatisticError, Statistic};
use skywatch_tsdb::summary::Summary;
use statistics_reference::{Reference, one_at_a_time};

fn parse(s: &str) -> Statistic {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// Values 1..=10, small enough for the sketch to hold exactly: every statistic is exact.
const ONE_TO_TEN: &[(&str, Option<f64>)] = &[
    ("SampleCount", Some(10.0)),
    ("Sum", Some(55.0)),
    ("Average", Some(5.5)),
    ("Minimum", Some(1.0)),
    ("Maximum", Some(10.0)),
    // Lower quantile at rank floor(q * (n - 1)).
    ("p0", Some(1.0)),
    ("p10", Some(1.0)),
    ("p25", Some(3.0)),
    ("p50", Some(5.0)),
    ("p90", Some(9.0)),
    ("p99", Some(9.0)),
    ("p99.9", Some(9.0)),
    ("p100", Some(10.0)),
    // Rank stretches: tm90 keeps ranks [0, 9) = 1..9; TM(10%:90%) keeps 2..9; IQM keeps [2.5, 7.5): half of 3,
    // 4..7 and half of 8.
    ("tm90", Some(5.0)),
    ("tm50", Some(3.0)),
    ("TM(10%:90%)", Some(5.5)),
    ("IQM", Some(5.5)),
    ("TM(25%:75%)", Some(5.5)),
    ("TM(90%:)", Some(10.0)),
    ("TM(0%:100%)", Some(5.5)),
    // Absolute bounds keep (a, b].
    ("TM(2:8)", Some(5.5)),
    ("TM(:3)", Some(2.0)),
    ("TM(8:)", Some(9.5)),
    ("TM(10:)", None),
    // Winsorized: wm90 counts 10 as 9; WM(10%:90%) counts 1 as 2 and 10 as 9; WM(20%:) counts 1 and 2 as 3;
    // WM(3:7) clamps into [3, 7]; WM(:5) clamps down to 5.
    ("wm90", Some(5.4)),
    ("WM(10%:90%)", Some(5.5)),
    ("WM(20%:)", Some(5.8)),
    ("WM(3:7)", Some(5.2)),
    ("WM(:5)", Some(4.0)),
    ("tc90", Some(9.0)),
    ("TC(10%:90%)", Some(8.0)),
    ("TC(25%:75%)", Some(5.0)),
    ("TC(3:7)", Some(4.0)),
    ("TC(:0)", Some(0.0)),
    ("ts90", Some(45.0)),
    ("TS(80%:)", Some(19.0)),
    ("TS(25%:75%)", Some(27.5)),
    ("TS(3:7)", Some(22.0)),
    ("TS(10:)", Some(0.0)),
    // PR: the percentage of values in (a, b].
    ("PR(:5)", Some(50.0)),
    ("PR(3:7)", Some(40.0)),
    ("PR(:0)", Some(0.0)),
    ("PR(0:)", Some(100.0)),
    ("PR(:10)", Some(100.0)),
    ("PR(10:)", Some(0.0)),
];

#[test]
fn one_to_ten_by_hand() {
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    let summary = one_at_a_time(&values);
    let reference = Reference::new(&values);
    for &(spelling, expected) in ONE_TO_TEN {
        let statistic = parse(spelling);
        for (what, got) in [("summary", statistic.evaluate(&summary)), ("reference", reference.evaluate(&statistic))] {
            match (got, expected) {
                (Some(g), Some(e)) => assert!((g - e).abs() < 1e-12, "{spelling} by the {what}: {g}, expected {e}"),
                (g, e) => assert_eq!(g, e, "{spelling} by the {what}"),
            }
        }
    }
}

#[test]
fn fractional_trimmed_count_of_fifteen_values() {
    let values: Vec<f64> = (1..=15).map(f64::from).collect();
    let summary = one_at_a_time(&values);
    // tc90 keeps ranks [0, 13.5): 1..=13 and half of 14.
    assert_eq!(parse("tc90").evaluate(&summary), Some(13.5));
    assert_eq!(parse("ts90").evaluate(&summary), Some(98.0));
    let tm = parse("tm90").evaluate(&summary).unwrap_or(f64::NAN);
    assert!((tm - 98.0 / 13.5).abs() < 1e-12, "{tm}");
}

/// Values 1..=100 are past the exact limit: the sketch's histogram answers within its stated accuracy.
#[test]
fn one_to_a_hundred_by_hand() {
    let values: Vec<f64> = (1..=100).map(f64::from).collect();
    let summary = one_at_a_time(&values);
    assert!(summary.sketch().is_some_and(|s| !s.is_exact()));
    let exact = [
        ("SampleCount", 100.0),
        ("Sum", 5050.0),
        ("Average", 50.5),
        ("Minimum", 1.0),
        ("Maximum", 100.0),
        ("p0", 1.0),
        ("p100", 100.0),
        ("TC(10%:90%)", 80.0),
        ("tc90", 90.0),
    ];
    for (spelling, expected) in exact {
        assert_eq!(parse(spelling).evaluate(&summary), Some(expected), "{spelling}");
    }
    // Within 1% (the relative accuracy) of the exact answer.
    let approximate = [
        ("p50", 50.0),
        ("p90", 90.0),
        ("p99", 99.0),
        ("TM(10%:90%)", 50.5),
        ("IQM", 50.5),
        ("tm90", 45.5),
        ("TS(10%:90%)", 4040.0),
        ("WM(10%:90%)", 50.5),
        ("WM(20:80)", 50.3),
    ];
    for (spelling, expected) in approximate {
        let got = parse(spelling).evaluate(&summary).unwrap_or(f64::NAN);
        assert!((got - expected).abs() <= 0.01 * expected, "{spelling}: {got}, expected {expected}");
    }
    // TM(20:80) is 50.5 (21..=80), but 20 and 80 are within 1% of a bound and may land on either side.
    let tm = parse("TM(20:80)").evaluate(&summary).unwrap_or(f64::NAN);
    assert!((49.0..=51.0).contains(&tm), "{tm}");
    // PR(:50) is 50% exactly; only values within 1% of 50 (just 50 itself) may land on the wrong side.
    let pr = parse("PR(:50)").evaluate(&summary).unwrap_or(f64::NAN);
    assert!((49.0..=51.0).contains(&pr), "{pr}");
}

/// A histogram's edge buckets list values beyond the extremes (for 1 about 0.99, for 100 about 100.5); clamping
/// into [Minimum, Maximum] makes statistics that land on repeated extremes exact.
#[test]
fn clamping_makes_repeated_extremes_exact() {
    let mut values: Vec<f64> = (1..=100).map(f64::from).collect();
    values.extend([1.0; 50]);
    values.extend([100.0; 50]);
    let summary = one_at_a_time(&values);
    assert!(summary.sketch().is_some_and(|s| !s.is_exact()));
    for (spelling, expected) in [("p1", 1.0), ("p99", 100.0), ("tm1", 1.0), ("TM(99%:)", 100.0), ("TS(99%:)", 200.0)] {
        assert_eq!(parse(spelling).evaluate(&summary), Some(expected), "{spelling}");
    }
}

#[test]
fn nothing_comes_of_an_empty_summary_or_an_unknown_distribution() {
    let unknown = Summary::from_statistic_set(4.0, 10.0, 1.0, 4.0);
    for (spelling, _) in ONE_TO_TEN {
        let statistic = parse(spelling);
        assert_eq!(statistic.evaluate(&Summary::empty()), None, "{spelling}");
        let expected = match *spelling {
            "SampleCount" => Some(4.0),
            "Sum" => Some(10.0),
            "Average" => Some(2.5),
            "Minimum" => Some(1.0),
            "Maximum" => Some(4.0),
            _ => None,
        };
        assert_eq!(statistic.evaluate(&unknown), expected, "{spelling}");
    }
}

#[test]
fn a_single_value_is_exact_for_every_statistic() {
    let summary = Summary::from_value(0.123);
    for spelling in ["p0", "p50", "p99.9", "tm90", "IQM", "WM(10%:90%)", "TM(0:1)"] {
        assert_eq!(parse(spelling).evaluate(&summary), Some(0.123), "{spelling}");
    }
    assert_eq!(parse("PR(0.1:0.123)").evaluate(&summary), Some(100.0));
    assert_eq!(parse("PR(0.123:)").evaluate(&summary), Some(0.0));
}

#[test]
fn valid_spellings() {
    let percent = |lower, upper| Bounds::Percent { lower, upper };
    let absolute = |lower, upper| Bounds::Absolute { lower, upper };
    let table = [
        ("SampleCount", Statistic::SampleCount),
        ("Sum", Statistic::Sum),
        ("Average", Statistic::Average),
        ("Minimum", Statistic::Minimum),
        ("Maximum", Statistic::Maximum),
        ("p99", Statistic::Percentile(99.0)),
        ("p99.99", Statistic::Percentile(99.99)),
        ("p0", Statistic::Percentile(0.0)),
        ("p0.0", Statistic::Percentile(0.0)),
        ("p100", Statistic::Percentile(100.0)),
        ("p99.1234567891", Statistic::Percentile(99.1234567891)),
        ("tm99", Statistic::TrimmedMean(percent(None, Some(99.0)))),
        ("tm99.9", Statistic::TrimmedMean(percent(None, Some(99.9)))),
        ("TM(10%:90%)", Statistic::TrimmedMean(percent(Some(10.0), Some(90.0)))),
        ("TM(:95%)", Statistic::TrimmedMean(percent(None, Some(95.0)))),
        ("TM(10%:)", Statistic::TrimmedMean(percent(Some(10.0), None))),
        ("TM(150:1000)", Statistic::TrimmedMean(absolute(Some(150.0), Some(1000.0)))),
        ("IQM", Statistic::InterquartileMean),
        ("WM(10%:90%)", Statistic::WinsorizedMean(percent(Some(10.0), Some(90.0)))),
        ("wm98", Statistic::WinsorizedMean(percent(None, Some(98.0)))),
        ("PR(:300)", Statistic::PercentileRank { lower: None, upper: Some(300.0) }),
        ("PR(100:2000)", Statistic::PercentileRank { lower: Some(100.0), upper: Some(2000.0) }),
        ("PR(-5:5)", Statistic::PercentileRank { lower: Some(-5.0), upper: Some(5.0) }),
        ("TC(0.005:0.030)", Statistic::TrimmedCount(absolute(Some(0.005), Some(0.03)))),
        ("tc90", Statistic::TrimmedCount(percent(None, Some(90.0)))),
        ("TS(80%:)", Statistic::TrimmedSum(percent(Some(80.0), None))),
        ("ts90", Statistic::TrimmedSum(percent(None, Some(90.0)))),
    ];
    for (spelling, expected) in table {
        assert_eq!(spelling.parse::<Statistic>(), Ok(expected), "{spelling}");
        let basic = ["SampleCount", "Sum", "Average", "Minimum", "Maximum"].contains(&spelling);
        assert_eq!(expected.is_extended(), !basic, "{spelling}");
    }
}

#[test]
fn invalid_spellings_say_why() {
    use ParseStatisticError as E;
    let unknown = |s: &str| E::Unknown(s.to_owned());
    let table = [
        ("", E::Empty),
        ("p", E::InvalidNumber(String::new())),
        ("p101", E::PercentOutOfRange(101.0)),
        ("tm100.5", E::PercentOutOfRange(100.5)),
        ("p-1", E::InvalidNumber("-1".to_owned())),
        ("p1e2", E::InvalidNumber("1e2".to_owned())),
        ("p.5", E::InvalidNumber(".5".to_owned())),
        ("p99.", E::InvalidNumber("99.".to_owned())),
        ("p99 ", E::InvalidNumber("99 ".to_owned())),
        ("p99.12345678901", E::TooManyDecimals("99.12345678901".to_owned())),
        ("TM(90%:10%)", E::InvertedBounds { lower: 90.0, upper: 10.0 }),
        ("TM(5:5)", E::InvertedBounds { lower: 5.0, upper: 5.0 }),
        ("PR(10%:20%)", E::PercentInPercentileRank),
        ("PR(:)", E::NoBounds("PR(:)".to_owned())),
        ("TM(:)", E::NoBounds("TM(:)".to_owned())),
        ("TM(10%:90)", E::MixedBounds("TM(10%:90)".to_owned())),
        ("TM(10%)", E::MissingColon("TM(10%)".to_owned())),
        ("TM(1:2:3)", E::MissingColon("TM(1:2:3)".to_owned())),
        ("TM(-5%:)", E::InvalidNumber("-5".to_owned())),
        ("foo", unknown("foo")),
        ("average", unknown("average")),
        ("P99", unknown("P99")),
        ("tm(10%:90%)", unknown("tm(10%:90%)")),
        ("TM(10%:90%", unknown("TM(10%:90%")),
        ("IQM(25%:75%)", unknown("IQM(25%:75%)")),
        (" p99", unknown(" p99")),
    ];
    for (spelling, expected) in table {
        assert_eq!(spelling.parse::<Statistic>(), Err(expected), "{spelling}");
    }
}

#[test]
fn canonical_spellings() {
    let table = [
        ("p99.0", "p99"),
        ("p99.90", "p99.9"),
        ("TM(:95%)", "tm95"),
        ("tm95", "tm95"),
        ("tm99.9", "tm99.9"),
        ("TM(:0.5%)", "tm0.5"),
        ("TM(25%:75%)", "TM(25%:75%)"),
        ("IQM", "IQM"),
        ("TC(0.005:0.030)", "TC(0.005:0.03)"),
        ("TS(80%:)", "TS(80%:)"),
        ("WM(:5)", "WM(:5)"),
        ("PR(-5:5)", "PR(-5:5)"),
        ("Average", "Average"),
    ];
    for (spelling, canonical) in table {
        assert_eq!(parse(spelling).to_string(), canonical, "{spelling}");
    }
}
