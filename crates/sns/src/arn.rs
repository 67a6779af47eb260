//! Topic and subscription ARNs: `arn:{partition}:sns:{region}:{account}:{topic}` and the topic's ARN followed by
//! `:{subscription id}`; the partition is the region's.

use skywatch_model::Arn;

/// The ARN of topic `name`.
pub fn topic_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:sns:{region}:{account}:{name}", skywatch_model::partition(region))
}

/// The (region, account, topic name) of a topic ARN.
pub fn parse_topic_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let arn = Arn::parse(arn)?;
    (arn.service == "sns" && valid_topic_name(arn.resource)).then_some((arn.region, arn.account, arn.resource))
}

/// The (topic ARN, subscription id) of a subscription ARN.
pub fn parse_subscription_arn(arn: &str) -> Option<(&str, &str)> {
    let (topic, id) = arn.rsplit_once(':')?;
    parse_topic_arn(topic)?;
    (!id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')).then_some((topic, id))
}

/// Topic names: 1 to 256 of `A-Z a-z 0-9 - _` (a FIFO topic's `.fifo` suffix aside).
pub fn valid_topic_name(name: &str) -> bool {
    let base = name.strip_suffix(".fifo").unwrap_or(name);
    (1..=256).contains(&name.len())
        && !base.is_empty()
        && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_parse_back() {
        let topic = topic_arn("us-east-1", "000000000000", "alerts");
        assert_eq!(parse_topic_arn(&topic), Some(("us-east-1", "000000000000", "alerts")));
        let sub = format!("{topic}:0f7e6a1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b");
        assert_eq!(parse_subscription_arn(&sub), Some((topic.as_str(), "0f7e6a1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b")));
        assert_eq!(parse_topic_arn("arn:aws:sqs:us-east-1:0:q"), None);
        let cn = topic_arn("cn-north-1", "000000000000", "alerts");
        assert_eq!(cn, "arn:aws-cn:sns:cn-north-1:000000000000:alerts");
        assert_eq!(parse_topic_arn(&cn), Some(("cn-north-1", "000000000000", "alerts")));
        assert_eq!(parse_topic_arn("arn:awsx:sns:us-east-1:0:t"), None);
        assert_eq!(parse_topic_arn("arn:aws:sns:us-east-1:0:bad name"), None);
        assert_eq!(parse_subscription_arn(&topic), None, "a topic is not a subscription");
        assert!(!valid_topic_name("") && !valid_topic_name(&"a".repeat(257)) && valid_topic_name("a.fifo"));
    }
}
