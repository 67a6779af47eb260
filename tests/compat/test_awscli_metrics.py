"""The real aws CLI (v1, its own bundled botocore) sending and reading metrics: put-metric-data in each of its
forms, get-metric-statistics, get-metric-data from a file and list-metrics, every value checked in the parsed
JSON output. aws CLI v1 has no --values/--counts options: Values and Counts go in --metric-data (shorthand and
file://)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from conftest import minute_base


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(value) -> float:
    """A timestamp as the CLI prints it: as received (epoch seconds from JSON 1.0) or ISO 8601 text."""
    if isinstance(value, (int, float)):
        return float(value)
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def ok(result):
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result.json


@pytest.fixture(scope="module")
def sent(aws, tmp_path_factory):
    """One namespace filled by every put-metric-data form: (namespace, base time)."""
    namespace = f"compat-cli-{uuid.uuid4().hex[:10]}"
    base = minute_base()
    at = lambda minute: iso(base + dt.timedelta(minutes=minute))
    # --value, twice in minute 0 and once in minute 1, with a dimension.
    for minute, value in ((0, "5"), (0, "15"), (1, "40")):
        assert ok(aws("cloudwatch", "put-metric-data", "--namespace", namespace, "--metric-name", "Latency",
                      "--value", value, "--unit", "Milliseconds", "--timestamp", at(minute),
                      "--dimensions", "Host=a")) is None
    # --statistic-values (shorthand), minute 0.
    ok(aws("cloudwatch", "put-metric-data", "--namespace", namespace, "--metric-name", "Requests",
           "--statistic-values", "SampleCount=4,Sum=20,Minimum=2,Maximum=8", "--unit", "Count",
           "--timestamp", at(0)))
    # Values and Counts in --metric-data shorthand, minute 0.
    ok(aws("cloudwatch", "put-metric-data", "--namespace", namespace, "--metric-data",
           f"MetricName=Sizes,Values=[1,2,3],Counts=[1,2,3],Unit=Bytes,Timestamp={at(0)}"))
    # --metric-data file://: three datums, one per form, for a second host.
    path = tmp_path_factory.mktemp("cli") / "data.json"
    path.write_text(json.dumps([
        {"MetricName": "Latency", "Value": 100, "Unit": "Milliseconds", "Timestamp": at(1),
         "Dimensions": [{"Name": "Host", "Value": "b"}]},
        {"MetricName": "Latency", "Values": [10, 20], "Counts": [3, 1], "Unit": "Milliseconds", "Timestamp": at(2),
         "Dimensions": [{"Name": "Host", "Value": "b"}]},
        {"MetricName": "Latency", "StatisticValues": {"SampleCount": 2, "Sum": 9, "Minimum": 4, "Maximum": 5},
         "Unit": "Milliseconds", "Timestamp": at(3), "Dimensions": [{"Name": "Host", "Value": "b"}]},
    ]))
    ok(aws("cloudwatch", "put-metric-data", "--namespace", namespace, "--metric-data", f"file://{path}"))
    return namespace, base


def statistics(aws, namespace, base, metric, *args, minutes=5, period=60):
    return ok(aws("cloudwatch", "get-metric-statistics", "--namespace", namespace, "--metric-name", metric,
                  "--start-time", iso(base), "--end-time", iso(base + dt.timedelta(minutes=minutes)),
                  "--period", str(period), *args))


def by_time(body, base):
    return {round((epoch(p["Timestamp"]) - base.timestamp()) / 60): p for p in body["Datapoints"]}


def test_value_form(aws, sent):
    namespace, base = sent
    body = statistics(aws, namespace, base, "Latency", "--dimensions", "Name=Host,Value=a",
                      "--statistics", "SampleCount", "Sum", "Average", "Minimum", "Maximum")
    assert body["Label"] == "Latency"
    points = by_time(body, base)
    assert set(points) == {0, 1}
    assert {k: v for k, v in points[0].items() if k != "Timestamp"} == {
        "SampleCount": 2.0, "Sum": 20.0, "Average": 10.0, "Minimum": 5.0, "Maximum": 15.0, "Unit": "Milliseconds"}
    assert {k: v for k, v in points[1].items() if k != "Timestamp"} == {
        "SampleCount": 1.0, "Sum": 40.0, "Average": 40.0, "Minimum": 40.0, "Maximum": 40.0, "Unit": "Milliseconds"}


def test_statistic_values_form(aws, sent):
    namespace, base = sent
    body = statistics(aws, namespace, base, "Requests", "--statistics", "SampleCount", "Sum", "Average",
                      "Minimum", "Maximum", period=300)
    (point,) = body["Datapoints"]
    assert epoch(point["Timestamp"]) == base.timestamp()
    assert {k: v for k, v in point.items() if k != "Timestamp"} == {
        "SampleCount": 4.0, "Sum": 20.0, "Average": 5.0, "Minimum": 2.0, "Maximum": 8.0, "Unit": "Count"}


def test_values_counts_form_and_extended_statistics(aws, sent):
    namespace, base = sent
    # 1 once, 2 twice, 3 three times: 1 2 2 3 3 3.
    body = statistics(aws, namespace, base, "Sizes", "--statistics", "SampleCount", "Sum", "Maximum")
    (point,) = body["Datapoints"]
    assert (point["SampleCount"], point["Sum"], point["Maximum"], point["Unit"]) == (6.0, 14.0, 3.0, "Bytes")
    body = statistics(aws, namespace, base, "Sizes", "--extended-statistics", "p50", "p0", "p100", "TM(0%:50%)")
    (point,) = body["Datapoints"]
    # Lower quantile at rank q(n-1): p50 -> rank 2.5 of [1,2,2,3,3,3] -> 2; TM(0%:50%) keeps ranks [0, 3): 1,2,2.
    assert point["ExtendedStatistics"] == {"p50": 2.0, "p0": 1.0, "p100": 3.0, "TM(0%:50%)": pytest.approx(5 / 3)}
    assert point["Unit"] == "Bytes"


def test_metric_data_file_forms(aws, sent):
    namespace, base = sent
    body = statistics(aws, namespace, base, "Latency", "--dimensions", "Name=Host,Value=b",
                      "--statistics", "SampleCount", "Sum", "Minimum", "Maximum")
    points = by_time(body, base)
    assert set(points) == {1, 2, 3}
    summary = {minute: (p["SampleCount"], p["Sum"], p["Minimum"], p["Maximum"]) for minute, p in points.items()}
    assert summary == {1: (1.0, 100.0, 100.0, 100.0), 2: (4.0, 50.0, 10.0, 20.0), 3: (2.0, 9.0, 4.0, 5.0)}
    # Period 300 over all three forms at once.
    body = statistics(aws, namespace, base, "Latency", "--dimensions", "Name=Host,Value=b",
                      "--statistics", "SampleCount", "Sum", "Average", period=300)
    (point,) = body["Datapoints"]
    assert (point["SampleCount"], point["Sum"], point["Average"]) == (7.0, 159.0, 159.0 / 7)


def test_get_metric_data_from_file(aws, sent, tmp_path):
    namespace, base = sent
    queries = tmp_path / "q.json"
    metric = lambda host: {"Namespace": namespace, "MetricName": "Latency",
                           "Dimensions": [{"Name": "Host", "Value": host}]}
    queries.write_text(json.dumps([
        {"Id": "a", "MetricStat": {"Metric": metric("a"), "Period": 60, "Stat": "Sum"}, "ReturnData": False},
        {"Id": "b", "MetricStat": {"Metric": metric("b"), "Period": 60, "Stat": "Maximum"}, "Label": "B max"},
        {"Id": "both", "Expression": "a + b", "Label": "A sum plus B max"},
    ]))
    body = ok(aws("cloudwatch", "get-metric-data", "--metric-data-queries", f"file://{queries}",
                  "--start-time", iso(base), "--end-time", iso(base + dt.timedelta(minutes=5)),
                  "--scan-by", "TimestampAscending"))
    results = {r["Id"]: r for r in body["MetricDataResults"]}
    assert set(results) == {"b", "both"}
    minutes = lambda r: [round((epoch(t) - base.timestamp()) / 60) for t in r["Timestamps"]]
    assert results["b"]["Label"] == "B max"
    assert minutes(results["b"]) == [1, 2, 3]
    assert results["b"]["Values"] == [100.0, 20.0, 5.0]
    # a: 20 in minute 0, 40 in minute 1; b: max 100, 20, 5 in minutes 1..3; missing on one side counts as 0.
    assert results["both"]["Label"] == "A sum plus B max"
    assert minutes(results["both"]) == [0, 1, 2, 3]
    assert results["both"]["Values"] == [20.0, 140.0, 20.0, 5.0]
    assert all(r["StatusCode"] == "Complete" for r in results.values())


def test_list_metrics(aws, sent):
    namespace, _ = sent
    body = ok(aws("cloudwatch", "list-metrics", "--namespace", namespace, "--dimensions", "Name=Host,Value=a"))
    assert body["Metrics"] == [{"Namespace": namespace, "MetricName": "Latency",
                                "Dimensions": [{"Name": "Host", "Value": "a"}]}]
    body = ok(aws("cloudwatch", "list-metrics", "--namespace", namespace))
    got = {(m["MetricName"], tuple((d["Name"], d["Value"]) for d in m["Dimensions"])) for m in body["Metrics"]}
    assert got == {("Latency", (("Host", "a"),)), ("Latency", (("Host", "b"),)), ("Requests", ()), ("Sizes", ())}
    assert len(body["Metrics"]) == 4
    body = ok(aws("cloudwatch", "list-metrics", "--namespace", namespace, "--metric-name", "Latency",
                  "--dimensions", "Name=Host", "--recently-active", "PT3H"))
    assert sorted(m["Dimensions"][0]["Value"] for m in body["Metrics"]) == ["a", "b"]


@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_cli_non_finite_value_refused(aws, value, sent):
    namespace, base = sent
    result = aws("cloudwatch", "put-metric-data", "--namespace", namespace, "--metric-name", "Broken",
                 "--value", value, "--timestamp", iso(base))
    assert result.returncode == 255, (result.returncode, result.stdout, result.stderr)
    assert "An error occurred (InvalidParameterValue)" in result.stderr, result.stderr
    body = ok(aws("cloudwatch", "list-metrics", "--namespace", namespace, "--metric-name", "Broken"))
    assert body["Metrics"] == []


def test_cli_statistics_error(aws, sent):
    namespace, base = sent
    result = aws("cloudwatch", "get-metric-statistics", "--namespace", namespace, "--metric-name", "Latency",
                 "--start-time", iso(base), "--end-time", iso(base + dt.timedelta(minutes=5)), "--period", "45",
                 "--statistics", "Sum")
    assert result.returncode == 255
    assert "An error occurred (InvalidParameterValue)" in result.stderr, result.stderr
