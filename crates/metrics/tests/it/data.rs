//! GetMetricData through the engine: MetricStat queries, metric math against hand-computed vectors, SEARCH,
//! labels, ReturnData, ScanBy, MaxDatapoints paging, dependency errors; ListMetrics filters and pages;
//! GetMetricWidgetImage.

use crate::support;

use skywatch_metrics::tsdb::SeriesKey;
use skywatch_metrics::{
    DataQuery, DataRequest, DataResult, ListRequest, Metrics, MetricsQueryError, QueryKind, StatusCode,
    WidgetImageError, get_metric_data, get_metric_data_paged, get_metric_widget_image, list_metrics,
};
use support::*;

fn stat(id: &str, metric: &str, host: &str, stat: &str) -> DataQuery {
    DataQuery {
        id: id.into(),
        kind: QueryKind::MetricStat {
            series: SeriesKey::new(ACCOUNT, REGION, "App", metric, vec![("Host".into(), host.into())]),
            period_seconds: 60,
            stat: stat.into(),
            unit: None,
        },
        label: None,
        return_data: true,
    }
}

fn expr(id: &str, expression: &str) -> DataQuery {
    DataQuery {
        id: id.into(),
        kind: QueryKind::Expression { expression: expression.into(), period_seconds: None },
        label: None,
        return_data: true,
    }
}

fn request(queries: Vec<DataQuery>, start: i64, minutes: i64) -> DataRequest {
    DataRequest {
        account: ACCOUNT.into(),
        region: REGION.into(),
        queries,
        start_ms: start,
        end_ms: start + minutes * MINUTE,
        ascending: true,
        max_datapoints: None,
        next_token: None,
    }
}

/// Requests per minute on two hosts; host b misses minute 2.
async fn seeded() -> (Engine, i64, i64) {
    let engine = Engine::start();
    let now = now_hour();
    let t = now - 30 * MINUTE;
    let mut data = Vec::new();
    for (minute, (a, b)) in [(1.0, 10.0), (2.0, 20.0), (3.0, f64::NAN), (4.0, 40.0)].into_iter().enumerate() {
        let at = t + minute as i64 * MINUTE;
        data.push(value("Requests", &[("Host", "a")], at, a));
        if !b.is_nan() {
            data.push(value("Requests", &[("Host", "b")], at, b));
        }
    }
    engine.put("App", &data, now).await;
    (engine, t, now)
}

fn by_id<'a>(results: &'a [DataResult], id: &str) -> &'a DataResult {
    results.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no result {id}"))
}

