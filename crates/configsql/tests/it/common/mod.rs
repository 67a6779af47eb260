//! Configuration items for the tests, in the advanced-query resource schema shape: security groups with
//! ipPermissions, EC2 instances, EBS volumes, S3 buckets, CloudWatch alarms, resource compliance items and one
//! deleted instance.

#![allow(dead_code)]

use serde_json::{Value, json};

/// One configuration item with the top-level properties every CI has.
fn ci(
    resource_type: &str,
    id: &str,
    name: Option<&str>,
    zone: &str,
    configuration: Value,
    tags: &[(&str, &str)],
    related: &[(&str, &str)],
) -> Value {
    let service = resource_type.split("::").nth(1).unwrap_or("").to_ascii_lowercase();
    json!({
        "accountId": "123456789012",
        "arn": format!("arn:aws:{service}:us-east-1:123456789012:{id}"),
        "availabilityZone": zone,
        "awsRegion": "us-east-1",
        "configuration": configuration,
        "configurationItemCaptureTime": "2026-12-06T17:00:00.000Z",
        "configurationItemStatus": "OK",
        "configurationStateId": "1765040400000",
        "relationships": related
            .iter()
            .map(|(kind, id)| json!({"resourceId": id, "resourceName": null, "resourceType": kind, "relationshipName": "Is associated with"}))
            .collect::<Vec<_>>(),
        "resourceCreationTime": "2026-12-06T16:00:00.000Z",
        "resourceId": id,
        "resourceName": name,
        "resourceType": resource_type,
        "supplementaryConfiguration": {},
        "tags": tags.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
        "version": "1.3"
    })
}

fn permission(protocol: &str, from: i64, to: i64, ranges: &[&str], groups: &[&str]) -> Value {
    json!({
        "ipProtocol": protocol,
        "fromPort": from,
        "toPort": to,
        "ipRanges": ranges,
        "ipv4Ranges": ranges.iter().map(|r| json!({"cidrIp": r})).collect::<Vec<_>>(),
        "ipv6Ranges": [],
        "prefixListIds": [],
        "userIdGroupPairs": groups.iter().map(|g| json!({"groupId": g, "userId": "123456789012"})).collect::<Vec<_>>()
    })
}

fn security_group(id: &str, name: &str, ingress: Vec<Value>, tags: &[(&str, &str)]) -> Value {
    ci(
        "AWS::EC2::SecurityGroup",
        id,
        Some(name),
        "Not Applicable",
        json!({
            "description": format!("{name} access"),
            "groupId": id,
            "groupName": name,
            "ipPermissions": ingress,
            "ipPermissionsEgress": [permission("-1", -1, -1, &["0.0.0.0/0"], &[])],
            "ownerId": "123456789012",
            "vpcId": "vpc-1"
        }),
        tags,
        &[("AWS::EC2::VPC", "vpc-1")],
    )
}

#[allow(clippy::too_many_arguments)]
fn instance(
    id: &str,
    kind: &str,
    image: &str,
    zone: &str,
    state: &str,
    groups: &[&str],
    tags: &[(&str, &str)],
) -> Value {
    let mut related: Vec<(&str, &str)> = groups.iter().map(|g| ("AWS::EC2::SecurityGroup", *g)).collect();
    related.push(("AWS::EC2::VPC", "vpc-1"));
    ci(
        "AWS::EC2::Instance",
        id,
        None,
        zone,
        json!({
            "instanceId": id,
            "instanceType": kind,
            "imageId": image,
            "placement": {"availabilityZone": zone, "tenancy": "default"},
            "state": {"code": if state == "running" { 16 } else { 80 }, "name": state},
            "securityGroups": groups.iter().map(|g| json!({"groupId": g, "groupName": g})).collect::<Vec<_>>(),
            "launchTime": "2026-11-01T08:00:00.000Z",
            "cpuOptions": {"coreCount": if kind == "t3.large" { 2 } else { 1 }, "threadsPerCore": 2}
        }),
        tags,
        &related,
    )
}

fn volume(id: &str, size: i64, state: &str, encrypted: bool, zone: &str) -> Value {
    ci(
        "AWS::EC2::Volume",
        id,
        None,
        zone,
        json!({"volumeId": id, "size": size, "volumeType": "gp2", "encrypted": encrypted,
               "state": {"value": state}, "availabilityZone": zone}),
        &[],
        &[],
    )
}

