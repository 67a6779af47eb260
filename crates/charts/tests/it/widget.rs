//! The metric widget JSON: shorthand expansion, options, and validation errors that name the JSON path.

use serde_json::json;
use skywatch_charts::widget::time::TimeSpec;
use skywatch_charts::widget::{AxisSide, MetricEntry, MetricRow, MetricWidget, RenderOptions, WidgetError};
use skywatch_charts::{Chart, HFill, LegendPosition, SummaryColumn, TableLayout, TableOptions, Theme, VFill, View};

fn metric(entry: &MetricEntry) -> &MetricRow {
    match entry {
        MetricEntry::Metric(row) => row,
        MetricEntry::Expression(row) => panic!("expected a metric row, got {row:?}"),
    }
}

fn dims(row: &MetricRow) -> Vec<(&str, &str)> {
    row.dimensions.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect()
}

#[test]
fn shorthand_dots_and_ellipsis_expand_against_the_previous_metric() {
    let widget = MetricWidget::parse(
        r##"{"metrics": [
            ["AWS/EC2", "CPUUtilization", "InstanceId", "i-1", "AutoScalingGroupName", "web"],
            [".", ".", ".", "i-2", ".", "."],
            ["...", "api"],
            [".", "NetworkIn", ".", ".", ".", ".", {"stat": "Sum"}],
            ["...", {"label": "again"}],
            ["AWS/Lambda", "Errors"],
            [".", "Throttles"]
        ]}"##,
    )
    .unwrap();
    let rows: Vec<&MetricRow> = widget.metrics.iter().map(metric).collect();
    assert_eq!(rows.len(), 7);
    assert_eq!((rows[0].namespace.as_str(), rows[0].metric_name.as_str()), ("AWS/EC2", "CPUUtilization"));
    assert_eq!(dims(rows[0]), [("InstanceId", "i-1"), ("AutoScalingGroupName", "web")]);
    assert_eq!(dims(rows[1]), [("InstanceId", "i-2"), ("AutoScalingGroupName", "web")]);
    assert_eq!(rows[1].metric_name, "CPUUtilization");
    assert_eq!(dims(rows[2]), [("InstanceId", "i-2"), ("AutoScalingGroupName", "api")]);
    assert_eq!(rows[3].metric_name, "NetworkIn");
    assert_eq!(dims(rows[3]), [("InstanceId", "i-2"), ("AutoScalingGroupName", "api")]);
    assert_eq!(rows[3].options.stat.as_deref(), Some("Sum"));
    assert_eq!(rows[4].metric_name, "NetworkIn");
    assert_eq!(dims(rows[4]), dims(rows[3]));
    assert_eq!(rows[4].options.label.as_deref(), Some("again"));
    assert_eq!(rows[4].options.stat, None, "options are not repeated");
    assert_eq!((rows[6].namespace.as_str(), rows[6].metric_name.as_str()), ("AWS/Lambda", "Throttles"));
    assert!(rows[6].dimensions.is_empty());
}

#[test]
fn dots_skip_expression_rows() {
    let widget = MetricWidget::parse(
        r#"{"metrics": [
            ["AWS/States", "ExecutionsStarted", "StateMachineArn", "arn:1", {"id": "m1", "visible": false}],
            [{"expression": "m1 - m2", "label": "Running", "id": "e1"}],
            [".", "ExecutionsFailed", ".", ".", {"id": "m2"}]
        ]}"#,
    )
    .unwrap();
    let last = metric(&widget.metrics[2]);
    assert_eq!(last.namespace, "AWS/States");
    assert_eq!(dims(last), [("StateMachineArn", "arn:1")]);
    match &widget.metrics[1] {
        MetricEntry::Expression(row) => {
            assert_eq!(row.expression, "m1 - m2");
            assert_eq!(row.options.label.as_deref(), Some("Running"));
            assert_eq!(row.options.id.as_deref(), Some("e1"));
        }
        other => panic!("expected an expression, got {other:?}"),
    }
    assert!(!widget.metrics[0].options().is_visible());
    assert_eq!(widget.metrics[1].display_label(), "Running");
    assert_eq!(widget.metrics[2].display_label(), "ExecutionsFailed");
}

