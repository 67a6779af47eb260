//! AWS Config › Rules: how many rules and resources are compliant and not, then every rule in a dense table (its
//! source, what triggers it, its compliance with the non-compliant resource count, its last successful
//! evaluation and last error, its remediation), filtered by compliance in the URL (`compliance=NON_COMPLIANT`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ComplianceBadge, RULES_PATH, maybe_time, rule_href};
use crate::api::{RulesOverview, config_rules};
use crate::components::query::{href, use_region};

/// The compliance filters offered: (URL value, label).
pub const COMPLIANCE_FILTERS: [(&str, &str); 4] =
    [("", "All"), ("NON_COMPLIANT", "Noncompliant"), ("COMPLIANT", "Compliant"), ("INSUFFICIENT_DATA", "No results")];

#[component]
pub fn RulesPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let rules = Resource::new(
        move || (region.get(), query.read().get("account"), query.read().get("compliance").unwrap_or_default()),
        |(region, account, compliance)| config_rules(region, account, compliance),
    );
    view! {
        <Title text="AWS Config rules"/>
        <div class="breadcrumb">"AWS Config › Rules"</div>
        <h1 data-testid="page-title">"Rules"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the rules…"</p> }>
            {move || Suspend::new(async move {
                match rules.await {
                    Ok(rules) => view! { <Rules rules=rules/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="rules-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// A managed rule's identifier, which may break after its underscores (not inside its words).
fn breakable(text: &str) -> impl IntoView + use<> {
    let parts: Vec<String> = text.split_inclusive('_').map(str::to_owned).collect();
    parts.into_iter().map(|part| view! { {part}<wbr/> }).collect_view()
}

#[component]
fn Rules(rules: RulesOverview) -> impl IntoView {
    let query = use_query_map();
    let chosen = query.read_untracked().get("compliance").unwrap_or_default();
    let RulesOverview {
        compliant_rules,
        non_compliant_rules,
        compliant_resources,
        non_compliant_resources,
        rules,
        total,
    } = rules;
    let shown = rules.len();
    let filters = COMPLIANCE_FILTERS
        .iter()
        .map(|(value, label)| {
            let link = href(RULES_PATH, &query.read_untracked(), &[("compliance", value)]);
            let class = if chosen == *value { "active" } else { "" };
            view! { <a href=link class=class data-testid="compliance-filter" data-value=*value>{*label}</a> }
        })
        .collect_view();
    let body = if rules.is_empty() {
        let text = if total == 0 {
            "No Config rules in this account and region. Add one with aws configservice put-config-rule."
        } else {
            "No rules match the filter."
        };
        view! { <p class="empty" data-testid="rules-empty">{text}</p> }.into_any()
    } else {
        view! {
            <table class="grid cfg-rules" data-testid="rules-table">
                <thead><tr>
                    <th>"Name"</th><th>"Source"</th><th>"Trigger"</th><th>"Compliance"</th>
                    <th>"Last evaluation (UTC)"</th><th>"Last error"</th><th>"Remediation"</th>
                </tr></thead>
                <tbody>
                    {rules.into_iter().map(|rule| {
                        let link = rule_href(&rule.name, &query.read_untracked());
                        let source_class = match rule.source_kind.as_str() {
                            "guard" => "small nowrap",
                            "managed" => "mono small",
                            _ => "mono small id-cell",
                        };
                        view! {
                            <tr data-testid="rule-row" data-name=rule.name.clone()>
                                <td class="nowrap"><a href=link data-testid="rule-link">{rule.name.clone()}</a></td>
                                <td class=source_class data-testid="rule-source">{breakable(&rule.source)}</td>
                                <td class="small nowrap" data-testid="rule-trigger">{rule.triggers.join(", ")}</td>
                                <td class="nowrap"><ComplianceBadge compliance=rule.compliance.clone() count=rule.non_compliant/></td>
                                <td class="small nowrap" data-testid="rule-last-success">{maybe_time(rule.last_success_ms)}</td>
                                <td class="small error-text" data-testid="rule-last-error">{rule.last_error.clone().unwrap_or_default()}</td>
                                <td class="small" data-testid="rule-remediation">{rule.remediation.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel" data-testid="rules-summary">
            <div class="panel-body stat-cards">
                <div class="stat"><div class="muted small">"Compliant rules"</div><div class="stat-value cfg-ok-text" data-testid="compliant-rules">{compliant_rules}</div></div>
                <div class="stat"><div class="muted small">"Noncompliant rules"</div><div class="stat-value cfg-bad-text" data-testid="non-compliant-rules">{non_compliant_rules}</div></div>
                <div class="stat"><div class="muted small">"Compliant resources"</div><div class="stat-value cfg-ok-text" data-testid="compliant-resources">{compliant_resources}</div></div>
                <div class="stat"><div class="muted small">"Noncompliant resources"</div><div class="stat-value cfg-bad-text" data-testid="non-compliant-resources">{non_compliant_resources}</div></div>
            </div>
        </section>
        <section class="panel" data-testid="rules-panel">
            <header class="panel-header">
                <h2>"Rules " <span class="count" data-testid="rules-count">{format!("({shown})")}</span></h2>
                <span class="spacer"></span>
                <div class="segmented light" role="group" aria-label="Compliance">{filters}</div>
            </header>
            {body}
        </section>
    }
    .into_any()
}
