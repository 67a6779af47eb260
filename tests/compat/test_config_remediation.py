"""AWS Config remediation (issue 13), with boto3: the seeds' story closed by automatic remediation — a security
group opens SSH to the world, `restricted-ssh` marks it NON_COMPLIANT, the rule's automatic remediation runs the
built-in AWS-DisablePublicAccessForSecurityGroup, whose RevokeSecurityGroupIngress is in CloudTrail and named by
the group's next configuration item, and the group is COMPLIANT again — plus webhook actions, manual executions,
retries with every attempt recorded, and AWS's refusals."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from test_config_recorder import KEY, error_code, event_id, history, start_recording
from test_config_rules import SG, compliance_of, security_group


def execution(config, rule, resource_id, state, steps=None, timeout=15.0):
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        statuses = config.describe_remediation_execution_status(
            ConfigRuleName=rule, ResourceKeys=[{"resourceType": SG, "resourceId": resource_id}])
        for status in statuses["RemediationExecutionStatuses"]:
            seen = status
            if status["State"] == state and (steps is None or len(status["StepDetails"]) == steps):
                return status
        time.sleep(0.1)
    raise AssertionError(f"{rule} on {resource_id}: expected {state}, last saw {seen}")


def test_automatic_remediation_closes_ssh_and_the_timeline_tells_the_story(server):
    config = server.client("config", key=KEY, region="eu-north-1")
    cloudtrail = server.client("cloudtrail", key=KEY, region="eu-north-1")
    start_recording(config)
    config.put_config_rule(ConfigRule={"ConfigRuleName": "restricted-ssh",
                                       "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"}})
    config.put_remediation_configurations(RemediationConfigurations=[{
        "ConfigRuleName": "restricted-ssh", "TargetType": "SSM_DOCUMENT",
        "TargetId": "AWS-DisablePublicAccessForSecurityGroup", "Automatic": True,
        "MaximumAutomaticAttempts": 5, "RetryAttemptSeconds": 60,
        "Parameters": {"GroupId": {"ResourceValue": {"Value": "RESOURCE_ID"}},
                       "AutomationAssumeRole": {"StaticValue": {"Values": ["arn:aws:iam::121212121212:role/fix"]}}}}])
    described = config.describe_remediation_configurations(ConfigRuleNames=["restricted-ssh"])
    assert described["RemediationConfigurations"][0]["TargetId"] == "AWS-DisablePublicAccessForSecurityGroup"
    assert described["RemediationConfigurations"][0]["Automatic"] is True

    security_group(config, "sg-story", 443, 22)
    status = execution(config, "restricted-ssh", "sg-story", "SUCCEEDED")
    assert status["StepDetails"][0]["Name"] == "AWS-DisablePublicAccessForSecurityGroup"
    assert status["StepDetails"][0]["State"] == "SUCCEEDED"
    compliance_of(config, "restricted-ssh", "sg-story", "COMPLIANT")

    # The timeline: opened (the workload's PutResourceConfig), then closed by the remediation's revoke.
    items = history(config, SG, "sg-story", 2)
    closed, opened = items[0], items[1]
    assert [p["fromPort"] for p in json.loads(opened["configuration"])["ipPermissions"]] == [443, 22]
    assert [p["fromPort"] for p in json.loads(closed["configuration"])["ipPermissions"]] == [443]
    revoke = event_id(cloudtrail, "RevokeSecurityGroupIngress",
                      "arn:aws:ec2:eu-north-1:121212121212:security-group/sg-story")
    assert closed["relatedEvents"] == [revoke]
    event = cloudtrail.lookup_events(LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": revoke}])
    record = json.loads(event["Events"][0]["CloudTrailEvent"])
    assert record["userIdentity"]["type"] == "AWSService" and record["eventSource"] == "ec2.amazonaws.com"

    config.delete_remediation_configuration(ConfigRuleName="restricted-ssh")
    code, _ = error_code(config.delete_remediation_configuration, ConfigRuleName="restricted-ssh")
    assert code == "NoSuchRemediationConfigurationException"


class Action(BaseHTTPRequestHandler):
    """A webhook remediation action that fails `failures` times, then succeeds."""
    failures = 0
    calls: list = []

    def do_POST(self):  # noqa: N802 (the http.server API)
        Action.calls.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        failing = Action.failures > 0
        Action.failures -= 1
        self.send_response(503 if failing else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def action():
    Action.calls, Action.failures = [], 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Action)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/remediate"
    httpd.shutdown()


def test_webhook_actions_are_retried_and_every_attempt_is_recorded(server, action):
    config = server.client("config", key=KEY, region="eu-south-1")
    start_recording(config)
    config.put_config_rule(ConfigRule={"ConfigRuleName": "restricted-ssh",
                                       "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"}})
    config.put_remediation_configurations(RemediationConfigurations=[{
        "ConfigRuleName": "restricted-ssh", "TargetType": "SSM_DOCUMENT", "TargetId": action, "Automatic": True,
        "MaximumAutomaticAttempts": 3, "RetryAttemptSeconds": 3,
        "Parameters": {"GroupId": {"ResourceValue": {"Value": "RESOURCE_ID"}}}}])
    Action.failures = 2
    security_group(config, "sg-retry", 22)
    status = execution(config, "restricted-ssh", "sg-retry", "SUCCEEDED", steps=3)
    assert [s["State"] for s in status["StepDetails"]] == ["FAILED", "FAILED", "SUCCEEDED"]
    assert "503" in status["StepDetails"][0]["ErrorMessage"]
    assert Action.calls[0]["ResourceId"] == "sg-retry" and Action.calls[0]["Parameters"] == {"GroupId": ["sg-retry"]}

    # A manual execution is one attempt.
    Action.failures = 1
    config.start_remediation_execution(ConfigRuleName="restricted-ssh",
                                       ResourceKeys=[{"resourceType": SG, "resourceId": "sg-retry"}])
    status = execution(config, "restricted-ssh", "sg-retry", "FAILED", steps=4)
    assert status["StepDetails"][-1]["State"] == "FAILED"

    code, _ = error_code(config.start_remediation_execution, ConfigRuleName="no-such-rule",
                         ResourceKeys=[{"resourceType": SG, "resourceId": "sg-retry"}])
    assert code == "NoSuchRemediationConfigurationException"
    code, _ = error_code(config.put_remediation_configurations, RemediationConfigurations=[{
        "ConfigRuleName": "restricted-ssh", "TargetType": "SSM_DOCUMENT", "TargetId": action,
        "MaximumAutomaticAttempts": 26}])
    assert code == "InvalidParameterValueException"
