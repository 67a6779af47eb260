//! A resource's compliance, server side: each rule's current result (GetComplianceDetailsByResource), and its
//! compliance over time from the `AWS::Config::ResourceCompliance` items the engine records, as AWS Config does,
//! whenever a resource's results change (GetResourceConfigHistory of `<type>/<id>`; none yet is
//! ResourceNotDiscovered).

use std::collections::BTreeMap;

use leptos::prelude::*;
use skywatch_core::Services;
use skywatch_core::config::model::Item;
use skywatch_core::config::{
    DetailsByResourceInput, GetComplianceDetailsByResource, GetResourceConfigHistory, GetResourceConfigHistoryInput,
    ListDiscoveredResources, ListDiscoveredResourcesInput,
};
use skywatch_core::ops::Context;

use super::{ComplianceChangeView, ComplianceMarker, RuleResult};
use crate::api::ssr;

/// The resource type of compliance items.
pub const RESOURCE_COMPLIANCE: &str = "AWS::Config::ResourceCompliance";
/// Compliance items of one resource read at most (newest first, pages of 100).
pub const MAX_ITEMS: usize = 1_000;
/// Pages of results read at most.
const MAX_PAGES: usize = 10;

/// The id of a resource's compliance item.
pub fn compliance_id(resource_type: &str, resource_id: &str) -> String {
    format!("{resource_type}/{resource_id}")
}

/// Every compliance item of a resource (the newest [`MAX_ITEMS`]), oldest first; none when it has none yet.
pub async fn items(
    services: &Services,
    ctx: &Context,
    resource_type: &str,
    resource_id: &str,
) -> Result<Vec<Item>, ServerFnError> {
    let mut items = Vec::new();
    let mut next_token = None;
    loop {
        let input = GetResourceConfigHistoryInput {
            resource_type: RESOURCE_COMPLIANCE.to_owned(),
            resource_id: compliance_id(resource_type, resource_id),
            chronological_order: Some("Reverse".into()),
            limit: Some(100),
            next_token,
            ..Default::default()
        };
        let page = match services.invoke::<GetResourceConfigHistory>(ctx, input).await {
            Ok(page) => page,
            Err(failure) if failure.code().code == "ResourceNotDiscoveredException" => break,
            Err(failure) => return Err(ssr::failed(failure)),
        };
        items.extend(page.items);
        next_token = page.next_token;
        if next_token.is_none() || items.len() >= MAX_ITEMS {
            break;
        }
    }
    items.reverse();
    Ok(items)
}

/// One item's overall compliance and its rules' (compliance, annotation).
fn parse(item: &Item) -> (String, BTreeMap<String, (String, Option<String>)>) {
    let Some(configuration) = &item.configuration else {
        return ("INSUFFICIENT_DATA".to_owned(), BTreeMap::new());
    };
    let text = |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_owned);
    let overall = text(configuration, "complianceType").unwrap_or_else(|| "INSUFFICIENT_DATA".to_owned());
    let rules = configuration
        .get("configRuleList")
        .and_then(|l| l.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|r| {
                    let name = text(r, "configRuleName")?;
                    let compliance = text(r, "complianceType").unwrap_or_else(|| "INSUFFICIENT_DATA".to_owned());
                    Some((name, (compliance, text(r, "annotation"))))
                })
                .collect()
        })
        .unwrap_or_default();
    (overall, rules)
}

/// The compliance lane's markers and every rule's change, oldest first, from compliance items oldest first.
pub fn changes(items: &[Item]) -> (Vec<ComplianceMarker>, Vec<ComplianceChangeView>) {
    let mut markers = Vec::with_capacity(items.len());
    let mut changes = Vec::new();
    let mut before: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for item in items {
        let (overall, rules) = parse(item);
        markers.push(ComplianceMarker { time_ms: item.capture_ms, compliance: overall });
        for (rule, (compliance, annotation)) in &rules {
            let previous = before.get(rule).map(|(c, _)| c.clone());
            if previous.as_ref() != Some(compliance) {
                changes.push(ComplianceChangeView {
                    time_ms: item.capture_ms,
                    rule: rule.clone(),
                    before: previous,
                    after: Some(compliance.clone()),
                    annotation: annotation.clone(),
                });
            }
        }
        for (rule, (compliance, _)) in &before {
            if !rules.contains_key(rule) {
                changes.push(ComplianceChangeView {
                    time_ms: item.capture_ms,
                    rule: rule.clone(),
                    before: Some(compliance.clone()),
                    after: None,
                    annotation: None,
                });
            }
        }
        before = rules;
    }
    (markers, changes)
}

