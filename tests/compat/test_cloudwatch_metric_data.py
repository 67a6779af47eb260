"""GetMetricData through real boto3 (JSON 1.0, legacy awsQuery, RPCv2 CBOR): MetricStat queries, metric math
(`m1 + m2`, `SUM(METRICS())`, `FILL`, `RATE`, SEARCH), Label and ReturnData, ScanBy, MaxDatapoints with NextToken
(by hand and with boto3's paginator), and the validation errors. Every expected value is computed here from the
data sent."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import CLOUDWATCH_PROTOCOLS, cloudwatch_client, minute_base

MINUTES = 10
ALPHA_GAP = 3   # Alpha has no data in minute 3
BETA_GAP = 7    # Beta has none in minute 7
DIMENSION_VALUES = {"a": 1, "b": 2, "c": 3}


def alpha_sum(k: int) -> float | None:
    """Alpha gets k+1 and 2(k+1) in minute k: Sum 3(k+1)."""
    return None if k == ALPHA_GAP else 3.0 * (k + 1)


def beta_max(k: int) -> float | None:
    """Beta gets 10(k+1) and 1 in minute k: Maximum 10(k+1)."""
    return None if k == BETA_GAP else 10.0 * (k + 1)


def search_value(dim: str, k: int) -> float:
    return 100.0 * DIMENSION_VALUES[dim] + k


class Data:
    def __init__(self, namespace: str, base: dt.datetime):
        self.namespace, self.base = namespace, base

    def at(self, minute: int) -> dt.datetime:
        return self.base + dt.timedelta(minutes=minute)

    def series(self, values) -> dict[dt.datetime, float]:
        return {self.at(k): v for k, v in enumerate(values) if v is not None}


@pytest.fixture(scope="module")
def data(server):
    namespace = f"compat-gmd-{uuid.uuid4().hex[:10]}"
    data = Data(namespace, minute_base())
    datums = []
    for k in range(MINUTES):
        if k != ALPHA_GAP:
            datums += [{"MetricName": "Alpha", "Timestamp": data.at(k), "Value": float(k + 1)},
                       {"MetricName": "Alpha", "Timestamp": data.at(k), "Value": 2.0 * (k + 1)}]
        if k != BETA_GAP:
            datums += [{"MetricName": "Beta", "Timestamp": data.at(k), "Value": 10.0 * (k + 1)},
                       {"MetricName": "Beta", "Timestamp": data.at(k), "Value": 1.0}]
        for dim in DIMENSION_VALUES:
            datums.append({"MetricName": "X", "Timestamp": data.at(k), "Value": search_value(dim, k),
                           "Dimensions": [{"Name": "Dim", "Value": dim}]})
        # Near misses SEARCH must leave out: another dimension set, another metric name, no dimensions.
        datums += [
            {"MetricName": "X", "Timestamp": data.at(k), "Value": 1000.0,
             "Dimensions": [{"Name": "Dim", "Value": "a"}, {"Name": "Other", "Value": "z"}]},
            {"MetricName": "Y", "Timestamp": data.at(k), "Value": 1000.0, "Dimensions": [{"Name": "Dim", "Value": "a"}]},
            {"MetricName": "X", "Timestamp": data.at(k), "Value": 1000.0},
        ]
    server.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=datums)
    return data


def stat(data: Data, qid: str, metric: str, statistic: str, **extra) -> dict:
    return {"Id": qid, "MetricStat": {"Metric": {"Namespace": data.namespace, "MetricName": metric},
                                      "Period": 60, "Stat": statistic}, **extra}


def by_id(results) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for result in results:
        out.setdefault(result["Id"], []).append(result)
    return out


def points(result) -> dict[dt.datetime, float]:
    assert len(result["Timestamps"]) == len(result["Values"])
    pairs = dict(zip(result["Timestamps"], result["Values"]))
    assert len(pairs) == len(result["Timestamps"]), "a timestamp appears twice"
    return pairs


def get(cw, data: Data, queries, **params):
    return cw.get_metric_data(MetricDataQueries=queries, StartTime=data.base, EndTime=data.at(MINUTES), **params)


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
def test_metric_stat_and_expressions(server, data, protocol):
    cw = cloudwatch_client(server, protocol)
    queries = [
        stat(data, "m1", "Alpha", "Sum"),
        stat(data, "m2", "Beta", "Maximum", ReturnData=False),
        {"Id": "e1", "Expression": "m1 + m2", "Label": "Total"},
        {"Id": "e2", "Expression": "SUM(METRICS())"},
        {"Id": "e3", "Expression": "FILL(m1, 0)", "Label": "Alpha filled"},
        {"Id": "e4", "Expression": "RATE(m1)", "Label": "Alpha rate"},
        {"Id": "e5", "Expression": "m2 * 2 - 1", "Label": "Beta scaled"},
    ]
    response = get(cw, data, queries)
    assert not response.get("NextToken")
    results = by_id(response["MetricDataResults"])
    # ReturnData=False: m2 is computed and used, not returned.
    assert set(results) == {"m1", "e1", "e2", "e3", "e4", "e5"}
    assert all(len(r) == 1 for r in results.values())
    results = {qid: r[0] for qid, r in results.items()}

    alpha = [alpha_sum(k) for k in range(MINUTES)]
    beta = [beta_max(k) for k in range(MINUTES)]
    # Between two series a slot missing on one side counts as 0 (AWS: "Missing values ... are treated as 0").
    total = [(a or 0.0) + (b or 0.0) for a, b in zip(alpha, beta)]
    filled = [a if a is not None else 0.0 for a in alpha]
    # RATE: the change from the preceding datapoint per second of the time between them (120 s across the gap).
    rate = [None] + [None if alpha[k] is None else
                     (alpha[k] - alpha[k - 1]) / 60.0 if alpha[k - 1] is not None else
                     (alpha[k] - alpha[k - 2]) / 120.0
                     for k in range(1, MINUTES)]
    scaled = [None if b is None else b * 2 - 1 for b in beta]
    expected = {"m1": alpha, "e1": total, "e2": total, "e3": filled, "e4": rate, "e5": scaled}
    for qid, values in expected.items():
        got = points(results[qid])
        want = data.series(values)
        assert set(got) == set(want), (protocol, qid)
        for t, v in want.items():
            assert got[t] == pytest.approx(v, rel=1e-12), (protocol, qid, t)
        assert results[qid]["StatusCode"] == "Complete"

    # No Label: the metric name plus the Stat, as m1 and m2 (Sum, Maximum) differ in it (AWS's default label).
    assert results["m1"]["Label"] == "Alpha Sum"
    assert results["e1"]["Label"] == "Total"
    assert results["e3"]["Label"] == "Alpha filled"
    assert results["e4"]["Label"] == "Alpha rate"
    assert results["e5"]["Label"] == "Beta scaled"
    assert results["e2"]["Label"]
    # Default order is TimestampDescending.
    for result in results.values():
        assert result["Timestamps"] == sorted(result["Timestamps"], reverse=True)


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
def test_search_expression(server, data, protocol):
    cw = cloudwatch_client(server, protocol)
    search = f"SEARCH('{{{data.namespace},Dim}} MetricName=\"X\"', 'Sum', 60)"
    response = get(cw, data, [
        {"Id": "s1", "Expression": search},
        {"Id": "total", "Expression": f"SUM({search})", "Label": "All X"},
        {"Id": "count", "Expression": f"METRIC_COUNT({search}) + 0 * SUM({search})", "Label": "How many"},
    ])
    results = by_id(response["MetricDataResults"])
    assert set(results) == {"s1", "total", "count"}
    # One result per matching series, each with the query's Id and the series' label (its dimension values, then
    # its metric name).
    found = {r["Label"]: points(r) for r in results["s1"]}
    assert set(found) == {f"{dim} X" for dim in DIMENSION_VALUES}, set(found)
    for dim in DIMENSION_VALUES:
        assert found[f"{dim} X"] == data.series(search_value(dim, k) for k in range(MINUTES)), dim
    (total,) = results["total"]
    assert total["Label"] == "All X"
    assert points(total) == data.series(sum(search_value(d, k) for d in DIMENSION_VALUES) for k in range(MINUTES))
    (count,) = results["count"]
    assert set(points(count).values()) == {3.0}


def test_search_label_and_no_match(server, data):
    cw = server.client("cloudwatch")
    response = get(cw, data, [
        {"Id": "s1", "Expression": f"SEARCH('{{{data.namespace},Dim}} MetricName=\"X\" Dim=b', 'Maximum', 60)",
         "Label": "Only b"},
        {"Id": "none", "Expression": f"SEARCH('{{{data.namespace},Dim}} MetricName=\"Nothing\"', 'Sum', 60)"},
    ])
    results = by_id(response["MetricDataResults"])
    (only_b,) = results["s1"]
    assert only_b["Label"].startswith("Only b")
    assert points(only_b) == data.series(search_value("b", k) for k in range(MINUTES))
    assert all(not r["Values"] for r in results.get("none", []))


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
def test_scan_by(server, data, protocol):
    cw = cloudwatch_client(server, protocol)
    queries = [stat(data, "m1", "Alpha", "Sum"), stat(data, "m2", "Beta", "Maximum")]
    ascending = by_id(get(cw, data, queries, ScanBy="TimestampAscending")["MetricDataResults"])
    descending = by_id(get(cw, data, queries, ScanBy="TimestampDescending")["MetricDataResults"])
    default = by_id(get(cw, data, queries)["MetricDataResults"])
    for qid, values in (("m1", [alpha_sum(k) for k in range(MINUTES)]), ("m2", [beta_max(k) for k in range(MINUTES)])):
        want = data.series(values)
        (up,), (down,), (plain,) = ascending[qid], descending[qid], default[qid]
        assert up["Timestamps"] == sorted(want)
        assert up["Values"] == [want[t] for t in sorted(want)]
        assert down["Timestamps"] == sorted(want, reverse=True)
        assert down["Values"] == [want[t] for t in sorted(want, reverse=True)]
        assert plain["Timestamps"] == down["Timestamps"] and plain["Values"] == down["Values"]


def _collect(pages, page_size):
    """Every (Id, timestamp) -> value over the pages, failing on a datapoint seen twice or an oversized page."""
    seen = {}
    for page in pages:
        count = sum(len(r["Values"]) for r in page["MetricDataResults"])
        assert count <= page_size, count
        for result in page["MetricDataResults"]:
            for t, v in zip(result["Timestamps"], result["Values"]):
                assert (result["Id"], t) not in seen, ("twice", result["Id"], t)
                seen[(result["Id"], t)] = v
    return seen


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
def test_max_datapoints_pagination(server, data, protocol):
    cw = cloudwatch_client(server, protocol)
    queries = [stat(data, "m1", "Alpha", "Sum"), stat(data, "m2", "Beta", "Maximum")]
    everything = {(qid, t): v
                  for qid, values in (("m1", [alpha_sum(k) for k in range(MINUTES)]),
                                      ("m2", [beta_max(k) for k in range(MINUTES)]))
                  for t, v in data.series(values).items()}
    assert len(everything) == 18

    pages, token = [], None
    while True:
        params = {"MaxDatapoints": 4, "ScanBy": "TimestampAscending"}
        if token:
            params["NextToken"] = token
        page = get(cw, data, queries, **params)
        pages.append(page)
        token = page.get("NextToken")
        if token:
            # A page cut short says so.
            assert any(r["StatusCode"] == "PartialData" for r in page["MetricDataResults"]), page
        else:
            break
        assert len(pages) < 20, "NextToken never ran out"
    assert len(pages) == 5  # 18 datapoints, 4 a page
    assert all(r["StatusCode"] == "Complete" for r in pages[-1]["MetricDataResults"])
    assert _collect(pages, 4) == everything

    paginator = cw.get_paginator("get_metric_data")
    pages = list(paginator.paginate(MetricDataQueries=queries, StartTime=data.base, EndTime=data.at(MINUTES),
                                    ScanBy="TimestampDescending", PaginationConfig={"PageSize": 5}))
    assert len(pages) == 4
    assert _collect(pages, 5) == everything
    # build_full_result concatenates the pages' results: each datapoint still once.
    full = paginator.paginate(MetricDataQueries=queries, StartTime=data.base, EndTime=data.at(MINUTES),
                              PaginationConfig={"PageSize": 7}).build_full_result()
    assert _collect([full], 18) == everything


def test_bad_next_token(server, data):
    cw = server.client("cloudwatch")
    with pytest.raises(ClientError) as raised:
        get(cw, data, [stat(data, "m1", "Alpha", "Sum")], NextToken="not-a-token")
    assert raised.value.response["Error"]["Code"] == "InvalidNextToken"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert isinstance(raised.value, cw.exceptions.InvalidNextToken)


# ---------------------------------------------------------------- validation errors

# Real CloudWatch answers GetMetricData's validation failures with the code ValidationError, e.g. "An error
# occurred (ValidationError) when calling the GetMetricData operation: The values for parameter id in
# MetricDataQueries are not unique." (the operation models no other error than InvalidNextToken).
VALIDATION = "ValidationError"


def _error_cases(ns):
    m1 = {"Id": "m1", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "Alpha"}, "Period": 60, "Stat": "Sum"}}
    return [
        ("bad-expression", [m1, {"Id": "e1", "Expression": "m1 +"}]),
        ("unbalanced-parenthesis", [m1, {"Id": "e1", "Expression": "SUM(METRICS()"}]),
        ("unknown-function", [m1, {"Id": "e1", "Expression": "NO_SUCH_FUNCTION(m1)"}]),
        ("unknown-id", [m1, {"Id": "e1", "Expression": "m1 + m9"}]),
        ("duplicate-ids", [m1, dict(m1)]),
        ("duplicate-expression-id", [m1, {"Id": "m1", "Expression": "m1 * 2"}]),
        ("circular", [m1, {"Id": "e1", "Expression": "e2 + 1"}, {"Id": "e2", "Expression": "e1 + 1"}]),
        ("uppercase-id", [dict(m1, Id="M1")]),
        ("bad-period", [{"Id": "m1", "MetricStat": dict(m1["MetricStat"], Period=45)}]),
        ("bad-stat", [{"Id": "m1", "MetricStat": dict(m1["MetricStat"], Stat="Median")}]),
    ]


@pytest.mark.parametrize("case", [c[0] for c in _error_cases("x")])
def test_validation_errors(server, data, case):
    queries = dict(_error_cases(data.namespace))[case]
    cw = server.client("cloudwatch", key="AKIDERR")
    with pytest.raises(ClientError) as raised:
        get(cw, data, queries)
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400, error
    assert error["Error"]["Message"], error
    assert error["ResponseMetadata"].get("RequestId")
    assert error["Error"]["Code"] == VALIDATION, (case, error["Error"])


@pytest.mark.parametrize("protocol", list(CLOUDWATCH_PROTOCOLS))
def test_expression_error_names_the_query(server, data, protocol):
    """Whatever the protocol, the error comes back parsed, names the expression's Id, and is a 400."""
    cw = cloudwatch_client(server, protocol, key="AKIDERR")
    with pytest.raises(ClientError) as raised:
        get(cw, data, dict(_error_cases(data.namespace))["unknown-id"])
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "e1" in error["Error"]["Message"] and "m9" in error["Error"]["Message"], error["Error"]


def test_start_after_end(server, data):
    cw = server.client("cloudwatch", key="AKIDERR")
    with pytest.raises(ClientError) as raised:
        cw.get_metric_data(MetricDataQueries=[stat(data, "m1", "Alpha", "Sum")], StartTime=data.at(MINUTES),
                           EndTime=data.base)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert raised.value.response["Error"]["Code"] in (VALIDATION, "InvalidParameterValue")
