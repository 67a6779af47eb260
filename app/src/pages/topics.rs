//! SNS › Topics: the topics of the account and region with their subscription counts, and creating one; and one
//! topic's page: its subscriptions with their confirmation status and recent deliveries (status, attempt,
//! outcome), subscribing an endpoint, how messages are signed, publishing a test message, unsubscribing and
//! deleting.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::{
    SubscriptionView, TopicInfo, topic_create, topic_delete, topic_detail, topic_list, topic_publish,
    topic_signature_version, topic_subscribe, topic_unsubscribe,
};
use crate::components::query::{encode, href, use_region};
use crate::pages::dashboard::format_time_at;

fn topic_href(name: &str, query: &leptos_router::params::ParamsMap) -> String {
    href(&format!("/sns/topics/topic/{}", encode(name)), query, &[])
}

#[component]
pub fn TopicsPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let version = RwSignal::new(0u32);
    let list = Resource::new(
        move || (region.get(), query.read().get("account"), version.get()),
        |(region, account, _)| topic_list(region, account),
    );
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let create = Action::new(move |name: &String| topic_create(region.get_untracked(), account(), name.clone()));
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    view! {
        <Title text="SNS topics"/>
        <div class="breadcrumb">"SNS › Topics"</div>
        <h1 data-testid="page-title">"Topics"</h1>
        <form class="filter-bar" data-testid="create-topic-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            create.dispatch(name.get_untracked().trim().to_owned());
        }>
            <input type="text" placeholder="New topic name" aria-label="New topic name" maxlength="256"
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) data-testid="topic-name"/>
            <button type="submit" class="primary" data-testid="create-topic">"Create topic"</button>
        </form>
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="topics-error">{e}</div> })}
        <Transition fallback=|| view! { <p class="muted">"Loading topics…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) if rows.is_empty() => view! {
                        <p class="empty" data-testid="topics-empty">"No topics yet. Create one here, or with aws sns create-topic."</p>
                    }.into_any(),
                    Ok(rows) => view! {
                        <section class="panel">
                            <table class="grid" data-testid="topics-table">
                                <thead><tr><th>"Name"</th><th>"Display name"</th><th class="num">"Confirmed"</th><th class="num">"Pending"</th><th>"ARN"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr data-testid="topic-row">
                                            <td><a href=topic_href(&row.name, &query.read_untracked()) data-testid="topic-link">{row.name.clone()}</a></td>
                                            <td>{row.display_name.clone()}</td>
                                            <td class="num">{row.confirmed}</td>
                                            <td class="num">{row.pending}</td>
                                            <td class="mono small muted">{row.arn.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <div class="error" role="alert">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn TopicPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let region = use_region();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let version = RwSignal::new(0u32);
    // Outlives the topic view, which is rebuilt when the topic is read again after a change.
    let notice = RwSignal::new(None::<Result<String, String>>);
    let detail = Resource::new(
        move || (region.get(), query.read().get("account"), name.get(), version.get()),
        |(region, account, name, _)| topic_detail(region, account, name),
    );
    view! {
        <Title text=move || format!("Topic {}", name.get())/>
        <div class="breadcrumb">
            <a href=move || href("/sns/topics", &query.read(), &[])>"SNS › Topics"</a>" › "{move || name.get()}
        </div>
        <h1 data-testid="page-title">{move || name.get()}</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the topic…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(info) => view! { <Topic info=info version=version notice=notice/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="topic-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Topic(info: TopicInfo, version: RwSignal<u32>, notice: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let arn = StoredValue::new(info.arn.clone());
    let endpoint = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let subscribe = Action::new(move |endpoint: &String| {
        topic_subscribe(region.get_untracked(), account(), arn.get_value(), endpoint.clone())
    });
    let publish = Action::new(move |(subject, message): &(String, String)| {
        topic_publish(region.get_untracked(), account(), arn.get_value(), subject.clone(), message.clone())
    });
    let delete = Action::new(move |_: &()| topic_delete(region.get_untracked(), account(), arn.get_value()));
    let sign_with = Action::new(move |version: &String| {
        topic_signature_version(region.get_untracked(), account(), arn.get_value(), version.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = sign_with.value().get() {
            notice.set(Some(result.map(|()| "Signature version saved".to_owned()).map_err(|e| e.to_string())));
            version.update(|v| *v += 1);
        }
    });
    let signature_version = info.signature_version.clone();
    Effect::new(move |_| {
        if let Some(result) = subscribe.value().get() {
            notice.set(Some(result.map(|arn| format!("Subscribed: {arn}")).map_err(|e| e.to_string())));
            endpoint.set(String::new());
            version.update(|v| *v += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = publish.value().get() {
            notice.set(Some(result.map(|id| format!("Published message {id}")).map_err(|e| e.to_string())));
            version.update(|v| *v += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            match result {
                Ok(()) => {
                    use_navigate()(&href("/sns/topics", &query.read_untracked(), &[]), NavigateOptions::default())
                }
                Err(e) => notice.set(Some(Err(e.to_string()))),
            }
        }
    });
    view! {
        <p class="mono small muted" data-testid="topic-arn">{info.arn.clone()}</p>
        <div class="cards">
            {info.attributes.into_iter().filter(|(k, _)| k.starts_with("Subscriptions")).map(|(k, v)| view! {
                <div class="card"><div class="muted small">{k}</div><div class="ns-count">{v}</div></div>
            }).collect_view()}
            <div class="card"><div class="muted small">"Deliveries waiting (all topics)"</div><div class="ns-count" data-testid="deliveries-waiting">{info.waiting}</div></div>
        </div>
        {move || notice.get().map(|n| match n {
            Ok(text) => view! { <div class="success" data-testid="topic-notice">{text}</div> }.into_any(),
            Err(text) => view! { <div class="error" role="alert" data-testid="topic-notice-error">{text}</div> }.into_any(),
        })}
        <section class="panel" data-testid="signing">
            <header class="panel-header">
                <h2>"Message signing"</h2>
                <span class="muted small">"Every message carries a Signature subscribers check with the certificate at its SigningCertURL."</span>
                <span class="spacer"></span>
                <label class="inline-form">"Signature version "
                    <select data-testid="signature-version" on:change=move |ev| { sign_with.dispatch(event_target_value(&ev)); }>
                        <option value="1" selected=signature_version == "1">"1 — SHA1withRSA"</option>
                        <option value="2" selected=signature_version == "2">"2 — SHA256withRSA"</option>
                    </select>
                </label>
            </header>
        </section>
        <section class="panel" data-testid="subscriptions">
            <header class="panel-header">
                <h2>"Subscriptions"</h2>
                <span class="spacer"></span>
                <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    subscribe.dispatch(endpoint.get_untracked());
                }>
                    <input type="url" placeholder="https://example.com/hook" aria-label="Endpoint" size="40"
                        prop:value=move || endpoint.get() on:input=move |ev| endpoint.set(event_target_value(&ev)) data-testid="subscribe-endpoint"/>
                    <button type="submit" class="secondary" data-testid="subscribe">"Subscribe"</button>
                </form>
            </header>
            {if info.subscriptions.is_empty() {
                view! { <p class="empty" data-testid="subscriptions-empty">"No subscriptions."</p> }.into_any()
            } else {
                view! {
                    <div>{info.subscriptions.into_iter().map(|s| view! { <Subscription subscription=s version=version/> }).collect_view()}</div>
                }.into_any()
            }}
        </section>
        {(!info.inbox.is_empty()).then(|| view! {
            <section class="panel" data-testid="inbox">
                <header class="panel-header"><h2>"Built-in endpoint"</h2><span class="muted">"What /_skywatch/inbox received from this topic"</span></header>
                <table class="grid">
                    <thead><tr><th>"Received (UTC)"</th><th>"Type"</th><th>"Signature"</th><th>"Subject"</th><th>"Message"</th></tr></thead>
                    <tbody>
                        {info.inbox.clone().into_iter().map(|m| view! {
                            <tr data-testid="inbox-row">
                                <td class="muted nowrap">{format_time_at(m.received_ms, 0)}</td>
                                <td>{m.message_type.clone()}</td>
                                <td class="nowrap">
                                    <span class=if m.signature.ends_with("withRSA") { "alarm-state state-ok" } else { "alarm-state state-alarm" }
                                        data-testid="inbox-signature" title="Checked against the certificate at the message's SigningCertURL">
                                        {if m.signature.ends_with("withRSA") { format!("Verified · {}", m.signature) } else { m.signature.clone() }}
                                    </span>
                                </td>
                                <td>{m.subject.clone().unwrap_or_default()}</td>
                                <td><details><summary class="mono small">{m.message.chars().take(80).collect::<String>()}</summary><pre class="mono small">{m.message.clone()}</pre></details></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
        <section class="panel" data-testid="publish">
            <header class="panel-header"><h2>"Publish a message"</h2></header>
            <form class="panel-body form-grid" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                publish.dispatch((subject.get_untracked(), message.get_untracked()));
            }>
                <label>"Subject" <input type="text" maxlength="100" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev)) data-testid="publish-subject"/></label>
                <label>"Message" <textarea rows="3" prop:value=move || message.get() on:input=move |ev| message.set(event_target_value(&ev)) data-testid="publish-message"></textarea></label>
                <div><button type="submit" class="primary" data-testid="publish-submit">"Publish"</button></div>
            </form>
        </section>
        <div class="dialog-actions">
            <button class="danger" on:click=move |_| { delete.dispatch(()); } data-testid="delete-topic">"Delete topic"</button>
        </div>
    }
}

#[component]
fn Subscription(subscription: SubscriptionView, version: RwSignal<u32>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let arn = StoredValue::new(subscription.arn.clone());
    let unsubscribe = Action::new(move |_: &()| topic_unsubscribe(region.get_untracked(), account(), arn.get_value()));
    Effect::new(move |_| {
        if unsubscribe.value().get().is_some() {
            version.update(|v| *v += 1);
        }
    });
    let status = if subscription.confirmed { "Confirmed" } else { "Pending confirmation" };
    let status_class = if subscription.confirmed { "alarm-state state-ok" } else { "alarm-state" };
    view! {
        <div class="subscription" data-testid="subscription" data-confirmed=subscription.confirmed.to_string()>
            <div class="subscription-head">
                <span class=status_class data-testid="subscription-status">{status}</span>
                <span class="mono">{subscription.protocol.clone()}" "{subscription.endpoint.clone()}</span>
                <span class="spacer"></span>
                {subscription.confirmed.then(|| view! {
                    <button class="link-button" on:click=move |_| { unsubscribe.dispatch(()); } data-testid="unsubscribe">"Unsubscribe"</button>
                })}
            </div>
            {if subscription.deliveries.is_empty() {
                view! { <p class="muted small">"No deliveries yet."</p> }.into_any()
            } else {
                view! {
                    <table class="grid" data-testid="delivery-log">
                        <thead><tr><th>"Time (UTC)"</th><th>"Message"</th><th class="num">"Attempt"</th><th class="num">"Status"</th><th>"Outcome"</th><th class="num">"Took"</th></tr></thead>
                        <tbody>
                            {subscription.deliveries.into_iter().map(|d| {
                                let outcome_class = match d.outcome.as_str() { "delivered" => "alarm-state state-ok", "failed" => "alarm-state state-alarm", _ => "alarm-state" };
                                view! {
                                    <tr data-testid="delivery-row" data-outcome=d.outcome.clone()>
                                        <td class="muted nowrap">{format_time_at(d.time_ms, 0)}</td>
                                        <td class="small">{d.message_type.clone()}<div class="mono muted">{d.message_id.clone()}</div></td>
                                        <td class="num">{d.attempt}</td>
                                        <td class="num">{d.status.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
                                        <td><span class=outcome_class>{d.outcome.clone()}</span>{d.error.map(|e| view! { <div class="muted small">{e}</div> })}</td>
                                        <td class="num muted">{format!("{} ms", d.duration_ms)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </div>
    }
}
