//! The messages SNS posts to HTTP/HTTPS endpoints, as SNS writes them: a JSON document per message
//! (`Notification`, `SubscriptionConfirmation`, `UnsubscribeConfirmation`) and the `x-amz-sns-*` headers; with
//! `RawMessageDelivery` a notification's body is the message itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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

/// One message SNS posts, its fields in the order SNS writes them. The `Signature` is added by the deliverer,
/// just before the post ([`crate::signing`]); `SignatureVersion` is fixed when the message is made, from its
/// topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Document {
    #[serde(rename = "Type")]
    pub kind: String,
    pub message_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub topic_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub message: String,
    #[serde(default, rename = "SubscribeURL", skip_serializing_if = "Option::is_none")]
    pub subscribe_url: Option<String>,
    pub timestamp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    #[serde(default, rename = "SigningCertURL", skip_serializing_if = "Option::is_none")]
    pub signing_cert_url: Option<String>,
    #[serde(default, rename = "UnsubscribeURL", skip_serializing_if = "Option::is_none")]
    pub unsubscribe_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_attributes: Option<BTreeMap<String, WireAttribute>>,
}

/// A message attribute as the JSON document carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireAttribute {
    #[serde(rename = "Type")]
    pub data_type: String,
    #[serde(rename = "Value")]
    pub value: String,
}

impl Document {
    /// The document as posted.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The string SNS signs: name and value lines of `Message`, `MessageId`, `Subject` (when there is one),
    /// `Timestamp`, `TopicArn` and `Type` for a notification; of `Message`, `MessageId`, `SubscribeURL`,
    /// `Timestamp`, `Token`, `TopicArn` and `Type` for the confirmations.
    pub fn string_to_sign(&self) -> String {
        let mut fields: Vec<(&str, &str)> = vec![("Message", &self.message), ("MessageId", &self.message_id)];
        if self.kind == "Notification" {
            if let Some(subject) = &self.subject {
                fields.push(("Subject", subject));
            }
            fields.push(("Timestamp", &self.timestamp));
        } else {
            fields.push(("SubscribeURL", self.subscribe_url.as_deref().unwrap_or_default()));
            fields.push(("Timestamp", &self.timestamp));
            fields.push(("Token", self.token.as_deref().unwrap_or_default()));
        }
        fields.push(("TopicArn", &self.topic_arn));
        fields.push(("Type", &self.kind));
        let mut out = String::new();
        for (name, value) in fields {
            out.push_str(name);
            out.push('\n');
            out.push_str(value);
            out.push('\n');
        }
        out
    }
}

/// The parts every message shares.
pub struct Envelope<'a> {
    pub base_url: &'a str,
    pub message_id: &'a str,
    pub topic_arn: &'a str,
    /// The topic's `SignatureVersion` ("1" or "2").
    pub signature_version: &'a str,
    pub now_ms: i64,
}

