"""The real aws CLI (v1, its own bundled botocore) against the server. AKIDCLI's account (444444444444) is used
by this module only."""

from __future__ import annotations

import json

import pytest

CLI_KEY = "AKIDCLI"


@pytest.fixture(scope="module")
def cli_puts(aws):
    first = aws("cloudwatch", "put-metric-data", "--namespace", "X", "--metric-name", "Y", "--value", "1",
                key=CLI_KEY)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == ""
    more = aws("cloudwatch", "put-metric-data", "--namespace", "CliTest", "--metric-data", json.dumps([
        {"MetricName": "Latency", "Values": [1, 2, 3], "Counts": [1, 1, 5], "Unit": "Milliseconds",
         "Dimensions": [{"Name": "Host", "Value": "a"}]},
        {"MetricName": "Requests", "StatisticValues": {"SampleCount": 3, "Sum": 6, "Minimum": 1, "Maximum": 3}},
    ]), key=CLI_KEY)
    assert more.returncode == 0, more.stderr
    shorthand = aws("cloudwatch", "put-metric-data", "--namespace", "CliTest", "--metric-name", "Bytes",
                    "--value", "42", "--unit", "Bytes", "--dimensions", "Host=b,Disk=sda", key=CLI_KEY)
    assert shorthand.returncode == 0, shorthand.stderr
    return 3


def test_put_metric_data_then_lookup_events(aws, cli_puts):
    result = aws("cloudtrail", "lookup-events", "--max-results", "5", key=CLI_KEY)
    assert result.returncode == 0, result.stderr
    body = result.json
    assert isinstance(body["Events"], list)
    assert 1 <= len(body["Events"]) <= 5
    for event in body["Events"]:
        assert event["EventId"]
        assert event["EventTime"]
        record = json.loads(event["CloudTrailEvent"])
        assert record["recipientAccountId"] == "444444444444"
        assert record["userAgent"].startswith("aws-cli/")
    puts = [e for e in body["Events"] if e["EventName"] == "PutMetricData"]
    assert len(puts) == cli_puts
    for event in puts:
        assert event["AccessKeyId"] == CLI_KEY
        assert event["EventSource"] == "monitoring.amazonaws.com"
        assert "errorCode" not in json.loads(event["CloudTrailEvent"])
    namespaces = [json.loads(e["CloudTrailEvent"])["requestParameters"]["namespace"] for e in puts]
    assert namespaces == ["CliTest", "CliTest", "X"]  # newest first


def test_lookup_events_filter_and_paging(aws, cli_puts):
    """--max-results turns the CLI's auto-paging off: one page and a NextToken; --next-token continues."""
    first = aws("cloudtrail", "lookup-events", "--max-results", "2", "--lookup-attributes",
                "AttributeKey=EventName,AttributeValue=PutMetricData", key=CLI_KEY)
    assert first.returncode == 0, first.stderr
    assert len(first.json["Events"]) == 2
    token = first.json["NextToken"]
    rest = aws("cloudtrail", "lookup-events", "--max-results", "2", "--next-token", token,
               "--lookup-attributes", "AttributeKey=EventName,AttributeValue=PutMetricData", key=CLI_KEY)
    assert rest.returncode == 0, rest.stderr
    assert len(rest.json["Events"]) == cli_puts - 2
    assert not rest.json.get("NextToken")
    ids = [e["EventId"] for e in first.json["Events"] + rest.json["Events"]]
    assert len(set(ids)) == cli_puts

    # Auto-paging over pages of one, then --query over the whole result.
    paged = aws("cloudtrail", "lookup-events", "--page-size", "1", "--lookup-attributes",
                "AttributeKey=EventName,AttributeValue=PutMetricData", "--query", "Events[].EventName",
                key=CLI_KEY)
    assert paged.returncode == 0, paged.stderr
    assert paged.json == ["PutMetricData"] * cli_puts


def test_lookup_events_time_range(aws, cli_puts):
    result = aws("cloudtrail", "lookup-events", "--start-time", "2000-01-01T00:00:00Z", "--end-time",
                 "2000-01-02T00:00:00Z", key=CLI_KEY)
    assert result.returncode == 0, result.stderr
    assert result.json["Events"] == []


def test_lookup_events_text_and_table_output(aws, cli_puts):
    for output in ("text", "table"):
        result = aws("cloudtrail", "lookup-events", "--max-results", "1", "--output", output, key=CLI_KEY)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip()


@pytest.mark.parametrize("args,code,key", [
    (("cloudtrail", "lookup-events", "--max-results", "51"), "InvalidMaxResultsException", "AKIDERR"),
    (("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=a",
      "AttributeKey=ReadOnly,AttributeValue=true"), "InvalidLookupAttributesException", "AKIDERR"),
    (("cloudwatch", "put-metric-data", "--namespace", "X", "--metric-name", "Y", "--value", "1", "--unit",
      "Parsecs"), "InvalidParameterValue", "AKIDERR"),
    (("cloudwatch", "put-metric-data", "--namespace", "X", "--metric-name", "Y", "--value", "1"), "AccessDenied",
     "AKIDVIEWER"),
    (("cloudwatch", "list-metric-streams"), "InvalidAction", "AKIDERR"),
    (("logs", "describe-query-definitions"), "UnknownOperationException", "AKIDERR"),
], ids=["max-results-51", "two-attributes", "bad-unit", "viewer-denied", "cloudwatch-unimplemented",
        "logs-unimplemented"])
def test_cli_errors(aws, args, code, key):
    result = aws(*args, key=key)
    # aws CLI v1 exits with 255 on a service error (v2 uses 254).
    assert result.returncode == 255, (result.returncode, result.stdout, result.stderr)
    assert f"An error occurred ({code})" in result.stderr, result.stderr


def test_cli_wrong_secret(aws):
    result = aws("cloudtrail", "lookup-events", key=CLI_KEY, secret="wrong")
    assert result.returncode == 255
    assert "(InvalidSignatureException)" in result.stderr, result.stderr
    result = aws("cloudwatch", "put-metric-data", "--namespace", "X", "--metric-name", "Y", "--value", "1",
                 key=CLI_KEY, secret="wrong")
    assert result.returncode == 255
    assert "(SignatureDoesNotMatch)" in result.stderr, result.stderr
