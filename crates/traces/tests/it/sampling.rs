//! Issue 12: sampling rules on a real redb file: the Default rule every account has (1 a second plus 5 %), rules
//! created, listed in the order clients apply them, updated and deleted; Default's limits; X-Ray's bounds and
//! quota; reservoirs shared among reporting clients; statistics summed per window.

use skywatch_ops::{Context, Operation};
use skywatch_store::Store;
use skywatch_traces::sampling::RuleFields;
use skywatch_traces::{
    CreateSamplingRule, CreateSamplingRuleInput, DeleteSamplingRule, DeleteSamplingRuleInput, GetSamplingRules,
    GetSamplingStatisticSummaries, GetSamplingTargets, GetSamplingTargetsInput, PageInput, StatisticsInput, Traces,
    UpdateSamplingRule, UpdateSamplingRuleInput,
};

struct Fixture {
    traces: Traces,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { traces: Traces::new(Store::open(dir.path()).unwrap()), _dir: dir }
    }

    async fn call_at<Op: Operation<Engine = Traces>>(
        &self,
        now_ms: i64,
        input: Op::Input,
    ) -> Result<Op::Output, String> {
        let ctx = Context::new(
            skywatch_model::Caller::Anonymous { account: "000000000000".into() },
            "us-east-1",
            "r",
            now_ms,
        );
        let effect = Op::run(&self.traces, &ctx, input)
            .await
            .map_err(|e| format!("{}: {e}", skywatch_ops::AwsError::code(&e).code))?;
        self.traces.store().apply(effect.changes).await.unwrap();
        if let Some(work) = effect.after_commit {
            work();
        }
        Ok(effect.reply)
    }

    async fn call<Op: Operation<Engine = Traces>>(&self, input: Op::Input) -> Result<Op::Output, String> {
        self.call_at::<Op>(1_000, input).await
    }

    async fn names(&self) -> Vec<String> {
        let list = self.call::<GetSamplingRules>(PageInput::default()).await.unwrap();
        list.rules.into_iter().map(|r| r.name).collect()
    }
}

fn rule(name: &str, priority: i64, reservoir: i64) -> CreateSamplingRuleInput {
    CreateSamplingRuleInput {
        rule: RuleFields {
            rule_name: Some(name.into()),
            rule_arn: None,
            resource_arn: Some("*".into()),
            priority: Some(priority),
            fixed_rate: Some(0.1),
            reservoir_size: Some(reservoir),
            service_name: Some("shop-*".into()),
            service_type: Some("*".into()),
            host: Some("*".into()),
            http_method: Some("GET".into()),
            url_path: Some("/api/*".into()),
            version: Some(1),
            attributes: None,
        },
        tags: Vec::new(),
    }
}

#[tokio::test]
async fn every_account_has_the_default_rule() {
    let fx = Fixture::start();
    let list = fx.call::<GetSamplingRules>(PageInput::default()).await.unwrap();
    let default = &list.rules[0];
    assert_eq!(
        (default.name.as_str(), default.priority, default.reservoir_size, default.fixed_rate),
        ("Default", 10_000, 1, 0.05)
    );
    assert_eq!(default.arn("us-east-1", "000000000000"), "arn:aws:xray:us-east-1:000000000000:sampling-rule/Default");
    let refused = fx
        .call::<DeleteSamplingRule>(DeleteSamplingRuleInput { rule_name: Some("Default".into()), rule_arn: None })
        .await;
    assert!(refused.unwrap_err().starts_with("InvalidRequestException"));
    let rate = UpdateSamplingRuleInput {
        update: RuleFields {
            rule_name: Some("Default".into()),
            fixed_rate: Some(0.2),
            reservoir_size: Some(3),
            ..Default::default()
        },
    };
    let updated = fx.call::<UpdateSamplingRule>(rate).await.unwrap();
    assert_eq!((updated.rule.fixed_rate, updated.rule.reservoir_size, updated.rule.priority), (0.2, 3, 10_000));
    let priority = UpdateSamplingRuleInput {
        update: RuleFields { rule_name: Some("Default".into()), priority: Some(5), ..Default::default() },
    };
    assert!(
        fx.call::<UpdateSamplingRule>(priority)
            .await
            .unwrap_err()
            .contains("Invalid update request for default sampling rule")
    );
}

