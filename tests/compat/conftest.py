"""Shared fixtures for the compatibility suite: one real `skywatch serve` process per session, boto3 clients
bound to it, and a runner for the real aws CLI. Everything stays on loopback; no user config is read."""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REPO = Path(__file__).resolve().parents[2]

# Access keys the server accepts: id -> (secret, account). Keys from --access-key use the command line; the rest
# come from the TOML config file. Tests that count events use a key of their own, in an account no other test
# touches, so their counts are exact.
CLI_KEYS = {
    "AKIDEXAMPLE": ("secret", "000000000000"),
    "AKIDOTHER": ("other", "111111111111"),
}
CONFIG_KEYS = {
    "AKIDVIEWER": ("viewersecret", "000000000000", "viewer"),
    "AKIDPAGER": ("pagersecret", "222222222222", "admin"),
    "AKIDAUTHFAIL": ("authfailsecret", "333333333333", "admin"),
    "AKIDCLI": ("clisecret", "444444444444", "admin"),
    "AKIDGZIP": ("gzipsecret", "555555555555", "admin"),
    "AKIDERR": ("errsecret", "666666666666", "admin"),
    "AKIDDASH": ("dashsecret", "777777777777", "admin"),
    "AKIDDASHCLI": ("dashclisecret", "888888888888", "admin"),
    "AKIDALARM": ("alarmsecret", "999999999999", "admin"),
    "AKIDCONFIG": ("configsecret", "121212121212", "admin"),
    "AKIDCONFIGB": ("configbsecret", "131313131313", "admin"),
    "AKIDLOGS": ("logssecret", "141414141414", "admin"),
    "AKIDEMF": ("emfsecret", "151515151515", "admin"),
    "AKIDTAIL": ("tailsecret", "161616161616", "admin"),
    "AKIDEXPORT": ("exportsecret", "171717171717", "admin"),
    "AKIDSUBS": ("subssecret", "191919191919", "admin"),
    "AKIDCLILOGS": ("clilogssecret", "181818181818", "admin"),
    "AKIDFIDELITY": ("fidelitysecret", "202020202020", "admin"),
    "AKIDPARTITION": ("partitionsecret", "212121212121", "admin"),
    "AKIDUNITS": ("unitssecret", "222222222223", "admin"),
    "AKIDEVENTS": ("eventssecret", "232323232323", "admin"),
    "AKIDEVENTSB": ("eventsbsecret", "242424242424", "admin"),
}
# The account the server's CloudWatch agent EMF endpoint writes to (--emf-account): AKIDEMF's, for test_logs_emf.
EMF_ACCOUNT = "151515151515"
SECRETS = {k: v[0] for k, v in CLI_KEYS.items()} | {k: v[0] for k, v in CONFIG_KEYS.items()}
ACCOUNTS = {k: v[1] for k, v in CLI_KEYS.items()} | {k: v[1] for k, v in CONFIG_KEYS.items()}

# Nothing from the user's environment may leak in, and nothing may reach the network.
BASE_ENV = {
    "AWS_MAX_ATTEMPTS": "1",
    "AWS_RETRY_MODE": "standard",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_PAGER": "",
}
SCRUBBED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL",
            "AWS_REGION", "AWS_CA_BUNDLE", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")

# boto3 in this process reads the same variables.
for _name in SCRUBBED:
    os.environ.pop(_name, None)
os.environ.update(BASE_ENV)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


