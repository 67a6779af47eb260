"""ListMetrics through real boto3: namespace, metric name and dimension filters (with and without a value),
RecentlyActive, and pages of 500 followed by NextToken and by boto3's paginator, in every protocol."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import CLOUDWATCH_PROTOCOLS, cloudwatch_client

SERIES = 600


def key(metric: dict) -> tuple:
    return (metric["Namespace"], metric["MetricName"],
            frozenset((d["Name"], d["Value"]) for d in metric.get("Dimensions", [])))


@pytest.fixture(scope="module")
def many(server):
    """600 series in one namespace (three metric names, a Host each), sent in two requests of 300 datums."""
    namespace = f"compat-list-{uuid.uuid4().hex[:10]}"
    datums = [{"MetricName": f"M{i % 3}", "Value": float(i), "Dimensions": [{"Name": "Host", "Value": f"h{i:04d}"}]}
              for i in range(SERIES)]
    cw = server.client("cloudwatch")
    for chunk in (datums[:300], datums[300:]):
        cw.put_metric_data(Namespace=namespace, MetricData=chunk)
    expected = {key({"Namespace": namespace, **d}) for d in datums}
    assert len(expected) == SERIES
    return namespace, expected


@pytest.fixture(scope="module")
def few(server):
    """A handful of series to filter: (namespace, unique dimension name, the series)."""
    namespace = f"compat-filter-{uuid.uuid4().hex[:10]}"
    dim = f"Svc{uuid.uuid4().hex[:6]}"
    series = [
        ("Latency", {dim: "api"}),
        ("Latency", {dim: "web"}),
        ("Latency", {dim: "api", "Region": "eu"}),
        ("Errors", {dim: "api"}),
        ("Latency", {}),
        ("Errors", {"Region": "eu"}),
    ]
    data = [{"MetricName": name, "Value": 1.0, "Dimensions": [{"Name": n, "Value": v} for n, v in dims.items()]}
            for name, dims in series]
    # The same series twice more: ListMetrics lists a series once however many datapoints it has.
    server.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=data + data + data)
    return namespace, dim, [key({"Namespace": namespace, "MetricName": n,
                                 "Dimensions": [{"Name": a, "Value": b} for a, b in d.items()]})
                            for n, d in series]


def listed(cw, **params) -> list[tuple]:
    response = cw.list_metrics(**params)
    assert not response.get("NextToken")
    return [key(m) for m in response["Metrics"]]


def test_pages_of_500_by_hand(server, many):
    namespace, expected = many
    cw = server.client("cloudwatch")
    first = cw.list_metrics(Namespace=namespace)
    assert len(first["Metrics"]) == 500
    assert first["NextToken"]
    second = cw.list_metrics(Namespace=namespace, NextToken=first["NextToken"])
    assert len(second["Metrics"]) == SERIES - 500
    assert not second.get("NextToken")
    got = [key(m) for m in first["Metrics"] + second["Metrics"]]
    assert len(got) == len(set(got)) == SERIES
    assert set(got) == expected


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
def test_paginator_returns_every_metric_once(server, many, protocol):
    namespace, expected = many
    cw = cloudwatch_client(server, protocol)
    pages = list(cw.get_paginator("list_metrics").paginate(Namespace=namespace))
    assert [len(p["Metrics"]) for p in pages] == [500, SERIES - 500]
    got = [key(m) for page in pages for m in page["Metrics"]]
    assert len(got) == len(set(got)) == SERIES
    assert set(got) == expected
    # Filters apply before paging: one metric name is a single page of 200.
    only = list(cw.get_paginator("list_metrics").paginate(Namespace=namespace, MetricName="M1"))
    assert [len(p["Metrics"]) for p in only] == [SERIES // 3]
    assert {m["MetricName"] for p in only for m in p["Metrics"]} == {"M1"}


def test_metric_name_filter_across_namespaces(server, many):
    namespace, expected = many
    cw = server.client("cloudwatch")
    got = set(listed(cw, Namespace=namespace, MetricName="M2"))
    assert got == {k for k in expected if k[1] == "M2"}
    assert len(got) == SERIES // 3


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
def test_filters(server, few, protocol):
    namespace, dim, series = few
    lat_api, lat_web, lat_api_eu, err_api, lat_plain, err_eu = series
    cw = cloudwatch_client(server, protocol)
    got = listed(cw, Namespace=namespace)
    assert len(got) == len(set(got)) == 6
    assert set(got) == set(series)
    assert set(listed(cw, Namespace=namespace, MetricName="Latency")) == {lat_api, lat_web, lat_api_eu, lat_plain}
    # A dimension without a value: every series having that dimension, whatever its value (and other dimensions).
    assert set(listed(cw, Namespace=namespace, Dimensions=[{"Name": dim}])) == {lat_api, lat_web, lat_api_eu,
                                                                                err_api}
    # With a value: that value only.
    assert set(listed(cw, Namespace=namespace, Dimensions=[{"Name": dim, "Value": "api"}])) == {lat_api, lat_api_eu,
                                                                                               err_api}
    assert set(listed(cw, Namespace=namespace, Dimensions=[{"Name": dim, "Value": "api"}, {"Name": "Region"}])) == {
        lat_api_eu}
    assert set(listed(cw, Namespace=namespace, MetricName="Latency",
                      Dimensions=[{"Name": dim, "Value": "web"}])) == {lat_web}
    # No namespace: the dimension name is unique to this test, so exactly these come back.
    assert set(listed(cw, Dimensions=[{"Name": dim, "Value": "api"}])) == {lat_api, lat_api_eu, err_api}
    assert listed(cw, Namespace=namespace, Dimensions=[{"Name": dim, "Value": "nope"}]) == []
    assert listed(cw, Namespace=namespace, MetricName="Nothing") == []
    assert listed(cw, Namespace=f"{namespace}-other") == []
    # RecentlyActive=PT3H: everything here was just sent.
    assert set(listed(cw, Namespace=namespace, RecentlyActive="PT3H")) == set(series)
    assert set(listed(cw, Namespace=namespace, RecentlyActive="PT3H", MetricName="Errors")) == {err_api, err_eu}


def test_metric_shape(server, few):
    namespace, dim, _ = few
    metrics = server.client("cloudwatch").list_metrics(Namespace=namespace, MetricName="Latency",
                                                       Dimensions=[{"Name": "Region"}])["Metrics"]
    assert len(metrics) == 1
    (metric,) = metrics
    assert metric["Namespace"] == namespace
    assert metric["MetricName"] == "Latency"
    assert sorted(metric["Dimensions"], key=lambda d: d["Name"]) == sorted(
        [{"Name": dim, "Value": "api"}, {"Name": "Region", "Value": "eu"}], key=lambda d: d["Name"])


def test_other_accounts_metrics_are_not_listed(server, few):
    namespace, _, _ = few
    other = server.client("cloudwatch", key="AKIDOTHER")
    assert other.list_metrics(Namespace=namespace)["Metrics"] == []


def test_other_regions_metrics_are_not_listed(server, few):
    namespace, _, _ = few
    assert server.client("cloudwatch", region="eu-west-1").list_metrics(Namespace=namespace)["Metrics"] == []


@pytest.mark.parametrize("params,code", [
    ({"RecentlyActive": "PT1H"}, "InvalidParameterValue"),
    ({"NextToken": "zz-not-a-token"}, "InvalidNextToken"),
    ({"Dimensions": [{"Name": f"d{i}"} for i in range(11)]}, "InvalidParameterValue"),
], ids=["recently-active-pt1h", "bad-next-token", "11-dimension-filters"])
def test_list_metrics_errors(server, params, code):
    cw = server.client("cloudwatch", key="AKIDERR")
    with pytest.raises(ClientError) as raised:
        cw.list_metrics(**params)
    assert raised.value.response["Error"]["Code"] == code, raised.value.response["Error"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
