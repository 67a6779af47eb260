"""CloudWatch Logs (issue 14), with boto3 and the aws CLI: groups, streams, PutLogEvents' acceptance rules,
GetLogEvents' pages and tokens, FilterLogEvents across streams with patterns and pages, retention, tags and KMS
keys, as CloudWatch Logs answers them. AKIDLOGS's account (141414141414) is used by this module only."""

from __future__ import annotations

import json
import time

import botocore.exceptions
import pytest

KEY = "AKIDLOGS"
ACCOUNT = "141414141414"
KMS = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs", key=KEY)


def now_ms():
    return int(time.time() * 1000)


def error(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_groups_are_created_described_and_deleted(logs, unique):
    name = f"/compat/{unique}/app"
    logs.create_log_group(logGroupName=name, tags={"team": "shop"}, logGroupClass="STANDARD")
    assert error(logs.create_log_group, logGroupName=name)[0] == "ResourceAlreadyExistsException"
    group = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]
    assert group["logGroupName"] == name
    assert group["arn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}:*"
    assert group["logGroupArn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}"
    assert group["storedBytes"] == 0 and group["metricFilterCount"] == 0
    assert group["logGroupClass"] == "STANDARD" and "retentionInDays" not in group
    assert abs(group["creationTime"] - now_ms()) < 60_000

    logs.put_retention_policy(logGroupName=name, retentionInDays=7)
    assert logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]["retentionInDays"] == 7
    code, message = error(logs.put_retention_policy, logGroupName=name, retentionInDays=4)
    assert code == "InvalidParameterException" and "retentionInDays" in message, message
    logs.delete_retention_policy(logGroupName=name)
    assert "retentionInDays" not in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]

    code, message = error(logs.create_log_group, logGroupName="bad name!")
    assert code == "InvalidParameterException" and "logGroupName" in message, message

    logs.delete_log_group(logGroupName=name)
    assert logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] == []
    assert error(logs.delete_log_group, logGroupName=name)[0] == "ResourceNotFoundException"


def test_describe_log_groups_pages_prefixes_and_patterns(logs, unique):
    names = [f"/page/{unique}/g{i:02}" for i in range(7)]
    for name in names:
        logs.create_log_group(logGroupName=name)
    seen, token = [], None
    while True:
        page = logs.describe_log_groups(logGroupNamePrefix=f"/page/{unique}/", limit=3,
                                        **({"nextToken": token} if token else {}))
        assert len(page["logGroups"]) <= 3
        seen += [g["logGroupName"] for g in page["logGroups"]]
        token = page.get("nextToken")
        if not token:
            break
    assert seen == names
    paginated = [g["logGroupName"] for p in logs.get_paginator("describe_log_groups").paginate(
        logGroupNamePrefix=f"/page/{unique}/", PaginationConfig={"PageSize": 2}) for g in p["logGroups"]]
    assert paginated == names
    upper = unique.upper()
    found = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePattern=f"{upper}/G03")["logGroups"]]
    assert found == [names[3]]
    code, _ = error(logs.describe_log_groups, logGroupNamePrefix="/a", logGroupNamePattern="b")
    assert code == "InvalidParameterException"
    assert error(logs.describe_log_groups, nextToken="garbage")[0] == "InvalidParameterException"