def _bin(env_name: str, default: str) -> Path:
    path = Path(os.environ.get(env_name, default))
    return path if path.is_absolute() else REPO / path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_udp_port() -> int:
    """A port free for both UDP and TCP (the X-Ray daemon's address serves both)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port


@dataclass
class Server:
    endpoint: str
    port: int
    data_dir: Path
    process: subprocess.Popen
    log_path: Path
    # A private CA the server trusts for SNS deliveries (--sns-ca-file), and a 127.0.0.1 certificate it signed.
    tls_dir: Path | None = None
    # The X-Ray daemon's port (--xray-udp): UDP for segments, TCP for the SDKs' sampling calls.
    xray_udp_port: int | None = None
    # The CloudWatch agent's EMF endpoint (--emf-listen): TCP and UDP, writing into EMF_ACCOUNT.
    emf_port: int | None = None
    _clients: dict = field(default_factory=dict)

    def client(self, service: str, key: str = "AKIDEXAMPLE", region: str = "us-east-1", secret: str | None = None,
               **config) -> "boto3.client":
        """A boto3 client for `key` (its real secret unless `secret` is given), signing for `region`."""
        cache_key = (service, key, region, secret, tuple(sorted(config.items())))
        if cache_key not in self._clients:
            session = boto3.Session(
                aws_access_key_id=key,
                aws_secret_access_key=secret if secret is not None else SECRETS.get(key, "nosuchsecret"),
                region_name=region,
            )
            cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                         **config)
            self._clients[cache_key] = session.client(service, endpoint_url=self.endpoint, config=cfg)
        return self._clients[cache_key]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def server():
    binary = _bin("SKYWATCH_BIN", "target/debug/skywatch")
    if not binary.exists():
        pytest.exit(f"skywatch binary {binary} not found; build it with cargo build -p skywatch", returncode=2)
    with tempfile.TemporaryDirectory(prefix="skywatch-compat-") as tmp:
        tmp = Path(tmp)
        config = tmp / "skywatch.toml"
        config.write_text("".join(
            f'[[access_keys]]\nid = "{key}"\nsecret = "{secret}"\naccount = "{account}"\nrole = "{role}"\n\n'
            for key, (secret, account, role) in CONFIG_KEYS.items()
        ))
        log_path = tmp / "server.log"
        port = free_port()
        tls_dir = _private_ca(tmp / "tls")
        udp_port = free_udp_port()
        emf_port = free_udp_port()
        while emf_port == udp_port:
            emf_port = free_udp_port()
        args = [str(binary), "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(tmp / "data"),
                "--auth", "sigv4", "--config", str(config), "--sns-ca-file", str(tls_dir / "ca.pem"),
                "--xray-udp", f"127.0.0.1:{udp_port}",
                "--emf-listen", f"127.0.0.1:{emf_port}", "--emf-account", EMF_ACCOUNT]
        for key, (secret, account) in CLI_KEYS.items():
            args += ["--access-key", f"{key}:{secret}" if account == "000000000000" else f"{key}:{secret}:{account}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKYWATCH_")}
        with open(log_path, "wb") as log:
            process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp)
        srv = Server(endpoint=f"http://127.0.0.1:{port}", port=port, data_dir=tmp / "data", process=process,
                     log_path=log_path, tls_dir=tls_dir, xray_udp_port=udp_port, emf_port=emf_port)
        try:
            _wait_ready(srv)
            yield srv
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _private_ca(directory: Path) -> Path:
    """A CA and a certificate for 127.0.0.1 it signed (ca.pem, cert.pem, key.pem), made with the openssl CLI."""
    directory.mkdir()
    run = lambda *args: subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Skywatch test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.csr", "-subj", "/CN=127.0.0.1")
    (directory / "leaf.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n")
    run("x509", "-req", "-in", "cert.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-out", "cert.pem", "-days", "2", "-extfile", "leaf.ext")
    return directory


def _wait_ready(srv: Server, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if srv.process.poll() is not None:
            raise RuntimeError(f"skywatch exited with {srv.process.returncode}:\n{srv.log()}")
        if "skywatch listening on http://" in srv.log():
            try:
                with urllib.request.urlopen(f"{srv.endpoint}/healthz", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return
            except OSError:
                pass
        time.sleep(0.05)
    raise RuntimeError(f"skywatch did not become ready in {timeout}s:\n{srv.log()}")


@pytest.fixture
def unique() -> str:
    """A string no other test uses, for namespaces and metric names."""
    return f"compat-{uuid.uuid4().hex[:12]}"


# ---------------------------------------------------------------- CloudTrail helpers

def lookup_all(client, page_size: int = 50, **params) -> list[dict]:
    """Every event matching `params`, following NextToken by hand."""
    events, token, pages = [], None, 0
    while True:
        request = dict(params, MaxResults=page_size)
        if token:
            request["NextToken"] = token
        page = client.lookup_events(**request)
        events += page["Events"]
        pages += 1
        token = page.get("NextToken")
        if not token:
            return events
        assert pages < 1000, "NextToken never ran out"


def trail_record(event: dict) -> dict:
    return json.loads(event["CloudTrailEvent"])


def events_for_requests(client, request_ids, event_name: str, start=None) -> dict[str, dict]:
    """The CloudTrail records (by requestID) of the given request ids, found by EventName lookup."""
    params = {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": event_name}]}
    if start is not None:
        params["StartTime"] = start
    wanted = set(request_ids)
    found = {}
    for event in lookup_all(client, **params):
        record = trail_record(event)
        if record.get("requestID") in wanted:
            found[record["requestID"]] = record
    return found


# ---------------------------------------------------------------- aws CLI

@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout) if self.stdout.strip() else None


@pytest.fixture(scope="session")
def aws(server):
    """Runs the real aws CLI against the server: aws("cloudtrail", "lookup-events", key="AKIDCLI")."""
    binary = _bin("AWSCLI", ".venv/awscli/bin/aws")
    if not binary.exists():
        pytest.exit(f"aws CLI {binary} not found; run scripts/setup test", returncode=2)

    def run(*args: str, key: str = "AKIDEXAMPLE", secret: str | None = None, region: str = "us-east-1",
            timeout: float = 60) -> CliResult:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in SCRUBBED}
        env.update(BASE_ENV)
        env.update({
            "AWS_DEFAULT_REGION": region,
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret if secret is not None else SECRETS[key],
        })
        command = [str(binary), *args, "--endpoint-url", server.endpoint, "--output", "json"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


# ---------------------------------------------------------------- hand-signed requests

@dataclass
class RawResponse:
    status: int
    headers: dict  # lower-cased names
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


def signed_request(server: Server, signing_name: str, body: bytes | str, headers: dict, key: str = "AKIDEXAMPLE",
                   region: str = "us-east-1", secret: str | None = None, sign: bool = True) -> RawResponse:
    """POSTs `body` to the server, signed with botocore's own SigV4 signer, and returns the raw reply."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    if isinstance(body, str):
        body = body.encode()
    request = AWSRequest(method="POST", url=server.endpoint + "/", data=body, headers=dict(headers))
    if sign:
        SigV4Auth(Credentials(key, secret if secret is not None else SECRETS[key]), signing_name,
                  region).add_auth(request)
    prepared = request.prepare()
    http = urllib.request.Request(prepared.url, data=body, headers=dict(prepared.headers.items()), method="POST")
    try:
        with urllib.request.urlopen(http, timeout=30) as response:
            return RawResponse(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as e:
        return RawResponse(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


# ---------------------------------------------------------------- CloudWatch over each protocol boto3 can speak

# botocore 1.44.5's CloudWatch model lists protocols [smithy-rpc-v2-cbor, json, query] and picks JSON 1.0 (its
# priority order puts json first). Forcing the model's protocol list makes the same boto3 speak the legacy awsQuery
# form of botocore <= 1.42.6 (form body, XML replies) or RPCv2 CBOR (as other SDKs may).
CLOUDWATCH_PROTOCOLS = {"json": "json", "query": "query", "cbor": "smithy-rpc-v2-cbor"}
# What each protocol's requests look like on the wire: (Content-Type prefix, path).
CLOUDWATCH_WIRE = {
    "json": ("application/x-amz-json-1.0", "/"),
    "query": ("application/x-www-form-urlencoded", "/"),
    "cbor": ("application/cbor", "/service/GraniteServiceVersion20100801/operation/"),
}


def cloudwatch_client(server: Server, protocol: str = "json", key: str = "AKIDEXAMPLE", region: str = "us-east-1",
                      **config):
    """A boto3 CloudWatch client for `key` that speaks `protocol` ("json", "query" or "cbor")."""
    cache_key = ("cloudwatch-protocol", protocol, key, region, tuple(sorted(config.items())))
    if cache_key in server._clients:
        return server._clients[cache_key]
    wire = CLOUDWATCH_PROTOCOLS[protocol]
    session = boto3.Session(aws_access_key_id=key, aws_secret_access_key=SECRETS[key], region_name=region)

    loader = session._session.get_component("data_loader")  # this session's own
    load_service_model = loader.load_service_model

    def forced(service_name, type_name, api_version=None):
        data = load_service_model(service_name, type_name, api_version=api_version)
        if service_name == "cloudwatch" and type_name == "service-2":
            data = copy.deepcopy(data)
            data["metadata"]["protocols"] = [wire]
            data["metadata"]["protocol"] = wire
        return data

    loader.load_service_model = forced
    cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=60, **config)
    client = session.client("cloudwatch", endpoint_url=server.endpoint, config=cfg)
    assert client.meta.service_model.resolved_protocol == wire, client.meta.service_model.resolved_protocol
    server._clients[cache_key] = client
    return client


def capture_requests(client, operation: str) -> list:
    """Records the requests `client` sends for `operation` (botocore AWSPreparedRequest objects)."""
    sent = []
    client.meta.events.register(f"before-send.cloudwatch.{operation}", lambda request, **_: sent.append(request))
    return sent


def header(request, name: str) -> str:
    value = request.headers.get(name, "")
    return value.decode() if isinstance(value, bytes) else value


# ---------------------------------------------------------------- metric oracles, computed by hand from the data sent

def minute_base(minutes_back: int = 15, align_seconds: int = 300) -> "datetime.datetime":
    """A whole-`align_seconds` UTC time about `minutes_back` minutes ago: the start of a test's data."""
    import datetime

    start = int(time.time()) - minutes_back * 60
    return datetime.datetime.fromtimestamp(start - start % align_seconds, tz=datetime.timezone.utc)


def merge_pairs(*groups) -> list[tuple[float, float]]:
    """(value, count) pairs of several groups as one sorted distribution."""
    totals: dict[float, float] = {}
    for group in groups:
        for value, count in group:
            totals[value] = totals.get(value, 0.0) + count
    return sorted(totals.items())


def percentile(pairs, p: float) -> float:
    """The lower quantile: the value at rank p/100 * (n - 1) of the values laid end to end by count."""
    pairs = merge_pairs(pairs)
    n = sum(c for _, c in pairs)
    rank = p / 100.0 * (n - 1)
    seen = 0.0
    for value, count in pairs:
        seen += count
        if seen > rank:
            return value
    return pairs[-1][0]


def trimmed_mean(pairs, lower: float, upper: float) -> float:
    """TM(lower%:upper%): the mean of the rank stretch [lower/100 * n, upper/100 * n], values straddling an end
    counting with the fraction of them inside."""
    pairs = merge_pairs(pairs)
    n = sum(c for _, c in pairs)
    a, b = lower / 100.0 * n, upper / 100.0 * n
    start, kept, total = 0.0, 0.0, 0.0
    for value, count in pairs:
        inside = max(0.0, min(b, start + count) - max(a, start))
        kept += inside
        total += inside * value
        start += count
    return total / kept


def basic_statistics(pairs) -> dict[str, float]:
    pairs = merge_pairs(pairs)
    n = sum(c for _, c in pairs)
    total = sum(v * c for v, c in pairs)
    return {"SampleCount": n, "Sum": total, "Average": total / n, "Minimum": pairs[0][0], "Maximum": pairs[-1][0]}
