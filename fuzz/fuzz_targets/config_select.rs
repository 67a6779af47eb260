//! Fuzzes AWS Config's advanced query language: any text parses or is refused within the length and depth limits;
//! what parses prints to text that parses back to it, and evaluates against a few fixed configuration items without
//! panicking.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use skywatch_configsql::{MAX_LENGTH, Value, parse};

/// A security group with permissions, an instance with odd nesting, a deleted item and one of the wrong shape.
const ITEMS: &str = r#"[
    {"resourceId": "sg-1", "resourceType": "AWS::EC2::SecurityGroup", "awsRegion": "us-east-1",
     "configurationItemStatus": "OK",
     "configuration": {"ipPermissions": [
         {"fromPort": 22, "toPort": 22, "ipRanges": ["0.0.0.0/0", "10.0.0.0/8"], "ipv6Ranges": [{"cidrIpv6": "::/0"}]},
         {"fromPort": 443, "ipRanges": [], "userIdGroupPairs": [{"groupId": "sg-2"}]}]},
     "tags": [{"key": "env", "value": "prod"}, {"key": "Name", "value": null}],
     "relationships": [{"resourceId": "vpc-1", "resourceType": "AWS::EC2::VPC"}]},
    {"resourceId": "i-1", "resourceType": "AWS::EC2::Instance", "resourceName": null,
     "configuration": {"instanceType": "t2.micro", "size": 8.5, "state": {"name": "running"}, "ok": true,
                       "deep": [[[[{"a": [1, "x", null, false]}]]]]},
     "tags": []},
    {"resourceId": "gone", "configurationItemStatus": "ResourceDeleted"},
    {"resourceId": 7, "configuration": "text", "tags": {"key": "odd"}, "relationships": null}
]"#;

fn items() -> &'static [Value] {
    static ITEMS_PARSED: OnceLock<Vec<Value>> = OnceLock::new();
    ITEMS_PARSED.get_or_init(|| match ITEMS.parse::<Value>() {
        Ok(Value::Array(items)) => items,
        _ => panic!("the fixed items are a JSON array"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(query) = parse(text) else { return };
    let printed = query.to_string();
    if printed.chars().count() <= MAX_LENGTH {
        assert_eq!(parse(&printed).as_ref(), Ok(&query), "{text:?} printed as {printed:?}");
    }
    let _ = query.select_fields();
    let _ = query.resource_types();
    if let Ok(rows) = query.evaluate(items()) {
        assert!(rows.iter().all(Value::is_object));
    }
});