def test_streams_order_by_name_and_last_event_time(logs, unique):
    group = f"/streams/{unique}"
    logs.create_log_group(logGroupName=group)
    base = now_ms() - 60_000
    for i, name in enumerate(["c", "a", "b"]):
        logs.create_log_stream(logGroupName=group, logStreamName=name)
        logs.put_log_events(logGroupName=group, logStreamName=name,
                            logEvents=[{"timestamp": base + i * 1000, "message": f"event {name}"}])
    assert error(logs.create_log_stream, logGroupName=group, logStreamName="a")[0] == "ResourceAlreadyExistsException"
    by_name = [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=group)["logStreams"]]
    assert by_name == ["a", "b", "c"]
    desc = logs.describe_log_streams(logGroupName=group, descending=True)["logStreams"]
    assert [s["logStreamName"] for s in desc] == ["c", "b", "a"]
    by_time = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True)["logStreams"]
    assert [s["logStreamName"] for s in by_time] == ["b", "a", "c"]
    stream = by_time[0]
    assert stream["firstEventTimestamp"] == stream["lastEventTimestamp"] == base + 2000
    assert stream["arn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}:log-stream:b"
    assert stream["storedBytes"] == 0 and abs(stream["lastIngestionTime"] - now_ms()) < 60_000
    code, _ = error(logs.describe_log_streams, logGroupName=group, orderBy="LastEventTime", logStreamNamePrefix="a")
    assert code == "InvalidParameterException"
    pages = [s["logStreamName"] for p in logs.get_paginator("describe_log_streams").paginate(
        logGroupName=group, PaginationConfig={"PageSize": 1}) for s in p["logStreams"]]
    assert pages == ["a", "b", "c"]
    logs.delete_log_stream(logGroupName=group, logStreamName="a")
    assert error(logs.delete_log_stream, logGroupName=group, logStreamName="a")[0] == "ResourceNotFoundException"
    assert [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=group)["logStreams"]] == ["b", "c"]
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["storedBytes"] == 3 * (7 + 26)


