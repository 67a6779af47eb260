//! The server side of the dashboard functions: caller, account and role checks, the dashboards engine, and the
//! CloudTrail record of each call (committed with the change it makes).

use leptos::prelude::*;
use skywatch_core::model::TimeRange;
use skywatch_dashboards::automatic::{CatalogMetric, namespace_overview};
use skywatch_dashboards::edit::{EMPTY_BODY, append_widget};
use skywatch_dashboards::render::{RenderRequest, render as render_body};
use skywatch_dashboards::{parse_body, service};

use super::{DashboardListing, DashboardRow, LoadedDashboard, Rendered, SaveOutcome};
use crate::api::metrics::{account_for, browse::listed_metrics};
use crate::api::ssr::{self, ConsoleEvent};

const SOURCE: &str = "monitoring.amazonaws.com";

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn failed(error: &impl std::fmt::Display, code: &str) -> Option<(String, String)> {
    Some((code.to_owned(), error.to_string()))
}

fn storage(error: impl std::fmt::Display) -> ServerFnError {
    ServerFnError::new(error.to_string())
}

/// The dashboard `name` of `account`, if any.
async fn find(
    services: &skywatch_core::Services,
    account: &str,
    name: &str,
) -> Result<Result<service::Dashboard, service::GetDashboardError>, ServerFnError> {
    let (account, name) = (account.to_owned(), name.to_owned());
    services.store.read(move |reader| Ok(service::get_dashboard(reader, &account, &name))).await.map_err(storage)
}

/// Every dashboard of `account`, by name, page after page.
async fn list_all(
    services: &skywatch_core::Services,
    account: &str,
) -> Result<Vec<service::DashboardEntry>, ServerFnError> {
    let account = account.to_owned();
    services
        .store
        .read(move |reader| {
            let mut all = Vec::new();
            let mut token: Option<String> = None;
            loop {
                match service::list_dashboards(reader, &account, None, token.as_deref()) {
                    Ok(page) => {
                        all.extend(page.entries);
                        match page.next_token {
                            Some(next) => token = Some(next),
                            None => return Ok(Ok(all)),
                        }
                    }
                    Err(error) => return Ok(Err(error)),
                }
            }
        })
        .await
        .map_err(storage)?
        .map_err(storage)
}

pub async fn list(region: String, account: Option<String>, search: String) -> Result<DashboardListing, ServerFnError> {
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    let account = account_for(&services, &caller, account);
    let all = list_all(&services, &account).await?;
    let total = all.len();
    let needle = search.trim().to_lowercase();
    let dashboards = all
        .into_iter()
        .filter(|entry| entry.name.to_lowercase().contains(&needle))
        .map(|entry| DashboardRow { name: entry.name, last_modified_ms: entry.last_modified_ms, size: entry.size })
        .collect();
    let mut namespaces: Vec<String> = listed_metrics(&services.tsdb, &account, &region, now_ms())
        .into_iter()
        .map(|row| row.metric.namespace)
        .collect();
    namespaces.sort();
    namespaces.dedup();
    ConsoleEvent::api_call(&caller, SOURCE, "ListDashboards").in_region(&region).commit().await?;
    Ok(DashboardListing { dashboards, total, namespaces })
}

pub async fn load(account: Option<String>, name: String) -> Result<LoadedDashboard, ServerFnError> {
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    let account = account_for(&services, &caller, account);
    let found = find(&services, &account, &name).await?;
    let outcome = found.as_ref().err().and_then(|e| failed(e, "ResourceNotFound"));
    ConsoleEvent::api_call(&caller, SOURCE, "GetDashboard")
        .parameters(serde_json::json!({ "dashboardName": name }))
        .outcome(outcome)
        .commit()
        .await?;
    let stored = found.map_err(|e| {
        ssr::set_status(axum::http::StatusCode::NOT_FOUND);
        ServerFnError::new(e.to_string())
    })?;
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
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    let account = account_for(&services, &caller, account);
    let metrics: Vec<CatalogMetric> = listed_metrics(&services.tsdb, &account, &region, now_ms())
        .into_iter()
        .filter(|row| row.metric.namespace == namespace)
        .map(|row| CatalogMetric {
            metric_name: row.metric.metric_name,
            dimensions: row.metric.dimensions,
            unit: row.unit,
        })
        .collect();
    ConsoleEvent::api_call(&caller, SOURCE, "ListMetrics")
        .in_region(&region)
        .parameters(serde_json::json!({ "namespace": namespace }))
        .commit()
        .await?;
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

pub async fn render(
    region: String,
    account: Option<String>,
    body: String,
    range: Option<String>,
) -> Result<Rendered, ServerFnError> {
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    let account = account_for(&services, &caller, account);
    let parsed = match parse_body(&body) {
        Ok(parsed) => parsed,
        Err(messages) => return Ok(Rendered::Invalid(messages)),
    };
    let now_ms = now_ms();
    let range = range.as_deref().and_then(TimeRange::parse).map(|range| range.bounds_ms(now_ms));
    let request = RenderRequest { account: &account, region: &region, range, now_ms };
    let rendered = render_body(&services.tsdb, &parsed, &request).await;
    let time = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339());
    ConsoleEvent::api_call(&caller, SOURCE, "GetMetricData")
        .in_region(&region)
        .parameters(serde_json::json!({
            "widgets": rendered.widgets.len(),
            "startTime": time(rendered.start_ms),
            "endTime": time(rendered.end_ms),
        }))
        .commit()
        .await?;
    Ok(Rendered::Dashboard(rendered))
}

