"""Error replies as real boto3 sees them: the modelled exception class or error code, the HTTP status, the
request id on every error, and which failures are audited (all but failed authentication)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import botocore.auth
import pytest
from botocore import UNSIGNED
from botocore.exceptions import ClientError

from conftest import events_for_requests, lookup_all, signed_request, trail_record

GOOD_DATUM = [{"MetricName": "m", "Value": 1.0}]


def _assert_error(error: ClientError, status: int, code: str) -> str:
    response = error.response
    assert response["Error"]["Code"] == code, response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status, response
    assert response["Error"].get("Message"), response
    request_id = response["ResponseMetadata"].get("RequestId")
    assert request_id, f"no request id on a {code} reply: {response}"
    assert response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid") == request_id
    return request_id


# ---------------------------------------------------------------- authentication and authorisation

def _call(client, service):
    if service == "cloudwatch":
        return client.put_metric_data(Namespace="errors", MetricData=GOOD_DATUM)
    if service == "cloudtrail":
        return client.lookup_events(MaxResults=1)
    return client.put_log_events(logGroupName="g", logStreamName="s", logEvents=[{"timestamp": 1, "message": "x"}])


# (service, how the call is made: key / secret, status, code)
AUTH_FAILURES = [
    ("cloudwatch", "AKIDAUTHFAIL", "wrong-secret", 403, "SignatureDoesNotMatch"),
    ("cloudtrail", "AKIDAUTHFAIL", "wrong-secret", 403, "InvalidSignatureException"),
    ("logs", "AKIDAUTHFAIL", "wrong-secret", 403, "InvalidSignatureException"),
    ("cloudwatch", "AKIDNOSUCHKEY", "whatever", 403, "InvalidClientTokenId"),
    ("cloudtrail", "AKIDNOSUCHKEY", "whatever", 403, "UnrecognizedClientException"),
    ("logs", "AKIDNOSUCHKEY", "whatever", 403, "UnrecognizedClientException"),
]


@pytest.mark.parametrize("service,key,secret,status,code", AUTH_FAILURES,
                         ids=[f"{r[0]}-{r[4]}" for r in AUTH_FAILURES])
def test_authentication_failures(server, service, key, secret, status, code):
    client = server.client(service, key=key, secret=secret)
    with pytest.raises(ClientError) as raised:
        _call(client, service)
    _assert_error(raised.value, status, code)
    # boto3's modelled exception classes apply where the service models the code.
    if hasattr(client.exceptions, code):
        assert isinstance(raised.value, getattr(client.exceptions, code))


@pytest.mark.parametrize("service,code", [
    ("cloudwatch", "MissingAuthenticationToken"),
    ("cloudtrail", "MissingAuthenticationTokenException"),
    ("logs", "MissingAuthenticationTokenException"),
])
def test_unsigned_request(server, service, code):
    client = server.client(service, signature_version=UNSIGNED)
    with pytest.raises(ClientError) as raised:
        _call(client, service)
    _assert_error(raised.value, 403, code)


@pytest.mark.parametrize("service,code", [("cloudwatch", "SignatureDoesNotMatch"),
                                          ("cloudtrail", "InvalidSignatureException")])
@pytest.mark.parametrize("skew", [dt.timedelta(minutes=-20), dt.timedelta(minutes=20)], ids=["past", "future"])
def test_clock_skew_beyond_15_minutes(server, service, code, skew):
    client = server.client(service, key="AKIDAUTHFAIL")
    skewed = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + skew
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=skewed):
        with pytest.raises(ClientError) as raised:
            _call(client, service)
    _assert_error(raised.value, 403, code)


def test_failed_authentication_is_not_audited(server):
    """AKIDAUTHFAIL's account (333333333333) only ever sees failed authentications, so it has no events but
    the LookupEvents calls made here."""
    ct = server.client("cloudtrail", key="AKIDAUTHFAIL")
    for service in ("cloudwatch", "cloudtrail", "logs"):
        with pytest.raises(ClientError):
            _call(server.client(service, key="AKIDAUTHFAIL", secret="wrong-secret"), service)
    events = lookup_all(ct)
    assert {e["EventName"] for e in events} <= {"LookupEvents"}, [trail_record(e) for e in events]
    assert all("errorCode" not in trail_record(e) for e in events)


def test_viewer_cannot_put_metric_data(server, unique):
    viewer = server.client("cloudwatch", key="AKIDVIEWER")
    with pytest.raises(ClientError) as raised:
        viewer.put_metric_data(Namespace=unique, MetricData=GOOD_DATUM)
    request_id = _assert_error(raised.value, 403, "AccessDenied")
    # Refused authorisation is audited (unlike refused authentication), in the viewer's account.
    record = events_for_requests(server.client("cloudtrail", key="AKIDVIEWER"), [request_id],
                                 "PutMetricData")[request_id]
    assert record["errorCode"] == "AccessDenied"
    assert record["userIdentity"]["accessKeyId"] == "AKIDVIEWER"


def test_viewer_can_look_up_events(server):
    response = server.client("cloudtrail", key="AKIDVIEWER").lookup_events(MaxResults=5)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert len(response["Events"]) <= 5


def test_viewer_denied_on_json_service(server):
    """A mutating call of a JSON service the viewer may not make: the JSON code is AccessDeniedException."""
    logs = server.client("logs", key="AKIDVIEWER")
    with pytest.raises(ClientError) as raised:
        _call(logs, "logs")
    _assert_error(raised.value, 403, "AccessDeniedException")


# ---------------------------------------------------------------- operations not (yet) implemented

UNIMPLEMENTED = [
    # Logs Insights is an issue of its own; data protection policies are not planned.
    ("logs", "start_query", {"logGroupName": "g", "startTime": 0, "endTime": 1, "queryString": "fields @message"},
     "UnknownOperationException"),
    ("logs", "get_data_protection_policy", {"logGroupIdentifier": "g"}, "UnknownOperationException"),
    # CloudWatch is awsQueryCompatible: boto3 reports the query code from x-amzn-query-error.
    ("cloudwatch", "list_metric_streams", {}, "InvalidAction"),
    ("cloudwatch", "describe_anomaly_detectors", {}, "InvalidAction"),
    ("cloudtrail", "describe_trails", {}, "UnknownOperationException"),
]


@pytest.mark.parametrize("service,operation,params,code", UNIMPLEMENTED, ids=[f"{r[0]}-{r[1]}" for r in UNIMPLEMENTED])
def test_unimplemented_operation(server, service, operation, params, code):
    client = server.client(service, key="AKIDERR")
    with pytest.raises(ClientError) as raised:
        getattr(client, operation)(**params)
    request_id = _assert_error(raised.value, 400, code)
    if service == "cloudwatch":
        assert raised.value.response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"] == f"{code};Sender"
    # Recorded, with the error code, under the operation's real name and event source.
    name = client.meta.service_model.operation_model(
        client.meta.method_to_api_mapping[operation]).name
    record = events_for_requests(server.client("cloudtrail", key="AKIDERR"), [request_id], name)[request_id]
    assert record["errorCode"] == code
    assert record["eventSource"] == {"logs": "logs.amazonaws.com", "cloudwatch": "monitoring.amazonaws.com",
                                     "cloudtrail": "cloudtrail.amazonaws.com"}[service]


# (signing name, X-Amz-Target or None, content type, expected status, expected __type)
UNKNOWN_TARGETS = [
    ("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.NoSuchOperation",
     "application/x-amz-json-1.1", "UnknownOperationException"),
    ("logs", "Logs_20140328.NoSuchOperation", "application/x-amz-json-1.1", "UnknownOperationException"),
    ("events", "NoSuchPrefix.NoSuchOperation", "application/x-amz-json-1.1", "UnknownOperationException"),
    ("cloudtrail", None, "application/x-amz-json-1.1", "UnknownOperationException"),
    # CloudWatch's JSON 1.0 reply carries the query code in x-amzn-query-error.
    ("monitoring", "GraniteServiceVersion20100801.NoSuchOperation", "application/x-amz-json-1.0", "InvalidAction"),
]


@pytest.mark.parametrize("signing_name,target,content_type,code", UNKNOWN_TARGETS,
                         ids=[f"{r[0]}-{r[1] or 'no-target'}" for r in UNKNOWN_TARGETS])
def test_unknown_x_amz_target(server, signing_name, target, content_type, code):
    headers = {"Content-Type": content_type}
    if target:
        headers["X-Amz-Target"] = target
    response = signed_request(server, signing_name, b"{}", headers, key="AKIDERR")
    assert response.status == 400, response
    assert response.headers.get("x-amzn-requestid")
    assert response.headers["content-type"].startswith(content_type)
    if signing_name == "monitoring":
        assert response.headers["x-amzn-query-error"] == f"{code};Sender"
    else:
        assert response.json["__type"].split("#")[-1] == code
    assert response.json.get("message") or response.json.get("Message")


# ---------------------------------------------------------------- CloudTrail parameter errors

NOW = dt.datetime.now(dt.timezone.utc)
CLOUDTRAIL_ERRORS = [
    ("max-results-51", {"MaxResults": 51}, "InvalidMaxResultsException"),
    ("max-results-1000", {"MaxResults": 1000}, "InvalidMaxResultsException"),
    ("two-attributes", {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "a"},
                                             {"AttributeKey": "ReadOnly", "AttributeValue": "true"}]},
     "InvalidLookupAttributesException"),
    ("unknown-attribute-key", {"LookupAttributes": [{"AttributeKey": "Colour", "AttributeValue": "red"}]},
     "InvalidLookupAttributesException"),
    ("start-after-end", {"StartTime": NOW, "EndTime": NOW - dt.timedelta(hours=1)}, "InvalidTimeRangeException"),
    ("garbage-next-token", {"NextToken": "not-a-token!"}, "InvalidNextTokenException"),
    ("base64-next-token", {"NextToken": "aGVsbG8"}, "InvalidNextTokenException"),
]


@pytest.mark.parametrize("params,code", [pytest.param(*r[1:], id=r[0]) for r in CLOUDTRAIL_ERRORS])
def test_cloudtrail_parameter_errors(server, params, code):
    ct = server.client("cloudtrail", key="AKIDERR")
    with pytest.raises(getattr(ct.exceptions, code)) as raised:
        ct.lookup_events(**params)
    request_id = _assert_error(raised.value, 400, code)
    record = events_for_requests(ct, [request_id], "LookupEvents")[request_id]
    assert record["errorCode"] == code
    assert record["readOnly"] is True


def test_cloudtrail_max_results_0_is_refused_by_the_server_too(server):
    """boto3 refuses MaxResults=0 itself; a raw request gets the server's InvalidMaxResultsException."""
    response = signed_request(server, "cloudtrail", b'{"MaxResults": 0}', {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"}, key="AKIDERR")
    assert response.status == 400
    assert response.json["__type"].split("#")[-1] == "InvalidMaxResultsException"
    assert response.headers.get("x-amzn-requestid")


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"MaxResults": "five"}'],
                         ids=["not-json", "not-object", "wrong-type"])
