//! REQUIRED_TAGS on a table of resources.

use crate::common;

use common::{case, case_with, ci, deleted, run_table, with};
use serde_json::{Value, json};
use skywatch_configrules::Compliance::{Compliant, NonCompliant, NotApplicable};

fn bucket(tags: Value) -> Value {
    with(ci("AWS::S3::Bucket", json!({"name": "b"})), "tags", tags)
}

#[test]
fn keys_only() {
    run_table(
        "REQUIRED_TAGS",
        Some(r#"{"tag1Key":"CostCenter","tag2Key":"Owner"}"#),
        vec![
            case("both present", bucket(json!({"CostCenter": "1", "Owner": "me", "x": "y"})), Compliant),
            case("empty value still present", bucket(json!({"CostCenter": "", "Owner": "me"})), Compliant),
            case_with("one missing", bucket(json!({"CostCenter": "1"})), NonCompliant, "'Owner' is missing"),
            case_with(
                "keys are case-sensitive",
                bucket(json!({"costcenter": "1", "Owner": "me"})),
                NonCompliant,
                "'CostCenter'",
            ),
            case_with("no tags", bucket(json!({})), NonCompliant, "CostCenter"),
            case(
                "tags as a list",
                bucket(json!([{"key": "CostCenter", "value": "1"}, {"key": "Owner", "value": "me"}])),
                Compliant,
            ),
            case("tags absent", with(ci("AWS::EC2::Instance", json!({})), "tags", Value::Null), NonCompliant),
            case("deleted", deleted(bucket(json!({}))), NotApplicable),
        ],
    );
}

#[test]
fn allowed_values() {
    run_table(
        "REQUIRED_TAGS",
        Some(r#"{"tag1Key":"env","tag1Value":"prod, staging","tag6Key":"team","tag6Value":"a"}"#),
        vec![
            case("allowed values", bucket(json!({"env": "prod", "team": "a"})), Compliant),
            case("second allowed value (trimmed)", bucket(json!({"env": "staging", "team": "a"})), Compliant),
            case_with(
                "value outside",
                bucket(json!({"env": "dev", "team": "a"})),
                NonCompliant,
                "'env' has value 'dev', not one of: prod, staging",
            ),
            case_with("values are case-sensitive", bucket(json!({"env": "Prod", "team": "a"})), NonCompliant, "'Prod'"),
            case("tag6 checked", bucket(json!({"env": "prod", "team": "b"})), NonCompliant),
        ],
    );
}

#[test]
fn scope() {
    let rule = skywatch_configrules::managed_rule("REQUIRED_TAGS");
    let types = rule.map(|r| r.resource_types()).unwrap_or(&[]);
    assert_eq!(types.len(), 30);
    assert!(types.contains(&"AWS::S3::Bucket") && types.contains(&"AWS::EC2::SecurityGroup"));
    assert!(!types.contains(&"AWS::CloudWatch::Alarm"));
    // Outside its default scope, the rule evaluates whatever type a rule's scope names.
    assert!(rule.is_some_and(|r| r.applies_to("AWS::CloudWatch::Alarm")));
    run_table(
        "REQUIRED_TAGS",
        Some(r#"{"tag1Key":"env"}"#),
        vec![
            case(
                "an alarm",
                with(ci("AWS::CloudWatch::Alarm", json!({"alarmName": "a"})), "tags", json!({"env": "x"})),
                Compliant,
            ),
            case(
                "a log group",
                with(ci("AWS::Logs::LogGroup", json!({"logGroupName": "g"})), "tags", json!({})),
                NonCompliant,
            ),
        ],
    );
}