fn bucket(name: &str, versioning: &str, created: &str, tags: &[(&str, &str)]) -> Value {
    let mut item = ci(
        "AWS::S3::Bucket",
        name,
        Some(name),
        "Regional",
        json!({"name": name, "owner": {"displayName": null, "id": "abc"}, "creationDate": created}),
        tags,
        &[],
    );
    item["supplementaryConfiguration"] = json!({"BucketVersioningConfiguration": {"status": versioning}});
    item
}

fn alarm(name: &str, threshold: f64, periods: i64, enabled: bool) -> Value {
    ci(
        "AWS::CloudWatch::Alarm",
        name,
        Some(name),
        "Not Applicable",
        json!({
            "alarmName": name,
            "alarmArn": format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"),
            "metricName": "CPUUtilization",
            "namespace": "AWS/EC2",
            "statistic": "Average",
            "threshold": threshold,
            "comparisonOperator": "GreaterThanThreshold",
            "evaluationPeriods": periods,
            "actionsEnabled": enabled,
            "alarmActions": ["arn:aws:sns:us-east-1:123456789012:ops"],
            "dimensions": [{"name": "InstanceId", "value": "i-1"}]
        }),
        &[],
        &[],
    )
}

fn compliance(id: &str, overall: &str, rules: &[(&str, &str)]) -> Value {
    ci(
        "AWS::Config::ResourceCompliance",
        id,
        None,
        "Not Applicable",
        json!({
            "complianceType": overall,
            "targetResourceId": id.trim_start_matches("AWS::EC2::Instance/"),
            "targetResourceType": "AWS::EC2::Instance",
            "configRuleList": rules.iter().map(|(rule, c)| json!({"configRuleName": rule, "complianceType": c})).collect::<Vec<_>>()
        }),
        &[],
        &[],
    )
}

/// The fixture items, in this order.
pub fn items() -> Vec<Value> {
    let mut deleted = instance("i-dead", "t2.micro", "ami-12345", "us-east-1a", "terminated", &[], &[("env", "prod")]);
    deleted["configurationItemStatus"] = json!("ResourceDeleted");
    vec![
        security_group(
            "sg-web",
            "web",
            vec![permission("tcp", 443, 443, &["0.0.0.0/0"], &[]), permission("tcp", 22, 22, &["10.0.0.0/24"], &[])],
            &[("env", "prod")],
        ),
        security_group(
            "sg-db",
            "db",
            vec![permission("tcp", 5432, 5432, &[], &["sg-web"])],
            &[("env", "prod"), ("team", "data")],
        ),
        security_group(
            "sg-admin",
            "admin",
            vec![
                permission("tcp", 22, 22, &["192.168.0.2/32"], &[]),
                permission("tcp", 3389, 3389, &["192.168.0.2/32"], &[]),
            ],
            &[],
        ),
        security_group("sg-vpn", "vpn", vec![permission("udp", 1194, 1194, &["10.0.0.0/24"], &[])], &[]),
        instance(
            "i-1",
            "t2.micro",
            "ami-12345",
            "us-east-1a",
            "running",
            &["sg-web"],
            &[("Name", "web-1"), ("env", "prod")],
        ),
        instance("i-2", "t3.large", "ami-12345", "us-east-1b", "running", &["sg-admin"], &[("env", "dev")]),
        instance("i-3", "t2.micro", "ami-999", "us-east-1a", "stopped", &["sg-web"], &[("env", "prod")]),
        volume("vol-1", 100, "available", false, "us-east-1a"),
        volume("vol-2", 8, "in-use", true, "us-east-1b"),
        bucket("my-logs-bucket", "Off", "2025-03-01T10:00:00.000Z", &[("team", "data")]),
        bucket("site-assets", "Enabled", "2026-01-15T09:30:00.000Z", &[]),
        alarm("HighCPU", 80.0, 3, true),
        alarm("LowCredit", 10.0, 1, false),
        compliance("AWS::EC2::Instance/i-1", "NON_COMPLIANT", &[("A", "COMPLIANT"), ("B", "NON_COMPLIANT")]),
        compliance("AWS::EC2::Instance/i-2", "COMPLIANT", &[("A", "COMPLIANT")]),
        deleted,
    ]
}
