//! "Add to dashboard": puts the graphed metrics, with the page's statistic and period, on a dashboard as a new
//! widget (an existing dashboard, or a new one), then opens that dashboard.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use super::PageState;
use crate::api::{SaveOutcome, dashboard_add_widget, dashboard_list, describe_messages};
use crate::components::query::use_region;
use crate::components::shortcuts::close_on_escape;
use crate::pages::dashboard::ViewSelect;
use crate::pages::dashboard::compose::MetricWidget;
use crate::pages::dashboard::{dashboard_href, name_problem};

/// The period a widget gets when the graph's is automatic (dashboards then adjust it to their range).
const AUTOMATIC_WIDGET_PERIOD: i64 = 300;

/// The button in the graph panel's header, and the dialog it opens.
#[component]
pub fn AddToDashboard() -> impl IntoView {
    let page = expect_context::<PageState>();
    let open = RwSignal::new(false);
    let nothing_graphed = move || page.state.with(|s| s.metrics.is_empty());
    view! {
        <button
            type="button"
            class="secondary"
            disabled=nothing_graphed
            title="Put the graphed metrics on a dashboard"
            on:click=move |_| open.set(true)
            data-testid="add-to-dashboard"
        >
            "Add to dashboard"
        </button>
        <Show when=move || open.get()>
            <div class="overlay" on:click=move |_| open.set(false)>
                <div
                    class="dialog narrow"
                    role="dialog"
                    aria-modal="true"
                    aria-label="Add to dashboard"
                    on:click=|ev| ev.stop_propagation()
                >
                    <AddDialog open=open/>
                </div>
            </div>
        </Show>
    }
    .into_any()
}

/// Where the widget goes: a dashboard of the list, or a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Existing,
    New,
}

