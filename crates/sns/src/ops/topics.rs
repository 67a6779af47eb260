//! CreateTopic (idempotent by name), DeleteTopic (with its subscriptions), ListTopics (pages of 100) and
//! Get/SetTopicAttributes.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{SnsError, own_topic, resource, spec, storage};
use crate::arn::{topic_arn, valid_topic_name};
use crate::model::Topic;
use crate::policy::RetryPolicy;
use crate::storage::{SnsChange, subscriptions, topic, topics};
use crate::{Sns, publish::MAX_FANOUT};

/// Topics a page of ListTopics.
pub const PAGE: usize = 100;
/// Topics one account may have in one region (SNS's default quota).
pub const MAX_TOPICS: usize = 100_000;
/// Tags on one topic.
pub const MAX_TAGS: usize = 50;
/// The attributes a client may set.
pub const SETTABLE: [&str; 7] =
    ["DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "TracingConfig", "SignatureVersion", "ArchivePolicy"];
/// The longest attribute value (a policy document).
pub const MAX_ATTRIBUTE_BYTES: usize = 30 * 1024;
const TOKEN_KIND: &str = "sns-topics";

fn check_attributes(attributes: &BTreeMap<String, String>) -> Result<(), SnsError> {
    for (name, value) in attributes {
        if !SETTABLE.contains(&name.as_str()) {
            return Err(SnsError::InvalidParameter(format!("Attributes Reason: Unknown attribute {name}")));
        }
        if value.len() > MAX_ATTRIBUTE_BYTES {
            return Err(SnsError::InvalidParameter(format!("Attributes Reason: {name} is too long")));
        }
        if name == "SignatureVersion" && crate::signing::SignatureVersion::parse(value).is_none() {
            return Err(SnsError::InvalidParameter(format!(
                "Attributes Reason: SignatureVersion: Invalid value [{value}]. Valid values: [1, 2]"
            )));
        }
        if name == "DeliveryPolicy" && serde_json::from_str::<serde_json::Value>(value).is_err() {
            return Err(SnsError::InvalidParameter("DeliveryPolicy: not a JSON document".into()));
        }
    }
    Ok(())
}

/// CreateTopic's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTopicInput {
    pub name: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
}

/// CreateTopic: a topic that exists with the same attributes is returned as it is.
pub struct CreateTopic;

impl Operation for CreateTopic {
    const SPEC: Spec = spec("CreateTopic", Access::Write).with_limits(&[
        Limit::aws("Name characters", 256),
        Limit::aws("topics an account and region", MAX_TOPICS as u64),
        Limit::aws("tags a topic", MAX_TAGS as u64),
        Limit::own("attribute value bytes", MAX_ATTRIBUTE_BYTES as u64),
    ]);
    type Engine = Sns;
    type Input = CreateTopicInput;
    type Output = String;
    type Error = SnsError;

    async fn run(sns: &Sns, ctx: &Context, input: CreateTopicInput) -> Result<Effect<String, SnsError>, SnsError> {
        if !valid_topic_name(&input.name) {
            return Err(SnsError::InvalidParameter(
                "Topic Name: must be 1 to 256 characters of letters, numbers, hyphens and underscores".into(),
            ));
        }
        check_attributes(&input.attributes)?;
        if input.tags.len() > MAX_TAGS {
            return Err(SnsError::InvalidParameter(format!("Tags: at most {MAX_TAGS}")));
        }
        let arn = topic_arn(&ctx.region, &ctx.account, &input.name);
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.name.clone());
        let (existing, count) = sns
            .store
            .read(move |reader| {
                let existing = topic(reader, &account, &region, &name)?;
                let count =
                    if existing.is_some() { 0 } else { topics(reader, &account, &region, None, MAX_TOPICS)?.len() };
                Ok((existing, count))
            })
            .await
            .map_err(storage)?;
        if let Some(existing) = existing {
            if input.attributes.iter().any(|(k, v)| existing.attributes.get(k) != Some(v)) {
                return Err(SnsError::InvalidParameter(
                    "Attributes Reason: Topic already exists with different attributes".into(),
                ));
            }
            return Ok(Effect::reply(arn.clone()).with_resources(vec![resource(&arn)]));
        }
        if count >= MAX_TOPICS {
            return Err(SnsError::TopicLimit("Topic limit exceeded".into()));
        }
        let topic = Topic { name: input.name, attributes: input.attributes, tags: input.tags, created_ms: ctx.now_ms };
        let change = SnsChange::PutTopic { account: ctx.account.clone(), region: ctx.region.clone(), topic };
        Ok(Effect::commit(arn.clone(), vec![change.mutation()]).with_resources(vec![resource(&arn)]))
    }
}

