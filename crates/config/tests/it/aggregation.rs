//! Issue 13: aggregation on a real redb file. An aggregator in one account reads its own account's regions at
//! once and another account's only once that account has authorized it (and no longer after the authorization
//! is deleted); counts group by type, account and region; rules' compliance comes one row per rule per account and
//! region and sums into the summary; the filter narrows the resource types; the aggregator survives a restart; and
//! the refusals use AWS Config's codes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use skywatch_config::aggregation::model::{AccountSource, AggregatorFilters, SourceState};
use skywatch_config::rules::model::{Compliance, Owner, Scope, Source};
use skywatch_config::{
    AggregateComplianceByRuleInput, AggregateCountsInput, AggregateDetailsInput, AggregateResource,
    AggregateSummaryInput, AggregatorNameInput, AuthorizationInput, BatchGetAggregateResourceConfig,
    BatchGetAggregateResourceConfigInput, Config, ConfigError, CountFilters, DeleteAggregationAuthorization,
    DeleteConfigurationAggregator, DescribeAggregateComplianceByConfigRules, DescribeAggregationAuthorizations,
    DescribeAggregationAuthorizationsInput, DescribeConfigurationAggregatorSourcesStatus,
    DescribeConfigurationAggregators, DescribeConfigurationAggregatorsInput, GetAggregateComplianceDetailsByConfigRule,
    GetAggregateConfigRuleComplianceSummary, GetAggregateDiscoveredResourceCounts, GetAggregateResourceConfig,
    GetAggregateResourceConfigInput, ListAggregateDiscoveredResources, ListAggregateResourcesInput, OrganizationSource,
    Outcome, PutAggregationAuthorization, PutConfigRule, PutConfigRuleInput, PutConfigurationAggregator,
    PutConfigurationAggregatorInput, PutConfigurationRecorder, PutConfigurationRecorderInput, PutDeliveryChannel,
    PutDeliveryChannelInput, PutResourceConfig, PutResourceConfigInput, RecorderNameInput, ResourceFilters,
    SelectAggregateResourceConfig, SelectAggregateResourceConfigInput, SourcesStatusInput, StartConfigurationRecorder,
    Transport,
};
use skywatch_ops::{AwsError, Context, Operation};
use skywatch_store::Store;

/// The aggregator's account, and another one.
const A: &str = "111111111111";
const B: &str = "222222222222";
/// The aggregator's region, and another one.
const HOME: &str = "ap-south-1";
const OTHER: &str = "me-south-1";
const SG: &str = "AWS::EC2::SecurityGroup";
const BUCKET: &str = "AWS::S3::Bucket";

struct Silent;

impl Transport for Silent {
    fn post(&self, _url: &str, _body: String) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
        Box::pin(async { Ok((200, String::new())) })
    }
}

