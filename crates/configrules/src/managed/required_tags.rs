//! REQUIRED_TAGS (required-tags): a resource must carry each tag tagNKey (N = 1..6; tag1Key is
//! required) and, when tagNValue lists values (comma-separated), that tag's value must be one of
//! them. Keys and values are case-sensitive. The default scope is the resource types AWS lists; the
//! rule evaluates any type its scope names (AWS: it works for every type whose configuration items
//! record tags). Configuration changes only.

use super::ManagedRule;
use crate::compliance::Verdict;
use crate::item::Item;
use crate::parameters::{ParamKind, ParamSpec, Parameters};
use serde_json::Value;

const TAGS: [(&str, &str); 6] = [
    ("tag1Key", "tag1Value"),
    ("tag2Key", "tag2Value"),
    ("tag3Key", "tag3Value"),
    ("tag4Key", "tag4Value"),
    ("tag5Key", "tag5Value"),
    ("tag6Key", "tag6Value"),
];

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "REQUIRED_TAGS",
    default_name: "required-tags",
    resource_types: &[
        "AWS::ACM::Certificate",
        "AWS::AutoScaling::AutoScalingGroup",
        "AWS::CloudFormation::Stack",
        "AWS::CodeBuild::Project",
        "AWS::DynamoDB::Table",
        "AWS::EC2::CustomerGateway",
        "AWS::EC2::Instance",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::NetworkAcl",
        "AWS::EC2::NetworkInterface",
        "AWS::EC2::RouteTable",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::Subnet",
        "AWS::EC2::Volume",
        "AWS::EC2::VPC",
        "AWS::EC2::VPNConnection",
        "AWS::EC2::VPNGateway",
        "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBSecurityGroup",
        "AWS::RDS::DBSnapshot",
        "AWS::RDS::DBSubnetGroup",
        "AWS::RDS::EventSubscription",
        "AWS::Redshift::Cluster",
        "AWS::Redshift::ClusterParameterGroup",
        "AWS::Redshift::ClusterSecurityGroup",
        "AWS::Redshift::ClusterSnapshot",
        "AWS::Redshift::ClusterSubnetGroup",
        "AWS::S3::Bucket",
    ],
    any_resource_type: true,
    change_triggered: true,
    periodic: false,
    parameters: &[
        ParamSpec::required("tag1Key", ParamKind::String, Some("CostCenter")),
        ParamSpec::optional("tag1Value", ParamKind::Csv),
        ParamSpec::optional("tag2Key", ParamKind::String),
        ParamSpec::optional("tag2Value", ParamKind::Csv),
        ParamSpec::optional("tag3Key", ParamKind::String),
        ParamSpec::optional("tag3Value", ParamKind::Csv),
        ParamSpec::optional("tag4Key", ParamKind::String),
        ParamSpec::optional("tag4Value", ParamKind::Csv),
        ParamSpec::optional("tag5Key", ParamKind::String),
        ParamSpec::optional("tag5Value", ParamKind::Csv),
        ParamSpec::optional("tag6Key", ParamKind::String),
        ParamSpec::optional("tag6Value", ParamKind::Csv),
    ],
    check,
};

fn check(parameters: &Parameters, item: &Item<'_>, _: &Value) -> Verdict {
    let tags = item.tags();
    let mut problems = Vec::new();
    for (key_name, value_name) in TAGS {
        // A tagNValue without its tagNKey names no tag and is ignored.
        let Some(key) = parameters.text(key_name) else { continue };
        match tags.iter().find(|(k, _)| *k == key) {
            None => problems.push(format!("the required tag '{key}' is missing")),
            Some((_, value)) => {
                if let Some(allowed) = parameters.list(value_name)
                    && !allowed.iter().any(|a| a == value)
                {
                    problems.push(format!("the tag '{key}' has value '{value}', not one of: {}", allowed.join(", ")));
                }
            }
        }
    }
    if problems.is_empty() {
        return Verdict::compliant();
    }
    let mut text = problems.join("; ");
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    Verdict::non_compliant(text + ".")
}
