//! The server side of the topic functions: thin adapters over the SNS operations the AWS API runs.

use leptos::prelude::*;
use skywatch_core::sns::arn::topic_arn;
use skywatch_core::sns::storage::{delivery_log, waiting};
use skywatch_core::sns::{
    CreateTopic, CreateTopicInput, DeleteTopic, GetTopicAttributes, ListSubscriptionsByTopic,
    ListSubscriptionsByTopicInput, ListTopics, ListTopicsInput, Publish, PublishInput, SetTopicAttributes,
    SetTopicAttributesInput, Subscribe, SubscribeInput, SubscriptionArnInput, TopicArnInput, Unsubscribe,
};

use super::{DeliveryRow, InboxRow, SubscriptionView, TopicInfo, TopicRow};
use crate::api::ssr;

/// Deliveries shown per subscription.
const LOG_ROWS: usize = 25;

pub async fn list(region: String, account: Option<String>) -> Result<Vec<TopicRow>, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let mut arns = Vec::new();
    let mut next_token = None;
    loop {
        let page = services.invoke::<ListTopics>(&ctx, ListTopicsInput { next_token }).await.map_err(ssr::failed)?;
        arns.extend(page.topic_arns);
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    let mut rows = Vec::new();
    for arn in arns {
        let attributes = services
            .invoke::<GetTopicAttributes>(&ctx, TopicArnInput { topic_arn: arn.clone() })
            .await
            .map_err(ssr::failed)?;
        let count = |key: &str| attributes.get(key).and_then(|v| v.parse().ok()).unwrap_or(0);
        rows.push(TopicRow {
            name: arn.rsplit(':').next().unwrap_or_default().to_owned(),
            display_name: attributes.get("DisplayName").cloned().unwrap_or_default(),
            confirmed: count("SubscriptionsConfirmed"),
            pending: count("SubscriptionsPending"),
            arn,
        });
    }
    Ok(rows)
}

pub async fn detail(region: String, account: Option<String>, name: String) -> Result<TopicInfo, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let arn = topic_arn(&ctx.region, &ctx.account, &name);
    let attributes = services
        .invoke::<GetTopicAttributes>(&ctx, TopicArnInput { topic_arn: arn.clone() })
        .await
        .map_err(ssr::failed)?;
    let listed = services
        .invoke::<ListSubscriptionsByTopic>(
            &ctx,
            ListSubscriptionsByTopicInput { topic_arn: arn.clone(), next_token: None },
        )
        .await
        .map_err(ssr::failed)?;
    let ids: Vec<String> = listed.subscriptions.iter().map(|s| s.id.clone()).collect();
    let mut inbox: Vec<InboxRow> = listed
        .subscriptions
        .iter()
        .filter_map(|s| s.endpoint.split_once("/_skywatch/inbox/").map(|(_, mailbox)| mailbox.to_owned()))
        .flat_map(|mailbox| services.inboxes.messages(&mailbox))
        .filter(|m| m.topic_arn == arn)
        .map(|m| InboxRow {
            received_ms: m.received_ms,
            message_type: m.message_type,
            subject: m.subject,
            message: m.message,
            signature: m.signature,
        })
        .collect();
    inbox.sort_by_key(|m| std::cmp::Reverse(m.received_ms));
    let (logs, waiting) = services
        .store
        .read(move |reader| {
            let logs = ids.iter().map(|id| delivery_log(reader, id, LOG_ROWS)).collect::<Result<Vec<_>, _>>()?;
            Ok((logs, waiting(reader)?))
        })
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?;
    let subscriptions = listed
        .subscriptions
        .into_iter()
        .zip(logs)
        .map(|(s, log)| SubscriptionView {
            arn: s.subscription_arn,
            id: s.id,
            protocol: s.protocol,
            endpoint: s.endpoint,
            confirmed: s.confirmed,
            deliveries: log
                .into_iter()
                .map(|e| DeliveryRow {
                    time_ms: e.time_ms,
                    message_type: e.message_type,
                    message_id: e.message_id,
                    attempt: e.attempt,
                    status: e.status,
                    outcome: e.outcome,
                    error: e.error,
                    duration_ms: e.duration_ms,
                })
                .collect(),
        })
        .collect();
    let attributes_version = |attributes: &Vec<(String, String)>| {
        attributes.iter().find(|(k, _)| k == "SignatureVersion").map_or_else(|| "1".to_owned(), |(_, v)| v.clone())
    };
    let shown = [
        "DisplayName",
        "SubscriptionsConfirmed",
        "SubscriptionsPending",
        "Owner",
        "DeliveryPolicy",
        "SignatureVersion",
    ];
    let attributes = shown.iter().filter_map(|k| attributes.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect();
    let signature_version = attributes_version(&attributes);
    Ok(TopicInfo { name, arn, attributes, signature_version, subscriptions, waiting, inbox })
}

pub async fn create(region: String, account: Option<String>, name: String) -> Result<String, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = CreateTopicInput { name: name.trim().to_owned(), ..Default::default() };
    services.invoke::<CreateTopic>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn delete(region: String, account: Option<String>, arn: String) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    services.invoke::<DeleteTopic>(&ctx, TopicArnInput { topic_arn: arn }).await.map_err(ssr::failed)
}

pub async fn subscribe(
    region: String,
    account: Option<String>,
    arn: String,
    endpoint: String,
) -> Result<String, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let endpoint = endpoint.trim().to_owned();
    let protocol = if endpoint.starts_with("https://") { "https" } else { "http" };
    let input =
        SubscribeInput { topic_arn: arn, protocol: protocol.into(), endpoint: Some(endpoint), ..Default::default() };
    services.invoke::<Subscribe>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn unsubscribe(region: String, account: Option<String>, arn: String) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    services.invoke::<Unsubscribe>(&ctx, SubscriptionArnInput { subscription_arn: arn }).await.map_err(ssr::failed)
}

pub async fn publish(
    region: String,
    account: Option<String>,
    arn: String,
    subject: String,
    message: String,
) -> Result<String, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let subject = Some(subject.trim().to_owned()).filter(|s| !s.is_empty());
    let input = PublishInput { topic_arn: arn, message, subject, ..Default::default() };
    services.invoke::<Publish>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn signature_version(
    region: String,
    account: Option<String>,
    arn: String,
    version: String,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = SetTopicAttributesInput {
        topic_arn: arn,
        attribute_name: "SignatureVersion".into(),
        attribute_value: Some(version),
    };
    services.invoke::<SetTopicAttributes>(&ctx, input).await.map_err(ssr::failed)
}
