//! Subscribe (HTTP and HTTPS endpoints: the subscription waits for confirmation and a `SubscriptionConfirmation`
//! is queued to the endpoint), ConfirmSubscription (with the token from that message; the edge also serves it
//! unsigned, as SNS does, at the message's SubscribeURL), Unsubscribe, ListSubscriptionsByTopic and
//! GetSubscriptionAttributes.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{SnsError, own_topic, resource, spec, storage, subscription_resource};
use crate::Sns;
use crate::arn::parse_subscription_arn;
use crate::message::Envelope;
use crate::model::{PENDING, Subscription};
use crate::publish::MAX_FANOUT;
use crate::storage::{Delivery, SnsChange, subscription, subscriptions, topic};

/// Subscriptions a page of ListSubscriptionsByTopic.
pub const PAGE: usize = 100;
/// The longest endpoint URL.
pub const MAX_ENDPOINT_BYTES: usize = 2048;
/// Settable subscription attributes.
pub const SETTABLE: [&str; 4] = ["RawMessageDelivery", "DeliveryPolicy", "FilterPolicy", "RedrivePolicy"];
const TOKEN_KIND: &str = "sns-subscriptions";
/// What Subscribe answers for a subscription waiting for confirmation.
pub const PENDING_REPLY: &str = "pending confirmation";

fn queue(delivery: Delivery) -> skywatch_store::Mutation {
    SnsChange::Enqueue(Box::new(delivery)).mutation()
}

fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Subscribe's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeInput {
    pub topic_arn: String,
    pub protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    pub return_subscription_arn: bool,
}

/// Subscribe.
pub struct Subscribe;

impl Operation for Subscribe {
    const SPEC: Spec = spec("Subscribe", Access::Write).with_limits(&[
        Limit::own("Endpoint bytes", MAX_ENDPOINT_BYTES as u64),
        Limit::own("subscriptions a topic", MAX_FANOUT as u64),
    ]);
    type Engine = Sns;
    type Input = SubscribeInput;
    type Output = String;
    type Error = SnsError;

    async fn run(sns: &Sns, ctx: &Context, input: SubscribeInput) -> Result<Effect<String, SnsError>, SnsError> {
        let name = own_topic(ctx, &input.topic_arn)?.to_owned();
        let protocol = input.protocol.to_ascii_lowercase();
        if protocol != "http" && protocol != "https" {
            return Err(SnsError::InvalidParameter(format!(
                "Unsupported protocol {}: Skywatch delivers to http and https endpoints",
                input.protocol
            )));
        }
        let endpoint = input.endpoint.clone().unwrap_or_default();
        let scheme_ok = endpoint
            .strip_prefix(&protocol)
            .and_then(|rest| rest.strip_prefix("://"))
            .is_some_and(|host| !host.is_empty());
        if !scheme_ok || endpoint.len() > MAX_ENDPOINT_BYTES || endpoint.chars().any(char::is_whitespace) {
            return Err(SnsError::InvalidParameter("Endpoint must match the specified protocol".into()));
        }
        for name in input.attributes.keys() {
            if !SETTABLE.contains(&name.as_str()) {
                return Err(SnsError::InvalidParameter(format!("Attributes Reason: Unknown attribute {name}")));
            }
        }
        let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.clone());
        let (found, existing) = sns
            .store
            .read(move |reader| {
                Ok((
                    topic(reader, &account, &region, &lookup)?,
                    subscriptions(reader, &account, &region, &lookup, None, MAX_FANOUT + 1)?,
                ))
            })
            .await
            .map_err(storage)?;
        let found = found.ok_or_else(|| SnsError::NotFound("Topic does not exist".into()))?;
        let reply = |s: &Subscription| {
            if s.confirmed || input.return_subscription_arn { s.arn() } else { PENDING_REPLY.to_owned() }
        };
        if let Some(same) = existing.iter().find(|s| s.protocol == protocol && s.endpoint == endpoint) {
            return Ok(Effect::reply(reply(same)).with_resources(vec![resource(&input.topic_arn)]));
        }
        if existing.len() >= MAX_FANOUT {
            return Err(SnsError::SubscriptionLimit("Subscription limit exceeded".into()));
        }
        let subscription = Subscription {
            id: uuid::Uuid::new_v4().to_string(),
            topic_arn: input.topic_arn.clone(),
            protocol,
            endpoint: endpoint.clone(),
            owner: ctx.account.clone(),
            confirmed: false,
            token: new_token(),
            attributes: input.attributes.clone(),
            created_ms: ctx.now_ms,
        };
        let message_id = uuid::Uuid::new_v4().to_string();
        let base_url = sns.base_url();
        let envelope = Envelope {
            base_url: &base_url,
            message_id: &message_id,
            topic_arn: &input.topic_arn,
            signature_version: found.signature_version(),
            now_ms: ctx.now_ms,
        };
        let body = envelope.subscription_confirmation(&subscription.token).to_json();
        let confirmation = Delivery {
            id: uuid::Uuid::new_v4().to_string(),
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            topic_arn: input.topic_arn.clone(),
            subscription_id: subscription.id.clone(),
            endpoint,
            message_type: "SubscriptionConfirmation".into(),
            message_id,
            body,
            raw: false,
            attempts: 0,
            created_ms: ctx.now_ms,
            due_ms: ctx.now_ms,
        };
        let out = reply(&subscription);
        let touched = vec![resource(&input.topic_arn), subscription_resource(&subscription.arn())];
        let changes = vec![
            SnsChange::PutSubscription {
                account: ctx.account.clone(),
                region: ctx.region.clone(),
                topic: name,
                subscription: Box::new(subscription),
            }
            .mutation(),
            queue(confirmation),
        ];
        let waker = sns.clone();
        Ok(Effect::commit(out, changes).with_resources(touched).then(move || waker.wake()))
    }
}

