"""CloudWatch's embedded metric format (issue 14) with the real aws-embedded-metrics library: in agent mode over TCP
and UDP to the server's CloudWatch agent endpoint (--emf-listen), and in local mode (its stdout) sent with boto3's
PutLogEvents. The metrics CloudWatch extracts (namespace, each dimension set, units, high resolution, the
documents' own time) are read back with GetMetricStatistics, GetMetricData and ListMetrics, the documents with
GetLogEvents and FilterLogEvents. AKIDEMF's account (151515151515), where the EMF endpoint writes (--emf-account),
is used by this module only. The library runs in a child process of this venv's Python, so each run reads its own
AWS_EMF_* settings; nothing leaves loopback."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

import pytest

from conftest import BASE_ENV, SCRUBBED

KEY = "AKIDEMF"

# Emits metrics as an application would, driven by a JSON plan: one flush per entry, each with its dimension sets,
# metrics (name, values, unit, high resolution), properties and, optionally, its own timestamp.
PROGRAM = r"""
import asyncio, datetime, json, sys
from aws_embedded_metrics.logger.metrics_logger_factory import create_metrics_logger
from aws_embedded_metrics.storage_resolution import StorageResolution

async def main(plan):
    for flush in plan:
        metrics = create_metrics_logger()
        metrics.set_dimensions(*flush["dimensions"])
        for name, values, unit, high in flush["metrics"]:
            for value in values:
                metrics.put_metric(name, value, unit, StorageResolution.HIGH if high else StorageResolution.STANDARD)
        for key, value in flush.get("properties", {}).items():
            metrics.set_property(key, value)
        if "timestamp" in flush:
            metrics.set_timestamp(datetime.datetime.fromtimestamp(flush["timestamp"], tz=datetime.timezone.utc))
        await metrics.flush()