fn points(result: &DataResult, t: i64) -> Vec<(i64, f64)> {
    result.timestamps_ms.iter().map(|ts| (ts - t) / MINUTE).zip(result.values.iter().copied()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn metric_math_matches_hand_computed_vectors() {
    let (engine, t, now) = seeded().await;
    let cases: [(&str, Vec<(i64, f64)>); 7] = [
        // A slot missing in one series counts as 0 in arithmetic with another series (AWS's rule).
        ("m1 + m2", vec![(0, 11.0), (1, 22.0), (2, 3.0), (3, 44.0)]),
        ("m2 / m1", vec![(0, 10.0), (1, 10.0), (2, 0.0), (3, 10.0)]),
        ("m2 / 10", vec![(0, 1.0), (1, 2.0), (3, 4.0)]),
        ("FILL(m2, 0)", vec![(0, 10.0), (1, 20.0), (2, 0.0), (3, 40.0)]),
        ("FILL(m2, LINEAR)", vec![(0, 10.0), (1, 20.0), (2, 30.0), (3, 40.0)]),
        ("RUNNING_SUM(m1)", vec![(0, 1.0), (1, 3.0), (2, 6.0), (3, 10.0)]),
        ("DIFF(m1) * 2", vec![(1, 2.0), (2, 2.0), (3, 2.0)]),
    ];
    for (expression, expected) in cases {
        let queries =
            vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "b", "Sum"), expr("e1", expression)];
        let response = get_metric_data(&engine.tsdb, &request(queries, t, 4), now).await.unwrap();
        assert_eq!(points(by_id(&response.results, "e1"), t), expected, "{expression}");
    }
    // SUM over one series is a scalar drawn across the grid; over METRICS() a point-wise sum.
    let queries =
        vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "b", "Sum"), expr("e1", "SUM(METRICS())")];
    let response = get_metric_data(&engine.tsdb, &request(queries, t, 4), now).await.unwrap();
    assert_eq!(points(by_id(&response.results, "e1"), t), vec![(0, 11.0), (1, 22.0), (2, 3.0), (3, 44.0)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_labels_return_data_and_scan_order() {
    let (engine, t, now) = seeded().await;
    let mut hidden = stat("m1", "Requests", "a", "Sum");
    hidden.return_data = false;
    let mut labelled = expr("e1", "m1 * 100");
    labelled.label = Some("Percent-ish".into());
    let search = expr("s1", "SEARCH('{App,Host} MetricName=\"Requests\"', 'Sum', 60)");
    let mut r = request(vec![hidden, labelled, search], t, 4);
    r.ascending = false;
    let response = get_metric_data(&engine.tsdb, &r, now).await.unwrap();
    assert!(response.results.iter().all(|r| r.id != "m1"), "ReturnData=false is left out");
    let e1 = by_id(&response.results, "e1");
    assert_eq!(e1.label, "Percent-ish");
    assert_eq!(points(e1, t), vec![(3, 400.0), (2, 300.0), (1, 200.0), (0, 100.0)], "newest first by default");
    let searched: Vec<(&str, usize)> =
        response.results.iter().filter(|r| r.id == "s1").map(|r| (r.label.as_str(), r.values.len())).collect();
    assert_eq!(searched, vec![("a Requests", 4), ("b Requests", 3)]);
}

/// Default labels through the engine (the rule's own table is in `label.rs`): a MetricStat query without a Label
/// gets the metric name plus the Stat and Period that tell the request's MetricStat queries apart; explicit labels
/// and metric math labels are unchanged.
#[tokio::test(flavor = "multi_thread")]
async fn default_labels_tell_queries_apart() {
    let (engine, t, now) = seeded().await;
    let with = |mut q: DataQuery, period: i64, label: Option<&str>| {
        if let QueryKind::MetricStat { period_seconds, .. } = &mut q.kind {
            *period_seconds = period;
        }
        q.label = label.map(str::to_owned);
        q
    };
    type Case = (&'static str, Vec<DataQuery>, Vec<(&'static str, &'static str)>);
    let cases: Vec<Case> = vec![
        ("one query", vec![stat("m1", "Requests", "a", "Sum")], vec![("m1", "Requests")]),
        (
            "same stat and period",
            vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "b", "Sum")],
            vec![("m1", "Requests"), ("m2", "Requests")],
        ),
        (
            "stats differ",
            vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "a", "Maximum")],
            vec![("m1", "Requests Sum"), ("m2", "Requests Maximum")],
        ),
        (
            "stats and periods differ; an explicit label is kept as given",
            vec![
                stat("m1", "Requests", "a", "Sum"),
                with(stat("m2", "Requests", "a", "Minimum"), 300, None),
                with(stat("m3", "Requests", "b", "Average"), 60, Some("Mine")),
            ],
            vec![("m1", "Requests Sum 60"), ("m2", "Requests Minimum 300"), ("m3", "Mine")],
        ),
        (
            "metric math still sees the metric name",
            vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "a", "Maximum"), expr("e1", "m1 * 2")],
            vec![("m1", "Requests Sum"), ("m2", "Requests Maximum"), ("e1", "Requests")],
        ),
    ];
    for (name, queries, expected) in cases {
        let response = get_metric_data(&engine.tsdb, &request(queries, t, 4), now).await.unwrap();
        let labels: Vec<(&str, &str)> = response.results.iter().map(|r| (r.id.as_str(), r.label.as_str())).collect();
        assert_eq!(labels, expected, "{name}");
    }
}

/// GetMetricData words StartTime == EndTime as AWS does (seen in the wild: elastic/beats#32687, YACE#729).
#[tokio::test(flavor = "multi_thread")]
async fn an_empty_range_is_refused_with_aws_text() {
    let (engine, t, now) = seeded().await;
    let empty = request(vec![stat("m1", "Requests", "a", "Sum")], t, 0);
    let error = get_metric_data(&engine.tsdb, &empty, now).await.unwrap_err();
    assert!(
        matches!(&error, MetricsQueryError::Validation(m) if m == "The parameter StartTime must not equal parameter EndTime.\n"),
        "{error:?}"
    );
    let reversed = request(vec![stat("m1", "Requests", "a", "Sum")], t, -1);
    assert!(matches!(get_metric_data(&engine.tsdb, &reversed, now).await, Err(MetricsQueryError::Validation(_))));
}

