//! Metric values and dimensions: the selectors of `PutMetricFilter`'s metric transformations, resolved against
//! matched events as the user guide's "Using values in log events to increment a metric's value" and "Publishing
//! dimensions with metrics from values in JSON or space-delimited log events" describe.

use skywatch_logpattern::{FieldKey, FilterPattern, Kind, Selector, parse};

fn pattern(text: &str) -> FilterPattern {
    match parse(text) {
        Ok(pattern) => pattern,
        Err(error) => panic!("{text}: {error:?}"),
    }
}

fn selector(text: &str) -> Selector {
    match Selector::parse(text) {
        Ok(selector) => selector,
        Err(error) => panic!("{text}: {error:?}"),
    }
}

#[test]
fn selectors_parse_and_print() {
    for text in ["1", "0.5", "-2", "1e3", "$.latency", "$.a.b[0]", "$.['cluster.name']", "$bytes", "$status_code", "$7"]
    {
        assert_eq!(selector(text).to_string(), text);
        assert_eq!(text.parse::<Selector>().ok(), Some(selector(text)));
    }
    for text in ["", "abc", "$", "$.", "$.a[*]", "$.*", "$.a b", "$status-code", "$ x", "1,000", "inf", "$.a=1"] {
        let error = Selector::parse(text).err();
        assert!(error.is_some(), "{text:?} was accepted");
        assert!(error.is_some_and(|e| e.to_string().starts_with(&format!("Invalid selector '{text}'"))));
    }
}

#[test]
fn json_metric_value_from_the_matched_event() {
    // The user guide's procedure: filter { $.latency = * }, metric value $.latency, event with latency 50.
    let filter = pattern("{ $.latency = * }");
    let message = r#"{"latency": 50, "requestType": "GET"}"#;
    let extracted = filter.evaluate(message).expect("the guide's event matches");
    assert_eq!(extracted.number(&selector("$.latency")), Some(50.0));
    assert_eq!(extracted.value(&selector("$.requestType")).as_deref(), Some("GET"));
    // A property the pattern does not name is read all the same.
    let status = pattern("{ $.status = 200 }");
    let message = r#"{"status": 200, "bytes": 5120, "size": "12.5", "path": "/x", "ok": true, "none": null}"#;
    let extracted = status.evaluate(message).expect("matches");
    assert_eq!(extracted.number(&selector("$.bytes")), Some(5120.0));
    assert_eq!(extracted.number(&selector("$.size")), Some(12.5));
    assert_eq!(extracted.number(&selector("$.path")), None);
    assert_eq!(extracted.number(&selector("$.missing")), None);
    assert_eq!(extracted.value(&selector("$.ok")).as_deref(), Some("true"));
    assert_eq!(extracted.value(&selector("$.none")), None);
    assert_eq!(extracted.number(&selector("1")), Some(1.0));
    assert_eq!(extracted.value(&selector("$bytes")), None);
    assert!(extracted.event().is_some());
    assert!(extracted.fields().is_empty());
}

#[test]
fn json_dimension_from_the_guide() {
    let filter = pattern("{ $.eventType = \"*\" && $.sourceIPAddress != 123.123.* }");
    let message =
        r#"{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "arrayKey": ["value", "another value"]}"#;
    let extracted = filter.evaluate(message).expect("matches");
    assert_eq!(extracted.value(&selector("$.eventType")).as_deref(), Some("UpdateTrail"));
    assert_eq!(extracted.value(&selector("$.arrayKey[1]")).as_deref(), Some("another value"));
    assert_eq!(extracted.value(&selector("$.arrayKey")), None);
}

#[test]
fn space_delimited_values_and_dimensions() {
    // "Publishing dimensions with metrics from space-delimited log events": dimension "server": $server.
    let filter = pattern("[ip, server, username, timestamp, request, status_code, bytes > 1000]");
    let message = r#"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;
    let extracted = filter.evaluate(message).expect("matches");
    assert_eq!(extracted.value(&selector("$server")).as_deref(), Some("Prod"));
    assert_eq!(extracted.number(&selector("$bytes")), Some(1534.0));
    assert_eq!(extracted.number(&selector("$status_code")), Some(404.0));
    assert_eq!(extracted.number(&selector("$request")), None);
    assert_eq!(extracted.value(&selector("$7")).as_deref(), Some("1534"));
    assert_eq!(extracted.value(&selector("$8")), None);
    assert_eq!(extracted.value(&selector("$missing")), None);
    assert_eq!(extracted.value(&selector("$.bytes")), None);
    assert_eq!(extracted.fields().first(), Some(&(FieldKey::Name("ip"), "127.0.0.1")));
    assert!(extracted.event().is_none());
    // Under `...`, fields are known by position.
    let tail = pattern("[..., status_code, bytes]");
    let extracted = tail.evaluate(message).expect("matches");
    assert_eq!(extracted.value(&selector("$2")).as_deref(), Some("Prod"));
    assert_eq!(extracted.number(&selector("$bytes")), Some(1534.0));
}

#[test]
fn terms_extract_nothing() {
    let filter = pattern("ERROR");
    let extracted = filter.evaluate("ERROR 42").expect("matches");
    assert!(extracted.values().is_empty());
    assert_eq!(extracted.number(&selector("1")), Some(1.0));
    assert_eq!(extracted.value(&selector("$.a")), None);
    assert_eq!(extracted.value(&selector("$a")), None);
    assert!(filter.evaluate("WARN 42").is_none());
}

#[test]
fn what_each_form_can_resolve() {
    let json = pattern("{ $.status = 200 }");
    let delimited = pattern("[ip, user, bytes]");
    let terms = pattern("ERROR");
    let regex = pattern("%ERROR%");
    assert!(json.resolves(&selector("$.bytes")) && json.resolves(&selector("1")));
    assert!(!json.resolves(&selector("$bytes")));
    assert!(delimited.resolves(&selector("$bytes")) && delimited.resolves(&selector("$3")));
    assert!(!delimited.resolves(&selector("$size")) && !delimited.resolves(&selector("$.bytes")));
    assert!(terms.resolves(&selector("1")) && !terms.resolves(&selector("$.a")) && !terms.resolves(&selector("$a")));
    assert!(json.supports_dimensions() && delimited.supports_dimensions());
    assert!(!terms.supports_dimensions() && !regex.supports_dimensions());
    assert_eq!(
        [json.kind(), delimited.kind(), terms.kind(), regex.kind()],
        [Kind::Json, Kind::SpaceDelimited, Kind::Terms, Kind::Terms]
    );
}

#[test]
fn pattern_facts() {
    assert_eq!(pattern("%a%").regex_count(), 1);
    assert_eq!(pattern("[a=%x%, b=%y%]").regex_count(), 2);
    assert_eq!(pattern("{ $.a = %x% && $.b = 1 }").regex_count(), 1);
    assert_eq!(pattern("ERROR").regex_count(), 0);
    for everything in ["", "   ", "\" \"", "[]", "?\" \" ?x", "\" \" ?x"] {
        assert!(pattern(everything).matches_everything(), "{everything:?}");
    }
    for not_everything in ["x", "-\" \"", "[a]", "{ $.a = * }", "%.%", "?x ?y"] {
        assert!(!pattern(not_everything).matches_everything(), "{not_everything:?}");
    }
}
