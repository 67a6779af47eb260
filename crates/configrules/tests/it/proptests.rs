//! Properties: any `InputParameters` text is refused or accepted without panicking, and accepted
//! parameters evaluate; any Guard-like text is refused or parsed, and what parses evaluates, without
//! panicking; annotations never exceed 256 characters.

use crate::common;

use common::{ci, supp, with};
use proptest::prelude::*;
use serde_json::{Value, json};
use skywatch_configrules::{Compliance, GuardPolicy, MAX_ANNOTATION_CHARS, managed_rules};

/// An item of each type the managed rules evaluate, with something for each rule to look at.
fn items() -> Vec<Value> {
    vec![
        ci(
            "AWS::EC2::SecurityGroup",
            json!({"ipPermissions": [{"ipProtocol": "-1", "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}]}),
        ),
        supp(
            ci("AWS::S3::Bucket", json!({"name": "b"})),
            "AccessControlList",
            json!("{\"grantList\":[{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}]}"),
        ),
        with(
            ci("AWS::CloudWatch::Alarm", json!({"alarmName": "a", "metricName": "m", "period": 60})),
            "tags",
            json!({"k": "v"}),
        ),
        ci("AWS::Logs::LogGroup", json!({"logGroupName": "g", "retentionInDays": 1})),
        ci("AWS::EC2::Instance", json!({"monitoring": {"state": "disabled"}, "publicIpAddress": "203.0.113.1"})),
    ]
}

fn parameter_text() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "tag1Key",
        "tag1Value",
        "tag2Key",
        "blockedPort1",
        "blockedPorts",
        "authorizedTcpPorts",
        "MinRetentionTime",
        "LogGroupNames",
        "alarmActionRequired",
        "insufficientDataActionRequired",
        "okActionRequired",
        "action1",
        "metricName",
        "period",
        "threshold",
        "isMfaDeleteEnabled",
        "other",
    ]);
    let values = prop_oneof![
        "[ -~]{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["true", "FALSE", "22", "0-65535", "1,2, 3", "365", "", " "]).prop_map(|s| json!(s)),
        any::<i64>().prop_map(|i| json!(i)),
        Just(Value::Null),
    ];
    let object = prop::collection::btree_map(names, values, 0..5).prop_map(|m| {
        serde_json::to_string(&m.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<serde_json::Map<_, _>>())
            .unwrap_or_default()
    });
    prop_oneof![object, ".{0,40}"]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_parameters_are_refused_or_evaluate(text in parameter_text()) {
        let items = items();
        for rule in managed_rules() {
            if let Ok(parameters) = rule.parameters(Some(&text)) {
                for item in &items {
                    let verdict = rule.evaluate(&parameters, item);
                    prop_assert!(verdict.annotation.as_ref().is_none_or(|a| a.chars().count() <= MAX_ANNOTATION_CHARS));
                    prop_assert_ne!(verdict.compliance, Compliance::InsufficientData);
                }
            }
        }
    }
}

fn guard_text() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "rule ",
        "r ",
        "when ",
        "{ ",
        "} ",
        "[ ",
        "] ",
        "( ",
        ") ",
        "configuration",
        ".",
        "a",
        "*",
        " == ",
        " != ",
        " in ",
        " exists",
        " !empty",
        " not ",
        "'x'",
        "\"y\"",
        "/x+/",
        "1",
        "-2.5",
        "%v",
        "let v = ",
        "\n",
        "some ",
        "keys ",
        "r[1,2]",
        ", ",
        "# c\n",
        "<< m >>",
        "or ",
        "this",
        "tags",
        "resourceType",
        "count(",
        "|",
        "<",
    ]);
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_guard_text_is_refused_or_evaluates(text in guard_text()) {
        let item = with(ci("AWS::S3::Bucket", json!({"a": [1, {"a": "x"}], "name": "b"})), "tags", json!({"a": "x"}));
        if let Ok(policy) = GuardPolicy::parse(&text) {
            let verdict = policy.evaluate(&item);
            prop_assert!(verdict.annotation.as_ref().is_none_or(|a| a.chars().count() <= MAX_ANNOTATION_CHARS));
        }
    }

    #[test]
    fn any_text_is_refused_or_parsed(text in "(?s).{0,300}") {
        let _ = GuardPolicy::parse(&text);
    }
}

/// Mostly valid policies: rules with `when` conditions, clauses, filters and messages.
fn structured_policy() -> impl Strategy<Value = String> {
    let path = prop::sample::select(vec![
        "configuration.a",
        "configuration.a[*]",
        "configuration.a[*].a",
        "configuration.name",
        "tags.a",
        "tags.*",
        "configuration.a[ a == 'x' ]",
        "resourceType",
        "supplementaryConfiguration.x",
        "configuration.*",
        "%v",
    ]);
    let op = prop::sample::select(vec![
        " == 'x'",
        " != 1",
        " exists",
        " !exists",
        " empty",
        " !empty",
        " == /^b/",
        " in ['b', 1]",
        " is_string",
        " < 3",
    ]);
    let clause = (path, op, proptest::option::of("[a-z ]{0,8}")).prop_map(|(p, o, m)| match m {
        Some(m) => format!("{p}{o} << {m} >>"),
        None => format!("{p}{o}"),
    });
    let rule = (prop::collection::vec(clause.clone(), 1..4), proptest::option::of(clause), any::<bool>());
    let rules = prop::collection::vec(rule, 1..4);
    rules.prop_map(|rules| {
        let mut text = String::from("let v = configuration.a[*]\n");
        for (i, (clauses, condition, disjunction)) in rules.into_iter().enumerate() {
            let when = condition.map(|c| format!("when {c} ")).unwrap_or_default();
            let join = if disjunction { " or\n  " } else { "\n  " };
            text.push_str(&format!("rule r{i} {when}{{\n  {}\n}}\n", clauses.join(join)));
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn structured_policies_parse_and_evaluate(text in structured_policy()) {
        let item = with(ci("AWS::S3::Bucket", json!({"a": [{"a": "x"}, {"a": "y"}], "name": "b"})), "tags", json!({"a": "x"}));
        let policy = GuardPolicy::parse(&text);
        prop_assert!(policy.is_ok(), "{text}: {policy:?}");
        if let Ok(policy) = policy {
            let verdict = policy.evaluate(&item);
            prop_assert_ne!(verdict.compliance, Compliance::InsufficientData, "{}: {:?}", text, verdict.annotation);
        }
    }
}
