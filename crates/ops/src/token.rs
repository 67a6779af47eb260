//! Page tokens (NextToken): one versioned, opaque encoding for every paged operation. A token is the URL-safe
//! base64 of `v1:<kind>:<cursor>`, where the kind names the listing it continues, so a token from one listing
//! (or an older encoding) is refused by another instead of being misread.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const VERSION: &str = "v1";
/// Tokens longer than this are refused before decoding (no cursor needs more).
const MAX_TOKEN_BYTES: usize = 4096;

/// The token that continues listing `kind` after `cursor`.
pub fn encode(kind: &str, cursor: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{VERSION}:{kind}:{cursor}"))
}

/// The cursor of a token of listing `kind`; None for anything else.
pub fn decode(kind: &str, token: &str) -> Option<String> {
    if token.len() > MAX_TOKEN_BYTES {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix(VERSION)?.strip_prefix(':')?.strip_prefix(kind)?.strip_prefix(':')?;
    Some(rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_per_kind_and_refuse_strangers() {
        let token = encode("dashboards", "a:b/ü");
        assert_eq!(decode("dashboards", &token).as_deref(), Some("a:b/ü"));
        assert_eq!(decode("metrics", &token), None, "another listing's token");
        assert_eq!(decode("dashboards", &encode("dashboardsx", "a")), None);
        for garbage in ["", "!!!", "eA", "djE6ZGFzaGJvYXJkcw", &"A".repeat(5000)] {
            assert_eq!(decode("dashboards", garbage), None, "{garbage}");
        }
        assert_eq!(decode("dashboards", &encode("dashboards", "")).as_deref(), Some(""));
    }
}
