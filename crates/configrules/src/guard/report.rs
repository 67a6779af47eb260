//! From cfn-guard's structured summary to a verdict. The summary is a list with one file report
//! whose `status` combines the rules' statuses (any rule FAIL makes it FAIL, else any PASS makes it
//! PASS, else SKIP): FAIL is NON_COMPLIANT, PASS is COMPLIANT, SKIP (every rule's `when` conditions
//! false, or no rules) is NOT_APPLICABLE. A NON_COMPLIANT verdict's annotation names the failed
//! rules and the first failed check's custom message (`<< … >>`), or cfn-guard's own message for it.
//!
//! The report quotes the data it checked, so it can nest deeper than serde_json reads into a
//! `Value` (128 levels): the status and rule names are read with everything else skipped (serde_json
//! skips without recursing), and the message only when the whole report reads.

use crate::compliance::Verdict;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

#[derive(Deserialize)]
struct FileReport {
    status: String,
    #[serde(default)]
    not_compliant: Vec<Failure>,
}

/// One entry of `not_compliant`: `{"Rule": {...}}` (other kinds are not rules).
#[derive(Deserialize)]
struct Failure {
    #[serde(rename = "Rule")]
    rule: Option<FailedRule>,
}

#[derive(Deserialize)]
struct FailedRule {
    name: String,
    #[serde(default, rename = "checks")]
    _checks: IgnoredAny,
}

/// The verdict of a summary.
pub(super) fn verdict(summary: &str) -> Verdict {
    let reports: Vec<FileReport> = match serde_json::from_str(summary) {
        Ok(r) => r,
        Err(e) => return Verdict::insufficient_data(format!("cfn-guard's summary could not be read: {e}")),
    };
    let Some(report) = reports.first() else {
        return Verdict::insufficient_data("cfn-guard returned an empty summary.");
    };
    match report.status.as_str() {
        "PASS" => Verdict::compliant(),
        "SKIP" => Verdict::not_applicable(),
        "FAIL" => Verdict::non_compliant(failure_annotation(report, summary)),
        other => Verdict::insufficient_data(format!("cfn-guard returned the status {other}.")),
    }
}

fn failure_annotation(report: &FileReport, summary: &str) -> String {
    let names: Vec<&str> =
        report.not_compliant.iter().filter_map(|f| f.rule.as_ref()).map(|r| r.name.as_str()).collect();
    if names.is_empty() {
        return "The policy's rules failed.".to_string();
    }
    let mut text = format!("Failed rule{} {}", if names.len() == 1 { "" } else { "s" }, names.join(", "));
    if let Some(message) = first_failure_message(summary) {
        text.push_str(": ");
        text.push_str(message.trim());
    }
    text
}

/// The first failed rule's first custom message, else cfn-guard's message, when the summary reads
/// as a `Value`.
fn first_failure_message(summary: &str) -> Option<String> {
    let value: Value = serde_json::from_str(summary).ok()?;
    let rule = value.get(0)?.get("not_compliant")?.as_array()?.iter().find_map(|f| f.get("Rule"))?;
    first_string(rule, "custom_message").or_else(|| first_string(rule, "error_message")).map(str::to_string)
}

/// The first non-blank string under `key` in `value`, depth first.
fn first_string<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(s)) = map.get(key)
                && !s.trim().is_empty()
            {
                return Some(s);
            }
            map.values().find_map(|v| first_string(v, key))
        }
        Value::Array(items) => items.iter().find_map(|v| first_string(v, key)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::Compliance;

    #[test]
    fn statuses() {
        assert_eq!(verdict(r#"[{"status": "PASS"}]"#).compliance, Compliance::Compliant);
        assert_eq!(verdict(r#"[{"status": "SKIP", "not_compliant": []}]"#).compliance, Compliance::NotApplicable);
        assert_eq!(verdict("[]").compliance, Compliance::InsufficientData);
        assert_eq!(verdict("{").compliance, Compliance::InsufficientData);
        let failed = r#"[{"status": "FAIL", "not_compliant": [{"Rule": {"name": "r", "checks": [{"Clause": {"messages": {"custom_message": " fix it ", "error_message": "e"}}}]}}]}]"#;
        let v = verdict(failed);
        assert_eq!(v.compliance, Compliance::NonCompliant);
        assert_eq!(v.annotation.as_deref(), Some("Failed rule r: fix it"));
    }

    #[test]
    fn deep_reports_still_give_a_status() {
        let deep = format!(
            r#"[{{"status": "FAIL", "not_compliant": [{{"Rule": {{"name": "r", "checks": {}1{}}}}}]}}]"#,
            "[".repeat(300),
            "]".repeat(300)
        );
        let v = verdict(&deep);
        assert_eq!(v.compliance, Compliance::NonCompliant);
        assert_eq!(v.annotation.as_deref(), Some("Failed rule r"));
    }
}
