"""EventBridge buses, rules and TestEventPattern (issue 16) through boto3 and the aws CLI, with the answers and
messages AWS gave in LocalStack's AWS-validated snapshots (tests/aws/services/events/*.snapshot.json):
`Event bus X does not exist.`, `Rule X does not exist on EventBus default.`, `Cannot delete event bus default.`,
`Parameter ScheduleExpression is not valid.`, `ScheduleExpression is supported only on the default event bus.`,
every error HTTP 400. Rule ARNs are `rule/NAME` on the default bus and `rule/BUS/NAME` on another; DescribeRule
carries CreatedBy (the account) and EventBusName, ListRules neither CreatedBy. The resources live in an account of
their own (AKIDEVENTS)."""

from __future__ import annotations

import json
import uuid

import botocore.exceptions
import pytest

from conftest import lookup_all, trail_record

KEY = "AKIDEVENTS"
ACCOUNT = "232323232323"
PATTERN = json.dumps({"source": ["shop.orders"], "detail": {"status": ["failed"]}})
EVENT = json.dumps({
    "id": "1", "account": ACCOUNT, "source": "shop.orders", "time": "2026-12-07T10:00:00Z", "region": "us-east-1",
    "detail-type": "Order Placed", "detail": {"status": "failed", "amount": 12.5},
})


