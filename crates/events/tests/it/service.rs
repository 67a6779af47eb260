//! Buses, rules, targets, tags and TestEventPattern, with EventBridge's answers and messages (as AWS gave them in
//! LocalStack's AWS-validated snapshots where they were recorded).

use crate::fixture::{ACCOUNT, Fixture};

use skywatch_events::model::{InputTransformer, Target};
use skywatch_events::{
    BusNameInput, CreateEventBus, CreateEventBusInput, DeleteEventBus, DeleteRule, DeleteRuleInput, DescribeEventBus,
    DescribeEventBusInput, DescribeRule, DisableRule, EnableRule, EventsError, ListEventBuses, ListEventBusesInput,
    ListRuleNamesByTarget, ListRuleNamesByTargetInput, ListRules, ListRulesInput, ListTargetsByRule,
    ListTargetsByRuleInput, PutRule, PutRuleInput, PutTargets, PutTargetsInput, RemoveTargets, RemoveTargetsInput,
    RuleNameInput, TestEventPattern, TestEventPatternInput,
};
use skywatch_events::{
    ListTagsForResource, ListTagsForResourceInput, Tag, TagResource, TagResourceInput, UntagResource,
    UntagResourceInput,
};
use skywatch_ops::AwsError;

fn refused(result: Result<impl std::fmt::Debug, EventsError>) -> (&'static str, String) {
    let error = result.expect_err("the call is refused");
    (error.code().code, error.to_string())
}

fn rule_name(name: &str) -> RuleNameInput {
    RuleNameInput { name: name.into(), event_bus_name: None }
}

const PATTERN: &str = r#"{"source": ["shop.orders"], "detail": {"status": ["failed"]}}"#;

#[tokio::test]
async fn every_account_has_a_default_bus_and_custom_buses_are_created_once() {
    let f = Fixture::start();
    let default = f.call::<DescribeEventBus>(DescribeEventBusInput::default()).await.unwrap();
    assert_eq!(
        (default.name.as_str(), default.arn.as_str()),
        ("default", "arn:aws:events:us-east-1:111122223333:event-bus/default")
    );
    assert_eq!(f.bus("orders").await, "arn:aws:events:us-east-1:111122223333:event-bus/orders");
    let again = f.call::<CreateEventBus>(CreateEventBusInput { name: "orders".into(), ..Default::default() }).await;
    assert_eq!(refused(again), ("ResourceAlreadyExistsException", "Event bus orders already exists.".into()));
    let slash = f.call::<CreateEventBus>(CreateEventBusInput { name: "a/b".into(), ..Default::default() }).await;
    assert_eq!(refused(slash).0, "ValidationException");
    let by_arn = DescribeEventBusInput { name: Some("arn:aws:events:us-east-1:111122223333:event-bus/orders".into()) };
    assert_eq!(f.call::<DescribeEventBus>(by_arn).await.unwrap().name, "orders");
    let missing = f.call::<DescribeEventBus>(DescribeEventBusInput { name: Some("nope".into()) }).await;
    assert_eq!(refused(missing), ("ResourceNotFoundException", "Event bus nope does not exist.".into()));
    // In another partition the ARNs say so.
    let cn = f.call_in::<DescribeEventBus>("cn-north-1", DescribeEventBusInput::default()).await.unwrap();
    assert_eq!(cn.arn, "arn:aws-cn:events:cn-north-1:111122223333:event-bus/default");
}

#[tokio::test]
async fn buses_are_listed_by_name_in_pages_with_the_default_bus_among_them() {
    let f = Fixture::start();
    for name in ["b1", "b2", "e1", "a1"] {
        f.bus(name).await;
    }
    let first = f.call::<ListEventBuses>(ListEventBusesInput { limit: Some(3), ..Default::default() }).await.unwrap();
    let names: Vec<&str> = first.event_buses.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["a1", "b1", "b2"]);
    let next = ListEventBusesInput { limit: Some(3), next_token: first.next_token.clone(), ..Default::default() };
    let second = f.call::<ListEventBuses>(next).await.unwrap();
    let names: Vec<&str> = second.event_buses.iter().map(|b| b.name.as_str()).collect();
    assert_eq!((names, second.next_token), (vec!["default", "e1"], None));
    let prefixed = ListEventBusesInput { name_prefix: Some("b".into()), ..Default::default() };
    assert_eq!(f.call::<ListEventBuses>(prefixed).await.unwrap().event_buses.len(), 2);
    let bad = f.call::<ListEventBuses>(ListEventBusesInput { limit: Some(0), ..Default::default() }).await;
    assert_eq!(refused(bad).0, "ValidationException");
}

