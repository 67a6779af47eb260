//! Issue 12: the filter-expression language as X-Ray's guide writes it, as a table: expressions against one
//! summarized trace (the shop's failing checkout), whether each matches, and expressions X-Ray refuses. Plus a
//! property test that no input panics or nests past the limits.

use proptest::prelude::*;
use skywatch_traces::document::parse as parse_documents;
use skywatch_traces::filter::{Expr, FilterError, GroupRef, Groups, MAX_DEPTH, MAX_LENGTH, NoGroups, matches, parse};
use skywatch_traces::id::TraceId;
use skywatch_traces::storage::Stored;
use skywatch_traces::summary::{Summary, summarize};

const TRACE: &str = "1-58406520-a006649127e371903a2de979";

fn stored(json: &str) -> Vec<Stored> {
    parse_documents(json)
        .unwrap()
        .into_iter()
        .map(|d| Stored {
            received_ms: 0,
            kind: d.kind,
            in_progress: d.in_progress,
            json: d.json,
            entities: d.entities,
        })
        .collect()
}

/// gateway (root, 500, 0.5 s) -> orders (fault, 0.2 s) -> payments (fault at `charge`, CardError) and
/// orders -> carts (DynamoDB, ok); annotations on gateway and orders; user alice; payments on EC2 in a zone.
fn checkout() -> Summary {
    let mut docs = stored(&format!(
        r#"{{"trace_id":"{TRACE}","id":"0000000000000001","name":"gateway","origin":"AWS::EC2::Instance","start_time":10,"end_time":10.5,
           "http":{{"request":{{"method":"POST","url":"https://shop.example.com/api/checkout","user_agent":"Mozilla/5.0","client_ip":"205.255.255.183"}},"response":{{"status":500}}}},
           "annotations":{{"customer":"alice","items":3,"vip":true,"retry":false}},"user":"alice",
           "subsegments":[{{"id":"0000000000000011","name":"orders","namespace":"remote","start_time":10.1,"end_time":10.4,"fault":true,
             "http":{{"response":{{"status":502}}}}}}]}}"#
    ));
    docs.extend(stored(&format!(
        r#"{{"trace_id":"{TRACE}","id":"0000000000000002","parent_id":"0000000000000011","name":"orders","start_time":10.15,"end_time":10.35,
           "fault":true,"annotations":{{"customer":"alice","tier":"gold"}},
           "subsegments":[{{"id":"0000000000000021","name":"payments","namespace":"remote","start_time":10.2,"end_time":10.3,"fault":true}},
                          {{"id":"0000000000000022","name":"DynamoDB","namespace":"aws","aws":{{"table_name":"carts"}},"start_time":10.16,"end_time":10.17}}]}}"#
    )));
    docs.extend(stored(&format!(
        r#"{{"trace_id":"{TRACE}","id":"0000000000000003","parent_id":"0000000000000021","name":"payments","start_time":10.21,"end_time":10.29,"fault":true,
           "aws":{{"ec2":{{"instance_id":"i-0abc","availability_zone":"us-east-1a"}}}},"resource_arn":"arn:aws:ec2:us-east-1:0:instance/i-0abc",
           "subsegments":[{{"id":"0000000000000031","name":"charge","start_time":10.22,"end_time":10.28,"fault":true,
             "cause":{{"exceptions":[{{"type":"CardError","message":"declined"}},{{"type":"Timeout","message":"slow bank","remote":true}}]}}}}]}}"#
    )));
    summarize(TraceId::parse(TRACE).unwrap(), &docs, 1)
}

struct OneGroup;

