//! The security group rules on tables of security groups: INCOMING_SSH_DISABLED,
//! RESTRICTED_INCOMING_TRAFFIC and VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS.

use crate::common;

use common::{case, case_with, ci, deleted, run_table};
use serde_json::{Value, json};
use skywatch_configrules::Compliance::{Compliant, NonCompliant, NotApplicable};

const SG: &str = "AWS::EC2::SecurityGroup";

/// A security group with these inbound permissions.
fn sg(permissions: Value) -> Value {
    ci(
        SG,
        json!({"groupId": "sg-1", "groupName": "web", "vpcId": "vpc-1", "ipPermissions": permissions, "ipPermissionsEgress": []}),
    )
}

/// One inbound permission as AWS Config records it (both the current and the older range lists).
fn perm(protocol: &str, from: Option<i64>, to: Option<i64>, v4: &[&str], v6: &[&str]) -> Value {
    let mut p = json!({
        "ipProtocol": protocol,
        "ipv4Ranges": v4.iter().map(|c| json!({"cidrIp": c})).collect::<Vec<_>>(),
        "ipRanges": v4,
        "ipv6Ranges": v6.iter().map(|c| json!({"cidrIpv6": c})).collect::<Vec<_>>(),
        "userIdGroupPairs": [],
        "prefixListIds": []
    });
    if let Some(o) = p.as_object_mut() {
        if let Some(f) = from {
            o.insert("fromPort".into(), json!(f));
        }
        if let Some(t) = to {
            o.insert("toPort".into(), json!(t));
        }
    }
    p
}

const WORLD: &[&str] = &["0.0.0.0/0"];
const WORLD6: &[&str] = &["::/0"];
const NONE: &[&str] = &[];