#[tokio::test]
async fn rules_are_created_listed_in_order_updated_and_deleted() {
    let fx = Fixture::start();
    fx.call::<CreateSamplingRule>(rule("slow", 20, 2)).await.unwrap();
    fx.call::<CreateSamplingRule>(rule("checkout", 10, 5)).await.unwrap();
    fx.call::<CreateSamplingRule>(rule("beta", 20, 1)).await.unwrap();
    assert_eq!(fx.names().await, ["checkout", "beta", "slow", "Default"]);
    let duplicate = fx.call::<CreateSamplingRule>(rule("slow", 1, 1)).await.unwrap_err();
    assert!(duplicate.contains("already exists"), "{duplicate}");
    let by_arn = UpdateSamplingRuleInput {
        update: RuleFields {
            rule_arn: Some("arn:aws:xray:us-east-1:000000000000:sampling-rule/slow".into()),
            priority: Some(1),
            ..Default::default()
        },
    };
    assert_eq!(fx.call::<UpdateSamplingRule>(by_arn).await.unwrap().rule.priority, 1);
    assert_eq!(fx.names().await, ["slow", "checkout", "beta", "Default"]);
    let deleted =
        fx.call::<DeleteSamplingRule>(DeleteSamplingRuleInput { rule_name: Some("beta".into()), rule_arn: None }).await;
    assert_eq!(deleted.unwrap().rule.name, "beta");
    assert_eq!(fx.names().await, ["slow", "checkout", "Default"]);
    let missing =
        fx.call::<DeleteSamplingRule>(DeleteSamplingRuleInput { rule_name: Some("beta".into()), rule_arn: None }).await;
    assert!(missing.unwrap_err().contains("does not exist"));
}

#[tokio::test]
async fn bounds_and_the_quota_are_x_rays() {
    let fx = Fixture::start();
    for (input, words) in [
        (rule(&"x".repeat(33), 1, 1), "RuleName"),
        (rule("p", 10_000, 1), "Priority"),
        (
            CreateSamplingRuleInput {
                rule: RuleFields { fixed_rate: Some(1.5), ..rule("f", 1, 1).rule },
                tags: vec![],
            },
            "FixedRate",
        ),
        (
            CreateSamplingRuleInput { rule: RuleFields { host: None, ..rule("h", 1, 1).rule }, tags: vec![] },
            "Host is required",
        ),
    ] {
        let error = fx.call::<CreateSamplingRule>(input).await.unwrap_err();
        assert!(error.starts_with("InvalidRequestException") && error.contains(words), "{error}");
    }
    for n in 0..25 {
        fx.call::<CreateSamplingRule>(rule(&format!("r{n}"), 1, 1)).await.unwrap();
    }
    let over = fx.call::<CreateSamplingRule>(rule("r25", 1, 1)).await.unwrap_err();
    assert!(over.starts_with("RuleLimitExceededException"), "{over}");
}

fn statistics(rule: &str, client: char, requests: i64) -> StatisticsInput {
    StatisticsInput {
        rule_name: rule.into(),
        client_id: client.to_string().repeat(24),
        request_count: requests,
        sampled_count: 1,
        borrow_count: 0,
    }
}

#[tokio::test]
async fn reservoirs_are_shared_among_reporting_clients() {
    let fx = Fixture::start();
    fx.call_at::<CreateSamplingRule>(5_000, rule("checkout", 10, 10)).await.unwrap();
    let report = |now: i64, client: char, requests: i64| {
        let input = GetSamplingTargetsInput {
            sampling_statistics_documents: vec![
                statistics("checkout", client, requests),
                statistics("gone", client, 1),
            ],
        };
        fx.call_at::<GetSamplingTargets>(now, input)
    };
    let first = report(10_000, 'a', 40).await.unwrap();
    assert_eq!(first.targets[0].quota, 10);
    assert_eq!((first.targets[0].fixed_rate, first.targets[0].interval_s, first.targets[0].ttl_ms), (0.1, 10, 310_000));
    assert_eq!(first.last_rule_modification_ms, 5_000, "the last rule change, never the time of the call");
    assert_eq!(first.unprocessed, [("gone".to_owned(), "400".to_owned(), "Sampling rule does not exist".to_owned())]);
    report(11_000, 'b', 10).await.unwrap();
    report(12_000, 'c', 10).await.unwrap();
    let mut shares = Vec::new();
    for (client, requests) in [('a', 40), ('b', 10), ('c', 10)] {
        let input =
            GetSamplingTargetsInput { sampling_statistics_documents: vec![statistics("checkout", client, requests)] };
        shares.push(fx.call_at::<GetSamplingTargets>(13_000, input).await.unwrap().targets[0].quota);
    }
    assert_eq!(shares, [4, 3, 3]);
    let summaries = fx.call_at::<GetSamplingStatisticSummaries>(30_000, PageInput::default()).await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].0, "checkout");
    let bad = GetSamplingTargetsInput {
        sampling_statistics_documents: vec![StatisticsInput {
            client_id: "short".into(),
            ..statistics("checkout", 'a', 1)
        }],
    };
    assert!(fx.call::<GetSamplingTargets>(bad).await.unwrap_err().contains("ClientID"));
}
