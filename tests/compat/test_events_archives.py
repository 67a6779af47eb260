"""EventBridge archives and replays (issue 16, point 6) through boto3 and the aws CLI, with the shapes and
refusals AWS's snapshots recorded: CreateArchive answers ArchiveArn, State and CreationTime; DescribeArchive counts
the events kept; ListArchives leaves out the ARN, description and pattern; a replay of a time range sends the
events back to the bus's rules with `replay-name`, reports COMPLETED with EventLastReplayedTime, and ListReplays
leaves out the ARN and destination."""

from __future__ import annotations

import datetime
import json
import time
import uuid

import botocore.exceptions
import pytest

from test_events_delivery import ACCOUNT, KEY, Endpoint

NOW = datetime.datetime.now(datetime.timezone.utc)


@pytest.fixture
def events(server):
    return server.client("events", key=KEY)


@pytest.fixture
def endpoint():
    ep = Endpoint()
    yield ep
    ep.close()


def unique(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def refusal(call, **params) -> tuple[str, str]:
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**params)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def test_archive_then_replay_the_incident(server, events, endpoint, aws):
    bus = unique("shop")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    events.put_rule(Name="failed", EventBusName=bus, EventPattern=json.dumps({"detail": {"status": ["failed"]}}))
    events.put_targets(Rule="failed", EventBusName=bus, Targets=[{"Id": "hook", "Arn": f"{endpoint.url}/failed"}])
    name = unique("everything")
    created = events.create_archive(ArchiveName=name, EventSourceArn=bus_arn, Description="all of it",
                                    RetentionDays=7)
    assert created["ArchiveArn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:archive/{name}"
    assert created["State"] == "ENABLED" and created["CreationTime"].year >= 2025
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)
    events.put_events(Entries=[
        {"Source": "shop.orders", "DetailType": "Order", "Detail": json.dumps({"id": i, "status": status}),
         "EventBusName": bus}
        for i, status in enumerate(["paid", "failed", "paid"])
    ])
    endpoint.wait_for(lambda p: p[0] == "/failed")
    described = events.describe_archive(ArchiveName=name)
    assert (described["EventCount"], described["RetentionDays"], described["Description"]) == (3, 7, "all of it")
    assert described["EventSourceArn"] == bus_arn and described["SizeBytes"] > 300
    assert "EventPattern" not in described
    listed = events.list_archives(NamePrefix=name)["Archives"]
    assert len(listed) == 1 and set(listed[0]) == {
        "ArchiveName", "EventSourceArn", "State", "RetentionDays", "SizeBytes", "EventCount", "CreationTime"}
    cli = aws("events", "list-archives", "--event-source-arn", bus_arn, key=KEY)
    assert cli.returncode == 0, cli.stderr
    assert [a["ArchiveName"] for a in cli.json["Archives"]] == [name]

    replay = unique("incident")
    end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)
    started = events.start_replay(ReplayName=replay, EventSourceArn=created["ArchiveArn"], EventStartTime=start,
                                  EventEndTime=end, Destination={"Arn": bus_arn})
    assert started["State"] == "STARTING"
    assert started["ReplayArn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:replay/{replay}"
    deadline = time.monotonic() + 20
    while events.describe_replay(ReplayName=replay)["State"] != "COMPLETED" and time.monotonic() < deadline:
        time.sleep(0.2)
    done = events.describe_replay(ReplayName=replay)
    assert done["State"] == "COMPLETED"
    assert done["Destination"] == {"Arn": bus_arn}
    assert done["EventSourceArn"] == created["ArchiveArn"] and "EventLastReplayedTime" in done
    _, _, again = endpoint.wait_for(lambda p: p[0] == "/failed" and p[2].get("replay-name") == replay)
    assert again["detail"] == {"id": 1, "status": "failed"}
    keys = list(again)
    assert keys.index("replay-name") == keys.index("region") + 1
    replays = events.list_replays(NamePrefix=replay)["Replays"]
    assert len(replays) == 1 and "ReplayArn" not in replays[0] and "Destination" not in replays[0]
    assert events.describe_archive(ArchiveName=name)["EventCount"] == 3, "replayed events are not archived again"

    assert refusal(events.start_replay, ReplayName=replay, EventSourceArn=created["ArchiveArn"],
                   EventStartTime=start, EventEndTime=end, Destination={"Arn": bus_arn}) == (
        "ResourceAlreadyExistsException", f"Replay {replay} already exists.")
    assert refusal(events.describe_archive, ArchiveName="nope") == (
        "ResourceNotFoundException", "Archive nope does not exist.")
    assert refusal(events.update_archive, ArchiveName=name) == (
        "ValidationException", "At least one of EventPattern, RetentionDays or Description must be provided.")
    events.update_archive(ArchiveName=name, EventPattern=json.dumps({"detail": {"status": ["failed"]}}))
    assert json.loads(events.describe_archive(ArchiveName=name)["EventPattern"]) == {
        "detail": {"status": ["failed"]}}
    events.delete_archive(ArchiveName=name)
    assert refusal(events.delete_archive, ArchiveName=name) == (
        "ResourceNotFoundException", f"Archive {name} does not exist.")


def test_a_replay_can_be_cancelled(events):
    bus = unique("cancel")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    archive_arn = events.create_archive(ArchiveName=unique("a"), EventSourceArn=bus_arn)["ArchiveArn"]
    replay = unique("r")
    events.start_replay(ReplayName=replay, EventSourceArn=archive_arn, EventStartTime=NOW - datetime.timedelta(days=1),
                        EventEndTime=NOW - datetime.timedelta(hours=1), Destination={"Arn": bus_arn})
    try:
        cancelled = events.cancel_replay(ReplayName=replay)
        assert cancelled["State"] == "CANCELLING"
    except botocore.exceptions.ClientError as error:
        # The replay of an empty range may finish before the cancel arrives.
        assert error.response["Error"]["Code"] == "IllegalStatusException"
    deadline = time.monotonic() + 10
    while events.describe_replay(ReplayName=replay)["State"] not in ("CANCELLED", "COMPLETED"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
