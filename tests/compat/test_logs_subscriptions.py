"""CloudWatch Logs subscription filters (issue 14), end to end with boto3 and the aws CLI: a filter on an HTTP
endpoint on loopback receives the control message, then the gzip JSON payload of the matching events only; a
filter on an SNS topic delivers the payload as Lambda gets it ({"awslogs": {"data": base64 gzip}}) through the
topic's confirmed HTTP subscription; a filter on another log group stores the events there; Put/Describe/Delete
and AWS's refusals (two filters a group, a destination that cannot be reached, a bad pattern)."""

from __future__ import annotations

import base64
import gzip
import json
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.exceptions
import pytest

KEY = "AKIDSUBS"
ACCOUNT = "191919191919"


class Endpoint:
    """Records what is posted: gzip payloads (decoded) and SNS messages (confirming subscriptions)."""

    def __init__(self):
        self.posts: list[tuple[dict, dict]] = []
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                if headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                message = json.loads(body)
                with endpoint.lock:
                    endpoint.posts.append((headers, message))
                self.send_response(200)
                self.end_headers()
                if message.get("Type") == "SubscriptionConfirmation":
                    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                    opener.open(message["SubscribeURL"], timeout=10).read()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/logs"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, where, timeout: float = 20.0) -> tuple[dict, dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for headers, message in self.posts:
                    if where(message):
                        return headers, message
            time.sleep(0.1)
        raise AssertionError(f"nothing matching within {timeout}s; got {self.posts}")

    def close(self):
        self.server.shutdown()


@pytest.fixture
def endpoint():
    ep = Endpoint()
    yield ep
    ep.close()


def make_group(logs, name: str) -> None:
    logs.create_log_group(logGroupName=name)
    logs.create_log_stream(logGroupName=name, logStreamName="web-1")


def put(logs, group: str, messages: list[str]) -> None:
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName="web-1",
                        logEvents=[{"timestamp": now + i, "message": m} for i, m in enumerate(messages)])


def test_an_http_endpoint_gets_the_gzip_payload_of_matching_events(server, endpoint):
    logs = server.client("logs", key=KEY)
    group = f"/subs/http-{uuid.uuid4().hex[:8]}"
    make_group(logs, group)
    logs.put_subscription_filter(logGroupName=group, filterName="errors", filterPattern="ERROR",
                                 destinationArn=endpoint.url)
    headers, control = endpoint.wait_for(lambda m: m.get("messageType") == "CONTROL_MESSAGE")
    assert headers["content-type"] == "application/json"
    assert control["owner"] == "CloudwatchLogs"
    put(logs, group, ["INFO ok", "ERROR payment failed", "INFO ok", "ERROR timeout"])
    _, payload = endpoint.wait_for(lambda m: m.get("logGroup") == group)
    assert payload["messageType"] == "DATA_MESSAGE"
    assert payload["owner"] == ACCOUNT
    assert payload["logStream"] == "web-1"
    assert payload["subscriptionFilters"] == ["errors"]
    assert [e["message"] for e in payload["logEvents"]] == ["ERROR payment failed", "ERROR timeout"]
    # The ids are those FilterLogEvents gives the same events.
    found = logs.filter_log_events(logGroupName=group, filterPattern="ERROR")["events"]
    assert [e["eventId"] for e in found] == [e["id"] for e in payload["logEvents"]]

    filters = logs.describe_subscription_filters(logGroupName=group)["subscriptionFilters"]
    assert len(filters) == 1
    f = filters[0]
    assert (f["filterName"], f["filterPattern"], f["destinationArn"], f["distribution"]) == (
        "errors", "ERROR", endpoint.url, "ByLogStream")
    assert f["logGroupName"] == group and f["creationTime"] > 0
    logs.delete_subscription_filter(logGroupName=group, filterName="errors")
    assert logs.describe_subscription_filters(logGroupName=group)["subscriptionFilters"] == []


