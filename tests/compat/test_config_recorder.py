"""AWS Config's recorder (issue 13), with boto3: the recorder and delivery channel as AWS Config answers them, third-
party resources reported with PutResourceConfig, Skywatch's own alarms and topics recorded on every change, each
item naming the CloudTrail event of the call that made it, and the history, inventory and count queries. Each test
uses a region of its own: a recorder is one an account and region."""

from __future__ import annotations

import gzip
import json
import time

import botocore.exceptions
import pytest

KEY = "AKIDCONFIG"
ACCOUNT = "121212121212"


def clients(server, region):
    return server.client("config", key=KEY, region=region), server.client("cloudtrail", key=KEY, region=region)


def start_recording(config, bucket="config-bucket"):
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False}})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": bucket})
    config.start_configuration_recorder(ConfigurationRecorderName="default")


def history(config, resource_type, resource_id, count, timeout=10.0, **kwargs):
    """The resource's history once it has at least `count` items (the recorder runs beside the API)."""
    deadline = time.monotonic() + timeout
    items = []
    while time.monotonic() < deadline:
        try:
            items = config.get_resource_config_history(resourceType=resource_type, resourceId=resource_id,
                                                       **kwargs)["configurationItems"]
        except config.exceptions.ResourceNotDiscoveredException:
            items = []
        if len(items) >= count:
            return items
        time.sleep(0.1)
    raise AssertionError(f"{resource_type} {resource_id} has {len(items)} items, expected {count}")


