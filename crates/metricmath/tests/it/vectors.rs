//! Hand-computed results of every function and operator on a small grid with gaps.
//!
//! The main request: six one-minute slots (t = 0, 60, ..., 300 s) and
//! ```text
//! m1 = 1  -  3  -  -  6
//! m2 = 2  4  -  10 -  12
//! m3 = -  -  -  -  -  -
//! m4 = 10 20 30 40 50 60
//! m5 = -  2  -  4  -  -
//! e1 = 100 in every slot (an expression: METRICS() does not see it)
//! ```

use crate::common;

use common::{TestContext, s, same_values, show};
use skywatch_metricmath::{Series, Value};

fn main_ctx() -> TestContext {
    TestContext::new(6, 60)
        .metric("m1", "1 - 3 - - 6")
        .metric("m2", "2 4 - 10 - 12")
        .metric("m3", "- - - - - -")
        .metric("m4", "10 20 30 40 50 60")
        .metric("m5", "- 2 - 4 - -")
        .expression("e1", Value::Series(Series::new("e1", Some("e1".into()), s("100 100 100 100 100 100"))))
}

enum Want {
    Scalar(f64),
    Series(&'static str),
    /// The labels of an array's members, in order.
    Labels(&'static [&'static str]),
}

fn check(ctx: &TestContext, cases: &[(&str, Want)]) {
    let mut failures = Vec::new();
    for (text, want) in cases {
        let got = match ctx.eval(text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{text}: error {e}"));
                continue;
            }
        };
        let ok = match (want, &got) {
            (Want::Scalar(w), Value::Scalar(g)) => common::close(*g, *w),
            (Want::Series(w), Value::Series(g)) => same_values(&g.values, &s(w)),
            (Want::Labels(w), Value::Array(items)) => {
                items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>() == w.to_vec()
            }
            _ => false,
        };
        if !ok {
            let shown = match &got {
                Value::Scalar(v) => format!("scalar {v}"),
                Value::Series(g) => format!("series {}", show(&g.values)),
                Value::Array(items) => format!("array {:?}", items.iter().map(|i| &i.label).collect::<Vec<_>>()),
            };
            failures.push(format!("{text}: got {shown}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn arithmetic_between_series_and_scalars() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            // Between two series a slot missing on one side counts as 0; missing on both stays missing.
            ("m1 + m2", Series("3 4 3 10 - 18")),
            ("m1 - m2", Series("-1 -4 3 -10 - -6")),
            ("m1 * m2", Series("2 0 0 0 - 72")),
            // Division by zero drops the datapoint (4/0, 10/0); 0/3 is 0.
            ("m2 / m1", Series("2 - 0 - - 2")),
            ("m1 ^ 2", Series("1 - 9 - - 36")),
            ("2 ^ m1", Series("2 - 8 - - 64")),
            // With a scalar, a missing slot stays missing.
            ("m1 * 2", Series("2 - 6 - - 12")),
            ("10 - m1", Series("9 - 7 - - 4")),
            ("m1 / 0", Series("- - - - - -")),
            ("60 / m4", Series("6 3 2 1.5 1.2 1")),
            ("m1 + 5 / 0", Series("- - - - - -")),
            ("-m1", Series("-1 - -3 - - -6")),
            ("m1 + e1", Series("101 100 103 100 100 106")),
            ("m3 + 1", Series("- - - - - -")),
            ("(m1 + m2) * 2", Series("6 8 6 20 - 36")),
            ("m1 + m2 * 2", Series("5 8 3 20 - 30")),
            // Arrays: each member with the scalar or series, labels kept.
            ("METRICS() * 2", Labels(&["m1", "m2", "m3", "m4", "m5"])),
            ("SUM(METRICS() * 2)", Series("26 52 66 108 100 156")),
            ("SUM(METRICS() - m4)", Series("-37 -74 -117 -146 -200 -222")),
            ("SUM(-METRICS())", Series("-13 -26 -33 -54 -50 -78")),
            ("SUM(100 / [m1, m4])", Series("110 5 36.666666666666664 2.5 2 18.333333333333332")),
        ],
    );
}

#[test]
fn scalar_arithmetic_and_precedence() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            ("2 ^ 3 ^ 2", Scalar(512.0)),
            ("(2 ^ 3) ^ 2", Scalar(64.0)),
            ("-2 ^ 2", Scalar(-4.0)),
            ("(-2) ^ 2", Scalar(4.0)),
            ("2 ^ -1", Scalar(0.5)),
            ("2 * 3 + 4", Scalar(10.0)),
            ("2 + 3 * 4", Scalar(14.0)),
            ("(2 + 3) * 4", Scalar(20.0)),
            ("10 - 4 - 3", Scalar(3.0)),
            ("100 / 10 / 5", Scalar(2.0)),
            ("--3", Scalar(3.0)),
            ("-3 * -2", Scalar(6.0)),
            ("1 + 2 > 2", Scalar(1.0)),
            ("1 < 2 == 1", Scalar(1.0)),
            ("1 OR 1 AND 0", Scalar(1.0)),
            ("1 || 1 && 0", Scalar(1.0)),
            ("NOT 0 AND 0", Scalar(0.0)),
            ("NOT 1 > 2", Scalar(1.0)),
            ("!1 > 2", Scalar(1.0)),
            ("1e3 + 1", Scalar(1001.0)),
            (".5 * 4", Scalar(2.0)),
            ("2.5e-1", Scalar(0.25)),
            ("PERIOD(m1)", Scalar(60.0)),
        ],
    );
}

