//! Custom policy rule text (CloudFormation Guard): any UTF-8 text is refused or checked, and what is
//! accepted evaluates against a fixed configuration item without panicking (cfn-guard's own panics
//! are caught and become evaluation errors; a stack overflow would abort the run).

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use skywatch_configrules::{GuardPolicy, Value};

/// A security group as AWS Config records one, with supplementary configuration as JSON text.
const ITEM: &str = r#"{
    "version": "1.3", "accountId": "123456789012", "configurationItemStatus": "OK",
    "configurationItemCaptureTime": "2026-12-06T17:00:00.000Z", "configurationStateId": "1765040400000",
    "arn": "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1",
    "resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-1", "resourceName": "web",
    "awsRegion": "us-east-1", "availabilityZone": "Not Applicable", "tags": {"env": "prod", "Name": ""},
    "relationships": [{"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-1", "relationshipName": "Is contained in Vpc"}],
    "configuration": {"groupId": "sg-1", "groupName": "web", "vpcId": "vpc-1",
        "ipPermissions": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
            "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"], "ipv6Ranges": [],
            "userIdGroupPairs": [], "prefixListIds": []},
            {"ipProtocol": "-1", "ipv6Ranges": [{"cidrIpv6": "::/0"}], "size": 8.5, "flag": true, "none": null}],
        "ipPermissionsEgress": []},
    "supplementaryConfiguration": {"Note": "{\"a\":[1,2,{\"b\":null}]}", "Plain": "text"}
}"#;

fn item() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| match ITEM.parse::<Value>() {
        Ok(item) => item,
        Err(e) => panic!("the fixed item is JSON: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = GuardPolicy::parse(text) {
        let _ = policy.evaluate(item());
    }
});