struct Fixture {
    config: Config,
    dir: tempfile::TempDir,
    clock: std::cell::Cell<i64>,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            config: Config::new(Store::open(dir.path()).unwrap()),
            dir,
            clock: std::cell::Cell::new(1_765_000_000_000),
        }
    }

    fn restart(self) -> Self {
        let Fixture { config, dir, clock } = self;
        drop(config);
        Self { config: Config::new(Store::open(dir.path()).unwrap()), dir, clock }
    }

    fn tick(&self) -> i64 {
        self.clock.set(self.clock.get() + 1_000);
        self.clock.get()
    }

    /// Runs an operation in `account` and `region` as the invoke path does.
    async fn try_call<Op: Operation<Engine = Config>>(
        &self,
        (account, region): (&str, &str),
        input: Op::Input,
    ) -> Result<Op::Output, Op::Error> {
        let now = self.tick();
        let request = format!("req-{now:x}");
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: account.into() }, region, request, now);
        let effect = Op::run(&self.config, &ctx, input).await?;
        let mut changes = effect.changes;
        if let Some(build) = effect.with_event {
            changes.extend(build(&format!("event-{now}")));
        }
        self.config.store().apply(changes).await.unwrap();
        Ok(effect.reply)
    }

    async fn call<Op: Operation<Engine = Config>>(&self, scope: (&str, &str), input: Op::Input) -> Op::Output
    where
        Op::Error: std::fmt::Display,
    {
        self.try_call::<Op>(scope, input).await.unwrap_or_else(|e| panic!("{}: {e}", Op::SPEC.name))
    }

    async fn recording(&self, scope: (&str, &str)) {
        self.call::<PutConfigurationRecorder>(scope, PutConfigurationRecorderInput::default()).await;
        let channel = PutDeliveryChannelInput { s3_bucket_name: Some("bucket".into()), ..Default::default() };
        self.call::<PutDeliveryChannel>(scope, channel).await;
        let start = RecorderNameInput { configuration_recorder_name: "default".into() };
        self.call::<StartConfigurationRecorder>(scope, start).await;
    }

    async fn resource(&self, scope: (&str, &str), resource_type: &str, id: &str, ports: &[i64]) {
        let permissions: Vec<_> = ports
            .iter()
            .map(|p| serde_json::json!({"ipProtocol": "tcp", "fromPort": p, "toPort": p, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}))
            .collect();
        let configuration = serde_json::json!({"groupId": id, "ipPermissions": permissions}).to_string();
        let input = PutResourceConfigInput {
            resource_type: resource_type.into(),
            schema_version_id: "1".into(),
            resource_id: id.into(),
            resource_name: Some(format!("{id}-name")),
            configuration,
            ..Default::default()
        };
        self.call::<PutResourceConfig>(scope, input).await;
    }

    async fn ssh_rule(&self, scope: (&str, &str)) {
        let input = PutConfigRuleInput {
            name: "restricted-ssh".into(),
            description: None,
            scope: Scope { resource_types: vec![SG.into()], ..Scope::default() },
            source: Source {
                owner: Owner::Aws,
                identifier: Some("INCOMING_SSH_DISABLED".into()),
                details: Vec::new(),
                policy: None,
            },
            input_parameters: None,
            maximum_execution_frequency: None,
            tags: Vec::new(),
        };
        self.call::<PutConfigRule>(scope, input).await;
    }

    async fn settle(&self) {
        let transport: Arc<dyn Transport> = Arc::new(Silent);
        for _ in 0..6 {
            let now = self.tick();
            self.config.record(now).await.unwrap();
            self.config.evaluate_rules(now).await.unwrap();
            self.config.invoke(&transport, now).await.unwrap();
        }
    }

    /// Two accounts: A records in two regions, B in one; each has a rule that flags open SSH in the home region.
    async fn two_accounts(&self) {
        for scope in [(A, HOME), (A, OTHER), (B, HOME)] {
            self.recording(scope).await;
        }
        self.resource((A, HOME), SG, "sg-a1", &[443]).await;
        self.resource((A, HOME), SG, "sg-a2", &[22]).await;
        self.resource((A, OTHER), SG, "sg-a3", &[443]).await;
        self.resource((B, HOME), SG, "sg-b1", &[22]).await;
        self.resource((B, HOME), SG, "sg-b2", &[443]).await;
        self.resource((B, HOME), BUCKET, "bucket-b", &[]).await;
        self.ssh_rule((A, HOME)).await;
        self.ssh_rule((B, HOME)).await;
        self.settle().await;
    }

    async fn aggregator(&self, name: &str, accounts: &[&str], filters: Option<AggregatorFilters>) {
        let input = PutConfigurationAggregatorInput {
            configuration_aggregator_name: name.into(),
            account_aggregation_sources: vec![AccountSource {
                account_ids: accounts.iter().map(|a| (*a).to_owned()).collect(),
                all_aws_regions: true,
                aws_regions: Vec::new(),
            }],
            aggregator_filters: filters,
            ..Default::default()
        };
        self.call::<PutConfigurationAggregator>((A, HOME), input).await;
    }

    async fn counts(&self, name: &str, key: Option<&str>, filters: CountFilters) -> (u64, Vec<(String, u64)>) {
        let input = AggregateCountsInput {
            configuration_aggregator_name: name.into(),
            filters,
            group_by_key: key.map(str::to_owned),
            ..Default::default()
        };
        let out = self.call::<GetAggregateDiscoveredResourceCounts>((A, HOME), input).await;
        (out.total, out.groups)
    }

    async fn statuses(&self, name: &str) -> Vec<(String, String, SourceState, Option<String>)> {
        let input = SourcesStatusInput { configuration_aggregator_name: name.into(), ..Default::default() };
        self.call::<DescribeConfigurationAggregatorSourcesStatus>((A, HOME), input)
            .await
            .statuses
            .into_iter()
            .map(|s| (s.account, s.region, s.state, s.error.map(|e| e.0)))
            .collect()
    }

    async fn authorize(&self, source: (&str, &str)) {
        let input = AuthorizationInput {
            authorized_account_id: A.into(),
            authorized_aws_region: HOME.into(),
            tags: Vec::new(),
        };
        self.call::<PutAggregationAuthorization>(source, input).await;
    }
}

