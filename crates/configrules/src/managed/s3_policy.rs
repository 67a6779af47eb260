//! Whether a bucket policy grants the public read or write access, by S3's meaning of a public
//! policy: an `Allow` statement (or `NotPrincipal`) open to a wildcard principal, granting a read or
//! write action, that no condition limits to fixed values of aws:SourceIp (a CIDR other than /0),
//! aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
//! s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid, aws:PrincipalOrgID,
//! aws:PrincipalAccount or aws:PrincipalArn. A value with a wildcard or a policy variable is not
//! fixed. The policy is `supplementaryConfiguration.BucketPolicy.policyText` (JSON text).

use super::s3_public::Access;
use super::security_group::is_world;
use crate::item::{Item, field, strings};
use serde_json::Value;

const READ_ACTIONS: [&str; 4] = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions"];
const WRITE_ACTIONS: [&str; 6] = [
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:RestoreObject",
    "s3:AbortMultipartUpload",
];
const LIMITING_KEYS: [&str; 11] = [
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceip",
];

/// A description of the first public statement granting `access`.
pub(super) fn public_statement(item: &Item<'_>, access: Access) -> Option<String> {
    let holder = item.supplementary("BucketPolicy")?;
    let text_or_object = field(&holder, &["policyText", "PolicyText"]).unwrap_or(&holder);
    let policy = crate::item::embedded(text_or_object)?;
    let statements = match field(&policy, &["Statement", "statement"])? {
        Value::Array(list) => list.clone(),
        single => vec![single.clone()],
    };
    let actions: &[&str] = match access {
        Access::Read => &READ_ACTIONS,
        Access::Write => &WRITE_ACTIONS,
    };
    statements.iter().enumerate().find_map(|(i, s)| {
        let action = actions.iter().find(|a| is_public_grant(s, a))?;
        let sid = s.get("Sid").and_then(Value::as_str).map_or_else(|| format!("#{}", i + 1), |sid| format!("'{sid}'"));
        Some(format!("the bucket policy statement {sid} allows {action} to anyone"))
    })
}

fn is_public_grant(statement: &Value, action: &str) -> bool {
    let allows = statement.get("Effect").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case("Allow"));
    allows && open_principal(statement) && grants(statement, action) && !limited(statement)
}

fn open_principal(statement: &Value) -> bool {
    if statement.get("NotPrincipal").is_some() {
        return true;
    }
    match statement.get("Principal") {
        Some(Value::String(s)) => s.contains('*'),
        Some(Value::Object(map)) => map.values().any(|v| strings(Some(v)).iter().any(|p| p.contains('*'))),
        _ => false,
    }
}

fn grants(statement: &Value, action: &str) -> bool {
    if let Some(patterns) = statement.get("Action") {
        return strings(Some(patterns)).iter().any(|p| glob(p, action));
    }
    match statement.get("NotAction") {
        Some(patterns) => !strings(Some(patterns)).iter().any(|p| glob(p, action)),
        None => false,
    }
}

/// Whether a condition limits the statement to fixed values of a key S3 accepts as limiting.
fn limited(statement: &Value) -> bool {
    let Some(Value::Object(operators)) = statement.get("Condition") else { return false };
    operators.iter().any(|(operator, keys)| {
        let op = operator.rsplit(':').next().unwrap_or(operator).to_ascii_lowercase();
        let fixing = ["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"]
            .contains(&op.as_str());
        let Value::Object(keys) = keys else { return false };
        fixing
            && keys.iter().any(|(key, values)| {
                let key = key.to_ascii_lowercase();
                let values = strings(Some(values));
                LIMITING_KEYS.contains(&key.as_str())
                    && !values.is_empty()
                    && values.iter().all(|v| fixed(v) && !(key == "aws:sourceip" && is_world(v)))
            })
    })
}

fn fixed(value: &str) -> bool {
    !value.contains('*') && !value.contains('?') && !value.contains("${")
}

/// IAM's case-insensitive action matching with `*` and `?`.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn action_globs() {
        assert!(glob("s3:Get*", "s3:GetObject"));
        assert!(glob("*", "s3:PutObject"));
        assert!(glob("S3:*", "s3:PutObject"));
        assert!(glob("s3:?etObject", "s3:GetObject"));
        assert!(!glob("s3:List*", "s3:GetObject"));
        assert!(!glob("s3:GetObject", "s3:GetObjectVersion"));
    }
}
