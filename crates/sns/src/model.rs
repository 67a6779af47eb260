//! Topics and subscriptions as they are stored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    /// Settable attributes (`DisplayName`, `Policy`, `DeliveryPolicy`, ...), as given.
    pub attributes: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
    pub created_ms: i64,
}

impl Topic {
    /// The `SignatureVersion` its messages are signed with: "1" unless set.
    pub fn signature_version(&self) -> &str {
        self.attributes.get("SignatureVersion").map_or("1", String::as_str)
    }
}

/// A subscription of an endpoint to a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub topic_arn: String,
    /// `http` or `https`.
    pub protocol: String,
    pub endpoint: String,
    /// The account that subscribed.
    pub owner: String,
    pub confirmed: bool,
    /// The token the confirmation message carries (ConfirmSubscription's `Token`).
    pub token: String,
    /// Settable attributes (`RawMessageDelivery`, `DeliveryPolicy`, ...), as given.
    pub attributes: BTreeMap<String, String>,
    pub created_ms: i64,
}

impl Subscription {
    pub fn arn(&self) -> String {
        format!("{}:{}", self.topic_arn, self.id)
    }

    pub fn raw_delivery(&self) -> bool {
        self.attributes.get("RawMessageDelivery").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// `PendingConfirmation`, the SubscriptionArn SNS shows for a subscription not yet confirmed.
pub const PENDING: &str = "PendingConfirmation";
