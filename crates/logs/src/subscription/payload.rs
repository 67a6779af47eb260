//! The CloudWatch Logs subscription payload: gzip-compressed JSON with `messageType` (`DATA_MESSAGE`, or the
//! `CONTROL_MESSAGE` a new subscription sends to check its destination), `owner`, `logGroup`, `logStream`,
//! `subscriptionFilters` and `logEvents` (`id`, `timestamp`, `message`), as AWS delivers it to Kinesis and Lambda.

use std::io::Write;

use base64::Engine;
use serde::{Deserialize, Serialize};

/// `messageType` of a delivery of events.
pub const DATA_MESSAGE: &str = "DATA_MESSAGE";
/// `messageType` of the health check a new subscription filter sends.
pub const CONTROL_MESSAGE: &str = "CONTROL_MESSAGE";
/// `owner` of a control message, as AWS writes it.
pub const CONTROL_OWNER: &str = "CloudwatchLogs";

/// One event of a payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadEvent {
    pub id: String,
    pub timestamp: i64,
    pub message: String,
}

/// A payload before compression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub message_type: String,
    pub owner: String,
    pub log_group: String,
    pub log_stream: String,
    pub subscription_filters: Vec<String>,
    pub log_events: Vec<PayloadEvent>,
}

impl Payload {
    /// The control message a new subscription filter sends to its destination.
    pub fn control(timestamp: i64) -> Self {
        Payload {
            message_type: CONTROL_MESSAGE.into(),
            owner: CONTROL_OWNER.into(),
            log_group: String::new(),
            log_stream: String::new(),
            subscription_filters: Vec::new(),
            log_events: vec![PayloadEvent {
                id: String::new(),
                timestamp,
                message: "CWL CONTROL MESSAGE: Checking health of destination.".into(),
            }],
        }
    }

    /// The payload's JSON, gzip-compressed: what an HTTP endpoint receives, and what Lambda's
    /// `awslogs.data` carries base64-encoded.
    pub fn gzip(&self) -> Vec<u8> {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let mut encoder =
            flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::new(6));
        // Writing into a Vec cannot fail.
        let _ = encoder.write_all(&json);
        encoder.finish().unwrap_or_default()
    }

    /// The message an SNS topic carries: `{"awslogs":{"data":"<base64 of the gzip>"}}`, the event Lambda gets.
    pub fn awslogs_message(&self) -> String {
        let data = base64::engine::general_purpose::STANDARD.encode(self.gzip());
        serde_json::json!({ "awslogs": { "data": data } }).to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(bytes: &[u8]) -> serde_json::Value {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn the_payload_is_gzip_json_in_aws_shape() {
        let payload = Payload {
            message_type: DATA_MESSAGE.into(),
            owner: "123456789012".into(),
            log_group: "/shop/api".into(),
            log_stream: "web-1".into(),
            subscription_filters: vec!["errors".into()],
            log_events: vec![PayloadEvent {
                id: "0001".into(),
                timestamp: 1_700_000_000_000,
                message: "ERROR x".into(),
            }],
        };
        let json = gunzip(&payload.gzip());
        assert_eq!(
            json,
            serde_json::json!({
                "messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "/shop/api", "logStream": "web-1",
                "subscriptionFilters": ["errors"],
                "logEvents": [{"id": "0001", "timestamp": 1_700_000_000_000_i64, "message": "ERROR x"}]
            })
        );
        let message: serde_json::Value = serde_json::from_str(&payload.awslogs_message()).unwrap();
        let data =
            base64::engine::general_purpose::STANDARD.decode(message["awslogs"]["data"].as_str().unwrap()).unwrap();
        assert_eq!(gunzip(&data), json);
        let control = gunzip(&Payload::control(5).gzip());
        assert_eq!(control["messageType"], "CONTROL_MESSAGE");
        assert_eq!(control["owner"], "CloudwatchLogs");
    }
}
