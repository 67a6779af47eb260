"""AWS Config rules (issue 13), with boto3: managed rules evaluated on configuration changes and when a rule is
created or re-run (the seeds' story: a security group opens SSH to the world, `restricted-ssh` marks it
NON_COMPLIANT, the rule is removed and it is COMPLIANT again), compliance as AWS sums it up, Guard policy rules,
and custom rules whose function is a webhook that answers with its evaluations or sends them with PutEvaluations.
Each test acts in a region of its own."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.exceptions
import pytest

from test_config_recorder import ACCOUNT, KEY, error_code, start_recording

SG = "AWS::EC2::SecurityGroup"


def config_client(server, region):
    return server.client("config", key=KEY, region=region)


def security_group(config, group_id, *ports, tags=None):
    permissions = [{"ipProtocol": "tcp", "fromPort": p, "toPort": p, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}],
                    "ipRanges": ["0.0.0.0/0"], "ipv6Ranges": [], "userIdGroupPairs": [], "prefixListIds": []}
                   for p in ports]
    configuration = {"groupId": group_id, "groupName": group_id, "vpcId": "vpc-1", "ipPermissions": permissions,
                     "ipPermissionsEgress": []}
    config.put_resource_config(ResourceType=SG, SchemaVersionId="1", ResourceId=group_id, ResourceName=group_id,
                               Configuration=json.dumps(configuration), Tags=tags or {})


def compliance_of(config, rule, resource_id, want, timeout=10.0):
    """The rule's result for the resource once it is `want`."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        results = config.get_compliance_details_by_config_rule(
            ConfigRuleName=rule, ComplianceTypes=["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"], Limit=100)
        for result in results["EvaluationResults"]:
            qualifier = result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]
            if qualifier["ResourceId"] == resource_id:
                seen = result
                if result["ComplianceType"] == want:
                    return result
        time.sleep(0.1)
    raise AssertionError(f"{rule} on {resource_id}: expected {want}, last saw {seen}")


def test_restricted_ssh_flags_a_group_open_to_the_world_and_clears_when_it_closes(server):
    config = config_client(server, "us-west-1")
    start_recording(config)
    security_group(config, "sg-web", 443)
    config.put_config_rule(ConfigRule={"ConfigRuleName": "restricted-ssh",
                                       "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"}})
    rule = config.describe_config_rules(ConfigRuleNames=["restricted-ssh"])["ConfigRules"][0]
    assert rule["ConfigRuleArn"].startswith(f"arn:aws:config:us-west-1:{ACCOUNT}:config-rule/config-rule-")
    assert rule["ConfigRuleState"] == "ACTIVE" and rule["Source"]["Owner"] == "AWS"
    # The rule runs at once over the groups that already exist.
    compliance_of(config, "restricted-ssh", "sg-web", "COMPLIANT")

    security_group(config, "sg-web", 443, 22)
    result = compliance_of(config, "restricted-ssh", "sg-web", "NON_COMPLIANT")
    assert "22" in result.get("Annotation", "")
    by_rule = config.describe_compliance_by_config_rule(ConfigRuleNames=["restricted-ssh"])["ComplianceByConfigRules"]
    assert by_rule == [{"ConfigRuleName": "restricted-ssh", "Compliance": {
        "ComplianceType": "NON_COMPLIANT", "ComplianceContributorCount": {"CappedCount": 1, "CapExceeded": False}}}]
    by_resource = config.describe_compliance_by_resource(ResourceType=SG, ResourceId="sg-web")["ComplianceByResources"]
    assert by_resource[0]["Compliance"]["ComplianceType"] == "NON_COMPLIANT"
    summary = config.get_compliance_summary_by_config_rule()["ComplianceSummary"]
    assert summary["NonCompliantResourceCount"]["CappedCount"] == 1
    details = config.get_compliance_details_by_resource(ResourceType=SG, ResourceId="sg-web")["EvaluationResults"]
    assert [d["ComplianceType"] for d in details] == ["NON_COMPLIANT"]

    # Someone removes the rule: compliant again.
    security_group(config, "sg-web", 443)
    compliance_of(config, "restricted-ssh", "sg-web", "COMPLIANT")
    by_type = config.get_compliance_summary_by_resource_type(ResourceTypes=[SG])["ComplianceSummariesByResourceType"]
    assert by_type[0]["ResourceType"] == SG
    assert by_type[0]["ComplianceSummary"]["CompliantResourceCount"]["CappedCount"] == 1
    # Compliance over time, as AWS Config records it: an AWS::Config::ResourceCompliance item per change.
    changes = config.get_resource_config_history(resourceType="AWS::Config::ResourceCompliance",
                                                 resourceId=f"{SG}/sg-web", chronologicalOrder="Forward")
    assert [json.loads(i["configuration"])["complianceType"] for i in changes["configurationItems"]] == [
        "COMPLIANT", "NON_COMPLIANT", "COMPLIANT"]
    rows = config.select_resource_config(
        Expression="SELECT resourceId, configuration.complianceType WHERE resourceType = "
                   "'AWS::Config::ResourceCompliance' AND configuration.configRuleList.configRuleName = 'restricted-ssh'")
    assert [json.loads(r) for r in rows["Results"]] == [
        {"resourceId": f"{SG}/sg-web", "configuration": {"complianceType": "COMPLIANT"}}]
    status = config.describe_config_rule_evaluation_status(ConfigRuleNames=["restricted-ssh"])
    status = status["ConfigRulesEvaluationStatus"][0]
    assert status["FirstEvaluationStarted"] is True and "LastSuccessfulEvaluationTime" in status

    # A deleted group is no longer the rule's concern.
    config.delete_resource_config(ResourceType=SG, ResourceId="sg-web")
    compliance_of(config, "restricted-ssh", "sg-web", "NOT_APPLICABLE")

    config.delete_config_rule(ConfigRuleName="restricted-ssh")
    code, message = error_code(config.describe_config_rules, ConfigRuleNames=["restricted-ssh"])
    assert code == "NoSuchConfigRuleException", message