/// ConfirmSubscription's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmSubscriptionInput {
    pub topic_arn: String,
    #[serde(skip)]
    pub token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticate_on_unsubscribe: Option<String>,
}

/// ConfirmSubscription: the token names the pending subscription.
pub struct ConfirmSubscription;

impl Operation for ConfirmSubscription {
    const SPEC: Spec = spec("ConfirmSubscription", Access::Write).with_limits(&[Limit::own("Token bytes", 1024)]);
    type Engine = Sns;
    type Input = ConfirmSubscriptionInput;
    type Output = String;
    type Error = SnsError;

    async fn run(
        sns: &Sns,
        ctx: &Context,
        input: ConfirmSubscriptionInput,
    ) -> Result<Effect<String, SnsError>, SnsError> {
        let name = own_topic(ctx, &input.topic_arn)?.to_owned();
        if input.token.is_empty() || input.token.len() > 1024 {
            return Err(SnsError::InvalidParameter("Token".into()));
        }
        let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.clone());
        let subs = sns
            .store
            .read(move |reader| subscriptions(reader, &account, &region, &lookup, None, MAX_FANOUT))
            .await
            .map_err(storage)?;
        let found = subs
            .into_iter()
            .find(|s| s.token == input.token)
            .ok_or_else(|| SnsError::InvalidParameter("Invalid token".into()))?;
        let arn = found.arn();
        let change =
            SnsChange::Confirm { account: ctx.account.clone(), region: ctx.region.clone(), topic: name, id: found.id };
        let touched = vec![resource(&input.topic_arn), subscription_resource(&arn)];
        Ok(Effect::commit(arn, vec![change.mutation()]).with_resources(touched))
    }
}

/// The input of calls that name one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionArnInput {
    pub subscription_arn: String,
}

fn own_subscription<'a>(ctx: &Context, arn: &'a str) -> Result<(&'a str, &'a str, &'a str), SnsError> {
    let (topic_arn, id) =
        parse_subscription_arn(arn).ok_or_else(|| SnsError::InvalidParameter("SubscriptionArn".into()))?;
    let name = own_topic(ctx, topic_arn).map_err(|_| SnsError::NotFound("Subscription does not exist".into()))?;
    Ok((topic_arn, name, id))
}

/// Unsubscribe: the endpoint is told with an `UnsubscribeConfirmation`.
pub struct Unsubscribe;

impl Operation for Unsubscribe {
    const SPEC: Spec = spec("Unsubscribe", Access::Write).with_limits(&[Limit::own("SubscriptionArn bytes", 1024)]);
    type Engine = Sns;
    type Input = SubscriptionArnInput;
    type Output = ();
    type Error = SnsError;

    async fn run(sns: &Sns, ctx: &Context, input: SubscriptionArnInput) -> Result<Effect<(), SnsError>, SnsError> {
        let (topic_arn, name, id) = own_subscription(ctx, &input.subscription_arn)?;
        let (topic_arn, name, id) = (topic_arn.to_owned(), name.to_owned(), id.to_owned());
        let (account, region, lookup, sub_id) = (ctx.account.clone(), ctx.region.clone(), name.clone(), id.clone());
        let (found, owner) = sns
            .store
            .read(move |reader| {
                Ok((
                    subscription(reader, &account, &region, &lookup, &sub_id)?,
                    topic(reader, &account, &region, &lookup)?,
                ))
            })
            .await
            .map_err(storage)?;
        let found = found.ok_or_else(|| SnsError::NotFound("Subscription does not exist".into()))?;
        let message_id = uuid::Uuid::new_v4().to_string();
        let base_url = sns.base_url();
        let envelope = Envelope {
            base_url: &base_url,
            message_id: &message_id,
            topic_arn: &topic_arn,
            signature_version: owner.as_ref().map_or("1", |t| t.signature_version()),
            now_ms: ctx.now_ms,
        };
        let body = envelope.unsubscribe_confirmation(&found.token).to_json();
        let goodbye = Delivery {
            id: uuid::Uuid::new_v4().to_string(),
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            topic_arn: topic_arn.clone(),
            subscription_id: id.clone(),
            endpoint: found.endpoint.clone(),
            message_type: "UnsubscribeConfirmation".into(),
            body,
            message_id,
            raw: false,
            attempts: 0,
            created_ms: ctx.now_ms,
            due_ms: ctx.now_ms,
        };
        let changes = vec![
            SnsChange::DeleteSubscription { account: ctx.account.clone(), region: ctx.region.clone(), topic: name, id }
                .mutation(),
            queue(goodbye),
        ];
        let waker = sns.clone();
        let touched = vec![resource(&topic_arn), subscription_resource(&input.subscription_arn)];
        Ok(Effect::commit((), changes).with_resources(touched).then(move || waker.wake()))
    }
}

