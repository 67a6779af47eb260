"""EventBridge's PutEvents and delivery (issue 16) end to end with boto3 and the aws CLI: per-entry answers and
AWS's refusals; a rule on a custom bus delivering to a webhook on loopback (the event in EventBridge's envelope),
a log group (an InputTransformer's text, in a stream named after the event id) and an SNS topic (InputPath's part,
through the topic's confirmed HTTP subscription); a failing webhook retried then dead-lettered; another account's
events refused until PutPermission lets it in; the AWS/Events metrics of it all."""

from __future__ import annotations

import datetime
import json
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.exceptions
import pytest

KEY = "AKIDEVENTS"
ACCOUNT = "232323232323"
SENDER_KEY = "AKIDEVENTSB"
SENDER = "242424242424"
FAILED = json.dumps({"source": ["shop.orders"], "detail": {"status": ["failed"]}})


class Endpoint:
    """Records JSON posts (confirming SNS subscriptions); answers `status`."""

    def __init__(self, status: int = 200):
        self.posts: list[tuple[str, dict, object]] = []
        self.status = status
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server API)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                with endpoint.lock:
                    endpoint.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(endpoint.status)
                self.end_headers()
                if isinstance(body, dict) and body.get("Type") == "SubscriptionConfirmation":
                    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                    opener.open(body["SubscribeURL"], timeout=10).read()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, where, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [p for p in self.posts if where(p)]
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"nothing matching within {timeout}s; got {self.posts}")

    def close(self):
        self.server.shutdown()


@pytest.fixture
def endpoint():
    ep = Endpoint()
    yield ep
    ep.close()


@pytest.fixture
def events(server):
    return server.client("events", key=KEY)