def wait_for_file(directory, pattern, timeout=10.0):
    """The gzip JSON document of the first file under `directory` matching `pattern`, once it is written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(directory.rglob(pattern)) if directory.exists() else []
        if found:
            with gzip.open(found[0]) as file:
                return json.load(file)
        time.sleep(0.1)
    raise AssertionError(f"no {pattern} under {directory}")


def event_id(cloudtrail, name, resource):
    events = cloudtrail.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": name}])
    for event in events["Events"]:
        if any(r.get("ResourceName") == resource for r in event.get("Resources", [])):
            return event["EventId"]
    raise AssertionError(f"no {name} event for {resource}")


def error_code(call, *args, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(*args, **kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_the_recorder_and_channel_follow_aws_configs_rules(server):
    config, _ = clients(server, "eu-west-1")
    assert config.describe_configuration_recorders()["ConfigurationRecorders"] == []
    code, message = error_code(config.put_delivery_channel, DeliveryChannel={"name": "default", "s3BucketName": "b-1"})
    assert code == "NoAvailableConfigurationRecorderException", message

    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "main", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
        "recordingGroup": {"allSupported": False, "resourceTypes": ["AWS::EC2::SecurityGroup"],
                           "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}}})
    recorder = config.describe_configuration_recorders()["ConfigurationRecorders"][0]
    assert recorder["name"] == "main"
    assert recorder["recordingGroup"]["resourceTypes"] == ["AWS::EC2::SecurityGroup"]
    assert recorder["arn"].startswith(f"arn:aws:config:eu-west-1:{ACCOUNT}:configuration-recorder/main/")

    code, message = error_code(config.put_configuration_recorder, ConfigurationRecorder={"name": "second"})
    assert code == "MaxNumberOfConfigurationRecordersExceededException", message
    code, _ = error_code(config.put_configuration_recorder, ConfigurationRecorder={
        "name": "main", "recordingGroup": {"allSupported": True, "resourceTypes": ["AWS::S3::Bucket"]}})
    assert code == "InvalidRecordingGroupException"
    code, message = error_code(config.describe_configuration_recorders, ConfigurationRecorderNames=["nope"])
    assert code == "NoSuchConfigurationRecorderException"
    assert message == "Cannot find configuration recorder with the specified name 'nope'."

    code, _ = error_code(config.start_configuration_recorder, ConfigurationRecorderName="main")
    assert code == "NoAvailableDeliveryChannelException"
    code, _ = error_code(config.put_delivery_channel, DeliveryChannel={"name": "default", "s3BucketName": ""})
    assert code == "NoSuchBucketException"
    code, _ = error_code(config.put_delivery_channel,
                         DeliveryChannel={"name": "default", "s3BucketName": "b-1", "snsTopicARN": "not-an-arn"})
    assert code == "InvalidSNSTopicARNException"
    config.put_delivery_channel(DeliveryChannel={
        "name": "default", "s3BucketName": "b-1", "s3KeyPrefix": "config",
        "configSnapshotDeliveryProperties": {"deliveryFrequency": "Six_Hours"}})
    channel = config.describe_delivery_channels()["DeliveryChannels"][0]
    assert channel == {"name": "default", "s3BucketName": "b-1", "s3KeyPrefix": "config",
                       "configSnapshotDeliveryProperties": {"deliveryFrequency": "Six_Hours"}}

    status = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]
    assert status["recording"] is False and "lastStartTime" not in status
    config.start_configuration_recorder(ConfigurationRecorderName="main")
    status = config.describe_configuration_recorder_status(ConfigurationRecorderNames=["main"])
    status = status["ConfigurationRecordersStatus"][0]
    assert status["recording"] is True and status["lastStatus"] == "Success" and "lastStartTime" in status

    code, _ = error_code(config.delete_delivery_channel, DeliveryChannelName="default")
    assert code == "LastDeliveryChannelDeleteFailedException"
    config.stop_configuration_recorder(ConfigurationRecorderName="main")
    status = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]
    assert status["recording"] is False and "lastStopTime" in status
    config.delete_delivery_channel(DeliveryChannelName="default")
    assert config.describe_delivery_channels()["DeliveryChannels"] == []
    config.delete_configuration_recorder(ConfigurationRecorderName="main")
    assert config.describe_configuration_recorders()["ConfigurationRecorders"] == []


def test_a_reported_security_group_has_a_history_linked_to_cloudtrail(server):
    config, cloudtrail = clients(server, "eu-west-2")
    sg = {"groupId": "sg-0a1", "groupName": "web", "vpcId": "vpc-9", "description": "web tier",
          "ipPermissions": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                             "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}]}
    code, _ = error_code(config.put_resource_config, ResourceType="AWS::EC2::SecurityGroup", SchemaVersionId="1",
                         ResourceId="sg-0a1", Configuration=json.dumps(sg))
    assert code == "NoRunningConfigurationRecorderException"
    start_recording(config)

    config.put_resource_config(ResourceType="AWS::EC2::SecurityGroup", SchemaVersionId="1", ResourceId="sg-0a1",
                               ResourceName="web", Configuration=json.dumps(sg), Tags={"team": "shop"})
    first = history(config, "AWS::EC2::SecurityGroup", "sg-0a1", 1)[0]
    assert first["configurationItemStatus"] == "ResourceDiscovered"
    assert first["accountId"] == ACCOUNT and first["awsRegion"] == "eu-west-2"
    assert first["resourceName"] == "web" and first["tags"] == {"team": "shop"}
    assert json.loads(first["configuration"]) == sg
    assert {"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-9",
            "relationshipName": "Is contained in Vpc"} in first["relationships"]
    assert first["relatedEvents"] == [event_id(cloudtrail, "PutResourceConfig", "sg-0a1")]

    # Someone opens SSH to the world: a new item, linked to the call that did it.
    sg["ipPermissions"].append({"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                                "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]})
    config.put_resource_config(ResourceType="AWS::EC2::SecurityGroup", SchemaVersionId="1", ResourceId="sg-0a1",
                               ResourceName="web", Configuration=json.dumps(sg), Tags={"team": "shop"})
    newest, oldest = history(config, "AWS::EC2::SecurityGroup", "sg-0a1", 2)
    assert newest["configurationItemStatus"] == "OK"
    assert len(json.loads(newest["configuration"])["ipPermissions"]) == 2
    assert newest["configurationItemCaptureTime"] > oldest["configurationItemCaptureTime"]
    assert newest["relatedEvents"] != oldest["relatedEvents"]

    # The same configuration again records nothing new.
    config.put_resource_config(ResourceType="AWS::EC2::SecurityGroup", SchemaVersionId="1", ResourceId="sg-0a1",
                               ResourceName="web", Configuration=json.dumps(sg), Tags={"team": "shop"})
    time.sleep(0.5)
    assert len(history(config, "AWS::EC2::SecurityGroup", "sg-0a1", 2)) == 2

    # Forward order, one a page.
    page = config.get_resource_config_history(resourceType="AWS::EC2::SecurityGroup", resourceId="sg-0a1",
                                              chronologicalOrder="Forward", limit=1)
    assert [i["configurationStateId"] for i in page["configurationItems"]] == [oldest["configurationStateId"]]
    page = config.get_resource_config_history(resourceType="AWS::EC2::SecurityGroup", resourceId="sg-0a1",
                                              chronologicalOrder="Forward", limit=1, nextToken=page["nextToken"])
    assert [i["configurationStateId"] for i in page["configurationItems"]] == [newest["configurationStateId"]]
    assert "nextToken" not in page
    # A time range that ends before the change holds only the first item.
    before = config.get_resource_config_history(resourceType="AWS::EC2::SecurityGroup", resourceId="sg-0a1",
                                                laterTime=oldest["configurationItemCaptureTime"])
    assert [i["configurationStateId"] for i in before["configurationItems"]] == [oldest["configurationStateId"]]

    config.put_resource_config(ResourceType="AWS::S3::Bucket", SchemaVersionId="1", ResourceId="shop-assets",
                               ResourceName="shop-assets", Configuration=json.dumps({"name": "shop-assets"}))
    history(config, "AWS::S3::Bucket", "shop-assets", 1)
    got = config.batch_get_resource_config(resourceKeys=[
        {"resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-0a1"},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "shop-assets"},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "unknown"}])
    assert sorted(i["resourceId"] for i in got["baseConfigurationItems"]) == ["sg-0a1", "shop-assets"]
    counts = config.get_discovered_resource_counts()
    assert counts["totalDiscoveredResources"] == 2
    assert {c["resourceType"]: c["count"] for c in counts["resourceCounts"]} == {
        "AWS::EC2::SecurityGroup": 1, "AWS::S3::Bucket": 1}

    # A snapshot of every current item, delivered to the channel's bucket (a directory under the data dir).
    snapshot_id = config.deliver_config_snapshot(deliveryChannelName="default")["configSnapshotId"]
    snapshot = wait_for_file(server.data_dir / "s3" / "config-bucket" / "AWSLogs" / ACCOUNT / "Config" / "eu-west-2",
                             f"*_ConfigSnapshot_*_{snapshot_id}.json.gz")
    assert snapshot["configSnapshotId"] == snapshot_id
    assert sorted(i["resourceId"] for i in snapshot["configurationItems"]) == ["sg-0a1", "shop-assets"]
    status = config.describe_delivery_channel_status()["DeliveryChannelsStatus"][0]
    assert status["configSnapshotDeliveryInfo"]["lastStatus"] == "Success"

    config.delete_resource_config(ResourceType="AWS::EC2::SecurityGroup", ResourceId="sg-0a1")
    deleted = history(config, "AWS::EC2::SecurityGroup", "sg-0a1", 3)[0]
    assert deleted["configurationItemStatus"] == "ResourceDeleted" and "configuration" not in deleted
    listed = config.list_discovered_resources(resourceType="AWS::EC2::SecurityGroup")["resourceIdentifiers"]
    assert listed == []
    listed = config.list_discovered_resources(resourceType="AWS::EC2::SecurityGroup",
                                              includeDeletedResources=True)["resourceIdentifiers"]
    assert [r["resourceId"] for r in listed] == ["sg-0a1"] and "resourceDeletionTime" in listed[0]


def test_skywatchs_own_alarms_and_topics_are_recorded_on_every_change(server):
    config, cloudtrail = clients(server, "ap-southeast-2")
    cloudwatch = server.client("cloudwatch", key=KEY, region="ap-southeast-2")
    sns = server.client("sns", key=KEY, region="ap-southeast-2")
    # Resources that exist before the recorder starts are discovered when it starts.
    topic = sns.create_topic(Name="config-alerts")["TopicArn"]
    start_recording(config)
    discovered = history(config, "AWS::SNS::Topic", topic, 1)[0]
    assert discovered["configurationItemStatus"] == "ResourceDiscovered" and discovered["relatedEvents"] == []
    assert json.loads(discovered["configuration"])["topicName"] == "config-alerts"

    alarm = {"AlarmName": "config-high-cpu", "MetricName": "CPUUtilization", "Namespace": "AWS/EC2",
             "Statistic": "Average", "Period": 60, "EvaluationPeriods": 1, "Threshold": 80.0,
             "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": [topic]}
    cloudwatch.put_metric_alarm(**alarm)
    first = history(config, "AWS::CloudWatch::Alarm", "config-high-cpu", 1)[0]
    body = json.loads(first["configuration"])
    assert body["threshold"] == 80.0 and body["alarmActions"] == [topic]
    assert first["arn"] == f"arn:aws:cloudwatch:ap-southeast-2:{ACCOUNT}:alarm:config-high-cpu"
    assert first["relatedEvents"] == [event_id(cloudtrail, "PutMetricAlarm", first["arn"])]

    cloudwatch.put_metric_alarm(**(alarm | {"Threshold": 90.0}))
    newest = history(config, "AWS::CloudWatch::Alarm", "config-high-cpu", 2)[0]
    assert json.loads(newest["configuration"])["threshold"] == 90.0

    subscription = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint="http://127.0.0.1:9/hook",
                                 ReturnSubscriptionArn=True)["SubscriptionArn"]
    subscribed = history(config, "AWS::SNS::Topic", topic, 2)[0]
    assert json.loads(subscribed["configuration"])["subscription"][0]["endpoint"] == "http://127.0.0.1:9/hook"
    item = history(config, "AWS::SNS::Subscription", subscription, 1)[0]
    assert json.loads(item["configuration"])["pendingConfirmation"] is True
    assert item["relationships"][0]["resourceId"] == topic

    cloudwatch.delete_alarms(AlarmNames=["config-high-cpu"])
    gone = history(config, "AWS::CloudWatch::Alarm", "config-high-cpu", 3)[0]
    assert gone["configurationItemStatus"] == "ResourceDeleted"
    assert gone["relatedEvents"] == [event_id(cloudtrail, "DeleteAlarms", first["arn"])]

    # A stopped recorder records nothing.
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    cloudwatch.put_metric_alarm(**(alarm | {"AlarmName": "config-unrecorded"}))
    time.sleep(0.5)
    code, _ = error_code(config.get_resource_config_history, resourceType="AWS::CloudWatch::Alarm",
                         resourceId="config-unrecorded")
    assert code == "ResourceNotDiscoveredException"


def test_queries_refuse_what_aws_refuses(server):
    config, _ = clients(server, "sa-east-1")
    code, _ = error_code(config.get_resource_config_history, resourceType="AWS::S3::Bucket", resourceId="x")
    assert code == "NoAvailableConfigurationRecorderException"
    start_recording(config)
    code, message = error_code(config.get_resource_config_history, resourceType="AWS::S3::Bucket", resourceId="x")
    assert code == "ResourceNotDiscoveredException"
    assert message == "Resource x of resourceType:AWS::S3::Bucket is unknown or has not been discovered"
    code, _ = error_code(config.get_resource_config_history, resourceType="AWS::S3::Bucket", resourceId="x",
                         limit=101)
    assert code == "ValidationException"
    code, _ = error_code(config.get_resource_config_history, resourceType="AWS::S3::Bucket", resourceId="x",
                         earlierTime=2_000_000_000, laterTime=1_000_000_000)
    assert code == "InvalidTimeRangeException"
    code, _ = error_code(config.list_discovered_resources, resourceType="AWS::S3::Bucket", nextToken="garbage")
    assert code == "InvalidNextTokenException"
    code, _ = error_code(config.list_discovered_resources, resourceType="AWS::S3::Bucket", resourceIds=["a"],
                         resourceName="a")
    assert code == "ValidationException"
    code, _ = error_code(config.put_resource_config, ResourceType="AWS::S3::Bucket", SchemaVersionId="1",
                         ResourceId="b", Configuration="not json")
    assert code == "ValidationException"


def test_advanced_query_selects_filters_groups_and_pages(server):
    config, _ = clients(server, "us-east-2")
    start_recording(config)
    for n, (kind, tags) in enumerate([("t3.micro", {"env": "prod"}), ("t3.micro", {"env": "dev"}),
                                      ("m5.large", {"env": "prod"})]):
        config.put_resource_config(ResourceType="AWS::EC2::Instance", SchemaVersionId="1", ResourceId=f"i-{n}",
                                   ResourceName=f"web-{n}", Configuration=json.dumps({"instanceType": kind}),
                                   Tags=tags)
    history(config, "AWS::EC2::Instance", "i-2", 1)
    got = config.select_resource_config(
        Expression="SELECT resourceId, configuration.instanceType WHERE resourceType = 'AWS::EC2::Instance' "
                   "AND configuration.instanceType = 't3.micro' ORDER BY resourceId")
    assert [json.loads(r) for r in got["Results"]] == [
        {"resourceId": "i-0", "configuration": {"instanceType": "t3.micro"}},
        {"resourceId": "i-1", "configuration": {"instanceType": "t3.micro"}}]
    assert [f["Name"] for f in got["QueryInfo"]["SelectFields"]] == ["resourceId", "configuration.instanceType"]
    grouped = config.select_resource_config(
        Expression="SELECT configuration.instanceType, COUNT(*) WHERE resourceType = 'AWS::EC2::Instance' "
                   "GROUP BY configuration.instanceType")
    assert sorted((json.loads(r)["configuration"]["instanceType"], json.loads(r)["COUNT(*)"])
                  for r in grouped["Results"]) == [("m5.large", 1), ("t3.micro", 2)]
    tagged = config.select_resource_config(Expression="SELECT resourceId WHERE tags.tag = 'env=prod' ORDER BY resourceId")
    assert [json.loads(r)["resourceId"] for r in tagged["Results"]] == ["i-0", "i-2"]
    first = config.select_resource_config(Expression="SELECT resourceId ORDER BY resourceId", Limit=2)
    assert len(first["Results"]) == 2 and "NextToken" in first
    rest = config.select_resource_config(Expression="SELECT resourceId ORDER BY resourceId", Limit=2,
                                         NextToken=first["NextToken"])
    assert [json.loads(r)["resourceId"] for r in rest["Results"]] == ["i-2"]
    code, message = error_code(config.select_resource_config, Expression="SELECT resourceId FROM x")
    assert code == "InvalidExpressionException", message