#[test]
fn comparison_and_logical_operators() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            ("m1 > 2", Series("0 - 1 - - 1")),
            ("m1 < 3", Series("1 - 0 - - 0")),
            ("m1 <= 3", Series("1 - 1 - - 0")),
            ("m1 >= 3", Series("0 - 1 - - 1")),
            ("m1 == 3", Series("0 - 1 - - 0")),
            ("m1 != 3", Series("1 - 0 - - 1")),
            ("m1 > m2", Series("0 0 1 0 - 0")),
            ("m1 AND m2", Series("1 0 0 0 - 1")),
            ("m1 OR m2", Series("1 1 1 1 - 1")),
            ("NOT m1", Series("0 - 0 - - 0")),
            ("NOT (m1 - 3)", Series("0 - 1 - - 0")),
            ("!(m1 - 3)", Series("0 - 1 - - 0")),
            ("m1 > 2 || m2 > 11", Series("0 0 1 0 - 1")),
        ],
    );
    // The example of AWS's "Comparison and logical operators" section.
    let doc = TestContext::new(4, 60).metric("metric1", "30 20 0 0").metric("metric2", "20 - 20 -");
    check(
        &doc,
        &[
            ("(metric1 < metric2)", Series("0 0 1 0")),
            ("(metric1 >= 30)", Series("1 0 0 0")),
            ("(metric1 > 15 AND metric2 > 15)", Series("1 0 0 0")),
        ],
    );
}

#[test]
fn if_follows_the_documented_tables() {
    use Want::*;
    // The examples of AWS's "Using IF expressions".
    let doc = TestContext::new(5, 60)
        .metric("metric1", "1 1 0 0 -")
        .metric("metric2", "30 - 0 0 30")
        .metric("metric3", "0 0 20 - 20");
    check(
        &doc,
        &[
            ("IF(metric1, metric2, metric3)", Series("30 0 20 - -")),
            ("IF(metric1, 5, metric3)", Series("5 5 20 - -")),
            ("IF(metric1, metric2, 5)", Series("30 0 5 5 -")),
            ("IF(metric1, metric2)", Series("30 0 - - -")),
            ("IF(1, metric2, metric3)", Series("30 - 0 0 30")),
            ("IF(0, metric2, metric3)", Series("0 0 20 - 20")),
            ("IF(0, metric2)", Series("- - - - -")),
            ("IF(metric2 > 10, metric2, 0)", Series("30 - 0 0 30")),
            ("IF(metric2 < 400, 10, 2)", Series("10 - 10 10 10")),
            ("IF(metric3 > 10 AND metric1, 1, 0)", Series("0 0 0 0 0")),
        ],
    );
}

