//! RESTRICTED_INCOMING_TRAFFIC (restricted-common-ports): NON_COMPLIANT when a security group lets
//! incoming TCP traffic (or all traffic) in from 0.0.0.0/0 or ::/0 to a blocked port. The blocked
//! ports are blockedPort1..blockedPort5 (AWS's defaults 20, 21, 3389, 3306, 4333 when absent) and
//! the comma-separated blockedPorts. Configuration changes and periodic.

use super::ManagedRule;
use super::security_group::{Protocol, open_ingress};
use crate::compliance::Verdict;
use crate::item::Item;
use crate::parameters::{ParamKind, ParamSpec, Parameters};
use serde_json::Value;

const PORT: ParamKind = ParamKind::Int { min: 0, max: 65535 };
const SINGLE_PORTS: [&str; 5] = ["blockedPort1", "blockedPort2", "blockedPort3", "blockedPort4", "blockedPort5"];

pub(super) const RULE: ManagedRule = ManagedRule {
    identifier: "RESTRICTED_INCOMING_TRAFFIC",
    default_name: "restricted-common-ports",
    resource_types: &["AWS::EC2::SecurityGroup"],
    any_resource_type: false,
    change_triggered: true,
    periodic: true,
    parameters: &[
        ParamSpec::defaulted("blockedPort1", PORT, "20"),
        ParamSpec::defaulted("blockedPort2", PORT, "21"),
        ParamSpec::defaulted("blockedPort3", PORT, "3389"),
        ParamSpec::defaulted("blockedPort4", PORT, "3306"),
        ParamSpec::defaulted("blockedPort5", PORT, "4333"),
        ParamSpec::optional("blockedPorts", ParamKind::PortCsv),
    ],
    check,
};

fn check(parameters: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    let mut blocked: Vec<u16> = SINGLE_PORTS.iter().filter_map(|n| parameters.int(n)).map(|p| p as u16).collect();
    blocked.extend(parameters.ports("blockedPorts").unwrap_or(&[]).iter().map(|(p, _)| *p));
    for rule in open_ingress(configuration) {
        if !matches!(rule.protocol, Protocol::Tcp | Protocol::All) {
            continue;
        }
        if let Some(port) = blocked.iter().find(|p| rule.covers(**p)) {
            return Verdict::non_compliant(format!(
                "The security group allows incoming TCP traffic to blocked port {port} ({}) from {}.",
                rule.describe(),
                rule.source
            ));
        }
    }
    Verdict::compliant()
}
