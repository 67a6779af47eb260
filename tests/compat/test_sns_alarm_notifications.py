"""SNS-compatible topics and alarm notifications (issue 11), end to end with boto3 and a real HTTP endpoint on
loopback: the endpoint receives the SubscriptionConfirmation and confirms by visiting its SubscribeURL (unsigned,
as SNS allows); breaching data moves an alarm to ALARM within one evaluation cycle; the endpoint then receives
the Notification carrying CloudWatch's alarm message. Also Publish's message JSON and headers, topic attributes,
and SNS's error codes."""

from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.exceptions
import pytest

from conftest import cloudwatch_client

KEY = "AKIDALARM"
ACCOUNT = "999999999999"


class Endpoint:
    """An HTTP endpoint that records what SNS posts and confirms subscriptions as a real subscriber does."""

    def __init__(self, tls_dir=None):
        self.posts: list[tuple[dict, dict]] = []
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                message = json.loads(body)
                with endpoint.lock:
                    endpoint.posts.append(({k.lower(): v for k, v in self.headers.items()}, message))
                self.send_response(200)
                self.end_headers()
                if message.get("Type") == "SubscriptionConfirmation":
                    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                    with opener.open(message["SubscribeURL"], timeout=10) as reply:
                        assert reply.status == 200

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls_dir is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_dir / "cert.pem", tls_dir / "key.pem")
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, kind: str, timeout: float = 30.0, where=lambda message: True) -> tuple[dict, dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for headers, message in self.posts:
                    if message.get("Type") == kind and where(message):
                        return headers, message
            time.sleep(0.2)
        raise AssertionError(f"no {kind} within {timeout}s; got {self.posts}")

    def close(self):
        self.server.shutdown()


@pytest.fixture
def endpoint():
    ep = Endpoint()
    yield ep
    ep.close()


def subscribed_topic(sns, endpoint: Endpoint, name: str) -> tuple[str, str]:
    topic = sns.create_topic(Name=name)["TopicArn"]
    assert topic == f"arn:aws:sns:us-east-1:{ACCOUNT}:{name}"
    protocol = endpoint.url.split(":", 1)[0]
    pending = sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint=endpoint.url)["SubscriptionArn"]
    assert pending == "pending confirmation"
    headers, confirmation = endpoint.wait_for("SubscriptionConfirmation")
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert confirmation["TopicArn"] == topic and confirmation["Token"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        subs = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        if subs and subs[0]["SubscriptionArn"] != "PendingConfirmation":
            return topic, subs[0]["SubscriptionArn"]
        time.sleep(0.2)
    raise AssertionError("the subscription was not confirmed by its SubscribeURL")


def test_an_alarm_notifies_a_confirmed_http_endpoint(server, endpoint):
    sns = server.client("sns", key=KEY)
    cw = cloudwatch_client(server, "json", key=KEY)
    name = f"ops{uuid.uuid4().hex[:8]}"
    topic, subscription = subscribed_topic(sns, endpoint, name)
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attributes["SubscriptionsConfirmed"], attributes["SubscriptionsPending"]) == ("1", "0")

    namespace = f"Shop{uuid.uuid4().hex[:6]}"
    cw.put_metric_data(Namespace=namespace, MetricData=[{
        "MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": "i-0abc"}],
        "Timestamp": dt.datetime.now(dt.timezone.utc), "Value": 99.0}])
    alarm = f"{name}-cpu"
    cw.put_metric_alarm(AlarmName=alarm, Namespace=namespace, MetricName="CPUUtilization", Statistic="Average",
                        Dimensions=[{"Name": "InstanceId", "Value": "i-0abc"}], Period=60, EvaluationPeriods=1,
                        Threshold=80.0, ComparisonOperator="GreaterThanThreshold", AlarmActions=[topic],
                        AlarmDescription="CPU above 80%")
    headers, notification = endpoint.wait_for("Notification")
    assert headers["x-amz-sns-subscription-arn"] == subscription
    assert notification["TopicArn"] == topic
    assert notification["Subject"] == f'ALARM: "{alarm}" in US East (N. Virginia)'
    body = json.loads(notification["Message"])
    assert body["AlarmName"] == alarm and body["NewStateValue"] == "ALARM"
    assert body["OldStateValue"] == "INSUFFICIENT_DATA"
    assert body["AWSAccountId"] == ACCOUNT and body["Region"] == "US East (N. Virginia)"
    assert body["Trigger"]["MetricName"] == "CPUUtilization" and body["Trigger"]["Threshold"] == 80.0
    assert body["NewStateReason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints [99.0 (")
    history = cw.describe_alarm_history(AlarmName=alarm, HistoryItemType="Action")["AlarmHistoryItems"]
    assert history[0]["HistorySummary"] == f"Successfully executed action {topic}"


def test_publish_posts_snss_message_json(server, endpoint):
    sns = server.client("sns", key=KEY)
    topic, subscription = subscribed_topic(sns, endpoint, f"pub{uuid.uuid4().hex[:8]}")
    message_id = sns.publish(TopicArn=topic, Message="hello", Subject="greeting",
                             MessageAttributes={"team": {"DataType": "String", "StringValue": "shop"}})["MessageId"]
    headers, notification = endpoint.wait_for("Notification", where=lambda m: m.get("MessageId") == message_id)
    assert headers["x-amz-sns-topic-arn"] == topic
    assert headers["user-agent"] == "Amazon Simple Notification Service Agent"
    assert (notification["Message"], notification["Subject"]) == ("hello", "greeting")
    assert notification["MessageAttributes"] == {"team": {"Type": "String", "Value": "shop"}}
    assert "Action=Unsubscribe" in notification["UnsubscribeURL"]
    sns.unsubscribe(SubscriptionArn=subscription)
    endpoint.wait_for("UnsubscribeConfirmation")
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    assert topic in topics
    sns.delete_topic(TopicArn=topic)


def test_sns_refusals(server):
    sns = server.client("sns", key=KEY)
    with pytest.raises(botocore.exceptions.ClientError) as missing:
        sns.publish(TopicArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:nope-{uuid.uuid4().hex[:6]}", Message="m")
    assert missing.value.response["Error"]["Code"] == "NotFound"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    topic = sns.create_topic(Name=f"ref{uuid.uuid4().hex[:8]}")["TopicArn"]
    with pytest.raises(botocore.exceptions.ClientError) as protocol:
        sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="http://127.0.0.1:1/x")
    assert protocol.value.response["Error"]["Code"] == "InvalidParameter"


def test_https_endpoints_behind_a_private_ca_get_the_handshake_and_messages(server):
    endpoint = Endpoint(tls_dir=server.tls_dir)
    try:
        sns = server.client("sns", key=KEY)
        topic, subscription = subscribed_topic(sns, endpoint, f"tls{uuid.uuid4().hex[:8]}")
        assert subscription.startswith(topic)
        message_id = sns.publish(TopicArn=topic, Message="over TLS")["MessageId"]
        _, notification = endpoint.wait_for("Notification", where=lambda m: m.get("MessageId") == message_id)
        assert notification["Message"] == "over TLS"
    finally:
        endpoint.close()
