"""CloudWatch alarms (issue 11) through boto3 in each CloudWatch protocol: PutMetricAlarm and DescribeAlarms round
trip, breaching data reaches ALARM within one evaluation cycle with CloudWatch's reason, SetAlarmState and the
history, a composite alarm over its children, DeleteAlarms refusing a child still used, tagging, and refusals with
CloudWatch's codes. The alarms live in an account of their own (AKIDALARM)."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import botocore.exceptions
import pytest

from conftest import cloudwatch_client

KEY = "AKIDALARM"
ACCOUNT = "999999999999"

pytestmark = pytest.mark.parametrize("protocol", ["json", "query", "cbor"])


@pytest.fixture
def prefix() -> str:
    return f"alarm{uuid.uuid4().hex[:10]}"


def error_of(call, **params) -> botocore.exceptions.ClientError:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(**params)
    return raised.value


def wait_for_state(cw, name: str, state: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        alarms = cw.describe_alarms(AlarmNames=[name], AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        found = (alarms["MetricAlarms"] + alarms["CompositeAlarms"])[0]
        if found["StateValue"] == state or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def put_cpu_alarm(cw, name: str, namespace: str, **extra):
    cw.put_metric_alarm(
        AlarmName=name, Namespace=namespace, MetricName="CPUUtilization", Statistic="Average",
        Dimensions=[{"Name": "InstanceId", "Value": "i-1"}], Period=60, EvaluationPeriods=1, Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold", **extra)


def test_breaching_data_raises_the_alarm_within_one_cycle(server, protocol, prefix):
    cw = cloudwatch_client(server, protocol, key=KEY)
    now = dt.datetime.now(dt.timezone.utc)
    cw.put_metric_data(Namespace=prefix, MetricData=[{
        "MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}],
        "Timestamp": now, "Value": 97.0}])
    put_cpu_alarm(cw, f"{prefix}-cpu", prefix, AlarmDescription="CPU high",
                  Tags=[{"Key": "team", "Value": "shop"}])
    alarm = wait_for_state(cw, f"{prefix}-cpu", "ALARM")
    assert alarm["StateValue"] == "ALARM", alarm
    assert alarm["AlarmArn"] == f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{prefix}-cpu"
    assert alarm["AlarmDescription"] == "CPU high"
    assert alarm["Statistic"] == "Average" and alarm["Period"] == 60 and alarm["Threshold"] == 80.0
    assert alarm["StateReason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints [97.0 (")
    assert "was greater than the threshold (80.0)" in alarm["StateReason"]
    assert '"recentDatapoints":[97.0]' in alarm["StateReasonData"]
    history = cw.describe_alarm_history(AlarmName=f"{prefix}-cpu", HistoryItemType="StateUpdate")
    assert history["AlarmHistoryItems"][0]["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to ALARM"
    tags = cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
    assert tags == [{"Key": "team", "Value": "shop"}]
    found = cw.describe_alarms_for_metric(MetricName="CPUUtilization", Namespace=prefix,
                                          Dimensions=[{"Name": "InstanceId", "Value": "i-1"}])
    assert [a["AlarmName"] for a in found["MetricAlarms"]] == [f"{prefix}-cpu"]


def test_composite_alarms_and_deletion(server, protocol, prefix):
    cw = cloudwatch_client(server, protocol, key=KEY)
    cw.put_metric_data(Namespace=prefix, MetricData=[{
        "MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}],
        "Timestamp": dt.datetime.now(dt.timezone.utc), "Value": 97.0}])
    put_cpu_alarm(cw, f"{prefix}-a", prefix)
    put_cpu_alarm(cw, f"{prefix}-b", prefix)
    cw.put_composite_alarm(AlarmName=f"{prefix}-both", AlarmRule=f'ALARM("{prefix}-a") AND ALARM({prefix}-b)')
    composite = wait_for_state(cw, f"{prefix}-both", "ALARM", timeout=30)
    assert composite["StateValue"] == "ALARM"
    assert composite["AlarmRule"] == f'ALARM("{prefix}-a") AND ALARM({prefix}-b)'
    refused = error_of(cw.delete_alarms, AlarmNames=[f"{prefix}-a"])
    assert refused.response["Error"]["Code"] == "ValidationError"
    assert "composite alarm(s) depending on it" in refused.response["Error"]["Message"]
    cw.delete_alarms(AlarmNames=[f"{prefix}-both", f"{prefix}-a", f"{prefix}-b"])
    left = cw.describe_alarms(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    assert left["MetricAlarms"] == [] and left["CompositeAlarms"] == []


def test_refusals_carry_cloudwatch_codes(server, protocol, prefix):
    cw = cloudwatch_client(server, protocol, key=KEY)
    bad_period = error_of(cw.put_metric_alarm, AlarmName=f"{prefix}-x", Namespace=prefix, MetricName="m",
                          Statistic="Sum", Period=60, EvaluationPeriods=1441, Threshold=1.0,
                          ComparisonOperator="GreaterThanThreshold")
    assert bad_period.response["Error"]["Code"] == "ValidationError"
    assert "more than a day" in bad_period.response["Error"]["Message"]
    missing = error_of(cw.set_alarm_state, AlarmName=f"{prefix}-none", StateValue="OK", StateReason="x")
    assert missing.response["Error"]["Code"] == "ResourceNotFound"
    assert missing.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    not_found = error_of(cw.list_tags_for_resource,
                         ResourceARN=f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{prefix}-none")
    assert not_found.response["Error"]["Code"] == "ResourceNotFoundException"