/// Each rule's current result on the resource.
pub async fn rule_results(
    services: &Services,
    ctx: &Context,
    resource_type: &str,
    resource_id: &str,
) -> Result<Vec<RuleResult>, ServerFnError> {
    let mut results = Vec::new();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let input = DetailsByResourceInput {
            resource_type: resource_type.to_owned(),
            resource_id: resource_id.to_owned(),
            compliance_types: Vec::new(),
            next_token,
        };
        let page = services.invoke::<GetComplianceDetailsByResource>(ctx, input).await.map_err(ssr::failed)?;
        results.extend(page.results.into_iter().map(|e| RuleResult {
            rule: e.rule,
            compliance: e.compliance.as_str().to_owned(),
            annotation: e.annotation,
            recorded_ms: e.recorded_ms,
        }));
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    results.sort_by(|a, b| a.rule.cmp(&b.rule));
    Ok(results)
}

/// Resources whose compliance the dashboard replays at most.
pub const MAX_TRACKED: usize = 300;
/// Points of the compliance-over-time chart.
pub const POINTS: usize = 60;

/// Compliant and non-compliant resources at each of [`POINTS`] times over `window`, replaying each resource's
/// compliance items (oldest first): at a time, a resource counts by its newest item then.
pub fn replay(histories: &[Vec<(i64, String)>], window: (i64, i64)) -> Vec<(i64, usize, usize)> {
    let span = (window.1 - window.0).max(1);
    (0..POINTS)
        .map(|i| {
            let at = window.0 + span * i as i64 / (POINTS as i64 - 1);
            let (mut compliant, mut non_compliant) = (0, 0);
            for history in histories {
                match history.iter().rev().find(|(t, _)| *t <= at).map(|(_, c)| c.as_str()) {
                    Some("COMPLIANT") => compliant += 1,
                    Some("NON_COMPLIANT") => non_compliant += 1,
                    _ => {}
                }
            }
            (at, compliant, non_compliant)
        })
        .collect()
}

