//! CloudWatch › Alarms › Create alarm: pick a metric (search the catalogue), its statistic and period; set the
//! condition with a live preview of the threshold on the metric's last three hours; choose the topics to
//! notify; name it. The metric and the choices can come in the URL (`ns`, `metric`, `dim=Name:Value`, `stat`,
//! `period`), so a metric's page can link here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{
    COMPARISONS, MISSING_DATA, MetricAlarmForm, MetricId, alarm_preview, alarm_put_metric, alarm_topic_choices,
    metric_search,
};
use crate::components::alarm::{AlarmChart, alarm_href};
use crate::components::query::{href, use_region};

/// The preview graph's height.
const PREVIEW_HEIGHT: u32 = 220;
const STATISTICS: [&str; 8] = ["Average", "Sum", "Minimum", "Maximum", "SampleCount", "p50", "p90", "p99"];
const PERIODS: [(i64, &str); 7] = [
    (10, "10 seconds"),
    (30, "30 seconds"),
    (60, "1 minute"),
    (300, "5 minutes"),
    (900, "15 minutes"),
    (3600, "1 hour"),
    (86_400, "1 day"),
];

#[component]
pub fn CreateAlarmPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let account = move || query.read_untracked().get("account");
    let initial = {
        let q = query.read_untracked();
        let dimensions = q
            .get_all("dim")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| d.split_once(':').map(|(n, v)| (n.to_owned(), v.to_owned())))
            .collect::<Vec<_>>();
        let metric = match (q.get("ns"), q.get("metric")) {
            (Some(namespace), Some(metric_name)) => Some(MetricId { namespace, metric_name, dimensions }),
            _ => None,
        };
        MetricAlarmForm {
            statistic: q.get("stat").filter(|s| STATISTICS.contains(&s.as_str())).unwrap_or_else(|| "Average".into()),
            period: q
                .get("period")
                .and_then(|p| p.parse().ok())
                .filter(|p| PERIODS.iter().any(|(s, _)| s == p))
                .unwrap_or(300),
            comparison: "GreaterThanThreshold".into(),
            threshold: 0.0,
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            treat_missing_data: "missing".into(),
            namespace: metric.as_ref().map(|m| m.namespace.clone()).unwrap_or_default(),
            metric_name: metric.as_ref().map(|m| m.metric_name.clone()).unwrap_or_default(),
            dimensions: metric.map(|m| m.dimensions).unwrap_or_default(),
            ..Default::default()
        }
    };
    let form = RwSignal::new(initial);
    let search = RwSignal::new(String::new());
    let results = Resource::new(
        move || (region.get(), search.get()),
        move |(region, search)| async move {
            if search.trim().is_empty() { Ok(Vec::new()) } else { metric_search(region, account(), search, 20).await }
        },
    );
    let topics = Resource::new(move || region.get(), move |region| alarm_topic_choices(region, account()));
    // The preview follows the form, but only what changes the graph.
    let preview_key = Memo::new(move |_| {
        let f = form.get();
        (f.namespace, f.metric_name, f.dimensions, f.statistic, f.period, f.comparison, f.threshold.to_bits())
    });
    let theme = use_context::<crate::components::theme::ConsoleTheme>();
    let preview = Resource::new(
        move || (region.get(), preview_key.get()),
        move |(region, _)| {
            let f = form.get_untracked();
            let dark = theme.is_some_and(|t| t.0.get_untracked() == "dark");
            async move {
                if f.metric_name.is_empty() {
                    return None;
                }
                let graph = alarm_preview(region, account(), f).await;
                #[cfg(feature = "ssr")]
                let graph = match graph {
                    Ok(graph) => {
                        Ok(crate::components::alarm::prerender_alarm_chart(graph, &[], dark, PREVIEW_HEIGHT).await)
                    }
                    Err(e) => Err(e),
                };
                #[cfg(not(feature = "ssr"))]
                let _ = dark;
                Some(graph)
            }
        },
    );
    let error = RwSignal::new(None::<String>);
    let save = Action::new(move |f: &MetricAlarmForm| alarm_put_metric(region.get_untracked(), account(), f.clone()));
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(()) => {
                    let link = alarm_href(form.get_untracked().name.trim(), &query.read_untracked());
                    use_navigate()(&link, NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let field = move |update: fn(&mut MetricAlarmForm, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            form.update(|f| update(f, value));
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        if f.metric_name.is_empty() {
            error.set(Some("Pick a metric first.".into()));
        } else if f.name.trim().is_empty() {
            error.set(Some("Give the alarm a name.".into()));
        } else {
            error.set(None);
            save.dispatch(f);
        }
    };
    view! {
        <Title text="Create alarm"/>
        <div class="breadcrumb">
            <a href=move || href("/cloudwatch/alarms", &query.read(), &[])>"CloudWatch › Alarms"</a>" › Create alarm"
        </div>
        <h1 data-testid="page-title">"Create alarm"</h1>
        <form class="wizard" on:submit=submit data-testid="create-alarm-form">
            <section class="panel" data-testid="step-metric">
                <header class="panel-header"><h2>"1. Metric"</h2></header>
                <div class="panel-body">
                    <div class="picker-chosen" data-testid="chosen-metric">
                        {move || {
                            let f = form.get();
                            if f.metric_name.is_empty() {
                                "No metric chosen yet.".to_owned()
                            } else {
                                let dims: Vec<String> = f.dimensions.iter().map(|(n, v)| format!("{n}={v}")).collect();
                                format!("{} · {} {}", f.namespace, f.metric_name, dims.join(", "))
                            }
                        }}
                    </div>
                    <input type="search" placeholder="Search metrics by namespace, name or dimension" aria-label="Search metrics"
                        prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) data-testid="metric-search"/>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let rows = results.await.unwrap_or_default();
                            view! {
                                <ul class="picker-results" data-testid="metric-results">
                                    {rows.into_iter().map(|row| {
                                        let metric = row.metric.clone();
                                        let label = format!("{} · {}", metric.namespace, metric.label());
                                        view! {
                                            <li><button type="button" class="link-button" data-testid="metric-result" on:click=move |_| {
                                                let m = metric.clone();
                                                form.update(|f| { f.namespace = m.namespace; f.metric_name = m.metric_name; f.dimensions = m.dimensions; });
                                                search.set(String::new());
                                            }>{label}</button></li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        })}
                    </Transition>
                    <div class="form-grid">
                        <label>"Statistic"
                            <select on:change=field(|f, v| f.statistic = v) data-testid="statistic">
                                {STATISTICS.iter().map(|s| view! { <option value=*s selected=move || form.read().statistic == *s>{*s}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"Period"
                            <select on:change=field(|f, v| f.period = v.parse().unwrap_or(300)) data-testid="period">
                                {PERIODS.iter().map(|(s, l)| view! { <option value=s.to_string() selected=move || form.read().period == *s>{*l}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                </div>
            </section>
            <section class="panel" data-testid="step-conditions">
                <header class="panel-header"><h2>"2. Conditions"</h2></header>
                <div class="panel-body">
                    <div class="form-grid">
                        <label>"Whenever the metric is"
                            <select on:change=field(|f, v| f.comparison = v) data-testid="comparison">
                                {COMPARISONS.iter().map(|(c, s)| view! { <option value=*c selected=move || form.read().comparison == *c>{format!("{s} ({c})")}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"than the threshold"
                            <input type="number" step="any" prop:value=move || form.read().threshold.to_string()
                                on:input=field(|f, v| f.threshold = v.parse().unwrap_or(f.threshold)) data-testid="threshold"/>
                        </label>
                        <label>"Datapoints to alarm"
                            <span class="inline">
                                <input type="number" min="1" class="short" prop:value=move || form.read().datapoints_to_alarm.to_string()
                                    on:input=field(|f, v| f.datapoints_to_alarm = v.parse().unwrap_or(1)) data-testid="datapoints"/>
                                " out of "
                                <input type="number" min="1" class="short" prop:value=move || form.read().evaluation_periods.to_string()
                                    on:input=field(|f, v| f.evaluation_periods = v.parse().unwrap_or(1)) data-testid="evaluation-periods"/>
                            </span>
                        </label>
                        <label>"Missing data"
                            <select on:change=field(|f, v| f.treat_missing_data = v) data-testid="missing-data">
                                {MISSING_DATA.iter().map(|(v, l)| view! { <option value=*v selected=move || form.read().treat_missing_data == *v>{*l}</option> }).collect_view()}
                            </select>
                        </label>
                    </div>
                    <div class="preview" data-testid="alarm-preview">
                        <Transition fallback=|| view! { <p class="muted">"Drawing the preview…"</p> }>
                            {move || Suspend::new(async move {
                                match preview.await {
                                    None => view! { <p class="muted graph-placeholder">"Pick a metric to see it against the threshold."</p> }.into_any(),
                                    Some(Ok(graph)) => view! { <AlarmChart graph=graph spans=Vec::new() height=PREVIEW_HEIGHT/> }.into_any(),
                                    Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                                }
                            })}
                        </Transition>
                    </div>
                </div>
            </section>
            <section class="panel" data-testid="step-actions">
                <header class="panel-header"><h2>"3. Actions"</h2></header>
                <div class="panel-body form-grid">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let arns = topics.await.unwrap_or_default();
                            let options = move || arns.clone();
                            view! {
                                <label>"In alarm, notify"
                                    <select on:change=field(|f, v| f.alarm_actions = if v.is_empty() { vec![] } else { vec![v] }) data-testid="alarm-topic">
                                        <option value="">"Nobody"</option>
                                        {options().into_iter().map(|arn| view! { <option value=arn.clone()>{arn.rsplit(':').next().unwrap_or_default().to_owned()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label>"Back to OK, notify"
                                    <select on:change=field(|f, v| f.ok_actions = if v.is_empty() { vec![] } else { vec![v] }) data-testid="ok-topic">
                                        <option value="">"Nobody"</option>
                                        {options().into_iter().map(|arn| view! { <option value=arn.clone()>{arn.rsplit(':').next().unwrap_or_default().to_owned()}</option> }).collect_view()}
                                    </select>
                                </label>
                            }
                        })}
                    </Transition>
                </div>
            </section>
            <section class="panel" data-testid="step-name">
                <header class="panel-header"><h2>"4. Name"</h2></header>
                <div class="panel-body form-grid">
                    <label>"Alarm name"
                        <input type="text" maxlength="255" prop:value=move || form.read().name.clone()
                            on:input=field(|f, v| f.name = v) data-testid="alarm-name"/>
                    </label>
                    <label>"Description"
                        <input type="text" maxlength="1024" prop:value=move || form.read().description.clone()
                            on:input=field(|f, v| f.description = v) data-testid="alarm-description"/>
                    </label>
                </div>
            </section>
            {move || error.get().map(|e| view! { <div class="error" role="alert" data-testid="create-alarm-error">{e}</div> })}
            <div class="dialog-actions">
                <a class="button-link secondary" href=move || href("/cloudwatch/alarms", &query.read(), &[])>"Cancel"</a>
                <button type="submit" class="primary" data-testid="create-alarm-submit">"Create alarm"</button>
            </div>
        </form>
    }
}
