"""SNS-compatible topics and alarm notifications (issue 11), end to end with boto3 and a real HTTP endpoint on
loopback: the endpoint receives the SubscriptionConfirmation and confirms by visiting its SubscribeURL (unsigned,
as SNS allows); breaching data moves an alarm to ALARM within one evaluation cycle; the endpoint then receives
the Notification carrying CloudWatch's alarm message. Also Publish's message JSON and headers, topic attributes,
SNS's error codes, and message signatures: the endpoint verifies every message as AWS tells subscribers to (the
certificate fetched from SigningCertURL, SHA1withRSA or SHA256withRSA by SignatureVersion, with the `cryptography`
package) and confirms only a subscription whose confirmation verifies."""

from __future__ import annotations

import base64
import datetime as dt
import json
import ssl
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.exceptions
import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from conftest import cloudwatch_client

KEY = "AKIDALARM"
ACCOUNT = "999999999999"


# The fields each message type signs, in the order SNS's documentation gives them.
CONFIRMATION_FIELDS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")
SIGNED_FIELDS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": CONFIRMATION_FIELDS,
    "UnsubscribeConfirmation": CONFIRMATION_FIELDS,
}


def fetch(url: str) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as reply:
        return reply.read()


def signature_is_valid(message: dict) -> bool:
    """Verifies an SNS message the way AWS's documentation tells subscribers to: the string to sign from the
    message's fields, the certificate from its SigningCertURL, SHA1withRSA for SignatureVersion 1 and
    SHA256withRSA for 2."""
    text = "".join(f"{name}\n{message[name]}\n" for name in SIGNED_FIELDS[message["Type"]] if name in message)
    certificate = x509.load_pem_x509_certificate(fetch(message["SigningCertURL"]))
    digest = {"1": hashes.SHA1(), "2": hashes.SHA256()}[message["SignatureVersion"]]
    try:
        certificate.public_key().verify(base64.b64decode(message["Signature"]), text.encode(), padding.PKCS1v15(),
                                        digest)
        return True
    except InvalidSignature:
        return False


class Endpoint:
    """An HTTP endpoint that records what SNS posts and confirms subscriptions as a real subscriber does: only when
    the confirmation's signature verifies."""

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
                if message.get("Type") == "SubscriptionConfirmation" and signature_is_valid(message):
                    fetch(message["SubscribeURL"])

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
    assert list(notification)[:4] == ["Type", "MessageId", "TopicArn", "Subject"], "SNS's field order"
    assert notification["SignatureVersion"] == "1" and signature_is_valid(notification)
    assert not signature_is_valid({**notification, "Message": "hello!"}), "a changed message must not verify"
    sns.unsubscribe(SubscriptionArn=subscription)
    _, goodbye = endpoint.wait_for("UnsubscribeConfirmation")
    assert signature_is_valid(goodbye)
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


def test_signature_version_2_signs_with_sha256_and_the_certificate_is_served(server, endpoint):
    sns = server.client("sns", key=KEY)
    topic, _ = subscribed_topic(sns, endpoint, f"sig{uuid.uuid4().hex[:8]}")
    assert "SignatureVersion" not in sns.get_topic_attributes(TopicArn=topic)["Attributes"], "unset means 1"
    sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="2")
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SignatureVersion"] == "2"
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="3")
    assert refused.value.response["Error"]["Code"] == "InvalidParameter"
    message_id = sns.publish(TopicArn=topic, Message="sha256")["MessageId"]
    _, notification = endpoint.wait_for("Notification", where=lambda m: m.get("MessageId") == message_id)
    assert notification["SignatureVersion"] == "2" and "Subject" not in notification
    assert signature_is_valid(notification)
    as_version_1 = {**notification, "SignatureVersion": "1"}
    assert not signature_is_valid(as_version_1), "a SHA256 signature must not pass as SHA1"
    cert_url = notification["SigningCertURL"]
    assert cert_url.startswith(server.endpoint) and cert_url.rsplit("/", 1)[1].startswith("SimpleNotificationService-")
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(cert_url.rsplit("/", 1)[0] + "/SimpleNotificationService-00000000000000000000000000000000.pem")
    assert missing.value.code == 404
