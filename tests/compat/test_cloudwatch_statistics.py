"""GetMetricStatistics through real boto3 in every protocol it can speak to CloudWatch (JSON 1.0, the legacy
awsQuery form, RPCv2 CBOR): the same distribution sent in the three PutMetricData forms (Value, Values+Counts,
StatisticValues) must come back with the hand-computed statistics, at Period 60 and 300, with datapoint timestamps
at the period starts and the unit echoed. Then GetMetricStatistics' parameter errors, and PutMetricData's refusals
storing nothing."""

from __future__ import annotations

import datetime as dt
import json
import math
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import pytest
from botocore.exceptions import ClientError

from conftest import (CLOUDWATCH_PROTOCOLS, CLOUDWATCH_WIRE, basic_statistics, capture_requests, cloudwatch_client,
                      header, merge_pairs, minute_base, percentile, signed_request, trimmed_mean)

UNIT = "Milliseconds"
MINUTES = 10
EXTENDED = ["p50", "p99", "TM(10%:90%)", "IQM"]
BASIC = ["SampleCount", "Sum", "Average", "Minimum", "Maximum"]
# The sketch's stated accuracy: every percentile-family value within 1% of the exact one.
RELATIVE = 0.01


def minute_pairs(k: int) -> list[tuple[float, float]]:
    """Minute k's distribution: (value, count) pairs, 41 samples of 20 distinct values."""
    return [(float((k + 1) * j), float(j % 3 + 1)) for j in range(1, 21)]


def equal_set_pairs(k: int) -> list[tuple[float, float]]:
    """Minute k of the statistic set whose Minimum equals its Maximum: four samples of k + 1."""
    return [(float(k + 1), 4.0)]


def expected_extended(pairs) -> dict[str, float]:
    return {
        "p50": percentile(pairs, 50),
        "p99": percentile(pairs, 99),
        "TM(10%:90%)": trimmed_mean(pairs, 10, 90),
        "IQM": trimmed_mean(pairs, 25, 75),
    }


class Data:
    def __init__(self, cw, protocol: str, namespace: str, base: dt.datetime):
        self.cw, self.protocol, self.namespace, self.base = cw, protocol, namespace, base

    def at(self, minute: int, seconds: int = 0) -> dt.datetime:
        return self.base + dt.timedelta(minutes=minute, seconds=seconds)


@pytest.fixture(scope="module", params=list(CLOUDWATCH_PROTOCOLS))
def data(request, server):
    """One namespace per protocol, filled through that protocol with the same distribution in every form."""
    protocol = request.param
    cw = cloudwatch_client(server, protocol)
    data = Data(cw, protocol, f"compat-stats-{protocol}-{uuid.uuid4().hex[:8]}", minute_base())
    sent = capture_requests(cw, "PutMetricData")

    raw = [
        # Each sample on its own, at a second inside its minute: stored under the minute.
        {"MetricName": "Raw", "Timestamp": data.at(k, j % 60), "Value": value, "Unit": UNIT}
        for k in range(MINUTES)
        for j, (value, count) in enumerate(minute_pairs(k))
        for _ in range(int(count))
    ]
    assert len(raw) == 41 * MINUTES
    values_counts = [
        {"MetricName": "ValuesCounts", "Timestamp": data.at(k), "Unit": UNIT,
         "Values": [v for v, _ in minute_pairs(k)], "Counts": [c for _, c in minute_pairs(k)]}
        for k in range(MINUTES)
    ]
    statistic_sets = [
        {"MetricName": "StatisticSet", "Timestamp": data.at(k), "Unit": UNIT,
         "StatisticValues": {"SampleCount": s["SampleCount"], "Sum": s["Sum"], "Minimum": s["Minimum"],
                             "Maximum": s["Maximum"]}}
        for k in range(MINUTES)
        for s in [basic_statistics(minute_pairs(k))]
    ]
    equal_sets = [
        {"MetricName": "EqualSet", "Timestamp": data.at(k), "Unit": UNIT,
         "StatisticValues": {"SampleCount": 4.0, "Sum": 4.0 * (k + 1), "Minimum": k + 1.0, "Maximum": k + 1.0}}
        for k in range(MINUTES)
    ]
    for batch in (raw, values_counts + statistic_sets + equal_sets):
        response = cw.put_metric_data(Namespace=data.namespace, MetricData=batch)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    content_type, path = CLOUDWATCH_WIRE[protocol]
    assert sent and all(header(r, "Content-Type").startswith(content_type) for r in sent)
    assert all(urllib.parse.urlsplit(r.url).path.startswith(path) for r in sent)
    return data