#[tokio::test]
async fn rules_are_created_described_replaced_and_listed_on_their_bus() {
    let f = Fixture::start();
    assert_eq!(
        f.rule("failed-orders", None, PATTERN).await.unwrap(),
        "arn:aws:events:us-east-1:111122223333:rule/failed-orders"
    );
    f.bus("orders").await;
    assert_eq!(
        f.rule("failed-orders", Some("orders"), PATTERN).await.unwrap(),
        "arn:aws:events:us-east-1:111122223333:rule/orders/failed-orders"
    );
    // The default bus has a creation time once it holds a rule.
    assert!(f.call::<DescribeEventBus>(DescribeEventBusInput::default()).await.unwrap().created_ms.is_some());
    let described = f.call::<DescribeRule>(rule_name("failed-orders")).await.unwrap();
    assert_eq!(
        (described.state.as_str(), described.event_bus_name.as_str(), described.created_by.as_str()),
        ("ENABLED", "default", ACCOUNT)
    );
    assert_eq!(described.event_pattern.as_deref(), Some(PATTERN));
    // PutRule on an existing rule replaces what it names and drops what it leaves out.
    let replace = PutRuleInput {
        name: "failed-orders".into(),
        schedule_expression: Some("rate(5 minutes)".into()),
        state: Some("DISABLED".into()),
        ..Default::default()
    };
    f.call::<PutRule>(replace).await.unwrap();
    let replaced = f.call::<DescribeRule>(rule_name("failed-orders")).await.unwrap();
    assert_eq!(
        (replaced.event_pattern, replaced.schedule_expression.as_deref(), replaced.state.as_str()),
        (None, Some("rate(5 minutes)"), "DISABLED")
    );
    for i in 0..5 {
        f.rule(&format!("r{i}"), Some("orders"), PATTERN).await.unwrap();
    }
    let page = ListRulesInput {
        event_bus_name: Some("orders".into()),
        name_prefix: Some("r".into()),
        limit: Some(2),
        ..Default::default()
    };
    let first = f.call::<ListRules>(page.clone()).await.unwrap();
    let names: Vec<String> = first.rules.iter().map(|r| r.name.clone()).collect();
    assert_eq!(names, ["r0", "r1"]);
    let third = ListRulesInput {
        next_token: f
            .call::<ListRules>(ListRulesInput { next_token: first.next_token, ..page.clone() })
            .await
            .unwrap()
            .next_token,
        ..page
    };
    let last = f.call::<ListRules>(third).await.unwrap();
    assert_eq!((last.rules.len(), last.next_token), (1, None));
    let on_missing = ListRulesInput { event_bus_name: Some("nope".into()), ..Default::default() };
    assert_eq!(
        refused(f.call::<ListRules>(on_missing).await),
        ("ResourceNotFoundException", "Event bus nope does not exist.".into())
    );
}