/// Each resource a rule evaluated has its compliance recorded as an item of its own, as in AWS Config.
const COMPLIANCE: &str = "AWS::Config::ResourceCompliance";

fn owned(rows: &[(&str, u64)]) -> Vec<(String, u64)> {
    rows.iter().map(|(g, n)| ((*g).to_owned(), *n)).collect()
}

#[tokio::test]
async fn another_account_is_read_only_while_it_authorizes_the_aggregator() {
    let fixture = Fixture::start();
    fixture.two_accounts().await;
    fixture.aggregator("everything", &[A, B], None).await;

    // Its own account needs no authorization, in every region it records in; B's region fails until B agrees.
    let failed = Some("AccessDeniedException".to_owned());
    assert_eq!(
        fixture.statuses("everything").await,
        [
            (A.into(), HOME.into(), SourceState::Succeeded, None),
            (A.into(), OTHER.into(), SourceState::Succeeded, None),
            (B.into(), HOME.into(), SourceState::Failed, failed),
        ]
    );
    assert_eq!(fixture.counts("everything", Some("ACCOUNT_ID"), CountFilters::default()).await, (5, owned(&[(A, 5)])));

    // An authorization for another aggregator region does not count.
    let elsewhere =
        AuthorizationInput { authorized_account_id: A.into(), authorized_aws_region: OTHER.into(), tags: Vec::new() };
    fixture.call::<PutAggregationAuthorization>((B, HOME), elsewhere).await;
    assert_eq!(fixture.counts("everything", None, CountFilters::default()).await.0, 5);

    fixture.authorize((B, HOME)).await;
    assert!(fixture.statuses("everything").await.iter().all(|s| s.2 == SourceState::Succeeded));
    assert_eq!(
        fixture.counts("everything", Some("ACCOUNT_ID"), CountFilters::default()).await,
        (10, owned(&[(A, 5), (B, 5)]))
    );
    assert_eq!(
        fixture.counts("everything", Some("AWS_REGION"), CountFilters::default()).await,
        (10, owned(&[(HOME, 9), (OTHER, 1)]))
    );
    assert_eq!(
        fixture.counts("everything", Some("RESOURCE_TYPE"), CountFilters::default()).await,
        (10, owned(&[(SG, 5), (COMPLIANCE, 4), (BUCKET, 1)]))
    );
    let only_b = CountFilters { account_id: Some(B.into()), resource_type: Some(SG.into()), ..Default::default() };
    assert_eq!(fixture.counts("everything", Some("RESOURCE_TYPE"), only_b).await, (2, owned(&[(SG, 2)])));
    let nothing = fixture.counts("everything", None, CountFilters::default()).await;
    assert_eq!(nothing, (10, Vec::new()), "no GroupByKey, no groups");

    let b_group = AggregateResource {
        source_account_id: B.into(),
        source_region: HOME.into(),
        resource_id: "sg-b1".into(),
        resource_type: SG.into(),
        resource_name: None,
    };
    let get = GetAggregateResourceConfigInput {
        configuration_aggregator_name: "everything".into(),
        resource_identifier: b_group.clone(),
    };
    let item = fixture.call::<GetAggregateResourceConfig>((A, HOME), get.clone()).await;
    assert_eq!((item.account_id.as_str(), item.aws_region.as_str(), item.resource_id.as_str()), (B, HOME, "sg-b1"));

    // The authorizations B gave, then B takes its authorization back: its data is gone from the aggregator.
    let given = fixture
        .call::<DescribeAggregationAuthorizations>((B, HOME), DescribeAggregationAuthorizationsInput::default())
        .await
        .authorizations;
    assert_eq!(given.len(), 2);
    assert_eq!(given[0].arn, format!("arn:aws:config:{HOME}:{B}:aggregation-authorization/{A}/{HOME}"));
    let revoke =
        AuthorizationInput { authorized_account_id: A.into(), authorized_aws_region: HOME.into(), tags: Vec::new() };
    fixture.call::<DeleteAggregationAuthorization>((B, HOME), revoke.clone()).await;
    fixture.call::<DeleteAggregationAuthorization>((B, HOME), revoke).await;
    let error = fixture.try_call::<GetAggregateResourceConfig>((A, HOME), get).await.unwrap_err();
    assert_eq!(error.code().code, "ResourceNotDiscoveredException");
    let batch = BatchGetAggregateResourceConfigInput {
        configuration_aggregator_name: "everything".into(),
        resource_identifiers: vec![
            b_group,
            AggregateResource {
                source_account_id: A.into(),
                source_region: OTHER.into(),
                resource_id: "sg-a3".into(),
                resource_type: SG.into(),
                resource_name: None,
            },
        ],
    };
    let items = fixture.call::<BatchGetAggregateResourceConfig>((A, HOME), batch).await.items;
    assert_eq!(items.iter().map(|i| i.resource_id.as_str()).collect::<Vec<_>>(), ["sg-a3"]);
}