/// Every resource's compliance over `window`: the compliance items of at most [`MAX_TRACKED`] resources (each
/// one's newest 100 up to the window's end), replayed. Also whether resources were left out.
pub async fn over_time(
    services: &Services,
    ctx: &Context,
    window: (i64, i64),
) -> Result<(Vec<(i64, usize, usize)>, usize, bool), ServerFnError> {
    let mut ids = Vec::new();
    let mut next_token = None;
    let mut capped = false;
    loop {
        let input = ListDiscoveredResourcesInput {
            resource_type: RESOURCE_COMPLIANCE.to_owned(),
            include_deleted_resources: true,
            next_token,
            ..Default::default()
        };
        let page = match services.invoke::<ListDiscoveredResources>(ctx, input).await {
            Ok(page) => page,
            // Without a recorder there is no compliance to chart: an empty chart, not a failed page.
            Err(failure) if failure.code().code == "NoAvailableConfigurationRecorderException" => break,
            Err(failure) => return Err(ssr::failed(failure)),
        };
        ids.extend(page.resources.into_iter().map(|r| r.resource_id));
        next_token = page.next_token;
        if ids.len() >= MAX_TRACKED {
            capped = ids.len() > MAX_TRACKED || next_token.is_some();
            ids.truncate(MAX_TRACKED);
            break;
        }
        if next_token.is_none() {
            break;
        }
    }
    let mut histories = Vec::with_capacity(ids.len());
    for id in &ids {
        let input = GetResourceConfigHistoryInput {
            resource_type: RESOURCE_COMPLIANCE.to_owned(),
            resource_id: id.clone(),
            later_time_ms: Some(window.1),
            chronological_order: Some("Reverse".into()),
            limit: Some(100),
            ..Default::default()
        };
        let page = match services.invoke::<GetResourceConfigHistory>(ctx, input).await {
            Ok(page) => page,
            Err(failure) if failure.code().code == "ResourceNotDiscoveredException" => continue,
            Err(failure) => return Err(ssr::failed(failure)),
        };
        let mut history: Vec<(i64, String)> = page.items.iter().map(|item| (item.capture_ms, parse(item).0)).collect();
        history.reverse();
        histories.push(history);
    }
    Ok((replay(&histories, window), ids.len(), capped))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use skywatch_core::config::model::ItemStatus;

    use super::*;

    fn item(at: i64, configuration: Option<serde_json::Value>) -> Item {
        Item {
            version: "1.3".into(),
            account_id: "123456789012".into(),
            aws_region: "us-east-1".into(),
            resource_type: RESOURCE_COMPLIANCE.into(),
            resource_id: "AWS::EC2::SecurityGroup/sg-1".into(),
            resource_name: None,
            arn: None,
            availability_zone: None,
            capture_ms: at,
            status: ItemStatus::Ok,
            resource_creation_ms: None,
            tags: Default::default(),
            related_events: Vec::new(),
            relationships: Vec::new(),
            configuration,
            supplementary: Default::default(),
            schema_version_id: None,
        }
    }

    fn rules(list: &[(&str, &str)]) -> serde_json::Value {
        let overall = if list.iter().any(|(_, c)| *c == "NON_COMPLIANT") { "NON_COMPLIANT" } else { "COMPLIANT" };
        json!({
            "complianceType": overall,
            "configRuleList": list.iter().map(|(n, c)| json!({"configRuleName": n, "complianceType": c, "annotation": format!("{n} says {c}")})).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn each_rules_flip_is_a_change() {
        let items = vec![
            item(10, Some(rules(&[("restricted-ssh", "COMPLIANT")]))),
            item(20, Some(rules(&[("restricted-ssh", "NON_COMPLIANT"), ("tagged", "COMPLIANT")]))),
            item(30, Some(rules(&[("restricted-ssh", "COMPLIANT"), ("tagged", "COMPLIANT")]))),
            item(40, Some(rules(&[("restricted-ssh", "COMPLIANT")]))),
        ];
        let (markers, changes) = changes(&items);
        assert_eq!(
            markers.iter().map(|m| m.compliance.as_str()).collect::<Vec<_>>(),
            ["COMPLIANT", "NON_COMPLIANT", "COMPLIANT", "COMPLIANT"]
        );
        let words: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {}: {:?} -> {:?}", c.time_ms, c.rule, c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            words,
            [
                "10 restricted-ssh: None -> Some(\"COMPLIANT\")",
                "20 restricted-ssh: Some(\"COMPLIANT\") -> Some(\"NON_COMPLIANT\")",
                "20 tagged: None -> Some(\"COMPLIANT\")",
                "30 restricted-ssh: Some(\"NON_COMPLIANT\") -> Some(\"COMPLIANT\")",
                "40 tagged: Some(\"COMPLIANT\") -> None",
            ]
        );
        assert_eq!(changes[1].annotation.as_deref(), Some("restricted-ssh says NON_COMPLIANT"));
    }

    #[test]
    fn compliance_is_replayed_over_the_window() {
        let histories = vec![
            vec![(0, "COMPLIANT".to_owned()), (500, "NON_COMPLIANT".to_owned()), (700, "COMPLIANT".to_owned())],
            vec![(300, "NON_COMPLIANT".to_owned())],
            vec![(2_000, "COMPLIANT".to_owned())],
        ];
        let points = replay(&histories, (0, 1_180));
        assert_eq!(points.len(), POINTS);
        let at = |ms: i64| points.iter().rev().find(|p| p.0 <= ms).map(|p| (p.1, p.2));
        assert_eq!(at(0), Some((1, 0)));
        assert_eq!(at(400), Some((1, 1)));
        assert_eq!(at(600), Some((0, 2)));
        assert_eq!(at(1_180), Some((1, 1)));
    }
}
