//! AWS Config › Resources › one resource (`/config/resources/resource?type=&id=`; ids can be ARNs, so both stay
//! query values): its type, id, name, ARN and current status, its tags and relationships (each linked to the
//! related resource's page), the configuration timeline (`from=`, `to=`), the changes from `at=` with their diffs
//! and causes, and the newest configuration as JSON.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::changes::ChangeList;
use super::timeline::Timeline;
use super::{ComplianceBadge, StatusBadge, inventory_href, maybe_time, resource_href, rule_href, time_utc};
use crate::api::{RelationshipView, ResourceDetail, RuleResult, config_resource};
use crate::components::query::{href, use_region};

#[component]
pub fn ResourcePage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let param = move |key: &str| query.read().get(key).unwrap_or_default();
    let number = move |key: &str| query.read().get(key).and_then(|v| v.parse::<i64>().ok());
    let detail = Resource::new(
        move || {
            (
                region.get(),
                query.read().get("account"),
                param("type"),
                param("id"),
                number("from"),
                number("to"),
                number("at"),
            )
        },
        |(region, account, resource_type, id, from, to, at)| {
            config_resource(region, account, resource_type, id, from, to, at)
        },
    );
    let type_link = move || inventory_href(&param("type"), &query.read());
    view! {
        <Title text=move || format!("{} {}", param("type"), param("id"))/>
        <div class="breadcrumb">
            "AWS Config › "
            <a href=move || href(super::INVENTORY_PATH, &query.read(), &[])>"Resources"</a>
            " › "
            <a href=type_link data-testid="breadcrumb-type">{move || param("type")}</a>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading the resource…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <Detail detail=detail/> }.into_any(),
                    Err(e) => view! {
                        <h1 data-testid="page-title" class="mono-title">{param("id")}</h1>
                        <div class="error" role="alert" data-testid="resource-error">{e.to_string()}</div>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

fn fact(term: &'static str, value: impl IntoView + 'static, test_id: &'static str) -> impl IntoView {
    view! { <dt>{term}</dt><dd data-testid=test_id>{value}</dd> }
}

fn relationship_row(relationship: RelationshipView, query: &leptos_router::params::ParamsMap) -> impl IntoView + use<> {
    let link = resource_href(&relationship.resource_type, &relationship.resource_id, query);
    let label = relationship.resource_name.clone().unwrap_or_else(|| relationship.resource_id.clone());
    view! {
        <tr data-testid="relationship" data-id=relationship.resource_id.clone()>
            <td class="small">{relationship.name}</td>
            <td class="mono small nowrap">{relationship.resource_type}</td>
            <td class="mono small id-cell"><a href=link data-testid="relationship-link">{label}</a></td>
        </tr>
    }
}

#[component]
fn Detail(mut detail: ResourceDetail) -> impl IntoView {
    let query = use_query_map();
    // A name reads as a title; an id (often an ARN) as code.
    let (title, title_class) = match &detail.resource_name {
        Some(name) => (name.clone(), ""),
        None => (detail.resource_id.clone(), "mono-title"),
    };
    let selected = query.read_untracked().get("at").and_then(|v| v.parse::<i64>().ok());
    let listed = match (detail.changes.first(), detail.changes.last()) {
        (Some(newest), Some(oldest)) => Some((newest.capture_ms, oldest.capture_ms)),
        _ => None,
    };
    let selected = selected.or_else(|| detail.changes.first().map(|c| c.capture_ms));
    let deleted = detail.status == "ResourceDeleted";
    let status = detail.status.clone();
    let (markers, changes) = (std::mem::take(&mut detail.markers), std::mem::take(&mut detail.changes));
    let rule_results = std::mem::take(&mut detail.rule_results);
    let compliance_markers = std::mem::take(&mut detail.compliance_markers);
    let compliance_changes = std::mem::take(&mut detail.compliance_changes);
    let is_compliance_item = detail.resource_type == "AWS::Config::ResourceCompliance";
    let (configuration, supplementary) = (detail.configuration.take(), detail.supplementary.take());
    let ResourceDetail { window, extent, history_capped, in_window, newer, older, .. } = detail;
    view! {
        <div class="title-row">
            <h1 data-testid="page-title" class=title_class>{title}</h1>
            <StatusBadge status=status/>
        </div>
        <Head detail=detail/>
        {(!is_compliance_item).then(|| view! { <CompliancePanel results=rule_results/> })}
        <section class="panel cfg-timeline-panel" data-testid="timeline-panel">
            <header class="panel-header">
                <h2>"Configuration timeline"</h2>
                {history_capped.then(|| view! { <span class="muted small" data-testid="history-capped">"The newest 1,000 configuration items."</span> })}
            </header>
            <div class="panel-body">
                <Timeline markers=markers compliance=compliance_markers window=window extent=extent listed=listed selected=selected/>
            </div>
        </section>
        <ChangeList changes=changes compliance=compliance_changes in_window=in_window newer=newer older=older selected=selected/>
        <Configuration configuration=configuration supplementary=supplementary deleted=deleted/>
    }
    .into_any()
}

/// The resource's facts, tags and relationships.
#[component]
fn Head(detail: ResourceDetail) -> impl IntoView {
    let query = use_query_map();
    let deleted = detail.status == "ResourceDeleted";
    view! {
        <div class="two-columns cfg-resource-head">
            <section class="panel" data-testid="resource-details">
                <header class="panel-header"><h2>"Resource"</h2></header>
                <div class="panel-body">
                    <dl class="facts">
                        {fact("Resource type", view! { <a class="mono" href=inventory_href(&detail.resource_type, &query.read_untracked())>{detail.resource_type.clone()}</a> }, "resource-type")}
                        {fact("Resource ID", view! { <span class="mono">{detail.resource_id.clone()}</span> }, "resource-id")}
                        {fact("Name", detail.resource_name.clone().unwrap_or_else(|| "–".into()), "resource-name")}
                        {fact("ARN", view! { <span class="mono">{detail.arn.clone().unwrap_or_else(|| "–".into())}</span> }, "resource-arn")}
                        {fact("Status", view! { <StatusBadge status=detail.status.clone()/> }, "resource-status")}
                        {fact("Account / region", format!("{} / {}", detail.account, detail.region), "resource-scope")}
                        {detail.availability_zone.clone().map(|az| fact("Availability zone", az, "resource-az"))}
                        {fact("Created (UTC)", maybe_time(detail.created_ms), "resource-created")}
                    </dl>
                    {deleted.then(|| view! { <p class="muted small">"Deleted: the configuration below is the last one recorded."</p> })}
                </div>
            </section>
            <div class="cfg-side">
                <Tags tags=detail.tags/>
                <Relationships relationships=detail.relationships/>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn Tags(tags: Vec<(String, String)>) -> impl IntoView {
    let count = tags.len();
    view! {
        <section class="panel" data-testid="resource-tags">
            <header class="panel-header"><h2>"Tags " <span class="count">{format!("({count})")}</span></h2></header>
            {if tags.is_empty() {
                view! { <p class="panel-body muted small">"No tags."</p> }.into_any()
            } else {
                view! {
                    <table class="grid compact-grid">
                        <thead><tr><th>"Key"</th><th>"Value"</th></tr></thead>
                        <tbody>{tags.into_iter().map(|(k, v)| view! {
                            <tr data-testid="tag"><td class="mono small">{k}</td><td class="mono small">{v}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn Relationships(relationships: Vec<RelationshipView>) -> impl IntoView {
    let query = use_query_map();
    let count = relationships.len();
    view! {
        <section class="panel" data-testid="resource-relationships">
            <header class="panel-header"><h2>"Relationships " <span class="count">{format!("({count})")}</span></h2></header>
            {if relationships.is_empty() {
                view! { <p class="panel-body muted small">"No relationships."</p> }.into_any()
            } else {
                view! {
                    <table class="grid compact-grid">
                        <thead><tr><th>"Relationship"</th><th>"Type"</th><th>"Resource"</th></tr></thead>
                        <tbody>{relationships.into_iter().map(|r| relationship_row(r, &query.read_untracked())).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// Each rule's current result on the resource.
#[component]
fn CompliancePanel(results: Vec<RuleResult>) -> impl IntoView {
    let query = use_query_map();
    let count = results.len();
    let overall = if results.iter().any(|r| r.compliance == "NON_COMPLIANT") {
        "NON_COMPLIANT"
    } else if results.iter().any(|r| r.compliance == "COMPLIANT") {
        "COMPLIANT"
    } else {
        "INSUFFICIENT_DATA"
    };
    view! {
        <section class="panel" data-testid="compliance-panel">
            <header class="panel-header">
                <h2>"Compliance " <span class="count">{format!("({count} rule{})", if count == 1 { "" } else { "s" })}</span></h2>
                <span data-testid="resource-compliance"><ComplianceBadge compliance=overall.to_owned()/></span>
            </header>
            {if results.is_empty() {
                view! { <p class="panel-body muted small" data-testid="compliance-empty">"No Config rule has evaluated this resource."</p> }.into_any()
            } else {
                view! {
                    <table class="grid compact-grid" data-testid="compliance-table">
                        <thead><tr><th>"Rule"</th><th>"Compliance"</th><th>"Annotation"</th><th>"Result recorded (UTC)"</th></tr></thead>
                        <tbody>{results.into_iter().map(|r| view! {
                            <tr data-testid="compliance-row" data-rule=r.rule.clone()>
                                <td class="nowrap"><a href=rule_href(&r.rule, &query.read_untracked()) data-testid="compliance-rule-link">{r.rule.clone()}</a></td>
                                <td class="nowrap"><ComplianceBadge compliance=r.compliance.clone()/></td>
                                <td class="small" data-testid="compliance-annotation">{r.annotation.clone().unwrap_or_default()}</td>
                                <td class="small nowrap">{time_utc(r.recorded_ms)}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// The newest configuration recorded, collapsed.
#[component]
fn Configuration(configuration: Option<String>, supplementary: Option<String>, deleted: bool) -> impl IntoView {
    view! {
        <section class="panel" data-testid="configuration-panel">
            <details class="raw cfg-configuration">
                <summary class="panel-header"><h2>{if deleted { "Last recorded configuration" } else { "Current configuration" }}</h2></summary>
                <div class="panel-body">
                    {match configuration {
                        Some(json) => view! { <pre class="json" data-testid="configuration-json">{json}</pre> }.into_any(),
                        None => view! { <p class="muted">"No configuration recorded."</p> }.into_any(),
                    }}
                    {supplementary.map(|json| view! {
                        <h3 class="section-label">"Supplementary configuration"</h3>
                        <pre class="json" data-testid="supplementary-json">{json}</pre>
                    })}
                </div>
            </details>
        </section>
    }
    .into_any()
}
