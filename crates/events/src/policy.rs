//! A bus's resource policy: the statements PutPermission adds (`Principal` an account as `arn:aws:iam::<a>:root`,
//! or `*`), RemovePermission takes away, and the evaluation that decides whether another account may send events
//! to the bus (a matching `Deny` wins; else a matching `Allow` allows; else nothing does). Conditions on
//! `aws:PrincipalAccount` are evaluated; Skywatch has no organizations, so a statement conditioned on
//! `aws:PrincipalOrgID` matches no one.

use serde_json::{Map, Value, json};

/// The longest policy document a bus keeps, in characters (PolicyLengthExceededException beyond).
pub const MAX_POLICY_LENGTH: usize = 10_240;
/// Statements one policy may hold (bounds the evaluation).
pub const MAX_STATEMENTS: usize = 100;

/// Why a policy cannot be changed as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// The document is not a policy.
    Invalid(String),
    /// No statement has the id.
    NoSuchStatement,
    TooLong,
}

/// A condition PutPermission attaches to its statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub kind: String,
    pub key: String,
    pub value: String,
}

/// The statement PutPermission makes.
pub fn statement(sid: &str, principal: &str, action: &str, bus_arn: &str, condition: Option<&Condition>) -> Value {
    let principal =
        if principal == "*" { json!("*") } else { json!({ "AWS": format!("arn:aws:iam::{principal}:root") }) };
    let mut out = Map::new();
    out.insert("Sid".into(), json!(sid));
    out.insert("Effect".into(), json!("Allow"));
    out.insert("Principal".into(), principal);
    out.insert("Action".into(), json!(action));
    out.insert("Resource".into(), json!(bus_arn));
    if let Some(c) = condition {
        out.insert("Condition".into(), json!({ c.kind.clone(): { c.key.clone(): c.value.clone() } }));
    }
    Value::Object(out)
}

/// The statements of a stored policy.
fn statements(policy: &str) -> Result<Vec<Value>, PolicyError> {
    let doc: Value = serde_json::from_str(policy).map_err(|e| PolicyError::Invalid(e.to_string()))?;
    match doc.get("Statement") {
        Some(Value::Array(list)) => Ok(list.clone()),
        Some(one @ Value::Object(_)) => Ok(vec![one.clone()]),
        _ => Err(PolicyError::Invalid("the policy has no Statement".into())),
    }
}

fn document(statements: Vec<Value>) -> Result<Option<String>, PolicyError> {
    if statements.is_empty() {
        return Ok(None);
    }
    let text = json!({ "Version": "2012-10-17", "Statement": statements }).to_string();
    if text.chars().count() > MAX_POLICY_LENGTH {
        return Err(PolicyError::TooLong);
    }
    Ok(Some(text))
}

/// `policy` with `statement` added, replacing one with the same `Sid`.
pub fn put_statement(policy: Option<&str>, statement: Value) -> Result<Option<String>, PolicyError> {
    let mut list = match policy {
        Some(p) => statements(p)?,
        None => Vec::new(),
    };
    let sid = statement.get("Sid").cloned();
    match list.iter_mut().find(|s| s.get("Sid") == sid.as_ref()) {
        Some(existing) => *existing = statement,
        None => list.push(statement),
    }
    if list.len() > MAX_STATEMENTS {
        return Err(PolicyError::TooLong);
    }
    document(list)
}

/// `policy` without statement `sid`.
pub fn remove_statement(policy: Option<&str>, sid: &str) -> Result<Option<String>, PolicyError> {
    let mut list = match policy {
        Some(p) => statements(p)?,
        None => return Err(PolicyError::NoSuchStatement),
    };
    let before = list.len();
    list.retain(|s| s.get("Sid").and_then(Value::as_str) != Some(sid));
    if list.len() == before {
        return Err(PolicyError::NoSuchStatement);
    }
    document(list)
}

/// A whole policy as PutPermission's `Policy` gives it: checked, kept as given.
pub fn check_document(policy: &str) -> Result<(), PolicyError> {
    if policy.chars().count() > MAX_POLICY_LENGTH {
        return Err(PolicyError::TooLong);
    }
    let list = statements(policy)?;
    if list.len() > MAX_STATEMENTS {
        return Err(PolicyError::TooLong);
    }
    for s in &list {
        match s.get("Effect").and_then(Value::as_str) {
            Some("Allow" | "Deny") => {}
            _ => return Err(PolicyError::Invalid("a statement's Effect must be Allow or Deny".into())),
        }
    }
    Ok(())
}

/// `pattern` with IAM's `*` and `?` wildcards against `text` (iterative, linear in practice).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
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
    p[pi..].iter().all(|&c| c == '*')
}

fn any_of(value: Option<&Value>, test: impl Fn(&str) -> bool) -> bool {
    match value {
        Some(Value::String(s)) => test(s),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(test),
        _ => false,
    }
}