/// The input of calls that name one topic.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicArnInput {
    pub topic_arn: String,
}

/// DeleteTopic: its subscriptions go with it; deleting a topic that does not exist succeeds, as in SNS.
pub struct DeleteTopic;

impl Operation for DeleteTopic {
    const SPEC: Spec = spec("DeleteTopic", Access::Write)
        .with_limits(&[Limit::own("subscriptions deleted with a topic", MAX_FANOUT as u64)]);
    type Engine = Sns;
    type Input = TopicArnInput;
    type Output = ();
    type Error = SnsError;

    async fn run(sns: &Sns, ctx: &Context, input: TopicArnInput) -> Result<Effect<(), SnsError>, SnsError> {
        let name = own_topic(ctx, &input.topic_arn)?.to_owned();
        let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.clone());
        let ids: Vec<String> = sns
            .store
            .read(move |reader| subscriptions(reader, &account, &region, &lookup, None, MAX_FANOUT))
            .await
            .map_err(storage)?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let change = SnsChange::DeleteTopic {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name,
            subscriptions: ids,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(&input.topic_arn)]))
    }
}

/// ListTopics' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTopicsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// A page of topic ARNs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TopicPage {
    pub topic_arns: Vec<String>,
    pub next_token: Option<String>,
}

/// ListTopics.
pub struct ListTopics;

impl Operation for ListTopics {
    const SPEC: Spec = spec("ListTopics", Access::Read).with_limits(&[Limit::aws("topics a page", PAGE as u64)]);
    type Engine = Sns;
    type Input = ListTopicsInput;
    type Output = TopicPage;
    type Error = SnsError;

    async fn run(sns: &Sns, ctx: &Context, input: ListTopicsInput) -> Result<Effect<TopicPage, SnsError>, SnsError> {
        let after = match &input.next_token {
            None => None,
            Some(t) => {
                Some(token::decode(TOKEN_KIND, t).ok_or_else(|| SnsError::InvalidParameter("NextToken".into()))?)
            }
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let mut found = sns
            .store
            .read(move |reader| topics(reader, &account, &region, after.as_deref(), PAGE + 1))
            .await
            .map_err(storage)?;
        let more = found.len() > PAGE;
        found.truncate(PAGE);
        let next_token = if more { found.last().map(|t| token::encode(TOKEN_KIND, &t.name)) } else { None };
        let topic_arns = found.iter().map(|t| topic_arn(&ctx.region, &ctx.account, &t.name)).collect();
        Ok(Effect::reply(TopicPage { topic_arns, next_token }))
    }
}

/// The default access policy SNS gives a topic.
fn default_policy(arn: &str, account: &str) -> String {
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": { "AWS": "*" },
            "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                       "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
            "Resource": arn,
            "Condition": { "StringEquals": { "AWS:SourceOwner": account } },
        }],
    })
    .to_string()
}

/// GetTopicAttributes: the settable attributes, the owner, the subscription counts and the effective delivery
/// policy.
pub struct GetTopicAttributes;

impl Operation for GetTopicAttributes {
    const SPEC: Spec =
        spec("GetTopicAttributes", Access::Read).with_limits(&[Limit::own("subscriptions counted", MAX_FANOUT as u64)]);
    type Engine = Sns;
    type Input = TopicArnInput;
    type Output = BTreeMap<String, String>;
    type Error = SnsError;

