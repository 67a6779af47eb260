//! The server side of the alarm functions: thin adapters over the alarm operations the AWS API runs.

use std::collections::HashMap;

use leptos::prelude::*;
use skywatch_core::Services;
use skywatch_core::alarms::definition::{AlarmQuery, Kind, MetricStat, Source, referenced_name};
use skywatch_core::alarms::rule::{self, Rule};
use skywatch_core::alarms::service::{
    AlarmActionsInput, AlarmView, Common, CompositeInput, DeleteAlarms, DeleteAlarmsInput, DescribeAlarmHistory,
    DescribeAlarmHistoryInput, DescribeAlarms, DescribeAlarmsInput, Dimension, DisableAlarmActions, EnableAlarmActions,
    MetricInput, PutCompositeAlarm, PutCompositeAlarmInput, PutMetricAlarm, PutMetricAlarmInput, SetAlarmState,
    SetAlarmStateInput,
};
use skywatch_core::metrics::tsdb::SeriesKey;
use skywatch_core::metrics::{DataQuery, DataRequest, GetMetricData, QueryKind};
use skywatch_core::model::TimeRange;
use skywatch_core::ops::Context;
use skywatch_core::sns::{ListTopics, ListTopicsInput};

use super::{
    AlarmGraph, AlarmInfo, AlarmListing, AlarmSummary, COMPARISONS, CompositeAlarmForm, HistoryRow, MetricAlarmForm,
    RuleNode, STATES, StateSpan,
};
use crate::api::ssr;

const BOTH: [&str; 2] = ["MetricAlarm", "CompositeAlarm"];
/// Points an alarm graph stays within.
const MAX_POINTS: i64 = 1_440;

fn both_types() -> Vec<String> {
    BOTH.iter().map(|t| (*t).to_owned()).collect()
}

/// Every alarm of the context's account and region (DescribeAlarms, page by page).
async fn all_alarms(services: &Services, ctx: &Context) -> Result<Vec<AlarmView>, ServerFnError> {
    let mut out = Vec::new();
    let mut next_token = None;
    loop {
        let input =
            DescribeAlarmsInput { alarm_types: both_types(), max_records: Some(100), next_token, ..Default::default() };
        let page = services.invoke::<DescribeAlarms>(ctx, input).await.map_err(ssr::failed)?;
        out.extend(page.metric_alarms);
        out.extend(page.composite_alarms);
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    out.sort_by(|a, b| a.alarm.name.cmp(&b.alarm.name));
    Ok(out)
}

/// Alarms by name (at most 100), of both kinds.
async fn named(services: &Services, ctx: &Context, names: Vec<String>) -> Result<Vec<AlarmView>, ServerFnError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let input = DescribeAlarmsInput {
        alarm_names: names,
        alarm_types: both_types(),
        max_records: Some(100),
        ..Default::default()
    };
    let page = services.invoke::<DescribeAlarms>(ctx, input).await.map_err(ssr::failed)?;
    Ok(page.metric_alarms.into_iter().chain(page.composite_alarms).collect())
}

fn symbol(comparison: &str) -> &'static str {
    COMPARISONS.iter().find(|(name, _)| *name == comparison).map_or("outside", |(_, s)| s)
}