impl Groups for OneGroup {
    fn expression(&self, by: GroupRef, value: &str) -> Option<Expr> {
        match (by, value) {
            (GroupRef::Name, "slow") => parse("responsetime > 0.4").unwrap(),
            (GroupRef::Name, "loop") => parse(r#"group.name = "loop""#).unwrap(),
            _ => None,
        }
    }
}

/// (expression, matches the checkout trace)
const CASES: &[(&str, bool)] = &[
    ("responsetime > 0.4", true),
    ("responsetime > 5", false),
    ("responseTime >= 0.5", true),
    ("duration >= 0.5 AND duration <= 0.6", true),
    ("duration > 0.5", false),
    ("ok", false),
    ("!ok", true),
    ("ok = false", true),
    ("fault", true),
    ("fault = true AND http.url CONTAINS \"api/checkout\" AND responsetime >= 0.5", true),
    ("error = true OR fault = true", true),
    ("error", false),
    ("throttle", false),
    ("partial", false),
    ("!partial", true),
    ("inferred", true),
    ("http.status != 200", true),
    ("http.status >= 500", true),
    ("http.status = 404", false),
    ("ok !partial duration <3", false),
    ("!ok !partial duration <3", true),
    ("http.url CONTAINS \"/api/\"", true),
    ("http.url BEGINSWITH \"https://shop\"", true),
    ("http.url ENDSWITH \"/checkout\"", true),
    ("http.url ENDSWITH \"/cart\"", false),
    ("http.method = \"POST\"", true),
    ("http.useragent BEGINSWITH \"Mozilla\"", true),
    ("http.clientip = \"205.255.255.183\"", true),
    ("http.url AND responsetime > 0.4", true),
    ("user = \"alice\"", true),
    ("user CONTAINS \"\"", true),
    ("user = \"bob\"", false),
    ("service(\"orders\")", true),
    ("service(\"nowhere\")", false),
    ("!service(\"nowhere\")", true),
    ("service(\"orders\") { fault }", true),
    ("service(\"orders\") { ok }", false),
    ("service(\"carts\") { ok }", true),
    ("service() { fault }", true),
    ("service(\"gateway\") {root = true and fault = true}", true),
    ("service(\"orders\") { root }", false),
    ("service(\"payments\") { responsetime < 0.1 }", true),
    ("service(\"gateway\") { http.status = 500 }", true),
    ("edge(\"gateway\", \"orders\")", true),
    ("edge(\"orders\", \"gateway\")", false),
    ("edge(\"gateway\", \"orders\") { fault }", true),
    ("edge(\"gateway\", \"orders\") { http.status = 502 }", true),
    ("edge(\"orders\", \"carts\") { error }", false),
    ("service(id(name: \"carts\", type: \"AWS::DynamoDB::Table\"))", true),
    ("service(id(type: \"AWS::EC2::Instance\")) { fault }", true),
    ("service(id(name: \"carts\", type: \"remote\"))", false),
    ("service(id(account.id: \"123456789012\"))", true),
    ("service(id(account.id: \"999999999999\"))", false),
    ("edge(id(name: \"gateway\", type: \"AWS::EC2::Instance\"), id(name: \"orders\")) { fault }", true),
    ("annotation.customer = \"alice\"", true),
    ("annotation.customer = \"bob\"", false),
    ("annotation.customer != \"bob\"", true),
    ("annotation.items > 2", true),
    ("annotation.vip", true),
    ("annotation.retry", false),
    ("annotation.retry = false", true),
    ("annotation.tier BEGINSWITH \"go\"", true),
    ("annotation.nothing", false),
    ("!annotation.nothing", true),
    ("annotation.Customer = \"alice\"", false),
    ("availabilityzone = \"us-east-1a\"", true),
    ("instance.id = \"i-0abc\"", true),
    ("resource.arn ENDSWITH \"i-0abc\"", true),
    ("rootcause.fault.service { name = \"payments\" }", true),
    ("rootcause.fault.service { name = \"orders\" }", false),
    ("rootcause.fault.service { first and last and !inferred }", true),
    ("rootcause.fault.entity { name = \"charge\" and last }", true),
    ("rootcause.fault.entity { index = 0 and name = \"payments\" }", true),
    ("rootcause.fault.exception { name = \"CardError\" and first }", true),
    ("rootcause.fault.exception { last and message = \"slow bank\" and remote }", true),
    ("rootcause.error.service { name = \"payments\" }", false),
    ("group.name = \"slow\" AND user = \"alice\"", true),
    ("group.name = \"nope\"", false),
    ("group.name != \"nope\"", true),
    ("group.name = \"loop\"", false),
    ("(fault OR error) AND NOT throttle", true),
    ("fault OR error AND throttle", true),
    ("(fault OR error) AND throttle", false),
    ("not fault", false),
    ("FAULT and Service(\"orders\")", true),
    ("", true),
    ("   ", true),
];

#[test]
fn expressions_match_the_checkout_trace_as_x_ray_would() {
    let summary = checkout();
    for (text, expected) in CASES {
        let parsed = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let matched = parsed.as_ref().is_none_or(|expr| matches(expr, &summary, "123456789012", &OneGroup));
        assert_eq!(matched, *expected, "{text}");
    }
    let fault = parse("fault").unwrap().unwrap();
    assert!(matches(&fault, &summary, "0", &NoGroups));
}

/// (expression, what the refusal says, position)
const REFUSED: &[(&str, &str, usize)] = &[
    ("service(\"a\"", "expected ')'", 11),
    ("edge(\"a\") { fault }", "expected ',' and the edge's destination", 8),
    ("service(\"a\") { fault", "expected '}'", 20),
    ("AND fault", "unknown keyword 'and'", 0),
    ("responsetime >", "responsetime compares with a number", 0),
    ("http.status == 500", "'==' is not an operator", 12),
    ("duration BETWEEN 1 AND 2", "unknown keyword 'between'", 9),
    ("annotation.items > \"2\"", "<, <=, > and >= compare numbers", 19),
    ("foo = 1", "unknown keyword 'foo'", 0),
    ("annotation. = \"x\"", "an annotation key is letters, digits and '_'", 0),
    ("responsetime > \"5\"", "responsetime compares with a number", 0),
    ("http.url > 5", "http.url is a string", 0),
    ("fault = 1", "fault compares with true or false", 0),
    ("service(\"a\") { annotation.x = \"y\" }", "annotation is not allowed inside service()", 15),
    ("coverage > 0.5", "coverage is not allowed at the top level", 0),
    ("id(name: \"x\")", "id() is not allowed at the top level", 0),
    ("rootcause.responsetime.exception { last }", "unknown root cause level 'exception'", 0),
    ("rootcause.fault.service", "a rootcause selector needs a { filter }", 23),
    ("service(id(name: \"a\", name: \"b\"))", "id() names name twice", 22),
    ("annotation.x < \"a\"", "<, <=, > and >= compare numbers", 15),
    ("annotation.x CONTAINS 3", "CONTAINS, BEGINSWITH and ENDSWITH compare strings", 22),
    ("user = alice", "user compares with a quoted string", 0),
    ("edge(\"a\", \"b\") { root }", "root is not allowed inside edge()", 17),
    ("rootcause.json = #[{}]", "rootcause.json is not supported", 0),
];

#[test]
fn bad_expressions_are_refused_with_where_and_why() {
    for (text, message, position) in REFUSED {
        let error: FilterError = parse(text).expect_err(text);
        assert!(error.message.contains(message), "{text}: {error}");
        assert_eq!(error.position, *position, "{text}: {error}");
        assert!(error.to_string().starts_with("Invalid filter expression: "));
    }
}

#[test]
fn length_and_nesting_are_bounded() {
    let long = format!("user = \"{}\"", "x".repeat(MAX_LENGTH));
    assert!(parse(&long).unwrap_err().message.contains("longer than"));
    let deep = format!("{}fault{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
    assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
    let negations = format!("{}fault", "!".repeat(MAX_DEPTH + 1));
    assert!(parse(&negations).unwrap_err().message.contains("nested deeper"));
    let fine = format!("{}fault{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parse(&fine).is_ok());
}

proptest! {
    /// Any text parses or is refused, never panics; what parses can be evaluated.
    #[test]
    fn no_input_panics(text in "[ -~]{0,200}") {
        if let Ok(Some(expr)) = parse(&text) {
            let _ = matches(&expr, &checkout(), "0", &OneGroup);
        }
    }

    /// Expressions built from the language's own pieces parse.
    #[test]
    fn combinations_of_valid_terms_parse(
        terms in prop::collection::vec(prop::sample::select(vec![
            "fault", "!ok", "responsetime > 1", "service(\"a\") { error }", "annotation.k = \"v\"",
            "edge(\"a\", \"b\")", "http.url CONTAINS \"/x\"", "(error OR throttle)", "NOT partial",
        ]), 1..8),
        joins in prop::collection::vec(prop::sample::select(vec![" AND ", " OR ", " ", " and ", " or "]), 8),
    ) {
        let mut text = String::from(terms[0]);
        for (term, join) in terms.iter().skip(1).zip(joins) {
            text.push_str(join);
            text.push_str(term);
        }
        prop_assert!(parse(&text).is_ok(), "{}", text);
    }
}
