"""CloudWatch PutMetricData through real boto3 (JSON 1.0, awsQueryCompatible), plus the legacy awsQuery form.

There is no read API for datapoints yet, so a call counts as stored when it succeeds and its CloudTrail event
has no errorCode; a rejected call must raise the modelled exception and leave an event with the errorCode."""

from __future__ import annotations

import datetime as dt
import gzip
import math
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from conftest import events_for_requests, signed_request, trail_record

NOW = dt.datetime.now(dt.timezone.utc)


def _datum(**fields):
    return {"MetricName": "Latency", **fields}


VALID_DATA = [
    pytest.param([_datum(Value=12.5, Unit="Milliseconds")], id="value"),
    pytest.param([_datum(Value=0.0)], id="value-zero"),
    pytest.param([_datum(Value=-3.25, Timestamp=NOW - dt.timedelta(days=13), Unit="None")], id="value-13-days-old"),
    pytest.param([_datum(Value=1.0, Timestamp=NOW + dt.timedelta(hours=1))], id="value-1-hour-ahead"),
    pytest.param([_datum(Values=[1.0, 2.0, 3.5], Counts=[10, 1, 2], Unit="Seconds")], id="values-counts"),
    pytest.param([_datum(Values=[5.0, 6.0])], id="values-no-counts"),
    pytest.param([_datum(Values=[float(i) for i in range(150)])], id="values-150"),
    pytest.param([_datum(StatisticValues={"SampleCount": 4, "Sum": 10, "Minimum": 1, "Maximum": 4},
                         Unit="Count")], id="statistic-values"),
    pytest.param([_datum(Value=1.0, StorageResolution=1), _datum(Value=2.0, StorageResolution=60)],
                 id="storage-resolution"),
    pytest.param([_datum(Value=7.0, Dimensions=[{"Name": f"d{i}", "Value": f"v{i}"} for i in range(30)])],
                 id="30-dimensions"),
    pytest.param([_datum(Value=1e100), _datum(Value=-1e-70)], id="extreme-magnitudes"),
    pytest.param([_datum(MetricName="m" * 255, Value=1.0,
                         Dimensions=[{"Name": "n" * 255, "Value": "v" * 1024}])], id="longest-names"),
    pytest.param([_datum(MetricName="Ünïcødé ✓", Value=1.0, Dimensions=[{"Name": "Host", "Value": "hôte-1"}])],
                 id="unicode"),
    pytest.param([_datum(Value=1.0), _datum(Values=[2.0], Counts=[3.0]),
                  _datum(StatisticValues={"SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1})],
                 id="mixed-forms"),
]


@pytest.mark.parametrize("data", VALID_DATA)
def test_put_metric_data_accepted_and_audited(server, unique, data):
    cw = server.client("cloudwatch")
    response = cw.put_metric_data(Namespace=unique, MetricData=data)
    meta = response["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200
    assert meta["RequestId"]
    assert meta["HTTPHeaders"]["x-amzn-requestid"] == meta["RequestId"]
    assert set(response) == {"ResponseMetadata"}

    records = events_for_requests(server.client("cloudtrail"), [meta["RequestId"]], "PutMetricData",
                                  start=NOW - dt.timedelta(minutes=5))
    record = records[meta["RequestId"]]
    assert "errorCode" not in record
    assert record["eventSource"] == "monitoring.amazonaws.com"
    assert record["eventName"] == "PutMetricData"
    assert record["awsRegion"] == "us-east-1"
    assert record["recipientAccountId"] == "000000000000"
    assert record["userIdentity"]["accessKeyId"] == "AKIDEXAMPLE"
    assert record["userIdentity"]["accountId"] == "000000000000"
    assert record["readOnly"] is False
    assert record["requestParameters"]["namespace"] == unique


def _big_data(count: int):
    return [
        {"MetricName": f"Metric{i % 37}", "Value": float(i),
         "Dimensions": [{"Name": "Host", "Value": f"host-{i:04d}"}, {"Name": "Shard", "Value": str(i % 7)}]}
        for i in range(count)
    ]


def test_large_request_is_gzipped_and_accepted(server, unique):
    """boto3 gzips PutMetricData bodies of 10240 bytes or more; the server must inflate them."""
    cw = server.client("cloudwatch", key="AKIDGZIP")
    sent = []

    def capture(request, **_):
        sent.append((dict(request.headers), request.body))

    cw.meta.events.register("before-send.cloudwatch.PutMetricData", capture)
    try:
        response = cw.put_metric_data(Namespace=unique, MetricData=_big_data(1000))
    finally:
        cw.meta.events.unregister("before-send.cloudwatch.PutMetricData", capture)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    headers, body = sent[-1]
    encoding = headers.get("Content-Encoding")
    assert encoding in (b"gzip", "gzip"), headers
    assert body[:2] == b"\x1f\x8b"
    assert len(gzip.decompress(body)) >= 10240

    ct = server.client("cloudtrail", key="AKIDGZIP")
    record = events_for_requests(ct, [response["ResponseMetadata"]["RequestId"]], "PutMetricData")
    record = record[response["ResponseMetadata"]["RequestId"]]
    assert "errorCode" not in record
    # The server leaves out request parameters above 16 KiB, as CloudTrail omits oversized ones.
    parameters = record.get("requestParameters")
    assert parameters is None or len(parameters["metricData"]) == 1000


def test_small_request_is_not_gzipped(server, unique):
    cw = server.client("cloudwatch", key="AKIDGZIP")
    sent = []
    cw.meta.events.register("before-send.cloudwatch.PutMetricData", lambda request, **_: sent.append(request))
    cw.put_metric_data(Namespace=unique, MetricData=[_datum(Value=1.0)])
    assert "Content-Encoding" not in sent[-1].headers


def test_1000_datums_uncompressed(server, unique):
    cw = server.client("cloudwatch", key="AKIDGZIP", disable_request_compression=True)
    response = cw.put_metric_data(Namespace=unique, MetricData=_big_data(1000))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


# ---------------------------------------------------------------- invalid data

TOO_OLD = NOW - dt.timedelta(weeks=3)
TOO_NEW = NOW + dt.timedelta(hours=3)
STATS = {"SampleCount": 2, "Sum": 3, "Minimum": 1, "Maximum": 2}

# (id, namespace or None for the test's own, MetricData, exception class name, error code)
INVALID = [
    ("nan-value", None, [_datum(Value=math.nan)], "InvalidParameterValueException", "InvalidParameterValue"),
    ("inf-value", None, [_datum(Value=math.inf)], "InvalidParameterValueException", "InvalidParameterValue"),
    ("neg-inf-value", None, [_datum(Value=-math.inf)], "InvalidParameterValueException", "InvalidParameterValue"),
    ("huge-value", None, [_datum(Value=1e200)], "InvalidParameterValueException", "InvalidParameterValue"),
    ("tiny-value", None, [_datum(Value=1e-200)], "InvalidParameterValueException", "InvalidParameterValue"),
    ("nan-in-values", None, [_datum(Values=[1.0, math.nan])], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("nan-statistic", None, [_datum(StatisticValues=dict(STATS, Sum=math.nan))], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("31-dimensions", None, [_datum(Value=1.0, Dimensions=[{"Name": f"d{i}", "Value": "v"} for i in range(31)])],
     "InvalidParameterValueException", "InvalidParameterValue"),
    ("3-weeks-old", None, [_datum(Value=1.0, Timestamp=TOO_OLD)], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("3-hours-ahead", None, [_datum(Value=1.0, Timestamp=TOO_NEW)], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("unknown-unit", None, [_datum(Value=1.0, Unit="Parsecs")], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("storage-resolution-5", None, [_datum(Value=1.0, StorageResolution=5)], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("151-values", None, [_datum(Values=[1.0] * 151)], "InvalidParameterValueException", "InvalidParameterValue"),
    ("counts-length-mismatch", None, [_datum(Values=[1.0, 2.0], Counts=[1.0])], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("min-above-max", None, [_datum(StatisticValues=dict(STATS, Minimum=5, Maximum=1))],
     "InvalidParameterValueException", "InvalidParameterValue"),
    ("1001-datums", None, [_datum(Value=float(i)) for i in range(1001)], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("aws-namespace", "AWS/EC2", [_datum(Value=1.0)], "InvalidParameterValueException", "InvalidParameterValue"),
    ("metric-name-256", None, [_datum(MetricName="m" * 256, Value=1.0)], "InvalidParameterValueException",
     "InvalidParameterValue"),
    ("dimension-value-1025", None, [_datum(Value=1.0, Dimensions=[{"Name": "n", "Value": "v" * 1025}])],
     "InvalidParameterValueException", "InvalidParameterValue"),
    # AWS: "At least one of the parameters must be specified." (seen in the wild, boto/boto3#2790).
    ("no-value", None, [_datum()], "InvalidParameterCombinationException", "InvalidParameterCombination"),
    ("empty-metric-data", None, [], "MissingRequiredParameterException", "MissingParameter"),
    ("value-and-values", None, [_datum(Value=1.0, Values=[1.0])], "InvalidParameterCombinationException",
     "InvalidParameterCombination"),
    ("value-and-statistics", None, [_datum(Value=1.0, StatisticValues=STATS)],
     "InvalidParameterCombinationException", "InvalidParameterCombination"),
    # One bad datum among good ones refuses the whole request.
    ("bad-among-good", None, [_datum(Value=1.0), _datum(Value=2.0), _datum(Value=math.nan)],
     "InvalidParameterValueException", "InvalidParameterValue"),
]


@pytest.mark.parametrize("namespace,data,exception,code", [pytest.param(*row[1:], id=row[0]) for row in INVALID])
def test_invalid_datum_is_refused_and_audited(server, unique, namespace, data, exception, code):
    cw = server.client("cloudwatch")
    with pytest.raises(getattr(cw.exceptions, exception)) as raised:
        cw.put_metric_data(Namespace=namespace or unique, MetricData=data)
    error = raised.value.response
    assert error["Error"]["Code"] == code
    assert error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    request_id = error["ResponseMetadata"]["RequestId"]
    assert request_id
    assert error["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"] == request_id
    assert error["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-query-error", "").startswith(f"{code};")

    records = events_for_requests(server.client("cloudtrail"), [request_id], "PutMetricData",
                                  start=NOW - dt.timedelta(minutes=5))
    assert records[request_id]["errorCode"] == code
    assert records[request_id]["errorMessage"] == error["Error"]["Message"]


def test_client_side_validation_never_reaches_the_server(server):
    """boto3 refuses a datum without MetricName before sending: nothing reaches the server, nothing is audited."""
    from botocore.exceptions import ParamValidationError

    cw = server.client("cloudwatch")
    with pytest.raises(ParamValidationError):
        cw.put_metric_data(Namespace="x", MetricData=[{"Value": 1.0}])


# ---------------------------------------------------------------- legacy awsQuery form (old SDKs)

def _signed_query(server, params: dict, key="AKIDEXAMPLE", region="us-east-1"):
    response = signed_request(server, "monitoring", urllib.parse.urlencode(params),
                              {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                              key=key, region=region)
    return response.status, response.headers, response.body


def _strip_ns(root):
    for element in root.iter():
        element.tag = element.tag.split("}", 1)[-1]
    return root


def test_legacy_query_put_metric_data(server, unique):
    status, headers, body = _signed_query(server, {
        "Action": "PutMetricData", "Version": "2010-08-01", "Namespace": unique,
        "MetricData.member.1.MetricName": "Legacy", "MetricData.member.1.Value": "3.5",
        "MetricData.member.1.Unit": "Count",
        "MetricData.member.1.Dimensions.member.1.Name": "Host",
        "MetricData.member.1.Dimensions.member.1.Value": "a",
        "MetricData.member.2.MetricName": "Legacy",
        "MetricData.member.2.StatisticValues.SampleCount": "2",
        "MetricData.member.2.StatisticValues.Sum": "3",
        "MetricData.member.2.StatisticValues.Minimum": "1",
        "MetricData.member.2.StatisticValues.Maximum": "2",
    })
    assert status == 200, body
    assert headers.get("content-type", "").startswith("text/xml"), headers
    root = _strip_ns(ET.fromstring(body))
    assert root.tag == "PutMetricDataResponse"
    request_id = root.findtext("ResponseMetadata/RequestId")
    assert request_id
    assert headers["x-amzn-requestid"] == request_id

    record = events_for_requests(server.client("cloudtrail"), [request_id], "PutMetricData")[request_id]
    assert "errorCode" not in record
    assert record["requestParameters"]["namespace"] == unique


def test_legacy_query_invalid_value(server, unique):
    status, headers, body = _signed_query(server, {
        "Action": "PutMetricData", "Version": "2010-08-01", "Namespace": unique,
        "MetricData.member.1.MetricName": "Legacy", "MetricData.member.1.Value": "1",
        "MetricData.member.1.Unit": "Parsecs",
    })
    assert status == 400, body
    root = _strip_ns(ET.fromstring(body))
    assert root.tag == "ErrorResponse"
    assert root.findtext("Error/Code") == "InvalidParameterValue"
    assert root.findtext("Error/Type") == "Sender"
    request_id = root.findtext("RequestId")
    assert request_id
    assert headers["x-amzn-requestid"] == request_id
    record = events_for_requests(server.client("cloudtrail"), [request_id], "PutMetricData")[request_id]
    assert record["errorCode"] == "InvalidParameterValue"


def test_legacy_query_unknown_action(server):
    status, headers, body = _signed_query(server, {"Action": "NoSuchAction", "Version": "2010-08-01"})
    assert status == 400, body
    root = _strip_ns(ET.fromstring(body))
    assert root.findtext("Error/Code") == "InvalidAction"
    assert root.findtext("RequestId")
