//! The composite alarm rule language (issue 11): AWS's examples parse and evaluate as documented, malformed and
//! oversized rules are refused with a reason, and printing is parsing's inverse.

use proptest::prelude::*;
use skywatch_alarms::AlarmState::{self, Alarm, InsufficientData, Ok};
use skywatch_alarms::rule::{MAX_ALARMS, MAX_DEPTH, MAX_RULE_LENGTH, Rule, RuleError, parse};

fn states<'a>(pairs: &'a [(&'a str, AlarmState)]) -> impl Fn(&str) -> Option<AlarmState> + 'a {
    move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The children's states a case sets.
type Children = &'static [(&'static str, AlarmState)];

/// (rule, child states, holds)
#[test]
fn rules_evaluate_as_documented() {
    let cases: &[(&str, Children, bool)] = &[
        (
            "ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)",
            &[("CPUUtilizationTooHigh", Alarm), ("DeploymentInProgress", Ok)],
            true,
        ),
        (
            "ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)",
            &[("CPUUtilizationTooHigh", Alarm), ("DeploymentInProgress", Alarm)],
            false,
        ),
        (
            "(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)",
            &[("DiskReadOpsTooHigh", Alarm), ("NetworkOutTooHigh", Ok)],
            true,
        ),
        (
            "(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)",
            &[("DiskReadOpsTooHigh", Alarm), ("NetworkOutTooHigh", Alarm)],
            false,
        ),
        ("ALARM(\"my alarm (prod)\")", &[("my alarm (prod)", Alarm)], true),
        ("INSUFFICIENT_DATA(arn:aws:cloudwatch:us-east-1:123456789012:alarm:gone)", &[], true),
        ("OK(unknown)", &[], false),
        ("TRUE", &[], true),
        ("FALSE OR TRUE AND FALSE", &[], false),
        ("NOT FALSE AND TRUE", &[], true),
        ("ALARM(a) OR ALARM(b) AND ALARM(c)", &[("a", Alarm), ("b", Ok), ("c", Ok)], true),
        ("NOT (ALARM(a) OR OK(a))", &[("a", InsufficientData)], true),
    ];
    for (text, children, holds) in cases {
        let rule = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(rule.holds(&states(children)), *holds, "{text}");
    }
    let rule = parse("ALARM(a) AND (OK(b) OR ALARM(a)) AND NOT INSUFFICIENT_DATA(c)").unwrap();
    assert_eq!(rule.alarms(), ["a", "b", "c"]);
}

#[test]
fn malformed_rules_name_the_problem() {
    for (text, fragment) in [
        ("", "empty"),
        ("ALARM", "must be followed by ("),
        ("ALARM()", "needs an alarm name"),
        ("ALARM(my alarm)", "double quotes"),
        ("ALARM(\"open", "not closed"),
        ("alarm(a)", "expected ALARM"),
        ("ALARM(a) AND", "missing"),
        ("(ALARM(a)", "not closed"),
        ("ALARM(a))", "after the rule"),
        ("ALARM(a) XOR OK(b)", "after the rule"),
        ("\"a\"", "inside ALARM()"),
    ] {
        let error = parse(text).expect_err(text).to_string();
        assert!(error.contains(fragment), "{text:?}: {error}");
    }
}

/// Issue 10's bounds for every parser: length, names and depth, checked before a deep tree exists.
#[test]
fn rules_are_bounded() {
    let long = format!("ALARM(\"{}\")", "x".repeat(MAX_RULE_LENGTH));
    assert_eq!(parse(&long), Err(RuleError::TooLong));
    let many: Vec<String> = (0..=MAX_ALARMS).map(|i| format!("ALARM(a{i})")).collect();
    assert_eq!(parse(&many.join(" OR ")), Err(RuleError::TooManyAlarms));
    let repeated = vec!["ALARM(a)"; 500].join(" OR ");
    assert!(parse(&repeated).is_ok(), "one alarm named 500 times is one alarm");
    let nots = format!("{}TRUE", "NOT ".repeat(MAX_DEPTH + 1));
    assert_eq!(parse(&nots), Err(RuleError::TooDeep));
    let parens = format!("{}TRUE{}", "(".repeat(2000), ")".repeat(2000));
    assert_eq!(parse(&parens), Err(RuleError::TooDeep));
    assert!(parse(&format!("{}TRUE", "NOT ".repeat(MAX_DEPTH))).is_ok());
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9_.:-]{1,12}", "[ -~]{1,12}".prop_filter("not blank", |s| !s.trim().is_empty())]
        .prop_map(|s| s.trim().to_owned())
}

fn rule() -> impl Strategy<Value = Rule> {
    let leaf = prop_oneof![
        Just(Rule::True),
        Just(Rule::False),
        (prop::sample::select(AlarmState::ALL.to_vec()), name()).prop_map(|(state, alarm)| Rule::Is { state, alarm }),
    ];
    leaf.prop_recursive(6, 40, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|r| Rule::Not(Box::new(r))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Rule::And),
            prop::collection::vec(inner, 2..4).prop_map(Rule::Or),
        ]
    })
}

proptest! {
    #[test]
    fn printing_is_parsings_inverse(rule in rule()) {
        let printed = rule.to_string();
        prop_assert_eq!(parse(&printed), Result::Ok(rule), "{}", printed);
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,80}") {
        let _ = parse(&text);
    }

    #[test]
    fn parsing_structured_noise_never_panics(parts in prop::collection::vec(prop_oneof![
        "ALARM", "OK", "INSUFFICIENT_DATA", "TRUE", "FALSE", "AND", "OR", "NOT", "\\(", "\\)", "\"", "\\\\", " ",
        "[a-z]{1,3}"], 0..30)) {
        let _ = parse(&parts.concat());
    }
}