#[test]
fn every_option_and_widget_property_is_read() {
    let widget = MetricWidget::parse(
        r##"{
            "metrics": [["AWS/EC2", "CPUUtilization", "InstanceId", "i-1", {
                "stat": "p99", "period": 60, "label": "web", "color": "#FF7f0e", "yAxis": "right", "id": "m1",
                "visible": true, "region": "eu-west-1", "accountId": "123456789012"
            }]],
            "view": "singleValue", "stacked": true, "stat": "Maximum", "period": 3600, "region": "us-east-1",
            "title": "CPU", "width": 800, "height": 300, "start": "-PT6H", "end": "2024-03-14T12:00:00Z",
            "timezone": "+0900", "liveData": true, "setPeriodToTimeRange": true, "sparkline": true,
            "singleValueFullPrecision": true, "accountId": "123456789012",
            "yAxis": {"left": {"min": 0, "max": 100, "label": "Percent", "showUnits": false}, "right": {"min": -5}},
            "legend": {"position": "right"},
            "annotations": {
                "horizontal": [
                    {"value": 80, "label": "High", "color": "#d62728", "fill": "above", "yAxis": "right"},
                    {"value": 10, "visible": false, "fill": "below"},
                    [{"value": 20, "label": "Band"}, {"value": 40, "label": "Band end"}]
                ],
                "vertical": [
                    {"value": "2024-03-14T10:00:00Z", "label": "Deploy", "fill": "after"},
                    [{"value": "2024-03-14T09:00:00Z"}, {"value": "2024-03-14T09:30:00Z"}]
                ],
                "alarms": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:high-cpu"]
            },
            "unknownProperty": "ignored"
        }"##,
    )
    .unwrap();
    let options = widget.metrics[0].options();
    let expected = RenderOptions {
        id: Some("m1".into()),
        label: Some("web".into()),
        color: Some("#FF7f0e".into()),
        stat: Some("p99".into()),
        period: Some(60),
        region: Some("eu-west-1".into()),
        account_id: Some("123456789012".into()),
        visible: Some(true),
        y_axis: Some(AxisSide::Right),
    };
    assert_eq!(options, &expected);
    assert!(options.on_right_axis());
    assert_eq!(widget.view, View::SingleValue);
    assert!(widget.stacked && widget.live_data && widget.set_period_to_time_range && widget.sparkline);
    assert!(widget.single_value_full_precision);
    assert_eq!(widget.stat_for(options), "p99");
    assert_eq!(widget.period_for(options), 60);
    assert_eq!(widget.period_for(&RenderOptions::default()), 3600);
    assert_eq!(widget.stat.as_deref(), Some("Maximum"));
    assert_eq!(widget.region.as_deref(), Some("us-east-1"));
    assert_eq!(widget.title.as_deref(), Some("CPU"));
    assert_eq!(widget.image_size(), (800, 300));
    assert_eq!(widget.start, Some(TimeSpec::Relative { offset_ms: -6 * 3_600_000 }));
    assert_eq!(widget.end, Some(TimeSpec::Absolute { epoch_ms: 1_710_417_600_000 }));
    let now = 1_710_417_600_000 + 3_600_000;
    assert_eq!(widget.time_range_ms(now).unwrap(), (now - 6 * 3_600_000, 1_710_417_600_000));
    assert_eq!(widget.timezone_minutes, Some(540));
    assert_eq!(widget.y_axis.left.max, Some(100.0));
    assert_eq!(widget.y_axis.left.show_units, Some(false));
    assert_eq!(widget.y_axis.right.min, Some(-5.0));
    assert_eq!(widget.legend, LegendPosition::Right);
    let horizontal = &widget.annotations.horizontal;
    assert_eq!(horizontal.len(), 3);
    assert_eq!(horizontal[0].fill, Some(HFill::Above));
    assert_eq!(horizontal[0].y_axis, AxisSide::Right);
    assert!(!horizontal[1].visible);
    assert_eq!(horizontal[2].band_end.as_ref().map(|end| end.value), Some(40.0));
    let vertical = &widget.annotations.vertical;
    assert_eq!(vertical[0].time_ms, 1_710_410_400_000);
    assert_eq!(vertical[0].fill, Some(VFill::After));
    assert_eq!(vertical[1].band_end.as_ref().map(|end| end.value), Some(1_710_408_600_000));
    assert_eq!(widget.annotations.alarms.len(), 1);
}