#[test]
fn restricted_ssh() {
    run_table(
        "INCOMING_SSH_DISABLED",
        None,
        vec![
            case_with(
                "22 from anywhere",
                sg(json!([perm("tcp", Some(22), Some(22), WORLD, NONE)])),
                NonCompliant,
                "0.0.0.0/0",
            ),
            case_with("22 from ::/0", sg(json!([perm("tcp", Some(22), Some(22), NONE, WORLD6)])), NonCompliant, "::/0"),
            case(
                "22 from a private range",
                sg(json!([perm("tcp", Some(22), Some(22), &["10.0.0.0/8"], NONE)])),
                Compliant,
            ),
            case(
                "22 from one address",
                sg(json!([perm("tcp", Some(22), Some(22), &["203.0.113.5/32"], &["2001:db8::/32"])])),
                Compliant,
            ),
            case_with(
                "range containing 22",
                sg(json!([perm("tcp", Some(0), Some(1024), WORLD, NONE)])),
                NonCompliant,
                "TCP ports 0-1024",
            ),
            case("range ending at 21", sg(json!([perm("tcp", Some(0), Some(21), WORLD, NONE)])), Compliant),
            case("range starting at 23", sg(json!([perm("tcp", Some(23), Some(65535), WORLD, NONE)])), Compliant),
            case_with(
                "all traffic (-1)",
                sg(json!([perm("-1", None, None, WORLD, NONE)])),
                NonCompliant,
                "all traffic",
            ),
            case(
                "all traffic from a private range",
                sg(json!([perm("-1", None, None, &["172.16.0.0/12"], NONE)])),
                Compliant,
            ),
            case_with(
                "tcp without ports",
                sg(json!([perm("tcp", None, None, WORLD, NONE)])),
                NonCompliant,
                "all TCP ports",
            ),
            case_with("protocol number 6", sg(json!([perm("6", Some(22), Some(22), WORLD, NONE)])), NonCompliant, "22"),
            case("udp 22 is not SSH", sg(json!([perm("udp", Some(22), Some(22), WORLD, WORLD6)])), Compliant),
            case("icmp", sg(json!([perm("icmp", Some(-1), Some(-1), WORLD, NONE)])), Compliant),
            case("no inbound rules", sg(json!([])), Compliant),
            case(
                "security group from another group only",
                sg(
                    json!([{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipv4Ranges": [], "ipRanges": [], "ipv6Ranges": [], "userIdGroupPairs": [{"groupId": "sg-2"}], "prefixListIds": []}]),
                ),
                Compliant,
            ),
            case(
                "only the older ipRanges list",
                sg(json!([{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": ["0.0.0.0/0"]}])),
                NonCompliant,
            ),
            case(
                "0.0.0.0/1 is not the whole internet",
                sg(json!([perm("tcp", Some(22), Some(22), &["0.0.0.0/1", "128.0.0.0/1"], NONE)])),
                Compliant,
            ),
            case(
                "second rule open",
                sg(json!([
                    perm("tcp", Some(443), Some(443), WORLD, NONE),
                    perm("tcp", Some(22), Some(22), NONE, WORLD6)
                ])),
                NonCompliant,
            ),
            case("deleted", deleted(sg(json!([perm("tcp", Some(22), Some(22), WORLD, NONE)]))), NotApplicable),
            case(
                "not a security group",
                ci("AWS::EC2::Instance", json!({"ipPermissions": [perm("tcp", Some(22), Some(22), WORLD, NONE)]})),
                NotApplicable,
            ),
        ],
    );
}

#[test]
fn restricted_common_ports_defaults() {
    run_table(
        "RESTRICTED_INCOMING_TRAFFIC",
        None,
        vec![
            case_with(
                "3389 from anywhere",
                sg(json!([perm("tcp", Some(3389), Some(3389), WORLD, NONE)])),
                NonCompliant,
                "3389",
            ),
            case_with(
                "3306 from ::/0",
                sg(json!([perm("tcp", Some(3306), Some(3306), NONE, WORLD6)])),
                NonCompliant,
                "3306",
            ),
            case_with(
                "range over 20-21",
                sg(json!([perm("tcp", Some(19), Some(21), WORLD, NONE)])),
                NonCompliant,
                "blocked port 20",
            ),
            case_with(
                "4333 default",
                sg(json!([perm("tcp", Some(4000), Some(5000), WORLD, NONE)])),
                NonCompliant,
                "4333",
            ),
            case("22 is not blocked by default", sg(json!([perm("tcp", Some(22), Some(22), WORLD, NONE)])), Compliant),
            case("443", sg(json!([perm("tcp", Some(443), Some(443), WORLD, WORLD6)])), Compliant),
            case(
                "3389 from a private range",
                sg(json!([perm("tcp", Some(3389), Some(3389), &["10.0.0.0/8"], NONE)])),
                Compliant,
            ),
            case_with("all traffic", sg(json!([perm("-1", None, None, WORLD, NONE)])), NonCompliant, "all traffic"),
            case("udp 3389 is not TCP", sg(json!([perm("udp", Some(3389), Some(3389), WORLD, NONE)])), Compliant),
            case("tcp without ports", sg(json!([perm("tcp", None, None, WORLD, NONE)])), NonCompliant),
            case("deleted", deleted(sg(json!([]))), NotApplicable),
        ],
    );
}

#[test]
fn restricted_common_ports_parameters() {
    let item = |from, to| sg(json!([perm("tcp", Some(from), Some(to), WORLD, NONE)]));
    run_table(
        "RESTRICTED_INCOMING_TRAFFIC",
        Some(r#"{"blockedPort1":"8080","blockedPorts":"9000, 9100"}"#),
        vec![
            case_with("blockedPort1 replaces 20", item(8080, 8080), NonCompliant, "8080"),
            case("20 no longer blocked", item(20, 20), Compliant),
            case("21 still blocked by default", item(21, 21), NonCompliant),
            case_with("blockedPorts list", item(9100, 9100), NonCompliant, "9100"),
            case("between listed ports", item(9001, 9099), Compliant),
        ],
    );
}

#[test]
fn authorized_ports() {
    let params = r#"{"authorizedTcpPorts":"443,1020-1025","authorizedUdpPorts":"500"}"#;
    run_table(
        "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
        Some(params),
        vec![
            case("443 open", sg(json!([perm("tcp", Some(443), Some(443), WORLD, NONE)])), Compliant),
            case(
                "range inside an authorized range",
                sg(json!([perm("tcp", Some(1021), Some(1024), WORLD, NONE)])),
                Compliant,
            ),
            case_with(
                "range beyond",
                sg(json!([perm("tcp", Some(1020), Some(1026), WORLD, NONE)])),
                NonCompliant,
                "TCP ports 1020-1026",
            ),
            case_with("80 open", sg(json!([perm("tcp", Some(80), Some(80), NONE, WORLD6)])), NonCompliant, "::/0"),
            case(
                "80 from a private range",
                sg(json!([perm("tcp", Some(80), Some(80), &["10.0.0.0/8"], NONE)])),
                Compliant,
            ),
            case("udp 500", sg(json!([perm("udp", Some(500), Some(500), WORLD, NONE)])), Compliant),
            case(
                "udp 443 is not authorized",
                sg(json!([perm("udp", Some(443), Some(443), WORLD, NONE)])),
                NonCompliant,
            ),
            case_with("all traffic", sg(json!([perm("-1", None, None, WORLD, NONE)])), NonCompliant, "all traffic"),
            case("icmp is not a port", sg(json!([perm("icmp", Some(8), Some(-1), WORLD, NONE)])), Compliant),
            case("nothing open", sg(json!([])), Compliant),
        ],
    );
    run_table(
        "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
        None,
        vec![
            case(
                "no parameters: any open port fails",
                sg(json!([perm("tcp", Some(443), Some(443), WORLD, NONE)])),
                NonCompliant,
            ),
            case(
                "no parameters: closed group",
                sg(json!([perm("tcp", Some(443), Some(443), &["10.1.0.0/16"], NONE)])),
                Compliant,
            ),
        ],
    );
}

/// The configuration item of the issue's example, verbatim.
#[test]
fn the_issue_example() {
    let item: Value = serde_json::from_str(
        r#"{"version":"1.3","accountId":"123456789012","configurationItemCaptureTime":"2026-12-06T17:00:00.000Z","configurationItemStatus":"OK",
 "configurationStateId":"1765040400000","arn":"arn:aws:ec2:us-east-1:123456789012:security-group/sg-1","resourceType":"AWS::EC2::SecurityGroup",
 "resourceId":"sg-1","resourceName":"web","awsRegion":"us-east-1","availabilityZone":"Not Applicable","tags":{"env":"prod"},
 "relationships":[{"resourceType":"AWS::EC2::VPC","resourceId":"vpc-1","relationshipName":"Is contained in Vpc"}],
 "configuration":{"groupId":"sg-1","groupName":"web","ipPermissions":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipv4Ranges":[{"cidrIp":"0.0.0.0/0"}],"ipRanges":["0.0.0.0/0"],"ipv6Ranges":[],"userIdGroupPairs":[],"prefixListIds":[]}],"ipPermissionsEgress":[],"vpcId":"vpc-1"},
 "supplementaryConfiguration":{}}"#,
    )
    .unwrap_or_default();
    run_table("INCOMING_SSH_DISABLED", None, vec![case("the issue's security group", item.clone(), NonCompliant)]);
    run_table("RESTRICTED_INCOMING_TRAFFIC", None, vec![case("22 is not a common port", item.clone(), Compliant)]);
    run_table(
        "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
        Some(r#"{"authorizedTcpPorts":"22"}"#),
        vec![case("22 authorized", item.clone(), Compliant)],
    );
    run_table("REQUIRED_TAGS", Some(r#"{"tag1Key":"env","tag1Value":"prod"}"#), vec![case("tagged", item, Compliant)]);
}
