//! Rendering a dashboard body over a real metrics engine (issue 4): series values and labels, the dashboard's range
//! rules, period choice (`periodOverride`, automatic coarsening, `setPeriodToTimeRange`), expressions with hidden
//! rows, text/alarm/log widgets, placements, and widgets whose data cannot be fetched.

use crate::support;

use skywatch_charts::{Chart, View};
use skywatch_dashboards::parse_body;
use skywatch_dashboards::render::{NoAlarms, RenderRequest, render};
use skywatch_dashboards::view::{AlarmRow, RenderedDashboard, RenderedWidget, WidgetContent};
use support::*;

/// Parses `body` and renders it for the tests' account as of `now_ms`.
async fn render_text(engine: &Engine, body: &str, range: Option<(i64, i64)>, now_ms: i64) -> RenderedDashboard {
    let body = parse_body(body).unwrap_or_else(|errors| panic!("invalid body {body}: {errors:?}"));
    let request = RenderRequest { account: ACCOUNT, region: REGION, range, now_ms };
    render(&engine.tsdb, &NoAlarms, &body, &request).await
}

/// A body of one metric widget with `properties`, plus dashboard-level `extra` fields (`"start": ...,`).
fn one_widget(extra: &str, properties: &str) -> String {
    format!(r#"{{{extra}"widgets":[{{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{properties}}}]}}"#)
}

fn chart(widget: &RenderedWidget) -> (&Chart, i64) {
    match &widget.content {
        WidgetContent::Chart { chart, period_seconds } => (chart, *period_seconds),
        other => panic!("expected a chart, got {other:?}"),
    }
}

/// Each series' label and points, the points' times as minutes after `t`.
fn series(chart: &Chart, t: i64) -> Vec<(String, Vec<(i64, f64)>)> {
    chart
        .series
        .iter()
        .map(|s| (s.label.clone(), s.points.iter().map(|(ts, v)| ((ts - t) / MINUTE, *v)).collect()))
        .collect()
}

/// Orders per minute on two hosts for 15 minutes from `t` (an hour ago): host a `m`, host b `2m` at minute `m`.
async fn orders() -> (Engine, i64, i64) {
    let engine = Engine::start();
    let now = now_hour();
    let t = now - HOUR;
    let (a, b) = (key("Shop", "Orders", "a"), key("Shop", "Orders", "b"));
    let points: Vec<_> = (0..15)
        .flat_map(|m| [point(&a, t + m * MINUTE, m as f64), point(&b, t + m * MINUTE, 2.0 * m as f64)])
        .collect();
    engine.write(&points, now).await;
    (engine, t, now)
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_metric_widget_series_have_exact_values_and_labels() {
    let (engine, t, now) = orders().await;
    // (widget stat, host a's 5-minute values, host b's with its own `Average` and label)
    let cases: [(&str, [f64; 3]); 5] = [
        ("Sum", [10.0, 35.0, 60.0]),
        ("Average", [2.0, 7.0, 12.0]),
        ("Maximum", [4.0, 9.0, 14.0]),
        ("Minimum", [0.0, 5.0, 10.0]),
        ("SampleCount", [5.0, 5.0, 5.0]),
    ];
    for (stat, expected) in cases {
        let properties = format!(
            r#"{{"metrics":[["Shop","Orders","Host","a"],[".",".",".","b",{{"stat":"Average","label":"B orders"}}]],
                "stat":"{stat}","period":300,"title":"Orders"}}"#
        );
        let rendered = render_text(&engine, &one_widget("", &properties), Some((t, t + 15 * MINUTE)), now).await;
        assert_eq!((rendered.start_ms, rendered.end_ms), (t, t + 15 * MINUTE));
        let widget = &rendered.widgets[0];
        assert_eq!(widget.title.as_deref(), Some("Orders"), "the header shows the title");
        let (chart, period) = chart(widget);
        assert_eq!(period, 300, "{stat}");
        assert_eq!(chart.title, None, "{stat}: the title is in the header, not repeated in the chart");
        assert_eq!(chart.x_range_ms, (t, t + 15 * MINUTE), "{stat}");
        assert_eq!(
            series(chart, t),
            vec![
                ("a Orders".to_owned(), vec![(0, expected[0]), (5, expected[1]), (10, expected[2])]),
                ("B orders".to_owned(), vec![(0, 4.0), (5, 14.0), (10, 24.0)]),
            ],
            "{stat}"
        );
        let units: Vec<Option<&str>> = chart.series.iter().map(|s| s.unit.as_deref()).collect();
        assert_eq!(units, [Some("Count"), Some("Count")], "{stat}: units come from the series");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_series_without_data_are_drawn_empty_and_row_colors_and_axes_are_kept() {
    let (engine, t, now) = orders().await;
    let properties = r##"{"metrics":[["Shop","Orders","Host","a",{"color":"#ff0000","yAxis":"right"}],
        ["Shop","Orders","Host","nobody"]],"stat":"Sum","period":300}"##;
    let rendered = render_text(&engine, &one_widget("", properties), Some((t, t + 15 * MINUTE)), now).await;
    let (chart, _) = chart(&rendered.widgets[0]);
    assert_eq!(chart.series.len(), 2);
    assert_eq!((chart.series[0].color.as_deref(), chart.series[0].right_axis), (Some("#ff0000"), true));
    assert_eq!(chart.series[0].points.len(), 3);
    assert_eq!((chart.series[1].points.len(), chart.series[1].right_axis), (0, false));
    assert_eq!(chart.series[1].unit, None, "an unknown series has no unit");
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_the_request_range_wins_then_the_body_then_the_widget_then_three_hours() {
    let engine = Engine::start();
    let now = now_hour();
    // 2024-03-14T00:00:00Z
    let t0 = 1_710_374_400_000;
    let picked = Some((now - 2 * DAY, now - DAY));
    // (case, dashboard fields, widget fields, console range, expected dashboard range, expected widget range)
    type Case = (&'static str, &'static str, &'static str, Option<(i64, i64)>, (i64, i64), (i64, i64));
    let cases: [Case; 8] = [
        (
            "console range over everything",
            r#""start":"-PT6H","#,
            r#""start":"-PT1H","#,
            picked,
            (now - 2 * DAY, now - DAY),
            (now - 2 * DAY, now - DAY),
        ),
        ("relative dashboard start", r#""start":"-PT6H","#, "", None, (now - 6 * HOUR, now), (now - 6 * HOUR, now)),
        (
            "dashboard over widget",
            r#""start":"-PT6H","#,
            r#""start":"-PT1H","#,
            None,
            (now - 6 * HOUR, now),
            (now - 6 * HOUR, now),
        ),
        (
            "relative dashboard start and end",
            r#""start":"-P2D","end":"-PT12H","#,
            "",
            None,
            (now - 2 * DAY, now - 12 * HOUR),
            (now - 2 * DAY, now - 12 * HOUR),
        ),
        (
            "absolute dashboard range",
            r#""start":"2024-03-14T00:00:00Z","end":"2024-03-15T06:30:00.000Z","#,
            "",
            None,
            (t0, t0 + DAY + 6 * HOUR + 30 * MINUTE),
            (t0, t0 + DAY + 6 * HOUR + 30 * MINUTE),
        ),
        (
            "widget's own range",
            "",
            r#""start":"-PT1H","end":"-PT30M","#,
            None,
            (now - 3 * HOUR, now),
            (now - HOUR, now - 30 * MINUTE),
        ),
        ("last three hours", "", "", None, (now - 3 * HOUR, now), (now - 3 * HOUR, now)),
        (
            "widget's absolute start",
            "",
            r#""start":"2024-03-14T00:00:00Z","end":"2024-03-14T01:00:00Z","#,
            None,
            (now - 3 * HOUR, now),
            (t0, t0 + HOUR),
        ),
    ];
    for (name, dashboard, widget, range, expected_dashboard, expected_widget) in cases {
        let properties = format!(r#"{{{widget}"metrics":[["Shop","Orders","Host","a"]]}}"#);
        let rendered = render_text(&engine, &one_widget(dashboard, &properties), range, now).await;
        assert_eq!((rendered.start_ms, rendered.end_ms), expected_dashboard, "issue 4: {name}");
        let (chart, _) = chart(&rendered.widgets[0]);
        assert_eq!(chart.x_range_ms, expected_widget, "issue 4: {name}");
    }
}

/// One week of 1-minute data ending at `now`: `m % 10` at minute `m` (the week sums to 45,360).
async fn latency_week() -> (Engine, i64, i64) {
    let engine = Engine::start();
    let now = now_hour();
    let start = now - 7 * DAY;
    let series = key("Shop", "Latency", "web");
    let minutes = 7 * 24 * 60;
    for from in (0..minutes).step_by(1440) {
        let points: Vec<_> =
            (from..(from + 1440).min(minutes)).map(|m| point(&series, start + m * MINUTE, (m % 10) as f64)).collect();
        engine.write(&points, now).await;
    }
    engine.checkpoint(now).await;
    (engine, start, now)
}

const WEEK_SUM: f64 = 1008.0 * 45.0;

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_period_override_and_set_period_to_time_range() {
    let (engine, start, now) = latency_week().await;
    let week = (start, now);
    let row = r#""metrics":[["Shop","Latency","Host","web"]],"stat":"Sum","period":60"#;
    // (case, dashboard fields, more widget fields, expected period, expected point count, expected first values)
    type Case = (&'static str, &'static str, &'static str, i64, usize, &'static [f64]);
    let cases: [Case; 11] = [
        ("inherit keeps 60 s", r#""periodOverride":"inherit","#, "", 60, 10_080, &[0.0, 1.0, 2.0]),
        // 15-minute buckets start at minutes 0, 15, 30, ...: 0..9 + 0..4, then 5..9 + 0..9.
        ("auto coarsens to 900 s", "", "", 900, 672, &[55.0, 80.0, 55.0]),
        ("explicit auto", r#""periodOverride":"auto","#, "", 900, 672, &[55.0, 80.0]),
        ("auto keeps a period that fits", "", r#","period":3600"#, 3600, 168, &[270.0, 270.0]),
        (
            "single value over the range",
            "",
            r#","view":"singleValue","setPeriodToTimeRange":true"#,
            604_800,
            1,
            &[WEEK_SUM],
        ),
        ("bar over the range", "", r#","view":"bar","setPeriodToTimeRange":true"#, 604_800, 1, &[WEEK_SUM]),
        ("pie over the range", "", r#","view":"pie","setPeriodToTimeRange":true"#, 604_800, 1, &[WEEK_SUM]),
        (
            "one value even with inherit",
            r#""periodOverride":"inherit","#,
            r#","view":"pie","setPeriodToTimeRange":true"#,
            604_800,
            1,
            &[WEEK_SUM],
        ),
        (
            "sparkline keeps the time series",
            "",
            r#","view":"singleValue","setPeriodToTimeRange":true,"sparkline":true"#,
            900,
            672,
            &[55.0, 80.0],
        ),
        ("not for time series", "", r#","view":"timeSeries","setPeriodToTimeRange":true"#, 900, 672, &[55.0]),
        ("single value without it", "", r#","view":"singleValue""#, 900, 672, &[55.0]),
    ];
    for (name, dashboard, widget, period, count, first) in cases {
        let properties = format!("{{{row}{widget}}}");
        let rendered = render_text(&engine, &one_widget(dashboard, &properties), Some(week), now).await;
        let (chart, period_seconds) = chart(&rendered.widgets[0]);
        assert_eq!(period_seconds, period, "issue 4: {name}");
        assert_eq!(chart.series.len(), 1, "issue 4: {name}");
        let points = &chart.series[0].points;
        assert_eq!(points.len(), count, "issue 4: {name}");
        assert!(points.len() <= 1_440 || dashboard.contains("inherit"), "issue 4: {name}: at most 1,440 points");
        let values: Vec<f64> = points.iter().take(first.len()).map(|(_, v)| *v).collect();
        assert_eq!(values, first, "issue 4: {name}");
        assert_eq!(points[0].0, start, "issue 4: {name}: the first point is at the range's start");
        let total: f64 = points.iter().map(|(_, v)| v).sum();
        assert_eq!(total, WEEK_SUM, "issue 4: {name}: every datapoint counted once");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_set_period_to_time_range_gives_one_value_over_a_range_off_the_minute() {
    let (engine, start, now) = latency_week().await;
    // The console's "now" is seldom on a whole minute; the last datapoint (a minute before `now`) is in the range.
    let off = -30_500;
    let properties = r#"{"metrics":[["Shop","Latency","Host","web"]],"stat":"Sum","view":"singleValue","setPeriodToTimeRange":true}"#;
    let rendered = render_text(&engine, &one_widget("", properties), Some((start + off, now + off)), now + off).await;
    let (chart, _) = chart(&rendered.widgets[0]);
    let points = &chart.series[0].points;
    assert_eq!(points.len(), 1, "issue 4: one value for the whole range, got {points:?}");
    assert_eq!(points[0].1, WEEK_SUM, "issue 4: the range's sum");
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_set_period_to_time_range_gives_one_value_from_rolled_up_data() {
    let engine = Engine::start();
    let now = now_hour();
    // One UTC day of 1-minute data three weeks ago, rolled up as the engine would have done five days ago (roll-ups
    // start at the raw retention, so a maintenance pass now would not reach back that far).
    let series = key("Shop", "Latency", "old");
    let day_start = (now - 21 * DAY).div_euclid(DAY) * DAY;
    let points: Vec<_> = (0..1440).map(|m| point(&series, day_start + m * MINUTE, (m % 10) as f64)).collect();
    engine.write(&points, now).await;
    engine.checkpoint(now).await;
    let report = engine.tsdb.maintain(now - 5 * DAY).await.expect("maintenance");
    assert!(report.days_rolled_up > 0, "{report:?}");
    let properties =
        r#"{"metrics":[["Shop","Latency","Host","old"]],"stat":"Sum","view":"bar","setPeriodToTimeRange":true}"#;
    // (case, range): every range holds the whole day.
    let cases = [
        ("30 days to now", now - 30 * DAY, now),
        ("30 days to a now off the minute", now - 30 * DAY - 30_500, now - 30_500),
        ("30 days and 2 minutes (not whole 5-minute roll-ups)", now - 30 * DAY - 2 * MINUTE, now),
        ("30 days off the 5 minutes", now - 30 * DAY - 150_500, now - 150_500),
        ("90 days (hourly roll-ups) off the hour", now - 90 * DAY - 1_830_500, now - 1_830_500),
        ("ending before the day ends", day_start - 10 * DAY + 7_000, day_start + DAY + 7_000),
    ];
    for (name, start, end) in cases {
        let rendered = render_text(&engine, &one_widget("", properties), Some((start, end)), now).await;
        let (chart, _) = chart(&rendered.widgets[0]);
        assert_eq!(chart.x_range_ms, (start, end), "{name}: the chart shows the chosen range");
        let points = &chart.series[0].points;
        assert_eq!(points.len(), 1, "issue 4: {name}: {points:?}");
        assert_eq!(points[0].1, 144.0 * 45.0, "issue 4: {name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_expressions_show_only_visible_rows() {
    let (engine, t, now) = orders().await;
    let a = r#"["Shop","Orders","Host","a"#;
    // (case, rows, expected labels and host a's doubled sums where shown)
    type Case = (&'static str, String, Vec<(&'static str, Vec<(i64, f64)>)>);
    let cases: [Case; 4] = [
        (
            "hidden m1 with explicit ids",
            format!(r#"{a}",{{"id":"m1","visible":false}}],[{{"expression":"m1*2","id":"e1","label":"Double"}}]"#),
            vec![("Double", vec![(0, 20.0), (5, 70.0), (10, 120.0)])],
        ),
        (
            "hidden row numbered m1 by the console",
            format!(r#"{a}",{{"visible":false}}],[{{"expression":"m1*2","label":"Double"}}]"#),
            vec![("Double", vec![(0, 20.0), (5, 70.0), (10, 120.0)])],
        ),
        (
            "both visible",
            format!(r#"{a}",{{"id":"m1"}}],[{{"expression":"m1*2","id":"e1","label":"Double"}}]"#),
            vec![
                ("a Orders", vec![(0, 10.0), (5, 35.0), (10, 60.0)]),
                ("Double", vec![(0, 20.0), (5, 70.0), (10, 120.0)]),
            ],
        ),
        (
            "hidden expression",
            format!(r#"{a}",{{"id":"m1"}}],[{{"expression":"m1*2","id":"e1","visible":false}}]"#),
            vec![("a Orders", vec![(0, 10.0), (5, 35.0), (10, 60.0)])],
        ),
    ];
    for (name, rows, expected) in cases {
        let properties = format!(r#"{{"metrics":[{rows}],"stat":"Sum","period":300}}"#);
        let rendered = render_text(&engine, &one_widget("", &properties), Some((t, t + 15 * MINUTE)), now).await;
        let (chart, _) = chart(&rendered.widgets[0]);
        let expected: Vec<(String, Vec<(i64, f64)>)> =
            expected.into_iter().map(|(label, points)| (label.to_owned(), points)).collect();
        assert_eq!(series(chart, t), expected, "issue 4: {name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_text_alarm_and_log_widgets_and_placements() {
    let (engine, t, now) = orders().await;
    let body = r##"{"widgets":[
        {"type":"text","x":0,"y":0,"width":24,"height":2,
         "properties":{"markdown":"# Shop\n<script>alert(1)</script>\n\nOrders **live**","background":"transparent"}},
        {"type":"text","width":4,"height":1,"properties":{"markdown":"plain"}},
        {"type":"alarm","width":8,"properties":{"alarms":[
            "arn:aws:cloudwatch:us-east-1:000000000000:alarm:HighCpu",
            "arn:aws:cloudwatch:us-east-1:000000000000:alarm:db:replica-lag"]}},
        {"type":"log","x":12,"y":2,"width":12,"height":6,"properties":{
            "query":"SOURCE '/aws/lambda/checkout' | fields @timestamp, @message | limit 20",
            "region":"eu-west-1","title":"Checkout logs"}},
        {"type":"metric","properties":{"metrics":[["Shop","Orders","Host","a"]],"stat":"Sum","period":300}}
    ]}"##;
    let rendered = render_text(&engine, body, Some((t, t + 15 * MINUTE)), now).await;
    let places: Vec<(u32, u32, u32, u32)> = rendered.widgets.iter().map(|w| (w.x, w.y, w.width, w.height)).collect();
    let expected_places = parse_body(body)
        .expect("valid body")
        .layout()
        .into_iter()
        .map(|p| (p.x, p.y, p.width, p.height))
        .collect::<Vec<_>>();
    assert_eq!(places, expected_places, "placements are the body's layout");
    // The automatic widgets flow around the placed banner and the placed log widget.
    assert_eq!(places, [(0, 0, 24, 2), (0, 2, 4, 1), (4, 2, 8, 6), (12, 2, 12, 6), (0, 8, 6, 6)]);

    match &rendered.widgets[0].content {
        WidgetContent::Text { html, transparent } => {
            assert!(html.starts_with("<h1>Shop</h1>"), "{html}");
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
            assert!(!html.contains("<script"), "{html}");
            assert!(html.contains("<strong>live</strong>"), "{html}");
            assert!(*transparent);
        }
        other => panic!("expected text, got {other:?}"),
    }
    assert!(
        matches!(&rendered.widgets[1].content, WidgetContent::Text { html, transparent: false } if html == "<p>plain</p>\n"),
        "{:?}",
        rendered.widgets[1].content
    );
    assert_eq!(rendered.widgets[2].title.as_deref(), Some("Alarm status"));
    let alarm = |name: &str| AlarmRow {
        name: name.to_owned(),
        arn: format!("arn:aws:cloudwatch:us-east-1:000000000000:alarm:{name}"),
        state: None,
    };
    assert_eq!(
        rendered.widgets[2].content,
        WidgetContent::Alarms { alarms: vec![alarm("HighCpu"), alarm("db:replica-lag")] },
        "issue 4: an alarm's name is everything after `:alarm:`, colons included"
    );
    assert_eq!(rendered.widgets[3].title.as_deref(), Some("Checkout logs"));
    assert_eq!(
        rendered.widgets[3].content,
        WidgetContent::Log {
            query: "SOURCE '/aws/lambda/checkout' | fields @timestamp, @message | limit 20".to_owned(),
            region: Some("eu-west-1".to_owned()),
        }
    );
    let (chart, _) = chart(&rendered.widgets[4]);
    assert_eq!(series(chart, t), vec![("a Orders".to_owned(), vec![(0, 10.0), (5, 35.0), (10, 60.0)])]);
    assert_eq!(chart.view, View::TimeSeries);
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_a_widget_whose_data_cannot_be_fetched_shows_why_and_the_others_render() {
    let (engine, t, now) = orders().await;
    let metric = |rows: &str| {
        format!(
            r#"{{"type":"metric","properties":{{"metrics":[["Shop","Orders","Host","a",{{"id":"m1"}}],{rows}],"stat":"Sum","period":300}}}}"#
        )
    };
    // (case, rows after m1, what the message names)
    let broken = [
        ("syntax error", r#"[{"expression":"m1 *","id":"e1"}]"#, "unexpected end of expression"),
        ("unknown function", r#"[{"expression":"NOT_A_FUNCTION(m1)","id":"e1"}]"#, "NOT_A_FUNCTION"),
        ("unknown id", r#"[{"expression":"m9 + 1","id":"e1"}]"#, "m9"),
        ("bad statistic", r#"[".",".",".","b",{"stat":"p200"}]"#, "p200"),
    ];
    let good = metric(r#"[".",".",".","b"]"#);
    let mut widgets = vec![good.clone()];
    widgets.extend(broken.iter().map(|(_, rows, _)| metric(rows)));
    widgets.push(r#"{"type":"text","properties":{"markdown":"still here"}}"#.to_owned());
    widgets.push(good);
    let body = format!(r#"{{"widgets":[{}]}}"#, widgets.join(","));
    let rendered = render_text(&engine, &body, Some((t, t + 15 * MINUTE)), now).await;
    assert_eq!(rendered.widgets.len(), broken.len() + 3);
    for (widget, (name, _, named)) in rendered.widgets[1..].iter().zip(broken) {
        match &widget.content {
            WidgetContent::Error { message } => assert!(message.contains(named), "issue 4: {name}: {message}"),
            other => panic!("issue 4: {name}: expected an error, got {other:?}"),
        }
    }
    for index in [0, broken.len() + 2] {
        let (chart, _) = chart(&rendered.widgets[index]);
        assert_eq!(chart.series.len(), 2, "widget {index} still renders");
        assert_eq!(chart.series[1].points, [(t, 20.0), (t + 5 * MINUTE, 70.0), (t + 10 * MINUTE, 120.0)]);
    }
    assert!(matches!(&rendered.widgets[broken.len() + 1].content, WidgetContent::Text { .. }));
}

#[tokio::test(flavor = "multi_thread")]
async fn issue_4_a_widget_region_overrides_the_request_region() {
    let (engine, t, now) = orders().await;
    // (widget fields, expected point count of host a, whose data is in the tests' region)
    let cases = [("", 3), (r#""region":"us-east-1","#, 3), (r#""region":"eu-west-1","#, 0)];
    for (widget, expected) in cases {
        let properties = format!(r#"{{{widget}"metrics":[["Shop","Orders","Host","a"]],"stat":"Sum","period":300}}"#);
        let rendered = render_text(&engine, &one_widget("", &properties), Some((t, t + 15 * MINUTE)), now).await;
        let (chart, _) = chart(&rendered.widgets[0]);
        assert_eq!(chart.series[0].points.len(), expected, "{widget}");
    }
}

/// Issue 4 regression: a row's own `region` used to be replaced by the request's in `get_metric_data`, so the row
/// showed the widget region's data (and its unit was looked up in the other region, so it had none).
#[tokio::test(flavor = "multi_thread")]
async fn issue_4_rows_with_their_own_region_read_that_region() {
    let (engine, t, now) = orders().await;
    // (widget fields, rows: host a's data is in the tests' region, expected point counts)
    let cases = [
        ("", r#"["Shop","Orders","Host","a"],[".",".",".",".",{"region":"eu-west-1"}]"#, [3, 0]),
        (
            r#""region":"eu-west-1","#,
            r#"["Shop","Orders","Host","a"],[".",".",".",".",{"region":"us-east-1"}]"#,
            [0, 3],
        ),
    ];
    for (widget, rows, expected) in cases {
        let properties = format!(r#"{{{widget}"metrics":[{rows}],"stat":"Sum","period":300}}"#);
        let rendered = render_text(&engine, &one_widget("", &properties), Some((t, t + 15 * MINUTE)), now).await;
        let (chart, _) = chart(&rendered.widgets[0]);
        let counts: Vec<usize> = chart.series.iter().map(|s| s.points.len()).collect();
        assert_eq!(counts, expected, "{widget} {rows}");
    }
}

/// Alarms for the tests: fixed facts, as the console's alarm operations would give them.
struct Alarms(Vec<skywatch_dashboards::render::AlarmFacts>);

impl skywatch_dashboards::render::AlarmSource for Alarms {
    async fn alarms(&self, arns: Vec<String>, _range: (i64, i64)) -> Vec<skywatch_dashboards::render::AlarmFacts> {
        self.0.iter().filter(|f| arns.contains(&f.arn)).cloned().collect()
    }
}

/// Issue 11: an alarm status widget shows each alarm's state, and a metric widget naming an alarm in
/// `annotations.alarms` draws the threshold; with no metrics of its own it draws the alarm's metric and shades
/// its ALARM stretches.
#[tokio::test(flavor = "multi_thread")]
async fn issue_11_alarm_widgets_show_states_thresholds_and_the_alarms_metric() {
    use skywatch_charts::widget::{MetricRow, RenderOptions};
    let (engine, t, now) = orders().await;
    let arn = "arn:aws:cloudwatch:us-east-1:000000000000:alarm:orders-high";
    let metric = MetricRow {
        metric: key("Shop", "Orders", "a").metric.clone(),
        options: RenderOptions {
            stat: Some("Sum".into()),
            period: Some(300),
            label: Some("orders-high".into()),
            ..Default::default()
        },
    };
    let facts = Alarms(vec![skywatch_dashboards::render::AlarmFacts {
        arn: arn.into(),
        state: "ALARM".into(),
        threshold: Some(30.0),
        symbol: Some(">".into()),
        metric: Some((metric, 300)),
        alarm_spans: vec![(t + 10 * MINUTE, t + 15 * MINUTE)],
    }]);
    let body = format!(
        r#"{{"widgets":[
            {{"type":"alarm","x":0,"y":0,"width":6,"height":3,"properties":{{"alarms":["{arn}","arn:aws:cloudwatch:us-east-1:000000000000:alarm:gone"]}}}},
            {{"type":"metric","x":6,"y":0,"width":12,"height":6,"properties":{{"title":"Orders alarm","annotations":{{"alarms":["{arn}"]}},"view":"timeSeries"}}}}
        ]}}"#
    );
    let body = parse_body(&body).expect("valid body");
    let request = RenderRequest { account: ACCOUNT, region: REGION, range: Some((t, now)), now_ms: now };
    let rendered = render(&engine.tsdb, &facts, &body, &request).await;
    let WidgetContent::Alarms { alarms } = &rendered.widgets[0].content else { panic!("{:?}", rendered.widgets[0]) };
    let states: Vec<Option<&str>> = alarms.iter().map(|a: &AlarmRow| a.state.as_deref()).collect();
    assert_eq!(states, [Some("ALARM"), None], "an alarm that does not exist has no state");
    let (chart, period) = chart(&rendered.widgets[1]);
    assert_eq!(period, 300);
    assert_eq!(series(chart, t), [("orders-high".to_owned(), vec![(0, 10.0), (5, 35.0), (10, 60.0)])]);
    assert_eq!(chart.horizontal_annotations.len(), 1);
    assert_eq!(chart.horizontal_annotations[0].value, 30.0);
    assert_eq!(chart.horizontal_annotations[0].label.as_deref(), Some("orders-high > 30"));
    assert_eq!(chart.vertical_annotations.len(), 1);
    assert_eq!(chart.vertical_annotations[0].band_to_ms, Some(t + 15 * MINUTE));
}
