"""OpenTelemetry into X-Ray (issue 12): the OpenTelemetry Python SDK's OTLP/HTTP exporter sends spans to
/v1/traces, signed with SigV4 for xray on the API port (as X-Ray's own OTLP endpoint takes them) and unsigned on
the daemon port (as a local collector takes them); boto3 reads them back as segments, summaries and the service
graph. Raw requests check OTLP/HTTP's replies: JSON bodies, partial success, and refusals as google.rpc.Status."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
import uuid

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

from conftest import SECRETS

KEY = "AKIDEXAMPLE"


class SigV4Session(requests.Session):
    """Signs each request for X-Ray, as AWS's OpenTelemetry distributions sign OTLP exports."""

    def request(self, method, url, data=None, headers=None, **kwargs):
        aws = AWSRequest(method=method, url=url, data=data, headers=dict(headers or {}))
        SigV4Auth(Credentials(KEY, SECRETS[KEY]), "xray", "us-east-1").add_auth(aws)
        return super().request(method, url, data=data, headers=dict(aws.headers.items()), **kwargs)


def provider(service: str, endpoint: str, session=None, compression=Compression.NoCompression) -> TracerProvider:
    resource = Resource.create({"service.name": service, "cloud.provider": "aws", "cloud.platform": "aws_ecs",
                                "aws.ecs.launchtype": "fargate", "service.version": "1.4.2"})
    tracer_provider = TracerProvider(resource=resource)
    exporter = OTLPSpanExporter(endpoint=endpoint, session=session, compression=compression, timeout=10)
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    return tracer_provider


def xray_trace_id(span) -> str:
    hex_id = format(span.get_span_context().trace_id, "032x")
    return f"1-{hex_id[:8]}-{hex_id[8:]}"


def wait_for(fetch, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = fetch()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what} did not arrive")


def window():
    now = dt.datetime.now(dt.timezone.utc)
    return {"StartTime": now - dt.timedelta(minutes=5), "EndTime": now + dt.timedelta(minutes=1)}


def test_the_opentelemetry_sdk_exports_spans_that_read_back_as_segments(server):
    tag = uuid.uuid4().hex[:6]
    gateway_name, orders_name = f"otel-gateway-{tag}", f"otel-orders-{tag}"
    endpoint = server.endpoint + "/v1/traces"
    gateway = provider(gateway_name, endpoint, SigV4Session()).get_tracer("shop")
    # The second service compresses its exports, as collectors are usually configured to.
    orders = provider(orders_name, endpoint, SigV4Session(), Compression.Gzip).get_tracer("shop")

    with gateway.start_as_current_span("GET /checkout", kind=SpanKind.SERVER, attributes={
        "http.request.method": "GET", "url.scheme": "http", "server.address": "shop.local", "url.path": "/checkout",
        "http.response.status_code": 500, "aws.xray.annotations": ["customer"], "customer": "alice",
    }) as root:
        with gateway.start_as_current_span("POST", kind=SpanKind.CLIENT, attributes={
            "http.request.method": "POST", "url.full": "http://orders:8080/orders", "server.address": "orders",
            "peer.service": orders_name, "http.response.status_code": 500,
        }) as call:
            with orders.start_as_current_span("POST /orders", kind=SpanKind.SERVER, attributes={
                "http.request.method": "POST", "url.path": "/orders", "http.response.status_code": 500,
            }) as handler:
                with orders.start_as_current_span("reserve stock", kind=SpanKind.INTERNAL):
                    pass
                try:
                    raise RuntimeError("inventory unavailable")
                except RuntimeError as error:
                    handler.record_exception(error)
                    handler.set_status(Status(StatusCode.ERROR, "inventory unavailable"))
    trace_id = xray_trace_id(root)

    xray = server.client("xray", key=KEY)
    # Subsegments sent on their own come back under their parents: two segments, one subsegment in each.
    found = wait_for(lambda: [t for t in xray.batch_get_traces(TraceIds=[trace_id])["Traces"]
                              if len(t["Segments"]) == 2 and all("subsegments" in s["Document"] for s in t["Segments"])],
                     "the two segments with their subsegments")
    documents = {json.loads(s["Document"])["name"]: json.loads(s["Document"]) for s in found[0]["Segments"]}
    gateway_doc, handler_doc = documents[gateway_name], documents[orders_name]
    assert gateway_doc["origin"] == "AWS::ECS::Fargate"
    assert gateway_doc["http"]["request"] == {"method": "GET", "url": "http://shop.local/checkout"}
    assert gateway_doc["annotations"] == {"customer": "alice"}
    assert gateway_doc["service"] == {"version": "1.4.2"}
    assert gateway_doc["metadata"]["default"]["otel.resource.service.name"] == gateway_name
    client = gateway_doc["subsegments"][0]
    assert (client["name"], client["namespace"], client["fault"]) == (orders_name, "remote", True)
    assert handler_doc["parent_id"] == client["id"]
    assert handler_doc["fault"] is True
    exception = handler_doc["cause"]["exceptions"][0]
    assert (exception["type"], exception["message"]) == ("RuntimeError", "inventory unavailable")
    assert exception["stack"][0]["path"].endswith("test_xray_otlp.py")
    assert exception["stack"][0]["label"] == "test_the_opentelemetry_sdk_exports_spans_that_read_back_as_segments"
    local = handler_doc["subsegments"][0]
    assert local["name"] == "reserve stock" and "namespace" not in local

    summary = wait_for(lambda: xray.get_trace_summaries(
        **window(), FilterExpression=f'service("{orders_name}") {{ fault }} AND annotation.customer = "alice"'
    )["TraceSummaries"], "the summary")[0]
    assert summary["Id"] == trace_id
    assert summary["EntryPoint"]["Name"] == gateway_name
    assert summary["HasFault"] is True
    graph = xray.get_service_graph(**window())
    nodes = {s["Name"]: s for s in graph["Services"] if s.get("Name") in (gateway_name, orders_name)}
    assert set(nodes) == {gateway_name, orders_name}
    assert nodes[gateway_name]["Type"] == "AWS::ECS::Fargate"
    edge_targets = [e["ReferenceId"] for e in nodes[gateway_name]["Edges"]]
    assert nodes[orders_name]["ReferenceId"] in edge_targets


