//! The demo's AWS Config story, through the public APIs like everything else the demo does. Once: a recorder
//! and delivery channel, the shop's security groups, buckets and instances reported with PutResourceConfig (with
//! their relationships and tags), and the rules people know — `restricted-ssh` with automatic remediation by
//! AWS-DisablePublicAccessForSecurityGroup, `s3-bucket-public-read-prohibited`, `required-tags`,
//! `cloudwatch-alarm-action-check`, `ec2-instance-detailed-monitoring-enabled` and a Guard policy. Then, every
//! [`STORY_EVERY`] seconds, someone opens SSH on the web tier's group to the world: `restricted-ssh` marks it
//! NON_COMPLIANT, the remediation revokes the rule, and the group's timeline shows the opening call, the
//! remediation's RevokeSecurityGroupIngress and the compliance flipping back.

use serde_json::{Value, json};

use super::client::SignedClient;
use super::ec2::FLEET;

/// How often the web tier's group is opened to the world.
pub const STORY_EVERY: i64 = 300;
/// The group the story happens to.
pub const WEB_GROUP: &str = "sg-0web5f1a2b3c4d5e6";
const API_GROUP: &str = "sg-0api7c8d9e0f1a2b3";
const DB_GROUP: &str = "sg-0db3e4f5a6b7c8d9e";
const VPC: &str = "vpc-0shop1a2b3c4d5e6f";
const SECURITY_GROUP: &str = "AWS::EC2::SecurityGroup";

fn target(op: &str) -> String {
    format!("StarlingDoveService.{op}")
}

fn ingress(port: i64, cidr: &str) -> Value {
    json!({
        "ipProtocol": "tcp", "fromPort": port, "toPort": port,
        "ipv4Ranges": [{"cidrIp": cidr}], "ipRanges": [cidr], "ipv6Ranges": [],
        "userIdGroupPairs": [], "prefixListIds": [],
    })
}

/// A security group's configuration as AWS Config records one.
fn group(id: &str, name: &str, description: &str, permissions: Vec<Value>) -> Value {
    json!({
        "groupId": id, "groupName": name, "description": description, "vpcId": VPC,
        "ownerId": skywatch_core::model::DEFAULT_ACCOUNT,
        "ipPermissions": permissions,
        "ipPermissionsEgress": [{"ipProtocol": "-1", "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"]}],
        "tags": [{"key": "team", "value": "shop"}],
    })
}

/// The web tier's group, with SSH open to the world when `ssh_open`.
pub fn web_group(ssh_open: bool) -> Value {
    let mut permissions = vec![ingress(80, "0.0.0.0/0"), ingress(443, "0.0.0.0/0")];
    if ssh_open {
        permissions.push(ingress(22, "0.0.0.0/0"));
    }
    group(WEB_GROUP, "shop-web", "Web tier behind the shop's load balancer", permissions)
}

/// Every resource the shop reports: (type, id, name, configuration, tags).
fn resources() -> Vec<(&'static str, String, String, Value, Value)> {
    let tags = |team: &str| json!({"team": team, "app": "shop"});
    let mut out = vec![
        (SECURITY_GROUP, WEB_GROUP.to_owned(), "shop-web".to_owned(), web_group(false), tags("shop")),
        (
            SECURITY_GROUP,
            API_GROUP.to_owned(),
            "shop-api".to_owned(),
            group(API_GROUP, "shop-api", "API tier, reached from the web tier", vec![ingress(8080, "10.0.0.0/16")]),
            tags("shop"),
        ),
        (
            SECURITY_GROUP,
            DB_GROUP.to_owned(),
            "shop-db".to_owned(),
            group(DB_GROUP, "shop-db", "Orders database", vec![ingress(5432, "10.0.2.0/24")]),
            json!({"app": "shop"}),
        ),
        (
            "AWS::S3::Bucket",
            "shop-assets".to_owned(),
            "shop-assets".to_owned(),
            json!({"name": "shop-assets", "owner": {"id": "shop"}, "creationDate": "2026-01-12T09:30:00.000Z"}),
            tags("shop"),
        ),
        (
            "AWS::S3::Bucket",
            "shop-invoices".to_owned(),
            "shop-invoices".to_owned(),
            json!({"name": "shop-invoices", "owner": {"id": "shop"}, "creationDate": "2026-02-03T14:05:00.000Z"}),
            tags("billing"),
        ),
    ];
    for (n, instance) in FLEET.iter().enumerate() {
        let web = instance.group.name.contains("web");
        let sg = if web { (WEB_GROUP, "shop-web") } else { (API_GROUP, "shop-api") };
        out.push((
            "AWS::EC2::Instance",
            instance.id.to_owned(),
            format!("{}-{}", instance.group.name, n + 1),
            json!({
                "instanceId": instance.id, "instanceType": instance.group.instance_type, "imageId": "ami-0shop2026a1b2c3d",
                "state": {"code": 16, "name": "running"}, "vpcId": VPC,
                "subnetId": if n % 2 == 0 { "subnet-0shopa1b2c3d4e5f" } else { "subnet-0shopf5e4d3c2b1a" },
                "privateIpAddress": format!("10.0.{}.{}", n % 2, 10 + n),
                "monitoring": {"state": if n == 0 { "disabled" } else { "enabled" }},
                "securityGroups": [{"groupId": sg.0, "groupName": sg.1}],
                "placement": {"availabilityZone": if n % 2 == 0 { "us-east-1a" } else { "us-east-1b" }},
            }),
            tags(if web { "shop" } else { "platform" }),
        ));
    }
    out
}