#[test]
fn statistics_of_a_series_and_of_an_array() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            ("SUM(m1)", Scalar(10.0)),
            ("AVG(m1)", Scalar(10.0 / 3.0)),
            ("MIN(m1)", Scalar(1.0)),
            ("MAX(m1)", Scalar(6.0)),
            // Population standard deviation of 1, 3, 6: sqrt(114/27).
            ("STDDEV(m1)", Scalar((114.0f64 / 27.0).sqrt())),
            ("DATAPOINT_COUNT(m1)", Scalar(3.0)),
            ("SUM(m1) / DATAPOINT_COUNT(m1)", Scalar(10.0 / 3.0)),
            ("m1 - AVG(m1)", Series("-2.3333333333333335 - -0.3333333333333335 - - 2.6666666666666665")),
            ("MAX(m1) / m1", Series("6 - 2 - - 1")),
            // No datapoints: no value, so nothing survives.
            ("m1 - AVG(m3)", Series("- - - - - -")),
            ("SUM([m1, m2])", Series("3 4 3 10 - 18")),
            // AVG of an array counts a missing value as 0.
            ("AVG([m1, m2])", Series("1.5 2 1.5 5 - 9")),
            ("MIN([m1, m2])", Series("1 4 3 10 - 6")),
            ("MAX([m1, m2])", Series("2 4 3 10 - 12")),
            ("STDDEV([m1, m2])", Series("0.5 0 0 0 - 3")),
            ("DATAPOINT_COUNT([m1, m2])", Series("2 1 1 1 - 2")),
            ("SUM(METRICS())", Series("13 26 33 54 50 78")),
            ("AVG(METRICS())", Series("2.6 5.2 6.6 10.8 10 15.6")),
            ("SUM([])", Series("- - - - - -")),
            ("METRIC_COUNT(METRICS())", Scalar(5.0)),
            ("m1 / METRIC_COUNT(METRICS())", Series("0.2 - 0.6 - - 1.2")),
        ],
    );
    let ctx = main_ctx();
    match ctx.eval("SUM(m3)") {
        Ok(Value::Scalar(v)) => assert!(v.is_nan(), "SUM of no datapoints is no value, got {v}"),
        other => panic!("SUM(m3) gave {other:?}"),
    }
}

#[test]
fn pointwise_functions() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            ("ABS(m1 - m2)", Series("1 4 3 10 - 6")),
            ("CEIL(m4 / 7)", Series("2 3 5 6 8 9")),
            ("FLOOR(m4 / 7)", Series("1 2 4 5 7 8")),
            ("LOG(m1)", Series("0 - 1.0986122886681098 - - 1.791759469228055")),
            (
                "LOG10(m4)",
                Series(
                    "1 1.3010299956639813 1.4771212547196624 1.6020599913279623 1.6989700043360187 \
                     1.7781512503836436",
                ),
            ),
            // LOG of a negative number or of 0 drops the datapoint.
            ("LOG(m1 - 3)", Series("- - - - - 1.0986122886681098")),
            ("ABS(-METRICS())", Labels(&["m1", "m2", "m3", "m4", "m5"])),
            ("SUM(ABS(-METRICS()))", Series("13 26 33 54 50 78")),
            ("TIME_SERIES(5)", Series("5 5 5 5 5 5")),
            // Between two series a missing slot counts as 0: 6 - 0 where m1 has no datapoint.
            ("TIME_SERIES(MAX(m1)) - m1", Series("5 6 3 6 6 0")),
        ],
    );
}

#[test]
fn fill_in_each_mode() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            ("FILL(m1, 0)", Series("1 0 3 0 0 6")),
            ("FILL(m1, REPEAT)", Series("1 1 3 3 3 6")),
            ("FILL(m1, LINEAR)", Series("1 2 3 4 5 6")),
            ("FILL(m2, LINEAR)", Series("2 4 7 10 11 12")),
            // Leading gap: nothing to repeat; leading and trailing gaps: nothing to interpolate between.
            ("FILL(m5, REPEAT)", Series("- 2 2 4 4 4")),
            ("FILL(m5, LINEAR)", Series("- 2 3 4 - -")),
            ("FILL(m5, 7)", Series("7 2 7 4 7 7")),
            ("FILL(m1, m4)", Series("1 20 3 40 50 6")),
            ("FILL(m1, m5)", Series("1 2 3 4 - 6")),
            ("FILL(m1, MIN(m1))", Series("1 1 3 1 1 6")),
            ("FILL(m3, LINEAR)", Series("- - - - - -")),
            ("FILL(m3, 0)", Series("0 0 0 0 0 0")),
            ("FILL(METRICS(), 0)", Labels(&["m1", "m2", "m3", "m4", "m5"])),
            ("SUM(FILL(METRICS(), 1))", Series("15 28 36 56 54 80")),
            ("DATAPOINT_COUNT(FILL(METRICS(), m4))", Series("5 5 5 5 5 5")),
        ],
    );
}

