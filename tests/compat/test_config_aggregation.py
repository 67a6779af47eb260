"""AWS Config aggregation (issue 13), with boto3: an aggregator in one account reads its own account's regions at once
and another account's regions only once that account has authorized it there (PutAggregationAuthorization in the
source account and region); resource counts group by account, region and type; rules' compliance comes one row per
rule per account and region and sums into the summary; and the refusals use AWS Config's codes. Two accounts
(AKIDCONFIG, AKIDCONFIGB) in regions no other test uses."""

from __future__ import annotations

import time

import pytest

from test_config_recorder import ACCOUNT, KEY, error_code, start_recording
from test_config_rules import SG, compliance_of, security_group

KEY_B = "AKIDCONFIGB"
ACCOUNT_B = "131313131313"
HOME = "ap-south-1"
OTHER = "me-south-1"
BUCKET = "AWS::S3::Bucket"
SSH_RULE = {"ConfigRuleName": "restricted-ssh", "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"}}


def config_client(server, key, region):
    return server.client("config", key=key, region=region)


def eventually(read, want, timeout=10.0):
    """`read()` once it equals `want` (the recorder and the rules run beside the API)."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        seen = read()
        if seen == want:
            return seen
        time.sleep(0.1)
    raise AssertionError(f"expected {want}, last saw {seen}")


def grouped(config, name, key, **filters):
    reply = config.get_aggregate_discovered_resource_counts(
        ConfigurationAggregatorName=name, GroupByKey=key, **({"Filters": filters} if filters else {}))
    return reply["TotalDiscoveredResources"], {g["GroupName"]: g["ResourceCount"] for g in reply["GroupedResourceCounts"]}


def statuses(config, name, **kwargs):
    rows = config.describe_configuration_aggregator_sources_status(ConfigurationAggregatorName=name,
                                                                   **kwargs)["AggregatedSourceStatusList"]
    return [(r["SourceId"], r["AwsRegion"], r["LastUpdateStatus"], r.get("LastErrorCode")) for r in rows]


def authorize(config, region=HOME):
    return config.put_aggregation_authorization(AuthorizedAccountId=ACCOUNT,
                                                AuthorizedAwsRegion=region)["AggregationAuthorization"]


# Each resource a rule evaluated has its compliance recorded as an item of its own, as in AWS Config; they count.
COMPLIANCE = "AWS::Config::ResourceCompliance"


@pytest.fixture(scope="module")
def accounts(server):
    """Account A records in both regions, account B too; each flags open SSH in HOME."""
    a_home, a_other = config_client(server, KEY, HOME), config_client(server, KEY, OTHER)
    b_home, b_other = config_client(server, KEY_B, HOME), config_client(server, KEY_B, OTHER)
    for config in (a_home, a_other, b_home, b_other):
        start_recording(config)
    security_group(a_home, "sg-agg-a1", 443)
    security_group(a_home, "sg-agg-a2", 22)
    security_group(a_other, "sg-agg-a3", 443)
    security_group(b_home, "sg-agg-b1", 22)
    security_group(b_other, "sg-agg-b2", 443)
    b_home.put_resource_config(ResourceType=BUCKET, SchemaVersionId="1", ResourceId="bucket-agg-b",
                               ResourceName="bucket-agg-b", Configuration="{}")
    for config in (a_home, b_home):
        config.put_config_rule(ConfigRule=SSH_RULE)
    compliance_of(a_home, "restricted-ssh", "sg-agg-a2", "NON_COMPLIANT")
    compliance_of(b_home, "restricted-ssh", "sg-agg-b1", "NON_COMPLIANT")
    return a_home, a_other, b_home, b_other


def test_an_aggregator_reads_another_account_only_where_it_is_authorized(server, accounts):
    a_home, _, b_home, b_other = accounts
    created = a_home.put_configuration_aggregator(
        ConfigurationAggregatorName="skywatch-agg",
        AccountAggregationSources=[{"AccountIds": [ACCOUNT, ACCOUNT_B], "AwsRegions": [HOME, OTHER]}],
        Tags=[{"Key": "team", "Value": "platform"}])["ConfigurationAggregator"]
    assert created["ConfigurationAggregatorArn"].startswith(
        f"arn:aws:config:{HOME}:{ACCOUNT}:config-aggregator/config-aggregator-")
    assert created["AccountAggregationSources"] == [
        {"AccountIds": [ACCOUNT, ACCOUNT_B], "AllAwsRegions": False, "AwsRegions": [HOME, OTHER]}]
    described = a_home.describe_configuration_aggregators(ConfigurationAggregatorNames=["skywatch-agg"])
    assert described["ConfigurationAggregators"][0]["ConfigurationAggregatorArn"] == \
        created["ConfigurationAggregatorArn"]

    # Its own account needs no authorization; the other account's regions fail until that account agrees.
    assert statuses(a_home, "skywatch-agg") == [
        (ACCOUNT, HOME, "SUCCEEDED", None), (ACCOUNT, OTHER, "SUCCEEDED", None),
        (ACCOUNT_B, HOME, "FAILED", "AccessDeniedException"), (ACCOUNT_B, OTHER, "FAILED", "AccessDeniedException")]
    assert [s[1] for s in statuses(a_home, "skywatch-agg", UpdateStatus=["FAILED"])] == [HOME, OTHER]
    eventually(lambda: grouped(a_home, "skywatch-agg", "ACCOUNT_ID"), (5, {ACCOUNT: 5}))

    # B authorizes the aggregator in one of its regions, then in the other.
    given = authorize(b_home)
    assert given["AggregationAuthorizationArn"] == \
        f"arn:aws:config:{HOME}:{ACCOUNT_B}:aggregation-authorization/{ACCOUNT}/{HOME}"
    assert authorize(b_home)["CreationTime"] == given["CreationTime"], "idempotent"
    assert statuses(a_home, "skywatch-agg", UpdateStatus=["FAILED"]) == \
        [(ACCOUNT_B, OTHER, "FAILED", "AccessDeniedException")]
    authorize(b_other)
    assert statuses(a_home, "skywatch-agg", UpdateStatus=["FAILED"]) == []
    listed = b_home.describe_aggregation_authorizations()["AggregationAuthorizations"]
    assert [(a["AuthorizedAccountId"], a["AuthorizedAwsRegion"]) for a in listed] == [(ACCOUNT, HOME)]

    eventually(lambda: grouped(a_home, "skywatch-agg", "ACCOUNT_ID"), (9, {ACCOUNT: 5, ACCOUNT_B: 4}))
    assert grouped(a_home, "skywatch-agg", "AWS_REGION") == (9, {HOME: 7, OTHER: 2})
    assert grouped(a_home, "skywatch-agg", "RESOURCE_TYPE") == (9, {SG: 5, BUCKET: 1, COMPLIANCE: 3})
    assert grouped(a_home, "skywatch-agg", "AWS_REGION", AccountId=ACCOUNT_B, ResourceType=SG) == \
        (2, {HOME: 1, OTHER: 1})

    # The resources of one type, a page at a time, with the account and region each is in.
    seen, token = [], None
    while True:
        page = a_home.list_aggregate_discovered_resources(
            ConfigurationAggregatorName="skywatch-agg", ResourceType=SG, Limit=2, **({"NextToken": token} if token else {}))
        seen += [(r["SourceAccountId"], r["SourceRegion"], r["ResourceId"]) for r in page["ResourceIdentifiers"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [(ACCOUNT, HOME, "sg-agg-a1"), (ACCOUNT, HOME, "sg-agg-a2"), (ACCOUNT, OTHER, "sg-agg-a3"),
                    (ACCOUNT_B, HOME, "sg-agg-b1"), (ACCOUNT_B, OTHER, "sg-agg-b2")]

    b1 = {"SourceAccountId": ACCOUNT_B, "SourceRegion": HOME, "ResourceId": "sg-agg-b1", "ResourceType": SG}
    item = a_home.get_aggregate_resource_config(ConfigurationAggregatorName="skywatch-agg",
                                                ResourceIdentifier=b1)["ConfigurationItem"]
    assert (item["accountId"], item["awsRegion"], item["resourceId"]) == (ACCOUNT_B, HOME, "sg-agg-b1")
    batch = a_home.batch_get_aggregate_resource_config(
        ConfigurationAggregatorName="skywatch-agg",
        ResourceIdentifiers=[b1, dict(b1, ResourceId="sg-nowhere")])
    assert [i["resourceId"] for i in batch["BaseConfigurationItems"]] == ["sg-agg-b1"]
    rows = a_home.select_aggregate_resource_config(
        ConfigurationAggregatorName="skywatch-agg",
        Expression=f"SELECT resourceId, accountId WHERE resourceType = '{SG}'")["Results"]
    assert len(rows) == 5 and any(ACCOUNT_B in r and "sg-agg-b2" in r for r in rows), rows

    # B takes its HOME authorization back: that region's data leaves the aggregator.
    b_home.delete_aggregation_authorization(AuthorizedAccountId=ACCOUNT, AuthorizedAwsRegion=HOME)
    assert grouped(a_home, "skywatch-agg", "ACCOUNT_ID") == (6, {ACCOUNT: 5, ACCOUNT_B: 1})
    code, _ = error_code(a_home.get_aggregate_resource_config, ConfigurationAggregatorName="skywatch-agg",
                         ResourceIdentifier=b1)
    assert code == "ResourceNotDiscoveredException"
    authorize(b_home)


def test_compliance_is_one_row_per_rule_per_account_and_region_and_sums_up(server, accounts):
    a_home, _, b_home, b_other = accounts
    a_home.put_configuration_aggregator(
        ConfigurationAggregatorName="skywatch-compliance",
        AccountAggregationSources=[{"AccountIds": [ACCOUNT, ACCOUNT_B], "AwsRegions": [HOME, OTHER]}])
    authorize(b_home)
    authorize(b_other)
    rows = a_home.describe_aggregate_compliance_by_config_rules(
        ConfigurationAggregatorName="skywatch-compliance")["AggregateComplianceByConfigRules"]
    non_compliant = {"ComplianceType": "NON_COMPLIANT",
                     "ComplianceContributorCount": {"CappedCount": 1, "CapExceeded": False}}
    assert rows == [
        {"ConfigRuleName": "restricted-ssh", "Compliance": non_compliant, "AccountId": ACCOUNT, "AwsRegion": HOME},
        {"ConfigRuleName": "restricted-ssh", "Compliance": non_compliant, "AccountId": ACCOUNT_B, "AwsRegion": HOME},
    ]

    def summary(key):
        reply = a_home.get_aggregate_config_rule_compliance_summary(
            ConfigurationAggregatorName="skywatch-compliance", GroupByKey=key)
        assert reply["GroupByKey"] == key
        return {c["GroupName"]: (c["ComplianceSummary"]["CompliantResourceCount"]["CappedCount"],
                                 c["ComplianceSummary"]["NonCompliantResourceCount"]["CappedCount"])
                for c in reply["AggregateComplianceCounts"]}

    assert summary("ACCOUNT_ID") == {ACCOUNT: (0, 1), ACCOUNT_B: (0, 1)}
    assert summary("AWS_REGION") == {HOME: (0, 2)}

    # B closes SSH: its rule is compliant again, and the sums follow.
    security_group(b_home, "sg-agg-b1", 443)
    compliance_of(b_home, "restricted-ssh", "sg-agg-b1", "COMPLIANT")
    assert summary("ACCOUNT_ID") == {ACCOUNT: (0, 1), ACCOUNT_B: (1, 0)}
    compliant = a_home.describe_aggregate_compliance_by_config_rules(
        ConfigurationAggregatorName="skywatch-compliance",
        Filters={"ComplianceType": "COMPLIANT"})["AggregateComplianceByConfigRules"]
    assert [(r["AccountId"], r["Compliance"]["ComplianceType"]) for r in compliant] == [(ACCOUNT_B, "COMPLIANT")]
    details = a_home.get_aggregate_compliance_details_by_config_rule(
        ConfigurationAggregatorName="skywatch-compliance", ConfigRuleName="restricted-ssh", AccountId=ACCOUNT_B,
        AwsRegion=HOME)["AggregateEvaluationResults"]
    assert [(d["AccountId"], d["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"],
             d["ComplianceType"]) for d in details] == [(ACCOUNT_B, "sg-agg-b1", "COMPLIANT")]
    security_group(b_home, "sg-agg-b1", 22)
    compliance_of(b_home, "restricted-ssh", "sg-agg-b1", "NON_COMPLIANT")


def test_all_regions_are_where_the_account_records_and_refusals_name_their_codes(server, accounts):
    a_home, a_other, b_home, _ = accounts
    # An aggregator in OTHER over every region of B: where B records; B has authorized only the HOME aggregators.
    a_other.put_configuration_aggregator(
        ConfigurationAggregatorName="b-everywhere",
        AccountAggregationSources=[{"AccountIds": [ACCOUNT_B], "AllAwsRegions": True}])
    assert statuses(a_other, "b-everywhere") == [
        (ACCOUNT_B, HOME, "FAILED", "AccessDeniedException"), (ACCOUNT_B, OTHER, "FAILED", "AccessDeniedException")]
    authorize(b_home, region=OTHER)
    assert [s[2] for s in statuses(a_other, "b-everywhere")] == ["SUCCEEDED", "FAILED"]
    b_home.delete_aggregation_authorization(AuthorizedAccountId=ACCOUNT, AuthorizedAwsRegion=OTHER)

    def refused(call, **kwargs):
        return error_code(call, **kwargs)[0]

    assert refused(a_home.describe_configuration_aggregators,
                   ConfigurationAggregatorNames=["no-such-aggregator"]) == "NoSuchConfigurationAggregatorException"
    assert refused(a_home.get_aggregate_discovered_resource_counts,
                   ConfigurationAggregatorName="b-everywhere") == "NoSuchConfigurationAggregatorException"
    assert refused(a_home.put_configuration_aggregator, ConfigurationAggregatorName="org",
                   OrganizationAggregationSource={"RoleArn": f"arn:aws:iam::{ACCOUNT}:role/org",
                                                  "AllAwsRegions": True}) == "NoAvailableOrganizationException"
    assert refused(a_home.put_configuration_aggregator, ConfigurationAggregatorName="both",
                   AccountAggregationSources=[{"AccountIds": [ACCOUNT], "AllAwsRegions": True,
                                               "AwsRegions": [HOME]}]) == "InvalidParameterValueException"
    assert refused(a_home.put_aggregation_authorization, AuthorizedAccountId="12345",
                   AuthorizedAwsRegion=HOME) == "ValidationException"
    a_other.delete_configuration_aggregator(ConfigurationAggregatorName="b-everywhere")
    assert refused(a_other.delete_configuration_aggregator,
                   ConfigurationAggregatorName="b-everywhere") == "NoSuchConfigurationAggregatorException"
