//! EC2 instance rules over instances as AWS Config records them.
//!
//! EC2_INSTANCE_DETAILED_MONITORING_ENABLED: NON_COMPLIANT unless `monitoring.state` is "enabled".
//! EC2_INSTANCE_NO_PUBLIC_IP: NON_COMPLIANT when the item records a public IPv4 address
//! (`publicIpAddress`, or a `publicIp` in a network interface's association; AWS: "NON_COMPLIANT if
//! the publicIp field is present in the Amazon EC2 instance configuration item"). Both are
//! triggered by configuration changes and take no parameters.

use super::ManagedRule;
use crate::compliance::Verdict;
use crate::item::{Item, field};
use crate::parameters::Parameters;
use serde_json::Value;

const INSTANCE: &[&str] = &["AWS::EC2::Instance"];

pub(super) const DETAILED_MONITORING_RULE: ManagedRule = ManagedRule {
    identifier: "EC2_INSTANCE_DETAILED_MONITORING_ENABLED",
    default_name: "ec2-instance-detailed-monitoring-enabled",
    resource_types: INSTANCE,
    any_resource_type: false,
    change_triggered: true,
    periodic: false,
    parameters: &[],
    check: check_monitoring,
};

pub(super) const NO_PUBLIC_IP_RULE: ManagedRule = ManagedRule {
    identifier: "EC2_INSTANCE_NO_PUBLIC_IP",
    default_name: "ec2-instance-no-public-ip",
    resource_types: INSTANCE,
    any_resource_type: false,
    change_triggered: true,
    periodic: false,
    parameters: &[],
    check: check_public_ip,
};

fn check_monitoring(_: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    let state = field(configuration, &["monitoring", "Monitoring"])
        .and_then(|m| field(m, &["state", "State"]))
        .and_then(Value::as_str);
    match state {
        Some(s) if s.eq_ignore_ascii_case("enabled") => Verdict::compliant(),
        Some(s) => Verdict::non_compliant(format!("Detailed monitoring is not enabled (monitoring state '{s}').")),
        None => Verdict::non_compliant("Detailed monitoring is not enabled."),
    }
}

fn check_public_ip(_: &Parameters, _: &Item<'_>, configuration: &Value) -> Verdict {
    let direct = field(configuration, &["publicIpAddress", "PublicIpAddress"]).and_then(Value::as_str);
    let associated = || {
        let interfaces = field(configuration, &["networkInterfaces", "NetworkInterfaces"])?.as_array()?;
        interfaces.iter().find_map(|ni| {
            let from_interface = association_ip(ni);
            let from_addresses = || {
                let addresses = field(ni, &["privateIpAddresses", "PrivateIpAddresses"])?.as_array()?;
                addresses.iter().find_map(association_ip)
            };
            from_interface.or_else(from_addresses)
        })
    };
    match direct.filter(|ip| !ip.trim().is_empty()).or_else(associated) {
        Some(ip) => Verdict::non_compliant(format!("The instance has the public IP address {ip}.")),
        None => Verdict::compliant(),
    }
}

fn association_ip(holder: &Value) -> Option<&str> {
    let association = field(holder, &["association", "Association"])?;
    field(association, &["publicIp", "PublicIp"]).and_then(Value::as_str).filter(|ip| !ip.trim().is_empty())
}
