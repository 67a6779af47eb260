//! CloudWatch › Alarms › Create composite alarm: the rule, shown as a tree of its children's states as it is
//! typed (with what is wrong with it, in the parser's words), the alarms to pick from with their states, the
//! actions suppressor with its wait and extension periods, actions and a name. `?edit=<name>` loads an existing
//! composite alarm's rule to change it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{
    CompositeAlarmForm, alarm_detail, alarm_list, alarm_put_composite, alarm_rule_tree, alarm_topic_choices,
};
use crate::components::alarm::{RuleTree, StateBadge, alarm_href};
use crate::components::query::{href, use_region};

#[component]
pub fn CompositeAlarmPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let form = RwSignal::new(CompositeAlarmForm { wait_seconds: 120, extension_seconds: 300, ..Default::default() });
    // Editing: the existing rule and settings.
    let editing = query.read_untracked().get("edit").filter(|n| !n.is_empty());
    if let Some(name) = editing.clone() {
        let loaded = Resource::new(
            move || region.get(),
            move |region| alarm_detail(region, account(), name.clone(), "3h".into(), None),
        );
        Effect::new(move |_| {
            if let Some(Ok(info)) = loaded.get() {
                let detail = |label: &str| info.details.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone());
                form.update(|f| {
                    f.name = info.summary.name.clone();
                    f.description = info.summary.description.clone().unwrap_or_default();
                    f.rule = detail("Rule").unwrap_or_default();
                    f.suppressor = detail("Actions suppressor").unwrap_or_default();
                    f.alarm_actions =
                        info.actions.iter().filter(|(s, _)| s == "ALARM").map(|(_, a)| a.clone()).collect();
                    f.ok_actions = info.actions.iter().filter(|(s, _)| s == "OK").map(|(_, a)| a.clone()).collect();
                });
            }
        });
    }
    let rule = Memo::new(move |_| form.read().rule.clone());
    let tree = Resource::new(
        move || (region.get(), rule.get()),
        move |(region, rule)| async move {
            if rule.trim().is_empty() { None } else { Some(alarm_rule_tree(region, account(), rule).await) }
        },
    );
    let alarms =
        Resource::new(move || region.get(), move |region| alarm_list(region, account(), String::new(), None, None));
    let topics = Resource::new(move || region.get(), move |region| alarm_topic_choices(region, account()));
    let error = RwSignal::new(None::<String>);
    let save =
        Action::new(move |f: &CompositeAlarmForm| alarm_put_composite(region.get_untracked(), account(), f.clone()));
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(()) => use_navigate()(
                    &alarm_href(form.get_untracked().name.trim(), &query.read_untracked()),
                    NavigateOptions::default(),
                ),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let field = move |update: fn(&mut CompositeAlarmForm, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            form.update(|f| update(f, value));
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        if f.name.trim().is_empty() {
            error.set(Some("Give the alarm a name.".into()));
        } else if f.rule.trim().is_empty() {
            error.set(Some("Write the rule.".into()));
        } else {
            error.set(None);
            save.dispatch(f);
        }
    };
    let title = if editing.is_some() { "Edit composite alarm" } else { "Create composite alarm" };
    view! {
        <Title text=title/>
        <div class="breadcrumb">
            <a href=move || href("/cloudwatch/alarms", &query.read(), &[])>"CloudWatch › Alarms"</a>" › "{title}
        </div>
        <h1 data-testid="page-title">{title}</h1>
        <form class="wizard" on:submit=submit data-testid="composite-form">
            <div class="two-columns">
                <section class="panel" data-testid="composite-rule">
                    <header class="panel-header"><h2>"Rule"</h2><span class="muted">"ALARM(name), OK(name), INSUFFICIENT_DATA(name), AND, OR, NOT, ( )"</span></header>
                    <div class="panel-body">
                        <textarea rows="5" class="mono" spellcheck="false" aria-label="Alarm rule" placeholder="ALARM(cpu-high) AND ALARM(latency-p99)"
                            prop:value=move || form.read().rule.clone() on:input=field(|f, v| f.rule = v) data-testid="rule-input"></textarea>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                match tree.await {
                                    None => view! { <p class="muted" data-testid="rule-empty">"Type a rule to see it as a tree."</p> }.into_any(),
                                    Some(Ok(node)) => {
                                        let verdict = if node.holds() { "The rule holds now: the alarm would be in ALARM." } else { "The rule does not hold now: the alarm would be OK." };
                                        view! { <RuleTree node=node/><p class="muted" data-testid="rule-verdict">{verdict}</p> }.into_any()
                                    }
                                    Some(Err(e)) => view! { <div class="error" role="alert" data-testid="rule-error">{e.to_string()}</div> }.into_any(),
                                }
                            })}
                        </Transition>
                    </div>
                </section>
                <section class="panel" data-testid="composite-children">
                    <header class="panel-header"><h2>"Alarms"</h2><span class="muted">"Click to add to the rule"</span></header>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let rows = alarms.await.map(|l| l.rows).unwrap_or_default();
                            view! {
                                <ul class="alarm-choices">
                                    {rows.into_iter().map(|row| {
                                        let name = row.name.clone();
                                        view! {
                                            <li>
                                                <button type="button" class="link-button" data-testid="add-child" on:click=move |_| {
                                                    let term = format!("ALARM(\"{name}\")");
                                                    form.update(|f| {
                                                        let rule = f.rule.trim();
                                                        f.rule = if rule.is_empty() { term } else { format!("{rule} AND {term}") };
                                                    });
                                                }>{row.name.clone()}</button>
                                                " " <StateBadge state=row.state.clone()/>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        })}
                    </Transition>
                </section>
            </div>
            <section class="panel" data-testid="composite-suppressor">
                <header class="panel-header"><h2>"Actions"</h2></header>
                <div class="panel-body form-grid">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let arns = topics.await.unwrap_or_default();
                            view! {
                                <label>"In alarm, notify"
                                    <select on:change=field(|f, v| f.alarm_actions = if v.is_empty() { vec![] } else { vec![v] }) data-testid="composite-topic">
                                        <option value="">"Nobody"</option>
                                        {arns.into_iter().map(|arn| {
                                            let chosen = arn.clone();
                                            view! { <option value=arn.clone() selected=move || form.read().alarm_actions.contains(&chosen)>{arn.rsplit(':').next().unwrap_or_default().to_owned()}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                            }
                        })}
                    </Transition>
                    <label>"Actions suppressor (alarm name)"
                        <input type="text" prop:value=move || form.read().suppressor.clone() on:input=field(|f, v| f.suppressor = v) data-testid="suppressor"/>
                    </label>
                    <label>"Wait period (seconds)"
                        <input type="number" min="0" prop:value=move || form.read().wait_seconds.to_string()
                            on:input=field(|f, v| f.wait_seconds = v.parse().unwrap_or(0)) data-testid="wait-period"/>
                    </label>
                    <label>"Extension period (seconds)"
                        <input type="number" min="0" prop:value=move || form.read().extension_seconds.to_string()
                            on:input=field(|f, v| f.extension_seconds = v.parse().unwrap_or(0)) data-testid="extension-period"/>
                    </label>
                </div>
            </section>
            <section class="panel">
                <header class="panel-header"><h2>"Name"</h2></header>
                <div class="panel-body form-grid">
                    <label>"Alarm name"
                        <input type="text" maxlength="255" prop:value=move || form.read().name.clone()
                            on:input=field(|f, v| f.name = v) data-testid="composite-name"/>
                    </label>
                    <label>"Description"
                        <input type="text" maxlength="1024" prop:value=move || form.read().description.clone()
                            on:input=field(|f, v| f.description = v) data-testid="composite-description"/>
                    </label>
                </div>
            </section>
            {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="composite-error">{e}</div> })}
            <div class="dialog-actions">
                <a class="button-link secondary" href=move || href("/cloudwatch/alarms", &query.read(), &[])>"Cancel"</a>
                <button type="submit" class="primary" data-testid="composite-submit">"Save composite alarm"</button>
            </div>
        </form>
    }
}
