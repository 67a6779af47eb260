//! VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS (vpc-sg-open-only-to-authorized-ports): a security group
//! whose inbound rules are open to 0.0.0.0/0 or ::/0 may open only the authorized TCP and UDP ports
//! (authorizedTcpPorts, authorizedUdpPorts: "443,1020-1025"); an open all-traffic rule, or an open
//! TCP or UDP port outside the authorized ones, is NON_COMPLIANT. Other protocols (ICMP) are not
//! ports and are not judged. Configuration changes and periodic.

use super::ManagedRule;
use super::security_group::{OpenIngress, Protocol, open_ingress};
use crate::compliance::Verdict;
use crate::item::Item;
use crate::parameters::{ParamKind, ParamSpec, Parameters};
use serde_json::Value;

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
    default_name: "vpc-sg-open-only-to-authorized-ports",
    resource_types: &["AWS::EC2::SecurityGroup"],
    any_resource_type: false,
    change_triggered: true,
    periodic: true,
    parameters: &[
        ParamSpec::optional("authorizedTcpPorts", ParamKind::PortRanges),
        ParamSpec::optional("authorizedUdpPorts", ParamKind::PortRanges),
    ],
    check,
};

fn check(parameters: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    let tcp = parameters.ports("authorizedTcpPorts").unwrap_or(&[]);
    let udp = parameters.ports("authorizedUdpPorts").unwrap_or(&[]);
    let unauthorized = |rule: &OpenIngress| match rule.protocol {
        Protocol::All => true,
        Protocol::Tcp => !within(rule.ports, tcp),
        Protocol::Udp => !within(rule.ports, udp),
        Protocol::Other => false,
    };
    match open_ingress(configuration).into_iter().find(unauthorized) {
        Some(rule) => Verdict::non_compliant(format!(
            "The security group allows {} from {}, which the rule does not authorize.",
            rule.describe(),
            rule.source
        )),
        None => Verdict::compliant(),
    }
}

/// Whether every port of `ports` lies in the union of `authorized` ranges.
fn within(ports: (u16, u16), authorized: &[(u16, u16)]) -> bool {
    let mut ranges = authorized.to_vec();
    ranges.sort_unstable();
    let mut next = u32::from(ports.0);
    for (lo, hi) in ranges {
        if u32::from(lo) <= next && next <= u32::from(hi) {
            next = u32::from(hi) + 1;
        }
        if next > u32::from(ports.1) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn union_of_ranges() {
        assert!(within((443, 443), &[(443, 443)]));
        assert!(within((1020, 1030), &[(1026, 1030), (1020, 1025)]));
        assert!(!within((1020, 1031), &[(1026, 1030), (1020, 1025)]));
        assert!(!within((80, 80), &[]));
        assert!(within((0, 65535), &[(0, 65535)]));
    }
}
