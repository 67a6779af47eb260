//! SNS subscriptions as `AWS::SNS::Subscription` items: the resource id is the subscription ARN; each is related
//! to its topic.

use std::collections::BTreeMap;

use serde_json::json;
use skywatch_config::model::Relationship;
use skywatch_config::{Described, Identity};
use skywatch_sns::arn::{parse_subscription_arn, parse_topic_arn};
use skywatch_sns::storage;
use skywatch_store::{ReadError, Reader};

/// Subscriptions one discovery lists at most per topic.
const MAX_PER_TOPIC: usize = 1_000;

pub fn identify(arn: &str) -> Option<Identity> {
    let (_, id) = parse_subscription_arn(arn)?;
    Some(Identity { resource_id: arn.to_owned(), resource_name: Some(id.to_owned()), arn: Some(arn.to_owned()) })
}

pub fn describe(
    reader: &Reader,
    (account, region): (&str, &str),
    identity: &Identity,
) -> Result<Option<Described>, ReadError> {
    let Some((topic_arn, id)) = parse_subscription_arn(&identity.resource_id) else { return Ok(None) };
    let Some((_, _, topic)) = parse_topic_arn(topic_arn) else { return Ok(None) };
    let Some(subscription) = storage::subscription(reader, account, region, topic, id)? else { return Ok(None) };
    let configuration = json!({
        "subscriptionArn": subscription.arn(),
        "topicArn": subscription.topic_arn,
        "protocol": subscription.protocol,
        "endpoint": subscription.endpoint,
        "owner": subscription.owner,
        "pendingConfirmation": !subscription.confirmed,
        "attributes": subscription.attributes,
    });
    Ok(Some(Described {
        identity: identity.clone(),
        configuration,
        supplementary: BTreeMap::new(),
        tags: BTreeMap::new(),
        relationships: vec![Relationship {
            resource_type: super::TOPIC.into(),
            resource_id: topic_arn.to_owned(),
            resource_name: Some(topic.to_owned()),
            relationship_name: "Is associated with Topic".into(),
        }],
        created_ms: Some(subscription.created_ms),
        schema_version_id: None,
    }))
}

pub fn list(reader: &Reader, (account, region): (&str, &str), limit: usize) -> Result<Vec<Identity>, ReadError> {
    let mut found = Vec::new();
    for topic in storage::topics(reader, account, region, None, limit)? {
        for subscription in storage::subscriptions(reader, account, region, &topic.name, None, MAX_PER_TOPIC)? {
            if found.len() >= limit {
                return Ok(found);
            }
            let arn = subscription.arn();
            found.push(Identity { resource_name: Some(subscription.id), resource_id: arn.clone(), arn: Some(arn) });
        }
    }
    Ok(found)
}
