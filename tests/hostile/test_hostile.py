"""Issue 10: the hostile-request corpus. Every request below is sent over raw TCP to the release server binary, in
both auth modes (unsigned to a `--auth none` server, signed with a real key to a `--auth sigv4` one): bombs, deep
nesting, huge numbers and ranges, invalid UTF-8, bad dates, wrong content types, cross-site requests, traversal
paths, malformed HTTP, and stored XSS in every user-supplied text the console shows. Each must be answered below
500 within the deadline; afterwards both servers are alive and answer correctly, and no console page carries a
payload as markup."""

from __future__ import annotations

import base64
import gzip
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REPO = Path(__file__).resolve().parents[2]
KEY, SECRET = "AKIDEXAMPLE", "secret"
CW = "GraniteServiceVersion20100801"
DEADLINE = 20.0

# Stored XSS payloads: distinctive, so their raw form in a page is a finding.
XSS_SCRIPT = '<script>alert("xss-script")</script>'
XSS_IMG = '"><img src=x onerror=alert("xss-img")>'
XSS = XSS_SCRIPT + XSS_IMG


# ------------------------------------------------------------------------------------------------ servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path
    signed: bool
    answered: list = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.endpoint}/healthz", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def client(self, service: str):
        session = boto3.Session(aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1")
        config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
        return session.client(service, endpoint_url=self.endpoint, config=config)


def start(name: str, tmp: Path, auth: str) -> Server:
    binary = Path(os.environ.get("SKYWATCH_BIN", "target/release/skywatch"))
    binary = binary if binary.is_absolute() else REPO / binary
    port = free_port()
    # Deadlines shorter than the defaults, so a stalled body is cut off well within the corpus's own deadline.
    args = [str(binary), "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(tmp / name), "--auth", auth,
            "--header-timeout-secs", "5", "--body-timeout-secs", "5"]
    if auth == "sigv4":
        args += ["--access-key", f"{KEY}:{SECRET}"]
    log_path = tmp / f"{name}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKYWATCH_")}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp)
    server = Server(name, port, process, log_path, signed=auth == "sigv4")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text(errors="replace")
        if server.alive():
            return server
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not start:\n{log_path.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def servers():
    with tempfile.TemporaryDirectory(prefix="skywatch-hostile-") as tmp:
        tmp = Path(tmp)
        running = [start("none", tmp, "none"), start("sigv4", tmp, "sigv4")]
        try:
            yield running
        finally:
            for server in running:
                if server.process.poll() is None:
                    server.process.send_signal(signal.SIGTERM)
                    try:
                        server.process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        server.process.kill()


# ------------------------------------------------------------------------------------------------ raw HTTP

def send_raw(server: Server, data: bytes) -> tuple[int | None, bytes, float]:
    """Writes `data`, reads until the server closes; (status, response, seconds)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before a huge body is sent
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    response = b"".join(chunks)
    status = None
    if response.startswith(b"HTTP/1."):
        try:
            status = int(response.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = None
    return status, response, time.monotonic() - started


def request_bytes(method: str, path: str, headers: dict, body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1"]
    lowered = {k.lower() for k in headers}
    for name, value in headers.items():
        lines.append(f"{name}: {value}")
    if "content-length" not in lowered and "transfer-encoding" not in lowered:
        lines.append(f"Content-Length: {len(body)}")
    if "connection" not in lowered:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def signed_headers(server: Server, method: str, path: str, headers: dict, body: bytes, service: str) -> dict:
    request = AWSRequest(method=method, url=f"{server.endpoint}{path}", data=body, headers=dict(headers))
    SigV4Auth(Credentials(KEY, SECRET), service, "us-east-1").add_auth(request)
    return dict(request.headers.items())


@dataclass
class Case:
    name: str
    method: str = "POST"
    path: str = "/"
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    service: str | None = None  # sign for this service on the sigv4 server
    expect: tuple = ()  # statuses the case must get (besides "below 500"); empty: any answer below 500
    raw: bytes | None = None  # a hand-made request, sent as is (the Host is filled in)
    host: str | None = None

    def bytes_for(self, server: Server) -> bytes:
        if self.raw is not None:
            return self.raw.replace(b"{HOST}", f"127.0.0.1:{server.port}".encode())
        headers = {"Host": self.host or f"127.0.0.1:{server.port}", **self.headers}
        if server.signed and self.service:
            headers = signed_headers(server, self.method, self.path, headers, self.body, self.service)
        return request_bytes(self.method, self.path, headers, self.body)


# ------------------------------------------------------------------------------------------------ the corpus

def form(params: dict | list) -> bytes:
    from urllib.parse import urlencode
    return urlencode(params).encode()


def query(action: str, extra: dict | list = (), version: str = "2010-08-01") -> Case:
    params = [("Action", action), ("Version", version)] + list(dict(extra).items() if isinstance(extra, dict) else extra)
    return Case(f"query {action} {list(dict(params).keys())[2:4]}", headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, body=form(params), service="monitoring")


def cw_json(operation: str, body: bytes | dict, name: str = "") -> Case:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Case(f"json {operation} {name}", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"{CW}.{operation}", "x-amzn-query-mode": "true",
    }, body=data, service="monitoring")


def trail(operation: str, body: bytes | dict, name: str = "") -> Case:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Case(f"cloudtrail {operation} {name}", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.{operation}",
    }, body=data, service="cloudtrail")


def cfg(operation: str, body: bytes | dict, name: str = "") -> Case:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Case(f"config {operation} {name}", headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"StarlingDoveService.{operation}",
    }, body=data, service="config")


def cbor(operation: str, body: bytes, name: str) -> Case:
    return Case(f"cbor {operation} {name}", path=f"/service/{CW}/operation/{operation}", headers={
        "Content-Type": "application/cbor", "Accept": "application/cbor", "smithy-protocol": "rpc-v2-cbor",
    }, body=body, service="monitoring")


def console(fn: str, body: bytes | dict, content_type: str = "application/json", name: str = "",
            headers_extra: dict | None = None, **kw) -> Case:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": content_type, **(headers_extra or {})}
    return Case(f"console {fn} {name}", path=f"/api/{fn}", headers=headers, body=data, **kw)


def xray(path: str, body: bytes | dict, name: str = "") -> Case:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Case(f"xray {path} {name}", path=path, headers={"Content-Type": "application/json"}, body=data,
                service="xray")


def pb(field_number: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field."""
    def varint(n: int) -> bytes:
        out = b""
        while True:
            byte, n = n & 0x7F, n >> 7
            out += bytes([byte | (0x80 if n else 0)])
            if not n:
                return out
    return varint(field_number << 3 | 2) + varint(len(payload)) + payload


def otlp_spans(*spans: bytes) -> bytes:
    """An ExportTraceServiceRequest holding `spans` (encoded Span messages) in one resource and scope."""
    return pb(1, pb(2, b"".join(pb(2, span) for span in spans)))


def otlp(body: bytes, name: str, content_type: str = "application/x-protobuf", expect: tuple = (),
         **headers) -> Case:
    return Case(f"otlp {name}", path="/v1/traces", headers={"Content-Type": content_type, **headers}, body=body,
                service="xray", expect=expect)


def nested(depth: int, leaf="1") -> str:
    return "[" * depth + leaf + "]" * depth


def gzip_bomb(mebibytes: int, prefix: bytes) -> bytes:
    out = gzip.compress(prefix + b"0" * (mebibytes << 20), compresslevel=9)
    assert len(out) < 1 << 20
    return out


def now_s() -> int:
    return int(time.time())


DATUM = {"Namespace": "Hostile", "MetricData": [{"MetricName": "M", "Value": 1}]}
STAT = {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "Hostile", "MetricName": "M"}, "Period": 60, "Stat": "Sum"}}


