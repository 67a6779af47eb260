//! Publishing: a message becomes one queued delivery per confirmed subscription of the topic, as mutations the
//! caller commits with its own record (Publish's audit record, or an alarm's state change), so a published
//! message is delivered exactly when the call that published it is durable.

use std::collections::BTreeMap;

use skywatch_store::{Mutation, ReadError, Reader};

use crate::arn::parse_topic_arn;
use crate::message::{Attribute, Envelope};
use crate::storage::{Delivery, SnsChange, subscriptions, topic};

/// The most subscriptions one message fans out to (SNS allows 12,500,000 a topic; Skywatch bounds the work of
/// one call).
pub const MAX_FANOUT: usize = 10_000;

/// Why a message could not be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    #[error("Topic does not exist")]
    NoTopic,
    #[error("Invalid parameter: TopicArn")]
    BadArn,
    #[error("storage failed: {0}")]
    Storage(String),
}

impl From<ReadError> for PublishError {
    fn from(error: ReadError) -> Self {
        PublishError::Storage(error.to_string())
    }
}

/// A message to publish.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub subject: Option<String>,
    pub body: String,
    pub attributes: BTreeMap<String, Attribute>,
}

/// The message id and the deliveries of publishing `message` to `topic_arn`, which must be a topic of `account`
/// in `region`.
pub fn plan_publish(
    reader: &Reader,
    base_url: &str,
    (account, region): (&str, &str),
    topic_arn: &str,
    message: &Message,
    now_ms: i64,
) -> Result<(String, Vec<Mutation>), PublishError> {
    let (arn_region, arn_account, name) = parse_topic_arn(topic_arn).ok_or(PublishError::BadArn)?;
    if arn_region != region || arn_account != account {
        return Err(PublishError::NoTopic);
    }
    let found = topic(reader, account, region, name)?.ok_or(PublishError::NoTopic)?;
    let message_id = uuid::Uuid::new_v4().to_string();
    let envelope =
        Envelope { base_url, message_id: &message_id, topic_arn, signature_version: found.signature_version(), now_ms };
    let mut changes = Vec::new();
    for subscription in
        subscriptions(reader, account, region, name, None, MAX_FANOUT)?.into_iter().filter(|s| s.confirmed)
    {
        let raw = subscription.raw_delivery();
        let body = if raw {
            message.body.clone()
        } else {
            envelope
                .notification(&subscription.arn(), message.subject.as_deref(), &message.body, &message.attributes)
                .to_json()
        };
        changes.push(
            SnsChange::Enqueue(Box::new(Delivery {
                id: uuid::Uuid::new_v4().to_string(),
                account: account.to_owned(),
                region: region.to_owned(),
                topic_arn: topic_arn.to_owned(),
                subscription_id: subscription.id.clone(),
                endpoint: subscription.endpoint.clone(),
                message_type: "Notification".to_owned(),
                message_id: message_id.clone(),
                body,
                raw,
                attempts: 0,
                created_ms: now_ms,
                due_ms: now_ms,
            }))
            .mutation(),
        );
    }
    Ok((message_id, changes))
}