/// `5 minutes`, `1 hour`, `30 seconds`.
fn duration(seconds: i64) -> String {
    let (value, unit) = if seconds % 3600 == 0 {
        (seconds / 3600, "hour")
    } else if seconds % 60 == 0 {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    format!("{value} {unit}{}", if value == 1 { "" } else { "s" })
}

fn watched_label(source: &Source) -> String {
    match source {
        Source::Metric { stat, .. } => stat.metric_name.clone(),
        Source::Queries { queries, threshold_metric_id } => queries
            .iter()
            .find(|q| q.returns_data() && Some(&q.id) != threshold_metric_id.as_ref())
            .map(|q| q.label.clone().or_else(|| q.expression.clone()).unwrap_or_else(|| q.id.clone()))
            .unwrap_or_default(),
    }
}

fn summary(view: &AlarmView) -> AlarmSummary {
    let alarm = &view.alarm;
    let (kind, condition) = match &alarm.kind {
        Kind::Metric(metric) => {
            let n = i64::from(metric.evaluation_periods);
            let m = metric.datapoints_to_alarm.map_or(n, i64::from);
            let bound = match metric.threshold {
                Some(t) => format!("{} {t}", symbol(&metric.comparison)),
                None => "outside the anomaly band".to_owned(),
            };
            let within = duration(n * metric.source.period());
            let words = format!(
                "{} {bound} for {m} datapoint{} within {within}",
                watched_label(&metric.source),
                if m == 1 { "" } else { "s" }
            );
            ("Metric alarm", words)
        }
        Kind::Composite(composite) => ("Composite alarm", composite.rule.clone()),
    };
    AlarmSummary {
        name: alarm.name.clone(),
        kind: kind.to_owned(),
        state: view.status.value.as_str().to_owned(),
        state_updated_ms: view.status.updated_ms,
        condition,
        actions_enabled: alarm.actions.enabled,
        has_actions: alarm.actions.all().next().is_some(),
        description: alarm.description.clone(),
    }
}

pub async fn list(
    region: String,
    account: Option<String>,
    search: String,
    state: Option<String>,
    kind: Option<String>,
) -> Result<AlarmListing, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let all = all_alarms(&services, &ctx).await?;
    let total = all.len();
    let mut counts = [0usize; 3];
    for view in &all {
        if let Some(i) = STATES.iter().position(|s| *s == view.status.value.as_str()) {
            counts[i] += 1;
        }
    }
    let needle = search.trim().to_lowercase();
    let rows = all
        .iter()
        .filter(|v| {
            needle.is_empty()
                || v.alarm.name.to_lowercase().contains(&needle)
                || v.alarm.description.as_ref().is_some_and(|d| d.to_lowercase().contains(&needle))
        })
        .filter(|v| state.as_deref().is_none_or(|s| s.is_empty() || v.status.value.as_str() == s))
        .filter(|v| match kind.as_deref() {
            Some("metric") => matches!(v.alarm.kind, Kind::Metric(_)),
            Some("composite") => matches!(v.alarm.kind, Kind::Composite(_)),
            _ => true,
        })
        .map(summary)
        .collect();
    Ok(AlarmListing { rows, total, counts })
}

fn series(ctx: &Context, region: &str, stat: &MetricStat) -> SeriesKey {
    SeriesKey::new(
        ctx.account.as_str(),
        region,
        stat.namespace.clone(),
        stat.metric_name.clone(),
        stat.dimensions.clone(),
    )
}

