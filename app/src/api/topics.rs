//! SNS topics for the console: the topics (`ListTopics`, `GetTopicAttributes`), one topic's subscriptions with
//! each one's delivery log (`ListSubscriptionsByTopic`; the log is the deliverer's own record, which no AWS
//! operation reads), creating and deleting topics, subscribing and unsubscribing endpoints, choosing how messages
//! are signed, and publishing a test message (`CreateTopic`, `DeleteTopic`, `Subscribe`, `Unsubscribe`,
//! `SetTopicAttributes`, `Publish`).

#[cfg(feature = "ssr")]
mod server;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One topic of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRow {
    pub name: String,
    pub arn: String,
    pub display_name: String,
    pub confirmed: u64,
    pub pending: u64,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub time_ms: i64,
    pub message_type: String,
    pub message_id: String,
    pub attempt: u32,
    pub status: Option<u16>,
    pub outcome: String,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// One subscription with its recent deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    /// The ARN, or `PendingConfirmation`.
    pub arn: String,
    pub id: String,
    pub protocol: String,
    pub endpoint: String,
    pub confirmed: bool,
    /// Newest first.
    pub deliveries: Vec<DeliveryRow>,
}

/// A message the built-in endpoint received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    pub received_ms: i64,
    pub message_type: String,
    pub subject: Option<String>,
    pub message: String,
    /// `SHA1withRSA` or `SHA256withRSA` when its signature verified, `invalid`, or `unsigned`.
    pub signature: String,
}

/// One topic's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicInfo {
    pub name: String,
    pub arn: String,
    pub attributes: Vec<(String, String)>,
    /// The topic's `SignatureVersion`: "1" (SHA1withRSA, unless set) or "2" (SHA256withRSA).
    pub signature_version: String,
    pub subscriptions: Vec<SubscriptionView>,
    /// Deliveries waiting (queued or retrying) for every topic of the server.
    pub waiting: u64,
    /// What the built-in endpoint received from this topic, newest first (when it is subscribed).
    pub inbox: Vec<InboxRow>,
}

/// The topics of the page's account and region.
#[server(endpoint = "topic_list", input = leptos::server_fn::codec::Json)]
pub async fn topic_list(region: String, account: Option<String>) -> Result<Vec<TopicRow>, ServerFnError> {
    server::list(region, account).await
}

/// One topic.
#[server(endpoint = "topic_detail", input = leptos::server_fn::codec::Json)]
pub async fn topic_detail(region: String, account: Option<String>, name: String) -> Result<TopicInfo, ServerFnError> {
    server::detail(region, account, name).await
}

/// Creates a topic; returns its ARN.
#[server(endpoint = "topic_create", input = leptos::server_fn::codec::Json)]
pub async fn topic_create(region: String, account: Option<String>, name: String) -> Result<String, ServerFnError> {
    server::create(region, account, name).await
}

/// Deletes a topic and its subscriptions.
#[server(endpoint = "topic_delete", input = leptos::server_fn::codec::Json)]
pub async fn topic_delete(region: String, account: Option<String>, arn: String) -> Result<(), ServerFnError> {
    server::delete(region, account, arn).await
}

/// Subscribes an HTTP or HTTPS endpoint.
#[server(endpoint = "topic_subscribe", input = leptos::server_fn::codec::Json)]
pub async fn topic_subscribe(
    region: String,
    account: Option<String>,
    arn: String,
    endpoint: String,
) -> Result<String, ServerFnError> {
    server::subscribe(region, account, arn, endpoint).await
}

/// Ends a subscription.
#[server(endpoint = "topic_unsubscribe", input = leptos::server_fn::codec::Json)]
pub async fn topic_unsubscribe(region: String, account: Option<String>, arn: String) -> Result<(), ServerFnError> {
    server::unsubscribe(region, account, arn).await
}

/// Publishes a message; returns its id.
#[server(endpoint = "topic_publish", input = leptos::server_fn::codec::Json)]
pub async fn topic_publish(
    region: String,
    account: Option<String>,
    arn: String,
    subject: String,
    message: String,
) -> Result<String, ServerFnError> {
    server::publish(region, account, arn, subject, message).await
}

/// Sets the topic's `SignatureVersion` ("1" or "2").
#[server(endpoint = "topic_signature_version", input = leptos::server_fn::codec::Json)]
pub async fn topic_signature_version(
    region: String,
    account: Option<String>,
    arn: String,
    version: String,
) -> Result<(), ServerFnError> {
    server::signature_version(region, account, arn, version).await
}