    async fn run(
        sns: &Sns,
        ctx: &Context,
        input: TopicArnInput,
    ) -> Result<Effect<BTreeMap<String, String>, SnsError>, SnsError> {
        let name = own_topic(ctx, &input.topic_arn)?.to_owned();
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (found, subs) = sns
            .store
            .read(move |reader| {
                Ok((
                    topic(reader, &account, &region, &name)?,
                    subscriptions(reader, &account, &region, &name, None, MAX_FANOUT)?,
                ))
            })
            .await
            .map_err(storage)?;
        let found = found.ok_or_else(|| SnsError::NotFound("Topic does not exist".into()))?;
        let mut attributes = found.attributes.clone();
        let confirmed = subs.iter().filter(|s| s.confirmed).count();
        attributes.insert("TopicArn".into(), input.topic_arn.clone());
        attributes.insert("Owner".into(), ctx.account.clone());
        attributes.entry("DisplayName".into()).or_default();
        attributes.entry("Policy".into()).or_insert_with(|| default_policy(&input.topic_arn, &ctx.account));
        attributes.insert("SubscriptionsConfirmed".into(), confirmed.to_string());
        attributes.insert("SubscriptionsPending".into(), (subs.len() - confirmed).to_string());
        attributes.insert("SubscriptionsDeleted".into(), "0".into());
        let policy = RetryPolicy::from_document(found.attributes.get("DeliveryPolicy").map(String::as_str));
        let backoff = format!("{:?}", policy.backoff).to_lowercase();
        attributes.insert(
            "EffectiveDeliveryPolicy".into(),
            json!({ "http": { "defaultHealthyRetryPolicy": {
                "minDelayTarget": policy.min_delay_s, "maxDelayTarget": policy.max_delay_s,
                "numRetries": policy.num_retries, "numMaxDelayRetries": 0, "numNoDelayRetries": policy.num_no_delay_retries,
                "numMinDelayRetries": 0, "backoffFunction": backoff,
            }, "disableSubscriptionOverrides": false, "defaultRequestPolicy": { "headerContentType": "text/plain; charset=UTF-8" } } })
            .to_string(),
        );
        Ok(Effect::reply(attributes).with_resources(vec![resource(&input.topic_arn)]))
    }
}

/// SetTopicAttributes' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetTopicAttributesInput {
    pub topic_arn: String,
    pub attribute_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_value: Option<String>,
}

/// SetTopicAttributes: one settable attribute; an empty or absent value removes it.
pub struct SetTopicAttributes;

impl Operation for SetTopicAttributes {
    const SPEC: Spec = spec("SetTopicAttributes", Access::Write)
        .with_limits(&[Limit::own("attribute value bytes", MAX_ATTRIBUTE_BYTES as u64)]);
    type Engine = Sns;
    type Input = SetTopicAttributesInput;
    type Output = ();
    type Error = SnsError;

    async fn run(sns: &Sns, ctx: &Context, input: SetTopicAttributesInput) -> Result<Effect<(), SnsError>, SnsError> {
        let name = own_topic(ctx, &input.topic_arn)?.to_owned();
        let value = input.attribute_value.clone().unwrap_or_default();
        if !value.is_empty() {
            check_attributes(&BTreeMap::from([(input.attribute_name.clone(), value.clone())]))?;
        } else if !SETTABLE.contains(&input.attribute_name.as_str()) {
            return Err(SnsError::InvalidParameter("AttributeName".into()));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let found = sns.store.read(move |reader| topic(reader, &account, &region, &name)).await.map_err(storage)?;
        let mut found = found.ok_or_else(|| SnsError::NotFound("Topic does not exist".into()))?;
        if value.is_empty() {
            found.attributes.remove(&input.attribute_name);
        } else {
            found.attributes.insert(input.attribute_name.clone(), value);
        }
        let change = SnsChange::PutTopic { account: ctx.account.clone(), region: ctx.region.clone(), topic: found };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![resource(&input.topic_arn)]))
    }
}
