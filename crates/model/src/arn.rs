//! ARNs and partitions: which AWS partition a region belongs to (the `aws` of `arn:aws:...`), so every ARN
//! Skywatch builds names its region's partition, and the fields of an ARN of any partition, so every ARN it reads
//! may come from any of them.
//!
//! The mapping is AWS's own `partitions.json` (shipped in botocore): a region listed by name wins; otherwise the
//! partition whose `regionRegex` matches; a region that matches none is in `aws`.

/// Every partition, in `partitions.json`'s order of definition.
pub const PARTITIONS: [&str; 8] =
    ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// The partitions' `regionRegex`es, each written as the region's leading segments, which must then be followed by
/// exactly one word segment and one number segment: `^us\-gov\-\w+\-\d+$` is `(&["us", "gov"], "aws-us-gov")`.
/// `aws`'s `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$` is one row a leading segment.
const PATTERNS: [(&[&str], &str); 16] = [
    (&["us"], "aws"),
    (&["eu"], "aws"),
    (&["ap"], "aws"),
    (&["sa"], "aws"),
    (&["ca"], "aws"),
    (&["me"], "aws"),
    (&["af"], "aws"),
    (&["il"], "aws"),
    (&["mx"], "aws"),
    (&["cn"], "aws-cn"),
    (&["us", "gov"], "aws-us-gov"),
    (&["us", "iso"], "aws-iso"),
    (&["us", "isob"], "aws-iso-b"),
    (&["eu", "isoe"], "aws-iso-e"),
    (&["us", "isof"], "aws-iso-f"),
    (&["eusc", "de"], "aws-eusc"),
];

/// The regions `partitions.json` lists by name that no `regionRegex` matches (its global pseudo-regions).
const LISTED: [(&str, &str); 8] = [
    ("aws-global", "aws"),
    ("aws-cn-global", "aws-cn"),
    ("aws-us-gov-global", "aws-us-gov"),
    ("aws-iso-global", "aws-iso"),
    ("aws-iso-b-global", "aws-iso-b"),
    ("aws-iso-e-global", "aws-iso-e"),
    ("aws-iso-f-global", "aws-iso-f"),
    ("aws-eusc-global", "aws-eusc"),
];

/// The partition of `region`: `aws-cn` for `cn-north-1`, `aws-us-gov` for `us-gov-west-1`, `aws` for
/// `us-east-1` and for any region no partition claims.
pub fn partition(region: &str) -> &'static str {
    if let Some((_, partition)) = LISTED.iter().find(|(listed, _)| *listed == region) {
        return partition;
    }
    PATTERNS.iter().find(|(leading, _)| matches(region, leading)).map_or("aws", |(_, partition)| partition)
}

/// Whether `region` is `leading` segments, then `\w+`, then `\d+`, separated by hyphens.
fn matches(region: &str, leading: &[&str]) -> bool {
    let mut rest = region;
    for segment in leading {
        match rest.strip_prefix(segment).and_then(|after| after.strip_prefix('-')) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    let Some((word, number)) = rest.split_once('-') else { return false };
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `text` is one of AWS's partitions.
pub fn is_partition(text: &str) -> bool {
    PARTITIONS.contains(&text)
}

/// The fields of `arn:<partition>:<service>:<region>:<account>:<resource>`; the resource may hold colons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Reads an ARN of any partition; `None` when `text` has fewer than six fields or an unknown partition.
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut fields = text.strip_prefix("arn:")?.splitn(5, ':');
        let arn = Arn {
            partition: fields.next()?,
            service: fields.next()?,
            region: fields.next()?,
            account: fields.next()?,
            resource: fields.next()?,
        };
        is_partition(arn.partition).then_some(arn)
    }

    /// The resource after `service`, `region` and `account` when the ARN names exactly those (in any partition).
    pub fn resource_in(text: &'a str, service: &str, region: &str, account: &str) -> Option<&'a str> {
        Self::parse(text)
            .filter(|arn| arn.service == service && arn.region == region && arn.account == account)
            .map(|arn| arn.resource)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_their_partitions() {
        let cases = [
            ("us-east-1", "aws"),
            ("eu-central-2", "aws"),
            ("ap-southeast-7", "aws"),
            ("mx-central-1", "aws"),
            ("il-central-1", "aws"),
            ("aws-global", "aws"),
            ("cn-north-1", "aws-cn"),
            ("cn-northwest-1", "aws-cn"),
            ("aws-cn-global", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-gov-east-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
            ("aws-eusc-global", "aws-eusc"),
            // A future region of a known shape follows the pattern.
            ("cn-south-9", "aws-cn"),
            ("us-gov-central-12", "aws-us-gov"),
            // No partition claims these: the default.
            ("", "aws"),
            ("local", "aws"),
            ("cn-north", "aws"),
            ("cn-north-1a", "aws"),
            ("eusc-fr-east-1", "aws"),
            ("us-gov-west-1-x", "aws"),
            ("cn--1", "aws"),
        ];
        for (region, expected) in cases {
            assert_eq!(partition(region), expected, "{region}");
        }
    }

    #[test]
    fn arns_of_every_partition_parse() {
        for partition in PARTITIONS {
            let text = format!("arn:{partition}:logs:r-1:123456789012:log-group:/a:*");
            let arn = Arn::parse(&text).expect("parses");
            assert_eq!(
                arn,
                Arn { partition, service: "logs", region: "r-1", account: "123456789012", resource: "log-group:/a:*" }
            );
        }
        for text in ["arn:aws:sns:us-east-1:1", "arn:awsx:sns:us-east-1:1:t", "aws:sns:us-east-1:1:t", ""] {
            assert_eq!(Arn::parse(text), None, "{text}");
        }
        assert_eq!(Arn::parse("arn:aws:iam::1:root").map(|a| a.region), Some(""));
        let cn = "arn:aws-cn:cloudwatch:cn-north-1:1:alarm:a";
        assert_eq!(Arn::resource_in(cn, "cloudwatch", "cn-north-1", "1"), Some("alarm:a"));
        assert_eq!(Arn::resource_in(cn, "cloudwatch", "cn-northwest-1", "1"), None);
        assert_eq!(Arn::resource_in(cn, "sns", "cn-north-1", "1"), None);
        assert_eq!(Arn::resource_in(cn, "cloudwatch", "cn-north-1", "2"), None);
    }
}
