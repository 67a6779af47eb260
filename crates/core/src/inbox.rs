//! The built-in endpoint's mailboxes: what SNS delivered to `/_skywatch/inbox/<name>` (a subscription the demo
//! makes, and anyone may), kept in memory, newest first, so the console can show a topic's notifications without
//! an outside receiver. Bounded: a few mailboxes of the newest messages, each message cut to a few KiB.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// Mailboxes kept; messages for others are refused.
pub const MAX_INBOXES: usize = 32;
/// Messages kept per mailbox.
pub const MAX_MESSAGES: usize = 50;
/// Bytes of a message's text kept.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// One received message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub received_ms: i64,
    /// `Notification`, `SubscriptionConfirmation`, `UnsubscribeConfirmation`.
    pub message_type: String,
    pub topic_arn: String,
    pub subject: Option<String>,
    pub message: String,
    /// What checking its signature found: `SHA1withRSA` or `SHA256withRSA` when it verified, `invalid`, or
    /// `unsigned`.
    pub signature: String,
}

/// Every mailbox.
#[derive(Debug, Default)]
pub struct Inboxes(Mutex<HashMap<String, VecDeque<InboxMessage>>>);

/// Whether a mailbox name is acceptable: 1 to 64 letters, digits, `-` and `_`.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Inboxes {
    /// Keeps `message` in mailbox `name`; false when the name is not acceptable or too many mailboxes exist.
    pub fn push(&self, name: &str, mut message: InboxMessage) -> bool {
        if !valid_name(name) {
            return false;
        }
        let mut end = message.message.len().min(MAX_MESSAGE_BYTES);
        while !message.message.is_char_boundary(end) {
            end -= 1;
        }
        message.message.truncate(end);
        let mut boxes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !boxes.contains_key(name) && boxes.len() >= MAX_INBOXES {
            return false;
        }
        let mailbox = boxes.entry(name.to_owned()).or_default();
        mailbox.push_front(message);
        mailbox.truncate(MAX_MESSAGES);
        true
    }

    /// Mailbox `name`, newest first.
    pub fn messages(&self, name: &str) -> Vec<InboxMessage> {
        let boxes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        boxes.get(name).map(|m| m.iter().cloned().collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> InboxMessage {
        InboxMessage {
            received_ms: 0,
            message_type: "Notification".into(),
            topic_arn: "t".into(),
            subject: None,
            message: text.into(),
            signature: "unsigned".into(),
        }
    }

    #[test]
    fn mailboxes_are_bounded() {
        let inboxes = Inboxes::default();
        for i in 0..(MAX_MESSAGES + 5) {
            assert!(inboxes.push("ops", message(&i.to_string())));
        }
        let kept = inboxes.messages("ops");
        assert_eq!(kept.len(), MAX_MESSAGES);
        assert_eq!(kept[0].message, (MAX_MESSAGES + 4).to_string(), "newest first");
        assert!(inboxes.push("big", message(&"é".repeat(MAX_MESSAGE_BYTES))));
        assert!(inboxes.messages("big")[0].message.len() <= MAX_MESSAGE_BYTES);
        for i in 0..MAX_INBOXES {
            inboxes.push(&format!("box{i}"), message("x"));
        }
        assert!(!inboxes.push("one-too-many", message("x")));
        assert!(!inboxes.push("bad name", message("x")));
    }
}