/// The public access block and ACL of a bucket, as Config's supplementary configuration; `shop-assets` serves
/// the storefront's images to the world.
fn bucket_supplementary(name: &str) -> Value {
    let public = name == "shop-assets";
    json!({
        "PublicAccessBlockConfiguration": {
            "blockPublicAcls": !public, "ignorePublicAcls": !public, "blockPublicPolicy": !public, "restrictPublicBuckets": !public,
        },
        "AccessControlList": json!({
            "grantList": if public {
                json!([{"grantee": "AllUsers", "permission": "Read"}])
            } else {
                json!([])
            },
            "owner": {"id": "shop"},
        }).to_string(),
    })
}

async fn report(
    client: &SignedClient,
    (kind, id, name, configuration, tags): (&str, &str, &str, &Value, &Value),
) -> anyhow::Result<()> {
    let mut configuration = configuration.clone();
    if kind == "AWS::S3::Bucket" {
        // A third party reports what it knows: the bucket's ACL and public access block ride in its configuration.
        configuration["supplementaryConfiguration"] = bucket_supplementary(id);
    }
    let body = json!({
        "ResourceType": kind, "SchemaVersionId": "1", "ResourceId": id, "ResourceName": name,
        "Configuration": configuration.to_string(), "Tags": tags,
    });
    client.call("config", &target("PutResourceConfig"), &body).await?;
    Ok(())
}

/// The rules, as PutConfigRule bodies.
fn rules() -> Vec<Value> {
    let managed = |name: &str, identifier: &str, parameters: Option<Value>, types: &[&str]| {
        let mut rule = json!({
            "ConfigRuleName": name,
            "Source": {"Owner": "AWS", "SourceIdentifier": identifier},
        });
        if !types.is_empty() {
            rule["Scope"] = json!({"ComplianceResourceTypes": types});
        }
        if let Some(parameters) = parameters {
            rule["InputParameters"] = json!(parameters.to_string());
        }
        json!({ "ConfigRule": rule })
    };
    vec![
        managed("restricted-ssh", "INCOMING_SSH_DISABLED", None, &[]),
        managed("s3-bucket-public-read-prohibited", "S3_BUCKET_PUBLIC_READ_PROHIBITED", None, &[]),
        managed(
            "required-tags",
            "REQUIRED_TAGS",
            Some(json!({"tag1Key": "team"})),
            &[SECURITY_GROUP, "AWS::S3::Bucket", "AWS::EC2::Instance"],
        ),
        managed(
            "cloudwatch-alarm-action-check",
            "CLOUDWATCH_ALARM_ACTION_CHECK",
            Some(
                json!({"alarmActionRequired": "true", "insufficientDataActionRequired": "false", "okActionRequired": "false"}),
            ),
            &[],
        ),
        managed("ec2-instance-detailed-monitoring-enabled", "EC2_INSTANCE_DETAILED_MONITORING_ENABLED", None, &[]),
        json!({"ConfigRule": {
            "ConfigRuleName": "shop-db-private",
            "Description": "The orders database takes connections only from inside the VPC",
            "Scope": {"ComplianceResourceTypes": [SECURITY_GROUP]},
            "Source": {"Owner": "CUSTOM_POLICY", "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}],
                "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x", "PolicyText": GUARD_POLICY}},
        }}),
    ]
}

/// The Guard policy of `shop-db-private`: database ports are never open to the world.
const GUARD_POLICY: &str = r#"rule database_ports_private when resourceType == "AWS::EC2::SecurityGroup" {
    configuration.ipPermissions[ fromPort == 5432 ].ipv4Ranges[*].cidrIp != "0.0.0.0/0"
        << PostgreSQL must not be reachable from the internet >>
}
"#;

/// Sets up the recorder, the shop's resources, the rules and the remediation (what exists is left alone, so
/// edits survive restarts).
pub async fn ensure(client: &SignedClient) {
    if let Err(error) = try_ensure(client).await {
        tracing::warn!(%error, "demo AWS Config could not be set up");
    }
}

