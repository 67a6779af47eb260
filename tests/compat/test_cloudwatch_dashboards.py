"""CloudWatch dashboards (issue 4) through boto3 in each CloudWatch protocol and the aws CLI: PutDashboard and
GetDashboard return the body byte for byte, ListDashboards filters by prefix and pages through a paginator,
DeleteDashboards deletes what exists and passes over what does not, and refusals carry CloudWatch's codes, statuses
and `dashboardValidationMessages` data paths. The dashboards live in accounts of their own (AKIDDASH,
AKIDDASHCLI) so listings are exact."""

from __future__ import annotations

import json
import uuid

import botocore.exceptions
import pytest

from conftest import cloudwatch_client

KEY = "AKIDDASH"
ACCOUNT = "777777777777"
BODY = '{ "widgets": [ {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2,\n   "properties": {"markdown": "# Ünïcode ✓ \\u00e9"}},\n  {"type":"metric","properties":{"metrics":[["App","Latency","Service","api",{"stat":"p99"}],[".",".",".","web"]],"view":"timeSeries","region":"us-east-1"}} ],\n "start": "-PT6H",  "periodOverride": "inherit" }\n'
EMPTY = '{"widgets":[]}'

pytestmark = pytest.mark.parametrize("protocol", ["json", "query", "cbor"])


@pytest.fixture
def prefix() -> str:
    return f"dash{uuid.uuid4().hex[:10]}"


def client(server, protocol):
    return cloudwatch_client(server, protocol, key=KEY)


def error_of(call, **params) -> botocore.exceptions.ClientError:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(**params)
    return raised.value


def test_put_get_round_trip_is_exact(server, protocol, prefix):
    cw = client(server, protocol)
    name = f"{prefix}-Main_1"
    put = cw.put_dashboard(DashboardName=name, DashboardBody=BODY)
    assert put["DashboardValidationMessages"] == []
    got = cw.get_dashboard(DashboardName=name)
    assert got["DashboardBody"] == BODY
    assert got["DashboardName"] == name
    assert got["DashboardArn"] == f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{name}"
    # Dashboards are global: another region sees the same one.
    other_region = cloudwatch_client(server, protocol, key=KEY, region="eu-west-1")
    assert other_region.get_dashboard(DashboardName=name)["DashboardBody"] == BODY
    # Replacing keeps one dashboard with the new body.
    cw.put_dashboard(DashboardName=name, DashboardBody=EMPTY)
    assert cw.get_dashboard(DashboardName=name)["DashboardBody"] == EMPTY
    entries = cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]
    assert [(e["DashboardName"], e["Size"]) for e in entries] == [(name, len(EMPTY))]
    assert entries[0]["LastModified"].year >= 2024


def test_list_by_prefix_and_paginator(server, protocol, prefix):
    cw = client(server, protocol)
    names = [f"{prefix}-{i:04d}" for i in range(1003)]
    for name in names:
        cw.put_dashboard(DashboardName=name, DashboardBody=EMPTY)
    cw.put_dashboard(DashboardName=f"{prefix}x", DashboardBody=EMPTY)
    first = cw.list_dashboards(DashboardNamePrefix=f"{prefix}-")
    assert len(first["DashboardEntries"]) == 1000
    assert "NextToken" in first
    pages = list(cw.get_paginator("list_dashboards").paginate(DashboardNamePrefix=f"{prefix}-"))
    assert [len(p["DashboardEntries"]) for p in pages] == [1000, 3]
    assert [e["DashboardName"] for p in pages for e in p["DashboardEntries"]] == names
    assert [e["DashboardName"] for e in cw.list_dashboards(DashboardNamePrefix=f"{prefix}-000")["DashboardEntries"]] == names[:10]
    assert cw.list_dashboards(DashboardNamePrefix=f"{prefix}-zzz")["DashboardEntries"] == []
    cw.delete_dashboards(DashboardNames=names[:100])
    cw.delete_dashboards(DashboardNames=names[100:200])
    remaining = [e["DashboardName"] for p in cw.get_paginator("list_dashboards").paginate(DashboardNamePrefix=prefix) for e in p["DashboardEntries"]]
    assert remaining == names[200:] + [f"{prefix}x"]


def test_delete_and_not_found(server, protocol, prefix):
    cw = client(server, protocol)
    for name in ("a", "b"):
        cw.put_dashboard(DashboardName=f"{prefix}{name}", DashboardBody=EMPTY)
    cw.delete_dashboards(DashboardNames=[f"{prefix}a"])
    error = error_of(cw.get_dashboard, DashboardName=f"{prefix}a")
    assert error.response["Error"]["Code"] == "ResourceNotFound"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error.response["Error"]["Message"] == f"Dashboard {prefix}a does not exist"
    assert [e["DashboardName"] for e in cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]] == [
        f"{prefix}b"]


