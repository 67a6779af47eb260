//! Whether a bucket's access control list grants the public read or write access, as AWS Config
//! records the ACL (`supplementaryConfiguration.AccessControlList`: JSON text or an object with a
//! `grantList` of `{grantee, permission}`, where a group grantee is "AllUsers" or
//! "AuthenticatedUsers", or its URI). Read is READ or FULL_CONTROL; write is WRITE, WRITE_ACP or
//! FULL_CONTROL.

use super::s3_public::Access;
use crate::item::{Item, field};
use serde_json::Value;

/// A description of the first public grant of `access` ("the bucket ACL grants Read to AllUsers").
pub(super) fn public_grant(item: &Item<'_>, access: Access) -> Option<String> {
    let acl = item.supplementary("AccessControlList")?;
    let grants = ["grantList", "GrantList", "grantSet", "Grants", "grants"]
        .iter()
        .find_map(|k| acl.get(*k).and_then(Value::as_array))?;
    grants.iter().find_map(|grant| {
        let group = public_group(field(grant, &["grantee", "Grantee"])?)?;
        let permission = field(grant, &["permission", "Permission"]).and_then(Value::as_str)?;
        grants_access(permission, access).then(|| format!("the bucket ACL grants {permission} to {group}"))
    })
}

/// "AllUsers" or "AuthenticatedUsers" when the grantee is that group.
fn public_group(grantee: &Value) -> Option<&'static str> {
    let text = match grantee {
        Value::String(s) => s.clone(),
        Value::Object(o) => ["uri", "URI", "identifier", "id", "groupName", "displayName"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        _ => return None,
    };
    let lower = text.to_ascii_lowercase();
    if lower.contains("allusers") {
        Some("AllUsers")
    } else if lower.contains("authenticatedusers") {
        Some("AuthenticatedUsers")
    } else {
        None
    }
}

fn grants_access(permission: &str, access: Access) -> bool {
    let p: String = permission.chars().filter(|c| *c != '_').collect::<String>().to_ascii_lowercase();
    match access {
        Access::Read => p == "read" || p == "fullcontrol",
        Access::Write => p == "write" || p == "writeacp" || p == "fullcontrol",
    }
}