/// The graph of `source` with its threshold over `(start, end)`: the GetMetricData operation.
async fn graph(
    services: &Services,
    ctx: &Context,
    source: &Source,
    threshold: Option<f64>,
    comparison: &str,
    (start_ms, end_ms): (i64, i64),
) -> Result<AlarmGraph, ServerFnError> {
    let span_s = ((end_ms - start_ms) / 1000).max(1);
    let period = source.period().max(span_s / MAX_POINTS).max(1);
    // Periods CloudWatch keeps: 10, 20, 30 or a whole minute.
    let period = if period <= 30 { period } else { (period + 59) / 60 * 60 };
    let region = ctx.region.clone();
    let (queries, watched, band) = match source {
        Source::Metric { stat, .. } => {
            let query = DataQuery {
                id: "watched".into(),
                kind: QueryKind::MetricStat {
                    series: series(ctx, &region, stat),
                    period_seconds: period,
                    stat: stat.stat.clone(),
                    unit: stat.unit.clone(),
                },
                label: None,
                return_data: true,
            };
            (vec![query], "watched".to_owned(), None)
        }
        Source::Queries { queries, threshold_metric_id } => {
            let watched = queries
                .iter()
                .find(|q| q.returns_data() && Some(&q.id) != threshold_metric_id.as_ref())
                .map(|q| q.id.clone())
                .unwrap_or_default();
            let list = queries
                .iter()
                .map(|q: &AlarmQuery| {
                    let wanted = q.id == watched || Some(&q.id) == threshold_metric_id.as_ref();
                    let kind = match (&q.metric_stat, &q.expression) {
                        (Some(stat), _) => QueryKind::MetricStat {
                            series: series(ctx, &region, stat),
                            period_seconds: period,
                            stat: stat.stat.clone(),
                            unit: stat.unit.clone(),
                        },
                        (None, expression) => QueryKind::Expression {
                            expression: expression.clone().unwrap_or_default(),
                            period_seconds: Some(period),
                        },
                    };
                    DataQuery { id: q.id.clone(), kind, label: q.label.clone(), return_data: wanted }
                })
                .collect();
            (list, watched, threshold_metric_id.clone())
        }
    };
    let request = DataRequest {
        account: ctx.account.clone(),
        region: region.clone(),
        queries,
        start_ms,
        end_ms,
        ascending: true,
        max_datapoints: None,
        next_token: None,
    };
    let unit = match source {
        Source::Metric { stat, .. } => stat.unit.clone(),
        Source::Queries { .. } => None,
    };
    let mut out = AlarmGraph {
        start_ms,
        end_ms,
        period_seconds: period,
        label: watched_label(source),
        unit,
        points: Vec::new(),
        threshold,
        band: None,
        symbol: symbol(comparison).to_owned(),
        note: None,
        drawn: None,
    };
    match services.invoke::<GetMetricData>(ctx, request).await {
        Ok(response) => {
            let mut edges = Vec::new();
            for result in response.results {
                let points: Vec<(i64, f64)> = result.timestamps_ms.into_iter().zip(result.values).collect();
                if result.id == watched && out.points.is_empty() {
                    out.points = points;
                } else if band.as_ref() == Some(&result.id) {
                    edges.push(points);
                }
            }
            if let Ok([upper, lower]) = <[_; 2]>::try_from(edges) {
                out.band = Some((lower, upper));
            }
            if out.points.is_empty() {
                out.note = Some("No data for this metric in the time range.".into());
            }
        }
        Err(failure) => out.note = Some(format!("{}: {failure}", failure.code().audit_code())),
    }
    Ok(out)
}

/// The state of each stretch of `(start, end)`, from the StateUpdate history (oldest first) and the state now.
fn timeline(updates: &[HistoryRow], current: &str, (start_ms, end_ms): (i64, i64)) -> Vec<StateSpan> {
    let old_state = |row: &HistoryRow| {
        serde_json::from_str::<serde_json::Value>(&row.data)
            .ok()
            .and_then(|v| v.pointer("/oldState/stateValue").and_then(|s| s.as_str()).map(str::to_owned))
    };
    let new_state = |row: &HistoryRow| {
        serde_json::from_str::<serde_json::Value>(&row.data)
            .ok()
            .and_then(|v| v.pointer("/newState/stateValue").and_then(|s| s.as_str()).map(str::to_owned))
    };
    let mut spans = Vec::new();
    let mut state = updates.first().and_then(old_state).unwrap_or_else(|| current.to_owned());
    let mut from = start_ms;
    for row in updates {
        let at = row.time_ms.clamp(start_ms, end_ms);
        if at > from {
            spans.push(StateSpan { state: state.clone(), from_ms: from, to_ms: at });
        }
        state = new_state(row).unwrap_or(state);
        from = at;
    }
    if end_ms > from {
        spans.push(StateSpan { state, from_ms: from, to_ms: end_ms });
    }
    spans
}