/// ListSubscriptionsByTopic's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSubscriptionsByTopicInput {
    pub topic_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One listed subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRow {
    /// The ARN, or `PendingConfirmation`.
    pub subscription_arn: String,
    pub owner: String,
    pub protocol: String,
    pub endpoint: String,
    pub topic_arn: String,
    /// The stored subscription (the console shows its delivery log by id).
    pub id: String,
    pub confirmed: bool,
}

/// A page of subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscriptionPage {
    pub subscriptions: Vec<SubscriptionRow>,
    pub next_token: Option<String>,
}

/// ListSubscriptionsByTopic.
pub struct ListSubscriptionsByTopic;

impl Operation for ListSubscriptionsByTopic {
    const SPEC: Spec =
        spec("ListSubscriptionsByTopic", Access::Read).with_limits(&[Limit::aws("subscriptions a page", PAGE as u64)]);
    type Engine = Sns;
    type Input = ListSubscriptionsByTopicInput;
    type Output = SubscriptionPage;
    type Error = SnsError;

    async fn run(
        sns: &Sns,
        ctx: &Context,
        input: ListSubscriptionsByTopicInput,
    ) -> Result<Effect<SubscriptionPage, SnsError>, SnsError> {
        let name = own_topic(ctx, &input.topic_arn)?.to_owned();
        let after = match &input.next_token {
            None => None,
            Some(t) => {
                Some(token::decode(TOKEN_KIND, t).ok_or_else(|| SnsError::InvalidParameter("NextToken".into()))?)
            }
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (found, mut subs) = sns
            .store
            .read(move |reader| {
                Ok((
                    topic(reader, &account, &region, &name)?,
                    subscriptions(reader, &account, &region, &name, after.as_deref(), PAGE + 1)?,
                ))
            })
            .await
            .map_err(storage)?;
        found.ok_or_else(|| SnsError::NotFound("Topic does not exist".into()))?;
        let more = subs.len() > PAGE;
        subs.truncate(PAGE);
        let next_token = if more { subs.last().map(|s| token::encode(TOKEN_KIND, &s.id)) } else { None };
        let subscriptions = subs
            .into_iter()
            .map(|s| SubscriptionRow {
                subscription_arn: if s.confirmed { s.arn() } else { PENDING.to_owned() },
                owner: s.owner,
                protocol: s.protocol,
                endpoint: s.endpoint,
                topic_arn: s.topic_arn,
                id: s.id,
                confirmed: s.confirmed,
            })
            .collect();
        Ok(Effect::reply(SubscriptionPage { subscriptions, next_token })
            .with_resources(vec![resource(&input.topic_arn)]))
    }
}

/// GetSubscriptionAttributes.
pub struct GetSubscriptionAttributes;

impl Operation for GetSubscriptionAttributes {
    const SPEC: Spec =
        spec("GetSubscriptionAttributes", Access::Read).with_limits(&[Limit::own("SubscriptionArn bytes", 1024)]);
    type Engine = Sns;
    type Input = SubscriptionArnInput;
    type Output = BTreeMap<String, String>;
    type Error = SnsError;

    async fn run(
        sns: &Sns,
        ctx: &Context,
        input: SubscriptionArnInput,
    ) -> Result<Effect<BTreeMap<String, String>, SnsError>, SnsError> {
        let (topic_arn, name, id) = own_subscription(ctx, &input.subscription_arn)?;
        let (topic_arn, name, id) = (topic_arn.to_owned(), name.to_owned(), id.to_owned());
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let found = sns
            .store
            .read(move |reader| subscription(reader, &account, &region, &name, &id))
            .await
            .map_err(storage)?
            .ok_or_else(|| SnsError::NotFound("Subscription does not exist".into()))?;
        let mut attributes = found.attributes.clone();
        attributes.insert("SubscriptionArn".into(), found.arn());
        attributes.insert("TopicArn".into(), topic_arn);
        attributes.insert("Owner".into(), found.owner.clone());
        attributes.insert("Protocol".into(), found.protocol.clone());
        attributes.insert("Endpoint".into(), found.endpoint.clone());
        attributes.insert("PendingConfirmation".into(), (!found.confirmed).to_string());
        attributes.insert("ConfirmationWasAuthenticated".into(), found.confirmed.to_string());
        attributes.entry("RawMessageDelivery".into()).or_insert_with(|| "false".into());
        Ok(Effect::reply(attributes))
    }
}
