//! SNS topics as `AWS::SNS::Topic` items: the resource id is the topic ARN, as in AWS Config, and the
//! configuration lists the topic's subscriptions.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use skywatch_config::{Described, Identity};
use skywatch_sns::arn::{parse_topic_arn, topic_arn};
use skywatch_sns::storage;
use skywatch_store::{ReadError, Reader};

/// Subscriptions listed in one topic's configuration.
const MAX_LISTED_SUBSCRIPTIONS: usize = 1_000;

pub fn identify(arn: &str) -> Option<Identity> {
    let (_, _, name) = parse_topic_arn(arn)?;
    Some(Identity { resource_id: arn.to_owned(), resource_name: Some(name.to_owned()), arn: Some(arn.to_owned()) })
}

pub fn describe(
    reader: &Reader,
    (account, region): (&str, &str),
    identity: &Identity,
) -> Result<Option<Described>, ReadError> {
    let Some((_, _, name)) = parse_topic_arn(&identity.resource_id) else { return Ok(None) };
    let Some(topic) = storage::topic(reader, account, region, name)? else { return Ok(None) };
    let arn = topic_arn(region, account, &topic.name);
    let subscriptions: Vec<Value> =
        storage::subscriptions(reader, account, region, &topic.name, None, MAX_LISTED_SUBSCRIPTIONS)?
            .into_iter()
            .map(|s| json!({"endpoint": s.endpoint, "protocol": s.protocol, "subscriptionArn": format!("{}:{}", s.topic_arn, s.id), "confirmed": s.confirmed}))
            .collect();
    let mut configuration = json!({"topicArn": arn, "topicName": topic.name, "subscription": subscriptions});
    for (attribute, value) in &topic.attributes {
        let mut key = attribute.clone();
        if let Some(first) = key.get_mut(0..1) {
            first.make_ascii_lowercase();
        }
        configuration[key] = json!(value);
    }
    Ok(Some(Described {
        identity: Identity { resource_id: arn.clone(), resource_name: Some(topic.name.clone()), arn: Some(arn) },
        configuration,
        supplementary: BTreeMap::new(),
        tags: topic.tags.iter().cloned().collect(),
        relationships: Vec::new(),
        created_ms: Some(topic.created_ms),
        schema_version_id: None,
    }))
}

pub fn list(reader: &Reader, (account, region): (&str, &str), limit: usize) -> Result<Vec<Identity>, ReadError> {
    Ok(storage::topics(reader, account, region, None, limit)?
        .into_iter()
        .map(|t| {
            let arn = topic_arn(region, account, &t.name);
            Identity { resource_id: arn.clone(), resource_name: Some(t.name), arn: Some(arn) }
        })
        .collect())
}
