"""EventBridge connections and API destinations (issue 16) through boto3 and the aws CLI: the shapes AWS's
snapshots recorded (secrets never answered back), and an API destination target receiving matched events with its
connection's authorization (basic, API key) on loopback."""

from __future__ import annotations

import json
import uuid

import botocore.exceptions
import pytest

from test_events_delivery import ACCOUNT, KEY, Endpoint


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


def test_connections_answer_without_their_secrets(events, aws):
    name = unique("basic")
    created = events.create_connection(
        Name=name, AuthorizationType="BASIC",
        AuthParameters={"BasicAuthParameters": {"Username": "shop", "Password": "s3cret"},
                        "InvocationHttpParameters": {"HeaderParameters": [
                            {"Key": "x-team", "Value": "orders", "IsValueSecret": False},
                            {"Key": "x-token", "Value": "hidden", "IsValueSecret": True}]}})
    assert created["ConnectionState"] == "AUTHORIZED"
    assert created["ConnectionArn"].startswith(f"arn:aws:events:us-east-1:{ACCOUNT}:connection/{name}/")
    described = events.describe_connection(Name=name)
    assert described["AuthParameters"]["BasicAuthParameters"] == {"Username": "shop"}
    headers = described["AuthParameters"]["InvocationHttpParameters"]["HeaderParameters"]
    assert headers == [{"Key": "x-team", "Value": "orders", "IsValueSecret": False},
                       {"Key": "x-token", "IsValueSecret": True}]
    assert described["SecretArn"].startswith(
        f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:events!connection/{name}/")
    oauth = events.create_connection(
        Name=unique("oauth"), AuthorizationType="OAUTH_CLIENT_CREDENTIALS",
        AuthParameters={"OAuthParameters": {"ClientParameters": {"ClientID": "id", "ClientSecret": "secret"},
                                            "AuthorizationEndpoint": "http://127.0.0.1:9/token",
                                            "HttpMethod": "POST"}})
    assert oauth["ConnectionState"] == "AUTHORIZING"
    listed = aws("events", "list-connections", "--name-prefix", name, key=KEY)
    assert listed.returncode == 0, listed.stderr
    assert [c["Name"] for c in listed.json["Connections"]] == [name]
    with pytest.raises(botocore.exceptions.ClientError) as info:
        events.create_connection(Name="Invalid Name With Spaces!", AuthorizationType="BASIC",
                                 AuthParameters={"BasicAuthParameters": {"Username": "u", "Password": "p"}})
    assert info.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
    deleted = events.delete_connection(Name=name)
    assert deleted["ConnectionState"] == "DELETING"
    with pytest.raises(botocore.exceptions.ClientError) as info:
        events.describe_connection(Name=name)
    assert info.value.response["Error"]["Message"] == (
        f"Failed to describe the connection(s). Connection '{name}' does not exist.")


def test_an_api_destination_target_gets_events_with_its_authorization(events, endpoint):
    connection = events.create_connection(
        Name=unique("key"), AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "k-123"}})
    name = unique("orders-api")
    destination = events.create_api_destination(
        Name=name, ConnectionArn=connection["ConnectionArn"], InvocationEndpoint=f"{endpoint.url}/api",
        HttpMethod="POST", InvocationRateLimitPerSecond=10)
    assert destination["ApiDestinationState"] == "ACTIVE"
    described = events.describe_api_destination(Name=name)
    assert (described["InvocationRateLimitPerSecond"], described["HttpMethod"]) == (10, "POST")
    assert described["ApiDestinationArn"].startswith(f"arn:aws:events:us-east-1:{ACCOUNT}:api-destination/{name}/")
    rule = unique("to-api")
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": ["shop.api"]}))
    events.put_targets(Rule=rule, Targets=[{"Id": "api", "Arn": destination["ApiDestinationArn"],
                                            "InputPath": "$.detail"}])
    events.put_events(Entries=[{"Source": "shop.api", "DetailType": "Order", "Detail": json.dumps({"id": 9})}])
    _, headers, body = endpoint.wait_for(lambda p: p[0] == "/api")
    assert headers["x-api-key"] == "k-123"
    assert body == {"id": 9}
    with pytest.raises(botocore.exceptions.ClientError) as info:
        events.describe_api_destination(Name="nope")
    assert info.value.response["Error"]["Message"] == (
        "Failed to describe the api-destination(s). An api-destination 'nope' does not exist.")
    events.delete_api_destination(Name=name)


def test_a_partner_source_feeds_the_customers_partner_bus(server, events, endpoint):
    """Partner event sources, simulated: the partner (another account) makes a source for this account; its events
    reach the partner bus once this account makes it."""
    partner = server.client("events", key="AKIDEVENTSB")
    name = f"aws.partner/payments.example/{ACCOUNT}/{uuid.uuid4().hex[:8]}"
    arn = partner.create_partner_event_source(Name=name, Account=ACCOUNT)["EventSourceArn"]
    assert arn == f"arn:aws:events:us-east-1::event-source/{name}"
    seen = events.describe_event_source(Name=name)
    assert (seen["State"], seen["CreatedBy"], seen["Arn"]) == ("PENDING", "242424242424", arn)
    assert name in [s["Name"] for s in events.list_event_sources(NamePrefix="aws.partner/payments.example")["EventSources"]]
    with pytest.raises(botocore.exceptions.ClientError) as info:
        events.create_event_bus(Name=f"{name}x", EventSourceName=f"{name}x")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    events.create_event_bus(Name=name, EventSourceName=name)
    assert events.describe_event_source(Name=name)["State"] == "ACTIVE"
    events.put_rule(Name="charges", EventBusName=name, EventPattern=json.dumps({"detail-type": ["Charge Failed"]}))
    events.put_targets(Rule="charges", EventBusName=name, Targets=[{"Id": "hook", "Arn": f"{endpoint.url}/charges"}])
    answer = partner.put_partner_events(Entries=[{"Source": name, "DetailType": "Charge Failed",
                                                  "Detail": json.dumps({"amount": 12})}])
    assert answer["FailedEntryCount"] == 0
    _, _, event = endpoint.wait_for(lambda p: p[0] == "/charges")
    assert (event["source"], event["account"], event["detail"]) == (name, ACCOUNT, {"amount": 12})
    accounts = partner.list_partner_event_source_accounts(EventSourceName=name)["PartnerEventSourceAccounts"]
    assert [(a["Account"], a["State"]) for a in accounts] == [(ACCOUNT, "ACTIVE")]