def test_put_log_events_rejects_by_index_and_stores_the_rest(logs, unique):
    group, stream = f"/put/{unique}", "s"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    now = now_ms()
    day = 86_400_000
    reply = logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": now - 14 * day - 7_200_000, "message": "too old"},
        {"timestamp": now - 14 * day - 60_000, "message": "too old too"},
        {"timestamp": now - 14 * day + 3_600_000, "message": "kept 1"},
    ])
    assert reply["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1}
    assert reply["nextSequenceToken"].isdigit()
    reply = logs.put_log_events(logGroupName=group, logStreamName=stream, sequenceToken="whatever", logEvents=[
        {"timestamp": now, "message": "kept 2"},
        {"timestamp": now + 3 * 3_600_000, "message": "too new"},
    ])
    assert reply["rejectedLogEventsInfo"] == {"tooNewLogEventStartIndex": 1}
    logs.put_retention_policy(logGroupName=group, retentionInDays=1)
    reply = logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": now - day - 60_000, "message": "expired"},
        {"timestamp": now - 120_000, "message": "kept 3"},
    ])
    assert reply["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 0}
    messages = [e["message"] for e in logs.get_log_events(logGroupName=group, logStreamName=stream,
                                                            startFromHead=True)["events"]]
    # Retention now hides the event kept 13 days ago as well.
    assert messages == ["kept 3", "kept 2"]

    code, message = error(logs.put_log_events, logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": now, "message": "b"}, {"timestamp": now - 1, "message": "a"}])
    assert code == "InvalidParameterException" and "chronological" in message
    code, message = error(logs.put_log_events, logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": now - day - 1, "message": "a"}, {"timestamp": now, "message": "b"}])
    assert code == "InvalidParameterException" and "24 hours" in message
    code, message = error(logs.put_log_events, logGroupName=group, logStreamName=stream,
                          logEvents=[{"timestamp": now, "message": "x" * 600_000},
                                     {"timestamp": now, "message": "y" * 600_000}])
    assert code == "InvalidParameterException" and "too large" in message, message
    assert error(logs.put_log_events, logGroupName=group, logStreamName="nope",
                 logEvents=[{"timestamp": now, "message": "a"}])[0] == "ResourceNotFoundException"
    assert error(logs.put_log_events, logGroupName=f"{group}-nope", logStreamName=stream,
                 logEvents=[{"timestamp": now, "message": "a"}])[0] == "ResourceNotFoundException"


def test_get_log_events_pages_forward_and_backward(logs, unique):
    group, stream = f"/get/{unique}", "s"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    base = now_ms() - 3_600_000
    for batch in range(5):
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": base + batch * 10_000 + i, "message": f"m{batch * 10 + i:02}"} for i in range(10)])
    # An older batch after newer ones: the stream is read in time order whatever the arrival.
    logs.put_log_events(logGroupName=group, logStreamName=stream,
                        logEvents=[{"timestamp": base - 5, "message": "early"}])
    expected = ["early"] + [f"m{i:02}" for i in range(50)]

    tail = logs.get_log_events(logGroupName=group, logStreamName=stream, limit=20)
    assert [e["message"] for e in tail["events"]] == expected[-20:]
    back = logs.get_log_events(logGroupName=group, logStreamName=stream, limit=20,
                               nextToken=tail["nextBackwardToken"])
    assert [e["message"] for e in back["events"]] == expected[-40:-20]

    forward, token, pages = [], None, 0
    while True:
        page = logs.get_log_events(logGroupName=group, logStreamName=stream, limit=7, startFromHead=True,
                                   **({"nextToken": token} if token else {}))
        pages += 1
        if token == page["nextForwardToken"]:
            assert page["events"] == []
            break
        forward += [e["message"] for e in page["events"]]
        token = page["nextForwardToken"]
    assert forward == expected and pages == 9
    # New events show up behind the last forward token.
    logs.put_log_events(logGroupName=group, logStreamName=stream,
                        logEvents=[{"timestamp": base + 100_000, "message": "late"}])
    assert [e["message"] for e in logs.get_log_events(logGroupName=group, logStreamName=stream,
                                                       nextToken=token)["events"]] == ["late"]
    ranged = logs.get_log_events(logGroupName=group, logStreamName=stream, startTime=base + 10_000,
                                 endTime=base + 20_000, startFromHead=True)
    assert [e["message"] for e in ranged["events"]] == [f"m{i:02}" for i in range(10, 20)]
    event = ranged["events"][0]
    assert event["timestamp"] == base + 10_000 and abs(event["ingestionTime"] - now_ms()) < 60_000
    assert error(logs.get_log_events, logGroupName=group, logStreamName=stream,
                 nextToken="f/1")[0] == "InvalidParameterException"


def test_filter_log_events_matches_across_streams_in_time_order(logs, unique):
    group = f"/filter/{unique}"
    logs.create_log_group(logGroupName=group)
    base = now_ms() - 600_000
    for stream, offset in [("web-1", 0), ("web-2", 1), ("worker", 2)]:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": base + i * 3 + offset,
             "message": f"{stream} {'ERROR' if i % 5 == 0 else 'INFO'} request {i}"} for i in range(40)])
    everything = logs.filter_log_events(logGroupName=group)["events"]
    assert len(everything) == 120
    assert [e["timestamp"] for e in everything] == sorted(e["timestamp"] for e in everything)
    errors = logs.filter_log_events(logGroupName=group, filterPattern="ERROR")["events"]
    assert len(errors) == 24 and all("ERROR" in e["message"] for e in errors)
    assert {e["logStreamName"] for e in errors} == {"web-1", "web-2", "worker"}
    assert len({e["eventId"] for e in errors}) == 24
    web = logs.filter_log_events(logGroupName=group, filterPattern="ERROR", logStreamNamePrefix="web")["events"]
    assert len(web) == 16
    named = logs.filter_log_events(logGroupName=group, logStreamNames=["worker"], filterPattern="-INFO")["events"]
    assert len(named) == 8
    ranged = logs.filter_log_events(logGroupName=group, startTime=base, endTime=base + 29)["events"]
    assert len(ranged) == 30, "endTime is inclusive"
    pages = list(logs.get_paginator("filter_log_events").paginate(
        logGroupName=group, filterPattern="INFO", PaginationConfig={"PageSize": 25}))
    assert [len(p["events"]) for p in pages] == [25, 25, 25, 21]
    assert [e["eventId"] for p in pages for e in p["events"]] == [
        e["eventId"] for e in logs.filter_log_events(logGroupName=group, filterPattern="INFO")["events"]]
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"
    assert len(logs.filter_log_events(logGroupIdentifier=arn, filterPattern="ERROR")["events"]) == 24
    code, _ = error(logs.filter_log_events, logGroupName=group, logStreamNames=["a"], logStreamNamePrefix="a")
    assert code == "InvalidParameterException"


