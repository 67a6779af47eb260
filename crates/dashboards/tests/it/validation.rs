//! Dashboard body validation (issue 4): a data-driven table of refused bodies with CloudWatch's data paths and
//! messages, accepted bodies with every widget kind, and parse_body never panicking.

use proptest::prelude::*;
use skywatch_dashboards::{PeriodOverride, TimeSpec, ValidationMessage, WidgetKind, parse_body};

const OK_METRIC: &str = r#"{"type":"metric","properties":{"metrics":[["AWS/EC2","CPUUtilization"]]}}"#;

/// One refused widget inside an otherwise valid body.
fn widget(json: &str) -> String {
    format!(r#"{{"widgets":[{OK_METRIC},{json}]}}"#)
}

/// (body, expected messages as (data path, message)).
fn cases() -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let not_object = vec![("", "The field DashboardBody must be a valid JSON object")];
    let many_widgets = format!(r#"{{"widgets":[{}]}}"#, vec![OK_METRIC; 501].join(","));
    let many_alarms: Vec<String> =
        (0..101).map(|i| format!("\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a{i}\"")).collect();
    let alarm_list = format!(r#"{{"type":"alarm","properties":{{"alarms":[{}]}}}}"#, many_alarms.join(","));
    vec![
        ("not json".into(), not_object.clone()),
        ("[]".into(), not_object.clone()),
        ("\"text\"".into(), not_object.clone()),
        ("".into(), not_object),
        ("{}".into(), vec![("", "Should have required property 'widgets'")]),
        (r#"{"widgets":{}}"#.into(), vec![("/widgets", "Should be array")]),
        (many_widgets, vec![("/widgets", "Should NOT have more than 500 items")]),
        (widget("7"), vec![("/widgets/1", "Should be object")]),
        (widget(r#"{"properties":{}}"#), vec![("/widgets/1", "Should have required property 'type'")]),
        (
            widget(r#"{"type":"explorer","properties":{}}"#),
            vec![("/widgets/1/type", r#"Should be equal to one of the allowed values: "metric", "text", "alarm", "log""#)],
        ),
        (widget(r#"{"type":3,"properties":{}}"#), vec![("/widgets/1/type", "Should be string")]),
        (widget(r#"{"type":"text"}"#), vec![("/widgets/1", "Should have required property 'properties'")]),
        (
            widget(r#"{"type":"text","properties":{}}"#),
            vec![("/widgets/1/properties", "Should have required property 'markdown'")],
        ),
        (widget(r#"{"type":"text","properties":[]}"#), vec![("/widgets/1/properties", "Should be object")]),
        (
            widget(r##"{"type":"text","properties":{"markdown":"# a","background":"red"}}"##),
            vec![("/widgets/1/properties/background", r#"Should be equal to one of the allowed values: "solid", "transparent""#)],
        ),
        (
            widget(r#"{"type":"text","x":"0","properties":{"markdown":"a"}}"#),
            vec![("/widgets/1/x", "Should be integer")],
        ),
        (widget(r#"{"type":"text","x":1.5,"properties":{"markdown":"a"}}"#), vec![("/widgets/1/x", "Should be integer")]),
        (widget(r#"{"type":"text","x":24,"properties":{"markdown":"a"}}"#), vec![("/widgets/1/x", "Should be <= 23")]),
        (widget(r#"{"type":"text","x":-1,"properties":{"markdown":"a"}}"#), vec![("/widgets/1/x", "Should be >= 0")]),
        (
            widget(r#"{"type":"text","x":20,"width":6,"properties":{"markdown":"a"}}"#),
            vec![("/widgets/1/x", "Should be <= 18")],
        ),
        (widget(r#"{"type":"text","y":-3,"properties":{"markdown":"a"}}"#), vec![("/widgets/1/y", "Should be >= 0")]),
        (widget(r#"{"type":"text","width":0,"properties":{"markdown":"a"}}"#), vec![("/widgets/1/width", "Should be >= 1")]),
        (
            widget(r#"{"type":"text","width":25,"properties":{"markdown":"a"}}"#),
            vec![("/widgets/1/width", "Should be <= 24")],
        ),
        (
            widget(r#"{"type":"text","height":1001,"properties":{"markdown":"a"}}"#),
            vec![("/widgets/1/height", "Should be <= 1000")],
        ),
        (
            widget(r#"{"type":"metric","properties":{}}"#),
            vec![("/widgets/1/properties", "Should have required property 'metrics'")],
        ),
        (
            widget(r#"{"type":"metric","properties":{"metrics":[["NS",7]]}}"#),
            vec![("/widgets/1/properties/metrics/0/1", "Should be string")],
        ),
        (
            widget(r#"{"type":"metric","properties":{"metrics":[["NS","M"]],"view":"donut"}}"#),
            vec![(
                "/widgets/1/properties/view",
                r#"Should be equal to one of the allowed values: "timeSeries", "singleValue", "gauge", "bar", "pie", "table""#,
            )],
        ),
        (
            widget(r#"{"type":"metric","properties":{"metrics":[["NS","M"]],"stacked":"yes"}}"#),
            vec![("/widgets/1/properties/stacked", "Should be boolean")],
        ),
        (
            widget(r#"{"type":"alarm","properties":{"title":"x"}}"#),
            vec![("/widgets/1/properties", "Should have required property 'alarms'")],
        ),
        (
            widget(r#"{"type":"alarm","properties":{"alarms":[]}}"#),
            vec![("/widgets/1/properties/alarms", "Should NOT have fewer than 1 items")],
        ),
        (widget(&alarm_list), vec![("/widgets/1/properties/alarms", "Should NOT have more than 100 items")]),
        (
            widget(r#"{"type":"alarm","properties":{"alarms":["my-alarm"]}}"#),
            vec![(
                "/widgets/1/properties/alarms/0",
                r#"Should match pattern "^arn:aws[a-z-]*:cloudwatch:[^:]*:[0-9]*:alarm:.+$""#,
            )],
        ),
        (
            widget(
                r#"{"type":"alarm","properties":{"alarms":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"],"states":["ALARM","BROKEN"],"sortBy":"name"}}"#,
            ),
            vec![
                ("/widgets/1/properties/sortBy", r#"Should be equal to one of the allowed values: "default", "stateUpdatedTimestamp", "timestamp""#),
                ("/widgets/1/properties/states/1", r#"Should be equal to one of the allowed values: "ALARM", "INSUFFICIENT_DATA", "OK""#),
            ],
        ),
        (
            widget(r#"{"type":"log","properties":{"region":"us-east-1"}}"#),
            vec![("/widgets/1/properties", "Should have required property 'query'")],
        ),
        (
            widget(r#"{"type":"log","properties":{"query":"fields @message","view":"gauge","stacked":1}}"#),
            vec![
                ("/widgets/1/properties/view", r#"Should be equal to one of the allowed values: "table", "timeSeries", "bar", "pie""#),
                ("/widgets/1/properties/stacked", "Should be boolean"),
            ],
        ),
        (
            r#"{"widgets":[],"start":"yesterday","periodOverride":"never"}"#.into(),
            vec![
                ("/start", "Should be an ISO 8601 time such as 2018-04-25T12:00:00.000Z or a relative time such as -PT3H"),
                ("/periodOverride", r#"Should be equal to one of the allowed values: "auto", "inherit""#),
            ],
        ),
        (
            // Every widget's problems are reported, in order, and every field of one widget.
            r#"{"widgets":[{"type":"text","width":30,"properties":{}},{"type":"metric","x":"a","properties":{"metrics":"x"}},{"type":"nope"}]}"#.into(),
            vec![
                ("/widgets/0/width", "Should be <= 24"),
                ("/widgets/0/properties", "Should have required property 'markdown'"),
                ("/widgets/1/x", "Should be integer"),
                ("/widgets/1/properties/metrics", "Should be array"),
                ("/widgets/2/type", r#"Should be equal to one of the allowed values: "metric", "text", "alarm", "log""#),
            ],
        ),
    ]
}

#[test]
fn refused_bodies_name_every_problem_with_its_data_path() {
    let cases = cases();
    assert!(cases.len() >= 25);
    for (body, expected) in cases {
        let expected: Vec<ValidationMessage> =
            expected.into_iter().map(|(path, message)| ValidationMessage::new(path, message)).collect();
        let short: String = body.chars().take(120).collect();
        assert_eq!(parse_body(&body).err(), Some(expected), "body {short}");
    }
}

#[test]
fn accepts_every_widget_kind_and_dashboard_setting() {
    let body = r##"{
      "start": "-PT6H", "end": "2024-05-01T00:00:00Z", "periodOverride": "inherit", "variables": [],
      "widgets": [
        {"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{
          "metrics":[["AWS/EC2","CPUUtilization","InstanceId","i-1",{"stat":"p99","period":60,"label":"cpu","color":"#ff0000","yAxis":"right"}],
                     [".",".",".","i-2"],
                     [{"expression":"m1*2","label":"double","id":"e1"}]],
          "view":"singleValue","stacked":true,"stat":"Sum","period":300,"region":"us-east-1","title":"CPU",
          "yAxis":{"left":{"min":0,"max":100}},"liveData":true,"setPeriodToTimeRange":true,"sparkline":true,
          "start":"-PT1H","end":"P0D",
          "annotations":{"horizontal":[{"value":80,"label":"high","fill":"above"}],
                         "vertical":[{"value":"2024-01-01T00:00:00Z","label":"deploy","fill":"after"}]}}},
        {"type":"text","width":24,"height":2,"properties":{"markdown":"# Héllo","background":"transparent"}},
        {"type":"alarm","properties":{"alarms":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:High CPU"],
          "title":"Alarms","sortBy":"stateUpdatedTimestamp","states":["ALARM","OK"]}},
        {"type":"log","x":3,"properties":{"query":"SOURCE 'app' | fields @message","region":"eu-west-1","title":"Logs","view":"bar","stacked":true}}
      ]}"##;
    let parsed = parse_body(body).expect("a valid body");
    assert_eq!(parsed.start, Some(TimeSpec::Relative { offset_ms: -6 * 3_600_000 }));
    assert_eq!(parsed.period_override, Some(PeriodOverride::Inherit));
    assert_eq!(parsed.widgets.len(), 4);
    let WidgetKind::Metric(metric) = &parsed.widgets[0].kind else { panic!("a metric widget") };
    assert_eq!(metric.metrics.len(), 3);
    assert!(metric.sparkline && metric.live_data && metric.stacked);
    assert_eq!(metric.annotations.horizontal.len(), 1);
    let WidgetKind::Text(text) = &parsed.widgets[1].kind else { panic!("a text widget") };
    assert!(text.transparent);
    assert_eq!((parsed.widgets[1].width, parsed.widgets[1].height), (24, 2));
    let WidgetKind::Alarm(alarm) = &parsed.widgets[2].kind else { panic!("an alarm widget") };
    assert_eq!(alarm.states, ["ALARM", "OK"]);
    assert_eq!((parsed.widgets[2].width, parsed.widgets[2].height), (6, 6));
    let WidgetKind::Log(log) = &parsed.widgets[3].kind else { panic!("a log widget") };
    assert_eq!((log.view.as_deref(), log.stacked, parsed.widgets[3].x), (Some("bar"), true, Some(3)));
}

#[test]
fn an_empty_widget_list_is_a_dashboard() {
    assert_eq!(parse_body(r#"{"widgets":[]}"#).map(|body| body.widgets.len()), Ok(0));
}

#[test]
fn to_json_parses_back_to_the_same_model() {
    let body = r#"{"start":"-PT3H","periodOverride":"auto","widgets":[
        {"type":"metric","x":0,"y":0,"properties":{"metrics":[["NS","M","D","a"],[".",".",".","b"]],"title":"t"}},
        {"type":"text","properties":{"markdown":"x","background":"transparent"}},
        {"type":"alarm","properties":{"alarms":["arn:aws:cloudwatch:us-east-1:1:alarm:a"],"states":["OK"]}},
        {"type":"log","properties":{"query":"q","view":"table"}}]}"#;
    let parsed = parse_body(body).expect("valid");
    let again = parse_body(&parsed.to_json().to_string()).expect("its JSON is valid");
    assert_eq!(again, parsed);
}

fn json_ish() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| f.to_string()),
        "[a-zA-Z./#:-]{0,12}".prop_map(|s| format!("\"{s}\"")),
        prop::sample::select(vec!["\"metric\"", "\"text\"", "\"alarm\"", "\"log\"", "\".\"", "\"-PT3H\""])
            .prop_map(str::to_string),
    ];
    let keys = prop::sample::select(vec![
        "widgets",
        "type",
        "x",
        "y",
        "width",
        "height",
        "properties",
        "metrics",
        "markdown",
        "alarms",
        "query",
        "view",
        "stat",
        "period",
        "start",
        "end",
        "periodOverride",
        "annotations",
        "yAxis",
        "states",
        "sortBy",
        "horizontal",
        "vertical",
        "value",
        "expression",
        "background",
    ]);
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|pairs| {
                let fields: Vec<String> = pairs.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}

proptest! {
    #[test]
    fn parse_body_never_panics(text in json_ish()) {
        let _ = parse_body(&text);
        let wrapped = format!("{{\"widgets\":[{{\"type\":\"metric\",\"properties\":{text}}},{{\"type\":\"text\",\"properties\":{text}}},{text}]}}");
        if let Ok(body) = parse_body(&wrapped) {
            prop_assert_eq!(body.layout().len(), body.widgets.len());
        }
    }

    #[test]
    fn parse_body_never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = parse_body(&text);
    }
}
