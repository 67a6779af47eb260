//! AWS Config › Dashboard: whether the configuration recorder records (its name, last start, recording group),
//! where the delivery channel delivers and how its last snapshot and history deliveries went, and the current
//! resources by type as a table with bars, each type linked to the inventory filtered by it. Without a recorder,
//! the aws CLI commands that set one up. Then compliance: rules and resources compliant and not now, and a chart of
//! compliant and non-compliant resources over the console's time range, replayed from the resources'
//! `AWS::Config::ResourceCompliance` items.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::timeline::ticks;
use super::{RULES_PATH, inventory_href, maybe_time, time_utc};
use crate::api::{
    ChannelView, ComplianceOverview, ConfigOverview, DeliveryView, RecorderView, config_compliance, config_dashboard,
};
use crate::components::query::{href, use_region, use_time_range};

#[component]
pub fn ConfigDashboardPage() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let overview = Resource::new(
        move || (region.get(), query.read().get("account")),
        |(region, account)| config_dashboard(region, account),
    );
    view! {
        <Title text="AWS Config dashboard"/>
        <div class="breadcrumb">"AWS Config › Dashboard"</div>
        <h1 data-testid="page-title">"Dashboard"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the recorder…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Overview overview=overview/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="config-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
        <ComplianceSection/>
    }
    .into_any()
}

#[component]
fn Overview(overview: ConfigOverview) -> impl IntoView {
    let ConfigOverview { account, region, endpoint, recorder, channel, total, counts } = overview;
    let has_recorder = recorder.is_some();
    let setup = recorder.is_none().then(|| view! { <SetUp account=account endpoint=endpoint region=region.clone()/> });
    let panels = recorder.map(|recorder| {
        view! {
            <div class="two-columns cfg-status-panels">
                <RecorderPanel recorder=recorder/>
                <ChannelPanel channel=channel/>
            </div>
        }
    });
    // Without a recorder, the counts show only what an earlier one recorded.
    let counts =
        (has_recorder || !counts.is_empty()).then(|| view! { <CountsPanel total=total counts=counts region=region/> });
    view! {
        {setup}
        {panels}
        {counts}
    }
    .into_any()
}

fn facts(rows: Vec<(&'static str, AnyView)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {rows.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
    }
}

fn text(value: impl Into<String>) -> AnyView {
    let value: String = value.into();
    value.into_any()
}

/// The recording group in words.
fn group_words(recorder: &RecorderView) -> String {
    match recorder.strategy.as_str() {
        "INCLUSION_BY_RESOURCE_TYPES" => format!("Only {}", recorder.resource_types.join(", ")),
        "EXCLUSION_BY_RESOURCE_TYPES" => format!("All supported types except {}", recorder.exclusions.join(", ")),
        _ if recorder.include_global => "All supported resource types, including global ones".to_owned(),
        _ => "All supported resource types".to_owned(),
    }
}

#[component]
fn RecorderPanel(recorder: RecorderView) -> impl IntoView {
    let (class, word) =
        if recorder.recording { ("cfg-status-ok", "Recording") } else { ("cfg-status-deleted", "Stopped") };
    let rows = vec![
        ("Name", text(recorder.name.clone())),
        ("Last started (UTC)", text(maybe_time(recorder.last_start_ms))),
        ("Last stopped (UTC)", text(maybe_time(recorder.last_stop_ms))),
        (
            "Last status",
            text(match (&recorder.last_status, recorder.last_status_change_ms) {
                (Some(status), Some(at)) => format!("{status} at {}", maybe_time(Some(at))),
                (Some(status), None) => status.clone(),
                _ => "–".to_owned(),
            }),
        ),
        ("Recording group", view! { <span data-testid="recording-group">{group_words(&recorder)}</span> }.into_any()),
        ("Frequency", text(recorder.frequency.clone().unwrap_or_else(|| "CONTINUOUS".to_owned()))),
        (
            "Role",
            view! { <span class="mono">{recorder.role_arn.clone().unwrap_or_else(|| "–".to_owned())}</span> }
                .into_any(),
        ),
    ];
    view! {
        <section class="panel" data-testid="recorder-panel">
            <header class="panel-header">
                <h2>"Configuration recorder"</h2>
                <span class=format!("cfg-status {class}") data-testid="recorder-state">{word}</span>
            </header>
            <div class="panel-body">{facts(rows)}</div>
        </section>
    }
}