def test_cloudtrail_malformed_body(server, body):
    response = signed_request(server, "cloudtrail", body, {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"}, key="AKIDERR")
    assert response.status == 400, response
    assert response.json["__type"].split("#")[-1] == "SerializationException"
    assert response.headers.get("x-amzn-requestid")


# ---------------------------------------------------------------- size limit

def _oversized_data():
    # 1000 datums of 150 values each: about 2.5 MB of JSON.
    return [{"MetricName": f"m{i}", "Values": [1234567.891 + j for j in range(150)]} for i in range(1000)]


def test_oversized_put_metric_data(server, unique):
    cw = server.client("cloudwatch", key="AKIDERR", disable_request_compression=True)
    with pytest.raises(ClientError) as raised:
        cw.put_metric_data(Namespace=unique, MetricData=_oversized_data())
    _assert_error(raised.value, 413, "RequestEntityTooLarge")


def test_oversized_lookup_events(server):
    ct = server.client("cloudtrail", key="AKIDERR")
    with pytest.raises(ClientError) as raised:
        ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "x" * (1100 * 1024)}])
    _assert_error(raised.value, 413, "RequestEntityTooLargeException")


def test_server_still_healthy_after_errors(server):
    response = server.client("cloudwatch", key="AKIDERR").put_metric_data(Namespace="after-errors",
                                                                          MetricData=GOOD_DATUM)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert server.process.poll() is None