#[tokio::test]
async fn compliance_is_one_row_per_rule_per_account_and_region_and_sums_up() {
    let fixture = Fixture::start();
    fixture.two_accounts().await;
    fixture.aggregator("everything", &[A, B], None).await;
    fixture.authorize((B, HOME)).await;

    let by_rule = fixture
        .call::<DescribeAggregateComplianceByConfigRules>(
            (A, HOME),
            AggregateComplianceByRuleInput { configuration_aggregator_name: "everything".into(), ..Default::default() },
        )
        .await
        .rules;
    let rows: Vec<_> = by_rule
        .iter()
        .map(|r| (r.account.as_str(), r.region.as_str(), r.rule.as_str(), r.summary.compliance, r.summary.count))
        .collect();
    assert_eq!(
        rows,
        [
            (A, HOME, "restricted-ssh", Compliance::NonCompliant, 1),
            (B, HOME, "restricted-ssh", Compliance::NonCompliant, 1)
        ]
    );

    // B's group closes SSH: B's rule turns compliant, and the summary by account says so.
    fixture.resource((B, HOME), SG, "sg-b1", &[443]).await;
    fixture.settle().await;
    let summary = fixture
        .call::<GetAggregateConfigRuleComplianceSummary>(
            (A, HOME),
            AggregateSummaryInput {
                configuration_aggregator_name: "everything".into(),
                group_by_key: Some("ACCOUNT_ID".into()),
                ..Default::default()
            },
        )
        .await;
    let groups: Vec<_> =
        summary.groups.iter().map(|(g, c)| (g.clone().unwrap(), c.compliant, c.non_compliant)).collect();
    assert_eq!(groups, [(A.to_owned(), 0, 1), (B.to_owned(), 1, 0)]);
    let total = fixture
        .call::<GetAggregateConfigRuleComplianceSummary>(
            (A, HOME),
            AggregateSummaryInput { configuration_aggregator_name: "everything".into(), ..Default::default() },
        )
        .await;
    assert_eq!(total.groups.len(), 1);
    assert_eq!((total.groups[0].0.clone(), total.groups[0].1.compliant, total.groups[0].1.non_compliant), (None, 1, 1));

    let compliant_only = AggregateComplianceByRuleInput {
        configuration_aggregator_name: "everything".into(),
        filters: skywatch_config::RuleComplianceFilters {
            compliance_type: Some("COMPLIANT".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let rows = fixture.call::<DescribeAggregateComplianceByConfigRules>((A, HOME), compliant_only).await.rules;
    assert_eq!(rows.iter().map(|r| r.account.as_str()).collect::<Vec<_>>(), [B]);

    let details = fixture
        .call::<GetAggregateComplianceDetailsByConfigRule>(
            (A, HOME),
            AggregateDetailsInput {
                configuration_aggregator_name: "everything".into(),
                config_rule_name: "restricted-ssh".into(),
                account_id: B.into(),
                aws_region: HOME.into(),
                ..Default::default()
            },
        )
        .await;
    let results: Vec<_> = details.results.iter().map(|e| (e.resource_id.as_str(), e.compliance)).collect();
    assert_eq!(results, [("sg-b1", Compliance::Compliant), ("sg-b2", Compliance::Compliant)]);
}

#[tokio::test]
async fn listing_pages_filters_and_queries_across_sources() {
    let fixture = Fixture::start();
    fixture.two_accounts().await;
    fixture.aggregator("everything", &[A, B], None).await;
    fixture.authorize((B, HOME)).await;

    let mut seen = Vec::new();
    let mut next_token = None;
    loop {
        let input = ListAggregateResourcesInput {
            configuration_aggregator_name: "everything".into(),
            resource_type: SG.into(),
            limit: Some(2),
            next_token: next_token.take(),
            ..Default::default()
        };
        let page = fixture.call::<ListAggregateDiscoveredResources>((A, HOME), input).await;
        seen.extend(page.resources.into_iter().map(|r| (r.source_account_id, r.source_region, r.resource_id)));
        match page.next_token {
            Some(t) => next_token = Some(t),
            None => break,
        }
    }
    let ids: Vec<&str> = seen.iter().map(|s| s.2.as_str()).collect();
    assert_eq!(ids, ["sg-a1", "sg-a2", "sg-a3", "sg-b1", "sg-b2"]);
    let named = ListAggregateResourcesInput {
        configuration_aggregator_name: "everything".into(),
        resource_type: SG.into(),
        filters: ResourceFilters { resource_name: Some("sg-b2-name".into()), ..Default::default() },
        ..Default::default()
    };
    let found = fixture.call::<ListAggregateDiscoveredResources>((A, HOME), named).await.resources;
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].source_account_id.as_str(), found[0].resource_id.as_str()), (B, "sg-b2"));

    let select = SelectAggregateResourceConfigInput {
        expression: format!("SELECT resourceId, accountId, awsRegion WHERE resourceType = '{SG}'"),
        configuration_aggregator_name: "everything".into(),
        ..Default::default()
    };
    let rows = fixture.call::<SelectAggregateResourceConfig>((A, HOME), select).await.results;
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows.iter().any(|r| r.contains(B) && r.contains("sg-b1")), "{rows:?}");

    // An aggregator that includes only buckets, over explicitly listed regions.
    let input = PutConfigurationAggregatorInput {
        configuration_aggregator_name: "buckets".into(),
        account_aggregation_sources: vec![AccountSource {
            account_ids: vec![A.into(), B.into()],
            all_aws_regions: false,
            aws_regions: vec![HOME.into()],
        }],
        aggregator_filters: Some(AggregatorFilters {
            resource_types: Some(vec![BUCKET.into()]),
            service_principals: None,
        }),
        ..Default::default()
    };
    fixture.call::<PutConfigurationAggregator>((A, HOME), input).await;
    assert_eq!(
        fixture.counts("buckets", Some("RESOURCE_TYPE"), CountFilters::default()).await,
        (1, owned(&[(BUCKET, 1)]))
    );
}

