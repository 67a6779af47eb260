"""X-Ray ingest (issue 12), end to end with real clients: the aws-xray-sdk recorder sends segments through the
daemon's UDP protocol, boto3 sends PutTraceSegments, and boto3's batch_get_traces reads the traces back, with
subsegments sent on their own put back under their parents; get_trace_summaries finds them with filter
expressions once they are summarized."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import botocore.exceptions
import pytest
from aws_xray_sdk.core.recorder import AWSXRayRecorder

KEY = "AKIDEXAMPLE"


def wait_for_trace(xray, trace_id: str, segments: int, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        traces = xray.batch_get_traces(TraceIds=[trace_id])["Traces"]
        if traces and len(traces[0]["Segments"]) >= segments:
            return traces[0]
        time.sleep(0.2)
    raise AssertionError(f"trace {trace_id} did not arrive with {segments} segments")


def test_the_xray_sdk_sends_segments_through_the_daemon_port(server):
    recorder = AWSXRayRecorder()
    recorder.configure(daemon_address=f"127.0.0.1:{server.xray_udp_port}", sampling=False,
                       context_missing="LOG_ERROR", service="compat-orders")
    segment = recorder.begin_segment("compat-orders")
    segment.put_annotation("customer", "alice")
    segment.put_metadata("cart", {"items": 3}, "shop")
    segment.put_http_meta("method", "POST")
    segment.put_http_meta("url", "http://shop.local/orders")
    subsegment = recorder.begin_subsegment("payments", namespace="remote")
    subsegment.put_http_meta("status", 502)
    try:
        raise ValueError("card declined")
    except ValueError as error:
        subsegment.add_exception(error, stack=[])
    recorder.end_subsegment()
    segment.put_http_meta("status", 500)
    recorder.end_segment()

    xray = server.client("xray", key=KEY)
    trace = wait_for_trace(xray, segment.trace_id, 1)
    document = json.loads(trace["Segments"][0]["Document"])
    assert document["name"] == "compat-orders"
    assert document["annotations"] == {"customer": "alice"}
    assert document["metadata"]["shop"]["cart"] == {"items": 3}
    assert document["fault"] is True
    payments = document["subsegments"][0]
    assert (payments["name"], payments["namespace"], payments["fault"]) == ("payments", "remote", True)
    assert payments["cause"]["exceptions"][0]["message"] == "card declined"
    assert trace["Duration"] >= 0

    summary = wait_for_summary(xray, segment.trace_id, 'annotation.customer = "alice" AND service("payments") { fault }')
    assert summary["HasFault"] is True and summary["Http"]["HttpStatus"] == 500
    assert summary["Http"]["HttpMethod"] == "POST"
    assert summary["EntryPoint"]["Name"] == "compat-orders"
    names = sorted(s["Name"] for s in summary["ServiceIds"])
    assert names == ["compat-orders", "payments"]
    assert summary["Annotations"]["customer"][0]["AnnotationValue"] == {"StringValue": "alice"}
    cause = summary["FaultRootCauses"][0]["Services"][0]
    assert cause["Name"] == "payments" and cause["Inferred"] is True
    none = xray.get_trace_summaries(StartTime=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5),
                                    EndTime=dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1),
                                    FilterExpression='annotation.customer = "bob"')
    assert segment.trace_id not in [t["Id"] for t in none["TraceSummaries"]]
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        xray.get_trace_summaries(StartTime=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5),
                                 EndTime=dt.datetime.now(dt.timezone.utc), FilterExpression="fault ==")
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    assert "Invalid filter expression" in refused.value.response["Error"]["Message"]


def wait_for_summary(xray, trace_id: str, expression: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = dt.datetime.now(dt.timezone.utc)
        page = xray.get_trace_summaries(StartTime=now - dt.timedelta(minutes=5), EndTime=now + dt.timedelta(minutes=1),
                                        FilterExpression=expression)
        for summary in page["TraceSummaries"]:
            if summary["Id"] == trace_id:
                return summary
        time.sleep(0.5)
    raise AssertionError(f"no summary of {trace_id} matched {expression}")


def test_put_trace_segments_reports_bad_documents_and_assembles_loose_subsegments(server):
    xray = server.client("xray", key=KEY)
    trace_id = f"1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"
    now = time.time()
    segment = {"trace_id": trace_id, "id": "a1b2c3d4e5f60718", "name": "gateway", "start_time": now,
               "end_time": now + 0.2}
    loose = {"type": "subsegment", "trace_id": trace_id, "parent_id": "a1b2c3d4e5f60718", "id": "0102030405060708",
             "name": "orders", "namespace": "remote", "start_time": now + 0.01, "end_time": now + 0.15}
    reply = xray.put_trace_segments(TraceSegmentDocuments=[
        json.dumps(loose), json.dumps(segment), "{not json", json.dumps({**segment, "id": "zz"})])
    codes = sorted(u["ErrorCode"] for u in reply["UnprocessedTraceSegments"])
    assert codes == ["InvalidId", "ParseError"]
    trace = wait_for_trace(xray, trace_id, 1)
    assert len(trace["Segments"]) == 1
    document = json.loads(trace["Segments"][0]["Document"])
    assert document["subsegments"][0]["id"] == "0102030405060708"
    assert trace["Duration"] == pytest.approx(0.2, abs=0.001)
    missing = xray.batch_get_traces(TraceIds=[f"1-{int(now):08x}-{'0' * 24}"])
    assert missing["Traces"] == [] and len(missing["UnprocessedTraceIds"]) == 1


def test_a_request_without_documents_is_refused_as_x_ray_refuses_it(server):
    xray = server.client("xray", key=KEY, parameter_validation=False)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        xray.put_trace_segments(TraceSegmentDocuments=[{"not": "a string"}])
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_get_service_graph_draws_callers_callees_and_inferred_nodes(server):
    xray = server.client("xray", key=KEY)
    now = time.time()
    trace_id = f"1-{int(now):08x}-{uuid.uuid4().hex[:24]}"
    prefix = uuid.uuid4().hex[:6]
    gateway, orders = f"{prefix}-gateway", f"{prefix}-orders"
    documents = [
        {"trace_id": trace_id, "id": "1000000000000001", "name": gateway, "origin": "AWS::EC2::Instance",
         "start_time": now, "end_time": now + 0.12, "http": {"response": {"status": 500}},
         "subsegments": [{"id": "1000000000000002", "name": orders, "namespace": "remote", "start_time": now + 0.01,
                          "end_time": now + 0.11, "http": {"response": {"status": 500}}}]},
        {"trace_id": trace_id, "id": "1000000000000003", "parent_id": "1000000000000002", "name": orders,
         "start_time": now + 0.02, "end_time": now + 0.1, "fault": True,
         "subsegments": [{"id": "1000000000000004", "name": "DynamoDB", "namespace": "aws", "start_time": now + 0.03,
                          "end_time": now + 0.04, "aws": {"operation": "GetItem", "table_name": f"{prefix}-carts"}}]},
    ]
    assert xray.put_trace_segments(TraceSegmentDocuments=[json.dumps(d) for d in documents])[
        "UnprocessedTraceSegments"] == []
    wait_for_summary(xray, trace_id, f'service("{orders}")')
    graph = xray.get_service_graph(StartTime=dt.datetime.fromtimestamp(now - 60, dt.timezone.utc),
                                   EndTime=dt.datetime.fromtimestamp(now + 60, dt.timezone.utc))
    mine = {(s["Name"], s.get("Type")): s for s in graph["Services"] if s["Name"].startswith(prefix)}
    assert set(mine) == {(gateway, "client"), (gateway, "AWS::EC2::Instance"), (orders, None),
                         (f"{prefix}-carts", "AWS::DynamoDB::Table")}
    by_ref = {s["ReferenceId"]: s for s in graph["Services"]}
    root = mine[(gateway, "AWS::EC2::Instance")]
    assert root["Root"] is True and root["State"] == "active"
    assert root["SummaryStatistics"]["FaultStatistics"]["TotalCount"] == 1
    [to_orders] = root["Edges"]
    assert by_ref[to_orders["ReferenceId"]]["Name"] == orders
    assert to_orders["SummaryStatistics"]["TotalCount"] == 1
    assert to_orders["ResponseTimeHistogram"] == [{"Value": 0.1, "Count": 1}]
    client = mine[(gateway, "client")]
    assert client["State"] == "unknown" and "SummaryStatistics" not in client
    assert by_ref[client["Edges"][0]["ReferenceId"]] is root
    carts = mine[(f"{prefix}-carts", "AWS::DynamoDB::Table")]
    assert carts["State"] == "unknown" and carts["SummaryStatistics"]["OkCount"] == 1

    trace_graph = xray.get_trace_graph(TraceIds=[trace_id])
    assert {s["Name"] for s in trace_graph["Services"]} == {gateway, orders, f"{prefix}-carts"}

    series = xray.get_time_series_service_statistics(
        StartTime=dt.datetime.fromtimestamp(now - 120, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(now + 60, dt.timezone.utc),
        EntitySelectorExpression=f'service("{orders}")', Period=60, ForecastStatistics=True)
    points = series["TimeSeriesServiceStatistics"]
    assert sum(p["ServiceSummaryStatistics"]["FaultStatistics"]["TotalCount"] for p in points) == 1
    assert all("ServiceForecastStatistics" in p for p in points)


def test_the_sdk_samples_by_centralized_rules_from_the_daemon_port(server):
    xray = server.client("xray", key=KEY)
    name = f"compat-none-{uuid.uuid4().hex[:6]}"
    service = f"quiet-{uuid.uuid4().hex[:6]}"
    created = xray.create_sampling_rule(SamplingRule={
        "RuleName": name, "ResourceARN": "*", "Priority": 1, "FixedRate": 0.0, "ReservoirSize": 0,
        "ServiceName": service, "ServiceType": "*", "Host": "*", "HTTPMethod": "*", "URLPath": "*", "Version": 1})
    assert created["SamplingRuleRecord"]["SamplingRule"]["RuleARN"].endswith(f":sampling-rule/{name}")
    rules = [r["SamplingRule"]["RuleName"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]]
    assert rules[-1] == "Default" and name in rules

    recorder = AWSXRayRecorder()
    recorder.configure(daemon_address=f"127.0.0.1:{server.xray_udp_port}", context_missing="LOG_ERROR",
                       service=service)
    request = {"service": service, "method": "GET", "path": "/", "host": "shop.local"}
    recorder.sampler.should_trace(request)  # starts the SDK's pollers, which fetch the rules from the daemon port
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if any(r.name == name for r in recorder.sampler._cache.rules):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the SDK never fetched the rules from the daemon port")
    assert not any(recorder.sampler.should_trace(request) for _ in range(20)), "rate 0 and no reservoir"
    other = {**request, "service": f"busy-{uuid.uuid4().hex[:6]}"}
    assert recorder.sampler.should_trace(other), "Default borrows one a second"

    targets = xray.get_sampling_targets(SamplingStatisticsDocuments=[{
        "RuleName": "Default", "ClientID": "a" * 24, "Timestamp": dt.datetime.now(dt.timezone.utc),
        "RequestCount": 10, "SampledCount": 1, "BorrowCount": 1}])
    [target] = targets["SamplingTargetDocuments"]
    assert (target["RuleName"], target["ReservoirQuota"], target["Interval"]) == ("Default", 1, 10)
    assert target["FixedRate"] == 0.05
    xray.delete_sampling_rule(RuleName=name)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        xray.delete_sampling_rule(RuleName="Default")
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"


def test_groups_with_filter_expressions(server):
    xray = server.client("xray", key=KEY)
    name = f"slow-{uuid.uuid4().hex[:6]}"
    created = xray.create_group(GroupName=name, FilterExpression="responsetime > 5",
                                InsightsConfiguration={"InsightsEnabled": False})["Group"]
    assert created["GroupName"] == name and created["FilterExpression"] == "responsetime > 5"
    assert created["GroupARN"].startswith(f"arn:aws:xray:us-east-1:000000000000:group/{name}/")
    names = [g["GroupName"] for g in xray.get_groups()["Groups"]]
    assert names[0] == "Default" and name in names
    assert xray.get_group(GroupARN=created["GroupARN"])["Group"]["GroupName"] == name
    updated = xray.update_group(GroupName=name, FilterExpression="fault")["Group"]
    assert updated["FilterExpression"] == "fault"
    now = dt.datetime.now(dt.timezone.utc)
    graph = xray.get_service_graph(StartTime=now - dt.timedelta(minutes=5), EndTime=now, GroupName=name)
    assert graph["ContainsOldGroupVersions"] is False
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        xray.create_group(GroupName=f"bad-{uuid.uuid4().hex[:6]}", FilterExpression="fault ==")
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    xray.delete_group(GroupName=name)
    assert name not in [g["GroupName"] for g in xray.get_groups()["Groups"]]