#[tokio::test(flavor = "multi_thread")]
async fn max_datapoints_pages_every_datapoint_exactly_once() {
    let (engine, t, now) = seeded().await;
    let queries = vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "b", "Sum")];
    let mut r = request(queries, t, 4);
    r.max_datapoints = Some(3);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let response = get_metric_data(&engine.tsdb, &r, now).await.unwrap();
        pages += 1;
        for result in &response.results {
            seen.extend(result.timestamps_ms.iter().map(|ts| (result.id.clone(), *ts)));
        }
        match response.next_token {
            Some(token) => r.next_token = Some(token),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (7, 7));
    r.next_token = Some("garbage".into());
    assert!(matches!(get_metric_data(&engine.tsdb, &r, now).await, Err(MetricsQueryError::InvalidNextToken(_))));
}

/// Issue 15: the next pages of an answer with an expression are cut from its first computation, so they show the
/// data of that moment; the same token in another account's request, or without a kept answer, computes the answer
/// afresh.
#[tokio::test(flavor = "multi_thread")]
async fn next_pages_come_from_the_first_computation() {
    let (engine, t, now) = seeded().await;
    let metrics = Metrics::new(engine.tsdb.clone());
    let mut hidden = expr("e1", "m1 + m2");
    hidden.return_data = false;
    let mut r = request(vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "b", "Sum"), hidden], t, 4);
    r.max_datapoints = Some(3);
    let first = get_metric_data_paged(&metrics, &r, now).await.unwrap();
    assert_eq!(points(by_id(&first.results, "m1"), t), [(0, 1.0), (1, 2.0), (2, 3.0)]);
    assert_eq!(metrics.answers.len(), 1, "an answer of three pages is kept");
    // Host a's last minute gains 100 after the first page was answered.
    engine.put("App", &[value("Requests", &[("Host", "a")], t + 3 * MINUTE, 100.0)], now).await;
    r.next_token = first.next_token.clone();
    let kept = get_metric_data_paged(&metrics, &r, now).await.unwrap();
    assert_eq!(points(by_id(&kept.results, "m1"), t), [(3, 4.0)], "cut from the first computation");
    assert_eq!(points(by_id(&kept.results, "m2"), t), [(0, 10.0), (1, 20.0)]);
    let fresh = get_metric_data(&engine.tsdb, &r, now).await.unwrap();
    assert_eq!(points(by_id(&fresh.results, "m1"), t), [(3, 104.0)], "computed afresh");
    let mut elsewhere = r.clone();
    elsewhere.account = "111111111111".into();
    let other = get_metric_data_paged(&metrics, &elsewhere, now).await.unwrap();
    // Computed for that account, which has no data, not cut from the kept answer (which would give [(3, 4.0)]).
    assert_eq!(points(by_id(&other.results, "m1"), t), [], "another account's request is not served");
    r.next_token = kept.next_token.clone();
    let last = get_metric_data_paged(&metrics, &r, now).await.unwrap();
    assert_eq!(points(by_id(&last.results, "m2"), t), [(3, 40.0)]);
    assert_eq!(last.next_token, None);
}

/// Every datapoint of `r`'s pages (MaxDatapoints as set), with the number of pages; fails on an oversized page.
async fn walk(metrics: &Metrics, mut r: DataRequest, now: i64) -> (Vec<(String, i64, f64)>, usize) {
    let (mut seen, mut pages) = (Vec::new(), 0);
    loop {
        let page = get_metric_data_paged(metrics, &r, now).await.unwrap();
        pages += 1;
        let count: usize = page.results.iter().map(|r| r.values.len()).sum();
        assert!(count <= r.max_datapoints.unwrap_or(usize::MAX).max(1), "{count} datapoints on a page");
        for result in &page.results {
            seen.extend(result.timestamps_ms.iter().zip(&result.values).map(|(ts, v)| (result.id.clone(), *ts, *v)));
        }
        match page.next_token {
            None => {
                assert!(page.results.iter().all(|r| r.status == StatusCode::Complete), "{:?}", page.results);
                return (seen, pages);
            }
            token => r.next_token = token,
        }
        assert!(pages < 100, "NextToken never ran out");
    }
}