#[test]
fn defaults_apply_when_properties_are_absent() {
    let widget = MetricWidget::parse(r#"{"metrics": [["AWS/EC2", "CPUUtilization"]]}"#).unwrap();
    assert_eq!(widget.view, View::TimeSeries);
    assert!(!widget.stacked);
    assert_eq!(widget.legend, LegendPosition::Bottom);
    assert_eq!(widget.image_size(), (600, 400));
    assert_eq!(widget.stat_for(widget.metrics[0].options()), "Average");
    assert_eq!(widget.period_for(widget.metrics[0].options()), 300);
    let now = 1_710_417_600_000;
    assert_eq!(widget.time_range_ms(now).unwrap(), (now - 3 * 3_600_000, now));
}

#[test]
fn an_alarm_widget_needs_no_metrics() {
    let widget = MetricWidget::parse(r#"{"annotations": {"alarms": ["arn:aws:cloudwatch:r:1:alarm:a"]}}"#).unwrap();
    assert!(widget.metrics.is_empty());
}

#[test]
fn the_expanded_json_parses_back_to_the_same_widget() {
    let text = r##"{"metrics": [["AWS/EC2", "CPUUtilization", "InstanceId", "i-1"], ["...", "i-2", {"color": "#123456"}],
        [{"expression": "SUM(METRICS())", "id": "e1"}]], "start": "-P7D", "timezone": "-0130", "legend": {"position": "hidden"},
        "annotations": {"horizontal": [[{"value": 1}, {"value": 2, "label": "b"}]], "vertical": [{"value": "2024-03-14T10:00:00Z"}]},
        "yAxis": {"left": {"min": 0}}}"##;
    let widget = MetricWidget::parse(text).unwrap();
    let json = widget.to_json();
    assert_eq!(json["metrics"][1], json!(["AWS/EC2", "CPUUtilization", "InstanceId", "i-2", {"color": "#123456"}]));
    assert_eq!(json["start"], json!("-P7D"));
    assert_eq!(json["timezone"], json!("-0130"));
    let again: MetricWidget = serde_json::from_value(serde_json::to_value(&widget).unwrap()).unwrap();
    assert_eq!(again, widget);
}

