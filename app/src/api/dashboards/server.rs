//! The server side of the dashboard functions: thin adapters that build the page's context (the account the
//! page shows is the account its writes go to) and run the same dashboard operations the AWS API runs.

use leptos::prelude::*;
use skywatch_core::Failure;
use skywatch_core::Services;
use skywatch_core::metrics::tsdb::Tsdb;
use skywatch_core::metrics::{DataRequest, DataResponse, GetMetricData, MetricDataSource, MetricsQueryError};
use skywatch_core::model::{DEFAULT_REGION, TimeRange};
use skywatch_core::ops::Context;
use skywatch_dashboards::automatic::{CatalogMetric, namespace_overview};
use skywatch_dashboards::edit::{EMPTY_BODY, append_widget};
use skywatch_dashboards::parse_body;
use skywatch_dashboards::render::{AlarmFacts, AlarmSource, RenderRequest, render as render_body};
use skywatch_dashboards::service::{
    self, DeleteDashboards, DeleteDashboardsInput, GetDashboard, GetDashboardInput, ListDashboards,
    ListDashboardsInput, PutDashboard, PutDashboardInput,
};

use super::{DashboardListing, DashboardRow, LoadedDashboard, Rendered, SaveOutcome};
use crate::api::metrics::browse::{catalogue, groups};
use crate::api::ssr;

/// The dashboard `name` of the context's account, or None when there is none (GetDashboard).
async fn find(services: &Services, ctx: &Context, name: &str) -> Result<Option<service::Dashboard>, ServerFnError> {
    let input = GetDashboardInput { dashboard_name: name.to_owned() };
    match services.invoke::<GetDashboard>(ctx, input).await {
        Ok(found) => Ok(Some(found)),
        Err(Failure::Refused(service::GetDashboardError::NotFound(_))) => Ok(None),
        Err(other) => Err(ssr::failed(other)),
    }
}

pub async fn list(region: String, account: Option<String>, search: String) -> Result<DashboardListing, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let mut all = Vec::new();
    let mut next_token = None;
    loop {
        let input = ListDashboardsInput { dashboard_name_prefix: None, next_token };
        let page = services.invoke::<ListDashboards>(&ctx, input).await.map_err(ssr::failed)?;
        all.extend(page.entries);
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    let total = all.len();
    let needle = search.trim().to_lowercase();
    let dashboards = all
        .into_iter()
        .filter(|entry| entry.name.to_lowercase().contains(&needle))
        .map(|entry| DashboardRow { name: entry.name, last_modified_ms: entry.last_modified_ms, size: entry.size })
        .collect();
    let mut namespaces: Vec<String> =
        groups(&services, &ctx, None).await?.into_iter().map(|group| group.namespace).collect();
    namespaces.sort();
    namespaces.dedup();
    Ok(DashboardListing { dashboards, total, namespaces })
}

pub async fn load(account: Option<String>, name: String) -> Result<LoadedDashboard, ServerFnError> {
    let (services, ctx) = ssr::context(DEFAULT_REGION, account.as_deref()).await?;
    let input = GetDashboardInput { dashboard_name: name };
    let stored = services.invoke::<GetDashboard>(&ctx, input).await.map_err(ssr::failed)?;
    Ok(LoadedDashboard {
        name: stored.name,
        body: stored.body,
        last_modified_ms: Some(stored.last_modified_ms),
        automatic: false,
    })
}

pub async fn automatic(
    region: String,
    account: Option<String>,
    namespace: String,
) -> Result<LoadedDashboard, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let metrics: Vec<CatalogMetric> = catalogue(&services, &ctx, Some(namespace.clone()), Vec::new())
        .await?
        .into_iter()
        .map(|row| CatalogMetric {
            metric_name: row.metric.metric_name,
            dimensions: row.metric.dimensions,
            unit: row.unit,
        })
        .collect();
    if metrics.is_empty() {
        ssr::set_status(axum::http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new(format!("The namespace {namespace} has no metrics in {region}.")));
    }
    Ok(LoadedDashboard {
        name: namespace.clone(),
        body: namespace_overview(&namespace, &metrics),
        last_modified_ms: None,
        automatic: true,
    })
}

/// The console's source of widget data: each widget's request runs as the GetMetricData operation, authorised
/// and recorded exactly as the same call over the API.
struct Recorded<'a> {
    services: &'a Services,
    ctx: &'a Context,
}

impl MetricDataSource for Recorded<'_> {
    fn tsdb(&self) -> &Tsdb {
        &self.services.tsdb
    }

    async fn fetch(&self, request: DataRequest, _now_ms: i64) -> Result<DataResponse, MetricsQueryError> {
        self.services.invoke::<GetMetricData>(self.ctx, request).await.map_err(|failure| match failure {
            Failure::Refused(error) => error,
            other => MetricsQueryError::Unavailable(other.to_string()),
        })
    }
}

