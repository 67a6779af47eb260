//! The "Subscription filters" tab of a log group's page: the group's filters (pattern, destination,
//! distribution) with each one's delivery record (batches and events delivered, failures, the last delivery and
//! the last error), refreshed on demand; a form that creates one (PutSubscriptionFilter) delivering to another
//! log group of the account, an SNS topic or an HTTP(S) endpoint, offered while the group has fewer than AWS's
//! two; and deleting one after a confirmation (DeleteSubscriptionFilter). Refusals show the operation's message.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use super::group::Notices;
use super::{error_text, group_href, maybe_time};
use crate::api::{
    FilterDestinations, MAX_SUBSCRIPTION_FILTERS, NewSubscriptionFilter, SubscriptionFilterView,
    logs_filter_destinations, logs_subscription_filter_delete, logs_subscription_filter_put, logs_subscription_filters,
};
use crate::components::query::{encode, href, use_region};

/// The kinds of destination the form offers: (value, label).
const KINDS: [(&str, &str); 3] = [("log-group", "Log group"), ("topic", "SNS topic"), ("http", "HTTP(S) endpoint")];

/// The distributions PutSubscriptionFilter takes: (value, label).
const DISTRIBUTIONS: [(&str, &str); 2] = [("ByLogStream", "By log stream"), ("Random", "Random")];

/// What a destination is, as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Destination {
    LogGroup { region: String, name: String },
    Topic { region: String, name: String },
    Http(String),
    Other(String),
}

impl Destination {
    fn of(arn: &str) -> Self {
        if arn.starts_with("http://") || arn.starts_with("https://") {
            return Self::Http(arn.to_owned());
        }
        let Some(parsed) = skywatch_model::Arn::parse(arn) else { return Self::Other(arn.to_owned()) };
        let region = parsed.region.to_owned();
        match (parsed.service, parsed.resource) {
            ("sns", name) => Self::Topic { region, name: name.into() },
            ("logs", rest) => match rest.strip_prefix("log-group:") {
                Some(name) => Self::LogGroup { region, name: name.strip_suffix(":*").unwrap_or(name).into() },
                None => Self::Other(arn.to_owned()),
            },
            _ => Self::Other(arn.to_owned()),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::LogGroup { .. } => "Log group",
            Self::Topic { .. } => "SNS topic",
            Self::Http(_) => "HTTP endpoint",
            Self::Other(_) => "Destination",
        }
    }

    /// What to show, and the console page it links to (a group or topic of the region the page shows).
    fn shown(&self, region: &str, query: &ParamsMap) -> (String, Option<String>) {
        match self {
            Self::LogGroup { region: r, name } => (name.clone(), (r == region).then(|| group_href(name, query))),
            Self::Topic { region: r, name } => {
                (name.clone(), (r == region).then(|| href(&format!("/sns/topics/topic/{}", encode(name)), query, &[])))
            }
            Self::Http(url) | Self::Other(url) => (url.clone(), None),
        }
    }
}

