//! Names and ARNs of buses and rules: what the model allows, and ARNs in the region's partition.

use skywatch_model::partition;

use crate::model::DEFAULT_BUS;

/// Whether `name` is a rule name: 1-64 of letters, digits, `.`, `-` and `_`.
pub fn valid_rule_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// Whether `name` may name a bus in a call: 1-256 of letters, digits, `/`, `.`, `-` and `_`.
pub fn valid_bus_name(name: &str) -> bool {
    (1..=256).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
}

/// The ARN of a bus.
pub fn bus_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:events:{region}:{account}:event-bus/{name}", partition(region))
}

/// The ARN of a rule: `rule/NAME` on the default bus, `rule/BUS/NAME` on another.
pub fn rule_arn(region: &str, account: &str, bus: &str, name: &str) -> String {
    let partition = partition(region);
    if bus == DEFAULT_BUS {
        format!("arn:{partition}:events:{region}:{account}:rule/{name}")
    } else {
        format!("arn:{partition}:events:{region}:{account}:rule/{bus}/{name}")
    }
}

/// The bus a call names by name or by ARN (`None`: the default bus), with the account the ARN names (`None` for a
/// plain name); `None` if an ARN is not an event-bus ARN of the call's region.
pub fn resolve_bus<'a>(given: Option<&'a str>, region: &str) -> Option<(Option<&'a str>, &'a str)> {
    let Some(given) = given else { return Some((None, DEFAULT_BUS)) };
    if !given.starts_with("arn:") {
        return Some((None, given));
    }
    let mut parts = given.splitn(6, ':');
    let (_, _partition, service, arn_region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let name = resource.strip_prefix("event-bus/")?;
    (service == "events" && arn_region == region && !name.is_empty()).then_some((Some(account), name))
}

#[cfg(test)]
mod tests {
    use super::{bus_arn, resolve_bus, rule_arn, valid_bus_name, valid_rule_name};

    #[test]
    fn arns_use_the_regions_partition_and_the_bus_in_rule_arns() {
        assert_eq!(bus_arn("us-east-1", "111122223333", "b"), "arn:aws:events:us-east-1:111122223333:event-bus/b");
        assert_eq!(rule_arn("cn-north-1", "1", "default", "r"), "arn:aws-cn:events:cn-north-1:1:rule/r");
        assert_eq!(rule_arn("us-gov-west-1", "1", "b", "r"), "arn:aws-us-gov:events:us-gov-west-1:1:rule/b/r");
    }

    #[test]
    fn buses_are_named_by_name_or_arn() {
        assert_eq!(resolve_bus(None, "us-east-1"), Some((None, "default")));
        assert_eq!(resolve_bus(Some("orders"), "us-east-1"), Some((None, "orders")));
        assert_eq!(
            resolve_bus(Some("arn:aws:events:us-east-1:111122223333:event-bus/orders"), "us-east-1"),
            Some((Some("111122223333"), "orders"))
        );
        assert_eq!(resolve_bus(Some("arn:aws:events:eu-west-1:111122223333:event-bus/orders"), "us-east-1"), None);
        assert_eq!(resolve_bus(Some("arn:aws:sns:us-east-1:1:topic"), "us-east-1"), None);
        assert!(valid_rule_name("a.b-c_1") && !valid_rule_name("a b") && !valid_rule_name(&"r".repeat(65)));
        assert!(valid_bus_name("aws.partner/x.com/1") && !valid_bus_name(""));
    }
}