/// Issue 15: a request made only of MetricStat queries is paged without keeping an answer, each page reading what
/// it returns, and its pages together are its whole answer, in either order and at any page size.
#[tokio::test(flavor = "multi_thread")]
async fn stat_pages_together_are_the_whole_answer() {
    let (engine, t, now) = seeded().await;
    let metrics = Metrics::new(engine.tsdb.clone());
    let mut queries = vec![
        stat("m1", "Requests", "a", "Sum"),
        stat("m9", "Requests", "nobody", "Sum"),
        stat("m2", "Requests", "b", "Maximum"),
    ];
    queries.push(DataQuery { return_data: false, ..stat("m3", "Requests", "a", "Average") });
    for ascending in [true, false] {
        let mut r = request(queries.clone(), t, 4);
        r.ascending = ascending;
        let whole = get_metric_data(&engine.tsdb, &r, now).await.unwrap();
        let expected: Vec<(String, i64, f64)> = whole
            .results
            .iter()
            .flat_map(|r| r.timestamps_ms.iter().zip(&r.values).map(|(ts, v)| (r.id.clone(), *ts, *v)))
            .collect();
        assert_eq!(expected.len(), 7);
        for max in 1..=8 {
            r.max_datapoints = Some(max);
            let (seen, pages) = walk(&metrics, r.clone(), now).await;
            assert_eq!(seen, expected, "ascending {ascending}, {max} a page");
            assert!(pages <= 7usize.div_ceil(max) + 1, "{pages} pages of {max}");
        }
    }
    assert_eq!(metrics.answers.len(), 0, "nothing is kept");
}