def test_tags_by_arn_and_by_name(logs, unique):
    group = f"/tags/{unique}"
    logs.create_log_group(logGroupName=group, tags={"env": "dev"})
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"
    logs.tag_resource(resourceArn=arn, tags={"team": "shop"})
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "dev", "team": "shop"}
    logs.untag_resource(resourceArn=arn, tagKeys=["env"])
    assert logs.list_tags_log_group(logGroupName=group)["tags"] == {"team": "shop"}
    logs.tag_log_group(logGroupName=group, tags={"tier": "web"})
    logs.untag_log_group(logGroupName=group, tags=["team"])
    assert logs.list_tags_for_resource(resourceArn=arn + ":*")["tags"] == {"tier": "web"}
    code, _ = error(logs.list_tags_for_resource, resourceArn=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/none")
    assert code == "ResourceNotFoundException"
    code, _ = error(logs.tag_resource, resourceArn=arn, tags={f"k{i}": "v" for i in range(51)})
    assert code in ("TooManyTagsException", "InvalidParameterException")


def test_kms_keys_seal_new_events(logs, unique, server):
    group = f"/kms/{unique}"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    logs.put_log_events(logGroupName=group, logStreamName="s",
                        logEvents=[{"timestamp": now_ms(), "message": "plain before"}])
    logs.associate_kms_key(logGroupName=group, kmsKeyId=KMS)
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["kmsKeyId"] == KMS
    marker = f"sealed-secret-{unique}"
    logs.put_log_events(logGroupName=group, logStreamName="s",
                        logEvents=[{"timestamp": now_ms(), "message": marker}])
    logs.disassociate_kms_key(logGroupName=group)
    assert "kmsKeyId" not in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    messages = [e["message"] for e in logs.get_log_events(logGroupName=group, logStreamName="s",
                                                            startFromHead=True)["events"]]
    assert messages == ["plain before", marker]
    key_file = server.data_dir / "kms" / ACCOUNT / "us-east-1" / f"{KMS.rsplit('/', 1)[1]}.key"
    assert key_file.exists()
    other_region = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    assert error(logs.associate_kms_key, logGroupName=group, kmsKeyId=other_region)[0] == "InvalidParameterException"
    encrypted = f"/kms/{unique}/born-sealed"
    logs.create_log_group(logGroupName=encrypted, kmsKeyId=KMS)
    assert logs.describe_log_groups(logGroupNamePrefix=encrypted)["logGroups"][0]["kmsKeyId"] == KMS


def test_the_aws_cli_drives_groups_streams_and_events(aws, unique):
    group = f"/cli/{unique}"
    assert aws("logs", "create-log-group", "--log-group-name", group, key=KEY).returncode == 0
    assert aws("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "s",
               key=KEY).returncode == 0
    put = aws("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s", "--log-events",
              json.dumps([{"timestamp": now_ms(), "message": "hello from the cli"}]), key=KEY)
    assert put.returncode == 0, put.stderr
    assert "nextSequenceToken" in put.json
    got = aws("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "s", key=KEY)
    assert got.returncode == 0, got.stderr
    assert [e["message"] for e in got.json["events"]] == ["hello from the cli"]
    filtered = aws("logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "cli", key=KEY)
    assert filtered.returncode == 0, filtered.stderr
    assert len(filtered.json["events"]) == 1
    groups = aws("logs", "describe-log-groups", "--log-group-name-prefix", group, key=KEY)
    assert [g["logGroupName"] for g in groups.json["logGroups"]] == [group]
    bad = aws("logs", "put-retention-policy", "--log-group-name", group, "--retention-in-days", "2", key=KEY)
    assert bad.returncode != 0 and "InvalidParameterException" in bad.stderr


def test_metric_filters_publish_only_what_arrives_after_them(logs, server, unique):
    group, namespace = f"/mf/{unique}", f"Compat/{unique}"
    cloudwatch = server.client("cloudwatch", key=KEY)
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    minute = (now_ms() // 60_000 - 2) * 60_000
    event = lambda offset, status, latency: {  # noqa: E731
        "timestamp": minute + offset, "message": json.dumps({"status": status, "latency": latency, "host": "h1"})}
    logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[event(0, 500, 1.0)])
    logs.put_metric_filter(logGroupName=group, filterName="errors", filterPattern="{ $.status >= 500 }",
                           metricTransformations=[{"metricName": "Errors", "metricNamespace": namespace,
                                                   "metricValue": "1", "defaultValue": 0, "unit": "Count"}])
    logs.put_metric_filter(logGroupName=group, filterName="latency", filterPattern="{ $.latency > 0 }",
                           metricTransformations=[{"metricName": "Latency", "metricNamespace": namespace,
                                                   "metricValue": "$.latency", "dimensions": {"Host": "$.host"}}])
    logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        event(1, 500, 2.0), event(2, 200, 4.0), event(3, 503, 6.0)])
    filters = logs.describe_metric_filters(logGroupName=group)["metricFilters"]
    assert [f["filterName"] for f in filters] == ["errors", "latency"]
    assert filters[1]["metricTransformations"][0]["dimensions"] == {"Host": "$.host"}
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["metricFilterCount"] == 2
    by_metric = logs.describe_metric_filters(metricName="Errors", metricNamespace=namespace)["metricFilters"]
    assert [f["filterName"] for f in by_metric] == ["errors"]

    def stats(name, dimensions):
        return cloudwatch.get_metric_statistics(
            Namespace=namespace, MetricName=name, Dimensions=dimensions, StartTime=minute / 1000 - 60,
            EndTime=minute / 1000 + 120, Period=60, Statistics=["Sum", "SampleCount", "Maximum"])["Datapoints"]

    errors = stats("Errors", [])
    assert [(d["Sum"], d["SampleCount"]) for d in errors] == [(2.0, 3.0)], "the event before the filter is not counted"
    latency = stats("Latency", [{"Name": "Host", "Value": "h1"}])
    assert [(d["Sum"], d["Maximum"]) for d in latency] == [(12.0, 6.0)]

    code, message = error(logs.put_metric_filter, logGroupName=group, filterName="bad", filterPattern="{ $.a = 1 }",
                          metricTransformations=[{"metricName": "M", "metricNamespace": namespace, "metricValue": "1",
                                                  "defaultValue": 0, "dimensions": {"D": "$.a"}}])
    assert code == "InvalidParameterException" and "default value" in message, message
    code, message = error(logs.put_metric_filter, logGroupName=group, filterName="bad", filterPattern="{ $.a = ",
                          metricTransformations=[{"metricName": "M", "metricNamespace": namespace, "metricValue": "1"}])
    assert code == "InvalidParameterException", message
    logs.delete_metric_filter(logGroupName=group, filterName="errors")
    assert error(logs.delete_metric_filter, logGroupName=group, filterName="errors")[0] == "ResourceNotFoundException"
    assert [f["filterName"] for f in logs.describe_metric_filters(logGroupName=group)["metricFilters"]] == ["latency"]


def test_test_metric_filter_extracts_as_aws_documents(logs):
    access = ['127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
              '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
              '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355']
    matches = logs.test_metric_filter(
        filterPattern="[ip, id, user, timestamp, request, status_code = 2*, size]", logEventMessages=access)["matches"]
    assert [m["eventNumber"] for m in matches] == [1, 3]
    assert matches[0]["extractedValues"] == {
        "$ip": "127.0.0.1", "$id": "-", "$user": "frank", "$timestamp": "10/Oct/2000:13:25:15 -0700",
        "$request": "GET /apache_pb.gif HTTP/1.0", "$status_code": "200", "$size": "1534"}
    json_events = [json.dumps({"eventType": "UpdateTrail", "sourceIPAddress": "123.123.123.123"}),
                   json.dumps({"eventType": "DeleteTrail", "sourceIPAddress": "10.0.0.1"})]
    matches = logs.test_metric_filter(filterPattern='{ $.eventType = "Update*" }',
                                      logEventMessages=json_events)["matches"]
    assert [(m["eventNumber"], m["extractedValues"]) for m in matches] == [(1, {"$.eventType": "UpdateTrail"})]
    matches = logs.test_metric_filter(filterPattern="?ERROR ?WARN",
                                      logEventMessages=["ERROR disk", "WARN timeout", "INFO", "WARN cpu"])["matches"]
    assert [m["eventNumber"] for m in matches] == [1, 2, 4]
    matches = logs.test_metric_filter(filterPattern="ERROR -disk", logEventMessages=["ERROR disk", "ERROR cpu"])
    assert [m["eventNumber"] for m in matches["matches"]] == [2]
    code, _ = error(logs.test_metric_filter, filterPattern="[a, b", logEventMessages=["x"])
    assert code == "InvalidParameterException"
    code, _ = error(logs.test_metric_filter, filterPattern="x", logEventMessages=["m"] * 51)
    assert code == "InvalidParameterException"