fn delivery_words(delivery: &DeliveryView) -> AnyView {
    let status = delivery.last_status.clone();
    let when = delivery.last_attempt_ms.or(delivery.last_success_ms);
    match status {
        None => view! { <span class="muted">"Not delivered yet"</span> }.into_any(),
        Some(status) => {
            let class = match status.as_str() {
                "Success" => "cfg-status cfg-status-ok",
                "Failure" => "cfg-status cfg-status-deleted",
                _ => "cfg-status cfg-status-other",
            };
            view! {
                <span class=class>{status}</span>
                " "<span class="small">{maybe_time(when)}</span>
                {delivery.last_error.clone().map(|e| view! { <div class="error-text small">{e}</div> })}
            }
            .into_any()
        }
    }
}

#[component]
fn ChannelPanel(channel: Option<ChannelView>) -> impl IntoView {
    let Some(channel) = channel else {
        return view! {
            <section class="panel" data-testid="channel-panel">
                <header class="panel-header"><h2>"Delivery channel"</h2></header>
                <p class="panel-body muted" data-testid="no-channel">
                    "No delivery channel: the recorder cannot start without one (aws configservice put-delivery-channel)."
                </p>
            </section>
        }
        .into_any();
    };
    let location = format!("s3://{}/{}", channel.bucket, channel.key_prefix.clone().unwrap_or_default());
    let rows = vec![
        ("Name", text(channel.name.clone())),
        ("S3 bucket", view! { <span class="mono" data-testid="channel-bucket">{location}</span> }.into_any()),
        (
            "SNS topic",
            view! { <span class="mono">{channel.topic_arn.clone().unwrap_or_else(|| "–".to_owned())}</span> }
                .into_any(),
        ),
        ("Snapshot frequency", text(channel.frequency.clone().unwrap_or_else(|| "–".to_owned()))),
        (
            "Last snapshot (UTC)",
            view! { <span data-testid="snapshot-delivery">{delivery_words(&channel.snapshot)}</span> }.into_any(),
        ),
        (
            "Last history (UTC)",
            view! { <span data-testid="history-delivery">{delivery_words(&channel.history)}</span> }.into_any(),
        ),
        ("Next snapshot (UTC)", text(maybe_time(channel.snapshot.next_ms))),
    ];
    view! {
        <section class="panel" data-testid="channel-panel">
            <header class="panel-header"><h2>"Delivery channel"</h2></header>
            <div class="panel-body">{facts(rows)}</div>
        </section>
    }
    .into_any()
}

#[component]
fn SetUp(account: String, endpoint: String, region: String) -> impl IntoView {
    let cli = format!("aws --endpoint-url {endpoint} --region {region} configservice");
    let partition = skywatch_model::partition(&region);
    let commands = format!(
        "{cli} put-configuration-recorder \\\n    \
         --configuration-recorder name=default,roleARN=arn:{partition}:iam::{account}:role/aws-config-role \\\n    \
         --recording-group allSupported=true,includeGlobalResourceTypes=true\n\
         {cli} put-delivery-channel \\\n    \
         --delivery-channel name=default,s3BucketName=config-bucket-{account}\n\
         {cli} start-configuration-recorder --configuration-recorder-name default"
    );
    view! {
        <section class="panel" data-testid="no-recorder">
            <div class="empty-state">
                <h3>"No configuration recorder in " {region}</h3>
                <p>
                    "AWS Config records the configuration of your resources once a recorder runs. Create one, give it a "
                    "delivery channel (Skywatch writes the bucket under its data directory) and start it:"
                </p>
                <pre class="code" data-testid="setup-commands">{commands}</pre>
                <p class="muted">
                    "The recorder then discovers Skywatch's own alarms, dashboards and topics, and records what "
                    "workloads report with PutResourceConfig."
                </p>
            </div>
        </section>
    }
}

