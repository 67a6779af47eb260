//! AWS's documented example queries and the behaviours its documentation describes, as a table of (query, expected
//! rows) over the fixture items of `common`.

use crate::common;

use serde_json::Value;
use skywatch_configsql::parse;

/// (query, the rows it returns, as JSON).
const CASES: &[(&str, &str)] = &[
    // Example queries: EC2 instances with an AMI.
    (
        "SELECT resourceId, resourceType, configuration.instanceType, configuration.placement.tenancy, \
         configuration.imageId, availabilityZone WHERE resourceType = 'AWS::EC2::Instance' \
         AND configuration.imageId = 'ami-12345'",
        r#"[{"resourceId":"i-1","resourceType":"AWS::EC2::Instance","availabilityZone":"us-east-1a",
             "configuration":{"instanceType":"t2.micro","placement":{"tenancy":"default"},"imageId":"ami-12345"}},
            {"resourceId":"i-2","resourceType":"AWS::EC2::Instance","availabilityZone":"us-east-1b",
             "configuration":{"instanceType":"t3.large","placement":{"tenancy":"default"},"imageId":"ami-12345"}}]"#,
    ),
    // Count of resources grouped by compliance status (equal counts: by value).
    (
        "SELECT configuration.complianceType, COUNT(*) WHERE resourceType = 'AWS::Config::ResourceCompliance' \
         GROUP BY configuration.complianceType",
        r#"[{"COUNT(*)":1,"configuration":{"complianceType":"COMPLIANT"}},
            {"COUNT(*)":1,"configuration":{"complianceType":"NON_COMPLIANT"}}]"#,
    ),
    // Counts grouped by account (the deleted instance is not counted).
    ("SELECT COUNT(*), accountId group by accountId", r#"[{"COUNT(*)":15,"accountId":"123456789012"}]"#),
    // EBS volumes not in use.
    (
        "SELECT resourceId, accountId, awsRegion, resourceType, configuration.volumeType, configuration.size, \
         resourceCreationTime, tags, configuration.encrypted, configuration.availabilityZone, \
         configuration.state.value WHERE resourceType = 'AWS::EC2::Volume' AND configuration.state.value = 'available'",
        r#"[{"resourceId":"vol-1","accountId":"123456789012","awsRegion":"us-east-1","resourceType":"AWS::EC2::Volume",
             "resourceCreationTime":"2026-12-06T16:00:00.000Z","tags":[],
             "configuration":{"volumeType":"gp2","size":100,"encrypted":false,"availabilityZone":"us-east-1a",
                              "state":{"value":"available"}}}]"#,
    ),
    // Example relationship queries.
    (
        "SELECT resourceId WHERE resourceType IN ('AWS::EC2::Instance', 'AWS::EC2::NetworkInterface') \
         AND relationships.resourceId = 'sg-web'",
        r#"[{"resourceId":"i-1"},{"resourceId":"i-3"}]"#,
    ),
    (
        "SELECT resourceId WHERE resourceType IN ('AWS::EC2::Instance', 'AWS::EC2::InternetGateway', \
         'AWS::EC2::NetworkACL', 'AWS::EC2::NetworkInterface', 'AWS::EC2::RouteTable', 'AWS::EC2::Subnet', \
         'AWS::EC2::SecurityGroup') AND relationships.resourceId = 'vpc-1'",
        r#"[{"resourceId":"sg-web"},{"resourceId":"sg-db"},{"resourceId":"sg-admin"},{"resourceId":"sg-vpn"},
            {"resourceId":"i-1"},{"resourceId":"i-2"},{"resourceId":"i-3"}]"#,
    ),
    // The resource schema's examples: tags.tag is key=value; tags.key is the key alone.
    (
        "SELECT resourceId WHERE resourceType='AWS::S3::Bucket' AND awsRegion='us-east-1' AND tags.tag='team=data'",
        r#"[{"resourceId":"my-logs-bucket"}]"#,
    ),
    (
        "SELECT COUNT(resourceId) WHERE resourceType='AWS::EC2::Instance' AND availabilityZone='us-east-1a' \
         AND configuration.imageId='ami-12345' AND tags.key='env'",
        r#"[{"COUNT(resourceId)":1}]"#,
    ),
    // Multiple properties within an array: each condition may be met by a different element.
    (
        "SELECT resourceId WHERE configuration.configRuleList.complianceType = 'NON_COMPLIANT' \
         AND configuration.configRuleList.configRuleName = 'A'",
        r#"[{"resourceId":"AWS::EC2::Instance/i-1"}]"#,
    ),
    // CIDR blocks: the documented search for exactly 10.0.0.0/24 (sg-web also allows 0.0.0.0/0, so it is out).
    (
        "SELECT resourceId WHERE resourceType = 'AWS::EC2::SecurityGroup' \
         AND configuration.ipPermissions.ipRanges BETWEEN '10.0.0.0' AND '10.0.0.255' \
         AND NOT configuration.ipPermissions.ipRanges < '10.0.0.0' \
         AND NOT configuration.ipPermissions.ipRanges > '10.0.0.255'",
        r#"[{"resourceId":"sg-vpn"}]"#,
    ),
    // ... and for exactly 192.168.0.2/32.
    (
        "SELECT resourceId WHERE resourceType = 'AWS::EC2::SecurityGroup' \
         AND configuration.ipPermissions.ipRanges = '192.168.0.2' \
         AND NOT configuration.ipPermissions.ipRanges > '192.168.0.2' \
         AND NOT configuration.ipPermissions.ipRanges < '192.168.0.2'",
        r#"[{"resourceId":"sg-admin"}]"#,
    ),
    // '=' an address finds every range that includes it.
    (
        "SELECT resourceId WHERE configuration.ipPermissions.ipRanges = '192.168.0.2'",
        r#"[{"resourceId":"sg-web"},{"resourceId":"sg-admin"}]"#,
    ),
    // '=' a block finds the ranges that include the whole block: open to the world.
    (
        "SELECT resourceId, configuration.ipPermissions.fromPort WHERE resourceType = 'AWS::EC2::SecurityGroup' \
         AND configuration.ipPermissions.ipRanges = '0.0.0.0/0'",
        r#"[{"resourceId":"sg-web","configuration":{"ipPermissions":[{"fromPort":443},{"fromPort":22}]}}]"#,
    ),
    (
        "SELECT resourceId WHERE configuration.ipPermissions.ipv4Ranges.cidrIp BETWEEN '10.0.0.7' AND '10.0.0.9'",
        r#"[{"resourceId":"sg-web"},{"resourceId":"sg-vpn"}]"#,
    ),
    (
        "SELECT resourceId WHERE configuration.ipPermissions.fromPort <= 22 AND configuration.ipPermissions.toPort >= 22",
        r#"[{"resourceId":"sg-web"},{"resourceId":"sg-admin"}]"#,
    ),
    ("SELECT COUNT(*) WHERE configuration.ipPermissionsEgress.ipProtocol = '-1'", r#"[{"COUNT(*)":4}]"#),
    // LIKE with a suffix wildcard, grouped and ordered by count.
    (
        "SELECT resourceType, COUNT(*) WHERE resourceType LIKE 'AWS::EC2::%' GROUP BY resourceType ORDER BY COUNT(*) DESC",
        r#"[{"resourceType":"AWS::EC2::SecurityGroup","COUNT(*)":4},{"resourceType":"AWS::EC2::Instance","COUNT(*)":3},
            {"resourceType":"AWS::EC2::Volume","COUNT(*)":2}]"#,
    ),
    ("SELECT resourceId WHERE resourceId LIKE 'sg-__'", r#"[{"resourceId":"sg-db"}]"#),
    (
        "SELECT resourceId WHERE resourceType = 'AWS::EC2::Volume' AND resourceId NOT LIKE 'vol-1%'",
        r#"[{"resourceId":"vol-2"}]"#,
    ),
    // Groups without ORDER BY: the largest first, then by value.
    (
        "SELECT resourceType, COUNT(*) GROUP BY resourceType",
        r#"[{"resourceType":"AWS::EC2::SecurityGroup","COUNT(*)":4},{"resourceType":"AWS::EC2::Instance","COUNT(*)":3},
            {"resourceType":"AWS::CloudWatch::Alarm","COUNT(*)":2},{"resourceType":"AWS::Config::ResourceCompliance","COUNT(*)":2},
            {"resourceType":"AWS::EC2::Volume","COUNT(*)":2},{"resourceType":"AWS::S3::Bucket","COUNT(*)":2}]"#,
    ),
    (
        "SELECT configuration.instanceType, availabilityZone, COUNT(*) WHERE resourceType = 'AWS::EC2::Instance' \
         GROUP BY configuration.instanceType, availabilityZone",
        r#"[{"configuration":{"instanceType":"t2.micro"},"availabilityZone":"us-east-1a","COUNT(*)":2},
            {"configuration":{"instanceType":"t3.large"},"availabilityZone":"us-east-1b","COUNT(*)":1}]"#,
    ),
    // An item joins the group of each value of an array property.
    (
        "SELECT tags.key, COUNT(*) WHERE resourceType = 'AWS::EC2::Instance' GROUP BY tags.key",
        r#"[{"tags":{"key":"env"},"COUNT(*)":3},{"tags":{"key":"Name"},"COUNT(*)":1}]"#,
    ),
    (
        "SELECT configuration.state.name GROUP BY configuration.state.name",
        r#"[{"configuration":{"state":{"name":"running"}}},{"configuration":{"state":{"name":"stopped"}}}]"#,
    ),
    ("SELECT awsRegion, COUNT(*) GROUP BY awsRegion ORDER BY COUNT(*)", r#"[{"awsRegion":"us-east-1","COUNT(*)":15}]"#),
    // Aggregate functions.
    (
        "SELECT SUM(configuration.size), MIN(configuration.size), MAX(configuration.size), AVG(configuration.size), \
         COUNT(configuration.size) WHERE resourceType = 'AWS::EC2::Volume'",
        r#"[{"SUM(configuration.size)":108.0,"MIN(configuration.size)":8.0,"MAX(configuration.size)":100.0,
             "AVG(configuration.size)":54.0,"COUNT(configuration.size)":2}]"#,
    ),
    (
        "SELECT MIN(configuration.instanceType), MAX(configuration.instanceType) WHERE resourceType = 'AWS::EC2::Instance'",
        r#"[{"MIN(configuration.instanceType)":"t2.micro","MAX(configuration.instanceType)":"t3.large"}]"#,
    ),
    (
        "SELECT COUNT(*), SUM(configuration.size) WHERE resourceType = 'AWS::Lambda::Function'",
        r#"[{"COUNT(*)":0,"SUM(configuration.size)":null}]"#,
    ),
    (
        "SELECT resourceType, AVG(configuration.threshold) WHERE resourceType = 'AWS::CloudWatch::Alarm' GROUP BY resourceType",
        r#"[{"resourceType":"AWS::CloudWatch::Alarm","AVG(configuration.threshold)":45.0}]"#,
    ),
    // ORDER BY: a missing value sorts last both ways; equal values keep their order.
    (
        "SELECT resourceId, configuration.size WHERE resourceType = 'AWS::EC2::Volume' ORDER BY configuration.size",
        r#"[{"resourceId":"vol-2","configuration":{"size":8}},{"resourceId":"vol-1","configuration":{"size":100}}]"#,
    ),
    (
        "SELECT resourceId WHERE resourceType IN ('AWS::EC2::Instance', 'AWS::EC2::Volume') \
         ORDER BY configuration.instanceType DESC",
        r#"[{"resourceId":"i-2"},{"resourceId":"i-1"},{"resourceId":"i-3"},{"resourceId":"vol-1"},{"resourceId":"vol-2"}]"#,
    ),
    (
        "SELECT resourceId WHERE resourceType = 'AWS::EC2::Instance' ORDER BY availabilityZone DESC, resourceId DESC",
        r#"[{"resourceId":"i-2"},{"resourceId":"i-3"},{"resourceId":"i-1"}]"#,
    ),
    // SELECT * is the top-level scalar properties.
    (
        "SELECT * WHERE resourceId = 'vol-2'",
        r#"[{"accountId":"123456789012","awsRegion":"us-east-1","arn":"arn:aws:ec2:us-east-1:123456789012:vol-2",
             "availabilityZone":"us-east-1b","configurationItemCaptureTime":"2026-12-06T17:00:00.000Z",
             "resourceCreationTime":"2026-12-06T16:00:00.000Z","resourceId":"vol-2","resourceName":null,
             "resourceType":"AWS::EC2::Volume","version":"1.3"}]"#,
    ),
    // Literals of each kind; dates compare as ISO-8601 text.
    ("SELECT resourceId WHERE configuration.encrypted = false", r#"[{"resourceId":"vol-1"}]"#),
    ("SELECT resourceName WHERE configuration.actionsEnabled = TRUE", r#"[{"resourceName":"HighCPU"}]"#),
    (
        "SELECT resourceName WHERE supplementaryConfiguration.BucketVersioningConfiguration.status = 'Off'",
        r#"[{"resourceName":"my-logs-bucket"}]"#,
    ),
    (
        "SELECT resourceName WHERE resourceType = 'AWS::S3::Bucket' AND configuration.creationDate < '2026-01-01'",
        r#"[{"resourceName":"my-logs-bucket"}]"#,
    ),
    (
        "SELECT configuration.alarmName WHERE configuration.evaluationPeriods IN (1, 2)",
        r#"[{"configuration":{"alarmName":"LowCredit"}}]"#,
    ),
    (
        "SELECT configuration.alarmName WHERE resourceType = 'AWS::CloudWatch::Alarm' \
         AND configuration.evaluationPeriods NOT IN (1, 2) AND configuration.threshold >= 80",
        r#"[{"configuration":{"alarmName":"HighCPU"}}]"#,
    ),
    (
        "SELECT resourceId WHERE resourceType = 'AWS::EC2::Volume' AND configuration.size NOT BETWEEN 10 AND 1000",
        r#"[{"resourceId":"vol-2"}]"#,
    ),
    // Logic, in any case.
    (
        "select resourceId where resourceType = 'AWS::EC2::Instance' and (configuration.state.name = 'stopped' \
         or tags.tag = 'env=dev')",
        r#"[{"resourceId":"i-2"},{"resourceId":"i-3"}]"#,
    ),
    (
        "SELECT resourceId WHERE resourceType = 'AWS::EC2::Instance' AND NOT tags.key = 'Name'",
        r#"[{"resourceId":"i-2"},{"resourceId":"i-3"}]"#,
    ),
    (
        "SELECT resourceId WHERE resourceType = 'AWS::EC2::Instance' AND tags.key <> 'Name'",
        r#"[{"resourceId":"i-2"},{"resourceId":"i-3"}]"#,
    ),
    (
        "SELECT resourceId, tags.tag WHERE resourceId = 'i-1'",
        r#"[{"resourceId":"i-1","tags":[{"tag":"Name=web-1"},{"tag":"env=prod"}]}]"#,
    ),
    // Deleted resources are not queried.
    ("SELECT resourceId WHERE resourceId = 'i-dead'", "[]"),
];

#[test]
fn documented_queries_return_the_documented_rows() {
    let items = common::items();
    let mut failures = Vec::new();
    for (text, expected) in CASES {
        let expected: Value = serde_json::from_str(expected).unwrap_or_else(|e| panic!("{text}: bad expectation: {e}"));
        match parse(text).and_then(|query| query.evaluate(&items)) {
            Ok(rows) if Value::Array(rows.clone()) == expected => {}
            Ok(rows) => failures.push(format!("{text}\n  expected {expected}\n  got      {}", Value::Array(rows))),
            Err(e) => failures.push(format!("{text}\n  refused: {e} ({:?})", e.detail)),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn select_fields_name_the_columns_as_aws_does() {
    let fields = |text: &str| parse(text).unwrap().select_fields();
    assert_eq!(
        fields("SELECT resourceId, configuration.instanceType WHERE resourceType = 'AWS::EC2::Instance'"),
        ["resourceId", "configuration.instanceType"]
    );
    assert_eq!(
        fields("SELECT configuration.complianceType, count(*) GROUP BY configuration.complianceType"),
        ["configuration.complianceType", "COUNT(*)"]
    );
    assert_eq!(fields("SELECT sum(configuration.size)"), ["SUM(configuration.size)"]);
    assert_eq!(fields("SELECT *").len(), 10);
    assert_eq!(fields("SELECT *")[0], "accountId");
}

#[test]
fn rows_serialize_as_aws_results() {
    let items = common::items();
    let rows = parse("SELECT resourceId WHERE resourceId = 'vol-1'").unwrap().evaluate(&items).unwrap();
    let results: Vec<String> = rows.iter().map(Value::to_string).collect();
    assert_eq!(results, [r#"{"resourceId":"vol-1"}"#]);
}

#[test]
fn resource_types_narrow_what_the_caller_reads() {
    let types = |text: &str| parse(text).unwrap().resource_types();
    let owned = |names: &[&str]| Some(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>());
    assert_eq!(types("SELECT resourceId"), None);
    assert_eq!(types("SELECT resourceId WHERE resourceType = 'AWS::S3::Bucket'"), owned(&["AWS::S3::Bucket"]));
    assert_eq!(types("SELECT resourceId WHERE resourceType IN ('B', 'A') AND configuration.x = 1"), owned(&["A", "B"]));
    assert_eq!(types("SELECT resourceId WHERE resourceType IN ('A', 'B') AND resourceType = 'B'"), owned(&["B"]));
    assert_eq!(types("SELECT resourceId WHERE resourceType = 'A' AND resourceType = 'B'"), owned(&[]));
    assert_eq!(types("SELECT resourceId WHERE resourceType = 'A' OR resourceType = 'B'"), owned(&["A", "B"]));
    assert_eq!(types("SELECT resourceId WHERE resourceType = 'A' OR resourceId = 'x'"), None);
    assert_eq!(types("SELECT resourceId WHERE NOT resourceType = 'A'"), None);
    assert_eq!(types("SELECT resourceId WHERE resourceType != 'A'"), None);
    assert_eq!(types("SELECT resourceId WHERE resourceType LIKE 'AWS::EC2::%'"), None);
    assert_eq!(types("SELECT resourceId WHERE resourceType NOT IN ('A')"), None);
    assert_eq!(
        types("SELECT resourceId WHERE (resourceType = 'A' AND x = 1) OR (resourceType = 'C')"),
        owned(&["A", "C"])
    );
}

#[test]
fn the_resource_types_it_names_hold_every_match() {
    // Reading only the named types gives the same rows as reading everything.
    let items = common::items();
    for (text, _) in CASES {
        let query = parse(text).unwrap();
        let Some(types) = query.resource_types() else { continue };
        if query.is_aggregate() {
            continue;
        }
        let narrowed: Vec<&Value> = items
            .iter()
            .filter(|item| types.iter().any(|t| item["resourceType"] == Value::String(t.clone())))
            .collect();
        assert_eq!(query.evaluate(narrowed).unwrap(), query.evaluate(&items).unwrap(), "{text}");
    }
}
