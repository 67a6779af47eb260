"""X-Ray ingest (issue 12), end to end with real clients: the aws-xray-sdk recorder sends segments through the
daemon's UDP protocol, boto3 sends PutTraceSegments, and boto3's batch_get_traces reads the traces back, with
subsegments sent on their own put back under their parents."""

from __future__ import annotations

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