#[component]
fn CountsPanel(total: u64, counts: Vec<(String, u64)>, region: String) -> impl IntoView {
    let query = use_query_map();
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let types = counts.len();
    let body = if counts.is_empty() {
        view! { <p class="empty" data-testid="counts-empty">{format!("No resources recorded in {region}.")}</p> }
            .into_any()
    } else {
        view! {
            <table class="grid cfg-counts" data-testid="resource-counts">
                <thead><tr><th>"Resource type"</th><th class="num">"Resources"</th><th class="bar-cell"><span class="sr-only">"Share"</span></th></tr></thead>
                <tbody>
                    {counts.into_iter().map(|(resource_type, count)| {
                        let width = format!("width: {:.1}%", count as f64 / most as f64 * 100.0);
                        let link = inventory_href(&resource_type, &query.read_untracked());
                        view! {
                            <tr data-testid="count-row" data-type=resource_type.clone()>
                                <td><a class="mono" href=link data-testid="count-link">{resource_type.clone()}</a></td>
                                <td class="num" data-testid="count-value">{count}</td>
                                <td class="bar-cell"><span class="count-bar" style=width></span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel" data-testid="counts-panel">
            <header class="panel-header">
                <h2>"Resource inventory " <span class="count" data-testid="resource-total">{format!("({total})")}</span></h2>
                <span class="muted small">{format!("{types} resource type{}", if types == 1 { "" } else { "s" })}</span>
                <span class="spacer"></span>
                <a class="button-link" href=move || inventory_href("", &query.read()) data-testid="view-inventory">"View resources"</a>
            </header>
            {body}
        </section>
    }
}

/// The compliance chart's drawing space.
const CHART_WIDTH: f64 = 1000.0;
const CHART_HEIGHT: f64 = 150.0;
const CHART_LEFT: f64 = 40.0;
const CHART_RIGHT: f64 = CHART_WIDTH - 12.0;
const CHART_TOP: f64 = 10.0;
const CHART_BOTTOM: f64 = 124.0;

#[component]
fn ComplianceSection() -> impl IntoView {
    let query = use_query_map();
    let region = use_region();
    let range = use_time_range();
    let compliance = Resource::new(
        move || (region.get(), query.read().get("account"), range.get().to_query_value()),
        |(region, account, range)| config_compliance(region, account, range),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading compliance…"</p> }>
            {move || Suspend::new(async move {
                match compliance.await {
                    Ok(c) => view! { <CompliancePanel compliance=c/> }.into_any(),
                    Err(e) => view! { <div class="error" role="alert" data-testid="compliance-error">{e.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A step line through `points` (time, value) over the chart.
fn step_path(points: &[(i64, usize)], window: (i64, i64), most: usize) -> String {
    let span = (window.1 - window.0).max(1) as f64;
    let x = |t: i64| CHART_LEFT + (t - window.0) as f64 / span * (CHART_RIGHT - CHART_LEFT);
    let y = |v: usize| CHART_BOTTOM - v as f64 / most.max(1) as f64 * (CHART_BOTTOM - CHART_TOP);
    let mut path = String::new();
    for (i, (t, v)) in points.iter().enumerate() {
        if i == 0 {
            path.push_str(&format!("M{:.1},{:.1}", x(*t), y(*v)));
        } else {
            path.push_str(&format!(" H{:.1} V{:.1}", x(*t), y(*v)));
        }
    }
    path
}

#[component]
fn CompliancePanel(compliance: ComplianceOverview) -> impl IntoView {
    let query = use_query_map();
    let ComplianceOverview {
        rules,
        compliant_rules,
        non_compliant_rules,
        compliant_resources,
        non_compliant_resources,
        window,
        points,
        tracked,
        capped,
    } = compliance;
    let most = points.iter().map(|(_, c, n)| (*c).max(*n)).max().unwrap_or(0).max(1);
    let compliant: Vec<(i64, usize)> = points.iter().map(|(t, c, _)| (*t, *c)).collect();
    let non_compliant: Vec<(i64, usize)> = points.iter().map(|(t, _, n)| (*t, *n)).collect();
    let span = (window.1 - window.0).max(1) as f64;
    let tick_x = move |t: i64| CHART_LEFT + (t - window.0) as f64 / span * (CHART_RIGHT - CHART_LEFT);
    let rules_link = href(RULES_PATH, &query.read_untracked(), &[]);
    let non_compliant_link = href(RULES_PATH, &query.read_untracked(), &[("compliance", "NON_COMPLIANT")]);
    let chart = (tracked > 0).then(|| {
        let mut levels = vec![0, most];
        if most >= 2 {
            levels.insert(1, most / 2);
        }
        let grid = levels.into_iter().map(|label| {
            let y = CHART_BOTTOM - label as f64 / most as f64 * (CHART_BOTTOM - CHART_TOP);
            view! {
                <line class="tl-grid" x1=CHART_LEFT y1=y x2=CHART_RIGHT y2=y/>
                <text class="tl-tick" x=CHART_LEFT - 6.0 y=y + 4.0 text-anchor="end">{label}</text>
            }
        });
        view! {
            <svg class="cfg-compliance-chart" viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}") role="img"
                aria-label="Compliant and noncompliant resources over time" data-testid="compliance-chart"
                data-points=points.len()>
                {grid.collect_view()}
                {ticks(window).into_iter().map(|(at, label)| {
                    let x = tick_x(at);
                    let anchor = if x < CHART_LEFT + 50.0 { "start" } else if x > CHART_RIGHT - 50.0 { "end" } else { "middle" };
                    view! { <text class="tl-tick" x=x y=CHART_BOTTOM + 18.0 text-anchor=anchor>{label}</text> }
                }).collect_view()}
                <line class="tl-axis" x1=CHART_LEFT y1=CHART_BOTTOM x2=CHART_RIGHT y2=CHART_BOTTOM/>
                <path class="cfg-line cfg-line-ok" d=step_path(&compliant, window, most) data-testid="compliant-line"/>
                <path class="cfg-line cfg-line-bad" d=step_path(&non_compliant, window, most) data-testid="non-compliant-line"/>
            </svg>
        }
    });
    view! {
        <section class="panel" data-testid="compliance-dashboard">
            <header class="panel-header">
                <h2>"Compliance"</h2>
                <span class="muted small">{format!("{rules} rule{}", if rules == 1 { "" } else { "s" })}</span>
                <span class="spacer"></span>
                <a class="button-link" href=rules_link data-testid="view-rules">"View rules"</a>
            </header>
            <div class="panel-body stat-cards">
                <div class="stat"><div class="muted small">"Compliant rules"</div><div class="stat-value cfg-ok-text" data-testid="dash-compliant-rules">{compliant_rules}</div></div>
                <div class="stat"><div class="muted small">"Noncompliant rules"</div>
                    <a class="stat-value cfg-bad-text" href=non_compliant_link data-testid="dash-non-compliant-rules">{non_compliant_rules}</a></div>
                <div class="stat"><div class="muted small">"Compliant resources"</div><div class="stat-value cfg-ok-text" data-testid="dash-compliant-resources">{compliant_resources}</div></div>
                <div class="stat"><div class="muted small">"Noncompliant resources"</div><div class="stat-value cfg-bad-text" data-testid="dash-non-compliant-resources">{non_compliant_resources}</div></div>
            </div>
            <div class="panel-body cfg-chart-body">
                <div class="tl-bar">
                    <span class="small">"Resources over time"</span>
                    <span class="range-label muted">{format!("{} – {} UTC", time_utc(window.0), time_utc(window.1))}</span>
                    <span class="spacer"></span>
                    {capped.then(|| view! { <span class="muted small">{format!("The first {tracked} resources.")}</span> })}
                    <ul class="map-legend small">
                        <li><span class="swatch tl-swatch-ok"></span>"Compliant"</li>
                        <li><span class="swatch tl-swatch-deleted"></span>"Noncompliant"</li>
                    </ul>
                </div>
                {match chart {
                    Some(chart) => chart.into_any(),
                    None => view! { <p class="empty" data-testid="compliance-chart-empty">"No resource has been evaluated by a rule yet."</p> }.into_any(),
                }}
            </div>
        </section>
    }
}
