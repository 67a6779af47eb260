//! Reading a security group's inbound rules as AWS Config records them (`ipPermissions` with
//! `ipProtocol`, `fromPort`, `toPort`, `ipv4Ranges[].cidrIp`, the older `ipRanges`, and
//! `ipv6Ranges[].cidrIpv6`), keeping those open to the whole internet (a /0 range of either family).

use crate::item::{as_i64, field};
use serde_json::Value;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The protocol of an inbound rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Protocol {
    Tcp,
    Udp,
    /// "-1": every protocol and port.
    All,
    Other,
}

/// An inbound rule open to the whole internet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OpenIngress {
    pub protocol: Protocol,
    /// Inclusive; every port for `All`, and for TCP or UDP rules recorded without ports.
    pub ports: (u16, u16),
    /// The /0 range that opens it (e.g. "0.0.0.0/0" or "::/0").
    pub source: String,
}

impl OpenIngress {
    pub fn covers(&self, port: u16) -> bool {
        self.ports.0 <= port && port <= self.ports.1
    }

    /// "TCP port 22", "UDP ports 1000-2000", "all traffic".
    pub fn describe(&self) -> String {
        let name = match self.protocol {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::All | Protocol::Other => return "all traffic".to_string(),
        };
        match self.ports {
            (lo, hi) if lo == hi => format!("{name} port {lo}"),
            (0, 65535) => format!("all {name} ports"),
            (lo, hi) => format!("{name} ports {lo}-{hi}"),
        }
    }
}

/// The inbound rules of a security group's configuration that are open to the internet.
pub(super) fn open_ingress(configuration: &Value) -> Vec<OpenIngress> {
    let Some(Value::Array(permissions)) = field(configuration, &["ipPermissions", "IpPermissions"]) else {
        return Vec::new();
    };
    permissions
        .iter()
        .filter_map(|p| {
            let source = world_source(p)?;
            let protocol = protocol(p.get("ipProtocol").or_else(|| p.get("IpProtocol")));
            Some(OpenIngress { protocol, ports: ports(p, protocol), source })
        })
        .collect()
}

fn protocol(value: Option<&Value>) -> Protocol {
    let text = match value {
        Some(Value::String(s)) => s.trim().to_ascii_lowercase(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Protocol::All,
    };
    match text.as_str() {
        "tcp" | "6" => Protocol::Tcp,
        "udp" | "17" => Protocol::Udp,
        "-1" | "all" => Protocol::All,
        _ => Protocol::Other,
    }
}

/// The inclusive port range; a TCP or UDP rule recorded without ports (or with -1) opens every
/// port, as does the all-traffic protocol.
fn ports(permission: &Value, protocol: Protocol) -> (u16, u16) {
    const ALL: (u16, u16) = (0, 65535);
    if protocol == Protocol::All {
        return ALL;
    }
    let port = |names: &[&str]| field(permission, names).and_then(as_i64);
    match (port(&["fromPort", "FromPort"]), port(&["toPort", "ToPort"])) {
        (Some(from), Some(to)) if from >= 0 && to >= 0 => {
            let clamp = |p: i64| p.min(65535) as u16;
            let (a, b) = (clamp(from), clamp(to));
            (a.min(b), a.max(b))
        }
        _ => ALL,
    }
}

/// The first /0 source of a permission.
fn world_source(permission: &Value) -> Option<String> {
    let mut sources = Vec::new();
    for (list, keys) in [
        ("ipv4Ranges", &["cidrIp", "CidrIp"][..]),
        ("ipRanges", &["cidrIp", "CidrIp"][..]),
        ("ipv6Ranges", &["cidrIpv6", "CidrIpv6"][..]),
    ] {
        let Some(Value::Array(entries)) = permission.get(list) else { continue };
        for entry in entries {
            match entry {
                Value::String(s) => sources.push(s.as_str()),
                other => sources.extend(field(other, keys).and_then(Value::as_str)),
            }
        }
    }
    sources.into_iter().find(|s| is_world(s)).map(str::to_string)
}

/// Whether a CIDR covers every address of its family (a prefix length of 0).
pub(super) fn is_world(cidr: &str) -> bool {
    let Some((address, length)) = cidr.trim().split_once('/') else { return false };
    length.trim().parse::<u8>() == Ok(0)
        && (address.trim().parse::<Ipv4Addr>().is_ok() || address.trim().parse::<Ipv6Addr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_open_rules() {
        let config = json!({"ipPermissions": [
            {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}]},
            {"ipProtocol": "tcp", "fromPort": 20, "toPort": 25, "ipRanges": ["0.0.0.0/0"]},
            {"ipProtocol": "-1", "ipv6Ranges": [{"cidrIpv6": "::/0"}]},
            {"ipProtocol": "udp", "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]},
            {"ipProtocol": "icmp", "fromPort": 8, "toPort": -1, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}
        ]});
        let open = open_ingress(&config);
        assert_eq!(open.len(), 4);
        assert_eq!(open[0].ports, (20, 25));
        assert_eq!(open[0].describe(), "TCP ports 20-25");
        assert_eq!((open[1].protocol, open[1].ports, open[1].source.as_str()), (Protocol::All, (0, 65535), "::/0"));
        assert_eq!(open[2].describe(), "all UDP ports");
        assert_eq!(open[3].protocol, Protocol::Other);
        assert!(is_world("0.0.0.0/0") && is_world("::/0") && is_world("::0/0"));
        assert!(!is_world("0.0.0.0/1") && !is_world("0.0.0.0") && !is_world("x/0"));
    }
}
