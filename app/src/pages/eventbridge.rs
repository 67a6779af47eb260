//! EventBridge › Rules: a bus's rules (the bus chosen in the URL, `?bus=`), each with its state and its pattern or
//! schedule; and one rule's page: its pattern or schedule, its targets with their delivery status (delivered,
//! retried, given up, the last error), and a pattern editor that tests the pattern against an event as
//! TestEventPattern does.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{eventbridge_rule, eventbridge_rules, eventbridge_test_pattern};
use crate::components::query::{encode, href, use_region};
use crate::pages::dashboard::format_time_at;

/// A sample event in EventBridge's envelope, for the pattern editor.
const SAMPLE_EVENT: &str = r#"{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "Order Failed",
  "source": "shop.orders",
  "account": "000000000000",
  "time": "2026-12-08T10:00:00Z",
  "region": "us-east-1",
  "resources": [],
  "detail": {"orderId": "o-1", "reason": "card declined", "amount": 42}
}"#;

fn rule_href(bus: &str, name: &str, query: &leptos_router::params::ParamsMap) -> String {
    href(&format!("/events/rules/rule/{}", encode(name)), query, &[("bus", bus)])
}

#[component]
pub fn EventRulesPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let list = Resource::new(
        move || (region.get(), query.read().get("account"), query.read().get("bus")),
        |(region, account, bus)| eventbridge_rules(region, account, bus),
    );
    view! {
        <Title text="EventBridge rules"/>
        <div class="breadcrumb">"EventBridge › Rules"</div>
        <h1 data-testid="page-title">"Rules"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading rules…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(view) => {
                        let bus = view.bus.clone();
                        let buses = view.buses.clone();
                        view! {
                            <nav class="filter-bar" aria-label="Event bus" data-testid="bus-list">
                                <span class="muted">"Event bus"</span>
                                {buses.into_iter().map(|name| {
                                    let current = name == bus;
                                    let link = href("/events/rules", &query.read_untracked(), &[("bus", name.as_str())]);
                                    view! {
                                        <a href=link class:active=current aria-current=if current { Some("page") } else { None }
                                            data-testid="bus-link">{name.clone()}</a>
                                    }
                                }).collect_view()}
                            </nav>
                            {if view.rules.is_empty() {
                                view! {
                                    <p class="empty" data-testid="rules-empty">
                                        "No rules on this bus. Make one with aws events put-rule."
                                    </p>
                                }.into_any()
                            } else {
                                view! {
                                    <section class="panel">
                                        <table class="grid" data-testid="rules-table">
                                            <thead><tr><th>"Name"</th><th>"State"</th><th>"Type"</th><th>"Pattern or schedule"</th><th>"Description"</th></tr></thead>
                                            <tbody>
                                                {view.rules.into_iter().map(|rule| view! {
                                                    <tr data-testid="rule-row">
                                                        <td><a href=rule_href(&bus, &rule.name, &query.read_untracked()) data-testid="rule-link">{rule.name.clone()}</a></td>
                                                        <td data-testid="rule-state">{rule.state.clone()}</td>
                                                        <td>{if rule.schedule { "Schedule" } else { "Event pattern" }}</td>
                                                        <td class="mono small">{rule.definition.clone()}</td>
                                                        <td class="muted">{rule.description.clone()}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </section>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <div class="error" role="alert" data-testid="rules-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn EventRulePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let region = use_region();
    let name = move || params.read().get("name").unwrap_or_default();
    let bus = move || query.read().get("bus").unwrap_or_else(|| "default".to_owned());
    let rule = Resource::new(
        move || (region.get(), query.read().get("account"), bus(), name()),
        |(region, account, bus, name)| eventbridge_rule(region, account, bus, name),
    );
    view! {
        <Title text="EventBridge rule"/>
        <div class="breadcrumb">
            <a href=move || href("/events/rules", &query.read(), &[])>"EventBridge › Rules"</a>
            {move || format!(" › {}", bus())}
        </div>
        <h1 data-testid="page-title">{name}</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the rule…"</p> }>
            {move || Suspend::new(async move {
                match rule.await {
                    Ok(rule) => {
                        let pattern = rule.pattern.clone();
                        view! {
                            <section class="panel">
                                <dl class="facts">
                                    <dt>"State"</dt><dd data-testid="rule-state">{rule.state.clone()}</dd>
                                    <dt>"ARN"</dt><dd class="mono small">{rule.arn.clone()}</dd>
                                    <dt>"Description"</dt><dd>{rule.description.clone()}</dd>
                                    {rule.schedule.clone().map(|s| view! { <dt>"Schedule"</dt><dd class="mono" data-testid="rule-schedule">{s}</dd> })}
                                </dl>
                            </section>
                            <h2>"Targets"</h2>
                            {if rule.targets.is_empty() {
                                view! { <p class="empty" data-testid="targets-empty">"No targets: matched events go nowhere."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="grid" data-testid="targets-table">
                                        <thead><tr><th>"Id"</th><th>"Target"</th><th>"Input"</th><th class="num">"Delivered"</th><th class="num">"Retried"</th><th class="num">"Given up"</th><th>"Last delivery"</th><th>"Last error"</th></tr></thead>
                                        <tbody>
                                            {rule.targets.into_iter().map(|t| view! {
                                                <tr data-testid="target-row">
                                                    <td>{t.id.clone()}</td>
                                                    <td class="mono small">{t.arn.clone()}</td>
                                                    <td>{t.input.clone()}</td>
                                                    <td class="num" data-testid="target-delivered">{t.delivered}</td>
                                                    <td class="num">{t.retried}</td>
                                                    <td class="num" data-testid="target-failed">{t.failed}</td>
                                                    <td class="small">{t.last_delivery_ms.map(|ms| format_time_at(ms, 0)).unwrap_or_default()}</td>
                                                    <td class="small error-text">{t.last_error.clone().unwrap_or_default()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            {pattern.map(|p| view! { <PatternEditor pattern=p/> })}
                        }.into_any()
                    }
                    Err(e) => view! { <div class="error" role="alert" data-testid="rule-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The rule's pattern, editable, tested against an event (a sample one at first) as TestEventPattern tests it.
#[component]
fn PatternEditor(pattern: String) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let pattern = RwSignal::new(pretty(&pattern));
    let event = RwSignal::new(SAMPLE_EVENT.to_owned());
    let test = Action::new(move |(p, e): &(String, String)| {
        eventbridge_test_pattern(region.get_untracked(), query.read_untracked().get("account"), p.clone(), e.clone())
    });
    view! {
        <h2>"Event pattern"</h2>
        <form class="pattern-editor" data-testid="pattern-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            test.dispatch((pattern.get_untracked(), event.get_untracked()));
        }>
            <label>"Pattern"
                <textarea class="mono" rows="8" data-testid="pattern-input" prop:value=move || pattern.get()
                    on:input=move |ev| pattern.set(event_target_value(&ev))></textarea>
            </label>
            <label>"Event"
                <textarea class="mono" rows="12" data-testid="event-input" prop:value=move || event.get()
                    on:input=move |ev| event.set(event_target_value(&ev))></textarea>
            </label>
            <button type="submit" class="primary" data-testid="test-pattern">"Test pattern"</button>
        </form>
        {move || test.value().get().map(|result| match result {
            Ok(true) => view! { <p class="ok" role="status" data-testid="pattern-result">"The event matches the pattern."</p> }.into_any(),
            Ok(false) => view! { <p class="warn" role="status" data-testid="pattern-result">"The event does not match the pattern."</p> }.into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="pattern-result">{e.to_string()}</p> }.into_any(),
        })}
    }
}

/// A JSON text indented, or as it is when it is not JSON.
fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}
