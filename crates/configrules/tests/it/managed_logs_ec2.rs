//! CW_LOGGROUP_RETENTION_PERIOD_CHECK, EC2_INSTANCE_DETAILED_MONITORING_ENABLED and
//! EC2_INSTANCE_NO_PUBLIC_IP on tables of items.

use crate::common;

use common::{case, case_with, ci, deleted, run_table};
use serde_json::{Value, json};
use skywatch_configrules::Compliance::{Compliant, NonCompliant, NotApplicable};

fn log_group(name: &str, retention: Option<i64>) -> Value {
    let mut c = json!({
        "logGroupName": name,
        "arn": format!("arn:aws:logs:us-east-1:123456789012:log-group:{name}:*"),
        "creationTime": 1765040400000i64,
        "metricFilterCount": 0,
        "storedBytes": 0
    });
    if let (Some(days), Some(o)) = (retention, c.as_object_mut()) {
        o.insert("retentionInDays".into(), json!(days));
    }
    ci("AWS::Logs::LogGroup", c)
}

#[test]
fn log_retention_default_minimum() {
    run_table(
        "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
        None,
        vec![
            case("never expires", log_group("/app", None), Compliant),
            case("365 days", log_group("/app", Some(365)), Compliant),
            case("10 years", log_group("/app", Some(3653)), Compliant),
            case_with(
                "30 days",
                log_group("/app", Some(30)),
                NonCompliant,
                "30 days, less than the minimum of 365 days",
            ),
            case(
                "retention recorded as null",
                {
                    let mut g = log_group("/app", None);
                    g["configuration"]["retentionInDays"] = Value::Null;
                    g
                },
                Compliant,
            ),
            case("deleted", deleted(log_group("/app", Some(1))), NotApplicable),
        ],
    );
}

#[test]
fn log_retention_parameters() {
    run_table(
        "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
        Some(r#"{"MinRetentionTime":"30","LogGroupNames":"/app, /web"}"#),
        vec![
            case("named, 30 days", log_group("/web", Some(30)), Compliant),
            case("named, 14 days", log_group("/app", Some(14)), NonCompliant),
            case("not named", log_group("/other", Some(1)), NotApplicable),
            case("names are exact", log_group("/app/x", Some(1)), NotApplicable),
        ],
    );
}

fn instance(monitoring: &str, public_ip: Option<&str>) -> Value {
    let mut c = json!({
        "instanceId": "i-1",
        "instanceType": "t3.micro",
        "monitoring": {"state": monitoring},
        "privateIpAddress": "10.0.0.5",
        "state": {"code": 16, "name": "running"},
        "networkInterfaces": [{"networkInterfaceId": "eni-1", "privateIpAddresses": [{"privateIpAddress": "10.0.0.5", "primary": true}]}]
    });
    if let (Some(ip), Some(o)) = (public_ip, c.as_object_mut()) {
        o.insert("publicIpAddress".into(), json!(ip));
    }
    ci("AWS::EC2::Instance", c)
}

#[test]
fn detailed_monitoring() {
    run_table(
        "EC2_INSTANCE_DETAILED_MONITORING_ENABLED",
        None,
        vec![
            case("enabled", instance("enabled", None), Compliant),
            case_with("disabled", instance("disabled", None), NonCompliant, "'disabled'"),
            case("pending is not enabled", instance("pending", None), NonCompliant),
            case("no monitoring recorded", ci("AWS::EC2::Instance", json!({"instanceId": "i-1"})), NonCompliant),
            case("deleted", deleted(instance("disabled", None)), NotApplicable),
            case("a volume", ci("AWS::EC2::Volume", json!({"monitoring": {"state": "disabled"}})), NotApplicable),
        ],
    );
}

#[test]
fn no_public_ip() {
    let mut associated = instance("enabled", None);
    associated["configuration"]["networkInterfaces"][0]["association"] =
        json!({"publicIp": "198.51.100.7", "ipOwnerId": "amazon"});
    let mut on_address = instance("enabled", None);
    on_address["configuration"]["networkInterfaces"][0]["privateIpAddresses"][0]["association"] =
        json!({"publicIp": "198.51.100.8"});
    run_table(
        "EC2_INSTANCE_NO_PUBLIC_IP",
        None,
        vec![
            case("private only", instance("enabled", None), Compliant),
            case_with("public address", instance("enabled", Some("203.0.113.9")), NonCompliant, "203.0.113.9"),
            case("empty public address", instance("enabled", Some("")), Compliant),
            case_with("interface association", associated, NonCompliant, "198.51.100.7"),
            case_with("address association", on_address, NonCompliant, "198.51.100.8"),
            case("deleted", deleted(instance("enabled", Some("203.0.113.9"))), NotApplicable),
        ],
    );
}