async fn history(
    services: &Services,
    ctx: &Context,
    name: &str,
    item_type: Option<String>,
    start_ms: Option<i64>,
    ascending: bool,
    pages: usize,
) -> Result<Vec<HistoryRow>, ServerFnError> {
    let mut rows = Vec::new();
    let mut next_token = None;
    for _ in 0..pages {
        let input = DescribeAlarmHistoryInput {
            alarm_name: Some(name.to_owned()),
            history_item_type: item_type.clone(),
            start_date_ms: start_ms,
            max_records: Some(100),
            next_token: next_token.take(),
            scan_by: Some(if ascending { "TimestampAscending" } else { "TimestampDescending" }.to_owned()),
            ..Default::default()
        };
        let page = services.invoke::<DescribeAlarmHistory>(ctx, input).await.map_err(ssr::failed)?;
        rows.extend(page.items.into_iter().map(|item| HistoryRow {
            time_ms: item.timestamp_ms,
            item_type: item.item_type,
            summary: item.summary,
            data: item.data,
        }));
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    Ok(rows)
}

/// A rule as a tree over the children's states.
fn tree(rule: &Rule, states: &HashMap<String, String>, region: &str, account: &str) -> RuleNode {
    match rule {
        Rule::True => RuleNode::Constant(true),
        Rule::False => RuleNode::Constant(false),
        Rule::Is { state, alarm } => {
            let name = referenced_name(alarm, region, account).unwrap_or(alarm);
            let actual = states.get(name).cloned();
            let holds = actual.as_deref().unwrap_or("INSUFFICIENT_DATA") == state.as_str();
            RuleNode::Child { wanted: state.as_str().to_owned(), alarm: alarm.clone(), actual, holds }
        }
        Rule::Not(inner) => {
            let inner = tree(inner, states, region, account);
            let holds = !inner.holds();
            RuleNode::Not { inner: Box::new(inner), holds }
        }
        Rule::And(rules) => {
            let children: Vec<RuleNode> = rules.iter().map(|r| tree(r, states, region, account)).collect();
            let holds = children.iter().all(RuleNode::holds);
            RuleNode::All { children, holds }
        }
        Rule::Or(rules) => {
            let children: Vec<RuleNode> = rules.iter().map(|r| tree(r, states, region, account)).collect();
            let holds = children.iter().any(RuleNode::holds);
            RuleNode::Any { children, holds }
        }
    }
}

async fn rule_node(services: &Services, ctx: &Context, text: &str) -> Result<RuleNode, ServerFnError> {
    let parsed = rule::parse(text).map_err(|e| ServerFnError::new(format!("ValidationError: {e}")))?;
    let names: Vec<String> = parsed
        .alarms()
        .into_iter()
        .filter_map(|r| referenced_name(r, &ctx.region, &ctx.account))
        .map(str::to_owned)
        .collect();
    let states: HashMap<String, String> = named(services, ctx, names)
        .await?
        .into_iter()
        .map(|v| (v.alarm.name.clone(), v.status.value.as_str().to_owned()))
        .collect();
    Ok(tree(&parsed, &states, &ctx.region, &ctx.account))
}

fn details(view: &AlarmView) -> Vec<(String, String)> {
    let alarm = &view.alarm;
    let mut rows: Vec<(String, String)> = vec![("Name".into(), alarm.name.clone()), ("ARN".into(), view.arn.clone())];
    if let Some(description) = &alarm.description {
        rows.push(("Description".into(), description.clone()));
    }
    match &alarm.kind {
        Kind::Metric(metric) => {
            match &metric.source {
                Source::Metric { stat, .. } => {
                    rows.push(("Namespace".into(), stat.namespace.clone()));
                    rows.push(("Metric name".into(), stat.metric_name.clone()));
                    let dims: Vec<String> = stat.dimensions.iter().map(|(n, v)| format!("{n} = {v}")).collect();
                    rows.push(("Dimensions".into(), if dims.is_empty() { "none".into() } else { dims.join(", ") }));
                    rows.push(("Statistic".into(), stat.stat.clone()));
                    if let Some(unit) = &stat.unit {
                        rows.push(("Unit".into(), unit.clone()));
                    }
                }
                Source::Queries { queries, threshold_metric_id } => {
                    for q in queries {
                        let what = match (&q.metric_stat, &q.expression) {
                            (Some(s), _) => format!("{} {} ({})", s.namespace, s.metric_name, s.stat),
                            (None, e) => e.clone().unwrap_or_default(),
                        };
                        rows.push((format!("Metric {}", q.id), what));
                    }
                    if let Some(id) = threshold_metric_id {
                        rows.push(("Threshold metric".into(), id.clone()));
                    }
                }
            }
            rows.push(("Period".into(), duration(metric.source.period())));
            rows.push(("Comparison".into(), metric.comparison.clone()));
            if let Some(t) = metric.threshold {
                rows.push(("Threshold".into(), skywatch_core::alarms::reason::number(t)));
            }
            let n = metric.evaluation_periods;
            rows.push((
                "Datapoints to alarm".into(),
                format!("{} out of {n}", metric.datapoints_to_alarm.unwrap_or(n)),
            ));
            rows.push((
                "Missing data treatment".into(),
                metric.treat_missing_data.clone().unwrap_or_else(|| "missing".into()),
            ));
            if let Some(low) = &metric.low_sample_percentile {
                rows.push(("Low sample percentiles".into(), low.clone()));
            }
        }
        Kind::Composite(composite) => {
            rows.push(("Rule".into(), composite.rule.clone()));
            if let Some(suppressor) = &composite.suppressor {
                rows.push(("Actions suppressor".into(), suppressor.clone()));
                rows.push(("Wait period".into(), duration(composite.suppressor_wait_s.unwrap_or(0))));
                rows.push(("Extension period".into(), duration(composite.suppressor_extension_s.unwrap_or(0))));
            }
        }
    }
    rows.push(("Actions".into(), if alarm.actions.enabled { "Enabled".into() } else { "Disabled".into() }));
    for (key, value) in &alarm.tags {
        rows.push((format!("Tag {key}"), value.clone()));
    }
    rows
}

pub async fn detail(
    region: String,
    account: Option<String>,
    name: String,
    range: String,
    history_type: Option<String>,
) -> Result<AlarmInfo, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let view = named(&services, &ctx, vec![name.clone()]).await?.into_iter().next().ok_or_else(|| {
        ssr::set_status(axum::http::StatusCode::NOT_FOUND);
        ServerFnError::new(format!("ResourceNotFound: Alarm {name} does not exist"))
    })?;
    let bounds = TimeRange::parse(&range).unwrap_or_default().bounds_ms(ctx.now_ms);
    let graph = match &view.alarm.kind {
        Kind::Metric(metric) => {
            Some(graph(&services, &ctx, &metric.source, metric.threshold, &metric.comparison, bounds).await?)
        }
        Kind::Composite(_) => None,
    };
    let updates = history(&services, &ctx, &name, Some("StateUpdate".into()), Some(bounds.0), true, 10).await?;
    let timeline = timeline(&updates, view.status.value.as_str(), bounds);
    let kind_filter = history_type.filter(|t| !t.is_empty());
    let rows = history(&services, &ctx, &name, kind_filter, None, false, 1).await?;
    let rule = match &view.alarm.kind {
        Kind::Composite(composite) => Some(rule_node(&services, &ctx, &composite.rule).await?),
        Kind::Metric(_) => None,
    };
    let parents_input =
        DescribeAlarmsInput { parents_of_alarm_name: Some(name.clone()), max_records: Some(100), ..Default::default() };
    let parents = services
        .invoke::<DescribeAlarms>(&ctx, parents_input)
        .await
        .map_err(ssr::failed)?
        .composite_alarms
        .into_iter()
        .map(|v| v.alarm.name)
        .collect();
    let actions = STATES
        .iter()
        .filter_map(|s| s.parse::<skywatch_core::alarms::AlarmState>().ok())
        .flat_map(|state| {
            view.alarm.actions.for_state(state).iter().map(move |arn| (state.as_str().to_owned(), arn.clone()))
        })
        .collect();
    Ok(AlarmInfo {
        summary: summary(&view),
        arn: view.arn.clone(),
        reason: view.status.reason.clone(),
        reason_data: view.status.reason_data.clone(),
        details: details(&view),
        actions,
        graph,
        timeline,
        history: rows,
        rule,
        suppressed_by: view.status.suppressed_by.clone(),
        suppressed_reason: view.status.suppressed_reason.clone(),
        parents,
    })
}

