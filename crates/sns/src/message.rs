//! The messages SNS posts to HTTP/HTTPS endpoints, as SNS writes them: a JSON document per message
//! (`Notification`, `SubscriptionConfirmation`, `UnsubscribeConfirmation`) and the `x-amz-sns-*` headers; with
//! `RawMessageDelivery` a notification's body is the message itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One message attribute (`DataType` and its value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub data_type: String,
    pub value: String,
}

/// `text` cut to at most `max` bytes at a character boundary.
pub fn clip(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// `2012-04-25T21:49:25.719Z`.
pub fn timestamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The URL that confirms a subscription: the server's own ConfirmSubscription, which needs no signature.
pub fn subscribe_url(base_url: &str, topic_arn: &str, token: &str) -> String {
    format!(
        "{}/?Action=ConfirmSubscription&TopicArn={}&Token={}",
        base_url.trim_end_matches('/'),
        query_escape(topic_arn),
        query_escape(token)
    )
}

/// The URL that ends a subscription.
pub fn unsubscribe_url(base_url: &str, subscription_arn: &str) -> String {
    format!("{}/?Action=Unsubscribe&SubscriptionArn={}", base_url.trim_end_matches('/'), query_escape(subscription_arn))
}

/// A `Notification` document.
#[allow(clippy::too_many_arguments)]
pub fn notification(
    base_url: &str,
    message_id: &str,
    topic_arn: &str,
    subscription_arn: &str,
    subject: Option<&str>,
    message: &str,
    attributes: &BTreeMap<String, Attribute>,
    now_ms: i64,
) -> String {
    let mut body = json!({
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": topic_arn,
        "Message": message,
        "Timestamp": timestamp(now_ms),
        "UnsubscribeURL": unsubscribe_url(base_url, subscription_arn),
    });
    if let Some(subject) = subject {
        body["Subject"] = json!(subject);
    }
    if !attributes.is_empty() {
        let map: serde_json::Map<String, Value> = attributes
            .iter()
            .map(|(name, a)| (name.clone(), json!({ "Type": a.data_type, "Value": a.value })))
            .collect();
        body["MessageAttributes"] = Value::Object(map);
    }
    body.to_string()
}

/// A `SubscriptionConfirmation` document.
pub fn subscription_confirmation(
    base_url: &str,
    message_id: &str,
    topic_arn: &str,
    token: &str,
    now_ms: i64,
) -> String {
    json!({
        "Type": "SubscriptionConfirmation",
        "MessageId": message_id,
        "Token": token,
        "TopicArn": topic_arn,
        "Message": format!(
            "You have chosen to subscribe to the topic {topic_arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message."
        ),
        "SubscribeURL": subscribe_url(base_url, topic_arn, token),
        "Timestamp": timestamp(now_ms),
    })
    .to_string()
}

/// An `UnsubscribeConfirmation` document (sent when a subscription is deleted).
pub fn unsubscribe_confirmation(base_url: &str, message_id: &str, topic_arn: &str, token: &str, now_ms: i64) -> String {
    json!({
        "Type": "UnsubscribeConfirmation",
        "MessageId": message_id,
        "Token": token,
        "TopicArn": topic_arn,
        "Message": format!(
            "You have chosen to deactivate subscription {topic_arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message."
        ),
        "SubscribeURL": subscribe_url(base_url, topic_arn, token),
        "Timestamp": timestamp(now_ms),
    })
    .to_string()
}

/// The headers of a post: the message type, id, topic and subscription, as SNS sends them.
pub fn headers(
    message_type: &str,
    message_id: &str,
    topic_arn: &str,
    subscription_arn: &str,
    raw: bool,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("x-amz-sns-message-type".to_owned(), message_type.to_owned()),
        ("x-amz-sns-message-id".to_owned(), message_id.to_owned()),
        ("x-amz-sns-topic-arn".to_owned(), topic_arn.to_owned()),
        ("Content-Type".to_owned(), "text/plain; charset=UTF-8".to_owned()),
        ("User-Agent".to_owned(), "Amazon Simple Notification Service Agent".to_owned()),
    ];
    if message_type == "Notification" {
        headers.push(("x-amz-sns-subscription-arn".to_owned(), subscription_arn.to_owned()));
    }
    if raw {
        headers.push(("x-amz-sns-rawdelivery".to_owned(), "true".to_owned()));
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_has_snss_fields() {
        let attributes =
            BTreeMap::from([("k".to_owned(), Attribute { data_type: "String".into(), value: "v".into() })]);
        let body = notification(
            "http://127.0.0.1:4566/",
            "id-1",
            "arn:aws:sns:us-east-1:0:t",
            "arn:aws:sns:us-east-1:0:t:s",
            Some("Hi"),
            "hello",
            &attributes,
            0,
        );
        let value: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["Type"], "Notification");
        assert_eq!(value["Subject"], "Hi");
        assert_eq!(value["Timestamp"], "1970-01-01T00:00:00.000Z");
        assert_eq!(value["MessageAttributes"]["k"], json!({"Type": "String", "Value": "v"}));
        assert_eq!(
            value["UnsubscribeURL"],
            "http://127.0.0.1:4566/?Action=Unsubscribe&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A0%3At%3As"
        );
    }

    #[test]
    fn a_confirmation_carries_the_token_and_the_url_that_uses_it() {
        let body = subscription_confirmation("http://h:1", "m", "arn:aws:sns:us-east-1:0:t", "tok en", 0);
        let value: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["Token"], "tok en");
        assert_eq!(
            value["SubscribeURL"],
            "http://h:1/?Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A0%3At&Token=tok%20en"
        );
    }
}