asyncio.run(main(json.loads(sys.argv[1])))
"""


def run_library(plan: list, **settings: str) -> str:
    """Runs the library over `plan` with AWS_EMF_<NAME> = value for each setting; returns its stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in SCRUBBED}
    env.update(BASE_ENV)
    env.update({f"AWS_EMF_{name.upper()}": value for name, value in settings.items()})
    done = subprocess.run([sys.executable, "-c", PROGRAM, json.dumps(plan)], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def eventually(read, timeout: float = 15.0):
    """The first truthy result of read(), polled until `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        found = read()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def second(seconds_back: int) -> float:
    """A whole UTC second about `seconds_back` seconds ago, not in the last 10 seconds of its minute."""
    now = int(time.time()) - seconds_back
    return float(now - now % 60 + min(now % 60, 40))


def statistics(cw, namespace: str, metric: str, dimensions: dict, period: int = 60, unit: str | None = None) -> list[dict]:
    # At most 1,440 datapoints a call: ten minutes back at one-second periods.
    minutes = 30 if period >= 60 else 10
    params = dict(
        Namespace=namespace, MetricName=metric,
        Dimensions=[{"Name": k, "Value": v} for k, v in sorted(dimensions.items())],
        StartTime=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes),
        EndTime=dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2),
        Period=period, Statistics=["SampleCount", "Sum", "Minimum", "Maximum"],
    )
    if unit:
        params["Unit"] = unit
    return sorted(cw.get_metric_statistics(**params)["Datapoints"], key=lambda d: d["Timestamp"])


def totals(datapoints: list[dict]) -> tuple[float, float, float, float]:
    """(SampleCount, Sum, Minimum, Maximum) over every datapoint."""
    if not datapoints:
        return (0.0, 0.0, 0.0, 0.0)
    return (sum(d["SampleCount"] for d in datapoints), sum(d["Sum"] for d in datapoints),
            min(d["Minimum"] for d in datapoints), max(d["Maximum"] for d in datapoints))


@pytest.fixture(scope="module")
def cw(server):
    return server.client("cloudwatch", key=KEY)


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs", key=KEY)


def agent_plan(at: float, operation: str) -> list:
    """Two flushes a second apart in one minute: latencies, an order count and a high-resolution hit count."""
    dimensions = [{"Operation": operation}, {"Operation": operation, "Tier": "web"}]
    return [
        {"dimensions": dimensions, "timestamp": at, "properties": {"RequestId": "r-1"},
         "metrics": [["Latency", [10, 20, 30], "Milliseconds", False], ["Orders", [1], "Count", False],
                     ["Hits", [1], "Count", True]]},
        {"dimensions": dimensions, "timestamp": at + 7, "properties": {"RequestId": "r-2"},
         "metrics": [["Latency", [40], "Milliseconds", False], ["Orders", [2], "Count", False],
                     ["Hits", [5], "Count", True]]},
    ]


def check_agent_metrics(cw, namespace: str, operation: str, at: float) -> None:
    for dimensions in ({"Operation": operation}, {"Operation": operation, "Tier": "web"}):
        latency = eventually(lambda: statistics(cw, namespace, "Latency", dimensions))
        assert totals(latency) == (4.0, 100.0, 10.0, 40.0), (dimensions, latency)
        assert {d["Unit"] for d in latency} == {"Milliseconds"}
        orders = statistics(cw, namespace, "Orders", dimensions, unit="Count")
        assert totals(orders) == (2.0, 3.0, 1.0, 2.0), (dimensions, orders)
        # Standard resolution is stored per minute, high resolution per second.
        assert [d["Timestamp"].timestamp() for d in statistics(cw, namespace, "Orders", dimensions, period=1)] == [
            at - at % 60]
        hits = statistics(cw, namespace, "Hits", dimensions, period=1)
        assert [(d["Timestamp"].timestamp(), d["Sum"]) for d in hits] == [(at, 1.0), (at + 7, 5.0)], hits
    listed = cw.list_metrics(Namespace=namespace)["Metrics"]
    assert sorted((m["MetricName"], len(m["Dimensions"])) for m in listed) == [
        ("Hits", 1), ("Hits", 2), ("Latency", 1), ("Latency", 2), ("Orders", 1), ("Orders", 2)]


def test_the_library_in_agent_mode_over_tcp(server, cw, logs, unique):
    namespace, group = f"EMF/{unique}", f"/emf/{unique}/tcp"
    at = second(120)
    run_library(agent_plan(at, "checkout"), environment="Default",
                agent_endpoint=f"tcp://127.0.0.1:{server.emf_port}", namespace=namespace,
                service_name="shop", service_type="web", log_group_name=group, log_stream_name="web-1")
    check_agent_metrics(cw, namespace, "checkout", at)

    # The agent created the group and stream the documents name and stored the documents as they were sent.
    events = eventually(lambda: logs.get_log_events(logGroupName=group, logStreamName="web-1",
                                                    startFromHead=True)["events"])
    documents = [json.loads(e["message"]) for e in events]
    assert [d["RequestId"] for d in documents] == ["r-1", "r-2"]
    assert all(d["_aws"]["LogGroupName"] == group and d["_aws"]["LogStreamName"] == "web-1" for d in documents)
    assert documents[0]["Latency"] == [10, 20, 30] and documents[0]["_aws"]["Timestamp"] == int(at * 1000)
    # Received now, whatever the metrics' own time.
    assert all(abs(e["timestamp"] - time.time() * 1000) < 60_000 for e in events)


def test_the_library_in_agent_mode_over_udp(server, cw, logs, unique):
    namespace, group = f"EMF/{unique}", f"/emf/{unique}/udp"
    at = second(180)
    # No stream named: the agent's default stream (the host's name).
    run_library(agent_plan(at, "refund"), environment="Default", agent_endpoint=f"udp://127.0.0.1:{server.emf_port}",
                namespace=namespace, service_name="shop", log_group_name=group)
    check_agent_metrics(cw, namespace, "refund", at)
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert len(streams) == 1 and streams[0]["logStreamName"], streams
    found = logs.filter_log_events(logGroupName=group, filterPattern='{ $.RequestId = "r-*" }')["events"]
    assert sorted(json.loads(e["message"])["RequestId"] for e in found) == ["r-1", "r-2"]


def test_the_librarys_stdout_sent_with_put_log_events(cw, logs, unique):
    """Local mode prints the documents (as on Lambda); PutLogEvents to any group extracts their metrics."""
    namespace, group = f"EMF/{unique}", f"/aws/lambda/{unique}"
    at = second(240)
    plan = [
        {"dimensions": [{"Function": unique}], "timestamp": at,
         "metrics": [["Duration", [12.5, 7.5], "Milliseconds", False], ["Cold", [1], "Count", True]]},
        # A document with no dimension set publishes each metric without dimensions.
        {"dimensions": [{}], "timestamp": at + 3, "metrics": [["Invocations", [1, 1, 1], "Count", False]]},
    ]
    lines = run_library(plan, environment="Local", namespace=namespace).splitlines()
    assert len(lines) == 2 and all(json.loads(line)["_aws"]["CloudWatchMetrics"] for line in lines), lines
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="2026/01/01/[$LATEST]0")
    now = int(time.time() * 1000)
    messages = lines + ["START RequestId: plain text is stored and publishes nothing",
                        '{"_aws":{"CloudWatchMetrics":[{"Namespace":"' + namespace + '","Metrics":[{"Name":"Bad",'
                        '"Unit":"Parsecs"}]}]},"Bad":1}']
    out = logs.put_log_events(logGroupName=group, logStreamName="2026/01/01/[$LATEST]0",
                              logEvents=[{"timestamp": now, "message": m} for m in messages])
    assert "rejectedLogEventsInfo" not in out, out

    # Published in the batch's own commit: visible as soon as PutLogEvents answered.
    duration = statistics(cw, namespace, "Duration", {"Function": unique})
    assert totals(duration) == (2.0, 20.0, 7.5, 12.5) and duration[0]["Unit"] == "Milliseconds", duration
    cold = statistics(cw, namespace, "Cold", {"Function": unique}, period=1)
    assert [(d["Timestamp"].timestamp(), d["Sum"]) for d in cold] == [(at, 1.0)]
    invocations = statistics(cw, namespace, "Invocations", {})
    assert totals(invocations) == (3.0, 3.0, 1.0, 1.0)

    # GetMetricData reads the same series.
    start = dt.datetime.fromtimestamp(at - at % 60 - 60, tz=dt.timezone.utc)
    data = cw.get_metric_data(
        MetricDataQueries=[{"Id": "d", "MetricStat": {
            "Metric": {"Namespace": namespace, "MetricName": "Duration",
                       "Dimensions": [{"Name": "Function", "Value": unique}]},
            "Period": 60, "Stat": "Average"}}],
        StartTime=start, EndTime=start + dt.timedelta(minutes=3))["MetricDataResults"][0]
    assert data["Values"] == [10.0], data

    # The invalid document (an unknown unit) and the plain line are stored, and published nothing.
    names = {m["MetricName"] for m in cw.list_metrics(Namespace=namespace)["Metrics"]}
    assert names == {"Duration", "Cold", "Invocations"}
    stored = logs.get_log_events(logGroupName=group, logStreamName="2026/01/01/[$LATEST]0",
                                 startFromHead=True)["events"]
    assert [e["message"] for e in stored] == messages