fn principal_matches(principal: Option<&Value>, account: &str) -> bool {
    let names = |p: &str| p == "*" || p == account || p == format!("arn:aws:iam::{account}:root");
    match principal {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(map)) => any_of(map.get("AWS"), names),
        _ => false,
    }
}

fn condition_holds(condition: Option<&Value>, account: &str) -> bool {
    let Some(Value::Object(operators)) = condition else { return true };
    operators.iter().all(|(operator, keys)| {
        let Value::Object(keys) = keys else { return false };
        keys.iter().all(|(key, value)| {
            let actual = match key.to_ascii_lowercase().as_str() {
                "aws:principalaccount" => account,
                _ => return false,
            };
            match operator.as_str() {
                "StringEquals" => any_of(Some(value), |v| v == actual),
                "StringLike" => any_of(Some(value), |v| glob(v, actual)),
                "StringNotEquals" => !any_of(Some(value), |v| v == actual),
                _ => false,
            }
        })
    })
}

/// Whether `policy` lets `account` call `action` (`events:PutEvents`) on `resource` (the bus's ARN).
pub fn allows(policy: Option<&str>, account: &str, action: &str, resource: &str) -> bool {
    let Some(list) = policy.and_then(|p| statements(p).ok()) else { return false };
    let mut allowed = false;
    for s in list.iter().take(MAX_STATEMENTS) {
        let applies = principal_matches(s.get("Principal"), account)
            && any_of(s.get("Action"), |a| glob(&a.to_ascii_lowercase(), &action.to_ascii_lowercase()))
            && any_of(s.get("Resource"), |r| glob(r, resource))
            && condition_holds(s.get("Condition"), account);
        if applies {
            match s.get("Effect").and_then(Value::as_str) {
                Some("Deny") => return false,
                Some("Allow") => allowed = true,
                _ => {}
            }
        }
    }
    allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUS: &str = "arn:aws:events:us-east-1:111111111111:event-bus/central";

    #[test]
    fn put_permission_statements_replace_by_sid_and_accumulate_otherwise() {
        let one = put_statement(None, statement("1", "222222222222", "events:PutEvents", BUS, None)).unwrap();
        let two = put_statement(one.as_deref(), statement("2", "*", "events:PutEvents", BUS, None)).unwrap();
        let again = put_statement(two.as_deref(), statement("2", "*", "events:PutEvents", BUS, None)).unwrap();
        let doc: Value = serde_json::from_str(again.as_deref().unwrap()).unwrap();
        assert_eq!(doc["Statement"].as_array().unwrap().len(), 2);
        assert_eq!(doc["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::222222222222:root");
        assert_eq!(doc["Statement"][1]["Principal"], "*");
        let removed = remove_statement(again.as_deref(), "1").unwrap();
        assert_eq!(remove_statement(removed.as_deref(), "1"), Err(PolicyError::NoSuchStatement));
        assert_eq!(remove_statement(removed.as_deref(), "2").unwrap(), None);
        assert_eq!(remove_statement(None, "2"), Err(PolicyError::NoSuchStatement));
    }

    #[test]
    fn evaluation_table() {
        let to = |principal: &str| {
            put_statement(None, statement("s", principal, "events:PutEvents", BUS, None)).unwrap().unwrap()
        };
        let account = to("222222222222");
        let anyone = to("*");
        let deny = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"events:*","Resource":"*"},
            {"Effect":"Deny","Principal":{"AWS":["333333333333"]},"Action":"events:PutEvents","Resource":"arn:aws:events:*"}]}"#;
        let conditioned = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"*",
            "Condition":{"StringEquals":{"aws:PrincipalAccount":"444444444444"}}}]}"#;
        let org = put_statement(
            None,
            statement(
                "o",
                "*",
                "events:PutEvents",
                BUS,
                Some(&Condition { kind: "StringEquals".into(), key: "aws:PrincipalOrgID".into(), value: "o-1".into() }),
            ),
        )
        .unwrap()
        .unwrap();
        let cases: &[(Option<&str>, &str, bool)] = &[
            (None, "222222222222", false),
            (Some(&account), "222222222222", true),
            (Some(&account), "999999999999", false),
            (Some(&anyone), "999999999999", true),
            (Some(deny), "222222222222", true),
            (Some(deny), "333333333333", false),
            (Some(conditioned), "444444444444", true),
            (Some(conditioned), "222222222222", false),
            (Some(&org), "222222222222", false),
        ];
        for (policy, sender, expected) in cases {
            assert_eq!(allows(*policy, sender, "events:PutEvents", BUS), *expected, "{policy:?} {sender}");
        }
        assert!(!allows(Some(&account), "222222222222", "events:PutEvents", "arn:aws:events:us-east-1:1:event-bus/x"));
    }

    #[test]
    fn globs() {
        assert!(glob("arn:aws:events:*:*:event-bus/*", BUS));
        assert!(glob("a?c*", "abcdef"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*", ""));
    }
}
