//! The console's Live Tail stream as the server sends it and the page reads it: the Server-Sent Events route
//! (`GET /_skywatch/logs/live-tail?region=&account=&group=…&stream=…|prefix=…&filter=`, keys repeated for lists),
//! which runs StartLiveTail as the signed-in user, and the JSON of its events: `start` (the session), `update`
//! (one a second when something matched), `error` (the call was refused: AWS's code and message) and `end` (the
//! session ended: timeout or shutdown). Quiet seconds send a comment, so a departed browser is noticed.

use serde::{Deserialize, Serialize};

use crate::components::query::encode;

/// The stream's path.
pub const LIVE_TAIL_STREAM_PATH: &str = "/_skywatch/logs/live-tail";

/// The `start` event: the session began.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveTailStarted {
    pub session_id: String,
    pub request_id: String,
    pub log_group_identifiers: Vec<String>,
}

/// One event of an update.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveTailEvent {
    pub log_group_identifier: String,
    pub log_stream_name: String,
    pub message: String,
    pub timestamp: i64,
    pub ingestion_time: i64,
}

/// The `update` event: the matching events of one second, in commit order; `sampled` when more matched than it
/// carries (at most 500 an update).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LiveTailUpdate {
    pub sampled: bool,
    pub events: Vec<LiveTailEvent>,
}

/// The `error` event (the call was refused) and the `end` event (the session ended): an AWS error code (empty when
/// the browser must sign in) and its message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LiveTailStop {
    pub code: String,
    pub message: String,
}

impl LiveTailStop {
    /// `Code: message`, as the console shows refusals.
    pub fn text(&self) -> String {
        if self.code.is_empty() { self.message.clone() } else { format!("{}: {}", self.code, self.message) }
    }
}

/// What a Live Tail session takes: StartLiveTail's members.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveTailRequest {
    pub groups: Vec<String>,
    pub streams: Vec<String>,
    pub prefixes: Vec<String>,
    pub pattern: String,
}

impl LiveTailRequest {
    /// The stream's URL for this request in `region`, acting in `account`.
    pub fn href(&self, region: &str, account: Option<&str>) -> String {
        let mut pairs = vec![("region", region)];
        pairs.extend(account.map(|a| ("account", a)));
        pairs.extend(self.groups.iter().map(|g| ("group", g.as_str())));
        pairs.extend(self.streams.iter().map(|s| ("stream", s.as_str())));
        pairs.extend(self.prefixes.iter().map(|p| ("prefix", p.as_str())));
        if !self.pattern.trim().is_empty() {
            pairs.push(("filter", self.pattern.as_str()));
        }
        let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        format!("{LIVE_TAIL_STREAM_PATH}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_a_url_with_repeated_keys() {
        let request = LiveTailRequest {
            groups: vec!["/app/web".into(), "/app/db".into()],
            streams: vec![],
            prefixes: vec!["web 1".into()],
            pattern: "{ $.level = \"error\" }".into(),
        };
        assert_eq!(
            request.href("eu-west-1", Some("111111111111")),
            "/_skywatch/logs/live-tail?region=eu-west-1&account=111111111111&group=%2Fapp%2Fweb&group=%2Fapp%2Fdb\
             &prefix=web%201&filter=%7B%20%24.level%20%3D%20%22error%22%20%7D"
        );
        let plain = LiveTailRequest { groups: vec!["g".into()], pattern: "  ".into(), ..Default::default() };
        assert_eq!(plain.href("us-east-1", None), "/_skywatch/logs/live-tail?region=us-east-1&group=g");
    }

    #[test]
    fn stops_read_as_code_and_message() {
        let refused = LiveTailStop { code: "ResourceNotFoundException".into(), message: "gone".into() };
        assert_eq!(refused.text(), "ResourceNotFoundException: gone");
        assert_eq!(LiveTailStop { code: String::new(), message: "Sign in".into() }.text(), "Sign in");
    }
}