impl AlarmSource for Recorded<'_> {
    /// The alarms of the context's account and region among `arns` (DescribeAlarms), with the ALARM stretches of
    /// single-metric alarms over the range (DescribeAlarmHistory).
    async fn alarms(&self, arns: Vec<String>, range: (i64, i64)) -> Vec<AlarmFacts> {
        crate::api::alarms::dashboard_facts(self.services, self.ctx, arns, range).await
    }
}

/// Renders a body's widgets over a range; each metric widget's data is one GetMetricData call.
pub async fn render(
    region: String,
    account: Option<String>,
    body: String,
    range: Option<String>,
) -> Result<Rendered, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let parsed = match parse_body(&body) {
        Ok(parsed) => parsed,
        Err(messages) => return Ok(Rendered::Invalid(messages)),
    };
    let range = range.as_deref().and_then(TimeRange::parse).map(|range| range.bounds_ms(ctx.now_ms));
    let request = RenderRequest { account: &ctx.account, region: &region, range, now_ms: ctx.now_ms };
    let source = Recorded { services: &services, ctx: &ctx };
    Ok(Rendered::Dashboard(render_body(&source, &source, &parsed, &request).await, Vec::new()))
}

fn name_taken(name: &str) -> ServerFnError {
    ssr::set_status(axum::http::StatusCode::CONFLICT);
    ServerFnError::new(format!("A dashboard named {name} already exists."))
}

/// PutDashboard, with validation messages answered as an outcome the editor shows.
async fn put(services: &Services, ctx: &Context, name: String, body: String) -> Result<SaveOutcome, ServerFnError> {
    let input = PutDashboardInput { dashboard_name: name.clone(), dashboard_body: body };
    match services.invoke::<PutDashboard>(ctx, input).await {
        Ok(()) => Ok(SaveOutcome::Saved { name }),
        Err(Failure::Refused(service::PutDashboardError::InvalidBody(messages))) => Ok(SaveOutcome::Invalid(messages)),
        Err(other) => Err(ssr::failed(other)),
    }
}

pub async fn save(
    account: Option<String>,
    name: String,
    body: String,
    previous: Option<String>,
    create_only: bool,
) -> Result<SaveOutcome, ServerFnError> {
    let (services, ctx) = ssr::context(DEFAULT_REGION, account.as_deref()).await?;
    let renamed_from = previous.filter(|old| *old != name);
    if (create_only || renamed_from.is_some()) && find(&services, &ctx, &name).await?.is_some() {
        return Err(name_taken(&name));
    }
    let saved = put(&services, &ctx, name, body).await?;
    if let (SaveOutcome::Saved { .. }, Some(old)) = (&saved, renamed_from) {
        let input = DeleteDashboardsInput { dashboard_names: vec![old] };
        services.invoke::<DeleteDashboards>(&ctx, input).await.map_err(ssr::failed)?;
    }
    Ok(saved)
}

pub async fn add_widget(
    account: Option<String>,
    name: String,
    widget: serde_json::Value,
    width: u32,
    height: u32,
    create: bool,
) -> Result<SaveOutcome, ServerFnError> {
    let (services, ctx) = ssr::context(DEFAULT_REGION, account.as_deref()).await?;
    let body = match find(&services, &ctx, &name).await? {
        Some(_) if create => return Err(name_taken(&name)),
        Some(stored) => stored.body,
        None if create => EMPTY_BODY.to_owned(),
        None => {
            ssr::set_status(axum::http::StatusCode::NOT_FOUND);
            return Err(ServerFnError::new(format!("ResourceNotFound: Dashboard {name} does not exist")));
        }
    };
    // Parsing and placing up to 500 widgets is CPU work: off the async runtime.
    let (body, placements) = tokio::task::spawn_blocking(move || {
        let placements = parse_body(&body).map(|parsed| parsed.layout()).unwrap_or_default();
        (body, placements)
    })
    .await
    .map_err(|e| ServerFnError::new(e.to_string()))?;
    let Some(next) = append_widget(&body, &placements, widget, width, height) else {
        return Err(ServerFnError::new("The widget must be a JSON object, and the dashboard body one with widgets."));
    };
    put(&services, &ctx, name, next).await
}

pub async fn delete(account: Option<String>, names: Vec<String>) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(DEFAULT_REGION, account.as_deref()).await?;
    let input = DeleteDashboardsInput { dashboard_names: names };
    services.invoke::<DeleteDashboards>(&ctx, input).await.map_err(ssr::failed)
}