fn source_of(form: &MetricAlarmForm) -> Source {
    let mut dimensions = form.dimensions.clone();
    dimensions.sort();
    let extended = !["SampleCount", "Average", "Sum", "Minimum", "Maximum"].contains(&form.statistic.as_str());
    Source::Metric {
        stat: MetricStat {
            namespace: form.namespace.clone(),
            metric_name: form.metric_name.clone(),
            dimensions,
            period: form.period,
            stat: form.statistic.clone(),
            unit: None,
        },
        extended,
    }
}

pub async fn preview(
    region: String,
    account: Option<String>,
    form: MetricAlarmForm,
) -> Result<AlarmGraph, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    if form.namespace.is_empty() || form.metric_name.is_empty() {
        return Err(ServerFnError::new("Pick a metric first."));
    }
    let bounds = (ctx.now_ms - 3 * 3_600_000, ctx.now_ms);
    graph(&services, &ctx, &source_of(&form), Some(form.threshold), &form.comparison, bounds).await
}

fn some_text(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

pub async fn put_metric(region: String, account: Option<String>, form: MetricAlarmForm) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let extended = matches!(source_of(&form), Source::Metric { extended: true, .. });
    let input = PutMetricAlarmInput {
        common: Common {
            alarm_name: form.name.trim().to_owned(),
            alarm_description: some_text(&form.description),
            actions_enabled: Some(true),
            ok_actions: form.ok_actions.clone(),
            alarm_actions: form.alarm_actions.clone(),
            insufficient_data_actions: form.insufficient_data_actions.clone(),
            tags: Vec::new(),
        },
        metric: MetricInput {
            metric_name: Some(form.metric_name.clone()),
            namespace: Some(form.namespace.clone()),
            statistic: (!extended).then(|| form.statistic.clone()),
            extended_statistic: extended.then(|| form.statistic.clone()),
            dimensions: form
                .dimensions
                .iter()
                .map(|(name, value)| Dimension { name: name.clone(), value: value.clone() })
                .collect(),
            period: Some(form.period),
            evaluation_periods: Some(form.evaluation_periods),
            datapoints_to_alarm: Some(form.datapoints_to_alarm),
            threshold: Some(form.threshold),
            comparison_operator: Some(form.comparison.clone()),
            treat_missing_data: some_text(&form.treat_missing_data),
            ..Default::default()
        },
    };
    services.invoke::<PutMetricAlarm>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn rule_tree(region: String, account: Option<String>, text: String) -> Result<RuleNode, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    rule_node(&services, &ctx, &text).await
}

