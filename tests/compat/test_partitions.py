"""ARNs in AWS's partitions (issue 15) through boto3: every ARN Skywatch builds names the partition of the
request's region, as AWS's own partitions.json (shipped in botocore) assigns it: `aws-cn` for cn-north-1,
`aws-us-gov` for us-gov-west-1, `aws` for us-east-1 (the control). ARN formats are CloudWatch's recorded ones
(alarm `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`, dashboard
`arn:<partition>:cloudwatch::<account>:dashboard/<name>` with an empty region) and each service's documented ones.
No recording of real AWS covers a partition other than `aws`, so the partition itself follows partitions.json.
ARNs Skywatch reads (alarm actions, tagging, X-Ray group and rule ARNs, subscription destinations) are accepted in
the region's partition. The resources live in an account of their own (AKIDPARTITION)."""

from __future__ import annotations

import json
import uuid

import botocore.exceptions
import pytest

from conftest import cloudwatch_client, lookup_all, trail_record

KEY = "AKIDPARTITION"
ACCOUNT = "212121212121"

REGIONS = [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")]

pytestmark = pytest.mark.parametrize(("region", "partition"), REGIONS, ids=[r for r, _ in REGIONS])


def unique(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def test_the_botocore_partition_table_agrees(region, partition):
    """The expectations of this module are botocore's own: its partitions data puts the region there."""
    import botocore.loaders

    data = botocore.loaders.create_loader().load_data("partitions")
    owner = next(p["id"] for p in data["partitions"] if region in p["regions"])
    assert owner == partition


def test_sns_topics_and_subscriptions(server, region, partition):
    sns = server.client("sns", key=KEY, region=region)
    name = unique("topic")
    topic = sns.create_topic(Name=name)["TopicArn"]
    assert topic == f"arn:{partition}:sns:{region}:{ACCOUNT}:{name}"
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert attributes["TopicArn"] == topic
    assert json.loads(attributes["Policy"])["Statement"][0]["Resource"] == topic
    assert [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"] == topic] == [topic]
    sns.delete_topic(TopicArn=topic)


def test_alarms_name_their_partition_and_take_actions_in_it(server, region, partition):
    """An alarm action naming this partition's SNS topic (`arn:aws-cn:sns:cn-north-1:...` in cn-north-1) is
    accepted, and the alarm's own ARN is in the same partition."""
    sns = server.client("sns", key=KEY, region=region)
    topic = sns.create_topic(Name=unique("alerts"))["TopicArn"]
    assert topic.startswith(f"arn:{partition}:sns:{region}:")
    cw = cloudwatch_client(server, "json", key=KEY, region=region)
    name = unique("cpu")
    cw.put_metric_alarm(AlarmName=name, Namespace="Partition/Test", MetricName="CPU", Statistic="Average",
                        Period=60, EvaluationPeriods=1, Threshold=90.0, ComparisonOperator="GreaterThanThreshold",
                        AlarmActions=[topic], OKActions=[topic],
                        Tags=[{"Key": "team", "Value": "ops"}])
    [alarm] = cw.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    arn = f"arn:{partition}:cloudwatch:{region}:{ACCOUNT}:alarm:{name}"
    assert alarm["AlarmArn"] == arn
    assert alarm["AlarmActions"] == [topic] and alarm["OKActions"] == [topic]
    # Tagging reads the alarm's ARN back.
    assert cw.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "ops"}]

    composite = unique("both")
    cw.put_composite_alarm(AlarmName=composite, AlarmRule=f'ALARM("{arn}")')
    [made] = cw.describe_alarms(AlarmNames=[composite], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"]
    assert made["AlarmArn"] == f"arn:{partition}:cloudwatch:{region}:{ACCOUNT}:alarm:{composite}"
    cw.delete_alarms(AlarmNames=[composite, name])


def test_an_alarm_arn_of_another_partition_names_no_alarm_here(server, region, partition):
    """Skywatch already treats an alarm ARN of another region as naming no alarm of this one (tagging answers
    ResourceNotFoundException); an ARN with this region but another partition is likewise not one of this region's."""
    cw = cloudwatch_client(server, "json", key=KEY, region=region)
    name = unique("tagged")
    cw.put_metric_alarm(AlarmName=name, Namespace="Partition/Test", MetricName="CPU", Statistic="Average",
                        Period=60, EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    other = "aws-cn" if partition != "aws-cn" else "aws"
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        cw.list_tags_for_resource(ResourceARN=f"arn:{other}:cloudwatch:{region}:{ACCOUNT}:alarm:{name}")
    assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"
    cw.delete_alarms(AlarmNames=[name])


def test_dashboards_name_the_partition_and_no_region(server, region, partition):
    cw = cloudwatch_client(server, "json", key=KEY, region=region)
    name = unique("board")
    cw.put_dashboard(DashboardName=name, DashboardBody='{"widgets":[]}')
    arn = f"arn:{partition}:cloudwatch::{ACCOUNT}:dashboard/{name}"
    assert cw.get_dashboard(DashboardName=name)["DashboardArn"] == arn
    [entry] = cw.list_dashboards(DashboardNamePrefix=name)["DashboardEntries"]
    assert entry["DashboardArn"] == arn
    cw.delete_dashboards(DashboardNames=[name])


def test_log_groups_streams_and_destinations(server, region, partition):
    logs = server.client("logs", key=KEY, region=region)
    group = f"/partition/{unique('app')}"
    logs.create_log_group(logGroupName=group)
    [described] = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    group_arn = f"arn:{partition}:logs:{region}:{ACCOUNT}:log-group:{group}"
    assert described["logGroupArn"] == group_arn
    assert described["arn"] == f"{group_arn}:*"
    logs.create_log_stream(logGroupName=group, logStreamName="s1")
    [stream] = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert stream["arn"] == f"{group_arn}:log-stream:s1"
    # The group's ARN is read back: tagging, and a logGroupIdentifier.
    logs.tag_resource(resourceArn=group_arn, tags={"team": "ops"})
    assert logs.list_tags_for_resource(resourceArn=group_arn)["tags"] == {"team": "ops"}
    assert logs.describe_log_streams(logGroupIdentifier=group_arn)["logStreams"][0]["logStreamName"] == "s1"
    # A subscription filter's destination: this partition's topic and log group ARNs.
    topic = server.client("sns", key=KEY, region=region).create_topic(Name=unique("logs"))["TopicArn"]
    logs.put_subscription_filter(logGroupName=group, filterName="to-topic", filterPattern="", destinationArn=topic)
    central = f"/partition/{unique('central')}"
    logs.create_log_group(logGroupName=central)
    central_arn = f"arn:{partition}:logs:{region}:{ACCOUNT}:log-group:{central}:*"
    logs.put_subscription_filter(logGroupName=group, filterName="to-group", filterPattern="",
                                 destinationArn=central_arn)
    destinations = sorted(f["destinationArn"] for f in
                          logs.describe_subscription_filters(logGroupName=group)["subscriptionFilters"])
    assert destinations == sorted([topic, central_arn])
    logs.delete_log_group(logGroupName=group)
    logs.delete_log_group(logGroupName=central)


def test_xray_groups_and_sampling_rules(server, region, partition):
    xray = server.client("xray", key=KEY, region=region)
    name = unique("grp")[:32]
    group = xray.create_group(GroupName=name, FilterExpression="responsetime > 5")["Group"]
    assert group["GroupARN"].startswith(f"arn:{partition}:xray:{region}:{ACCOUNT}:group/{name}/")
    assert xray.get_group(GroupARN=group["GroupARN"])["Group"]["GroupName"] == name
    xray.delete_group(GroupARN=group["GroupARN"])
    rule = unique("rule")[:32]
    created = xray.create_sampling_rule(SamplingRule={
        "RuleName": rule, "ResourceARN": "*", "Priority": 5, "FixedRate": 0.1, "ReservoirSize": 1,
        "ServiceName": "*", "ServiceType": "*", "Host": "*", "HTTPMethod": "*", "URLPath": "*", "Version": 1})
    rule_arn = created["SamplingRuleRecord"]["SamplingRule"]["RuleARN"]
    assert rule_arn == f"arn:{partition}:xray:{region}:{ACCOUNT}:sampling-rule/{rule}"
    xray.delete_sampling_rule(RuleARN=rule_arn)
    names = [r["SamplingRule"]["RuleName"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]]
    assert rule not in names


def test_config_recorder_and_rule(server, region, partition):
    config = server.client("config", key=KEY, region=region)
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:{partition}:iam::{ACCOUNT}:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False}})
    [recorder] = config.describe_configuration_recorders()["ConfigurationRecorders"]
    assert recorder["arn"].startswith(f"arn:{partition}:config:{region}:{ACCOUNT}:configuration-recorder/default/")
    rule = unique("ssh")
    config.put_config_rule(ConfigRule={"ConfigRuleName": rule,
                                       "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"}})
    [described] = config.describe_config_rules(ConfigRuleNames=[rule])["ConfigRules"]
    assert described["ConfigRuleArn"].startswith(f"arn:{partition}:config:{region}:{ACCOUNT}:config-rule/")
    config.delete_config_rule(ConfigRuleName=rule)


def test_cloudtrail_records_name_the_partition(server, region, partition):
    sns = server.client("sns", key=KEY, region=region)
    topic = sns.create_topic(Name=unique("trail"))["TopicArn"]
    ct = server.client("cloudtrail", key=KEY, region=region)
    events = lookup_all(ct, LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": topic}])
    created = [trail_record(e) for e in events if e["EventName"] == "CreateTopic"]
    assert len(created) == 1, events
    record = created[0]
    assert record["awsRegion"] == region
    assert record["userIdentity"]["arn"] == f"arn:{partition}:iam::{ACCOUNT}:user/{KEY}"
    assert [r["ARN"] for r in record["resources"]] == [topic]
