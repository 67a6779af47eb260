//! The automation documents Skywatch runs itself on the resources workloads report: the security-group ones
//! the seeds' story needs. `AWS-DisablePublicAccessForSecurityGroup` revokes ingress from anywhere (0.0.0.0/0 and
//! ::/0) on SSH (22) and RDP (3389); `AWS-DisableIncomingSSHOnPort22` does so for SSH. Any other target must be a
//! webhook URL.

use serde_json::{Value, json};

/// The documents Skywatch runs, with the ports each closes to the world.
pub const BUILT_IN: &[(&str, &[i64])] =
    &[("AWS-DisablePublicAccessForSecurityGroup", &[22, 3389]), ("AWS-DisableIncomingSSHOnPort22", &[22])];

/// The ports a built-in document closes.
pub fn built_in(document: &str) -> Option<&'static [i64]> {
    BUILT_IN.iter().find(|(name, _)| *name == document).map(|(_, ports)| *ports)
}

/// Whether a target is a webhook URL.
pub fn is_webhook(target: &str) -> bool {
    target.starts_with("http://") || target.starts_with("https://")
}

const WORLD: [&str; 2] = ["0.0.0.0/0", "::/0"];

fn covers(permission: &Value, port: i64) -> bool {
    let protocol = permission.get("ipProtocol").and_then(Value::as_str).unwrap_or("");
    if protocol == "-1" {
        return true;
    }
    if protocol != "tcp" && protocol != "6" {
        return false;
    }
    let from = permission.get("fromPort").and_then(Value::as_i64);
    let to = permission.get("toPort").and_then(Value::as_i64);
    match (from, to) {
        (Some(from), Some(to)) => from <= port && port <= to,
        _ => true,
    }
}

fn without_world(list: Option<&Value>, key: &str) -> (Vec<Value>, bool) {
    let mut removed = false;
    let kept = list
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|item| {
                    let cidr = item.get(key).and_then(Value::as_str).or_else(|| item.as_str()).unwrap_or("");
                    let world = WORLD.contains(&cidr);
                    removed |= world;
                    !world
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    (kept, removed)
}

/// The security group's configuration with ingress from anywhere on `ports` revoked, and the permissions that
/// were revoked (as RevokeSecurityGroupIngress would name them). None when the configuration has nothing to
/// revoke.
pub fn revoke_world_ingress(configuration: &Value, ports: &[i64]) -> Option<(Value, Vec<Value>)> {
    let permissions = configuration.get("ipPermissions")?.as_array()?;
    let mut kept = Vec::with_capacity(permissions.len());
    let mut revoked = Vec::new();
    for permission in permissions {
        if !ports.iter().any(|p| covers(permission, *p)) {
            kept.push(permission.clone());
            continue;
        }
        let (v4, removed_v4) = without_world(permission.get("ipv4Ranges"), "cidrIp");
        let (ranges, removed_ranges) = without_world(permission.get("ipRanges"), "cidrIp");
        let (v6, removed_v6) = without_world(permission.get("ipv6Ranges"), "cidrIpv6");
        if !(removed_v4 || removed_ranges || removed_v6) {
            kept.push(permission.clone());
            continue;
        }
        revoked.push(json!({
            "ipProtocol": permission.get("ipProtocol"),
            "fromPort": permission.get("fromPort"),
            "toPort": permission.get("toPort"),
            "ipRanges": WORLD.iter().filter(|c| c.contains('.')).map(|c| json!({"cidrIp": c})).collect::<Vec<_>>(),
        }));
        let others = ["userIdGroupPairs", "prefixListIds"]
            .iter()
            .any(|k| permission.get(*k).and_then(Value::as_array).is_some_and(|a| !a.is_empty()));
        if !v4.is_empty() || !ranges.is_empty() || !v6.is_empty() || others {
            let mut narrowed = permission.clone();
            if let Some(object) = narrowed.as_object_mut() {
                if object.contains_key("ipv4Ranges") {
                    object.insert("ipv4Ranges".into(), Value::Array(v4));
                }
                if object.contains_key("ipRanges") {
                    object.insert("ipRanges".into(), Value::Array(ranges));
                }
                if object.contains_key("ipv6Ranges") {
                    object.insert("ipv6Ranges".into(), Value::Array(v6));
                }
            }
            kept.push(narrowed);
        }
    }
    if revoked.is_empty() {
        return None;
    }
    let mut changed = configuration.clone();
    changed["ipPermissions"] = Value::Array(kept);
    Some((changed, revoked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_open_to_the_world_is_revoked_and_the_rest_kept() {
        let group = json!({"groupId": "sg-1", "ipPermissions": [
            {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]},
            {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}, {"cidrIp": "10.0.0.0/8"}],
             "ipRanges": ["0.0.0.0/0", "10.0.0.0/8"]},
            {"ipProtocol": "tcp", "fromPort": 3389, "toPort": 3389, "ipv6Ranges": [{"cidrIpv6": "::/0"}]},
        ]});
        let (changed, revoked) = revoke_world_ingress(&group, &[22, 3389]).unwrap();
        let kept = changed["ipPermissions"].as_array().unwrap();
        assert_eq!(kept.len(), 2, "{changed}");
        assert_eq!(kept[0]["fromPort"], 443);
        assert_eq!(kept[1]["ipv4Ranges"], json!([{"cidrIp": "10.0.0.0/8"}]));
        assert_eq!(kept[1]["ipRanges"], json!(["10.0.0.0/8"]));
        assert_eq!(revoked.len(), 2);
    }

    #[test]
    fn all_traffic_and_port_ranges_count_and_closed_groups_need_nothing() {
        let all = json!({"ipPermissions": [{"ipProtocol": "-1", "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}]});
        assert!(revoke_world_ingress(&all, &[22]).is_some());
        let range = json!({"ipPermissions": [{"ipProtocol": "tcp", "fromPort": 0, "toPort": 1024, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}]});
        assert!(revoke_world_ingress(&range, &[22]).is_some());
        let udp = json!({"ipPermissions": [{"ipProtocol": "udp", "fromPort": 22, "toPort": 22, "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}]});
        assert!(revoke_world_ingress(&udp, &[22]).is_none());
        let private = json!({"ipPermissions": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}]}]});
        assert!(revoke_world_ingress(&private, &[22]).is_none());
    }
}