def test_delete_removes_every_existing_name_and_passes_over_unknown_ones(server, protocol, prefix):
    """Source: the current CloudWatch API model (botocore's cloudwatch service model, DeleteDashboards'
    documentation): "Deletes all dashboards that you specify. You can specify up to 100 dashboards to delete. If
    there is an error during this call, the operation attempts to delete as many dashboards as possible." That model
    lists no not-found error for DeleteDashboards (older documentation said no dashboard is deleted on an error; no
    recording of real AWS settles it). So an unknown name among known ones: the known ones are deleted, and the call
    succeeds."""
    cw = client(server, protocol)
    for name in ("d1", "d2", "keep"):
        cw.put_dashboard(DashboardName=f"{prefix}{name}", DashboardBody=EMPTY)
    reply = cw.delete_dashboards(DashboardNames=[f"{prefix}d1", f"{prefix}nope", f"{prefix}d2"])
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [e["DashboardName"] for e in cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]] == [
        f"{prefix}keep"]
    # Only unknown names (or ones someone else already deleted): nothing to do, still a success.
    reply = cw.delete_dashboards(DashboardNames=[f"{prefix}d1", f"{prefix}nope"])
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert len(cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]) == 1


def test_delete_refuses_an_empty_list(server, protocol, prefix):
    """Inferred, not recorded: the model marks DashboardNames required (with no minimum length) and AWS's answer to
    an empty list is not recorded anywhere. CloudWatch answers PutMetricData's empty MetricData with MissingParameter
    "The parameter MetricData is required.", so DeleteDashboards' empty DashboardNames gets the same form. boto3
    sends `{"DashboardNames": []}` in JSON and CBOR, and `DashboardNames=` in the query protocol."""
    cw = client(server, protocol)
    cw.put_dashboard(DashboardName=f"{prefix}stay", DashboardBody=EMPTY)
    error = error_of(cw.delete_dashboards, DashboardNames=[])
    assert error.response["Error"]["Code"] == "MissingParameter"
    assert error.response["Error"]["Message"] == "The parameter DashboardNames is required."
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert len(cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]) == 1


def test_delete_takes_at_most_100_names(server, protocol, prefix):
    """The model's documentation: "You can specify up to 100 dashboards to delete." It names no error for more, so
    Skywatch refuses 101 with InvalidParameterValue (the operation's modelled validation error) and deletes none."""
    cw = client(server, protocol)
    cw.put_dashboard(DashboardName=f"{prefix}0", DashboardBody=EMPTY)
    error = error_of(cw.delete_dashboards, DashboardNames=[f"{prefix}{i}" for i in range(101)])
    assert error.response["Error"]["Code"] == "InvalidParameterValue"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert len(cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]) == 1
    cw.delete_dashboards(DashboardNames=[f"{prefix}{i}" for i in range(100)])
    assert cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"] == []


def test_invalid_body_names_every_data_path(server, protocol, prefix):
    cw = client(server, protocol)
    body = json.dumps({"widgets": [
        {"type": "metric", "width": 30, "properties": {}},
        {"type": "text", "properties": {"markdown": "ok"}},
        {"type": "explorer", "properties": {}},
    ]})
    error = error_of(cw.put_dashboard, DashboardName=f"{prefix}bad", DashboardBody=body)
    assert error.response["Error"]["Code"] == "InvalidParameterInput"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    messages = error.response["dashboardValidationMessages"]
    assert [m["DataPath"] for m in messages] == ["/widgets/0/width", "/widgets/0/properties", "/widgets/2/type"]
    assert messages[1]["Message"] == "Should have required property 'metrics'"
    assert error.response["Error"]["Message"].startswith("The dashboard body is invalid, there are 3 validation errors:")
    error = error_of(cw.put_dashboard, DashboardName=f"{prefix}bad", DashboardBody="not json")
    assert error.response["dashboardValidationMessages"][0]["Message"] == "The field DashboardBody must be a valid JSON object"
    assert cw.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"] == []


@pytest.mark.parametrize("name", ["has space", "dot.ted", "x" * 256, "ünï"])
def test_bad_names_are_refused(server, protocol, prefix, name):
    cw = client(server, protocol)
    error = error_of(cw.put_dashboard, DashboardName=name, DashboardBody=EMPTY)
    assert error.response["Error"]["Code"] == "InvalidParameterValue"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    error = error_of(cw.list_dashboards, DashboardNamePrefix="bad/prefix")
    assert error.response["Error"]["Code"] == "InvalidParameterValue"