# metric name -> (pairs of minute k, whether percentiles are available)
FORMS = {
    "Raw": (minute_pairs, True),
    "ValuesCounts": (minute_pairs, True),
    "StatisticSet": (minute_pairs, False),
    "EqualSet": (equal_set_pairs, True),
}


def _get(data: Data, metric: str, period: int, **params):
    return data.cw.get_metric_statistics(
        Namespace=data.namespace, MetricName=metric, StartTime=data.base,
        EndTime=data.at(MINUTES), Period=period, **params)


def _buckets(data: Data, metric: str, period: int):
    """The expected (period start, pairs) of every period holding data."""
    pairs_of, _ = FORMS[metric]
    per = period // 60
    return [(data.at(start), merge_pairs(*(pairs_of(k) for k in range(start, start + per))))
            for start in range(0, MINUTES, per)]


@pytest.mark.parametrize("period", [60, 300])
@pytest.mark.parametrize("metric", list(FORMS))
def test_basic_statistics(data, metric, period):
    response = _get(data, metric, period, Statistics=BASIC)
    assert response["Label"] == metric
    points = sorted(response["Datapoints"], key=lambda p: p["Timestamp"])
    expected = _buckets(data, metric, period)
    assert [p["Timestamp"] for p in points] == [start for start, _ in expected]
    for point, (start, pairs) in zip(points, expected):
        want = basic_statistics(pairs)
        got = {name: point.get(name) for name in BASIC}
        assert got == want, (data.protocol, metric, period, start)
        assert point["Unit"] == UNIT
        assert "ExtendedStatistics" not in point


@pytest.mark.parametrize("period", [60, 300])
@pytest.mark.parametrize("metric", list(FORMS))
def test_extended_statistics(data, metric, period):
    response = _get(data, metric, period, ExtendedStatistics=EXTENDED)
    points = sorted(response["Datapoints"], key=lambda p: p["Timestamp"])
    expected = _buckets(data, metric, period)
    assert [p["Timestamp"] for p in points] == [start for start, _ in expected]
    _, known = FORMS[metric]
    for point, (start, pairs) in zip(points, expected):
        assert point["Unit"] == UNIT
        for name in BASIC:
            assert name not in point
        if not known:
            # A statistic set with Minimum != Maximum carries no distribution: no percentiles (AWS documents it).
            assert not point.get("ExtendedStatistics"), point
            continue
        got = point["ExtendedStatistics"]
        want = expected_extended(pairs)
        assert set(got) == set(EXTENDED), got
        for name in EXTENDED:
            assert got[name] == pytest.approx(want[name], rel=RELATIVE), (data.protocol, metric, period, start, name)


@pytest.mark.parametrize("period", [60, 300])
def test_forms_agree(data, period):
    """The three forms of one distribution aggregate alike: basic statistics identical, percentiles (Value vs
    Values+Counts) within the sketch's accuracy of each other."""
    basic = {m: _get(data, m, period, Statistics=BASIC)["Datapoints"] for m in ("Raw", "ValuesCounts", "StatisticSet")}
    strip = lambda points: sorted(({k: v for k, v in p.items()} for p in points), key=lambda p: p["Timestamp"])
    assert strip(basic["Raw"]) == strip(basic["ValuesCounts"]) == strip(basic["StatisticSet"])
    assert len(basic["Raw"]) == MINUTES * 60 // period
    raw = sorted(_get(data, "Raw", period, ExtendedStatistics=EXTENDED)["Datapoints"], key=lambda p: p["Timestamp"])
    vc = sorted(_get(data, "ValuesCounts", period, ExtendedStatistics=EXTENDED)["Datapoints"],
                key=lambda p: p["Timestamp"])
    assert [p["Timestamp"] for p in raw] == [p["Timestamp"] for p in vc]
    for a, b in zip(raw, vc):
        for name in EXTENDED:
            assert a["ExtendedStatistics"][name] == pytest.approx(b["ExtendedStatistics"][name], rel=2 * RELATIVE)


def test_unit_filter(data):
    """With a Unit, only data sent with that unit comes back; CloudWatch converts nothing."""
    assert _get(data, "Raw", 300, Statistics=["Sum"], Unit="Seconds")["Datapoints"] == []
    points = _get(data, "Raw", 300, Statistics=["Sum"], Unit=UNIT)["Datapoints"]
    assert sorted(p["Sum"] for p in points) == sorted(basic_statistics(pairs)["Sum"]
                                                      for _, pairs in _buckets(data, "Raw", 300))