#[tokio::test]
async fn aggregators_are_kept_listed_and_deleted_and_refused_as_aws_refuses() {
    let fixture = Fixture::start();
    fixture.aggregator("first", &[A], None).await;
    fixture.aggregator("second", &[A, B], None).await;
    fixture.aggregator("second", &[A, B, B], None).await;
    let fixture = fixture.restart();

    let all = fixture
        .call::<DescribeConfigurationAggregators>((A, HOME), DescribeConfigurationAggregatorsInput::default())
        .await
        .aggregators;
    assert_eq!(all.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["first", "second"]);
    assert!(all[0].arn.starts_with(&format!("arn:aws:config:{HOME}:{A}:config-aggregator/config-aggregator-")));
    assert_eq!(all[1].account_sources[0].account_ids, [A, B], "duplicates dropped");
    assert!(all[1].updated_ms > all[1].created_ms);

    let paged = DescribeConfigurationAggregatorsInput { limit: Some(1), ..Default::default() };
    let first = fixture.call::<DescribeConfigurationAggregators>((A, HOME), paged).await;
    assert_eq!(first.aggregators.len(), 1);
    let rest = DescribeConfigurationAggregatorsInput { next_token: first.next_token, ..Default::default() };
    assert_eq!(fixture.call::<DescribeConfigurationAggregators>((A, HOME), rest).await.aggregators[0].name, "second");

    let code = |error: ConfigError| error.code().code;
    let missing = DescribeConfigurationAggregatorsInput {
        configuration_aggregator_names: vec!["first".into(), "nope".into()],
        ..Default::default()
    };
    let error = fixture.try_call::<DescribeConfigurationAggregators>((A, HOME), missing).await.unwrap_err();
    assert_eq!(code(error.clone()), "NoSuchConfigurationAggregatorException");
    assert!(error.to_string().starts_with("At least one of the configuration aggregators does not exist"));
    // Aggregators are regional: the other region has none.
    let elsewhere = AggregateCountsInput { configuration_aggregator_name: "first".into(), ..Default::default() };
    let error = fixture.try_call::<GetAggregateDiscoveredResourceCounts>((A, OTHER), elsewhere).await.unwrap_err();
    assert_eq!(code(error), "NoSuchConfigurationAggregatorException");

    let organization = PutConfigurationAggregatorInput {
        configuration_aggregator_name: "org".into(),
        organization_aggregation_source: Some(OrganizationSource {
            role_arn: format!("arn:aws:iam::{A}:role/aggregator"),
            all_aws_regions: true,
            ..Default::default()
        }),
        ..Default::default()
    };
    let error = fixture.try_call::<PutConfigurationAggregator>((A, HOME), organization).await.unwrap_err();
    assert_eq!(code(error), "NoAvailableOrganizationException");
    let both = PutConfigurationAggregatorInput {
        configuration_aggregator_name: "both".into(),
        account_aggregation_sources: vec![AccountSource {
            account_ids: vec![A.into()],
            all_aws_regions: true,
            aws_regions: vec![HOME.into()],
        }],
        ..Default::default()
    };
    let error = fixture.try_call::<PutConfigurationAggregator>((A, HOME), both).await.unwrap_err();
    assert_eq!(code(error), "InvalidParameterValueException");
    let bad_account = PutConfigurationAggregatorInput {
        configuration_aggregator_name: "bad".into(),
        account_aggregation_sources: vec![AccountSource {
            account_ids: vec!["12345".into()],
            all_aws_regions: true,
            aws_regions: vec![],
        }],
        ..Default::default()
    };
    let error = fixture.try_call::<PutConfigurationAggregator>((A, HOME), bad_account).await.unwrap_err();
    assert_eq!(code(error), "ValidationException");
    let bad_name =
        PutConfigurationAggregatorInput { configuration_aggregator_name: "no spaces".into(), ..Default::default() };
    let error = fixture.try_call::<PutConfigurationAggregator>((A, HOME), bad_name).await.unwrap_err();
    assert_eq!(code(error), "ValidationException");

    for n in 2..50 {
        fixture.aggregator(&format!("more-{n}"), &[A], None).await;
    }
    let input = PutConfigurationAggregatorInput {
        configuration_aggregator_name: "one-too-many".into(),
        account_aggregation_sources: vec![AccountSource {
            account_ids: vec![A.into()],
            all_aws_regions: true,
            aws_regions: vec![],
        }],
        ..Default::default()
    };
    let error = fixture.try_call::<PutConfigurationAggregator>((A, HOME), input).await.unwrap_err();
    assert_eq!(code(error), "LimitExceededException");

    fixture
        .call::<DeleteConfigurationAggregator>(
            (A, HOME),
            AggregatorNameInput { configuration_aggregator_name: "first".into() },
        )
        .await;
    let again = AggregatorNameInput { configuration_aggregator_name: "first".into() };
    let error = fixture.try_call::<DeleteConfigurationAggregator>((A, HOME), again).await.unwrap_err();
    assert_eq!(code(error), "NoSuchConfigurationAggregatorException");
}