#[tokio::test]
async fn put_rule_refuses_with_eventbridges_messages() {
    let f = Fixture::start();
    f.bus("orders").await;
    let neither = f.call::<PutRule>(PutRuleInput { name: "r".into(), ..Default::default() }).await;
    assert_eq!(
        refused(neither),
        ("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.".into())
    );
    let custom = PutRuleInput {
        name: "r".into(),
        schedule_expression: Some("rate(1 hour)".into()),
        event_bus_name: Some("orders".into()),
        ..Default::default()
    };
    assert_eq!(
        refused(f.call::<PutRule>(custom).await),
        ("ValidationException", "ScheduleExpression is supported only on the default event bus.".into())
    );
    for bad in ["cron(0 1 * * * *)", "cron(71 8 1 * ? *)", "rate(1 hours)", "every hour"] {
        let input = PutRuleInput { name: "r".into(), schedule_expression: Some(bad.into()), ..Default::default() };
        assert_eq!(
            refused(f.call::<PutRule>(input).await),
            ("ValidationException", "Parameter ScheduleExpression is not valid.".into()),
            "{bad}"
        );
    }
    assert_eq!(
        refused(f.rule("r", None, r#"{"source": []}"#).await),
        ("InvalidEventPatternException", "Event pattern is not valid. Reason: Empty arrays are not allowed".into())
    );
    assert_eq!(
        refused(f.rule("r", Some("nope"), PATTERN).await),
        ("ResourceNotFoundException", "Event bus nope does not exist.".into())
    );
    let (code, message) = refused(f.rule("bad name", None, PATTERN).await);
    assert_eq!(code, "ValidationException");
    assert!(
        message.starts_with("1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint"),
        "{message}"
    );
    let state = PutRuleInput {
        name: "r".into(),
        event_pattern: Some(PATTERN.into()),
        state: Some("ON".into()),
        ..Default::default()
    };
    assert_eq!(refused(f.call::<PutRule>(state).await).0, "ValidationException");
}

#[tokio::test]
async fn rules_are_enabled_disabled_and_deleted_and_a_bus_with_rules_stays() {
    let f = Fixture::start();
    f.bus("orders").await;
    f.rule("r", Some("orders"), PATTERN).await.unwrap();
    let on_orders = RuleNameInput { name: "r".into(), event_bus_name: Some("orders".into()) };
    f.call::<DisableRule>(on_orders.clone()).await.unwrap();
    assert_eq!(f.call::<DescribeRule>(on_orders.clone()).await.unwrap().state, "DISABLED");
    f.call::<EnableRule>(on_orders.clone()).await.unwrap();
    assert_eq!(f.call::<DescribeRule>(on_orders.clone()).await.unwrap().state, "ENABLED");
    assert_eq!(
        refused(f.call::<EnableRule>(rule_name("r")).await),
        ("ResourceNotFoundException", "Rule r does not exist on EventBus default.".into())
    );
    let delete_bus = || f.call::<DeleteEventBus>(BusNameInput { name: "orders".into() });
    assert_eq!(
        refused(delete_bus().await),
        ("ValidationException", "EventBus can't be deleted since it has rules.".into())
    );
    let delete = DeleteRuleInput { name: "r".into(), event_bus_name: Some("orders".into()), force: None };
    f.call::<DeleteRule>(delete.clone()).await.unwrap();
    f.call::<DeleteRule>(delete).await.unwrap();
    delete_bus().await.unwrap();
    delete_bus().await.unwrap();
    let default = f.call::<DeleteEventBus>(BusNameInput { name: "default".into() }).await;
    assert_eq!(refused(default), ("ValidationException", "Cannot delete event bus default.".into()));
}

#[tokio::test]
async fn a_bus_holds_at_most_300_rules() {
    let f = Fixture::start();
    for i in 0..300 {
        f.rule(&format!("r{i:03}"), None, PATTERN).await.unwrap();
    }
    assert_eq!(refused(f.rule("one-more", None, PATTERN).await).0, "LimitExceededException");
    // Replacing an existing rule is not a new one.
    f.rule("r000", None, r#"{"source": ["x"]}"#).await.unwrap();
}

#[tokio::test]
async fn buses_and_rules_survive_a_restart() {
    let f = Fixture::start();
    f.bus("orders").await;
    f.rule("r", Some("orders"), PATTERN).await.unwrap();
    let f = f.restart();
    let on_orders = RuleNameInput { name: "r".into(), event_bus_name: Some("orders".into()) };
    assert_eq!(f.call::<DescribeRule>(on_orders).await.unwrap().event_pattern.as_deref(), Some(PATTERN));
}

#[tokio::test]
async fn test_event_pattern_needs_the_envelope_and_a_valid_pattern() {
    let f = Fixture::start();
    let event = r#"{"id": "1", "account": "111122223333", "source": "shop.orders", "time": "2026-12-07T10:00:00Z", "region": "us-east-1", "detail-type": "Order", "detail": {"status": "failed"}}"#;
    let test =
        |pattern: &str, event: &str| TestEventPatternInput { event_pattern: pattern.into(), event: event.into() };
    assert!(f.call::<TestEventPattern>(test(PATTERN, event)).await.unwrap());
    assert!(!f.call::<TestEventPattern>(test(r#"{"source": ["other"]}"#, event)).await.unwrap());
    for bad in [r#"{"source": "shop.orders"}"#, "[1]", "not json"] {
        assert_eq!(
            refused(f.call::<TestEventPattern>(test(PATTERN, bad)).await),
            ("ValidationException", "Parameter Event is not valid.".into())
        );
    }
    assert_eq!(refused(f.call::<TestEventPattern>(test("[]", event)).await).0, "InvalidEventPatternException");
}

fn target(id: &str, arn: &str) -> Target {
    Target { id: id.into(), arn: arn.into(), ..Default::default() }
}

fn put_targets(rule: &str, targets: Vec<Target>) -> PutTargetsInput {
    PutTargetsInput { rule: rule.into(), event_bus_name: None, targets }
}

const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:failures";

#[tokio::test]
async fn targets_are_put_replaced_listed_and_removed_and_hold_a_rule() {
    let f = Fixture::start();
    f.rule("r", None, PATTERN).await.unwrap();
    f.rule("other", None, PATTERN).await.unwrap();
    let three = vec![
        target("t1", TOPIC),
        target("t2", "arn:aws:logs:us-east-1:111122223333:log-group:orders"),
        target("t3", TOPIC),
    ];
    assert!(f.call::<PutTargets>(put_targets("r", three)).await.unwrap().failed.is_empty());
    let replaced = Target { input_path: Some("$.detail".into()), ..target("t1", TOPIC) };
    f.call::<PutTargets>(put_targets("r", vec![replaced])).await.unwrap();
    let list = |token: Option<String>| ListTargetsByRuleInput {
        rule: "r".into(),
        limit: Some(2),
        next_token: token,
        ..Default::default()
    };
    let first = f.call::<ListTargetsByRule>(list(None)).await.unwrap();
    assert_eq!(first.targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t1", "t2"]);
    assert_eq!(first.targets[0].input_path.as_deref(), Some("$.detail"));
    let second = f.call::<ListTargetsByRule>(list(first.next_token)).await.unwrap();
    assert_eq!((second.targets.len(), second.next_token), (1, None));
    f.call::<PutTargets>(put_targets("other", vec![target("x", TOPIC)])).await.unwrap();
    let by_target = ListRuleNamesByTargetInput { target_arn: TOPIC.into(), ..Default::default() };
    assert_eq!(f.call::<ListRuleNamesByTarget>(by_target).await.unwrap().rule_names, ["other", "r"]);
    // Five targets a rule at most; replacing one is not a new one.
    let two_more = vec![target("t4", TOPIC), target("t5", TOPIC)];
    f.call::<PutTargets>(put_targets("r", two_more)).await.unwrap();
    f.call::<PutTargets>(put_targets("r", vec![target("t5", TOPIC)])).await.unwrap();
    assert_eq!(
        refused(f.call::<PutTargets>(put_targets("r", vec![target("t6", TOPIC)])).await),
        ("LimitExceededException", "The requested resource exceeds the maximum number allowed.".into())
    );
    let delete = DeleteRuleInput { name: "r".into(), event_bus_name: None, force: None };
    assert_eq!(
        refused(f.call::<DeleteRule>(delete.clone()).await),
        ("ValidationException", "Rule can't be deleted since it has targets.".into())
    );
    let ids = ["t1", "t2", "t3", "t4", "t5", "absent"].map(String::from).to_vec();
    f.call::<RemoveTargets>(RemoveTargetsInput { rule: "r".into(), event_bus_name: None, ids, force: None })
        .await
        .unwrap();
    f.call::<DeleteRule>(delete).await.unwrap();
    assert_eq!(
        refused(f.call::<PutTargets>(put_targets("r", vec![target("t1", TOPIC)])).await),
        ("ResourceNotFoundException", "Rule r does not exist on EventBus default.".into())
    );
}

#[tokio::test]
async fn targets_are_refused_with_eventbridges_messages() {
    let f = Fixture::start();
    f.rule("r", None, PATTERN).await.unwrap();
    let bad_id = f.call::<PutTargets>(put_targets("r", vec![target("!@#$@!#$", TOPIC)])).await;
    assert_eq!(refused(bad_id), ("ValidationException", r"1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+".into()));
    let long_id = "i".repeat(65);
    let (_, message) = refused(f.call::<PutTargets>(put_targets("r", vec![target(&long_id, TOPIC)])).await);
    assert!(
        message.ends_with(
            "at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64"
        ),
        "{message}"
    );
    let transformer = InputTransformer {
        paths: vec![("status".into(), "$.detail.status".into())],
        template: "<status> <notdefinedkey>".into(),
    };
    let two_forms = Target {
        input_path: Some("$.detail".into()),
        input_transformer: Some(transformer.clone()),
        ..target("t", TOPIC)
    };
    assert_eq!(
        refused(f.call::<PutTargets>(put_targets("r", vec![two_forms])).await),
        (
            "ValidationException",
            "Only one of Input, InputPath, or InputTransformer must be provided for target t.".into()
        )
    );
    let unknown = Target { input_transformer: Some(transformer), ..target("t", TOPIC) };
    assert_eq!(
        refused(f.call::<PutTargets>(put_targets("r", vec![unknown])).await),
        ("ValidationException", "InputTemplate for target t contains invalid placeholder notdefinedkey.".into())
    );
    let predefined = InputTransformer { paths: vec![], template: r#"{"rule": <aws.events.rule-name>}"#.into() };
    let ok = Target { input_transformer: Some(predefined), ..target("t", TOPIC) };
    f.call::<PutTargets>(put_targets("r", vec![ok])).await.unwrap();
}

fn tag(key: &str, value: &str) -> Tag {
    Tag { key: key.into(), value: value.into() }
}

#[tokio::test]
async fn buses_and_rules_are_tagged_by_arn_in_the_order_given() {
    let f = Fixture::start();
    let bus = f.bus("orders").await;
    let rule = f.rule("r", Some("orders"), PATTERN).await.unwrap();
    let default = "arn:aws:events:us-east-1:111122223333:event-bus/default".to_owned();
    let list = |arn: &str| ListTagsForResourceInput { resource_arn: arn.into() };
    for arn in [&bus, &rule, &default] {
        let tags = vec![tag("team", "shop"), tag("tier", "1")];
        f.call::<TagResource>(TagResourceInput { resource_arn: arn.clone(), tags }).await.unwrap();
        f.call::<TagResource>(TagResourceInput { resource_arn: arn.clone(), tags: vec![tag("team", "ops")] })
            .await
            .unwrap();
        assert_eq!(
            f.call::<ListTagsForResource>(list(arn)).await.unwrap(),
            [tag("team", "ops"), tag("tier", "1")],
            "{arn}"
        );
        let keys = vec!["tier".to_owned(), "absent".to_owned()];
        f.call::<UntagResource>(UntagResourceInput { resource_arn: arn.clone(), tag_keys: keys }).await.unwrap();
        assert_eq!(f.call::<ListTagsForResource>(list(arn)).await.unwrap(), [tag("team", "ops")], "{arn}");
    }
    // Replacing a rule keeps its tags; a bus deleted and made again has none.
    f.rule("r", Some("orders"), r#"{"source": ["other"]}"#).await.unwrap();
    assert_eq!(f.call::<ListTagsForResource>(list(&rule)).await.unwrap().len(), 1);
    let missing_rule = "arn:aws:events:us-east-1:111122223333:rule/orders/nope";
    assert_eq!(
        refused(f.call::<ListTagsForResource>(list(missing_rule)).await),
        ("ResourceNotFoundException", "Rule nope does not exist on EventBus orders.".into())
    );
    let missing_bus = "arn:aws:events:us-east-1:111122223333:event-bus/nope";
    assert_eq!(
        refused(f.call::<ListTagsForResource>(list(missing_bus)).await),
        ("ResourceNotFoundException", "Event bus nope does not exist.".into())
    );
    let too_many: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    assert_eq!(
        refused(f.call::<TagResource>(TagResourceInput { resource_arn: bus.clone(), tags: too_many }).await).0,
        "LimitExceededException"
    );
}