async fn try_ensure(client: &SignedClient) -> anyhow::Result<()> {
    let recorders = client.call("config", &target("DescribeConfigurationRecorders"), &json!({})).await?;
    if recorders["ConfigurationRecorders"].as_array().is_none_or(Vec::is_empty) {
        let role = format!(
            "arn:{}:iam::{}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
            skywatch_core::model::partition(client.region()),
            skywatch_core::model::DEFAULT_ACCOUNT
        );
        client
            .call("config", &target("PutConfigurationRecorder"), &json!({"ConfigurationRecorder": {
                "name": "default", "roleARN": role, "recordingGroup": {"allSupported": true, "includeGlobalResourceTypes": true}}}))
            .await?;
        client
            .call(
                "config",
                &target("PutDeliveryChannel"),
                &json!({"DeliveryChannel": {
                "name": "default", "s3BucketName": "shop-config-history",
                "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"}}}),
            )
            .await?;
    }
    client
        .call("config", &target("StartConfigurationRecorder"), &json!({"ConfigurationRecorderName": "default"}))
        .await?;
    for (kind, id, name, configuration, tags) in resources() {
        report(client, (kind, &id, &name, &configuration, &tags)).await?;
    }
    let existing = client.call("config", &target("DescribeConfigRules"), &json!({})).await?;
    let known: Vec<&str> =
        existing["ConfigRules"].as_array().into_iter().flatten().filter_map(|r| r["ConfigRuleName"].as_str()).collect();
    let mut made = 0;
    for rule in rules() {
        let name = rule["ConfigRule"]["ConfigRuleName"].as_str().unwrap_or_default();
        if !known.contains(&name) {
            client.call("config", &target("PutConfigRule"), &rule).await?;
            made += 1;
        }
    }
    let remediation = client
        .call("config", &target("DescribeRemediationConfigurations"), &json!({"ConfigRuleNames": ["restricted-ssh"]}))
        .await?;
    if remediation["RemediationConfigurations"].as_array().is_none_or(Vec::is_empty) {
        client
            .call("config", &target("PutRemediationConfigurations"), &json!({"RemediationConfigurations": [{
                "ConfigRuleName": "restricted-ssh", "TargetType": "SSM_DOCUMENT",
                "TargetId": "AWS-DisablePublicAccessForSecurityGroup", "TargetVersion": "1",
                "Automatic": true, "MaximumAutomaticAttempts": 5, "RetryAttemptSeconds": 60,
                "Parameters": {
                    "GroupId": {"ResourceValue": {"Value": "RESOURCE_ID"}},
                    "AutomationAssumeRole": {"StaticValue": {"Values": [format!("arn:{}:iam::{}:role/ShopConfigRemediation", skywatch_core::model::partition(client.region()), skywatch_core::model::DEFAULT_ACCOUNT)]}},
                }}]}))
            .await?;
    }
    if made > 0 {
        tracing::info!(rules = made, "demo AWS Config rules created");
    }
    Ok(())
}

/// The story's beat at `now`: once every [`STORY_EVERY`] seconds (and at once when the demo starts) someone
/// opens SSH on the web tier's group to the world (the remediation closes it again). Returns the beat it played,
/// so each plays once.
pub async fn story(client: &SignedClient, now: i64, last: Option<i64>) -> Option<i64> {
    let beat = now / STORY_EVERY;
    if last == Some(beat) {
        return last;
    }
    let body = json!({
        "ResourceType": SECURITY_GROUP, "SchemaVersionId": "1", "ResourceId": WEB_GROUP, "ResourceName": "shop-web",
        "Configuration": web_group(true).to_string(), "Tags": {"team": "shop", "app": "shop"},
    });
    match client.call("config", &target("PutResourceConfig"), &body).await {
        Ok(_) => tracing::info!(group = WEB_GROUP, "demo: SSH opened to the world"),
        Err(error) => tracing::warn!(%error, "demo PutResourceConfig failed"),
    }
    Some(beat)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: the story's opening is what `restricted-ssh` flags, and what the remediation leaves is compliant.
    #[test]
    fn the_web_group_opens_ssh_to_the_world_and_closes_it() {
        let rule = skywatch_core::config::rules::model::Compliance::NonCompliant;
        let ssh = skywatch_configrules_verdict(&web_group(true));
        assert_eq!(ssh, rule);
        let closed = skywatch_core::config::remediation::actions::revoke_world_ingress(&web_group(true), &[22, 3389])
            .map(|(c, _)| c)
            .unwrap();
        assert_eq!(closed, web_group(false));
    }

    fn skywatch_configrules_verdict(configuration: &Value) -> skywatch_core::config::rules::model::Compliance {
        let managed = skywatch_core::config::managed_rule("INCOMING_SSH_DISABLED").unwrap();
        let item = json!({"configurationItemStatus": "OK", "resourceType": SECURITY_GROUP, "resourceId": WEB_GROUP,
            "configuration": configuration});
        managed.evaluate(&managed.parameters(None).unwrap(), &item).compliance
    }

    #[test]
    fn the_shop_reports_groups_buckets_and_instances() {
        let kinds: Vec<&str> = resources().iter().map(|r| r.0).collect();
        assert_eq!(kinds.iter().filter(|k| **k == SECURITY_GROUP).count(), 3);
        assert_eq!(kinds.iter().filter(|k| **k == "AWS::S3::Bucket").count(), 2);
        assert_eq!(kinds.iter().filter(|k| **k == "AWS::EC2::Instance").count(), FLEET.len());
        assert_eq!(rules().len(), 6);
    }
}