def test_unsigned_exports_go_to_the_daemon_port_not_the_api_port(server):
    tag = uuid.uuid4().hex[:6]
    name = f"otel-local-{tag}"
    local = provider(name, f"http://127.0.0.1:{server.xray_udp_port}/v1/traces").get_tracer("local")
    with local.start_as_current_span("job", kind=SpanKind.SERVER) as span:
        pass
    xray = server.client("xray", key=KEY)
    found = wait_for(lambda: xray.batch_get_traces(TraceIds=[xray_trace_id(span)])["Traces"], "the local span")
    assert json.loads(found[0]["Segments"][0]["Document"])["name"] == name

    # The API port wants a signature: the exporter's plain request is refused with a google.rpc.Status.
    refused = requests.post(server.endpoint + "/v1/traces", data=b"", headers={"Content-Type": "application/x-protobuf"})
    assert refused.status_code == 403
    assert refused.headers["Content-Type"] == "application/x-protobuf"
    from google.rpc import status_pb2
    status = status_pb2.Status.FromString(refused.content)
    assert status.code == 7 and "MissingAuthenticationToken" in status.message


def post_signed(server, body: bytes, content_type: str) -> requests.Response:
    return SigV4Session().post(server.endpoint + "/v1/traces", data=body, headers={"Content-Type": content_type})


def test_json_exports_partial_success_and_refusals(server):
    tag = uuid.uuid4().hex[:6]
    trace_hex = uuid.uuid4().hex
    start = time.time_ns()
    span = {"traceId": trace_hex, "spanId": "00000000000000a1", "name": "GET /", "kind": 2,
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 5_000_000),
            "attributes": [{"key": "http.response.status_code", "value": {"intValue": "404"}}]}
    bad = dict(span, spanId="abcd")
    body = {"resourceSpans": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": f"otel-json-{tag}"}}]},
        "scopeSpans": [{"spans": [span, bad]}]}]}
    reply = post_signed(server, json.dumps(body).encode(), "application/json")
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json()["partialSuccess"]["rejectedSpans"] == "1"
    xray = server.client("xray", key=KEY)
    trace_id = f"1-{trace_hex[:8]}-{trace_hex[8:]}"
    found = wait_for(lambda: xray.batch_get_traces(TraceIds=[trace_id])["Traces"], "the JSON span")
    doc = json.loads(found[0]["Segments"][0]["Document"])
    assert (doc["name"], doc["error"], doc["http"]["response"]["status"]) == (f"otel-json-{tag}", True, 404)

    garbage = post_signed(server, b"\xff\xff\xff\xff", "application/x-protobuf")
    assert garbage.status_code == 400
    wrong_type = post_signed(server, b"{}", "text/plain")
    assert wrong_type.status_code == 415
    assert "application/x-protobuf" in wrong_type.json()["message"]
    assert requests.get(server.endpoint + "/v1/traces").status_code == 405
