//! ListDashboards' NextToken: the last name of the previous page, in the shared page-token encoding.

const KIND: &str = "dashboards";

/// The token that continues after `name`.
pub(crate) fn encode(name: &str) -> String {
    skywatch_ops::token::encode(KIND, name)
}

/// The name a token continues after, or None when the token is not one of ours.
pub(crate) fn decode(token: &str) -> Option<String> {
    skywatch_ops::token::decode(KIND, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_strangers() {
        assert_eq!(decode(&encode("a-b_C")), Some("a-b_C".to_string()));
        assert_eq!(decode("zz"), None);
        assert_eq!(decode(&skywatch_ops::token::encode("metrics", "a")), None);
    }
}