#[component]
fn AddDialog(open: RwSignal<bool>) -> impl IntoView {
    let page = expect_context::<PageState>();
    close_on_escape(move || open.set(false));
    let region = use_region();
    let account = Memo::new(move |_| page.query.with(|q| q.get("account")));
    let listing = Resource::new(
        move || (region.get(), account.get()),
        |(region, account)| dashboard_list(region, account, String::new()),
    );
    let target = RwSignal::new(Target::Existing);
    let chosen = RwSignal::new(String::new());
    let new_name = RwSignal::new(String::new());
    let view_choice = RwSignal::new("line".to_owned());
    let title = RwSignal::new(page.state.with_untracked(|s| default_title(&s.metrics)));
    let error = RwSignal::new(None::<String>);
    // The first dashboard is chosen once the list arrives; with none, the dialog makes a new one.
    Effect::new(move |_| {
        if let Some(Ok(listing)) = listing.get() {
            match listing.dashboards.first() {
                Some(first) if chosen.get_untracked().is_empty() => chosen.set(first.name.clone()),
                Some(_) => {}
                None => target.set(Target::New),
            }
        }
    });
    let add = Action::new(move |(name, create): &(String, bool)| {
        let (name, create) = (name.clone(), *create);
        let (metrics, stat, period) = page
            .state
            .with_untracked(|s| (s.metrics.clone(), s.statistic.clone(), s.period.unwrap_or(AUTOMATIC_WIDGET_PERIOD)));
        let (region, view_key, title) = (region.get_untracked(), view_choice.get_untracked(), title.get_untracked());
        let (widget, width, height) = MetricWidget {
            metrics: &metrics,
            region: &region,
            view_key: &view_key,
            stat: &stat,
            period,
            title: &title,
        }
        .build();
        let account = account.get_untracked();
        async move { (name.clone(), dashboard_add_widget(account, name, widget, width, height, create).await) }
    });
    Effect::new(move |_| {
        if let Some((name, outcome)) = add.value().get() {
            match outcome {
                Ok(SaveOutcome::Saved { .. }) => {
                    open.set(false);
                    let link = page.query.with_untracked(|q| dashboard_href(&name, q, &[]));
                    use_navigate()(&link, NavigateOptions::default());
                }
                Ok(SaveOutcome::Invalid(messages)) => error.set(Some(describe_messages(&messages))),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (name, create) = match target.get_untracked() {
            Target::Existing => (chosen.get_untracked(), false),
            Target::New => (new_name.get_untracked().trim().to_owned(), true),
        };
        if name.is_empty() {
            error.set(Some("Choose a dashboard, or name a new one.".into()));
            return;
        }
        if let Some(problem) = create.then(|| name_problem(&name)).flatten() {
            error.set(Some(problem));
            return;
        }
        error.set(None);
        add.dispatch((name, create));
    };
    let graphed = move || page.state.with(|s| s.metrics.len());
    view! {
        <form class="dialog-body" on:submit=submit data-testid="add-to-dashboard-dialog">
            <h2>"Add to dashboard"</h2>
            <p class="muted">
                {move || format!("{} metric(s), {} · {}", graphed(), page.state.with(|s| s.statistic.clone()), period_text(page))}
            </p>
            <fieldset class="choice-list">
                <label>
                    <input type="radio" name="target" prop:checked=move || target.get() == Target::Existing on:change=move |_| target.set(Target::Existing) data-testid="atd-existing"/>
                    " Existing dashboard "
                    <Transition fallback=|| view! { <select disabled=true><option>"Loading…"</option></select> }>
                        {move || Suspend::new(async move {
                            let names: Vec<String> = match listing.await {
                                Ok(listing) => listing.dashboards.into_iter().map(|d| d.name).collect(),
                                Err(e) => return view! { <span class="error-text" data-testid="atd-list-error">{e.to_string()}</span> }.into_any(),
                            };
                            let no_dashboards = names.is_empty();
                            view! {
                                <select
                                    on:change=move |ev| {
                                        chosen.set(event_target_value(&ev));
                                        target.set(Target::Existing);
                                    }
                                    disabled=no_dashboards
                                    data-testid="atd-dashboard"
                                >
                                    {names
                                        .into_iter()
                                        .map(|name| {
                                            let (is, value) = (name.clone(), name.clone());
                                            view! { <option value=value selected=move || chosen.get() == is>{name}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            }
                            .into_any()
                        })}
                    </Transition>
                </label>
                <label>
                    <input type="radio" name="target" prop:checked=move || target.get() == Target::New on:change=move |_| target.set(Target::New) data-testid="atd-new"/>
                    " New dashboard "
                    <input
                        type="text"
                        maxlength="255"
                        placeholder="Name"
                        prop:value=move || new_name.get()
                        on:input=move |ev| {
                            new_name.set(event_target_value(&ev));
                            target.set(Target::New);
                        }
                        data-testid="atd-new-name"
                    />
                </label>
            </fieldset>
            <div class="form-grid two">
                <label>"Widget type" <ViewSelect choice=view_choice test_id="atd-view"/></label>
                <label>
                    "Widget title"
                    <input type="text" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) data-testid="atd-title"/>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="atd-error">{e}</p> })}
            <footer class="dialog-actions">
                <button type="button" class="secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="submit" class="primary" disabled=move || add.pending().get() data-testid="atd-submit">
                    "Add to dashboard"
                </button>
            </footer>
        </form>
    }
    .into_any()
}

/// The graph's period in words, or "automatic period" (the widget then gets 5 minutes).
fn period_text(page: PageState) -> String {
    page.state.with(|s| match s.period {
        Some(seconds) => crate::api::period_label(seconds),
        None => "automatic period (5 minutes on the dashboard)".to_owned(),
    })
}

/// The metric name when every graphed metric shares it, else nothing (the widget then has no title).
fn default_title(metrics: &[crate::api::MetricId]) -> String {
    match metrics.split_first() {
        Some((first, rest)) if rest.iter().all(|m| m.metric_name == first.metric_name) => first.metric_name.clone(),
        _ => String::new(),
    }
}
