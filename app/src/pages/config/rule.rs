//! AWS Config › Rules › one rule (`/config/rules/rule?name=`): its definition (description, scope, parameters, Guard
//! policy, frequency, ARN) and evaluation status, a "Re-evaluate" button (StartConfigRulesEvaluation), its
//! per-resource results filtered by compliance in the URL (`compliance=`), and its remediation: the configuration,
//! each resource's execution with every attempt, and a "Remediate" button for each non-compliant resource.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::rules::COMPLIANCE_FILTERS;
use super::{ComplianceBadge, RULE_PATH, RULES_PATH, maybe_time, resource_href, time_utc};
use crate::api::{
    EvaluationRow, ExecutionView, RemediationView, RuleDetail, config_remediate, config_rule, config_rule_evaluate,
};
use crate::components::query::{href, use_region};

#[component]
pub fn RulePage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let name = move || query.read().get("name").unwrap_or_default();
    let version = RwSignal::new(0u32);
    // Outside the page's data, so that the refetch after an action does not drop what the action said.
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let detail = Resource::new(
        move || {
            (
                region.get(),
                query.read().get("account"),
                name(),
                query.read().get("compliance").unwrap_or_default(),
                version.get(),
            )
        },
        |(region, account, name, compliance, _)| config_rule(region, account, name, compliance),
    );
    view! {
        <Title text=move || format!("Config rule {}", name())/>
        <div class="breadcrumb">
            "AWS Config › "
            <a href=move || href(RULES_PATH, &query.read(), &[]) data-testid="breadcrumb-rules">"Rules"</a>
            " › " {name}
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading the rule…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <Detail detail=detail version=version error=error notice=notice/> }.into_any(),
                    Err(e) => view! {
                        <h1 data-testid="page-title">{name()}</h1>
                        <div class="error" role="alert" data-testid="rule-error">{e.to_string()}</div>
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

#[component]
fn Detail(
    detail: RuleDetail,
    version: RwSignal<u32>,
    error: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let name = StoredValue::new(detail.row.name.clone());
    let account = move || query.read_untracked().get("account");
    let evaluate = Action::new(move |_: &()| config_rule_evaluate(region.get_untracked(), account(), name.get_value()));
    let remediate = Action::new(move |(resource_type, resource_id): &(String, String)| {
        config_remediate(
            region.get_untracked(),
            account(),
            name.get_value(),
            resource_type.clone(),
            resource_id.clone(),
        )
    });
    Effect::new(move |_| {
        if let Some(result) = evaluate.value().get() {
            match result {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some("Evaluation started: the rule runs over every resource in its scope.".into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            version.update(|v| *v += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = remediate.value().get() {
            match result {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some("Remediation queued.".into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            version.update(|v| *v += 1);
        }
    });
    let RuleDetail {
        row,
        arn,
        id,
        state,
        description,
        scope_types,
        scope_tag,
        scope_id,
        input_parameters,
        policy,
        frequency,
        first_activated_ms,
        last_success_invocation_ms,
        last_failed_invocation_ms,
        last_failed_evaluation_ms,
        run_requested_ms,
        results,
        results_capped,
        remediation,
        executions,
    } = detail;
    let dash = |v: Option<String>| v.unwrap_or_else(|| "–".to_owned());
    let scope = if scope_types.is_empty() { "All resource types".to_owned() } else { scope_types.join(", ") };
    let can_remediate = remediation.is_some();
    view! {
        <div class="title-row">
            <h1 data-testid="page-title">{row.name.clone()}</h1>
            <ComplianceBadge compliance=row.compliance.clone() count=row.non_compliant/>
            <span class="spacer"></span>
            <div class="title-actions">
                <button class="secondary" data-testid="re-evaluate" on:click=move |_| { evaluate.dispatch(()); }>"Re-evaluate"</button>
            </div>
        </div>
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="rule-action-error">{e}</div> })}
        {move || notice.get().map(|n| view! { <div class="notice small" role="status" data-testid="rule-action-notice">{n}</div> })}
        <div class="two-columns cfg-status-panels">
            <section class="panel" data-testid="rule-details">
                <header class="panel-header"><h2>"Details"</h2></header>
                <div class="panel-body">
                    <dl class="facts">
                        {fact("Description", dash(description), "rule-description")}
                        {fact("Source", view! { <span class="mono">{row.source.clone()}</span> }, "rule-source")}
                        {fact("Trigger", row.triggers.join(", "), "rule-trigger")}
                        {fact("Frequency", dash(frequency), "rule-frequency")}
                        {fact("Scope", view! { <span class="mono">{scope}</span> }, "rule-scope")}
                        {scope_tag.map(|t| fact("Scope tag", view! { <span class="mono">{t}</span> }, "rule-scope-tag"))}
                        {scope_id.map(|t| fact("Scope resource", view! { <span class="mono">{t}</span> }, "rule-scope-id"))}
                        {fact("State", state, "rule-state")}
                        {fact("ARN", view! { <span class="mono small">{arn}</span> }, "rule-arn")}
                        {fact("ID", view! { <span class="mono small">{id}</span> }, "rule-id")}
                    </dl>
                </div>
            </section>
            <section class="panel" data-testid="rule-status">
                <header class="panel-header"><h2>"Evaluation status"</h2></header>
                <div class="panel-body">
                    <dl class="facts">
                        {fact("First activated (UTC)", maybe_time(first_activated_ms), "status-activated")}
                        {fact("Last evaluation", maybe_time(row.last_success_ms), "status-last-success")}
                        {fact("Last invocation", maybe_time(last_success_invocation_ms), "status-last-invocation")}
                        {fact("Failed invocation", maybe_time(last_failed_invocation_ms), "status-last-failed-invocation")}
                        {fact("Failed evaluation", maybe_time(last_failed_evaluation_ms), "status-last-failed")}
                        {fact("Re-evaluation asked", maybe_time(run_requested_ms), "status-run-requested")}
                        {fact("Last error", match row.last_error.clone() {
                            Some(e) => view! { <span class="error-text">{e}</span> }.into_any(),
                            None => "–".into_any(),
                        }, "status-last-error")}
                        {fact("Remediation", row.remediation.clone(), "status-remediation")}
                    </dl>
                </div>
            </section>
        </div>
        {input_parameters.map(|p| view! {
            <section class="panel" data-testid="rule-parameters">
                <header class="panel-header"><h2>"Input parameters"</h2></header>
                <pre class="code cfg-code">{p}</pre>
            </section>
        })}
        {policy.map(|p| view! {
            <section class="panel" data-testid="rule-policy">
                <header class="panel-header"><h2>"Guard policy"</h2></header>
                <pre class="code cfg-code">{p}</pre>
            </section>
        })}
        <Results results=results capped=results_capped can_remediate=can_remediate remediate=remediate/>
        <RemediationPanel remediation=remediation executions=executions/>
    }
    .into_any()
}

#[component]
fn Results(
    results: Vec<EvaluationRow>,
    capped: bool,
    can_remediate: bool,
    remediate: Action<(String, String), Result<(), ServerFnError>>,
) -> impl IntoView {
    let query = use_query_map();
    let chosen = query.read_untracked().get("compliance").unwrap_or_default();
    let name = query.read_untracked().get("name").unwrap_or_default();
    let filters = COMPLIANCE_FILTERS
        .iter()
        .chain(std::iter::once(&("NOT_APPLICABLE", "Not applicable")))
        .filter(|(value, _)| *value != "INSUFFICIENT_DATA")
        .map(|(value, label)| {
            let link = href(RULE_PATH, &query.read_untracked(), &[("name", &name), ("compliance", value)]);
            let class = if chosen == *value { "active" } else { "" };
            view! { <a href=link class=class data-testid="result-filter" data-value=*value>{*label}</a> }
        })
        .collect_view();
    let count = results.len();
    let body = if results.is_empty() {
        view! { <p class="empty" data-testid="results-empty">"No results of this compliance."</p> }.into_any()
    } else {
        view! {
            <table class="grid cfg-results" data-testid="results-table">
                <thead><tr>
                    <th>"Resource type"</th><th>"Resource ID"</th><th>"Compliance"</th><th>"Annotation"</th>
                    <th>"Result recorded (UTC)"</th><th>"Ordering time (UTC)"</th>
                    {can_remediate.then(|| view! { <th><span class="sr-only">"Remediate"</span></th> })}
                </tr></thead>
                <tbody>
                    {results.into_iter().map(|r| {
                        let link = resource_href(&r.resource_type, &r.resource_id, &query.read_untracked());
                        let key = (r.resource_type.clone(), r.resource_id.clone());
                        let button = (can_remediate && r.compliance == "NON_COMPLIANT").then(|| view! {
                            <button class="secondary small-button" data-testid="remediate"
                                on:click=move |_| { remediate.dispatch(key.clone()); }>"Remediate"</button>
                        });
                        view! {
                            <tr data-testid="result-row" data-id=r.resource_id.clone() data-type=r.resource_type.clone()>
                                <td class="mono small nowrap">{r.resource_type.clone()}</td>
                                <td class="mono small id-cell"><a href=link data-testid="result-link">{r.resource_id.clone()}</a></td>
                                <td class="nowrap"><ComplianceBadge compliance=r.compliance.clone()/></td>
                                <td class="small" data-testid="result-annotation">{r.annotation.clone().unwrap_or_default()}</td>
                                <td class="small nowrap">{time_utc(r.recorded_ms)}</td>
                                <td class="small nowrap">{time_utc(r.ordering_ms)}</td>
                                {can_remediate.then(|| view! { <td class="nowrap">{button}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel" data-testid="results-panel">
            <header class="panel-header">
                <h2>"Resources in scope " <span class="count" data-testid="results-count">{format!("({count})")}</span></h2>
                <span class="spacer"></span>
                <div class="segmented light" role="group" aria-label="Compliance">{filters}</div>
            </header>
            {capped.then(|| view! { <p class="muted small cfg-caption">"Showing the first 2,000 results."</p> })}
            {body}
        </section>
    }
}

fn remediation_facts(r: RemediationView) -> impl IntoView {
    let target = match &r.target_version {
        Some(v) => format!("{} (version {v})", r.target_id),
        None => r.target_id.clone(),
    };
    let parameters = if r.parameters.is_empty() {
        "–".to_owned().into_any()
    } else {
        view! {
            <ul class="plain-list">
                {r.parameters.into_iter().map(|(k, v)| view! {
                    <li class="mono small" data-testid="remediation-parameter">{format!("{k} = {v}")}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <dl class="facts">
            {fact("Action", view! { <span class="mono">{target}</span> }, "remediation-target")}
            {fact("Target type", r.target_type, "remediation-target-type")}
            {fact("Parameters", parameters, "remediation-parameters")}
            {fact("Automatic", if r.automatic { "Yes" } else { "No (manual)" }, "remediation-automatic")}
            {fact("Attempts", r.maximum_attempts.to_string(), "remediation-attempts")}
            {fact("Retry within", format!("{} s", r.retry_seconds), "remediation-retry")}
        </dl>
    }
}

fn state_class(state: &str) -> &'static str {
    match state {
        "SUCCEEDED" => "cfg-status cfg-status-ok",
        "FAILED" => "cfg-status cfg-status-deleted",
        "IN_PROGRESS" | "QUEUED" => "cfg-status cfg-status-discovered",
        _ => "cfg-status",
    }
}

fn execution_row(e: ExecutionView, query: &leptos_router::params::ParamsMap) -> impl IntoView + use<> {
    let link = resource_href(&e.resource_type, &e.resource_id, query);
    let steps = e
        .steps
        .into_iter()
        .map(|s| {
            view! {
                <li data-testid="execution-step" data-state=s.state.clone()>
                    <span class=state_class(&s.state)>{s.state.clone()}</span>" "
                    <span class="mono small">{s.name}</span>" "
                    <span class="small muted nowrap">{format!("{} → {}", time_utc(s.start_ms), time_utc(s.stop_ms))}</span>
                    {s.error.map(|err| view! { <div class="small error-text" data-testid="step-error">{err}</div> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="execution-row" data-id=e.resource_id.clone()>
            <td class="mono small nowrap"><a href=link>{e.resource_id.clone()}</a><div class="muted">{e.resource_type.clone()}</div></td>
            <td class="nowrap"><span class=state_class(&e.state) data-testid="execution-state">{e.state.clone()}</span></td>
            <td class="small nowrap">{if e.automatic { "Automatic" } else { "Manual" }}</td>
            <td class="small num">{e.attempts}</td>
            <td class="small nowrap">{time_utc(e.invoked_ms)}</td>
            <td class="small nowrap">{time_utc(e.updated_ms)}</td>
            <td><ul class="plain-list cfg-steps">{steps}</ul></td>
        </tr>
    }
}

#[component]
fn RemediationPanel(remediation: Option<RemediationView>, executions: Vec<ExecutionView>) -> impl IntoView {
    let query = use_query_map();
    let Some(remediation) = remediation else {
        return view! {
            <section class="panel" data-testid="remediation-panel">
                <header class="panel-header"><h2>"Remediation"</h2></header>
                <p class="empty" data-testid="no-remediation">"No remediation action is configured for this rule."</p>
            </section>
        }
        .into_any();
    };
    let table = if executions.is_empty() {
        view! { <p class="empty" data-testid="executions-empty">"No remediation has run yet."</p> }.into_any()
    } else {
        view! {
            <table class="grid cfg-executions" data-testid="executions-table">
                <thead><tr>
                    <th>"Resource"</th><th>"State"</th><th>"Started by"</th><th class="num">"Attempts"</th>
                    <th>"Invoked (UTC)"</th><th>"Last updated (UTC)"</th><th>"Steps"</th>
                </tr></thead>
                <tbody>{executions.into_iter().map(|e| execution_row(e, &query.read_untracked())).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel" data-testid="remediation-panel">
            <header class="panel-header"><h2>"Remediation"</h2></header>
            <div class="panel-body">{remediation_facts(remediation)}</div>
            {table}
        </section>
    }
    .into_any()
}
