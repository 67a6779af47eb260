"""The real aws CLI (v1, its own bundled botocore) driving every CloudWatch Logs operation Skywatch serves: groups
(retention, KMS keys, both tagging APIs), streams, PutLogEvents from a file, GetLogEvents' tokens, FilterLogEvents
with a pattern, metric filters and TestMetricFilter, each answer read from the CLI's parsed JSON output. A last test
checks that every Logs row of the registry is driven by the CLI, here or in a sibling module. AKIDCLILOGS's account
(181818181818) is used by this module only."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from conftest import REPO

KEY = "AKIDCLILOGS"
ACCOUNT = "181818181818"
KMS = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"


def now_ms() -> int:
    return int(time.time() * 1000)


@pytest.fixture
def logs(aws):
    """aws("logs", ...) as AKIDCLILOGS, returning the parsed output and failing on a non-zero exit."""

    def run(*args: str):
        result = aws("logs", *args, key=KEY)
        assert result.returncode == 0, (args, result.returncode, result.stdout, result.stderr)
        return result.json

    return run


def refused(aws, *args: str) -> str:
    result = aws("logs", *args, key=KEY)
    # aws CLI v1 exits with 255 on a service error.
    assert result.returncode == 255, (args, result.returncode, result.stdout, result.stderr)
    found = re.search(r"An error occurred \((\w+)\)", result.stderr)
    assert found, result.stderr
    return found.group(1)


def group_of(logs, name: str) -> dict:
    groups = logs("describe-log-groups", "--log-group-name-prefix", name)["logGroups"]
    assert [g["logGroupName"] for g in groups] == [name], groups
    return groups[0]


def test_groups_retention_kms_keys_and_tags(aws, logs, unique):
    name = f"/cli-logs/{unique}/app"
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}"
    assert logs("create-log-group", "--log-group-name", name, "--tags", "team=shop,tier=web") is None
    assert refused(aws, "create-log-group", "--log-group-name", name) == "ResourceAlreadyExistsException"
    group = group_of(logs, name)
    assert group["arn"] == arn + ":*" and group["logGroupArn"] == arn
    assert group["storedBytes"] == 0 and "retentionInDays" not in group and "kmsKeyId" not in group

    logs("put-retention-policy", "--log-group-name", name, "--retention-in-days", "30")
    assert group_of(logs, name)["retentionInDays"] == 30
    assert refused(aws, "put-retention-policy", "--log-group-name", name, "--retention-in-days", "31") \
        == "InvalidParameterException"
    logs("delete-retention-policy", "--log-group-name", name)
    assert "retentionInDays" not in group_of(logs, name)

    logs("associate-kms-key", "--log-group-name", name, "--kms-key-id", KMS)
    assert group_of(logs, name)["kmsKeyId"] == KMS
    logs("disassociate-kms-key", "--log-group-name", name)
    assert "kmsKeyId" not in group_of(logs, name)

    # Tags by ARN (TagResource, the current API) ...
    assert logs("list-tags-for-resource", "--resource-arn", arn)["tags"] == {"team": "shop", "tier": "web"}
    logs("tag-resource", "--resource-arn", arn, "--tags", "owner=ops,tier=api")
    assert logs("list-tags-for-resource", "--resource-arn", arn)["tags"] == {"team": "shop", "tier": "api",
                                                                            "owner": "ops"}
    logs("untag-resource", "--resource-arn", arn, "--tag-keys", "team", "tier")
    assert logs("list-tags-for-resource", "--resource-arn", arn)["tags"] == {"owner": "ops"}
    # ... and by name (the deprecated TagLogGroup family), the same tags.
    logs("tag-log-group", "--log-group-name", name, "--tags", "cost=42")
    assert logs("list-tags-log-group", "--log-group-name", name)["tags"] == {"owner": "ops", "cost": "42"}
    logs("untag-log-group", "--log-group-name", name, "--tags", "owner")
    assert logs("list-tags-log-group", "--log-group-name", name)["tags"] == {"cost": "42"}
    assert logs("list-tags-for-resource", "--resource-arn", arn)["tags"] == {"cost": "42"}

    logs("delete-log-group", "--log-group-name", name)
    assert logs("describe-log-groups", "--log-group-name-prefix", name)["logGroups"] == []
    assert refused(aws, "delete-log-group", "--log-group-name", name) == "ResourceNotFoundException"


def test_streams_events_and_filtering(aws, logs, unique, tmp_path: Path):
    group = f"/cli-logs/{unique}/events"
    logs("create-log-group", "--log-group-name", group)
    for stream in ("api-1", "worker-1"):
        assert logs("create-log-stream", "--log-group-name", group, "--log-stream-name", stream) is None
    assert refused(aws, "create-log-stream", "--log-group-name", group, "--log-stream-name", "api-1") \
        == "ResourceAlreadyExistsException"

    start = now_ms() - 60_000
    api = [{"timestamp": start + i * 100, "message": json.dumps({"path": f"/items/{i}", "status": 200 + (i % 4) * 100})}
           for i in range(20)]
    # The worker's events interleave with the API's, and its last one is the group's latest.
    worker = [{"timestamp": start + 50 + i * 100, "message": f"job {i} done"} for i in range(4)]
    worker.append({"timestamp": start + 5000, "message": "job 4 done"})
    for stream, batch in (("api-1", api), ("worker-1", worker)):
        path = tmp_path / f"{stream}.json"
        path.write_text(json.dumps(batch))
        put = logs("put-log-events", "--log-group-name", group, "--log-stream-name", stream,
                   "--log-events", f"file://{path}")
        assert put["nextSequenceToken"] and "rejectedLogEventsInfo" not in put

    streams = logs("describe-log-streams", "--log-group-name", group, "--order-by", "LogStreamName")["logStreams"]
    assert [s["logStreamName"] for s in streams] == ["api-1", "worker-1"]
    assert streams[0]["firstEventTimestamp"] == start and streams[0]["lastEventTimestamp"] == start + 1900
    by_time = logs("describe-log-streams", "--log-group-name", group, "--order-by", "LastEventTime",
                   "--descending")["logStreams"]
    assert [s["logStreamName"] for s in by_time] == ["worker-1", "api-1"]

    # GetLogEvents from the head in pages of 8, following the forward token until it repeats.
    seen, token = [], None
    for _ in range(10):
        args = ["get-log-events", "--log-group-name", group, "--log-stream-name", "api-1", "--start-from-head",
                "--limit", "8"]
        page = logs(*args, *(["--next-token", token] if token else []))
        seen += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert seen == [e["message"] for e in api]
    tail = logs("get-log-events", "--log-group-name", group, "--log-stream-name", "api-1", "--limit", "3")
    assert [e["message"] for e in tail["events"]] == [e["message"] for e in api[-3:]]

    errors = logs("filter-log-events", "--log-group-name", group, "--filter-pattern", "{ $.status >= 500 }")
    assert [e["message"] for e in errors["events"]] == [e["message"] for e in api if json.loads(e["message"])["status"]
                                                        >= 500]
    assert {e["logStreamName"] for e in errors["events"]} == {"api-1"}
    merged = logs("filter-log-events", "--log-group-name", group, "--log-stream-names", "api-1", "worker-1",
                  "--start-time", str(start), "--end-time", str(start + 500))
    assert [e["timestamp"] for e in merged["events"]] == sorted(
        e["timestamp"] for e in api + worker if e["timestamp"] <= start + 500)
    jobs = logs("filter-log-events", "--log-group-name", group, "--filter-pattern", '"done"',
                "--log-stream-name-prefix", "work")
    assert len(jobs["events"]) == 5

    assert logs("delete-log-stream", "--log-group-name", group, "--log-stream-name", "worker-1") is None
    left = logs("describe-log-streams", "--log-group-name", group)["logStreams"]
    assert [s["logStreamName"] for s in left] == ["api-1"]
    assert refused(aws, "get-log-events", "--log-group-name", group, "--log-stream-name", "worker-1") \
        == "ResourceNotFoundException"
    logs("delete-log-group", "--log-group-name", group)


def test_metric_filters(aws, logs, unique):
    group = f"/cli-logs/{unique}/filters"
    logs("create-log-group", "--log-group-name", group)
    pattern = "[ip, user, ts, request, status = 5*, size]"
    assert logs("put-metric-filter", "--log-group-name", group, "--filter-name", "server-errors",
                "--filter-pattern", pattern, "--metric-transformations",
                "metricName=Errors5xx,metricNamespace=CliLogs,metricValue=1,defaultValue=0") is None
    logs("put-metric-filter", "--log-group-name", group, "--filter-name", "bytes", "--filter-pattern", pattern,
         "--metric-transformations", "metricName=Bytes,metricNamespace=CliLogs,metricValue=$size,unit=Bytes")
    described = logs("describe-metric-filters", "--log-group-name", group)["metricFilters"]
    assert [f["filterName"] for f in described] == ["bytes", "server-errors"]
    errors = described[1]
    assert errors["filterPattern"] == pattern and errors["logGroupName"] == group
    assert errors["metricTransformations"] == [{"metricName": "Errors5xx", "metricNamespace": "CliLogs",
                                                "metricValue": "1", "defaultValue": 0.0}]
    assert described[0]["metricTransformations"][0]["unit"] == "Bytes"
    by_prefix = logs("describe-metric-filters", "--log-group-name", group, "--filter-name-prefix", "server")
    assert [f["filterName"] for f in by_prefix["metricFilters"]] == ["server-errors"]
    by_metric = logs("describe-metric-filters", "--metric-name", "Bytes", "--metric-namespace", "CliLogs")
    assert [f["filterName"] for f in by_metric["metricFilters"]] == ["bytes"]

    messages = ['127.0.0.1 frank [10/Oct/2000:13:25:15 -0700] "GET /a HTTP/1.0" 503 1534',
                '127.0.0.1 frank [10/Oct/2000:13:35:22 -0700] "GET /b HTTP/1.0" 200 2344']
    tested = logs("test-metric-filter", "--filter-pattern", pattern, "--log-event-messages", *messages)
    assert [(m["eventNumber"], m["eventMessage"]) for m in tested["matches"]] == [(1, messages[0])]
    values = tested["matches"][0]["extractedValues"]
    assert values["$status"] == "503" and values["$size"] == "1534" and values["$request"] == "GET /a HTTP/1.0"
    assert refused(aws, "test-metric-filter", "--filter-pattern", "{ $.a = ", "--log-event-messages", "x") \
        == "InvalidParameterException"

    assert logs("delete-metric-filter", "--log-group-name", group, "--filter-name", "server-errors") is None
    left = logs("describe-metric-filters", "--log-group-name", group)["metricFilters"]
    assert [f["filterName"] for f in left] == ["bytes"]
    assert refused(aws, "delete-metric-filter", "--log-group-name", group, "--filter-name", "server-errors") \
        == "ResourceNotFoundException"
    logs("delete-log-group", "--log-group-name", group)


def kebab(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower()


def test_every_logs_operation_is_driven_by_the_cli_somewhere():
    """Issue 14: the aws CLI drives every Logs operation of the registry, here or in a sibling module (exports,
    subscription filters and Live Tail have their own)."""
    registry = (REPO / "crates/awsapi/src/registry.rs").read_text()
    operations = set(re.findall(r"row::<skywatch_core::logs::ops::(\w+)>\(Service::Logs", registry))
    assert len(operations) >= 23, operations
    driven = set()
    for module in Path(__file__).parent.glob("test_*.py"):
        source = module.read_text()
        # The CLI's arguments `"logs", "<command>"` (aws(...) or a command line); here also `logs("<command>"` and
        # `refused(aws, "<command>"`.
        driven |= set(re.findall(r'"logs",\s*"([a-z-]+)"', source))
        if module == Path(__file__):
            driven |= set(re.findall(r'(?:logs\(|refused\(aws, )"([a-z-]+)"', source))
    missing = sorted(op for op in operations if kebab(op) not in driven)
    assert not missing, f"no aws CLI call drives {missing}"
