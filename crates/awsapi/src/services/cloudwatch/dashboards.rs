//! PutDashboard, GetDashboard, ListDashboards and DeleteDashboards: wire shapes to the dashboard service. Dashboards
//! are global per account, so the request's region plays no part.

use serde_json::{Value, json};
use skywatch_core::Services;
use skywatch_dashboards::service::{self, DashboardEntry};

use crate::authenticate::Identity;
use crate::errors::ApiError;
use crate::front_door::Outcome;
use crate::params::{list_opt, str_opt, str_required};
use crate::wire::timestamp;

fn storage(error: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(error.to_string())
}

pub fn put_dashboard(identity: &Identity, params: &Value) -> Result<Outcome, ApiError> {
    let name = str_required(params, "DashboardName")?;
    let body = str_required(params, "DashboardBody")?;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let mutations = service::put_dashboard(identity.caller.account(), name, body, now_ms)?;
    Ok(Outcome::commit(json!({ "DashboardValidationMessages": [] }), mutations))
}

pub async fn get_dashboard(services: &Services, identity: &Identity, params: &Value) -> Result<Outcome, ApiError> {
    let name = str_required(params, "DashboardName")?.to_owned();
    let account = identity.caller.account().to_owned();
    let dashboard =
        services.store.read(move |r| Ok(service::get_dashboard(r, &account, &name))).await.map_err(storage)??;
    Ok(Outcome::reply(json!({
        "DashboardArn": dashboard.arn,
        "DashboardBody": dashboard.body,
        "DashboardName": dashboard.name,
    })))
}

fn entry(entry: &DashboardEntry) -> Value {
    json!({
        "DashboardName": entry.name,
        "DashboardArn": entry.arn,
        "LastModified": timestamp(entry.last_modified_ms),
        "Size": entry.size,
    })
}

pub async fn list_dashboards(services: &Services, identity: &Identity, params: &Value) -> Result<Outcome, ApiError> {
    let prefix = str_opt(params, "DashboardNamePrefix")?.map(str::to_owned);
    let token = str_opt(params, "NextToken")?.map(str::to_owned);
    let account = identity.caller.account().to_owned();
    let page = services
        .store
        .read(move |r| Ok(service::list_dashboards(r, &account, prefix.as_deref(), token.as_deref())))
        .await
        .map_err(storage)??;
    let mut result = json!({ "DashboardEntries": page.entries.iter().map(entry).collect::<Vec<_>>() });
    if let Some(token) = page.next_token {
        result["NextToken"] = json!(token);
    }
    Ok(Outcome::reply(result))
}

pub async fn delete_dashboards(services: &Services, identity: &Identity, params: &Value) -> Result<Outcome, ApiError> {
    if params.get("DashboardNames").is_none_or(Value::is_null) {
        return Err(ApiError::MissingParameter("The parameter DashboardNames is required.".into()));
    }
    let names = list_opt(params, "DashboardNames")?
        .iter()
        .map(|name| {
            name.as_str()
                .map(str::to_owned)
                .ok_or_else(|| ApiError::InvalidParameterValue("DashboardNames must be strings.".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let account = identity.caller.account().to_owned();
    let plan =
        services.store.read(move |r| Ok(service::delete_dashboards(r, &account, &names))).await.map_err(storage)?;
    match plan.result {
        Ok(()) => Ok(Outcome::commit(json!({}), plan.mutations)),
        Err(error) if plan.mutations.is_empty() => Err(error.into()),
        Err(error) => Ok(Outcome::partial(plan.mutations, error.into())),
    }
}