def test_sub_range_and_empty_range(data):
    """A range holding minutes 2..4 only gives those; a range without data gives no datapoints."""
    response = data.cw.get_metric_statistics(Namespace=data.namespace, MetricName="Raw", StartTime=data.at(2),
                                             EndTime=data.at(5), Period=60, Statistics=["SampleCount", "Maximum"])
    points = sorted(response["Datapoints"], key=lambda p: p["Timestamp"])
    assert [p["Timestamp"] for p in points] == [data.at(2), data.at(3), data.at(4)]
    assert [p["Maximum"] for p in points] == [60.0, 80.0, 100.0]
    assert [p["SampleCount"] for p in points] == [41.0] * 3
    empty = data.cw.get_metric_statistics(Namespace=data.namespace, MetricName="Raw", StartTime=data.at(-30),
                                          EndTime=data.at(-20), Period=60, Statistics=["Sum"])
    assert empty["Datapoints"] == []
    missing = data.cw.get_metric_statistics(Namespace=data.namespace, MetricName="NoSuchMetric",
                                            StartTime=data.base, EndTime=data.at(MINUTES), Period=60,
                                            Statistics=["Sum"])
    assert missing["Datapoints"] == []
    assert missing["Label"] == "NoSuchMetric"


def test_dimensions_select_exactly_one_series(server, unique):
    """GetMetricStatistics reads the series with exactly the dimensions given, not the ones that contain them."""
    cw = server.client("cloudwatch")
    base = minute_base()
    cw.put_metric_data(Namespace=unique, MetricData=[
        {"MetricName": "Hits", "Timestamp": base, "Value": 1.0, "Dimensions": [{"Name": "Host", "Value": "a"}]},
        {"MetricName": "Hits", "Timestamp": base, "Value": 10.0,
         "Dimensions": [{"Name": "Host", "Value": "a"}, {"Name": "Disk", "Value": "sda"}]},
        {"MetricName": "Hits", "Timestamp": base, "Value": 100.0},
    ])

    def total(dimensions):
        points = cw.get_metric_statistics(Namespace=unique, MetricName="Hits", Dimensions=dimensions,
                                          StartTime=base, EndTime=base + dt.timedelta(minutes=1), Period=60,
                                          Statistics=["Sum"])["Datapoints"]
        return [p["Sum"] for p in points]

    assert total([{"Name": "Host", "Value": "a"}]) == [1.0]
    assert total([{"Name": "Disk", "Value": "sda"}, {"Name": "Host", "Value": "a"}]) == [10.0]
    assert total([]) == [100.0]
    assert total([{"Name": "Host", "Value": "b"}]) == []


# ---------------------------------------------------------------- GetMetricStatistics parameter errors

