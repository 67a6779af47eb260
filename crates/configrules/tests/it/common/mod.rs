//! Helpers the table-driven tests share: configuration items in the API's shape, and a runner that
//! evaluates a table of cases and reports every mismatch at once.
#![allow(dead_code)]

use serde_json::{Value, json};
use skywatch_configrules::{Compliance, Verdict, managed_rule};

/// A configuration item of `resource_type` with `configuration`, as AWS Config records one.
pub fn ci(resource_type: &str, configuration: Value) -> Value {
    json!({
        "version": "1.3",
        "accountId": "123456789012",
        "configurationItemCaptureTime": "2026-12-06T17:00:00.000Z",
        "configurationItemStatus": "OK",
        "configurationStateId": "1765040400000",
        "arn": "arn:aws:test:us-east-1:123456789012:resource/r-1",
        "resourceType": resource_type,
        "resourceId": "r-1",
        "resourceName": "r",
        "awsRegion": "us-east-1",
        "availabilityZone": "Not Applicable",
        "tags": {},
        "relationships": [],
        "configuration": configuration,
        "supplementaryConfiguration": {}
    })
}

/// `item` with `key` set to `value` (a top-level field).
pub fn with(mut item: Value, key: &str, value: Value) -> Value {
    if let Some(o) = item.as_object_mut() {
        o.insert(key.to_string(), value);
    }
    item
}

/// `item` with one supplementary configuration entry.
pub fn supp(mut item: Value, key: &str, value: Value) -> Value {
    if let Some(s) = item.get_mut("supplementaryConfiguration").and_then(Value::as_object_mut) {
        s.insert(key.to_string(), value);
    }
    item
}

/// `item` as AWS Config records a deleted resource.
pub fn deleted(item: Value) -> Value {
    with(with(item, "configurationItemStatus", json!("ResourceDeleted")), "configuration", Value::Null)
}

/// One row of a table: the item, the expected compliance and, optionally, a fragment the
/// annotation must contain.
pub struct Case {
    pub name: &'static str,
    pub item: Value,
    pub expect: Compliance,
    pub annotation: Option<&'static str>,
}

pub fn case(name: &'static str, item: Value, expect: Compliance) -> Case {
    Case { name, item, expect, annotation: None }
}

pub fn case_with(name: &'static str, item: Value, expect: Compliance, annotation: &'static str) -> Case {
    Case { name, item, expect, annotation: Some(annotation) }
}

/// Evaluates every case with the rule and its parameters; panics listing each mismatch.
pub fn run_table(identifier: &str, input_parameters: Option<&str>, cases: Vec<Case>) {
    let Some(rule) = managed_rule(identifier) else { panic!("no managed rule {identifier}") };
    let parameters = match rule.parameters(input_parameters) {
        Ok(p) => p,
        Err(e) => panic!("{identifier}: parameters {input_parameters:?} refused: {e}"),
    };
    let mut failures = Vec::new();
    for c in cases {
        let verdict = rule.evaluate(&parameters, &c.item);
        if let Some(problem) = mismatch(&verdict, c.expect, c.annotation) {
            failures.push(format!("{identifier} / {}: {problem}", c.name));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// Why `verdict` is not the expected one, if it is not.
pub fn mismatch(verdict: &Verdict, expect: Compliance, annotation: Option<&str>) -> Option<String> {
    if verdict.compliance != expect {
        return Some(format!("expected {expect}, got {} ({:?})", verdict.compliance, verdict.annotation));
    }
    match (annotation, &verdict.annotation) {
        (Some(fragment), Some(text)) if !text.contains(fragment) => {
            Some(format!("annotation {text:?} lacks {fragment:?}"))
        }
        (Some(fragment), None) => Some(format!("no annotation, expected one with {fragment:?}")),
        _ => None,
    }
}

/// The refusal message of `input` for the rule (panics when accepted).
pub fn refusal(identifier: &str, input: &str) -> (String, String) {
    let Some(rule) = managed_rule(identifier) else { panic!("no managed rule {identifier}") };
    match rule.parameters(Some(input)) {
        Ok(p) => panic!("{identifier}: {input} accepted as {p:?}"),
        Err(e) => (e.code().to_string(), e.message().to_string()),
    }
}
