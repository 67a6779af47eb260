//! ListDashboards' opaque NextToken: the hex of a version tag and the last name of the previous page.

const TAG: &str = "d1:";

/// The token that continues after `name`.
pub(crate) fn encode(name: &str) -> String {
    format!("{TAG}{name}").bytes().map(|byte| format!("{byte:02x}")).collect()
}

/// The name a token continues after, or None when the token is not one of ours.
pub(crate) fn decode(token: &str) -> Option<String> {
    if !token.len().is_multiple_of(2) || !token.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..token.len()).step_by(2).map(|at| u8::from_str_radix(&token[at..at + 2], 16).ok()).collect();
    let text = String::from_utf8(bytes?).ok()?;
    text.strip_prefix(TAG).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_strangers() {
        assert_eq!(decode(&encode("a-b_C")), Some("a-b_C".to_string()));
        assert_eq!(decode("zz"), None);
        assert_eq!(decode("616"), None);
        assert_eq!(decode("6162"), None);
        assert_eq!(decode("é1"), None);
    }
}
