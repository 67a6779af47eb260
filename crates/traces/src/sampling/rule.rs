//! Sampling rules: what a rule holds, X-Ray's bounds on each member, the `Default` rule (priority 10000, one
//! request a second and 5 % of the rest, only its rate and reservoir may change), and the order clients apply
//! rules in (priority, then name).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The rule every request falls through to.
pub const DEFAULT_RULE: &str = "Default";
/// Custom rules an account may have in a region (X-Ray's quota; Default not counted).
pub const MAX_RULES: usize = 25;
/// Tags on one rule.
pub const MAX_TAGS: usize = 50;

/// One sampling rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    pub resource_arn: String,
    pub priority: i64,
    pub fixed_rate: f64,
    pub reservoir_size: i64,
    pub service_name: String,
    pub service_type: String,
    pub host: String,
    pub http_method: String,
    pub url_path: String,
    pub version: i64,
    pub attributes: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

impl Rule {
    /// The Default rule as an account that never changed it has it.
    pub fn default_rule() -> Self {
        Rule {
            name: DEFAULT_RULE.into(),
            resource_arn: "*".into(),
            priority: 10_000,
            fixed_rate: 0.05,
            reservoir_size: 1,
            service_name: "*".into(),
            service_type: "*".into(),
            host: "*".into(),
            http_method: "*".into(),
            url_path: "*".into(),
            version: 1,
            attributes: BTreeMap::new(),
            tags: Vec::new(),
            created_ms: 0,
            modified_ms: 0,
        }
    }

    pub fn arn(&self, region: &str, account: &str) -> String {
        format!("arn:{}:xray:{region}:{account}:sampling-rule/{}", skywatch_model::partition(region), self.name)
    }
}

/// The members of a rule a create or update may set.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleFields {
    pub rule_name: Option<String>,
    pub rule_arn: Option<String>,
    pub resource_arn: Option<String>,
    pub priority: Option<i64>,
    pub fixed_rate: Option<f64>,
    pub reservoir_size: Option<i64>,
    pub service_name: Option<String>,
    pub service_type: Option<String>,
    pub host: Option<String>,
    pub http_method: Option<String>,
    pub url_path: Option<String>,
    pub version: Option<i64>,
    pub attributes: Option<BTreeMap<String, String>>,
}

fn text(name: &str, value: &Option<String>, max: usize) -> Result<(), String> {
    match value {
        Some(v) if v.chars().count() > max => Err(format!("{name} must be at most {max} characters")),
        Some(v) if name == "RuleName" && v.is_empty() => Err("RuleName must not be empty".into()),
        _ => Ok(()),
    }
}

/// Checks each member that is present against X-Ray's bounds.
pub fn check(fields: &RuleFields) -> Result<(), String> {
    text("RuleName", &fields.rule_name, 32)?;
    text("RuleARN", &fields.rule_arn, 500)?;
    text("ResourceARN", &fields.resource_arn, 500)?;
    text("ServiceName", &fields.service_name, 64)?;
    text("ServiceType", &fields.service_type, 64)?;
    text("Host", &fields.host, 64)?;
    text("HTTPMethod", &fields.http_method, 10)?;
    text("URLPath", &fields.url_path, 128)?;
    if let Some(priority) = fields.priority
        && !(1..=9999).contains(&priority)
    {
        return Err("Priority must be between 1 and 9999".into());
    }
    if let Some(rate) = fields.fixed_rate
        && !(0.0..=1.0).contains(&rate)
    {
        return Err("FixedRate must be between 0 and 1".into());
    }
    if fields.reservoir_size.is_some_and(|r| r < 0) {
        return Err("ReservoirSize must be 0 or more".into());
    }
    if fields.version.is_some_and(|v| v != 1) {
        return Err("Version must be 1".into());
    }
    if let Some(attributes) = &fields.attributes {
        if attributes.len() > 5 {
            return Err("Attributes: at most 5".into());
        }
        if attributes.iter().any(|(k, v)| !(1..=32).contains(&k.len()) || !(1..=32).contains(&v.len())) {
            return Err("Attributes: keys and values must be 1 to 32 characters".into());
        }
    }
    Ok(())
}

/// Whether `value` matches `pattern` with `*` (any run) and `?` (one character), ignoring case, as the SDKs match.
pub fn wildcard(pattern: &str, value: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let value: Vec<char> = value.to_lowercase().chars().collect();
    let (mut p, mut v) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while v < value.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == value[v]) {
            p += 1;
            v += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = v;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            v = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Rules in the order clients apply them: priority, then name; Default last.
pub fn in_order(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.name.cmp(&b.name)));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_the_sdks_match() {
        for (pattern, value, expected) in [
            ("*", "", true),
            ("*", "anything", true),
            ("/api/*", "/api/cart", true),
            ("/api/*", "/web/cart", false),
            ("GET", "get", true),
            ("?ET", "GET", true),
            ("?ET", "POST", false),
            ("shop-*-api", "shop-orders-api", true),
            ("shop-*-api", "shop-orders-web", false),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
            ("", "", true),
            ("", "x", false),
        ] {
            assert_eq!(wildcard(pattern, value), expected, "{pattern} ~ {value}");
        }
    }

    #[test]
    fn members_are_checked_against_x_rays_bounds() {
        let ok =
            RuleFields { rule_name: Some("r".into()), priority: Some(1), fixed_rate: Some(1.0), ..Default::default() };
        assert_eq!(check(&ok), Ok(()));
        let cases = [
            (RuleFields { rule_name: Some("x".repeat(33)), ..Default::default() }, "RuleName"),
            (RuleFields { priority: Some(10_000), ..Default::default() }, "Priority"),
            (RuleFields { fixed_rate: Some(1.5), ..Default::default() }, "FixedRate"),
            (RuleFields { reservoir_size: Some(-1), ..Default::default() }, "ReservoirSize"),
            (RuleFields { http_method: Some("x".repeat(11)), ..Default::default() }, "HTTPMethod"),
            (RuleFields { url_path: Some("x".repeat(129)), ..Default::default() }, "URLPath"),
            (RuleFields { version: Some(2), ..Default::default() }, "Version"),
        ];
        for (fields, member) in cases {
            assert!(check(&fields).unwrap_err().starts_with(member), "{member}");
        }
    }

    #[test]
    fn rules_apply_by_priority_then_name_with_default_last() {
        let rule = |name: &str, priority| Rule { name: name.into(), priority, ..Rule::default_rule() };
        let ordered = in_order(vec![Rule::default_rule(), rule("b", 5), rule("a", 5), rule("c", 1)]);
        let names: Vec<&str> = ordered.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["c", "a", "b", "Default"]);
    }
}