#[test]
fn serde_deserialize_reports_the_path() {
    let error = serde_json::from_str::<MetricWidget>(r#"{"metrics": [["A", 1]]}"#).unwrap_err();
    assert!(error.to_string().contains("metrics[0][1]: Should be string"), "{error}");
}

/// (widget JSON, expected "path: message" prefix)
const INVALID: &[(&str, &str)] = &[
    (r#"[]"#, "MetricWidget: Should be object"),
    (r#"{}"#, "MetricWidget: Should have required property 'metrics'"),
    (r#"{"metrics": {}}"#, "metrics: Should be array"),
    (r#"{"metrics": []}"#, "metrics: Should NOT have fewer than 1 items"),
    (r#"{"metrics": ["AWS/EC2"]}"#, "metrics[0]: Should be array"),
    (r#"{"metrics": [[]]}"#, "metrics[0]: Should NOT have fewer than 1 items"),
    (r#"{"metrics": [["AWS/EC2", "CPU"], ["AWS/EC2", "CPU", "InstanceId", 5]]}"#, "metrics[1][3]: Should be string"),
    (r#"{"metrics": [["AWS/EC2", "CPU", {"stat": "Sum"}, "x"]]}"#, "metrics[0][2]: Should be string"),
    (r#"{"metrics": [["AWS/EC2", null]]}"#, "metrics[0][1]: Should be string"),
    (r#"{"metrics": [["AWS/EC2"]]}"#, "metrics[0]: Should have a namespace and a metric name"),
    (
        r#"{"metrics": [["AWS/EC2", "CPU", "InstanceId"]]}"#,
        "metrics[0]: Should have a value for the dimension 'InstanceId'",
    ),
    (r#"{"metrics": [["", "CPU"]]}"#, "metrics[0][0]: Should NOT be shorter than 1 characters"),
    (r#"{"metrics": [[".", "CPU"]]}"#, "metrics[0][0]: '.' has no value"),
    (r#"{"metrics": [["AWS/EC2", "CPU"], [".", ".", "."]]}"#, "metrics[1][2]: '.' has no value"),
    (r#"{"metrics": [["...", "CPU"]]}"#, "metrics[0][0]: '...' has no previous metric"),
    (r#"{"metrics": [["A", "B"], ["A", "...", "c", "d", "e"]]}"#, "metrics[1][1]: '...' has nothing to repeat"),
    (r#"{"metrics": [["A", "B"], ["...", "..."]]}"#, "metrics[1][1]: '...' may appear only once"),
    (r#"{"metrics": [["A", "B", {"stat": 5}]]}"#, "metrics[0][2].stat: Should be string"),
    (r#"{"metrics": [["A", "B", {"period": "300"}]]}"#, "metrics[0][2].period: Should be integer"),
    (
        r#"{"metrics": [["A", "B", {"period": 7}]]}"#,
        "metrics[0][2].period: Should be 1, 5, 10, 20, 30 or a multiple of 60",
    ),
    (r#"{"metrics": [["A", "B", {"period": 0}]]}"#, "metrics[0][2].period: Should be >= 1"),
    (r#"{"metrics": [["A", "B", {"color": "red"}]]}"#, "metrics[0][2].color: Should match pattern"),
    (
        r#"{"metrics": [["A", "B", {"yAxis": "top"}]]}"#,
        "metrics[0][2].yAxis: Should be equal to one of the allowed values",
    ),
    (r#"{"metrics": [["A", "B", {"visible": "yes"}]]}"#, "metrics[0][2].visible: Should be boolean"),
    (r#"{"metrics": [["A", "B", {"id": "M1"}]]}"#, "metrics[0][2].id: Should match pattern"),
    (r#"{"metrics": [["A", "B", {"label": 5}]]}"#, "metrics[0][2].label: Should be string"),
    (r#"{"metrics": [["A", "B", {"expression": "m1"}]]}"#, "metrics[0][2].expression: Should NOT be in a metric row"),
    (r#"{"metrics": [["A", "B", {"id": "m1"}], ["A", "C", {"id": "m1"}]]}"#, "metrics[1][2].id: Should be unique"),
    (r#"{"metrics": [[{"label": "x"}]]}"#, "metrics[0][0]: Should have required property 'expression'"),
    (r#"{"metrics": [[{"expression": 5}]]}"#, "metrics[0][0].expression: Should be string"),
    (r#"{"metrics": [[{"expression": " "}]]}"#, "metrics[0][0].expression: Should NOT be shorter than 1 characters"),
    (r#"{"metrics": [[{"expression": "m1"}, "x"]]}"#, "metrics[0]: Should NOT have more than 1 items"),
    (r#"{"metrics": [["A", "B"]], "view": "line"}"#, "view: Should be equal to one of the allowed values"),
    (r#"{"metrics": [["A", "B"]], "stacked": "true"}"#, "stacked: Should be boolean"),
    (r#"{"metrics": [["A", "B"]], "stat": ""}"#, "stat: Should NOT be shorter than 1 characters"),
    (r#"{"metrics": [["A", "B"]], "period": 90}"#, "period: Should be 1, 5, 10, 20, 30 or a multiple of 60"),
    (r#"{"metrics": [["A", "B"]], "title": 5}"#, "title: Should be string"),
    (r#"{"metrics": [["A", "B"]], "width": 0}"#, "width: Should be >= 1"),
    (r#"{"metrics": [["A", "B"]], "height": 2001}"#, "height: Should be <= 2000"),
    (r#"{"metrics": [["A", "B"]], "width": 1.5}"#, "width: Should be integer"),
    (r#"{"metrics": [["A", "B"]], "start": "yesterday"}"#, "start: Should be an ISO 8601 time"),
    (r#"{"metrics": [["A", "B"]], "end": "-PT"}"#, "end: Should be an ISO 8601 time"),
    (r#"{"metrics": [["A", "B"]], "timezone": "JST"}"#, "timezone: Should match pattern"),
    (r#"{"metrics": [["A", "B"]], "yAxis": []}"#, "yAxis: Should be object"),
    (r#"{"metrics": [["A", "B"]], "yAxis": {"left": {"min": "0"}}}"#, "yAxis.left.min: Should be number"),
    (
        r#"{"metrics": [["A", "B"]], "yAxis": {"right": {"min": 5, "max": 1}}}"#,
        "yAxis.right.max: Should be greater than min",
    ),
    (r#"{"metrics": [["A", "B"]], "yAxis": {"left": {"showUnits": 1}}}"#, "yAxis.left.showUnits: Should be boolean"),
    (r#"{"metrics": [["A", "B"]], "legend": {"position": "top"}}"#, "legend.position: Should be equal to one of"),
    (r#"{"metrics": [["A", "B"]], "annotations": {"horizontal": {}}}"#, "annotations.horizontal: Should be array"),
    (
        r#"{"metrics": [["A", "B"]], "annotations": {"horizontal": [{"label": "x"}]}}"#,
        "annotations.horizontal[0]: Should have required property 'value'",
    ),
    (
        r#"{"metrics": [["A", "B"]], "annotations": {"horizontal": [{"value": "80"}]}}"#,
        "annotations.horizontal[0].value: Should be number",
    ),
    (
        r#"{"metrics": [["A", "B"]], "annotations": {"horizontal": [{"value": 1, "fill": "left"}]}}"#,
        "annotations.horizontal[0].fill: Should be equal to one of",
    ),
    (
        r#"{"metrics": [["A", "B"]], "annotations": {"horizontal": [{"value": 1}, [{"value": 1}]]}}"#,
        "annotations.horizontal[1]: Should have 2 items",
    ),
    (
        r#"{"metrics": [["A", "B"]], "annotations": {"horizontal": [[{"value": 1}, {"label": "x"}]]}}"#,
        "annotations.horizontal[0][1]: Should have required property 'value'",
    ),
    (
        r#"{"metrics": [["A", "B"]], "annotations": {"vertical": [{"value": "soon"}]}}"#,
        "annotations.vertical[0].value: Should be an ISO 8601 time",
    ),
    (
        r#"{"metrics": [["A", "B"]], "annotations": {"vertical": [{"value": "2024-01-01T00:00:00Z", "fill": "above"}]}}"#,
        "annotations.vertical[0].fill: Should be equal to one of",
    ),
    (r#"{"metrics": [["A", "B"]], "annotations": {"alarms": [5]}}"#, "annotations.alarms[0]: Should be string"),
    (r#"{"metrics": [["A", "B"]], "table": []}"#, "table: Should be object"),
    (r#"{"metrics": [["A", "B"]], "table": {"layout": "diagonal"}}"#, "table.layout: Should be equal to one of"),
    (r#"{"metrics": [["A", "B"]], "table": {"showTimeSeriesData": 1}}"#, "table.showTimeSeriesData: Should be boolean"),
    (r#"{"metrics": [["A", "B"]], "table": {"summaryColumns": "MIN"}}"#, "table.summaryColumns: Should be array"),
    (
        r#"{"metrics": [["A", "B"]], "table": {"summaryColumns": ["MIN", 3]}}"#,
        "table.summaryColumns[1]: Should be string",
    ),
    (
        r#"{"metrics": [["A", "B"]], "table": {"summaryColumns": ["MEDIAN"]}}"#,
        "table.summaryColumns[0]: Should be equal to one of the allowed values",
    ),
    (
        r#"{"metrics": [["A", "B"]], "table": {"summaryColumns": ["MIN", "MIN"]}}"#,
        "table.summaryColumns[1]: Should NOT have duplicate items",
    ),
    (r#"{"metrics": [["A", "B"]], "table": {"stickySummary": "no"}}"#, "table.stickySummary: Should be boolean"),
];

#[test]
fn invalid_widgets_name_the_offending_path() {
    for (text, expected) in INVALID {
        match MetricWidget::parse(text) {
            Ok(widget) => panic!("{text} parsed: {widget:?}"),
            Err(error) => {
                assert!(error.to_string().starts_with(expected), "{text}\n  got:      {error}\n  expected: {expected}")
            }
        }
    }
}

#[test]
fn errors_expose_path_pieces_and_a_json_pointer() {
    let error =
        MetricWidget::parse(r#"{"metrics": [["AWS/EC2", "CPU"], ["AWS/EC2", "CPU", "InstanceId", 5]]}"#).unwrap_err();
    let path = error.path().unwrap();
    assert_eq!(path.to_string(), "metrics[1][3]");
    assert_eq!(path.json_pointer(), "/metrics/1/3");
    assert_eq!(error.message(), "Should be string");
    let nested = MetricWidget::parse(r#"{"metrics": [["A", "B"]], "yAxis": {"left": {"min": "0"}}}"#).unwrap_err();
    assert_eq!(nested.path().unwrap().json_pointer(), "/yAxis/left/min");
}

#[test]
fn malformed_json_is_its_own_error() {
    assert!(matches!(MetricWidget::parse("{\"metrics\": ["), Err(WidgetError::Json(_))));
}

#[test]
fn too_many_metrics_are_refused() {
    let rows: Vec<_> = (0..101).map(|i| json!(["AWS/EC2", format!("M{i}")])).collect();
    let error = MetricWidget::from_value(&json!({ "metrics": rows })).unwrap_err();
    assert_eq!(error.to_string(), "metrics: Should NOT have more than 100 items");
}

#[test]
fn start_after_end_is_refused() {
    let widget = MetricWidget::parse(r#"{"metrics": [["A", "B"]], "start": "-PT1H", "end": "-PT2H"}"#).unwrap();
    assert_eq!(widget.time_range_ms(10_000_000).unwrap_err().to_string(), "start: Should be before end");
}

#[test]
fn the_table_property_is_read_written_and_carried_into_the_chart() {
    let text = r#"{"metrics": [["A", "B"]], "view": "table", "sparkline": true,
        "table": {"layout": "vertical", "showTimeSeriesData": false, "summaryColumns": ["AVG", "MAX"], "stickySummary": true}}"#;
    let widget = MetricWidget::parse(text).unwrap();
    let settings = widget.table.clone().unwrap();
    assert_eq!(settings.summary_columns, Some(vec![SummaryColumn::Average, SummaryColumn::Max]));
    let json = widget.to_json();
    assert_eq!(
        json["table"],
        json!({"layout": "vertical", "showTimeSeriesData": false, "summaryColumns": ["AVG", "MAX"], "stickySummary": true})
    );
    assert_eq!(MetricWidget::from_value(&json).unwrap(), widget);
    let chart = Chart::from_widget(&widget, Vec::new(), (0, 60_000), Theme::Dark);
    assert!(chart.sparkline);
    assert_eq!(
        chart.table,
        TableOptions {
            layout: TableLayout::Vertical,
            summary_columns: vec![SummaryColumn::Average, SummaryColumn::Max],
            show_time_series_data: false,
            sticky_summary: true,
        }
    );
    let plain = MetricWidget::parse(r#"{"metrics": [["A", "B"]], "table": {}}"#).unwrap();
    assert_eq!(plain.to_json()["table"], json!({}));
    let defaults = Chart::from_widget(&plain, Vec::new(), (0, 60_000), Theme::Light);
    assert_eq!(defaults.table, TableOptions::default());
    assert_eq!(defaults.table.summary_columns, SummaryColumn::CLOUDWATCH);
    assert!(defaults.table.show_time_series_data && !defaults.sparkline);
    assert!(MetricWidget::parse(r#"{"metrics": [["A", "B"]]}"#).unwrap().to_json().get("table").is_none());
}