impl Envelope<'_> {
    fn document(&self, kind: &str, message: String) -> Document {
        Document {
            kind: kind.to_owned(),
            message_id: self.message_id.to_owned(),
            token: None,
            topic_arn: self.topic_arn.to_owned(),
            subject: None,
            message,
            subscribe_url: None,
            timestamp: timestamp(self.now_ms),
            signature_version: Some(self.signature_version.to_owned()),
            signature: None,
            signing_cert_url: None,
            unsubscribe_url: None,
            message_attributes: None,
        }
    }

    /// A `Notification` to one subscription.
    pub fn notification(
        &self,
        subscription_arn: &str,
        subject: Option<&str>,
        message: &str,
        attributes: &BTreeMap<String, Attribute>,
    ) -> Document {
        let mut document = self.document("Notification", message.to_owned());
        document.subject = subject.map(str::to_owned);
        document.unsubscribe_url = Some(unsubscribe_url(self.base_url, subscription_arn));
        if !attributes.is_empty() {
            document.message_attributes = Some(
                attributes
                    .iter()
                    .map(|(name, a)| {
                        (name.clone(), WireAttribute { data_type: a.data_type.clone(), value: a.value.clone() })
                    })
                    .collect(),
            );
        }
        document
    }

    /// A `SubscriptionConfirmation`.
    pub fn subscription_confirmation(&self, token: &str) -> Document {
        let topic_arn = self.topic_arn;
        self.confirmation(
            "SubscriptionConfirmation",
            format!(
                "You have chosen to subscribe to the topic {topic_arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message."
            ),
            token,
        )
    }

    /// An `UnsubscribeConfirmation` (sent when a subscription is deleted).
    pub fn unsubscribe_confirmation(&self, token: &str) -> Document {
        let topic_arn = self.topic_arn;
        self.confirmation(
            "UnsubscribeConfirmation",
            format!(
                "You have chosen to deactivate subscription {topic_arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message."
            ),
            token,
        )
    }

    /// A confirmation: the token and the SubscribeURL that uses it.
    fn confirmation(&self, kind: &str, message: String, token: &str) -> Document {
        let mut document = self.document(kind, message);
        document.token = Some(token.to_owned());
        document.subscribe_url = Some(subscribe_url(self.base_url, self.topic_arn, token));
        document
    }
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
    use serde_json::{Value, json};

    use super::*;

    fn envelope() -> Envelope<'static> {
        Envelope {
            base_url: "http://127.0.0.1:4566/",
            message_id: "id-1",
            topic_arn: "arn:aws:sns:us-east-1:0:t",
            signature_version: "1",
            now_ms: 0,
        }
    }

    #[test]
    fn a_notification_has_snss_fields_in_snss_order() {
        let attributes =
            BTreeMap::from([("k".to_owned(), Attribute { data_type: "String".into(), value: "v".into() })]);
        let body = envelope().notification("arn:aws:sns:us-east-1:0:t:s", Some("Hi"), "hello", &attributes).to_json();
        let value: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["Type"], "Notification");
        assert_eq!(value["Subject"], "Hi");
        assert_eq!(value["Timestamp"], "1970-01-01T00:00:00.000Z");
        assert_eq!(value["SignatureVersion"], "1");
        assert_eq!(value["MessageAttributes"]["k"], json!({"Type": "String", "Value": "v"}));
        assert_eq!(
            value["UnsubscribeURL"],
            "http://127.0.0.1:4566/?Action=Unsubscribe&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A0%3At%3As"
        );
        let order: Vec<usize> = ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "UnsubscribeURL"]
            .iter()
            .map(|key| body.find(&format!("\"{key}\"")).unwrap())
            .collect();
        assert!(order.is_sorted(), "{body}");
    }

    #[test]
    fn a_confirmation_carries_the_token_and_the_url_that_uses_it() {
        let mut envelope = envelope();
        envelope.base_url = "http://h:1";
        let value: Value = serde_json::from_str(&envelope.subscription_confirmation("tok en").to_json()).unwrap();
        assert_eq!(value["Token"], "tok en");
        assert_eq!(
            value["SubscribeURL"],
            "http://h:1/?Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A0%3At&Token=tok%20en"
        );
        assert!(value.get("Subject").is_none() && value.get("UnsubscribeURL").is_none());
    }

    /// SNS's documented example notification and the string it signs.
    #[test]
    fn the_string_to_sign_follows_snss_documented_layout() {
        let document = Document {
            kind: "Notification".into(),
            message_id: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324".into(),
            token: None,
            topic_arn: "arn:aws:sns:us-west-2:123456789012:MyTopic".into(),
            subject: Some("My First Message".into()),
            message: "Hello world!".into(),
            subscribe_url: None,
            timestamp: "2012-05-02T00:54:06.655Z".into(),
            signature_version: Some("1".into()),
            signature: None,
            signing_cert_url: None,
            unsubscribe_url: None,
            message_attributes: None,
        };
        assert_eq!(
            document.string_to_sign(),
            "Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\n\
             Timestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n"
        );
        let without_subject = Document { subject: None, ..document };
        assert!(!without_subject.string_to_sign().contains("Subject"));
    }

    #[test]
    fn a_confirmation_signs_its_url_and_token() {
        let document = envelope().unsubscribe_confirmation("tok");
        let expected = format!(
            "Message\n{}\nMessageId\nid-1\nSubscribeURL\n{}\nTimestamp\n1970-01-01T00:00:00.000Z\nToken\ntok\n\
             TopicArn\narn:aws:sns:us-east-1:0:t\nType\nUnsubscribeConfirmation\n",
            document.message,
            document.subscribe_url.as_deref().unwrap()
        );
        assert_eq!(document.string_to_sign(), expected);
    }

    #[test]
    fn a_document_reads_back_as_it_was_written() {
        let document = envelope().subscription_confirmation("t");
        assert_eq!(serde_json::from_str::<Document>(&document.to_json()).unwrap(), document);
    }
}