def test_a_topic_carries_the_payload_as_lambda_gets_it(server, endpoint):
    logs = server.client("logs", key=KEY)
    sns = server.client("sns", key=KEY)
    topic = sns.create_topic(Name=f"logs{uuid.uuid4().hex[:8]}")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url)
    endpoint.wait_for(lambda m: m.get("Type") == "SubscriptionConfirmation")
    deadline = time.monotonic() + 10
    while sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"][0]["SubscriptionArn"] == \
            "PendingConfirmation":
        assert time.monotonic() < deadline, "the subscription was never confirmed"
        time.sleep(0.1)
    group = f"/subs/topic-{uuid.uuid4().hex[:8]}"
    make_group(logs, group)
    logs.put_subscription_filter(logGroupName=group, filterName="all", filterPattern="", destinationArn=topic)
    put(logs, group, ["first line", "second line"])

    def data(message: dict) -> dict | None:
        if message.get("Type") != "Notification":
            return None
        inner = json.loads(message["Message"])
        return json.loads(gzip.decompress(base64.b64decode(inner["awslogs"]["data"])))

    _, note = endpoint.wait_for(lambda m: (d := data(m)) is not None and d["logGroup"] == group)
    payload = data(note)
    assert note["TopicArn"] == topic
    assert [e["message"] for e in payload["logEvents"]] == ["first line", "second line"]
    assert payload["subscriptionFilters"] == ["all"]


def test_another_log_group_stores_the_forwarded_events(server):
    logs = server.client("logs", key=KEY)
    source, central = f"/subs/src-{uuid.uuid4().hex[:8]}", f"/subs/central-{uuid.uuid4().hex[:8]}"
    make_group(logs, source)
    logs.create_log_group(logGroupName=central)
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{central}:*"
    logs.put_subscription_filter(logGroupName=source, filterName="json-5xx",
                                 filterPattern="{ $.status >= 500 }", destinationArn=arn)
    put(logs, source, ['{"status": 200}', '{"status": 503}', '{"status": 500}'])
    deadline = time.monotonic() + 20
    while True:
        events = logs.filter_log_events(logGroupName=central)["events"]
        if len(events) == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [e["message"] for e in events] == ['{"status": 503}', '{"status": 500}']
    assert {e["logStreamName"] for e in events} == {f"{source}/web-1"}


def test_refusals(server, endpoint):
    logs = server.client("logs", key=KEY)
    group = f"/subs/limits-{uuid.uuid4().hex[:8]}"
    make_group(logs, group)

    def code(**params) -> str:
        try:
            logs.put_subscription_filter(**{"logGroupName": group, "filterPattern": "",
                                            "destinationArn": endpoint.url} | params)
            return "ok"
        except botocore.exceptions.ClientError as e:
            return e.response["Error"]["Code"]

    assert code(filterName="one") == "ok"
    assert code(filterName="two") == "ok"
    assert code(filterName="three") == "LimitExceededException"
    assert code(filterName="one", filterPattern="WARN") == "ok", "replacing one is not a third"
    assert code(filterName="bad", destinationArn="arn:aws:lambda:us-east-1:191919191919:function:f") == \
        "InvalidParameterException"
    assert code(filterName="one", destinationArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:no-such-topic") == \
        "InvalidParameterException"
    assert code(filterName="one", filterPattern="{ $.x = ") == "InvalidParameterException"
    assert code(filterName="one", distribution="Sideways") == "InvalidParameterException"
    assert code(logGroupName="/subs/none", filterName="x") == "ResourceNotFoundException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        logs.delete_subscription_filter(logGroupName=group, filterName="never")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_the_aws_cli_manages_subscription_filters(server, aws):
    group = f"/subs/cli-{uuid.uuid4().hex[:8]}"
    central = f"{group}-central"
    for name in (group, central):
        assert aws("logs", "create-log-group", "--log-group-name", name, key=KEY).returncode == 0
    # (aws CLI v1 fetches an http:// parameter value as a URL, so its destination here is a log group.)
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{central}"
    put_filter = aws("logs", "put-subscription-filter", "--log-group-name", group, "--filter-name", "cli",
                     "--filter-pattern", "ERROR", "--destination-arn", arn, key=KEY)
    assert put_filter.returncode == 0, put_filter.stderr
    described = aws("logs", "describe-subscription-filters", "--log-group-name", group, key=KEY).json
    assert [f["filterName"] for f in described["subscriptionFilters"]] == ["cli"]
    deleted = aws("logs", "delete-subscription-filter", "--log-group-name", group, "--filter-name", "cli", key=KEY)
    assert deleted.returncode == 0, deleted.stderr
    missing = aws("logs", "delete-subscription-filter", "--log-group-name", group, "--filter-name", "cli", key=KEY)
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
