//! Publish: a message (up to 256 KiB, with an optional subject and up to 10 attributes; `MessageStructure=json`
//! picks the `default` text) to every confirmed subscription of the topic.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::{SnsError, own_topic, resource, spec, storage};
use crate::Sns;
use crate::message::Attribute;
use crate::publish::{MAX_FANOUT, Message, plan_publish};

/// The largest message, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;
/// The longest subject.
pub const MAX_SUBJECT_CHARS: usize = 100;
/// Attributes a message.
pub const MAX_ATTRIBUTES: usize = 10;

/// Publish's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishInput {
    pub topic_arn: String,
    #[serde(skip)]
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_structure: Option<String>,
    #[serde(skip)]
    pub attributes: BTreeMap<String, Attribute>,
}

fn check(input: &PublishInput) -> Result<String, SnsError> {
    if input.message.is_empty() {
        return Err(SnsError::InvalidParameter("Empty message".into()));
    }
    if input.message.len() > MAX_MESSAGE_BYTES {
        return Err(SnsError::InvalidParameter("Message too long".into()));
    }
    if let Some(subject) = &input.subject
        && (subject.is_empty()
            || subject.chars().count() > MAX_SUBJECT_CHARS
            || subject.chars().any(|c| c.is_control() || !c.is_ascii()))
    {
        return Err(SnsError::InvalidParameter("Subject".into()));
    }
    if input.attributes.len() > MAX_ATTRIBUTES {
        return Err(SnsError::InvalidParameter(format!("Message attributes: at most {MAX_ATTRIBUTES}")));
    }
    for (name, attribute) in &input.attributes {
        let known = ["String", "Number", "Binary", "String.Array"]
            .iter()
            .any(|t| attribute.data_type == *t || attribute.data_type.starts_with(&format!("{t}.")));
        if name.is_empty() || name.len() > 256 || !known {
            return Err(SnsError::InvalidParameter(format!(
                "The message attribute '{name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
            )));
        }
    }
    match input.message_structure.as_deref() {
        None => Ok(input.message.clone()),
        Some("json") => {
            let document: serde_json::Value = serde_json::from_str(&input.message).map_err(|_| {
                SnsError::InvalidParameter("Message Structure - JSON message body failed to parse".into())
            })?;
            let text = document
                .get("http")
                .or_else(|| document.get("default"))
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| {
                    SnsError::InvalidParameter("Message Structure - No default entry in JSON message body".into())
                })?;
            Ok(text.to_owned())
        }
        Some(_) => Err(SnsError::InvalidParameter("MessageStructure".into())),
    }
}

/// Publish.
pub struct Publish;

impl Operation for Publish {
    const SPEC: Spec = spec("Publish", Access::Write).with_limits(&[
        Limit::aws("Message bytes", MAX_MESSAGE_BYTES as u64),
        Limit::aws("Subject characters", MAX_SUBJECT_CHARS as u64),
        Limit::aws("MessageAttributes", MAX_ATTRIBUTES as u64),
        Limit::own("subscriptions a message fans out to", MAX_FANOUT as u64),
    ]);
    type Engine = Sns;
    type Input = PublishInput;
    type Output = String;
    type Error = SnsError;

    async fn run(sns: &Sns, ctx: &Context, input: PublishInput) -> Result<Effect<String, SnsError>, SnsError> {
        own_topic(ctx, &input.topic_arn)?;
        let body = check(&input)?;
        let message = Message { subject: input.subject.clone(), body, attributes: input.attributes.clone() };
        let (account, region, arn, base, now) =
            (ctx.account.clone(), ctx.region.clone(), input.topic_arn.clone(), sns.base_url(), ctx.now_ms);
        let (message_id, changes) = sns
            .store
            .read(move |reader| Ok(plan_publish(reader, &base, (&account, &region), &arn, &message, now)))
            .await
            .map_err(storage)??;
        let waker = sns.clone();
        Ok(Effect::commit(message_id, changes)
            .with_resources(vec![resource(&input.topic_arn)])
            .then(move || waker.wake()))
    }
}