#[component]
pub fn SubscriptionFilters(group: String, count: usize) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let group = StoredValue::new(group);
    let creating = RwSignal::new(false);
    let deleting = RwSignal::new(None::<String>);
    // "Refresh" reads the delivery records again.
    let refreshed = RwSignal::new(0u32);
    let list = Resource::new(
        move || (region.get(), query.read().get("account"), notices.version.get(), refreshed.get()),
        move |(region, account, _, _)| logs_subscription_filters(region, account, group.get_value()),
    );
    let delete = Action::new(move |name: &String| {
        let account = query.read_untracked().get("account");
        logs_subscription_filter_delete(region.get_untracked(), account, group.get_value(), name.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = delete.value().get() {
            let name = deleting.get_untracked().unwrap_or_default();
            deleting.set(None);
            notices.outcome(result, format!("Subscription filter {name} deleted."));
        }
    });
    let full = count >= MAX_SUBSCRIPTION_FILTERS;
    view! {
        <section class="panel" data-testid="subscription-filters-panel">
            <header class="panel-header">
                <h2>"Subscription filters"</h2>
                <span class="spacer"></span>
                {full.then(|| view! {
                    <span class="muted small" data-testid="subscription-limit">
                        {format!("A log group has at most {MAX_SUBSCRIPTION_FILTERS} subscription filters: delete one to add another.")}
                    </span>
                })}
                <button class="secondary" title="Read the delivery records again" on:click=move |_| refreshed.update(|v| *v += 1)
                    data-testid="subscription-refresh">"Refresh"</button>
                <button class="primary" on:click=move |_| creating.set(true) disabled=move || full || creating.get()
                    title=full.then(|| format!("At most {MAX_SUBSCRIPTION_FILTERS} subscription filters a log group"))
                    data-testid="create-subscription-filter">"Create subscription filter"</button>
            </header>
            <Show when=move || creating.get()>
                <SubscriptionEditor group=group.get_value() creating=creating/>
            </Show>
            {move || deleting.get().map(|name| view! {
                <div class="table-toolbar">
                    <span class="confirm" data-testid="delete-subscription-filter-confirm">
                        {format!("Delete subscription filter {name}? Deliveries already queued are still made. ")}
                        <button class="danger" disabled=move || delete.pending().get()
                            on:click=move |_| { delete.dispatch(name.clone()); } data-testid="delete-subscription-filter-yes">"Delete"</button>
                        <button class="secondary" on:click=move |_| deleting.set(None)>"Cancel"</button>
                    </span>
                </div>
            })}
            <Transition fallback=|| view! { <p class="muted panel-body">"Loading subscription filters…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(filters) => view! { <SubscriptionTable filters=filters deleting=deleting/> }.into_any(),
                        Err(e) => view! { <div class="error" role="alert" data-testid="subscription-filters-error">{error_text(&e)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SubscriptionTable(filters: Vec<SubscriptionFilterView>, deleting: RwSignal<Option<String>>) -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    if filters.is_empty() {
        return view! {
            <p class="empty" data-testid="subscription-filters-empty">
                "No subscription filters. Create one to deliver this group's matching events, as they arrive, to \
                 another log group, a topic or an endpoint."
            </p>
        }
        .into_any();
    }
    let rows = filters
        .into_iter()
        .map(|filter| {
            let destination = Destination::of(&filter.destination_arn);
            let (shown, link) = destination.shown(&region.get_untracked(), &query.read_untracked());
            let target = match link {
                Some(link) => view! { <a href=link class="mono small" data-testid="subscription-destination-link">{shown}</a> }.into_any(),
                None => view! { <span class="mono small">{shown}</span> }.into_any(),
            };
            let distribution = DISTRIBUTIONS
                .iter()
                .find(|(value, _)| *value == filter.distribution)
                .map_or(filter.distribution.clone(), |(_, label)| (*label).to_owned());
            // The last error is long (an endpoint's answer): a line of its own under the filter.
            let error = filter.last_error.clone().map(|e| {
                let when = maybe_time(filter.last_error_ms);
                view! {
                    <tr class="logs-error-row" data-testid="subscription-error-row">
                        <td colspan="8" class="small">
                            <span class="error-text" data-testid="subscription-last-error">{format!("Last error ({when} UTC): {e}")}</span>
                        </td>
                    </tr>
                }
            });
            let plural = |n: u64, one: &str, many: &str| if n == 1 { one.to_owned() } else { many.to_owned() };
            let (batches, events) = (plural(filter.delivered, " batch", " batches"), plural(filter.events_delivered, " event", " events"));
            let deleted = filter.name.clone();
            view! {
                <tr data-testid="subscription-filter-row" data-name=filter.name.clone() class:logs-has-error=error.is_some()>
                    <td class="nowrap" title=format!("Created {} UTC", maybe_time(Some(filter.created_ms)))>{filter.name.clone()}</td>
                    <td class="mono small logs-pattern-cell" title=filter.pattern.clone() data-testid="subscription-pattern">
                        {if filter.pattern.is_empty() { "(every event)".to_owned() } else { filter.pattern.clone() }}
                    </td>
                    <td class="logs-destination" title=filter.destination_arn.clone() data-testid="subscription-destination">
                        <span class="chip">{destination.kind()}</span> " " {target}
                    </td>
                    <td class="small nowrap">{distribution}</td>
                    <td class="num nowrap">
                        <span data-testid="subscription-events">{filter.events_delivered}</span>{events}" in "
                        <span data-testid="subscription-delivered">{filter.delivered}</span>{batches}
                    </td>
                    <td class="num" class:error-text={filter.failed > 0} data-testid="subscription-failed">{filter.failed}</td>
                    <td class="small nowrap" data-testid="subscription-last-delivery">{maybe_time(filter.last_delivery_ms)}</td>
                    <td class="actions">
                        <button class="link-button logs-edit" on:click=move |_| deleting.set(Some(deleted.clone()))
                            data-testid="subscription-filter-delete">"Delete"</button>
                    </td>
                </tr>
                {error}
            }
        })
        .collect_view();
    view! {
        <div class="logs-table-scroll">
        <table class="grid logs-filters subscriptions" data-testid="subscription-filters-table">
            <thead><tr>
                <th>"Filter name"</th><th>"Filter pattern"</th><th>"Destination"</th><th>"Distribution"</th>
                <th class="num" title="Events delivered, in batches">"Delivered"</th>
                <th class="num" title="Batches given up after their retries">"Failed"</th>
                <th>"Last delivery (UTC)"</th><th class="actions"></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any()
}

/// "Create subscription filter": a name, a pattern, the destination (its kind, then a log group of the account,
/// a topic ARN, which the account's topics are offered for, or a URL) and the distribution.
#[component]
fn SubscriptionEditor(group: String, creating: RwSignal<bool>) -> impl IntoView {
    let notices = expect_context::<Notices>();
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let group = StoredValue::new(group);
    let name = RwSignal::new(String::new());
    let pattern = RwSignal::new(String::new());
    let kind = RwSignal::new(KINDS[0].0.to_owned());
    let log_group = RwSignal::new(String::new());
    let topic = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let distribution = RwSignal::new(DISTRIBUTIONS[0].0.to_owned());
    let error = RwSignal::new(None::<String>);
    let destinations =
        Action::new(move |_: &()| logs_filter_destinations(region.get_untracked(), account(), group.get_value()));
    // The form exists only in the browser: the choices are read once it opens.
    Effect::new(move |_| {
        destinations.dispatch(());
    });
    Effect::new(move |_| {
        if let Some(Ok(found)) = destinations.value().get()
            && log_group.get_untracked().is_empty()
            && let Some((_, arn)) = found.log_groups.first()
        {
            log_group.set(arn.clone());
        }
    });
    let choices = move || destinations.value().get().and_then(Result::ok).unwrap_or_default();
    let save = Action::new(move |filter: &NewSubscriptionFilter| {
        logs_subscription_filter_put(region.get_untracked(), account(), group.get_value(), filter.clone())
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(()) => {
                    notices.outcome(Ok(()), format!("Subscription filter {} created.", name.get_untracked().trim()));
                    creating.set(false);
                }
                Err(e) => error.set(Some(error_text(&e))),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let destination_arn = match kind.get_untracked().as_str() {
            "log-group" => log_group.get_untracked(),
            "topic" => topic.get_untracked(),
            _ => url.get_untracked(),
        };
        if destination_arn.trim().is_empty() {
            error.set(Some("Choose a destination.".into()));
            return;
        }
        error.set(None);
        save.dispatch(NewSubscriptionFilter {
            name: name.get_untracked(),
            pattern: pattern.get_untracked(),
            destination_arn,
            distribution: distribution.get_untracked(),
        });
    };
    let field = move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    let topic_placeholder = move || {
        let region = region.get();
        format!("arn:{}:sns:{region}:<account>:<topic>", skywatch_model::partition(&region))
    };
    view! {
        <form class="panel-body logs-filter-editor" data-testid="subscription-filter-form" on:submit=submit>
            <h3>"Create subscription filter"</h3>
            <div class="form-grid logs-grid-pattern">
                <label>
                    "Subscription filter name"
                    <input type="text" required maxlength="512" spellcheck="false" placeholder="to-central"
                        prop:value=move || name.get() on:input=field(name) data-testid="subscription-name-input"/>
                </label>
                <label>
                    "Filter pattern (empty: every event)"
                    <input type="text" class="mono" maxlength="1024" spellcheck="false" placeholder=r#"{ $.level = "ERROR" }"#
                        prop:value=move || pattern.get() on:input=field(pattern) data-testid="subscription-pattern-input"/>
                </label>
            </div>
            <div class="form-grid logs-grid-destination">
                <label>
                    "Destination"
                    <select data-testid="subscription-kind" on:change=field(kind)>
                        {KINDS.iter().map(|(value, label)| view! {
                            <option value=*value selected=move || kind.get() == *value>{*label}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || match kind.get().as_str() {
                    "log-group" => view! {
                        <label>
                            "Log group"
                            <select data-testid="subscription-log-group" on:change=field(log_group)>
                                {move || {
                                    let found: FilterDestinations = choices();
                                    if found.log_groups.is_empty() {
                                        let text = if destinations.pending().get() { "Loading log groups…" } else { "No other log groups in this region" };
                                        return view! { <option value="" disabled=true selected=true>{text}</option> }.into_any();
                                    }
                                    found.log_groups.into_iter().map(|(group_name, arn)| {
                                        let chosen = arn.clone();
                                        view! { <option value=arn selected=move || log_group.get() == chosen>{group_name}</option> }
                                    }).collect_view().into_any()
                                }}
                            </select>
                            {move || choices().more_groups.then(|| view! { <span class="muted small">"The first 500 log groups are listed."</span> })}
                        </label>
                    }.into_any(),
                    "topic" => view! {
                        <label>
                            "Topic ARN"
                            <input type="text" class="mono" list="subscription-topics" maxlength="2048" spellcheck="false"
                                placeholder=topic_placeholder prop:value=move || topic.get() on:input=field(topic) data-testid="subscription-topic"/>
                            <datalist id="subscription-topics">
                                {move || choices().topics.into_iter().map(|arn| view! { <option value=arn></option> }).collect_view()}
                            </datalist>
                        </label>
                    }.into_any(),
                    _ => view! {
                        <label>
                            "Endpoint URL"
                            <input type="text" class="mono" maxlength="2048" spellcheck="false" placeholder="https://collector.example.com/logs"
                                prop:value=move || url.get() on:input=field(url) data-testid="subscription-url"/>
                        </label>
                    }.into_any(),
                }}
                <label>
                    "Distribution"
                    <select data-testid="subscription-distribution" on:change=field(distribution)>
                        {DISTRIBUTIONS.iter().map(|(value, label)| view! {
                            <option value=*value selected=move || distribution.get() == *value>{*label}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="subscription-error">{e}</div> })}
            <div class="inline-form">
                <button type="submit" class="primary" disabled=move || save.pending().get() data-testid="subscription-save">"Create subscription filter"</button>
                <button type="button" class="secondary" on:click=move |_| creating.set(false) data-testid="subscription-cancel">"Cancel"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_told_apart_by_their_arn() {
        let cases: &[(&str, Destination)] = &[
            ("https://collector.test/in", Destination::Http("https://collector.test/in".into())),
            (
                "arn:aws:logs:eu-central-1:000000000000:log-group:/app/central:*",
                Destination::LogGroup { region: "eu-central-1".into(), name: "/app/central".into() },
            ),
            (
                "arn:aws:logs:eu-central-1:000000000000:log-group:/app/central",
                Destination::LogGroup { region: "eu-central-1".into(), name: "/app/central".into() },
            ),
            (
                "arn:aws:sns:us-east-1:000000000000:alerts",
                Destination::Topic { region: "us-east-1".into(), name: "alerts".into() },
            ),
            (
                "arn:aws-cn:sns:cn-north-1:000000000000:alerts",
                Destination::Topic { region: "cn-north-1".into(), name: "alerts".into() },
            ),
            (
                "arn:aws:logs:us-east-1:000000000000:destination:d",
                Destination::Other("arn:aws:logs:us-east-1:000000000000:destination:d".into()),
            ),
        ];
        for (arn, expected) in cases {
            assert_eq!(Destination::of(arn), *expected, "{arn}");
        }
        let mut query = ParamsMap::new();
        query.insert("region".to_owned(), "eu-central-1".to_owned());
        let (shown, link) = cases[1].1.shown("eu-central-1", &query);
        assert_eq!(shown, "/app/central");
        assert_eq!(link.as_deref(), Some("/cloudwatch/logs/group?region=eu-central-1&name=%2Fapp%2Fcentral"));
        assert_eq!(cases[3].1.shown("eu-central-1", &query).1, None, "a topic of another region is not linked");
    }
}