def unique(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def events(server):
    return server.client("events", key=KEY)


def refusal(call, **params) -> tuple[str, str, int]:
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**params)
    error = info.value.response["Error"]
    return error["Code"], error["Message"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_default_and_custom_buses(events):
    default = events.describe_event_bus()
    assert (default["Name"], default["Arn"]) == ("default", f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/default")
    name = unique("orders")
    created = events.create_event_bus(Name=name, Description="orders of the shop")
    assert created["EventBusArn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/{name}"
    assert created["Description"] == "orders of the shop"
    described = events.describe_event_bus(Name=created["EventBusArn"])
    assert (described["Name"], described["Description"]) == (name, "orders of the shop")
    assert described["CreationTime"].year >= 2025
    assert refusal(events.create_event_bus, Name=name) == (
        "ResourceAlreadyExistsException", f"Event bus {name} already exists.", 400)
    missing = unique("missing")
    assert refusal(events.describe_event_bus, Name=missing) == (
        "ResourceNotFoundException", f"Event bus {missing} does not exist.", 400)
    events.delete_event_bus(Name=name)
    events.delete_event_bus(Name=name)  # deleting what is gone succeeds, as in AWS
    assert refusal(events.delete_event_bus, Name="default") == (
        "ValidationException", "Cannot delete event bus default.", 400)


def test_buses_are_listed_by_name_in_pages(events):
    prefix = unique("list")
    for suffix in ["c", "a", "b"]:
        events.create_event_bus(Name=f"{prefix}-{suffix}")
    first = events.list_event_buses(NamePrefix=prefix, Limit=2)
    assert [b["Name"] for b in first["EventBuses"]] == [f"{prefix}-a", f"{prefix}-b"]
    second = events.list_event_buses(NamePrefix=prefix, Limit=2, NextToken=first["NextToken"])
    assert [b["Name"] for b in second["EventBuses"]] == [f"{prefix}-c"] and "NextToken" not in second
    assert "default" in [b["Name"] for b in events.list_event_buses()["EventBuses"]]


def test_rules_on_the_default_and_a_custom_bus(events):
    bus = unique("bus")
    events.create_event_bus(Name=bus)
    rule = unique("failed-orders")
    assert events.put_rule(Name=rule, EventPattern=PATTERN)["RuleArn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{rule}"
    on_bus = events.put_rule(Name=rule, EventPattern=PATTERN, EventBusName=bus, Description="failures")
    assert on_bus["RuleArn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{bus}/{rule}"
    described = events.describe_rule(Name=rule)
    assert {k: described[k] for k in ["Name", "EventPattern", "State", "EventBusName", "CreatedBy"]} == {
        "Name": rule, "EventPattern": PATTERN, "State": "ENABLED", "EventBusName": "default", "CreatedBy": ACCOUNT}
    listed = events.list_rules(EventBusName=bus, NamePrefix=rule)["Rules"]
    assert [(r["Name"], r["EventBusName"], r["Description"]) for r in listed] == [(rule, bus, "failures")]
    assert "CreatedBy" not in listed[0]
    events.disable_rule(Name=rule, EventBusName=bus)
    assert events.describe_rule(Name=rule, EventBusName=bus)["State"] == "DISABLED"
    events.enable_rule(Name=rule, EventBusName=bus)
    assert events.describe_rule(Name=rule, EventBusName=bus)["State"] == "ENABLED"
    assert refusal(events.delete_event_bus, Name=bus) == (
        "ValidationException", "EventBus can't be deleted since it has rules.", 400)
    events.delete_rule(Name=rule, EventBusName=bus)
    events.delete_rule(Name=rule, EventBusName=bus)
    events.delete_event_bus(Name=bus)
    events.delete_rule(Name=rule)
    assert refusal(events.describe_rule, Name=rule) == (
        "ResourceNotFoundException", f"Rule {rule} does not exist on EventBus default.", 400)


def test_put_rule_refusals(events):
    bus = unique("bus")
    events.create_event_bus(Name=bus)
    rule = unique("rule")
    assert refusal(events.put_rule, Name=rule, ScheduleExpression="rate(1 hour)", EventBusName=bus) == (
        "ValidationException", "ScheduleExpression is supported only on the default event bus.", 400)
    for expression in ["cron(0 1 * * * *)", "cron(71 8 1 * ? *)", "cron(INVALID)", "rate(1 minutes)", "rate(10 minute)"]:
        assert refusal(events.put_rule, Name=rule, ScheduleExpression=expression) == (
            "ValidationException", "Parameter ScheduleExpression is not valid.", 400), expression
    assert refusal(events.put_rule, Name=rule) == (
        "ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.", 400)
    code, message, status = refusal(events.put_rule, Name=rule, EventPattern=json.dumps({"source": []}))
    assert (code, message, status) == (
        "InvalidEventPatternException", "Event pattern is not valid. Reason: Empty arrays are not allowed", 400)
    code, message, _ = refusal(events.put_rule, Name=rule, EventPattern=json.dumps({"detail": {"n": [{"numeric": [">", "5"]}]}}))
    assert (code, message) == ("InvalidEventPatternException", "Event pattern is not valid. Reason: Value of > must be numeric")
    scheduled = events.put_rule(Name=rule, ScheduleExpression="cron(0 8 ? * MON *)")
    assert events.describe_rule(Name=rule)["ScheduleExpression"] == "cron(0 8 ? * MON *)"
    events.delete_rule(Name=rule)
    assert scheduled["RuleArn"].endswith(f":rule/{rule}")


def test_test_event_pattern(events):
    assert events.test_event_pattern(EventPattern=PATTERN, Event=EVENT)["Result"] is True
    other = json.dumps({"source": ["shop.orders"], "detail": {"amount": [{"numeric": [">", 100]}]}})
    assert events.test_event_pattern(EventPattern=other, Event=EVENT)["Result"] is False
    for bad in ["not json", "[1, 2]", json.dumps({"source": "shop.orders"})]:
        assert refusal(events.test_event_pattern, EventPattern=PATTERN, Event=bad) == (
            "ValidationException", "Parameter Event is not valid.", 400)
    assert refusal(events.test_event_pattern, EventPattern="{}", Event=EVENT)[0] == "InvalidEventPatternException"


def test_rules_are_audited_as_eventbridge_calls(server, events):
    rule = unique("audited")
    request_id = events.put_rule(Name=rule, EventPattern=PATTERN)["ResponseMetadata"]["RequestId"]
    trail = server.client("cloudtrail", key=KEY)
    found = [trail_record(e) for e in lookup_all(trail, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "PutRule"}])]
    record = next(r for r in found if r["requestID"] == request_id)
    assert record["eventSource"] == "events.amazonaws.com"
    assert record["requestParameters"]["name"] == rule
    assert record["resources"][0]["ARN"] == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{rule}"


@pytest.mark.parametrize(("region", "partition"), [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_arns_name_the_regions_partition(server, region, partition):
    events = server.client("events", key=KEY, region=region)
    rule = unique("rule")
    assert events.put_rule(Name=rule, EventPattern=PATTERN)["RuleArn"] == f"arn:{partition}:events:{region}:{ACCOUNT}:rule/{rule}"
    assert events.describe_event_bus()["Arn"] == f"arn:{partition}:events:{region}:{ACCOUNT}:event-bus/default"


def test_the_aws_cli(aws):
    rule = unique("cli")

    def run(*args: str):
        result = aws("events", *args, key=KEY)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    arn = run("put-rule", "--name", rule, "--event-pattern", PATTERN, "--state", "DISABLED")["RuleArn"]
    assert arn == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{rule}"
    assert run("describe-rule", "--name", rule)["State"] == "DISABLED"
    assert run("test-event-pattern", "--event-pattern", PATTERN, "--event", EVENT)["Result"] is True
    run("delete-rule", "--name", rule)
    missing = aws("events", "describe-rule", "--name", rule, key=KEY)
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr


def test_hostile_patterns_and_events_are_refused_in_bounds(events):
    """Nesting past 128 levels, a pattern past the model's 4,096 characters and an $or expanding past 1,000
    combinations are refused with a 400, quickly, and the server keeps answering."""
    deep = '{"a":' * 200 + '["x"]' + "}" * 200
    code, message, status = refusal(events.test_event_pattern, EventPattern=deep, Event=EVENT)
    assert (code, status) == ("InvalidEventPatternException", 400) and "deeper than 128" in message
    long = json.dumps({"source": ["x" * 5000]})
    code, message, _ = refusal(events.put_rule, Name=unique("long"), EventPattern=long)
    assert code == "ValidationException" and "length less than or equal to 4096" in message
    wide = {"$or": [{"a": ["1"], "$or": [{"b": ["1"]}, {"b": ["2"]}]}] * 2}
    nested = {f"n{i}": {"$or": [{"x": [1]}, {"y": [2]}, {"z": [3]}, {"w": [4]}]} for i in range(6)}
    code, message, _ = refusal(events.put_rule, Name=unique("wide"), EventPattern=json.dumps(nested))
    assert code == "InvalidEventPatternException" and "1000 combinations" in message, message
    # A nested $or within bounds is taken.
    assert events.test_event_pattern(EventPattern=json.dumps(wide), Event=EVENT)["Result"] is False
    deep_event = '{"id": "1", "account": "1", "source": "s", "time": "t", "region": "r", "detail-type": "d", "detail": ' + '[' * 300 + ']' * 300 + '}'
    assert refusal(events.test_event_pattern, EventPattern=PATTERN, Event=deep_event)[:2] == (
        "ValidationException", "Parameter Event is not valid.")
    assert events.describe_event_bus()["Name"] == "default"


def test_targets(events):
    rule = unique("targets")
    events.put_rule(Name=rule, EventPattern=PATTERN)
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:failures"
    group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:orders"
    put = events.put_targets(Rule=rule, Targets=[
        {"Id": "t1", "Arn": topic},
        {"Id": "t2", "Arn": group, "InputPath": "$.detail"},
        {"Id": "t3", "Arn": topic, "InputTransformer": {
            "InputPathsMap": {"status": "$.detail.status"}, "InputTemplate": '{"status": <status>}'}},
    ])
    assert (put["FailedEntryCount"], put["FailedEntries"]) == (0, [])
    first = events.list_targets_by_rule(Rule=rule, Limit=2)
    assert [t["Id"] for t in first["Targets"]] == ["t1", "t2"] and first["Targets"][1]["InputPath"] == "$.detail"
    rest = events.list_targets_by_rule(Rule=rule, NextToken=first["NextToken"])
    assert rest["Targets"] == [{"Id": "t3", "Arn": topic, "InputTransformer": {
        "InputPathsMap": {"status": "$.detail.status"}, "InputTemplate": '{"status": <status>}'}}]
    assert "NextToken" not in rest
    assert rule in events.list_rule_names_by_target(TargetArn=topic)["RuleNames"]
    assert refusal(events.delete_rule, Name=rule) == ("ValidationException", "Rule can't be deleted since it has targets.", 400)
    assert refusal(events.put_targets, Rule=rule, Targets=[{"Id": "!@#$@!#$", "Arn": topic}]) == (
        "ValidationException",
        "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+", 400)
    assert refusal(events.put_targets, Rule=rule, Targets=[{"Id": "x", "Arn": topic, "InputTransformer": {
        "InputPathsMap": {"a": "$.detail"}, "InputTemplate": "<a> <notdefinedkey>"}}]) == (
        "ValidationException", "InputTemplate for target x contains invalid placeholder notdefinedkey.", 400)
    assert refusal(events.put_targets, Rule=rule, Targets=[
        {"Id": f"more{i}", "Arn": topic} for i in range(3)]) == (
        "LimitExceededException", "The requested resource exceeds the maximum number allowed.", 400)
    removed = events.remove_targets(Rule=rule, Ids=["t1", "t2", "t3"])
    assert (removed["FailedEntryCount"], removed["FailedEntries"]) == (0, [])
    events.delete_rule(Name=rule)
    missing = unique("missing")
    assert refusal(events.put_targets, Rule=missing, Targets=[{"Id": "t", "Arn": topic}]) == (
        "ResourceNotFoundException", f"Rule {missing} does not exist on EventBus default.", 400)


def test_tags_on_buses_and_rules(events):
    bus = events.create_event_bus(Name=unique("tagged"), Tags=[{"Key": "team", "Value": "shop"}])["EventBusArn"]
    rule = events.put_rule(Name=unique("tagged"), EventPattern=PATTERN, Tags=[{"Key": "a", "Value": "1"}])["RuleArn"]
    default = f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/default"
    assert events.list_tags_for_resource(ResourceARN=bus)["Tags"] == [{"Key": "team", "Value": "shop"}]
    for arn in [bus, rule, default]:
        events.tag_resource(ResourceARN=arn, Tags=[{"Key": "tier", "Value": "1"}, {"Key": "owner", "Value": "me"}])
        events.untag_resource(ResourceARN=arn, TagKeys=["owner", "absent"])
        assert {"Key": "tier", "Value": "1"} in events.list_tags_for_resource(ResourceARN=arn)["Tags"]
    assert events.list_tags_for_resource(ResourceARN=rule)["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "tier", "Value": "1"}]
    missing = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{unique('missing')}"
    assert refusal(events.list_tags_for_resource, ResourceARN=missing) == (
        "ResourceNotFoundException", f"Rule {missing.rsplit('/', 1)[1]} does not exist on EventBus default.", 400)
