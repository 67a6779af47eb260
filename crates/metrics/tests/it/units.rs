//! Units belong to datapoints: GetMetricStatistics answers one datapoint a period and unit, GetMetricData with a
//! Unit reads only that unit's datapoints and without one the first unit (by name) with data in the range, naming
//! every unit in a `MultipleUnits` message; SEARCH and ListMetrics see a metric once whatever its units. The cases
//! are AWS's as LocalStack recorded them (see each one).

use crate::support;

use skywatch_metrics::tsdb::SeriesKey;
use skywatch_metrics::{
    DataQuery, DataRequest, DataResult, ListRequest, MetricDatum, StatisticsRequest, get_metric_data,
    get_metric_statistics, list_metrics,
};
use support::*;

const METRIC: &str = "m-test";

/// A datum's value and unit.
type Datum = (f64, Option<&'static str>);
/// A GetMetricStatistics datapoint's unit and value.
type Answer = (&'static str, f64);

fn datum(timestamp_ms: i64, value: f64, unit: Option<&str>) -> MetricDatum {
    MetricDatum { unit: unit.map(str::to_owned), ..support::value(METRIC, &[], timestamp_ms, value) }
}

fn key() -> SeriesKey {
    SeriesKey::new(ACCOUNT, REGION, "App", METRIC, Vec::new())
}

/// Puts `data` (value, unit) at `t` into a fresh engine.
async fn engine_with(t: i64, now: i64, data: &[Datum]) -> Engine {
    let engine = Engine::start();
    let data: Vec<MetricDatum> = data.iter().map(|(value, unit)| datum(t, *value, *unit)).collect();
    engine.put("App", &data, now).await;
    engine
}

fn statistics(t: i64, statistic: &str, unit: Option<&str>) -> StatisticsRequest {
    StatisticsRequest {
        series: key(),
        start_ms: t - MINUTE,
        end_ms: t + MINUTE,
        period_seconds: 60,
        statistics: vec![statistic.to_owned()],
        extended_statistics: Vec::new(),
        unit: unit.map(str::to_owned),
    }
}

/// One MetricStat query `m1` over `[t, t + 60 s)`, as LocalStack's recorded GetMetricData cases ask.
fn data_request(t: i64, stat: &str, unit: Option<&str>) -> DataRequest {
    DataRequest {
        account: ACCOUNT.into(),
        region: REGION.into(),
        queries: vec![DataQuery {
            id: "m1".into(),
            kind: skywatch_metrics::QueryKind::MetricStat {
                series: key(),
                period_seconds: 60,
                stat: stat.into(),
                unit: unit.map(str::to_owned),
            },
            label: None,
            return_data: true,
        }],
        start_ms: t,
        end_ms: t + MINUTE,
        ascending: true,
        max_datapoints: Some(10),
        next_token: None,
    }
}

async fn only_result(engine: &Engine, request: &DataRequest, now: i64) -> DataResult {
    let mut response = get_metric_data(&engine.tsdb, request, now).await.unwrap();
    assert!(response.messages.is_empty(), "the top-level Messages stay empty");
    assert_eq!(response.results.len(), 1);
    response.results.remove(0)
}

/// GetMetricStatistics gives one datapoint a unit in each period; a Unit (`None` for datapoints sent without
/// one) keeps only that unit's.
#[tokio::test(flavor = "multi_thread")]
async fn get_metric_statistics_answers_each_unit_apart() {
    let now = now_hour();
    let t = now - 30 * MINUTE;
    // Recorded from AWS: test_handle_different_units / get_metric_statistics_with_different_units.
    let engine = engine_with(t, now, &[(1.0, Some("Seconds")), (5.0, Some("Count")), (10.0, None)]).await;
    // (statistic, Unit, each datapoint's (Unit, value))
    let cases: &[(&str, Option<&str>, &[Answer])] = &[
        ("Average", None, &[("Count", 5.0), ("None", 10.0), ("Seconds", 1.0)]),
        ("SampleCount", None, &[("Count", 1.0), ("None", 1.0), ("Seconds", 1.0)]),
        // issue 15: GetMetricStatistics with Unit=Seconds over {1 Seconds, 5 Count, 10 none}.
        ("Average", Some("Seconds"), &[("Seconds", 1.0)]),
        ("Sum", Some("None"), &[("None", 10.0)]),
        ("Sum", Some("Bytes"), &[]),
    ];
    for (statistic, unit, expected) in cases {
        let mut points = get_metric_statistics(&engine.tsdb, &statistics(t, statistic, *unit), now).await.unwrap();
        points.sort_by(|a, b| a.unit.cmp(&b.unit));
        let got: Vec<(&str, f64)> = points
            .iter()
            .map(|p| {
                assert_eq!(p.timestamp_ms, t, "{statistic} {unit:?}");
                assert_eq!(p.statistics.len(), 1);
                (p.unit.as_str(), p.statistics[0].1)
            })
            .collect();
        assert_eq!(got, *expected, "{statistic} {unit:?}");
    }
}

/// GetMetricData with a Unit: only that unit's datapoints count; a unit without data gives no values.
#[tokio::test(flavor = "multi_thread")]
async fn get_metric_data_with_a_unit_reads_only_that_unit() {
    let now = now_hour();
    let t = now - 30 * MINUTE;
    struct Case {
        source: &'static str,
        data: &'static [Datum],
        stat: &'static str,
        unit: &'static str,
        values: &'static [f64],
    }
    let cases = [
        Case {
            source: "recorded: test_get_metric_data_with_different_units",
            data: &[(1.0, Some("Seconds")), (1.0, Some("Count"))],
            stat: "Sum",
            unit: "Seconds",
            values: &[1.0],
        },
        Case {
            source: "recorded: test_label_generation (a unit without data)",
            data: &[(1.0, Some("Seconds")), (1.0, Some("Count"))],
            stat: "Sum",
            unit: "Milliseconds",
            values: &[],
        },
        Case {
            source: "issue 15 (moto's test_get_metric_data_for_unit, agreeing with the recordings)",
            data: &[(50.0, Some("Seconds")), (-50.0, None)],
            stat: "SampleCount",
            unit: "Seconds",
            values: &[1.0],
        },
        Case {
            source: "None names datapoints sent without a unit",
            data: &[(50.0, Some("Seconds")), (-50.0, None)],
            stat: "Sum",
            unit: "None",
            values: &[-50.0],
        },
    ];
    for case in cases {
        let engine = engine_with(t, now, case.data).await;
        let result = only_result(&engine, &data_request(t, case.stat, Some(case.unit)), now).await;
        assert_eq!(result.values, case.values, "{}", case.source);
        assert_eq!(result.label, METRIC, "{}", case.source);
        assert!(result.messages.is_empty(), "{}: one unit read, no message", case.source);
    }
}

/// GetMetricData without a Unit over several units: the first unit by name with data in the range answers, and
/// the result's Messages name every unit that had data.
#[tokio::test(flavor = "multi_thread")]
async fn get_metric_data_without_a_unit_answers_with_one_unit() {
    let now = now_hour();
    let t = now - 30 * MINUTE;
    let (ms, s) = ((60000.0, Some("Milliseconds")), (60.0, Some("Seconds")));
    let two = "Multiple units returned: '[Milliseconds, Seconds]'";
    let three = "Multiple units returned: '[Count, Milliseconds, Seconds]'";
    // (source, data, values, unit of the values, message)
    type Case = (&'static str, Vec<Datum>, Vec<f64>, Option<&'static str>, Option<&'static str>);
    let cases: [Case; 4] = [
        (
            "recorded: test_get_metric_data_different_units_no_unit_in_query[metric_data0]",
            vec![ms, s],
            vec![60000.0],
            Some("Milliseconds"),
            Some(two),
        ),
        (
            "recorded: test_get_metric_data_different_units_no_unit_in_query[metric_data1]",
            vec![ms, s, ms, s],
            vec![120000.0],
            Some("Milliseconds"),
            Some(two),
        ),
        (
            "recorded: test_get_metric_data_different_units_no_unit_in_query[metric_data2]",
            vec![ms, s, ms, s, (5.0, Some("Count"))],
            vec![5.0],
            Some("Count"),
            Some(three),
        ),
        ("one unit: no message", vec![s, s], vec![120.0], Some("Seconds"), None),
    ];
    for (source, data, values, unit, message) in cases {
        let engine = engine_with(t, now, &data).await;
        let result = only_result(&engine, &data_request(t, "Sum", None), now).await;
        assert_eq!(result.values, values, "{source}");
        assert_eq!(result.unit.as_deref(), unit, "{source}");
        let expected: Vec<(String, String)> =
            message.map(|m| ("MultipleUnits".to_owned(), m.to_owned())).into_iter().collect();
        assert_eq!(result.messages, expected, "{source}");
        assert_eq!(result.status.as_str(), "Complete", "{source}");
    }
}

/// Only units with data in the query's range take part: a unit that sorts first but has data only outside the
/// range neither answers nor appears in the message. A unitless answer has no unit.
#[tokio::test(flavor = "multi_thread")]
async fn only_units_with_data_in_range_are_chosen() {
    let now = now_hour();
    let t = now - 30 * MINUTE;
    let engine = Engine::start();
    let data = [datum(t - 10 * MINUTE, 7.0, Some("Count")), datum(t, 3.0, None), datum(t, 4.0, Some("Seconds"))];
    engine.put("App", &data, now).await;
    let result = only_result(&engine, &data_request(t, "Sum", None), now).await;
    assert_eq!(result.values, [3.0], "None sorts before Seconds; Count has no data in range");
    assert_eq!(result.unit, None, "unitless datapoints");
    let message = ("MultipleUnits".to_owned(), "Multiple units returned: '[None, Seconds]'".to_owned());
    assert_eq!(result.messages, [message]);

    let mut earlier = data_request(t - 10 * MINUTE, "Sum", None);
    earlier.end_ms = t + MINUTE;
    let result = only_result(&engine, &earlier, now).await;
    assert_eq!(result.values, [7.0], "over the wider range Count has data and is first");
    assert_eq!(result.unit.as_deref(), Some("Count"));
}

/// SEARCH and ListMetrics see a metric once, whatever its units; SEARCH reads it as a query without a Unit.
#[tokio::test(flavor = "multi_thread")]
async fn search_and_list_metrics_see_each_metric_once() {
    let now = now_hour();
    let t = now - 30 * MINUTE;
    let engine = engine_with(t, now, &[(1.0, Some("Seconds")), (5.0, Some("Count")), (10.0, None)]).await;
    let mut request = data_request(t, "Sum", None);
    request.queries = vec![DataQuery {
        id: "s1".into(),
        kind: skywatch_metrics::QueryKind::Expression {
            expression: format!("SEARCH('{{App}} MetricName=\"{METRIC}\"', 'Sum', 60)"),
            period_seconds: None,
        },
        label: None,
        return_data: true,
    }];
    let response = get_metric_data(&engine.tsdb, &request, now).await.unwrap();
    let found: Vec<(&str, &[f64])> = response.results.iter().map(|r| (r.label.as_str(), r.values.as_slice())).collect();
    assert_eq!(found, [(METRIC, &[5.0][..])], "one series, of the first unit (Count)");

    let list = ListRequest { account: ACCOUNT.into(), region: REGION.into(), ..Default::default() };
    let page = list_metrics(&engine.tsdb, &list, now).unwrap();
    assert_eq!(page.metrics.len(), 1, "listed once");
    assert_eq!(page.metrics[0].key.metric_name, METRIC);
    let recent = ListRequest { recently_active: true, ..list };
    assert_eq!(list_metrics(&engine.tsdb, &recent, now).unwrap().metrics.len(), 1);
}