/// A caller allowed to put dashboards, with the account they write to.
struct Writer {
    services: skywatch_core::Services,
    caller: skywatch_core::model::Caller,
    account: String,
}

impl Writer {
    async fn for_caller() -> Result<Self, ServerFnError> {
        let services = ssr::services()?;
        let caller = ssr::caller().await?;
        ssr::require_admin(&caller, "PutDashboard")?;
        let account = caller.account().to_owned();
        Ok(Self { services, caller, account })
    }

    /// Whether the account has a dashboard called `name`.
    async fn has(&self, name: &str) -> Result<bool, ServerFnError> {
        Ok(find(&self.services, &self.account, name).await?.is_ok())
    }

    /// Puts `body` as `name` (PutDashboard), deleting `renamed_from` in the same commit.
    async fn put(&self, name: String, body: &str, renamed_from: Option<String>) -> Result<SaveOutcome, ServerFnError> {
        let mut mutations = match service::put_dashboard(&self.account, &name, body, now_ms()) {
            Ok(mutations) => mutations,
            Err(service::PutDashboardError::InvalidBody(messages)) => {
                ConsoleEvent::api_call(&self.caller, SOURCE, "PutDashboard")
                    .parameters(serde_json::json!({ "dashboardName": name }))
                    .outcome(Some(("InvalidParameterInput".into(), "The dashboard body is invalid".into())))
                    .commit()
                    .await?;
                return Ok(SaveOutcome::Invalid(messages));
            }
            Err(other) => return Err(ServerFnError::new(other.to_string())),
        };
        if let Some(old) = renamed_from.clone() {
            let account = self.account.clone();
            let plan =
                self.services.store.read(move |reader| Ok(service::delete_dashboards(reader, &account, &[old]))).await;
            let plan = plan.map_err(storage)?;
            plan.result.map_err(storage)?;
            mutations.extend(plan.mutations);
        }
        ConsoleEvent::api_call(&self.caller, SOURCE, "PutDashboard")
            .parameters(serde_json::json!({ "dashboardName": name, "renamedFrom": renamed_from }))
            .data(mutations)
            .commit()
            .await?;
        Ok(SaveOutcome::Saved { name })
    }
}

fn name_taken(name: &str) -> ServerFnError {
    ServerFnError::new(format!("A dashboard named {name} already exists."))
}

pub async fn save(
    name: String,
    body: String,
    previous: Option<String>,
    create_only: bool,
) -> Result<SaveOutcome, ServerFnError> {
    let writer = Writer::for_caller().await?;
    let renamed_from = previous.filter(|old| *old != name);
    if (create_only || renamed_from.is_some()) && writer.has(&name).await? {
        return Err(name_taken(&name));
    }
    writer.put(name, &body, renamed_from).await
}

pub async fn add_widget(
    name: String,
    widget: serde_json::Value,
    width: u32,
    height: u32,
    create: bool,
) -> Result<SaveOutcome, ServerFnError> {
    let writer = Writer::for_caller().await?;
    let body = match find(&writer.services, &writer.account, &name).await? {
        Ok(_) if create => return Err(name_taken(&name)),
        Ok(stored) => stored.body,
        Err(_) if create => EMPTY_BODY.to_owned(),
        Err(missing) => {
            ssr::set_status(axum::http::StatusCode::NOT_FOUND);
            return Err(ServerFnError::new(missing.to_string()));
        }
    };
    let placements = parse_body(&body).map(|parsed| parsed.layout()).unwrap_or_default();
    let Some(next) = append_widget(&body, &placements, widget, width, height) else {
        return Err(ServerFnError::new("The widget must be a JSON object, and the dashboard body one with widgets."));
    };
    writer.put(name, &next, None).await
}

pub async fn delete(names: Vec<String>) -> Result<(), ServerFnError> {
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    ssr::require_admin(&caller, "DeleteDashboards")?;
    let account = caller.account().to_owned();
    let wanted = names.clone();
    let plan = services.store.read(move |reader| Ok(service::delete_dashboards(reader, &account, &wanted))).await;
    let plan = plan.map_err(storage)?;
    let outcome = plan.result.as_ref().err().and_then(|e| failed(e, "ResourceNotFound"));
    ConsoleEvent::api_call(&caller, SOURCE, "DeleteDashboards")
        .parameters(serde_json::json!({ "dashboardNames": names }))
        .outcome(outcome)
        .data(plan.mutations)
        .commit()
        .await?;
    plan.result.map_err(storage)
}