def test_rules_are_checked_as_aws_checks_them(server):
    config = config_client(server, "us-west-2")
    code, _ = error_code(config.put_config_rule, ConfigRule={
        "ConfigRuleName": "r", "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"}})
    assert code == "NoAvailableConfigurationRecorderException"
    start_recording(config)
    code, message = error_code(config.put_config_rule, ConfigRule={
        "ConfigRuleName": "r", "Source": {"Owner": "AWS", "SourceIdentifier": "NO_SUCH_RULE"}})
    assert code == "InvalidParameterValueException" and "sourceIdentifier" in message
    code, _ = error_code(config.put_config_rule, ConfigRule={
        "ConfigRuleName": "r", "Source": {"Owner": "AWS", "SourceIdentifier": "REQUIRED_TAGS"},
        "InputParameters": json.dumps({"tag9Key": "x"})})
    assert code == "InvalidParameterValueException"
    code, _ = error_code(config.put_config_rule, ConfigRule={
        "ConfigRuleName": "r", "Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "http://127.0.0.1:9/"}})
    assert code == "InvalidParameterValueException"
    code, _ = error_code(config.put_config_rule, ConfigRule={
        "ConfigRuleName": "r", "Source": {"Owner": "CUSTOM_POLICY", "SourceDetails": [
            {"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}],
            "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x", "PolicyText": "rule x { configuration.a == "}}})
    assert code == "InvalidParameterValueException"
    code, _ = error_code(config.start_config_rules_evaluation, ConfigRuleNames=["missing"])
    assert code == "NoSuchConfigRuleException"
    code, _ = error_code(config.put_evaluations, ResultToken="not-a-token", Evaluations=[{
        "ComplianceResourceType": SG, "ComplianceResourceId": "sg-1", "ComplianceType": "COMPLIANT",
        "OrderingTimestamp": 1_765_000_000}])
    assert code == "InvalidResultTokenException"
    assert config.put_evaluations(ResultToken="TESTMODE", TestMode=True, Evaluations=[{
        "ComplianceResourceType": SG, "ComplianceResourceId": "sg-1", "ComplianceType": "COMPLIANT",
        "OrderingTimestamp": 1_765_000_000}])["FailedEvaluations"] == []
    code, _ = error_code(config.put_evaluations, ResultToken="TESTMODE", TestMode=True, Evaluations=[{
        "ComplianceResourceType": SG, "ComplianceResourceId": "sg-1", "ComplianceType": "INSUFFICIENT_DATA",
        "OrderingTimestamp": 1_765_000_000}])
    assert code == "InvalidParameterValueException"


def test_required_tags_and_a_guard_policy_rule_on_reported_resources(server):
    config = config_client(server, "eu-central-1")
    start_recording(config)
    security_group(config, "sg-tagged", 443, tags={"owner": "shop"})
    security_group(config, "sg-untagged", 443)
    config.put_config_rule(ConfigRule={
        "ConfigRuleName": "required-tags", "Scope": {"ComplianceResourceTypes": [SG]},
        "Source": {"Owner": "AWS", "SourceIdentifier": "REQUIRED_TAGS"},
        "InputParameters": json.dumps({"tag1Key": "owner"})})
    compliance_of(config, "required-tags", "sg-tagged", "COMPLIANT")
    compliance_of(config, "required-tags", "sg-untagged", "NON_COMPLIANT")

    policy = """
rule no_wide_open_https when resourceType == "AWS::EC2::SecurityGroup" {
    configuration.ipPermissions[*].fromPort != 443 << HTTPS must not be open >>
}
"""
    config.put_config_rule(ConfigRule={
        "ConfigRuleName": "guard-no-https", "Scope": {"ComplianceResourceTypes": [SG]},
        "Source": {"Owner": "CUSTOM_POLICY", "SourceDetails": [
            {"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}],
            "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x", "PolicyText": policy}}})
    compliance_of(config, "guard-no-https", "sg-tagged", "NON_COMPLIANT")
    security_group(config, "sg-tagged", 80, tags={"owner": "shop"})
    compliance_of(config, "guard-no-https", "sg-tagged", "COMPLIANT")

    # Re-running a rule evaluates every resource in scope again.
    config.start_config_rules_evaluation(ConfigRuleNames=["required-tags", "guard-no-https"])
    compliance_of(config, "required-tags", "sg-untagged", "NON_COMPLIANT")


class Function(BaseHTTPRequestHandler):
    """A webhook standing in for a rule's Lambda function: it keeps every request and answers a group
    NON_COMPLIANT when its name says so."""
    requests: list = []

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Function.requests.append(body)
        item = json.loads(body["invokingEvent"]).get("configurationItem") or {}
        answer = []
        if item.get("resourceId", "").endswith("-answer"):
            answer = [{"ComplianceResourceType": item["resourceType"], "ComplianceResourceId": item["resourceId"],
                       "ComplianceType": "NON_COMPLIANT", "Annotation": "answered in the body",
                       "OrderingTimestamp": item["configurationItemCaptureTime"]}]
        data = json.dumps({"evaluations": answer}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def function():
    Function.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Function)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/evaluate"
    httpd.shutdown()


def test_a_custom_rule_calls_its_webhook_which_answers_or_puts_evaluations(server, function):
    config = config_client(server, "ap-northeast-1")
    start_recording(config)
    config.put_config_rule(ConfigRule={
        "ConfigRuleName": "custom-webhook", "Scope": {"ComplianceResourceTypes": [SG]},
        "InputParameters": json.dumps({"maxPorts": "3"}),
        "Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": function, "SourceDetails": [
            {"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"}]}})
    security_group(config, "sg-answer", 22)
    result = compliance_of(config, "custom-webhook", "sg-answer", "NON_COMPLIANT")
    assert result["Annotation"] == "answered in the body"

    security_group(config, "sg-put", 22)
    deadline = time.monotonic() + 10
    while not any(json.loads(r["invokingEvent"]).get("configurationItem", {}).get("resourceId") == "sg-put"
                  for r in Function.requests):
        assert time.monotonic() < deadline, "the webhook was not invoked for sg-put"
        time.sleep(0.1)
    request = next(r for r in Function.requests
                   if json.loads(r["invokingEvent"]).get("configurationItem", {}).get("resourceId") == "sg-put")
    assert request["configRuleName"] == "custom-webhook" and request["ruleParameters"] == '{"maxPorts": "3"}'
    event = json.loads(request["invokingEvent"])
    assert event["messageType"] == "ConfigurationItemChangeNotification"
    assert event["configurationItem"]["configuration"]["groupId"] == "sg-put"
    # The function reports later with PutEvaluations and the token it was given.
    config.put_evaluations(ResultToken=request["resultToken"], Evaluations=[{
        "ComplianceResourceType": SG, "ComplianceResourceId": "sg-put", "ComplianceType": "COMPLIANT",
        "Annotation": "checked by the function", "OrderingTimestamp": time.time()}])
    result = compliance_of(config, "custom-webhook", "sg-put", "COMPLIANT")
    assert result["Annotation"] == "checked by the function"
    status = config.describe_config_rule_evaluation_status(ConfigRuleNames=["custom-webhook"])
    assert "LastSuccessfulInvocationTime" in status["ConfigRulesEvaluationStatus"][0]


def test_an_alarm_without_actions_fails_the_alarm_action_check(server):
    config = config_client(server, "ca-central-1")
    cloudwatch = server.client("cloudwatch", key=KEY, region="ca-central-1")
    start_recording(config)
    config.put_config_rule(ConfigRule={"ConfigRuleName": "cloudwatch-alarm-action-check",
                                       "Source": {"Owner": "AWS", "SourceIdentifier": "CLOUDWATCH_ALARM_ACTION_CHECK"},
                                       "InputParameters": json.dumps({"alarmActionRequired": "true",
                                                                      "insufficientDataActionRequired": "false",
                                                                      "okActionRequired": "false"})})
    cloudwatch.put_metric_alarm(AlarmName="rules-silent", MetricName="Errors", Namespace="Shop", Statistic="Sum",
                                Period=60, EvaluationPeriods=1, Threshold=1.0,
                                ComparisonOperator="GreaterThanThreshold")
    compliance_of(config, "cloudwatch-alarm-action-check", "rules-silent", "NON_COMPLIANT")
    cloudwatch.put_metric_alarm(AlarmName="rules-silent", MetricName="Errors", Namespace="Shop", Statistic="Sum",
                                Period=60, EvaluationPeriods=1, Threshold=1.0,
                                ComparisonOperator="GreaterThanThreshold",
                                AlarmActions=[f"arn:aws:sns:ca-central-1:{ACCOUNT}:pager"])
    compliance_of(config, "cloudwatch-alarm-action-check", "rules-silent", "COMPLIANT")


def history_with(config, group, holds, timeout=10.0):
    """The log group's history once its newest item's configuration satisfies `holds`."""
    deadline = time.monotonic() + timeout
    items = []
    while time.monotonic() < deadline:
        items = config.get_resource_config_history(resourceType="AWS::Logs::LogGroup", resourceId=group,
                                                   chronologicalOrder="Forward")["configurationItems"]
        if items and holds(json.loads(items[-1]["configuration"] or "{}")):
            return items
        time.sleep(0.1)
    raise AssertionError(f"{group}: no item as expected in {items}")


def test_log_groups_are_recorded_and_checked_for_retention(server):
    """Issue 14: log groups are AWS::Logs::LogGroup items (retention, KMS key, tags) recorded on every change, and
    CW_LOGGROUP_RETENTION_PERIOD_CHECK evaluates them."""
    region = "af-south-1"
    config = config_client(server, region)
    logs = server.client("logs", key=KEY, region=region)
    cloudtrail = server.client("cloudtrail", key=KEY, region=region)
    start_recording(config)
    config.put_config_rule(ConfigRule={"ConfigRuleName": "log-retention",
                                       "Source": {"Owner": "AWS",
                                                  "SourceIdentifier": "CW_LOGGROUP_RETENTION_PERIOD_CHECK"},
                                       "InputParameters": json.dumps({"MinRetentionTime": "30"})})
    key = f"arn:aws:kms:{region}:{ACCOUNT}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    logs.create_log_group(logGroupName="/shop/api", tags={"team": "shop"}, kmsKeyId=key)
    logs.put_retention_policy(logGroupName="/shop/api", retentionInDays=7)
    # The rule is periodic, as in AWS: it runs when asked to (and every 24 hours), not on each change.
    history_with(config, "/shop/api", lambda c: c.get("RetentionInDays") == 7)
    config.start_config_rules_evaluation(ConfigRuleNames=["log-retention"])
    compliance_of(config, "log-retention", "/shop/api", "NON_COMPLIANT")
    logs.put_retention_policy(logGroupName="/shop/api", retentionInDays=365)
    history_with(config, "/shop/api", lambda c: c.get("RetentionInDays") == 365)
    config.start_config_rules_evaluation(ConfigRuleNames=["log-retention"])
    compliance_of(config, "log-retention", "/shop/api", "COMPLIANT")

    items = history_with(config, "/shop/api", lambda c: c.get("RetentionInDays") == 365)
    last = json.loads(items[-1]["configuration"])
    # The recorder may see the creation and the first retention change in one pass: two or three items.
    statuses = [i["configurationItemStatus"] for i in items]
    assert statuses[0] == "ResourceDiscovered" and set(statuses[1:]) == {"OK"} and len(items) >= 2, statuses
    assert last["LogGroupName"] == "/shop/api" and last["RetentionInDays"] == 365 and last["KmsKeyId"] == key
    assert items[-1]["tags"] == {"team": "shop"}
    assert items[-1]["arn"] == f"arn:aws:logs:{region}:{ACCOUNT}:log-group:/shop/api"
    events = cloudtrail.lookup_events(LookupAttributes=[{"AttributeKey": "EventName",
                                                         "AttributeValue": "PutRetentionPolicy"}])["Events"]
    assert set(items[-1]["relatedEvents"]) & {e["EventId"] for e in events}
    logs.delete_log_group(logGroupName="/shop/api")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        items = config.get_resource_config_history(resourceType="AWS::Logs::LogGroup", resourceId="/shop/api",
                                                   chronologicalOrder="Reverse", limit=1)["configurationItems"]
        if items and items[0]["configurationItemStatus"] == "ResourceDeleted":
            break
        time.sleep(0.1)
    assert items[0]["configurationItemStatus"] == "ResourceDeleted"
