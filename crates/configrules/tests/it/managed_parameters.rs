//! Every managed rule's `InputParameters` checks, with AWS Config's refusals.

use crate::common;

use common::refusal;
use skywatch_configrules::{managed_rule, managed_rules};

const IPV: &str = "InvalidParameterValueException";

#[test]
fn every_rule_refuses_unknown_names_and_bad_json() {
    for rule in managed_rules() {
        let id = rule.identifier();
        let (code, message) = refusal(id, r#"{"noSuchParameter":"1"}"#);
        assert_eq!(code, IPV, "{id}");
        assert_eq!(message, r#"Unknown parameters provided in the inputParameters: {"noSuchParameter":"1"}"#, "{id}");
        let (code, message) = refusal(id, "{not json");
        assert_eq!(
            (code.as_str(), message.as_str()),
            (IPV, "Invalid json {not json passed in the InputParameters field"),
            "{id}"
        );
    }
}

#[test]
fn rules_without_required_parameters_accept_nothing() {
    for id in [
        "INCOMING_SSH_DISABLED",
        "RESTRICTED_INCOMING_TRAFFIC",
        "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
        "S3_BUCKET_PUBLIC_READ_PROHIBITED",
        "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
        "S3_BUCKET_VERSIONING_ENABLED",
        "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
        "EC2_INSTANCE_DETAILED_MONITORING_ENABLED",
        "EC2_INSTANCE_NO_PUBLIC_IP",
        "CLOUDWATCH_ALARM_ACTION_ENABLED_CHECK",
    ] {
        let rule = managed_rule(id);
        for input in [None, Some(""), Some("{}"), Some("  ")] {
            assert!(rule.is_some_and(|r| r.parameters(input).is_ok()), "{id} {input:?}");
        }
    }
}

#[test]
fn required_parameters() {
    assert_eq!(
        refusal("REQUIRED_TAGS", r#"{"tag2Key":"Owner"}"#).1,
        "The required parameter [tag1Key] is not present in the inputParameters"
    );
    assert_eq!(
        refusal("CLOUDWATCH_ALARM_ACTION_CHECK", r#"{"action1":"arn:aws:sns:us-east-1:123456789012:t"}"#).1,
        "The required parameter [alarmActionRequired, insufficientDataActionRequired, okActionRequired] is not present in the inputParameters"
    );
    assert_eq!(
        refusal("CLOUDWATCH_ALARM_SETTINGS_CHECK", r#"{"period":"60"}"#).1,
        "The required parameter [metricName] is not present in the inputParameters"
    );
    assert!(managed_rule("REQUIRED_TAGS").is_some_and(|r| r.parameters(None).is_err()));
}

#[test]
fn values_are_strings() {
    let (code, message) = refusal("RESTRICTED_INCOMING_TRAFFIC", r#"{"blockedPort1":22}"#);
    assert_eq!(code, IPV);
    assert!(message.starts_with("Blank spaces are not acceptable for input parameter: blockedPort1."), "{message}");
    assert!(refusal("REQUIRED_TAGS", r#"{"tag1Key":""}"#).1.contains("input parameter: tag1Key"));
    assert!(refusal("REQUIRED_TAGS", r#"{"tag1Key":"a","tag1Value":null}"#).1.contains("input parameter: tag1Value"));
}

#[test]
fn typed_values() {
    let cases = [
        ("RESTRICTED_INCOMING_TRAFFIC", r#"{"blockedPort1":"ssh"}"#, "blockedPort1 must be an integer from 0 to 65535"),
        ("RESTRICTED_INCOMING_TRAFFIC", r#"{"blockedPort2":"70000"}"#, "blockedPort2"),
        ("RESTRICTED_INCOMING_TRAFFIC", r#"{"blockedPorts":"20,x"}"#, "blockedPorts"),
        (
            "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
            r#"{"authorizedTcpPorts":"443,1025-1020"}"#,
            "for example 443,1020-1025",
        ),
        ("VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS", r#"{"authorizedUdpPorts":"500-"}"#, "authorizedUdpPorts"),
        (
            "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
            r#"{"MinRetentionTime":"10"}"#,
            "Valid values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653.",
        ),
        ("CW_LOGGROUP_RETENTION_PERIOD_CHECK", r#"{"MinRetentionTime":"a year"}"#, "MinRetentionTime"),
        (
            "CLOUDWATCH_ALARM_ACTION_CHECK",
            r#"{"alarmActionRequired":"yes","insufficientDataActionRequired":"true","okActionRequired":"false"}"#,
            "Valid values are: true, false.",
        ),
        ("S3_BUCKET_VERSIONING_ENABLED", r#"{"isMfaDeleteEnabled":"1"}"#, "isMfaDeleteEnabled"),
        ("CLOUDWATCH_ALARM_SETTINGS_CHECK", r#"{"metricName":"m","period":"0"}"#, "period"),
        ("CLOUDWATCH_ALARM_SETTINGS_CHECK", r#"{"metricName":"m","threshold":"1.5"}"#, "threshold"),
    ];
    for (id, input, fragment) in cases {
        let (code, message) = refusal(id, input);
        assert_eq!(code, IPV, "{id} {input}");
        assert!(message.contains(fragment), "{id} {input}: {message}");
    }
}

#[test]
fn accepted_values() {
    let p = managed_rule("RESTRICTED_INCOMING_TRAFFIC")
        .and_then(|r| r.parameters(Some(r#"{"blockedPorts":"20, 21 ,3389"}"#)).ok());
    assert_eq!(p.as_ref().and_then(|p| p.int("blockedPort5")), Some(4333));
    assert_eq!(p.as_ref().and_then(|p| p.ports("blockedPorts").map(<[_]>::len)), Some(3));
    let p = managed_rule("CW_LOGGROUP_RETENTION_PERIOD_CHECK").and_then(|r| r.parameters(None).ok());
    assert_eq!(p.and_then(|p| p.int("MinRetentionTime")), Some(365));
}

#[test]
fn parameter_specs_document_aws_types() {
    let rule = managed_rule("RESTRICTED_INCOMING_TRAFFIC");
    let types: Vec<(&str, &str)> =
        rule.map(|r| r.parameter_specs().iter().map(|s| (s.name, s.kind.aws_type())).collect()).unwrap_or_default();
    assert_eq!(types[0], ("blockedPort1", "int"));
    assert_eq!(types[5], ("blockedPorts", "CSV"));
    let triggers: Vec<(&str, bool, bool)> =
        managed_rules().iter().map(|r| (r.identifier(), r.change_triggered(), r.periodic())).collect();
    assert!(triggers.contains(&("CW_LOGGROUP_RETENTION_PERIOD_CHECK", false, true)));
    assert!(triggers.contains(&("INCOMING_SSH_DISABLED", true, true)));
    assert!(triggers.contains(&("REQUIRED_TAGS", true, false)));
}