pub async fn put_composite(
    region: String,
    account: Option<String>,
    form: CompositeAlarmForm,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let suppressor = some_text(&form.suppressor);
    let input = PutCompositeAlarmInput {
        common: Common {
            alarm_name: form.name.trim().to_owned(),
            alarm_description: some_text(&form.description),
            actions_enabled: Some(true),
            ok_actions: form.ok_actions.clone(),
            alarm_actions: form.alarm_actions.clone(),
            insufficient_data_actions: Vec::new(),
            tags: Vec::new(),
        },
        composite: CompositeInput {
            alarm_rule: form.rule.trim().to_owned(),
            actions_suppressor_wait_period: suppressor.as_ref().map(|_| form.wait_seconds),
            actions_suppressor_extension_period: suppressor.as_ref().map(|_| form.extension_seconds),
            actions_suppressor: suppressor,
        },
    };
    services.invoke::<PutCompositeAlarm>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn set_state(
    region: String,
    account: Option<String>,
    name: String,
    state: String,
    reason: String,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let reason = some_text(&reason).unwrap_or_else(|| "Set from the console for testing".to_owned());
    let input =
        SetAlarmStateInput { alarm_name: name, state_value: state, state_reason: reason, state_reason_data: None };
    services.invoke::<SetAlarmState>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn actions_enabled(
    region: String,
    account: Option<String>,
    names: Vec<String>,
    enabled: bool,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = AlarmActionsInput { alarm_names: names };
    if enabled {
        services.invoke::<EnableAlarmActions>(&ctx, input).await.map_err(ssr::failed)
    } else {
        services.invoke::<DisableAlarmActions>(&ctx, input).await.map_err(ssr::failed)
    }
}

pub async fn delete(region: String, account: Option<String>, names: Vec<String>) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    services.invoke::<DeleteAlarms>(&ctx, DeleteAlarmsInput { alarm_names: names }).await.map_err(ssr::failed)
}

pub async fn topic_choices(region: String, account: Option<String>) -> Result<Vec<String>, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let mut arns = Vec::new();
    let mut next_token = None;
    loop {
        let page = services.invoke::<ListTopics>(&ctx, ListTopicsInput { next_token }).await.map_err(ssr::failed)?;
        arns.extend(page.topic_arns);
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    Ok(arns)
}

/// The alarms a dashboard names (ARNs of the context's account and region; others are not found), as the
/// dashboard renderer needs them: state, threshold, the metric of single-metric alarms and, for those, their
/// ALARM stretches over `range` (at most 25 alarms' histories are read).
pub async fn dashboard_facts(
    services: &Services,
    ctx: &Context,
    arns: Vec<String>,
    range: (i64, i64),
) -> Vec<skywatch_dashboards::render::AlarmFacts> {
    use skywatch_core::model::MetricId;
    let names: Vec<String> = arns
        .iter()
        .filter_map(|arn| referenced_name(arn, &ctx.region, &ctx.account).map(str::to_owned))
        .take(100)
        .collect();
    let Ok(views) = named(services, ctx, names).await else { return Vec::new() };
    let mut facts = Vec::new();
    for (i, view) in views.into_iter().enumerate() {
        let (threshold, symbol, metric) = match &view.alarm.kind {
            Kind::Metric(m) => {
                let metric = match &m.source {
                    Source::Metric { stat, .. } => Some((
                        skywatch_charts::widget::MetricRow {
                            metric: MetricId {
                                namespace: stat.namespace.clone(),
                                metric_name: stat.metric_name.clone(),
                                dimensions: stat.dimensions.clone(),
                            },
                            options: skywatch_charts::widget::RenderOptions {
                                stat: Some(stat.stat.clone()),
                                period: u32::try_from(stat.period).ok(),
                                label: Some(view.alarm.name.clone()),
                                ..Default::default()
                            },
                        },
                        u32::try_from(stat.period).unwrap_or(60),
                    )),
                    Source::Queries { .. } => None,
                };
                (m.threshold, Some(symbol(&m.comparison).to_owned()), metric)
            }
            Kind::Composite(_) => (None, None, None),
        };
        let mut alarm_spans = Vec::new();
        if metric.is_some() && i < 25 {
            let updates = history(services, ctx, &view.alarm.name, Some("StateUpdate".into()), Some(range.0), true, 1)
                .await
                .unwrap_or_default();
            alarm_spans = timeline(&updates, view.status.value.as_str(), range)
                .into_iter()
                .filter(|s| s.state == "ALARM")
                .map(|s| (s.from_ms, s.to_ms))
                .collect();
        }
        facts.push(skywatch_dashboards::render::AlarmFacts {
            arn: view.arn.clone(),
            state: view.status.value.as_str().to_owned(),
            threshold,
            symbol,
            metric,
            alarm_spans,
        });
    }
    facts
}