#[test]
fn rate_diff_and_running_sum_across_gaps() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            // The preceding datapoint, wherever it is: 60 s back, then 120 s back over the gaps.
            ("RATE(m2)", Series("- 0.03333333333333333 - 0.05 - 0.016666666666666666")),
            ("DIFF(m2)", Series("- 2 - 6 - 2")),
            ("DIFF_TIME(m2)", Series("- 60 - 120 - 120")),
            ("DIFF_TIME(m1)", Series("- - 120 - - 180")),
            ("RATE(m3)", Series("- - - - - -")),
            ("DIFF(m4)", Series("- 10 10 10 10 10")),
            ("RUNNING_SUM(m2)", Series("2 6 - 16 - 28")),
            ("RUNNING_SUM(m1)", Series("1 - 4 - - 10")),
            ("RATE(m2) * PERIOD(m2)", Series("- 2 - 3 - 1")),
            ("m1 / PERIOD(m1)", Series("0.016666666666666666 - 0.05 - - 0.1")),
            ("RATE(METRICS())", Labels(&["m1", "m2", "m3", "m4", "m5"])),
            ("SUM(RUNNING_SUM(METRICS()))", Series("13 38 64 122 150 248")),
        ],
    );
}

#[test]
fn array_functions() {
    use Want::*;
    check(
        &main_ctx(),
        &[
            ("METRICS()", Labels(&["m1", "m2", "m3", "m4", "m5"])),
            ("METRICS(\"m\")", Labels(&["m1", "m2", "m3", "m4", "m5"])),
            ("METRICS('2')", Labels(&["m2"])),
            ("METRICS(\"x\")", Labels(&[])),
            ("REMOVE_EMPTY(METRICS())", Labels(&["m1", "m2", "m4", "m5"])),
            ("FIRST(METRICS())", Series("1 - 3 - - 6")),
            ("LAST(METRICS())", Series("- 2 - 4 - -")),
            ("FIRST(METRICS('x'))", Series("- - - - - -")),
            // Sums: m1 10, m2 28, m3 none (last), m4 210, m5 6.
            ("SORT(METRICS(), SUM, DESC)", Labels(&["m4", "m2", "m1", "m5", "m3"])),
            ("SORT(METRICS(), SUM, ASC)", Labels(&["m5", "m1", "m2", "m4", "m3"])),
            ("SORT(METRICS(), MAX, DESC, 2)", Labels(&["m4", "m2"])),
            // Minimums m2 and m5 tie at 2: their order is kept.
            ("SORT(METRICS(), MIN, ASC)", Labels(&["m1", "m2", "m5", "m4", "m3"])),
            ("SORT(METRICS(), AVG, DESC)", Labels(&["m4", "m2", "m1", "m5", "m3"])),
            ("SORT(METRICS(), AVG, DESC, 0)", Labels(&[])),
            ("FIRST(SORT(METRICS(), AVG, DESC))", Series("10 20 30 40 50 60")),
            ("IF(FIRST(SORT(METRICS(), AVG, DESC)) > 35, 1, 0)", Series("0 0 0 1 1 1")),
            ("SLICE(METRICS(), 1, 3)", Labels(&["m2", "m3"])),
            ("SLICE(METRICS(), 3)", Labels(&["m4", "m5"])),
            ("SLICE(METRICS(), 3, 100)", Labels(&["m4", "m5"])),
            ("SLICE(METRICS(), 4, 2)", Labels(&[])),
            ("SLICE(METRICS(), 1.9, 2.5)", Labels(&["m2"])),
            ("SLICE(SORT(METRICS(), SUM, DESC), 0, 2)", Labels(&["m4", "m2"])),
            ("METRIC_COUNT(SLICE(METRICS(), 1))", Scalar(4.0)),
            ("[m1, METRICS('4'), m2]", Labels(&["m1", "m4", "m2"])),
        ],
    );
    // METRICS("str") matches ids by substring, as in AWS's examples.
    let ctx = TestContext::new(3, 60)
        .metric("errors4xx", "1 2 3")
        .metric("errors5xx", "1 - 1")
        .metric("requests", "10 10 10");
    check(
        &ctx,
        &[
            ("SUM(METRICS(\"errors\")) / SUM(METRICS(\"requests\"))", Series("0.2 0.2 0.4")),
            ("SUM([METRICS(\"4xx\"), METRICS(\"5xx\")])", Series("2 2 4")),
            ("METRICS(\"errors\")", Labels(&["errors4xx", "errors5xx"])),
        ],
    );
}

#[test]
fn metrics_carry_their_ids_and_exclude_expressions() {
    let ctx = main_ctx();
    let Ok(Value::Array(items)) = ctx.eval("METRICS()") else { panic!("METRICS() is an array") };
    let ids: Vec<_> = items.iter().map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, [Some("m1"), Some("m2"), Some("m3"), Some("m4"), Some("m5")]);
}

