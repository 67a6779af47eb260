//! INCOMING_SSH_DISABLED (restricted-ssh): NON_COMPLIANT when a security group lets incoming SSH
//! (TCP port 22, or all traffic) in from 0.0.0.0/0 or ::/0. AWS: "The rule is COMPLIANT if the IP
//! addresses of the incoming SSH traffic in the security groups are restricted (CIDR other than
//! 0.0.0.0/0 or ::/0). Otherwise, NON_COMPLIANT." Configuration changes and periodic; no parameters.

use super::ManagedRule;
use super::security_group::{Protocol, open_ingress};
use crate::compliance::Verdict;
use crate::item::Item;
use crate::parameters::Parameters;
use serde_json::Value;

const SSH_PORT: u16 = 22;

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "INCOMING_SSH_DISABLED",
    default_name: "restricted-ssh",
    resource_types: &["AWS::EC2::SecurityGroup"],
    any_resource_type: false,
    change_triggered: true,
    periodic: true,
    parameters: &[],
    check,
};

fn check(_: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    let open = open_ingress(configuration)
        .into_iter()
        .find(|r| matches!(r.protocol, Protocol::Tcp | Protocol::All) && r.covers(SSH_PORT));
    match open {
        Some(rule) => Verdict::non_compliant(format!(
            "The security group allows incoming SSH traffic ({}) from {}.",
            rule.describe(),
            rule.source
        )),
        None => Verdict::compliant(),
    }
}