/// Issue 15: a stat page's NextToken names the last timestamp sent, not a count: a datapoint arriving between pages
/// (here a newer one, first in descending order) neither repeats nor skips one of the first page's series.
#[tokio::test(flavor = "multi_thread")]
async fn stat_pages_resume_after_the_last_timestamp_sent() {
    let (engine, t, now) = seeded().await;
    let metrics = Metrics::new(engine.tsdb.clone());
    let mut r = request(vec![stat("m1", "Requests", "a", "Sum"), stat("m2", "Requests", "b", "Sum")], t, 6);
    r.ascending = false;
    r.max_datapoints = Some(3);
    let first = get_metric_data_paged(&metrics, &r, now).await.unwrap();
    assert_eq!(points(by_id(&first.results, "m1"), t), [(3, 4.0), (2, 3.0), (1, 2.0)]);
    let unread = by_id(&first.results, "m2");
    assert_eq!((unread.values.len(), unread.status), (0, StatusCode::PartialData), "m2 is on a later page");
    engine.put("App", &[value("Requests", &[("Host", "a")], t + 5 * MINUTE, 6.0)], now).await;
    r.next_token = first.next_token.clone();
    let second = get_metric_data_paged(&metrics, &r, now).await.unwrap();
    assert_eq!(points(by_id(&second.results, "m1"), t), [(0, 1.0)], "after minute 1, not from the third datapoint");
    assert_eq!(points(by_id(&second.results, "m2"), t), [(3, 40.0), (1, 20.0)]);
    // The token belongs to requests made only of MetricStat queries, and names a result the request has.
    let mut with_math = r.clone();
    with_math.queries.push(expr("e1", "m1 * 2"));
    assert!(matches!(
        get_metric_data_paged(&metrics, &with_math, now).await,
        Err(MetricsQueryError::InvalidNextToken(_))
    ));
    let mut fewer = r.clone();
    fewer.queries.truncate(1);
    fewer.next_token = second.next_token.clone();
    let beyond = get_metric_data_paged(&metrics, &fewer, now).await;
    assert!(matches!(beyond, Err(MetricsQueryError::InvalidNextToken(_))), "{beyond:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_queries_are_refused_whole() {
    let (engine, t, now) = seeded().await;
    let cases: Vec<(&str, Vec<DataQuery>)> = vec![
        ("unknown id", vec![expr("e1", "m9 + 1")]),
        ("cycle", vec![expr("e1", "e2 + 1"), expr("e2", "e1 * 2")]),
        ("self reference", vec![expr("e1", "e1")]),
        ("syntax", vec![expr("e1", "SUM(")]),
        ("duplicate ids", vec![stat("m1", "Requests", "a", "Sum"), stat("m1", "Requests", "b", "Sum")]),
        ("bad id", vec![stat("M1", "Requests", "a", "Sum")]),
        ("bad stat", vec![stat("m1", "Requests", "a", "p200")]),
    ];
    for (name, queries) in cases {
        let result = get_metric_data(&engine.tsdb, &request(queries, t, 4), now).await;
        assert!(matches!(result, Err(MetricsQueryError::Validation(_))), "{name}: {result:?}");
    }
}

/// Issue 15: every refused query is named in one ValidationError, a line each, as AWS reports them (YACE#385:
/// `The value None for parameter MetricDataQueries.member.223.MetricStat.Stat is not a valid statistic.\n...`).
#[tokio::test(flavor = "multi_thread")]
async fn every_refused_query_is_named_on_its_own_line() {
    let (engine, t, now) = seeded().await;
    let stat_line = |member: usize, value: &str| {
        format!(
            "The value{value} for parameter MetricDataQueries.member.{member}.MetricStat.Stat is not a valid statistic.\n"
        )
    };
    let cases: Vec<(&str, Vec<DataQuery>, String)> = vec![
        ("one bad stat keeps its text", vec![stat("m1", "Requests", "a", "p200")], stat_line(1, " p200")),
        (
            "two bad stats, one line each",
            vec![
                stat("m1", "Requests", "a", "Bogus"),
                stat("m2", "Requests", "a", "Sum"),
                stat("m3", "Requests", "b", ""),
            ],
            stat_line(1, " Bogus") + &stat_line(3, ""),
        ),
        (
            "a line without its own newline gets one",
            vec![stat("M1", "Requests", "a", "Sum"), stat("m2", "Requests", "a", "Bogus")],
            "The value M1 for parameter MetricDataQueries.member.1.Id is invalid: it must start with a lowercase \
             letter and contain only letters, numbers and underscores.\n"
                .to_owned()
                + &stat_line(2, " Bogus"),
        ),
    ];
    for (name, queries, expected) in cases {
        let result = get_metric_data(&engine.tsdb, &request(queries, t, 4), now).await;
        assert!(matches!(&result, Err(MetricsQueryError::Validation(m)) if *m == expected), "{name}: {result:?}");
    }
}

/// Issue 10: requests whose size is chosen by the client are refused before anything they size is allocated.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_requests_are_bounded_before_allocation() {
    let (engine, t, now) = seeded().await;
    let high_res = |id: &str| {
        let mut query = stat(id, "Requests", "a", "Sum");
        if let QueryKind::MetricStat { period_seconds, .. } = &mut query.kind {
            *period_seconds = 1;
        }
        query
    };
    // A far-future EndTime at Period=1 (about 1e11 slots) costs only the slots that can hold data.
    let mut far = request(vec![high_res("m1")], t, 4);
    far.end_ms = i64::MAX / 2;
    let answer = get_metric_data(&engine.tsdb, &far, now).await.expect("a far-future EndTime is answered");
    assert!(!answer.results[0].values.is_empty());
    // Period=1 over a year is past 100,800 datapoints a metric: refused as GetMetricStatistics refuses it.
    let mut long = request(vec![high_res("m1")], now - 365 * 24 * 60 * MINUTE, 1);
    long.end_ms = now;
    let refused = get_metric_data(&engine.tsdb, &long, now).await;
    assert!(
        matches!(&refused, Err(MetricsQueryError::InvalidParameterCombination(m)) if m.contains("exceeds the limit of 100800")),
        "{refused:?}"
    );
    // [METRICS(), METRICS(), ...] copies every series once per occurrence: the copies are charged first.
    let metrics: Vec<DataQuery> = (0..499).map(|i| stat(&format!("m{i}"), "Requests", "a", "Sum")).collect();
    let bomb = format!("[{}]", vec!["METRICS()"; 200].join(","));
    let mut queries = metrics;
    queries.push(expr("e1", &bomb));
    let mut week = request(queries, now - 7 * 24 * 60 * MINUTE, 7 * 24 * 60);
    week.end_ms = now;
    let refused = get_metric_data(&engine.tsdb, &week, now).await;
    assert!(matches!(&refused, Err(MetricsQueryError::Validation(m)) if m.contains("datapoints")), "{refused:?}");
    // Expressions past 2,048 characters, SEARCH NOT chains and too many SEARCHes are refused, never run.
    let long_expression = format!("m1{}", " + m1".repeat(500));
    let searches = vec!["SEARCH('Requests', 'Sum', 60)"; 51].join(" + ");
    let nots = format!("SEARCH('{}x', 'Sum', 60)", "NOT ".repeat(100));
    for (name, text) in [("length", long_expression), ("searches", searches), ("nots", nots)] {
        let queries = vec![stat("m1", "Requests", "a", "Sum"), expr("e1", &text)];
        let refused = get_metric_data(&engine.tsdb, &request(queries, t, 4), now).await;
        assert!(matches!(refused, Err(MetricsQueryError::Validation(_))), "{name}: {refused:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_metrics_filters_and_pages() {
    let engine = Engine::start();
    let now = now_hour();
    let t = now - 10 * MINUTE;
    let data: Vec<_> =
        (0..620).map(|i| value("Load", &[("Host", &format!("h{i:04}")), ("Tier", "web")], t, 1.0)).collect();
    for batch in data.chunks(1000) {
        engine.put("Fleet", batch, now).await;
    }
    engine.put("Fleet", &[value("Errors", &[("Tier", "db")], t, 1.0)], now).await;
    let base = ListRequest {
        account: ACCOUNT.into(),
        region: REGION.into(),
        namespace: Some("Fleet".into()),
        ..Default::default()
    };
    let mut all = Vec::new();
    let mut request = base.clone();
    loop {
        let page = list_metrics(&engine.tsdb, &request, now).unwrap();
        assert!(page.metrics.len() <= 500);
        all.extend(page.metrics.into_iter().map(|m| m.key.clone()));
        match page.next_token {
            Some(token) => request.next_token = Some(token),
            None => break,
        }
    }
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((all.len(), unique.len()), (621, 621));
    let count = |r: ListRequest| list_metrics(&engine.tsdb, &r, now).unwrap().metrics.len();
    assert_eq!(count(ListRequest { metric_name: Some("Errors".into()), ..base.clone() }), 1);
    assert_eq!(count(ListRequest { dimensions: vec![("Tier".into(), Some("db".into()))], ..base.clone() }), 1);
    assert_eq!(count(ListRequest { dimensions: vec![("Host".into(), Some("h0007".into()))], ..base.clone() }), 1);
    assert_eq!(count(ListRequest { dimensions: vec![("Tier".into(), None)], ..base.clone() }), 500);
    assert_eq!(count(ListRequest { namespace: Some("Other".into()), ..base.clone() }), 0);
    assert_eq!(count(ListRequest { recently_active: true, ..base.clone() }), 500);
    // Three hours later the series are no longer "recently active" but still listed.
    let later = now + 4 * 3_600_000;
    assert_eq!(
        list_metrics(&engine.tsdb, &ListRequest { recently_active: true, ..base.clone() }, later)
            .unwrap()
            .metrics
            .len(),
        0
    );
    assert_eq!(list_metrics(&engine.tsdb, &base, later).unwrap().metrics.len(), 500);
}

#[tokio::test(flavor = "multi_thread")]
async fn widget_images_are_pngs_and_bad_widgets_name_the_path() {
    let (engine, _, now) = seeded().await;
    let widget = r##"{"metrics": [["App", "Requests", "Host", "a"], [".", ".", ".", "b", {"color": "#ff0000"}],
        [{"expression": "m1 * 2", "label": "double"}]], "start": "-PT1H", "title": "Requests", "width": 640, "height": 320}"##;
    let image = get_metric_widget_image(&engine.tsdb, ACCOUNT, REGION, widget, now).await.unwrap();
    assert_eq!(&image[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(image[16..20].try_into().unwrap()), 640);
    assert_eq!(u32::from_be_bytes(image[20..24].try_into().unwrap()), 320);
    let bad = r#"{"metrics": [["App", 5]]}"#;
    match get_metric_widget_image(&engine.tsdb, ACCOUNT, REGION, bad, now).await {
        Err(WidgetImageError::InvalidWidget(message)) => assert!(message.contains("metrics"), "{message}"),
        other => panic!("expected an invalid widget, got {other:?}"),
    }
}