#[test]
fn search_hands_its_arguments_to_the_engine() {
    let found = vec![
        Series::new("i-1 CPUUtilization", None, s("1 2 3 4 5 6")),
        // Too short: padded onto the grid.
        Series::new("i-2 CPUUtilization", None, s("10 20")),
    ];
    let ctx = main_ctx().search_returns(Ok(found));
    let value = ctx.eval("SUM(SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average', 300))");
    match value {
        Ok(Value::Series(sum)) => assert!(same_values(&sum.values, &s("11 22 3 4 5 6")), "{}", show(&sum.values)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ctx.searches.borrow().as_slice(),
        [("{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"".to_string(), "Average".to_string(), 300)]
    );
    let Ok(Value::Array(items)) = ctx.eval("SEARCH('x', 'Sum', 60)") else { panic!("SEARCH gives an array") };
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|s| s.values.len() == 6));
}

#[test]
fn anomaly_band_from_trailing_history() {
    // One-minute slots: no same-time-of-day history, so the trailing day is used once it holds 3 datapoints.
    let ctx = TestContext::new(6, 60).metric("m1", "1 3 5 - 7 9");
    let Ok(Value::Array(band)) = ctx.eval("ANOMALY_DETECTION_BAND(m1)") else { panic!("a band is an array") };
    assert_eq!(band.len(), 2);
    assert_eq!(band[0].label, "m1 (upper)");
    assert_eq!(band[1].label, "m1 (lower)");
    // Slots 3 and 4: history 1, 3, 5 (mean 3, sd sqrt(8/3)); slot 5: 1, 3, 5, 7 (mean 4, sd sqrt(5)).
    let sd3 = (8.0f64 / 3.0).sqrt();
    let sd5 = 5.0f64.sqrt();
    let upper = [None, None, None, Some(3.0 + 2.0 * sd3), Some(3.0 + 2.0 * sd3), Some(4.0 + 2.0 * sd5)];
    let lower = [None, None, None, Some(3.0 - 2.0 * sd3), Some(3.0 - 2.0 * sd3), Some(4.0 - 2.0 * sd5)];
    assert!(same_values(&band[0].values, &upper), "{}", show(&band[0].values));
    assert!(same_values(&band[1].values, &lower), "{}", show(&band[1].values));
    // FIRST is the upper edge, LAST the lower; the second argument scales the width.
    let Ok(Value::Series(narrow)) = ctx.eval("LAST(ANOMALY_DETECTION_BAND(m1, 1))") else { panic!("a series") };
    assert!(same_values(&narrow.values, &s(&format!("- - - {} {} {}", 3.0 - sd3, 3.0 - sd3, 4.0 - sd5))));
    let Ok(Value::Series(upper2)) = ctx.eval("FIRST(ANOMALY_DETECTION_BAND(m1, 2))") else { panic!("a series") };
    assert!(same_values(&upper2.values, &upper));
}

#[test]
fn anomaly_band_prefers_the_same_time_on_previous_days() {
    // Daily slots: slot 3's trailing day holds only slot 2, but days 1..3 back hold 30, 20, 10.
    let ctx = TestContext::new(5, 86_400).metric("m1", "10 20 30 40 -");
    let Ok(Value::Array(band)) = ctx.eval("ANOMALY_DETECTION_BAND(m1, 3)") else { panic!("a band") };
    let sd = (200.0f64 / 3.0).sqrt();
    // Slot 4: 40, 30, 20, 10 (mean 25, sd sqrt(125)).
    let sd4 = 125.0f64.sqrt();
    let upper = [None, None, None, Some(20.0 + 3.0 * sd), Some(25.0 + 3.0 * sd4)];
    let lower = [None, None, None, Some(20.0 - 3.0 * sd), Some(25.0 - 3.0 * sd4)];
    assert!(same_values(&band[0].values, &upper), "{}", show(&band[0].values));
    assert!(same_values(&band[1].values, &lower), "{}", show(&band[1].values));
}

#[test]
fn anomaly_band_is_zero_wide_on_a_flat_series() {
    let ctx = TestContext::new(5, 60).metric("m1", "7 7 7 7 7");
    let Ok(Value::Array(band)) = ctx.eval("ANOMALY_DETECTION_BAND(m1)") else { panic!("a band") };
    assert!(same_values(&band[0].values, &s("- - - 7 7")));
    assert!(same_values(&band[1].values, &s("- - - 7 7")));
}
