//! Custom policy rules in Guard on sample items: AWS's documented example and policies from AWS's
//! custom policy rule samples, COMPLIANT, NON_COMPLIANT and NOT_APPLICABLE (through `when`), with
//! input parameters, and evaluation errors.

use crate::common;

use common::{ci, deleted, mismatch, supp, with};
use serde_json::{Value, json};
use skywatch_configrules::Compliance::{self, Compliant, InsufficientData, NonCompliant, NotApplicable};
use skywatch_configrules::{GuardPolicy, input_parameters_object};

fn policy(text: &str) -> GuardPolicy {
    match GuardPolicy::parse(text) {
        Ok(p) => p,
        Err(e) => panic!("refused: {e}\n{text}"),
    }
}

fn expect(p: &GuardPolicy, item: &Value, want: Compliance, annotation: Option<&str>) {
    let v = p.evaluate(item);
    if let Some(problem) = mismatch(&v, want, annotation) {
        panic!("{problem}\npolicy: {}\nitem: {item}", p.text());
    }
}

/// AWS's example in "Creating AWS Config Custom Policy Rules": dynamodb-pitr-enabled in Guard.
const DYNAMODB_PITR: &str = r#"
# This rule checks if point in time recovery (PITR) is enabled on active Amazon DynamoDB tables
let status = ['ACTIVE']

rule tableisactive when
    resourceType == "AWS::DynamoDB::Table" {
    configuration.tableStatus == %status
}

rule checkcompliance when
    resourceType == "AWS::DynamoDB::Table"
    tableisactive {
        let pitr = supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus
        %pitr == "ENABLED"
}
"#;

fn table(status: &str, pitr: &str) -> Value {
    let item = ci("AWS::DynamoDB::Table", json!({"tableName": "t", "tableStatus": status}));
    // AWS Config records supplementary configuration as JSON text.
    let backups = json!({"continuousBackupsStatus": "ENABLED", "pointInTimeRecoveryDescription": {"pointInTimeRecoveryStatus": pitr}});
    supp(item, "ContinuousBackupsDescription", json!(backups.to_string()))
}

#[test]
fn aws_documented_example() {
    let p = policy(DYNAMODB_PITR);
    assert_eq!(p.rule_names(), ["tableisactive", "checkcompliance"]);
    expect(&p, &table("ACTIVE", "ENABLED"), Compliant, None);
    expect(&p, &table("ACTIVE", "DISABLED"), NonCompliant, Some("checkcompliance"));
    // An inactive table fails tableisactive, so the table is non-compliant.
    expect(&p, &table("CREATING", "DISABLED"), NonCompliant, Some("tableisactive"));
    expect(&p, &ci("AWS::S3::Bucket", json!({"name": "b"})), NotApplicable, None);
    expect(&p, &deleted(table("ACTIVE", "DISABLED")), NotApplicable, None);
}

#[test]
fn alarm_and_instance_samples() {
    // From AWS's custom policy rule samples (cloudwatch_alarm_action_check.guard).
    let p = policy(
        "rule check_alarm_without_actions when resourceType == \"AWS::CloudWatch::Alarm\" {\n\
         \tconfiguration.alarmActions !empty\n\t<<\n\tNo actions were found for\n    alarm\n    >>\n}",
    );
    let alarm = |actions: Value| {
        ci("AWS::CloudWatch::Alarm", json!({"alarmName": "a", "alarmActions": actions, "okactions": []}))
    };
    expect(&p, &alarm(json!(["arn:aws:sns:us-east-1:123456789012:t"])), Compliant, None);
    expect(&p, &alarm(json!([])), NonCompliant, Some("No actions were found for"));
    expect(&p, &ci("AWS::Logs::LogGroup", json!({})), NotApplicable, None);

    // ec2_instance_monitoring_enabled.guard has no `when`: other types fail on the missing property.
    let p = policy(
        "rule checkEC2InstanceDetailedMonitoringEnabled {\n  configuration.monitoring.state == 'enabled'\n  \
         <<Amazon EC2 instance detailed monitoring is not enabled.>>\n}",
    );
    let instance = |state: &str| ci("AWS::EC2::Instance", json!({"instanceId": "i-1", "monitoring": {"state": state}}));
    expect(&p, &instance("enabled"), Compliant, None);
    expect(&p, &instance("disabled"), NonCompliant, Some("detailed monitoring is not enabled"));
    expect(&p, &ci("AWS::S3::Bucket", json!({})), NonCompliant, None);
}