def _assert_client_error(error: ClientError, code: str, status: int = 400) -> None:
    response = error.response
    assert response["Error"]["Code"] == code, response["Error"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["Error"].get("Message"), response
    assert response["ResponseMetadata"].get("RequestId")


NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
GOOD = {"Namespace": "compat-errors", "MetricName": "m", "StartTime": NOW - dt.timedelta(hours=1), "EndTime": NOW,
        "Period": 60}
STATISTICS_ERRORS = [
    # AWS: "you must specify either Statistics or ExtendedStatistics"; the code AWS gives (and moto copies) is
    # InvalidParameterCombination, with the message "Must specify either Statistics or ExtendedStatistics".
    ("no-statistics", {}, "InvalidParameterCombination"),
    ("period-45", {"Period": 45, "Statistics": ["Sum"]}, "InvalidParameterValue"),
    ("period-90", {"Period": 90, "Statistics": ["Sum"]}, "InvalidParameterValue"),
    ("1500-datapoints", {"StartTime": NOW - dt.timedelta(hours=25), "Statistics": ["Sum"]},
     "InvalidParameterCombination"),
    ("start-after-end", {"StartTime": NOW, "EndTime": NOW - dt.timedelta(hours=1), "Statistics": ["Sum"]},
     "InvalidParameterValue"),
    ("start-equals-end", {"StartTime": NOW, "EndTime": NOW, "Statistics": ["Sum"]}, "InvalidParameterValue"),
    ("p101", {"ExtendedStatistics": ["p101"]}, "InvalidParameterValue"),
    ("not-a-percentile", {"ExtendedStatistics": ["median"]}, "InvalidParameterValue"),
    ("unknown-statistic", {"Statistics": ["Median"]}, "InvalidParameterValue"),
    ("percentile-as-statistic", {"Statistics": ["p99"]}, "InvalidParameterValue"),
    ("unknown-unit", {"Statistics": ["Sum"], "Unit": "Parsecs"}, "InvalidParameterValue"),
]


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
@pytest.mark.parametrize("params,code", [pytest.param(*r[1:], id=r[0]) for r in STATISTICS_ERRORS])
def test_get_metric_statistics_errors(server, protocol, params, code):
    cw = cloudwatch_client(server, protocol, key="AKIDERR")
    with pytest.raises(ClientError) as raised:
        cw.get_metric_statistics(**dict(GOOD, **params))
    _assert_client_error(raised.value, code)


def test_1440_datapoints_is_the_limit(server):
    """Exactly 1440 datapoints (one day at a minute) is allowed; one more period is not."""
    cw = server.client("cloudwatch", key="AKIDERR")
    start = NOW.replace(second=0) - dt.timedelta(days=1, hours=1)
    ok = cw.get_metric_statistics(**dict(GOOD, StartTime=start, EndTime=start + dt.timedelta(days=1),
                                         Statistics=["Sum"]))
    assert ok["Datapoints"] == []
    with pytest.raises(ClientError) as raised:
        cw.get_metric_statistics(**dict(GOOD, StartTime=start, EndTime=start + dt.timedelta(days=1, minutes=1),
                                        Statistics=["Sum"]))
    _assert_client_error(raised.value, "InvalidParameterCombination")


# ---------------------------------------------------------------- refused PutMetricData stores nothing

def _sums(cw, namespace, metric, base):
    points = cw.get_metric_statistics(Namespace=namespace, MetricName=metric, StartTime=base,
                                      EndTime=base + dt.timedelta(minutes=5), Period=300,
                                      Statistics=["Sum", "SampleCount"])["Datapoints"]
    return [(p["Sum"], p["SampleCount"]) for p in points]


def test_mixed_valid_and_invalid_datums_store_nothing(server, unique):
    cw = server.client("cloudwatch")
    base = minute_base()
    good = [{"MetricName": "Mixed", "Timestamp": base + dt.timedelta(minutes=i), "Value": float(i + 1)}
            for i in range(3)]
    bad = [{"MetricName": "Mixed", "Timestamp": base, "Value": 5.0, "Unit": "Parsecs"}]
    with pytest.raises(ClientError) as raised:
        cw.put_metric_data(Namespace=unique, MetricData=good + bad + good)
    _assert_client_error(raised.value, "InvalidParameterValue")
    with pytest.raises(ClientError) as raised:
        cw.put_metric_data(Namespace=unique, MetricData=good + [{"MetricName": "Mixed", "Value": math.nan}])
    _assert_client_error(raised.value, "InvalidParameterValue")
    assert _sums(cw, unique, "Mixed", base) == []
    # The same good datums alone are stored: the check above can see data when there is some.
    cw.put_metric_data(Namespace=unique, MetricData=good)
    assert _sums(cw, unique, "Mixed", base) == [(6.0, 3.0)]


# Smithy's JSON protocols send non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_raw_json_non_finite_value_is_refused(server, unique, value):
    base = minute_base()
    body = json.dumps({"Namespace": unique, "MetricData": [
        {"MetricName": "Good", "Value": 1.0, "Timestamp": base.timestamp()},
        {"MetricName": "Bad", "Value": value, "Timestamp": base.timestamp()},
    ]})
    response = signed_request(server, "monitoring", body, {
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "GraniteServiceVersion20100801.PutMetricData",
        "x-amzn-query-mode": "true"})
    assert response.status == 400, response.body
    assert response.headers["x-amzn-query-error"] == "InvalidParameterValue;Sender"
    assert response.json["__type"].split("#")[-1] == "InvalidParameterValue"
    cw = server.client("cloudwatch")
    assert _sums(cw, unique, "Good", base) == []
    assert _sums(cw, unique, "Bad", base) == []


def test_raw_query_nan_value_is_refused(server, unique):
    base = minute_base()
    response = signed_request(server, "monitoring", urllib.parse.urlencode({
        "Action": "PutMetricData", "Version": "2010-08-01", "Namespace": unique,
        "MetricData.member.1.MetricName": "Good", "MetricData.member.1.Value": "1",
        "MetricData.member.1.Timestamp": base.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "MetricData.member.2.MetricName": "Good", "MetricData.member.2.Value": "NaN",
        "MetricData.member.2.Timestamp": base.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }), {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    assert response.status == 400, response.body
    root = ET.fromstring(response.body)
    code = next(e.text for e in root.iter() if e.tag.split("}")[-1] == "Code")
    assert code == "InvalidParameterValue"
    assert _sums(server.client("cloudwatch"), unique, "Good", base) == []