def unique(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def entry(detail: dict, bus: str | None = None, **extra) -> dict:
    out = {"Source": "shop.orders", "DetailType": "Order Failed", "Detail": json.dumps(detail), **extra}
    if bus:
        out["EventBusName"] = bus
    return out


def test_each_entry_is_answered_as_eventbridge_answers_it(events):
    answer = events.put_events(Entries=[
        entry({"status": "paid"}),
        {"DetailType": "t", "Detail": "{}"},
        {"Source": "s", "DetailType": "", "Detail": "{}"},
        {"Source": "s", "DetailType": "t", "Detail": "[]"},
        {"Source": "aws.ec2", "DetailType": "t", "Detail": "{}"},
        entry({}, bus=unique("nobus")),
    ])
    assert answer["FailedEntryCount"] == 4
    codes = [(e.get("ErrorCode"), e.get("ErrorMessage")) for e in answer["Entries"]]
    assert codes[1:5] == [
        ("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."),
        ("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
        ("MalformedDetail", "Detail is malformed."),
        ("NotAuthorizedForSourceException", "Not authorized for the source."),
    ]
    assert len(answer["Entries"][0]["EventId"]) == 36 and "ErrorCode" not in answer["Entries"][0]
    assert "EventId" in answer["Entries"][5], "a bus that does not exist still gets an id, as in AWS"
    with pytest.raises(botocore.exceptions.ClientError) as info:
        events.put_events(Entries=[entry({})] * 11)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "Member must have length less than or equal to 10" in info.value.response["Error"]["Message"]
    with pytest.raises(botocore.exceptions.ClientError) as info:
        events.put_events(Entries=[entry({"p": "x" * (256 * 1024)})])
    assert info.value.response["Error"]["Message"] == "Total size of the entries in the request is over the limit."


def test_a_rule_delivers_to_a_webhook_a_log_group_and_a_topic(server, events, endpoint):
    logs = server.client("logs", key=KEY)
    sns = server.client("sns", key=KEY)
    bus = unique("orders")
    events.create_event_bus(Name=bus)
    events.put_rule(Name="failed", EventBusName=bus, EventPattern=FAILED)
    group = f"/events/{unique('failed')}"
    logs.create_log_group(logGroupName=group)
    topic = sns.create_topic(Name=unique("failed"))["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=f"{endpoint.url}/sns")
    endpoint.wait_for(lambda p: p[0] == "/sns" and p[2].get("Type") == "SubscriptionConfirmation")
    answer = events.put_targets(Rule="failed", EventBusName=bus, Targets=[
        {"Id": "hook", "Arn": f"{endpoint.url}/hook"},
        {"Id": "logs", "Arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}:*",
         "InputTransformer": {"InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": '"order <id> failed"'}},
        {"Id": "topic", "Arn": topic, "InputPath": "$.detail"},
    ])
    assert answer == {"FailedEntryCount": 0, "FailedEntries": [], "ResponseMetadata": answer["ResponseMetadata"]}
    put = events.put_events(Entries=[entry({"id": "o-7", "status": "failed"}, bus=bus),
                                     entry({"id": "o-8", "status": "paid"}, bus=bus)])
    event_id = put["Entries"][0]["EventId"]

    _, headers, event = endpoint.wait_for(lambda p: p[0] == "/hook")
    assert list(event) == ["version", "id", "detail-type", "source", "account", "time", "region", "resources",
                           "detail"]
    assert (event["id"], event["account"], event["region"], event["detail"]) == (
        event_id, ACCOUNT, "us-east-1", {"id": "o-7", "status": "failed"})
    assert headers["x-amz-source-arn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{bus}/failed"
    _, _, message = endpoint.wait_for(lambda p: p[0] == "/sns" and p[2].get("Type") == "Notification")
    assert json.loads(message["Message"]) == {"id": "o-7", "status": "failed"}
    assert message["TopicArn"] == topic
    deadline = time.monotonic() + 20
    while True:
        streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
        if streams or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [s["logStreamName"] for s in streams] == [event_id]
    logged = logs.get_log_events(logGroupName=group, logStreamName=event_id)["events"]
    assert [e["message"] for e in logged] == ['"order o-7 failed"']
    time.sleep(1)
    assert len([p for p in endpoint.posts if p[0] == "/hook"]) == 1, "the paid order matched nothing"


def test_a_failing_target_is_retried_then_kept_as_a_dead_letter_and_counted(server, events):
    failing = Endpoint(status=503)
    try:
        rule = unique("retry")
        events.put_rule(Name=rule, EventPattern=json.dumps({"source": ["shop.retry"]}))
        events.put_targets(Rule=rule, Targets=[{
            "Id": "hook", "Arn": f"{failing.url}/fail",
            "RetryPolicy": {"MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 60},
            "DeadLetterConfig": {"Arn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:dead"},
        }])
        events.put_events(Entries=[{"Source": "shop.retry", "DetailType": "t", "Detail": "{}"}])
        deadline = time.monotonic() + 20
        while len(failing.posts) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(failing.posts) == 2, "the attempt and one retry a second later"
        time.sleep(1.5)
        assert len(failing.posts) == 2, "then given up"
    finally:
        failing.close()
    cloudwatch = server.client("cloudwatch", key=KEY)
    now = datetime.datetime.now(datetime.timezone.utc)

    def total(name: str) -> float:
        points = cloudwatch.get_metric_statistics(
            Namespace="AWS/Events", MetricName=name, Dimensions=[{"Name": "RuleName", "Value": rule}],
            StartTime=now - datetime.timedelta(minutes=10), EndTime=now + datetime.timedelta(minutes=5),
            Period=60, Statistics=["Sum"])["Datapoints"]
        return sum(p["Sum"] for p in points)

    assert total("TriggeredRules") == 1
    assert total("InvocationAttempts") == 2
    assert total("RetryInvocationAttempts") == 1
    assert total("InvocationsSentToDlq") == 1
    assert total("Invocations") == 1
    assert total("SuccessfulInvocationAttempts") == 0
    names = {m["MetricName"] for m in cloudwatch.list_metrics(Namespace="AWS/Events")["Metrics"]}
    assert {"MatchedEvents", "TriggeredRules", "InvocationsCreated", "InvocationAttempts"} <= names


def test_another_accounts_events_wait_for_put_permission(server, events, aws):
    sender = server.client("events", key=SENDER_KEY)
    bus = unique("central")
    arn = events.create_event_bus(Name=bus)["EventBusArn"]
    send = [entry({"status": "failed"}, bus=arn)]
    refused = sender.put_events(Entries=send)
    assert refused["FailedEntryCount"] == 1
    assert refused["Entries"][0]["ErrorCode"] == "AccessDeniedException"
    events.put_permission(EventBusName=bus, Action="events:PutEvents", Principal=SENDER, StatementId="sender")
    policy = json.loads(events.describe_event_bus(Name=bus)["Policy"])
    assert policy["Statement"] == [{
        "Sid": "sender", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SENDER}:root"},
        "Action": "events:PutEvents", "Resource": arn,
    }]
    allowed = sender.put_events(Entries=send)
    assert allowed["FailedEntryCount"] == 0 and "EventId" in allowed["Entries"][0]
    # The aws CLI removes the statement; the bus refuses the sender again.
    removed = aws("events", "remove-permission", "--event-bus-name", bus, "--statement-id", "sender", key=KEY)
    assert removed.returncode == 0, removed.stderr
    assert sender.put_events(Entries=send)["FailedEntryCount"] == 1
    with pytest.raises(botocore.exceptions.ClientError) as info:
        events.remove_permission(EventBusName=bus, StatementId="sender")
    assert info.value.response["Error"]["Message"] == "Statement with the provided id does not exist."


def test_update_event_bus_sets_description_and_dead_letter_queue(events):
    bus = unique("settings")
    events.create_event_bus(Name=bus)
    dlq = f"arn:aws:sqs:us-east-1:{ACCOUNT}:bus-dlq"
    updated = events.update_event_bus(Name=bus, Description="orders", DeadLetterConfig={"Arn": dlq})
    assert (updated["Name"], updated["Description"], updated["DeadLetterConfig"]) == (bus, "orders", {"Arn": dlq})
    described = events.describe_event_bus(Name=bus)
    assert (described["Description"], described["DeadLetterConfig"]) == ("orders", {"Arn": dlq})


def test_a_rule_on_cloudtrail_events_delivers_api_calls_to_an_endpoint(server, events, endpoint):
    """Issue 16, point 9: a rule on "AWS API Call via CloudTrail" events reaches a local HTTP endpoint."""
    sns = server.client("sns", key=KEY)
    name = unique("trail")
    pattern = {"source": ["aws.sns"], "detail-type": ["AWS API Call via CloudTrail"],
               "detail": {"eventSource": ["sns.amazonaws.com"], "eventName": ["CreateTopic"],
                          "requestParameters": {"name": [{"prefix": "audited-"}]}}}
    events.put_rule(Name=name, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=name, Targets=[{"Id": "hook", "Arn": f"{endpoint.url}/trail"}])
    topic = f"audited-{uuid.uuid4().hex[:8]}"
    sns.create_topic(Name=f"not-{topic}")
    sns.list_topics()
    arn = sns.create_topic(Name=topic)["TopicArn"]
    _, _, event = endpoint.wait_for(lambda p: p[0] == "/trail")
    assert (event["detail-type"], event["source"], event["account"]) == (
        "AWS API Call via CloudTrail", "aws.sns", ACCOUNT)
    detail = event["detail"]
    assert (detail["eventName"], detail["requestParameters"]["name"]) == ("CreateTopic", topic)
    assert detail["userIdentity"]["accountId"] == ACCOUNT
    assert detail["eventType"] == "AwsApiCall" and detail["readOnly"] is False
    time.sleep(1)
    assert len([p for p in endpoint.posts if p[0] == "/trail"]) == 1, "only the call the pattern names"
    sns.delete_topic(TopicArn=arn)
