"""CloudTrail LookupEvents through real boto3 (JSON 1.1): paging, filters, time range, account and region
isolation, and the event record every API call leaves."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from conftest import ACCOUNTS, lookup_all, trail_record

PAGER = "AKIDPAGER"  # account 222222222222: only this module writes there, so counts are exact
PUTS = 7


def _put(server, key, namespace, region="us-east-1"):
    response = server.client("cloudwatch", key=key, region=region).put_metric_data(
        Namespace=namespace, MetricData=[{"MetricName": "m", "Value": 1.0}])
    return response["ResponseMetadata"]["RequestId"]


@pytest.fixture(scope="module")
def pager_calls(server):
    """PUTS accepted PutMetricData calls, one rejected, and a few failed other calls, all in the pager account."""
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(seconds=1)
    accepted = [_put(server, PAGER, f"pager-{i}") for i in range(PUTS)]
    cw = server.client("cloudwatch", key=PAGER)
    with pytest.raises(cw.exceptions.InvalidParameterValueException) as raised:
        cw.put_metric_data(Namespace="pager-bad", MetricData=[{"MetricName": "m", "Value": 1.0, "Unit": "Parsecs"}])
    rejected = raised.value.response["ResponseMetadata"]["RequestId"]
    end = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2)
    return {"accepted": accepted, "rejected": rejected, "start": start, "end": end}


def _by_name(name):
    return [{"AttributeKey": "EventName", "AttributeValue": name}]


def test_paging_with_max_results_2(server, pager_calls):
    ct = server.client("cloudtrail", key=PAGER)
    pages, events, token = [], [], None
    while True:
        request = {"LookupAttributes": _by_name("PutMetricData"), "MaxResults": 2}
        if token:
            request["NextToken"] = token
        page = ct.lookup_events(**request)
        assert len(page["Events"]) <= 2
        pages.append(page)
        events += page["Events"]
        token = page.get("NextToken")
        if not token:
            break
    total = PUTS + 1
    assert len(events) == total
    assert [len(p["Events"]) for p in pages[:-1]] == [2] * (len(pages) - 1)
    assert len(pages) in (total // 2, total // 2 + 1)  # an empty last page is allowed, no more
    assert len({e["EventId"] for e in events}) == total, "an event was repeated across pages"

    request_ids = [trail_record(e)["requestID"] for e in events]
    assert set(request_ids) == set(pager_calls["accepted"]) | {pager_calls["rejected"]}
    # Newest first: the rejected call came last, the accepted ones in reverse order of their calls.
    assert request_ids == [pager_calls["rejected"], *reversed(pager_calls["accepted"])]
    times = [e["EventTime"] for e in events]
    assert times == sorted(times, reverse=True)
    for event in events:
        record = trail_record(event)
        assert event["EventName"] == "PutMetricData"
        assert event["EventSource"] == "monitoring.amazonaws.com"
        assert event["AccessKeyId"] == PAGER
        assert event["ReadOnly"] == "false"
        assert isinstance(event["EventTime"], dt.datetime)
        assert record["eventID"] == event["EventId"]
        assert record["recipientAccountId"] == ACCOUNTS[PAGER]
        if record["requestID"] == pager_calls["rejected"]:
            assert record["errorCode"] == "InvalidParameterValue"
        else:
            assert "errorCode" not in record


def test_paging_unfiltered_while_events_keep_arriving(server, pager_calls):
    """Every page call is itself recorded, newer than the cursor: paging must neither repeat nor skip."""
    ct = server.client("cloudtrail", key=PAGER)
    events = lookup_all(ct, page_size=2)
    ids = [e["EventId"] for e in events]
    assert len(ids) == len(set(ids)), "an event was repeated across pages"
    seen = {trail_record(e)["requestID"] for e in events}
    assert set(pager_calls["accepted"]) | {pager_calls["rejected"]} <= seen
    keys = [(e["EventTime"], e["EventId"]) for e in events]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)


def test_boto3_paginator(server, pager_calls):
    ct = server.client("cloudtrail", key=PAGER)
    paginator = ct.get_paginator("lookup_events")
    pages = list(paginator.paginate(LookupAttributes=_by_name("PutMetricData"), PaginationConfig={"PageSize": 3}))
    events = [e for p in pages for e in p["Events"]]
    assert len(events) == PUTS + 1
    assert len(pages) == 3
    limited = paginator.paginate(LookupAttributes=_by_name("PutMetricData"),
                                 PaginationConfig={"PageSize": 2, "MaxItems": 5}).build_full_result()
    assert len(limited["Events"]) == 5
    assert "NextToken" in limited


def test_default_page_size_and_max_results_bounds(server, pager_calls):
    ct = server.client("cloudtrail", key=PAGER)
    everything = ct.lookup_events(LookupAttributes=_by_name("PutMetricData"))
    assert len(everything["Events"]) == PUTS + 1
    assert "NextToken" not in everything
    assert len(ct.lookup_events(LookupAttributes=_by_name("PutMetricData"), MaxResults=1)["Events"]) == 1
    assert len(ct.lookup_events(LookupAttributes=_by_name("PutMetricData"), MaxResults=50)["Events"]) == PUTS + 1


def test_filter_by_event_name(server, pager_calls):
    ct = server.client("cloudtrail", key=PAGER)
    # LookupEvents calls are themselves recorded (read-only management events).
    ct.lookup_events(MaxResults=1)
    events = lookup_all(ct, LookupAttributes=_by_name("LookupEvents"))
    assert events
    assert {e["EventName"] for e in events} == {"LookupEvents"}
    assert {e["EventSource"] for e in events} == {"cloudtrail.amazonaws.com"}
    assert {e["ReadOnly"] for e in events} == {"true"}
    assert lookup_all(ct, LookupAttributes=_by_name("NoSuchEventName")) == []


def test_filter_by_access_key_id(server, pager_calls):
    # Two keys of the same account (000000000000): each sees both keys' events, and the filter separates them.
    example_request = _put(server, "AKIDEXAMPLE", "by-key")
    viewer_ct = server.client("cloudtrail", key="AKIDVIEWER")
    viewer_ct.lookup_events(MaxResults=1)
    example_ct = server.client("cloudtrail", key="AKIDEXAMPLE")

    by_example = lookup_all(example_ct, LookupAttributes=[{"AttributeKey": "AccessKeyId",
                                                           "AttributeValue": "AKIDEXAMPLE"}])
    assert by_example and {e["AccessKeyId"] for e in by_example} == {"AKIDEXAMPLE"}
    assert example_request in {trail_record(e)["requestID"] for e in by_example}

    by_viewer = lookup_all(example_ct, LookupAttributes=[{"AttributeKey": "AccessKeyId",
                                                          "AttributeValue": "AKIDVIEWER"}])
    assert by_viewer and {e["AccessKeyId"] for e in by_viewer} == {"AKIDVIEWER"}
    # The viewer, a read-only key of the same account, sees the same history.
    assert example_request in {trail_record(e)["requestID"]
                               for e in lookup_all(viewer_ct, LookupAttributes=[
                                   {"AttributeKey": "AccessKeyId", "AttributeValue": "AKIDEXAMPLE"}])}


@pytest.mark.parametrize("key,value,expect", [
    ("EventSource", "monitoring.amazonaws.com", PUTS + 1),
    ("ReadOnly", "false", PUTS + 1),
    ("Username", PAGER, None),
    ("AccessKeyId", PAGER, None),
    ("EventSource", "logs.amazonaws.com", 0),
    ("AccessKeyId", "AKIDEXAMPLE", 0),
])
def test_other_lookup_attributes(server, pager_calls, key, value, expect):
    ct = server.client("cloudtrail", key=PAGER)
    end = pager_calls["end"]
    events = lookup_all(ct, LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}], EndTime=end)
    if expect is None:
        assert len(events) >= PUTS + 1
    else:
        assert len(events) == expect, [e["EventName"] for e in events]


def test_filter_by_event_id(server, pager_calls):
    ct = server.client("cloudtrail", key=PAGER)
    target = ct.lookup_events(LookupAttributes=_by_name("PutMetricData"), MaxResults=3)["Events"][2]
    found = ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": target["EventId"]}])
    assert [e["EventId"] for e in found["Events"]] == [target["EventId"]]
    assert found["Events"][0]["CloudTrailEvent"] == target["CloudTrailEvent"]


def test_time_range(server, pager_calls):
    ct = server.client("cloudtrail", key=PAGER)
    inside = lookup_all(ct, LookupAttributes=_by_name("PutMetricData"), StartTime=pager_calls["start"],
                        EndTime=pager_calls["end"])
    assert len(inside) == PUTS + 1
    before = lookup_all(ct, LookupAttributes=_by_name("PutMetricData"),
                        StartTime=pager_calls["start"] - dt.timedelta(days=1),
                        EndTime=pager_calls["start"] - dt.timedelta(hours=1))
    assert before == []
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    future = lookup_all(ct, StartTime=later, EndTime=later + dt.timedelta(hours=1))
    assert future == []


def test_time_range_is_inclusive_of_the_reported_event_time(server, pager_calls):
    """An event whose EventTime is T is found with StartTime=T and EndTime=T (CloudTrail times are whole
    seconds, and both bounds are inclusive)."""
    ct = server.client("cloudtrail", key=PAGER)
    event = ct.lookup_events(LookupAttributes=_by_name("PutMetricData"), MaxResults=1)["Events"][0]
    t = event["EventTime"]
    found = lookup_all(ct, LookupAttributes=_by_name("PutMetricData"), StartTime=t, EndTime=t)
    assert event["EventId"] in {e["EventId"] for e in found}, (t, [e["EventTime"] for e in found])


def test_account_isolation(server, unique):
    request_id = _put(server, "AKIDEXAMPLE", unique)
    example = lookup_all(server.client("cloudtrail", key="AKIDEXAMPLE"),
                         LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": "AKIDEXAMPLE"}])
    assert request_id in {trail_record(e)["requestID"] for e in example}

    other = server.client("cloudtrail", key="AKIDOTHER")
    other_put = _put(server, "AKIDOTHER", unique)
    for attributes in ([], [{"AttributeKey": "AccessKeyId", "AttributeValue": "AKIDEXAMPLE"}],
                       [{"AttributeKey": "EventName", "AttributeValue": "PutMetricData"}]):
        seen = lookup_all(other, LookupAttributes=attributes) if attributes else lookup_all(other)
        assert all(e.get("AccessKeyId") == "AKIDOTHER" for e in seen), attributes
        assert request_id not in {trail_record(e)["requestID"] for e in seen}
        for event in seen:
            assert trail_record(event)["recipientAccountId"] == "111111111111"
    assert other_put in {trail_record(e)["requestID"] for e in lookup_all(other)}
    # And the other way round.
    example_all = lookup_all(server.client("cloudtrail", key="AKIDEXAMPLE"), LookupAttributes=[
        {"AttributeKey": "AccessKeyId", "AttributeValue": "AKIDOTHER"}])
    assert example_all == []


def test_region_isolation(server, unique):
    us_request = _put(server, "AKIDEXAMPLE", unique, region="us-east-1")
    eu_request = _put(server, "AKIDEXAMPLE", unique, region="eu-west-1")
    us = lookup_all(server.client("cloudtrail", region="us-east-1"))
    eu = lookup_all(server.client("cloudtrail", region="eu-west-1"))
    us_ids = {trail_record(e)["requestID"] for e in us}
    eu_ids = {trail_record(e)["requestID"] for e in eu}
    assert us_request in us_ids and us_request not in eu_ids
    assert eu_request in eu_ids and eu_request not in us_ids
    assert not us_ids & eu_ids
    assert {trail_record(e)["awsRegion"] for e in eu} == {"eu-west-1"}
    assert {trail_record(e)["awsRegion"] for e in us} == {"us-east-1"}

    # A region nobody wrote to is empty (apart from the lookup calls made there, which come after).
    fresh = server.client("cloudtrail", region="ap-southeast-2")
    assert fresh.lookup_events(LookupAttributes=_by_name("PutMetricData"))["Events"] == []


def test_event_record_shape(server, unique):
    request_id = _put(server, "AKIDEXAMPLE", unique)
    ct = server.client("cloudtrail")
    event = next(e for e in ct.lookup_events(LookupAttributes=_by_name("PutMetricData"))["Events"]
                 if trail_record(e)["requestID"] == request_id)
    record = trail_record(event)
    assert record["eventVersion"]
    assert record["eventType"] == "AwsApiCall"
    assert record["eventTime"].endswith("Z")
    assert dt.datetime.fromisoformat(record["eventTime"].replace("Z", "+00:00")).replace(microsecond=0) == \
        event["EventTime"].astimezone(dt.timezone.utc)
    assert record["sourceIPAddress"] == "127.0.0.1"
    assert record["userAgent"].startswith("Boto3/")
    identity = record["userIdentity"]
    assert identity["accessKeyId"] == "AKIDEXAMPLE"
    assert identity["accountId"] == "000000000000"
    assert identity["arn"].startswith("arn:aws:iam::000000000000:")
    assert event["Username"] == identity.get("userName", event["Username"])
    # CloudTrail's own form: member names with a lower-case first letter (issue 9).
    assert record["requestParameters"]["metricData"] == [{"metricName": "m", "value": 1.0}]