#[test]
fn security_group_with_some_and_tags() {
    let p = policy(
        r#"
let world = "0.0.0.0/0"
rule open_ssh_needs_approval when resourceType == "AWS::EC2::SecurityGroup" {
    let open = configuration.ipPermissions[
        fromPort <= 22
        toPort >= 22
        some ipv4Ranges[*].cidrIp == %world
    ]
    when %open !empty {
        tags.SecurityApproval exists << open SSH needs a SecurityApproval tag >>
    }
}
"#,
    );
    let sg = |cidr: &str| {
        ci(
            "AWS::EC2::SecurityGroup",
            json!({"groupId": "sg-1", "ipPermissions": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipv4Ranges": [{"cidrIp": cidr}]}]}),
        )
    };
    expect(&p, &sg("10.0.0.0/8"), NotApplicable, None);
    expect(&p, &sg("0.0.0.0/0"), NonCompliant, Some("SecurityApproval"));
    expect(&p, &with(sg("0.0.0.0/0"), "tags", json!({"SecurityApproval": "CHG-1"})), Compliant, None);
}

#[test]
fn regexes_and_tag_values() {
    // tag_space_check.guard: tag values must not start or end with a space; no tags, SKIP.
    let p = policy(
        "rule check_tag_space when tags !empty {\n    tags.* != /^ / << Tag value must not start with space >>\n    \
         tags.* != / $/ << Tag value must not end with space >>\n}\n",
    );
    let bucket = |tags: Value| with(ci("AWS::S3::Bucket", json!({"name": "b"})), "tags", tags);
    expect(&p, &bucket(json!({"a": "x", "b": "y"})), Compliant, None);
    expect(&p, &bucket(json!({"a": " x"})), NonCompliant, Some("must not start with space"));
    expect(&p, &bucket(json!({})), NotApplicable, None);
}

#[test]
fn input_parameters() {
    // After all_resources_tagCheck_withparam.guard: the rule's parameters are CONFIG_RULE_PARAMETERS.
    let p = policy(
        r#"
rule tag_check when CONFIG_RULE_PARAMETERS exists {
    let key = CONFIG_RULE_PARAMETERS.tagKey
    let value = CONFIG_RULE_PARAMETERS.tagValue
    tags[ keys == %key ] == %value << the tag must have the parameter's value >>
}
"#,
    );
    let params = input_parameters_object(Some(r#"{"tagKey":"env","tagValue":"prod"}"#)).unwrap_or_default();
    let bucket = |tags: Value| with(ci("AWS::S3::Bucket", json!({"name": "b"})), "tags", tags);
    let eval = |tags: Value, with_params: bool| {
        p.evaluate_with_parameters(&bucket(tags), with_params.then_some(&params)).compliance
    };
    assert_eq!(eval(json!({"env": "prod"}), true), Compliant);
    assert_eq!(eval(json!({"env": "dev"}), true), NonCompliant);
    assert_eq!(eval(json!({"env": "dev"}), false), NotApplicable);
    assert!(input_parameters_object(Some("[]")).is_err());
}

#[test]
fn statuses_combine_across_rules() {
    let p = policy(
        "rule passes { resourceType == 'AWS::S3::Bucket' }\n\
         rule skips when resourceType == 'AWS::EC2::Instance' { configuration.x == 1 }\n\
         rule fails when resourceType == 'AWS::S3::Bucket' { configuration.name == 'other' }\n",
    );
    expect(&p, &ci("AWS::S3::Bucket", json!({"name": "b"})), NonCompliant, Some("fails"));
    let p =
        policy("rule passes { resourceType == 'AWS::S3::Bucket' }\nrule skips when resourceType == 'X' { a == 1 }\n");
    expect(&p, &ci("AWS::S3::Bucket", json!({"name": "b"})), Compliant, None);
    // Clauses outside rules form the rule "default".
    let p = policy("configuration.name == 'b'\n");
    assert_eq!(p.rule_names(), ["default"]);
    expect(&p, &ci("AWS::S3::Bucket", json!({"name": "b"})), Compliant, None);
    expect(&p, &ci("AWS::S3::Bucket", json!({"name": "c"})), NonCompliant, Some("default"));
}

#[test]
fn empty_policies_and_evaluation_errors() {
    for text in ["", "# only a comment\n", "let x = 1\n"] {
        expect(&policy(text), &ci("AWS::S3::Bucket", json!({})), NotApplicable, None);
    }
    // A rule name that does not exist is an evaluation error: no evaluation, the error annotated.
    let p = policy("rule a when no_such_rule { configuration.name == 'b' }\n");
    expect(&p, &ci("AWS::S3::Bucket", json!({"name": "b"})), InsufficientData, Some("no_such_rule"));
    // An item that is not an object.
    expect(&policy("rule a { x == 1 }"), &json!("text"), InsufficientData, None);
}

#[test]
fn deep_items_are_not_evaluated() {
    let p = policy("rule a { configuration exists }");
    let nested = |n: usize| {
        let mut v = json!(1);
        for _ in 0..n {
            v = json!({ "a": v });
        }
        v
    };
    // The document adds one level above `configuration`.
    expect(&p, &ci("AWS::S3::Bucket", nested(62)), Compliant, None);
    expect(&p, &ci("AWS::S3::Bucket", nested(70)), InsufficientData, Some("more than 64 levels"));
    expect(&p, &ci("AWS::S3::Bucket", nested(500)), InsufficientData, None);
    // JSON text that reads deeper than the bound.
    let text = nested(100).to_string();
    expect(&p, &supp(ci("AWS::S3::Bucket", json!({})), "X", json!(text)), InsufficientData, None);
}

#[test]
fn policies_and_rules_are_shareable() {
    fn shareable<T: Send + Sync>() {}
    shareable::<GuardPolicy>();
    shareable::<skywatch_configrules::Parameters>();
    shareable::<&'static skywatch_configrules::ManagedRule>();
    let p = std::sync::Arc::new(policy("rule a { configuration.name == 'b' }"));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let p = p.clone();
            std::thread::spawn(move || p.evaluate(&ci("AWS::S3::Bucket", json!({"name": "b"}))).compliance)
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().ok(), Some(Compliant));
    }
}