def metric_data(queries: list, start=None, end=None, **extra) -> dict:
    return {"MetricDataQueries": queries, "StartTime": start if start is not None else now_s() - 3600,
            "EndTime": end if end is not None else now_s(), **extra}


def expr(text: str, id_: str = "e1") -> dict:
    return {"Id": id_, "Expression": text}


def cases() -> list[Case]:
    c: list[Case] = []
    # --- CloudWatch query protocol
    c.append(query("PutMetricData", {"Namespace": "Hostile", "MetricData.member.1.MetricName": "M",
                                     "MetricData.member.1.Value": "1e400"}))
    c.append(query("PutMetricData", {"Namespace": "Hostile", "MetricData.member.1.MetricName": "M",
                                     "MetricData.member.1.Value": "NaN"}))
    c.append(query("PutMetricData", [("Namespace", "Hostile")] + [
        (f"MetricData.member.{i}.MetricName", "M") for i in range(1, 2001)]))
    c.append(query("PutMetricData", {"Namespace": "Hostile", "MetricData.member.99999999999999999999.MetricName": "M"}))
    c.append(query("PutMetricData", {".".join(["A"] * 1000): "x"}))
    c.append(query("PutMetricData", {"Namespace": "Hostile", "MetricData.member.1.MetricName": "M",
                                     "MetricData.member.1.Timestamp": "2025-13-45T99:99:99Z"}))
    c.append(query("PutMetricData", {"Namespace": "Hostile", "MetricData.member.1.MetricName": "M",
                                     "MetricData.member.1.Timestamp": "yesterday"}))
    c.append(query("PutMetricData", {"Namespace": "Hostile", "MetricData.member.1.MetricName": "M",
                                     "MetricData.member.1.Timestamp": "1e300"}))
    c.append(query("GetMetricStatistics", {"Namespace": "Hostile", "MetricName": "M", "Period": "1",
                                           "StartTime": "1970-01-01T00:00:00Z", "EndTime": "9999-12-31T23:59:59Z",
                                           "Statistics.member.1": "Sum"}))
    c.append(query("GetMetricStatistics", {"Namespace": "Hostile", "MetricName": "M",
                                           "Period": "99999999999999999999999", "StartTime": "0", "EndTime": "1",
                                           "Statistics.member.1": "Sum"}))
    c.append(query("GetMetricData", {"MetricDataQueries.member.1.Id": "e1",
                                     "MetricDataQueries.member.1.Expression": "[" + ",".join(["METRICS()"] * 400) + "]",
                                     "StartTime": "2020-01-01T00:00:00Z", "EndTime": "2030-01-01T00:00:00Z"}))
    c.append(query("GetMetricData", {"MetricDataQueries.member.1.Id": "m1",
                                     "MetricDataQueries.member.1.MetricStat.Metric.Namespace": "Hostile",
                                     "MetricDataQueries.member.1.MetricStat.Metric.MetricName": "M",
                                     "MetricDataQueries.member.1.MetricStat.Period": "1",
                                     "MetricDataQueries.member.1.MetricStat.Stat": "Sum",
                                     "StartTime": "2025-01-01T00:00:00Z", "EndTime": "9999-12-31T00:00:00Z"}))
    c.append(query("GetMetricData", {"MetricDataQueries.member.1.Id": "e1", "MaxDatapoints": "-5",
                                     "MetricDataQueries.member.1.Expression": "1",
                                     "StartTime": "2025-01-01T00:00:00Z", "EndTime": "2025-01-02T00:00:00Z"}))
    c.append(query("ListMetrics", {"NextToken": "A" * 100_000}))
    c.append(query("ListMetrics", {"Namespace": "%ff%fe\udcff".encode("utf-8", "surrogateescape").decode("latin-1")}))
    c.append(Case("query invalid UTF-8", headers={"Content-Type": "application/x-www-form-urlencoded"},
                  body=b"Action=ListMetrics&Version=2010-08-01&Namespace=%FF%FE%80", service="monitoring"))
    c.append(Case("query raw invalid UTF-8", headers={"Content-Type": "application/x-www-form-urlencoded"},
                  body=b"Action=ListMetrics&Version=2010-08-01&Namespace=\xff\xfe", service="monitoring"))
    c.append(query("../../etc/passwd"))
    c.append(query("DeleteDashboards", {"DashboardNames.member.1": "../../../../etc/passwd"}))
    c.append(query("PutDashboard", {"DashboardName": "x", "DashboardBody": "{" * 100_000}))
    c.append(query("GetMetricWidgetImage", {"MetricWidget": json.dumps(
        {"metrics": [["Hostile", "M"]], "start": "-P3000Y", "period": 1})}))
    c.append(query("GetMetricWidgetImage", {"MetricWidget": json.dumps(
        {"metrics": [["Hostile", "M"]], "width": 100000, "height": 100000})}))
    c.append(query("ListTopics", version="2010-03-31"))
    c.append(Case("query gzip bomb 64 MiB", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                    "Content-Encoding": "gzip"},
                  body=gzip_bomb(64, b"Action=ListMetrics&Version=2010-08-01&Namespace="), service="monitoring"))
    c.append(Case("query gzip garbage", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                "Content-Encoding": "gzip"}, body=b"\x1f\x8b\x08garbage",
                  service="monitoring"))
    c.append(Case("query unknown encoding", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                    "Content-Encoding": "br"}, body=b"xx", service="monitoring"))
    c.append(Case("text/plain form (CSRF)", headers={"Content-Type": "text/plain"},
                  body=b"Action=DeleteDashboards&Version=2010-08-01&DashboardNames.member.1=victim",
                  service="monitoring", expect=(400, 403)))
    # --- CloudWatch JSON 1.0
    c.append(cw_json("PutMetricData", b"{" * 5000, "unbalanced"))
    c.append(cw_json("PutMetricData", ('{"Namespace":' + nested(127, '"x"') + "}").encode(), "127-deep"))
    c.append(cw_json("PutMetricData", ('{"Namespace":' + nested(100_000) + "}").encode(), "100k-deep"))
    c.append(cw_json("PutMetricData", b'{"Namespace":"H","MetricData":[{"MetricName":"M","Value":1e999}]}', "1e999"))
    c.append(cw_json("PutMetricData", b'{"Namespace":"H","MetricData":[{"MetricName":"M","Value":"Infinity"}]}', "inf"))
    c.append(cw_json("PutMetricData", b'{"Namespace":12,"MetricData":"no"}', "wrong types"))
    c.append(cw_json("PutMetricData", b'{"Namespace":"\xff\xfe","MetricData":[]}', "invalid UTF-8"))
    c.append(cw_json("PutMetricData", b'{"Namespace":"H","Namespace":"I","MetricData":[]}', "duplicate keys"))
    c.append(cw_json("PutMetricData", {"Namespace": "H", "MetricData": [
        {"MetricName": "M", "Values": [1.0] * 100_000}]}, "100k values"))
    c.append(cw_json("PutMetricData", {"Namespace": "H", "MetricData": [
        {"MetricName": "M", "Value": 1, "Timestamp": 1e300}]}, "timestamp 1e300"))
    c.append(cw_json("PutMetricData", {"Namespace": "H", "MetricData": [
        {"MetricName": "M", "Value": 1, "Timestamp": -1e15}]}, "timestamp -1e15"))
    c.append(cw_json("PutMetricData", {"Namespace": "H", "MetricData": [
        {"MetricName": "M", "Value": 1, "Dimensions": [{"Name": f"d{i}", "Value": "v"} for i in range(5000)]}]},
        "5000 dimensions"))
    c.append(cw_json("PutMetricData", {"Namespace": "H", "MetricData": [
        {"MetricName": "M", "StatisticValues": {"SampleCount": -1, "Sum": 1e308, "Minimum": 5, "Maximum": -5}}]},
        "bad statistic set"))
    c.append(cw_json("GetMetricData", metric_data([STAT], start=-1e18, end=1e18), "range ±1e18"))
    c.append(cw_json("GetMetricData", metric_data([dict(STAT, MetricStat=dict(STAT["MetricStat"], Period=1))],
                                                  start=now_s() - 3600, end=4e10), "period 1 to year 3237"))
    c.append(cw_json("GetMetricData", metric_data([dict(STAT, MetricStat=dict(STAT["MetricStat"], Period=2**63))]),
                     "period 2^63"))
    c.append(cw_json("GetMetricData", metric_data([dict(STAT, MetricStat=dict(STAT["MetricStat"], Period=-60))]),
                     "period -60"))
    c.append(cw_json("GetMetricData", metric_data([dict(STAT, MetricStat=dict(STAT["MetricStat"], Period=60 << 50))]),
                     "period 60 x 2^50"))
    c.append(cw_json("GetMetricStatistics", {"Namespace": "Hostile", "MetricName": "M", "Period": 60 << 50,
                                             "StartTime": 0, "EndTime": 4e10, "Statistics": ["Sum"]},
                     "period 60 x 2^50"))
    c.append(cw_json("GetMetricData", metric_data([STAT] + [expr("[" + ",".join(["METRICS()"] * 500) + "]")]),
                     "METRICS bomb"))
    c.append(cw_json("GetMetricData", metric_data([expr("SEARCH('" + "NOT " * 500 + "x', 'Sum', 60)")]),
                     "NOT chain"))
    c.append(cw_json("GetMetricData", metric_data([expr("(" * 5000 + "1" + ")" * 5000)]), "paren bomb"))
    c.append(cw_json("GetMetricData", metric_data([expr("-" * 100_000 + "1")]), "negation bomb"))
    c.append(cw_json("GetMetricData", metric_data([expr("m1+" * 30_000 + "m1")]), "long chain"))
    c.append(cw_json("GetMetricData", metric_data([expr(" + ".join(
        ["SEARCH('Hostile', 'Sum', 60)"] * 60))]), "60 searches"))
    c.append(cw_json("GetMetricData", metric_data([expr(f"e{i + 1}", f"e{i}") for i in range(500)]),
                     "500-long dependency chain"))
    c.append(cw_json("GetMetricData", metric_data([expr(f"e{(i + 1) % 400}", f"e{i}") for i in range(400)]),
                     "cycle of 400"))
    c.append(cw_json("GetMetricData", metric_data([STAT] * 600), "600 queries"))
    c.append(cw_json("GetMetricData", metric_data([STAT], NextToken="\u0000" * 10_000), "NUL token"))
    c.append(cw_json("GetMetricData", metric_data([expr("FILL(m1, " + "9" * 400 + ")"), STAT]), "huge literal"))
    c.append(cw_json("GetMetricData", metric_data([expr("SLICE(METRICS(), 0, 1e300)"), STAT]), "slice 1e300"))
    c.append(cw_json("GetMetricData", metric_data([expr("RATE(m1) / 0 ^ 1e308"), STAT]), "overflowing math"))
    c.append(cw_json("GetMetricData", metric_data([expr("ANOMALY_DETECTION_BAND(m1, 1e308)"), STAT]), "band 1e308"))
    c.append(cw_json("ListMetrics", {"Dimensions": [{"Name": "x" * 1000} for _ in range(5000)]}, "5000 filters"))
    c.append(cw_json("ListMetrics", {"NextToken": base64.b64encode(b"metrics:" + b"\xff" * 1000).decode()}, "token"))
    c.append(cw_json("PutDashboard", {"DashboardName": XSS, "DashboardBody": "{}"}, "XSS name"))
    c.append(cw_json("PutDashboard", {"DashboardName": "big", "DashboardBody": "x" * (1 << 20)}, "1 MiB body"))
    c.append(cw_json("PutDashboard", {"DashboardName": "many", "DashboardBody": json.dumps({"widgets": [
        {"type": "text", "y": 0, "width": 1 + i % 5, "height": 1 + i % 3, "properties": {"markdown": "a"}}
        for i in range(500)]})}, "500 widgets in row 0"))
    c.append(cw_json("PutDashboard", {"DashboardName": "toomany", "DashboardBody": json.dumps({"widgets": [
        {"type": "text", "properties": {"markdown": "a"}} for _ in range(5000)]})}, "5000 widgets"))
    c.append(cw_json("PutDashboard", {"DashboardName": "deep", "DashboardBody": nested(126, "{}")}, "deep body"))
    c.append(cw_json("PutDashboard", {"DashboardName": "far", "DashboardBody": json.dumps({"widgets": [
        {"type": "text", "x": 0, "y": 4294967295, "width": 24, "height": 1000, "properties": {"markdown": "a"}}]})},
        "y at u32::MAX"))
    c.append(cw_json("PutDashboard", {"DashboardName": "../../etc/passwd", "DashboardBody": "{}"}, "traversal name"))
    c.append(cw_json("GetDashboard", {"DashboardName": "%2e%2e%2f%2e%2e"}, "encoded traversal"))
    c.append(cw_json("DeleteDashboards", {"DashboardNames": ["x"] * 100_000}, "100k names"))
    c.append(cw_json("GetMetricWidgetImage", {"MetricWidget": json.dumps({"metrics": [["H", "M"]] * 5000})},
                     "5000 rows"))
    c.append(cw_json("GetMetricWidgetImage", {"MetricWidget": json.dumps(
        {"metrics": [[{"expression": "[" + ",".join(["METRICS()"] * 300) + "]"}]] + [["H", f"M{i}"] for i in range(99)],
         "start": "-P14D", "period": 60})}, "widget METRICS bomb"))
    c.append(cw_json("GetMetricWidgetImage", {"MetricWidget": json.dumps(
        {"metrics": [["H", "M"]], "start": "-P99999999999999Y"})}, "start -P1e14Y"))
    c.append(cw_json("GetMetricWidgetImage", {"MetricWidget": nested(120, "{}")}, "deep widget"))
    c.append(cw_json("NoSuchOperation", {}, "unknown operation"))
    c.append(cw_json("PutAnomalyDetector", {"MetricName": nested(120)}, "unimplemented with deep params"))
    # Alarms (issue 11).
    c.append(cw_json("PutMetricAlarm", {"AlarmName": nested(120)}, "deep alarm name"))
    c.append(cw_json("PutCompositeAlarm", {"AlarmName": "c", "AlarmRule": "(" * 100_000 + "TRUE" + ")" * 100_000},
                     "100k-deep rule"))
    c.append(cw_json("PutCompositeAlarm", {"AlarmName": "c", "AlarmRule": " OR ".join(["TRUE"] * 200_000)},
                     "200k-term rule"))
    c.append(cw_json("PutCompositeAlarm", {"AlarmName": "c", "AlarmRule": "NOT " * 50_000 + "TRUE"}, "50k NOTs"))
    c.append(cw_json("PutMetricAlarm", {"AlarmName": "m", "EvaluationPeriods": 2**62, "Period": 2**62,
                                        "Namespace": "N", "MetricName": "M", "Statistic": "Sum", "Threshold": 1,
                                        "ComparisonOperator": "GreaterThanThreshold"}, "overflowing periods"))
    c.append(cw_json("PutMetricAlarm", {"AlarmName": "m", "EvaluationPeriods": 1, "Threshold": 1,
                                        "ComparisonOperator": "GreaterThanThreshold",
                                        "Metrics": [{"Id": f"m{i}", "Expression": "1"} for i in range(20_000)]},
                     "20k alarm metrics"))
    c.append(cw_json("DescribeAlarms", {"AlarmNames": ["x"] * 100_000}, "100k alarm names"))
    c.append(cw_json("DescribeAlarms", {"MaxRecords": 10**30}, "MaxRecords 1e30"))
    c.append(cw_json("DescribeAlarmHistory", {"StartDate": -1e300, "EndDate": 1e300}, "history dates at the edge"))
    c.append(cw_json("DeleteAlarms", {"AlarmNames": ["x"] * 100_000}, "delete 100k alarms"))
    # SNS (issue 11): the query protocol, and the unsigned links its messages carry.
    def sns(action: str, extra: dict | list, name: str) -> Case:
        params = [("Action", action), ("Version", "2010-03-31")] + list(dict(extra).items() if isinstance(extra, dict) else extra)
        return Case(f"sns {action} {name}", headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                    body=form(params), service="sns")
    topic = "arn:aws:sns:us-east-1:000000000000:hostile"
    c.append(sns("CreateTopic", {"Name": "a" * 100_000}, "100k name"))
    c.append(sns("CreateTopic", [("Name", "hostile")] + [(f"Attributes.entry.{i}.key", "DisplayName") for i in range(1, 1001)],
                 "1000 attribute entries"))
    c.append(sns("CreateTopic", {"Name": "hostile", "Attributes.entry.1.key": "DeliveryPolicy",
                                 "Attributes.entry.1.value": "[" * 100_000}, "deep delivery policy"))
    c.append(sns("Subscribe", {"TopicArn": topic, "Protocol": "http", "Endpoint": "http://" + "a" * 500_000}, "500k endpoint"))
    c.append(sns("Subscribe", {"TopicArn": topic, "Protocol": "http", "Endpoint": "http://169.254.169.254/"}, "metadata endpoint"))
    c.append(sns("Publish", {"TopicArn": topic, "Message": "x" * 900_000}, "900k message"))
    c.append(sns("Publish", {"TopicArn": topic, "Message": "{", "MessageStructure": "json"}, "bad json structure"))
    c.append(sns("Publish", {"TopicArn": "arn:" + ":" * 50_000, "Message": "m"}, "colon storm ARN"))
    c.append(sns("ConfirmSubscription", {"TopicArn": topic, "Token": "t" * 200_000}, "200k token"))
    c.append(sns("ListTopics", {"NextToken": "A" * 100_000}, "100k token"))
    c.append(Case("sns link with garbage", method="GET", path="/?Action=ConfirmSubscription&TopicArn=%ff%fe&Token=" + "x" * 5000))
    c.append(Case("sns link to another service", method="GET", path="/?Action=Unsubscribe&SubscriptionArn=arn:aws:iam::1:root"))
    c.append(Case("sns link deep", method="GET", path="/?Action=ConfirmSubscription&" + "a.member.1" * 500 + "=1"))
    # --- CBOR
    c.append(cbor("PutMetricData", b"\x9b\xff\xff\xff\xff\xff\xff\xff\xff", "array of 2^64 items"))
    c.append(cbor("PutMetricData", b"\x5b\x7f\xff\xff\xff\xff\xff\xff\xff", "bytes of 2^63"))
    c.append(cbor("PutMetricData", b"\x81" * 100_000 + b"\x01", "100k-deep arrays"))
    c.append(cbor("PutMetricData", b"\xbf" * 5000, "unterminated maps"))
    c.append(cbor("PutMetricData", b"\xff\xfe\xfd", "garbage"))
    c.append(cbor("GetMetricData", b"\xa1\x63abc\xfb\x7f\xf0\x00\x00\x00\x00\x00\x00", "infinity"))
    c.append(Case("cbor as text/plain", path=f"/service/{CW}/operation/DeleteDashboards",
                  headers={"Content-Type": "text/plain"}, body=b"\xa0", service="monitoring", expect=(400, 403, 404)))
    # --- CloudTrail JSON 1.1
    c.append(trail("LookupEvents", {"MaxResults": 10**30}, "MaxResults 1e30"))
    c.append(trail("LookupEvents", {"MaxResults": -1}, "MaxResults -1"))
    c.append(trail("LookupEvents", {"StartTime": 1e20, "EndTime": -1e20}, "times ±1e20"))
    c.append(trail("LookupEvents", {"StartTime": "not a date"}, "bad date"))
    c.append(trail("LookupEvents", {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "x"}] * 10_000},
                   "10k attributes"))
    c.append(trail("LookupEvents", {"LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "x" * 500_000}]},
                   "500 KB value"))
    c.append(trail("LookupEvents", {"NextToken": "\udfff".encode("utf-8", "surrogatepass").decode("latin-1")},
                   "surrogate token"))
    c.append(trail("LookupEvents", {"Filter": nested(125, "{}")}, "deep unknown member"))
    c.append(trail("CreateTrail", {"Name": XSS, "S3BucketName": nested(100)}, "unimplemented XSS"))
    # --- X-Ray and unknown paths
    c.append(Case("xray segments garbage", path="/TraceSegments", headers={"Content-Type": "application/json"},
                  body=b'{"TraceSegmentDocuments":[' + b"[" * 10_000 + b"]", service="xray"))
    # AWS Config (issue 13): its query language, Guard policies and reported configurations.
    sg = {"ResourceType": "AWS::EC2::SecurityGroup", "SchemaVersionId": "1", "ResourceId": "sg-1"}
    c.append(cfg("PutResourceConfig", {**sg, "Configuration": nested(100_000)}, "100k-deep configuration"))
    c.append(cfg("PutResourceConfig", {**sg, "Configuration": json.dumps({"a": "x" * 900_000})}, "900 KB configuration"))
    c.append(cfg("PutResourceConfig", {**sg, "ResourceId": XSS * 20_000, "Configuration": "{}"}, "huge id"))
    c.append(cfg("PutResourceConfig", {**sg, "Configuration": "{}", "Tags": {f"k{i}": XSS for i in range(20_000)}},
                 "20k tags"))
    c.append(cfg("PutResourceConfig", b'{"ResourceType":' + b"[" * 50_000, "garbage"))
    c.append(cfg("SelectResourceConfig", {"Expression": "SELECT resourceId WHERE " + "(" * 100_000 + "a = 1"},
                 "100k parentheses"))
    c.append(cfg("SelectResourceConfig", {"Expression": "SELECT resourceId WHERE " + "NOT " * 1_000 + "a = 1"},
                 "1000 NOTs"))
    c.append(cfg("SelectResourceConfig", {"Expression": "SELECT resourceId WHERE a IN (" + ",".join(["'x'"] * 50_000)
                                          + ")"}, "50k IN values"))
    c.append(cfg("SelectResourceConfig", {"Expression": "SELECT " + "a," * 300_000 + "b"}, "600 KB select list"))
    c.append(cfg("SelectResourceConfig", {"Expression": "SELECT resourceId", "Limit": -5, "NextToken": "A" * 100_000},
                 "bad limit and token"))
    guard = {"ConfigRuleName": "g", "Source": {"Owner": "CUSTOM_POLICY", "SourceDetails": [
        {"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}],
        "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x", "PolicyText": ""}}}
    for name, text in [("20k braces", "rule r { " + "{" * 20_000), ("10001 chars", "#" * 10_001),
                       ("deep filters", "rule r { configuration" + ".x[ y == 1 " * 40 + "] " * 40 + "}"),
                       ("self reference", "rule r { r }"), ("unterminated regex", "rule r { a == /(((((( }"),
                       ("long message", "rule r { a == 1 << " + "x" * 9_000 + " >> }")]:
        guard["Source"]["CustomPolicyDetails"]["PolicyText"] = text
        c.append(cfg("PutConfigRule", {"ConfigRule": json.loads(json.dumps(guard))}, f"guard {name}"))
    c.append(cfg("PutConfigRule", {"ConfigRule": {"ConfigRuleName": "p", "InputParameters": "{" * 100_000,
                                                  "Source": {"Owner": "AWS", "SourceIdentifier": "REQUIRED_TAGS"}}},
                 "deep input parameters"))
    c.append(cfg("PutEvaluations", {"ResultToken": "x" * 100_000, "Evaluations": [{
        "ComplianceResourceType": "T", "ComplianceResourceId": "i", "ComplianceType": "COMPLIANT",
        "OrderingTimestamp": 1}] * 50_000}, "50k evaluations"))
    c.append(cfg("GetResourceConfigHistory", {"resourceType": "AWS::S3::Bucket", "resourceId": "b",
                                              "earlierTime": -1e20, "laterTime": 1e20, "limit": 2**40}, "±1e20"))
    c.append(cfg("BatchGetResourceConfig", {"resourceKeys": [{"resourceType": "T", "resourceId": "i"}] * 100_000},
                 "100k keys"))
    c.append(cfg("PutRemediationConfigurations", {"RemediationConfigurations": [{
        "ConfigRuleName": "r", "TargetType": "SSM_DOCUMENT", "TargetId": XSS,
        "Parameters": {f"p{i}": {"StaticValue": {"Values": ["v"] * 30}} for i in range(30)}}] * 30},
                 "30 configurations of 30 parameters"))
    c.append(Case("xray unknown path", path="/../../etc/passwd", headers={"Content-Type": "application/json"},
                  body=b"{}", service="xray"))
    now = time.time()
    window = {"StartTime": now - 600, "EndTime": now}
    c.append(xray("/TraceSummaries", {**window, "FilterExpression": "(" * 100_000}, "100k parentheses"))
    c.append(xray("/TraceSummaries", {**window, "FilterExpression": "!" * 1_999 + "ok"}, "1999 negations"))
    c.append(xray("/TraceSummaries", {**window, "FilterExpression": "service(" * 300 + XSS}, "nested calls"))
    c.append(xray("/TraceSummaries", {**window, "FilterExpression": 'annotation.k = "' + "x" * 500_000 + '"'},
                  "500 KB string"))
    c.append(xray("/TraceSummaries", {"StartTime": -1e20, "EndTime": 1e20}, "times ±1e20"))
    c.append(xray("/TraceSummaries", {**window, "NextToken": "A" * 100_000}, "100 KB token"))
    c.append(xray("/Traces", {"TraceIds": ["1-5f84c7a1-" + "0" * 24] * 100_000}, "100k ids"))
    c.append(xray("/TraceGraph", {"TraceIds": [XSS] * 10_000}, "10k bad ids"))
    c.append(xray("/ServiceGraph", {"StartTime": 0, "EndTime": 1e15}, "huge window"))
    c.append(xray("/TraceSegments", {"TraceSegmentDocuments": ["[" + ",".join(["{}"] * 20_000) + "]"]},
                  "20k-element document"))
    c.append(xray("/TraceSegments", {"TraceSegmentDocuments": [json.dumps({
        "trace_id": "1-5f84c7a1-" + "0" * 24, "id": "0" * 16, "name": XSS, "start_time": 1, "end_time": 2,
        "subsegments": json.loads(nested(60, "{}"))})]}, "deep subsegments"))
    c.append(xray("/SamplingTargets", {"SamplingStatisticsDocuments": [
        {"RuleName": "Default", "ClientID": "a" * 24, "Timestamp": now, "RequestCount": 1, "SampledCount": 1}] * 10_000},
        "10k statistics"))
    c.append(xray("/CreateSamplingRule", {"SamplingRule": {
        "RuleName": XSS, "ResourceARN": "*" * 100_000, "Priority": 1, "FixedRate": 1e308, "ReservoirSize": 2 ** 63,
        "ServiceName": "*", "ServiceType": "*", "Host": "*", "HTTPMethod": "*", "URLPath": "*", "Version": 1}},
        "huge members"))
    c.append(xray("/CreateGroup", {"GroupName": XSS, "FilterExpression": "(" * 50_000}, "deep group expression"))
    c.append(xray("/GetGroup", {"GroupARN": "arn:" * 100_000}, "400 KB ARN"))
    # --- OTLP/HTTP traces
    deep = b""
    for _ in range(5_000):  # AnyValue.array_value(ArrayValue.values(...)) 5,000 deep
        deep = pb(5, pb(1, deep))
    ids = pb(1, b"\x01" * 16) + pb(2, b"\x02" * 8)
    c.append(otlp(otlp_spans(ids + pb(9, pb(1, b"k") + pb(2, deep))), "5000-deep attribute", expect=(400,)))
    c.append(otlp(b'{"resourceSpans":' + b"[" * 100_000, "100k-deep JSON", "application/json", expect=(400,)))
    c.append(otlp(otlp_spans(*[b""] * 20_000), "20k empty spans", expect=(413,)))
    c.append(otlp(gzip_bomb(64, b""), "gzip bomb", expect=(413,), **{"Content-Encoding": "gzip"}))
    c.append(otlp(otlp_spans(ids + pb(5, b"x") + pb(9, pb(1, b"k") + pb(2, pb(1, b"v" * 900_000)))),
                  "900 KB attribute", expect=(200,)))
    c.append(otlp(b"\xff" * 1000, "garbage", expect=(400,)))
    c.append(otlp(b"{}", "as text/plain", "text/plain", expect=(415,)))
    c.append(otlp(otlp_spans(pb(1, b"\x01" * 3) + pb(2, b"\x02" * 99)), "bad ids", expect=(200,)))
    # --- HTTP itself
    c.append(Case("200 headers", raw=b"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n" +
                  b"".join(b"X-H%d: v\r\n" % i for i in range(200)) + b"\r\n", expect=(431,)))
    c.append(Case("100 KiB header", raw=b"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nX-Big: " + b"v" * 102_400 +
                  b"\r\n\r\n", expect=(431,)))
    c.append(Case("bad header bytes", raw=b"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nX-Bad: \x00\x01\r\n\r\n"))
    c.append(Case("bad request line", raw=b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 TLS hello\r\n\r\n"))
    c.append(Case("content-length lies", raw=b"POST / HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 99999999999999999999\r\n\r\nab"))
    c.append(Case("both CL and TE", raw=b"POST / HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
    c.append(Case("chunk of 2^64", raw=b"POST / HTTP/1.1\r\nHost: {HOST}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nffffffffffffffff\r\nab"))
    c.append(Case("3 MB body", headers={"Content-Type": "application/x-www-form-urlencoded"},
                  body=b"Action=ListMetrics&x=" + b"a" * (3 << 20), service="monitoring", expect=(413,)))
    c.append(Case("absolute-form URI to another host", raw=b"GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", expect=(421,)))
    c.append(Case("HTTP/1.0 without Host", raw=b"GET /healthz HTTP/1.0\r\n\r\n"))
    c.append(Case("h2 preface garbage", raw=b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\xff" * 100))
    c.append(Case("h2 preface then silence", raw=b"PRI * HTTP/2.0\r\n"))
    # --- signatures
    c.append(Case("authorization garbage", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                   "Authorization": "AWS4-HMAC-SHA256 " + "Credential=" * 1000},
                  body=b"Action=ListMetrics&Version=2010-08-01"))
    c.append(Case("authorization 60 KiB", headers={"Content-Type": "application/x-www-form-urlencoded",
                                                  "Authorization": "x" * 60_000},
                  body=b"Action=ListMetrics&Version=2010-08-01"))
    c.append(Case("amz-date garbage", headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "X-Amz-Date": "99999999T999999Z",
                                              "Authorization": f"AWS4-HMAC-SHA256 Credential={KEY}/99999999/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature={'0' * 64}"},
                  body=b"Action=ListMetrics&Version=2010-08-01"))
    c.append(Case("scope for another service", headers={"Content-Type": "application/x-www-form-urlencoded"},
                  body=b"Action=ListMetrics&Version=2010-08-01", service="logs"))
    # --- the console
    c.append(console("dashboard_delete", {"account": None, "names": ["victim"]}, "text/plain", "JSON as text/plain",
                     expect=(415,)))
    c.append(console("add_user", b"name=mallory&password=password1&role=admin", "text/plain", "form as text/plain",
                     expect=(415,)))
    c.append(console("add_user", b"name=mallory&password=password1&role=admin",
                     "application/x-www-form-urlencoded", "cross-site", headers_extra={"Origin": "https://evil.example"}))
    c.append(console("dashboard_save", {"account": None, "name": "x", "body": "{}", "previous": None,
                                        "create_only": False}, name="cross-site same-site",
                     headers_extra={"Sec-Fetch-Site": "same-site"}))
    c.append(console("dashboard_save", {"account": None, "name": "x", "body": "{}", "previous": None,
                                        "create_only": False}, name="from another port",
                     headers_extra={"Origin": "http://127.0.0.1:1"}))
    c.append(console("dashboard_list", {"account": None, "prefix": None}, name="foreign host", host="rebound.example:80",
                     expect=(421,)))
    c.append(console("dashboard_render", b"{" * 50_000, name="unbalanced JSON"))
    c.append(console("login", b"username=admin&password=guess", "application/x-www-form-urlencoded",
                     "rebound host with a fake signature", host="rebound.example",
                     headers_extra={"Authorization": "AWS4-HMAC-SHA256 Credential=x/1/r/s/aws4_request"},
                     expect=(421,)))
    c.append(console("metric_search", {"region": "us-east-1", "account": None, "search": "a " * 500_000,
                                       "limit": 10**12}, name="a million words"))
    c.append(console("dashboard_render", {"region": "us-east-1", "account": None, "range": "-P3000Y",
                                          "body": json.dumps({"widgets": [{"type": "metric", "properties": {
                                              "metrics": [["H", "M"]], "period": 1}}]})}, name="3000 years at 1 s"))
    c.append(console("dashboard_render", {"region": "us-east-1", "account": None, "range": None,
                                          "body": json.dumps({"widgets": [
                                              {"type": "text", "y": 0, "width": 1 + i % 5, "height": 1 + i % 3,
                                               "properties": {"markdown": "a"}} for i in range(500)]})},
                     name="500 widgets in row 0"))
    c.append(console("dashboard_render", {"region": "us-east-1", "account": None, "range": None,
                                          "body": nested(120, "{}")}, name="deep body"))
    c.append(console("metric_graph", {"region": "us-east-1", "account": None, "rows": [], "range": "P99999999999Y"},
                     name="huge range"))
    c.append(console("lookup_events", {"region": "us-east-1", "range": "\x00" * 1000, "attribute_key": "x" * 10_000,
                                       "attribute_value": None, "next_token": "!" * 10_000, "account": "1" * 1000},
                     name="garbage arguments"))
    c.append(console("login", b"username=" + b"n" * (1 << 20) + b"&password=p",
                     "application/x-www-form-urlencoded", "1 MiB user name"))
    c.append(console("login", b"username=%FF%FE&password=%00", "application/x-www-form-urlencoded", "invalid UTF-8"))
    c.append(console("whoami", b"x" * (3 << 20), name="3 MB body", expect=(413,)))
    c.append(console("no_such_function", {}, name="unknown function"))
    for path in ["/pkg/../../etc/passwd", "/pkg/..%2f..%2fCargo.toml", "/%2e%2e/%2e%2e/etc/passwd",
                 "/pkg/%00", "/favicon.svg/../../Cargo.toml", "/cloudwatch/dashboards/dashboard/%3Cscript%3E",
                 "/login?next=javascript:alert(1)", "/login?next=%2F%09%2Fevil.example&error=" + "x" * 5000,
                 "/cloudtrail/event-history?range=" + "9" * 400 + "&account=" + "1" * 400,
                 "/cloudwatch/metrics?namespace=%FF&range=-P3000Y&period=1", "/" + "a/" * 2000, "/\\..\\..\\x"]:
        c.append(Case(f"GET {path[:60]}", method="GET", path=path))
    # Cases built by the same helper may share a name: number the repeats.
    seen: dict[str, int] = {}
    for case in c:
        seen[case.name] = seen.get(case.name, 0) + 1
        if seen[case.name] > 1:
            case.name = f"{case.name} #{seen[case.name]}"
    return c


CASES = cases()


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 100, len(CASES)
    assert len({case.name for case in CASES}) == len(CASES), "case names are unique"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_request_is_answered_below_500(servers, case: Case):
    for server in servers:
        status, response, seconds = send_raw(server, case.bytes_for(server))
        head = response[:300].decode("latin-1")
        assert seconds < DEADLINE, f"{server.name}: no answer within {DEADLINE}s"
        assert status is None or status < 500, f"{server.name}: {status} {head}"
        if case.expect:
            assert status in case.expect, f"{server.name}: {status} {head}"
        server.answered.append(case.name)
        assert server.process.poll() is None, f"{server.name} died on {case.name}"


# ------------------------------------------------------------------------------------------------ stored XSS

def stored_xss(server: Server) -> None:
    """Puts the payloads into every user-supplied text the console shows."""
    cw = server.client("cloudwatch")
    dims = [{"Name": XSS, "Value": XSS}]
    cw.put_metric_data(Namespace="XSS/" + XSS, MetricData=[{"MetricName": XSS, "Dimensions": dims, "Value": 1}])
    body = {"start": "-PT3H", "widgets": [
        {"type": "text", "x": 0, "y": 0, "width": 12, "height": 4,
         "properties": {"markdown": f"# {XSS}\n\n[link](javascript:alert('xss-link')) {XSS}"}},
        {"type": "metric", "x": 12, "y": 0, "width": 12, "height": 6, "properties": {
            "title": XSS, "region": "us-east-1", "stat": "Sum", "period": 60,
            "metrics": [["XSS/" + XSS, XSS, XSS, XSS, {"label": XSS}],
                        [{"expression": "m1 * 2", "label": XSS, "id": "e1"}]]}},
        {"type": "alarm", "x": 0, "y": 6, "width": 12, "height": 3,
         "properties": {"title": XSS, "alarms": [f"arn:aws:cloudwatch:us-east-1:000000000000:alarm:{XSS}"]}},
        {"type": "log", "x": 12, "y": 6, "width": 12, "height": 3,
         "properties": {"title": XSS, "query": XSS, "region": "us-east-1"}},
    ]}
    cw.put_dashboard(DashboardName="xss", DashboardBody=json.dumps(body))
    # A name the service refuses is still recorded (with the text) in CloudTrail, which Event history shows.
    try:
        cw.put_dashboard(DashboardName=XSS, DashboardBody="{}")
    except cw.exceptions.ClientError:
        pass
    headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": XSS}
    send_raw(server, Case("ua", headers=headers, body=b"Action=ListMetrics&Version=2010-08-01",
                          service="monitoring").bytes_for(server))
    send_raw(server, console("login", ("username=" + XSS + "&password=x").encode(),
                              "application/x-www-form-urlencoded").bytes_for(server))


def page(server: Server, path: str) -> str:
    status, response, _ = send_raw(server, request_bytes("GET", path, {"Host": f"127.0.0.1:{server.port}"}, b""))
    assert status in (200, 303), f"{server.name} {path}: {status}"
    return response.decode("utf-8", errors="replace")


def test_stored_text_is_never_markup_in_the_console(servers):
    none = servers[0]  # no sign-in: the console opens as admin
    stored_xss(none)
    from urllib.parse import quote
    for path in ["/cloudwatch/dashboards", "/cloudwatch/dashboards/dashboard/xss", "/cloudwatch/metrics",
                 "/cloudwatch/metrics?namespace=" + quote("XSS/" + XSS), "/cloudtrail/event-history",
                 "/cloudtrail/event-history?range=1h", "/settings/users",
                 "/login?next=" + quote('"><script>alert("xss-next")</script>'), "/"]:
        html = page(none, path)
        # Escaped text (`&lt;img ...`) and \u003c-escaped hydration data are fine; a raw tag or a script URL in an
        # attribute is not.
        for marker in ["<script>alert(", "<img src=x", 'href="javascript:', "href='javascript:"]:
            assert marker not in html, f"{path}: {marker!r} appears as markup"


# ------------------------------------------------------------------------------------------------ afterwards

def test_the_servers_are_alive_and_correct_afterwards(servers):
    for server in servers:
        assert server.alive(), server.name
        cw = server.client("cloudwatch")
        namespace = f"After/{server.name}"
        cw.put_metric_data(Namespace=namespace, MetricData=[{"MetricName": "Ok", "Value": 42.0}])
        now = time.time()
        data = cw.get_metric_data(MetricDataQueries=[{"Id": "m1", "MetricStat": {
            "Metric": {"Namespace": namespace, "MetricName": "Ok"}, "Period": 60, "Stat": "Sum"}}],
            StartTime=now - 600, EndTime=now + 60)
        assert data["MetricDataResults"][0]["Values"] == [42.0], data
        trail = server.client("cloudtrail")
        events = trail.lookup_events(MaxResults=50)["Events"]
        assert events, "event history answers, with the corpus's records in it"
        names = {json.loads(e["CloudTrailEvent"])["eventName"] for e in events}
        assert "PutMetricData" in names
        assert cw.list_dashboards()["DashboardEntries"] is not None
        if not server.signed:
            assert "Event history" in page(server, "/cloudtrail/event-history")
        assert server.process.poll() is None
        log = server.log_path.read_text(errors="replace")
        assert "panicked" not in log, log[-4000:]
