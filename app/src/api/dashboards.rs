//! CloudWatch dashboards for the console: listing (recorded as `ListDashboards`), loading (`GetDashboard`),
//! saving, renaming and duplicating (`PutDashboard`, with `DeleteDashboards` for a rename), adding a widget from
//! the Metrics page, deleting, the automatic per-namespace overviews, and rendering a body over the console's
//! time range (`GetMetricData`).

#[cfg(feature = "ssr")]
mod server;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use skywatch_dashboards::ValidationMessage;
pub use skywatch_dashboards::view::{AlarmRow, RenderedDashboard, RenderedWidget, WidgetContent};

/// One dashboard of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardRow {
    pub name: String,
    pub last_modified_ms: i64,
    /// Bytes of the body.
    pub size: u64,
}

/// The dashboards page: the account's dashboards matching the search, and the namespaces with automatic
/// overviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardListing {
    pub dashboards: Vec<DashboardRow>,
    /// Dashboards in the account before the search.
    pub total: usize,
    pub namespaces: Vec<String>,
}

/// A dashboard's source as stored (or generated, for an automatic overview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadedDashboard {
    pub name: String,
    pub body: String,
    pub last_modified_ms: Option<i64>,
    /// An automatic overview: shown, never saved under its own name.
    pub automatic: bool,
}

/// A body rendered over a range, or why it cannot be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Rendered {
    /// The widgets, and each chart widget's drawing as the server made it for the page's first render (indexed
    /// like the widgets; empty from the server function itself).
    Dashboard(RenderedDashboard, Vec<Option<crate::components::chart_svg::Prerendered>>),
    Invalid(Vec<ValidationMessage>),
}

/// What saving answered: saved, or refused with validation messages (as PutDashboard refuses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved { name: String },
    Invalid(Vec<ValidationMessage>),
}

/// Validation messages in one line, `path message; path message`, for a notice.
pub fn describe_messages(messages: &[ValidationMessage]) -> String {
    messages.iter().map(|m| format!("{} {}", m.data_path, m.message)).collect::<Vec<_>>().join("; ")
}

/// The account's dashboards whose names contain `search` (case-insensitive), with the automatic overviews.
#[server(endpoint = "dashboard_list", input = leptos::server_fn::codec::Json)]
pub async fn dashboard_list(
    region: String,
    account: Option<String>,
    search: String,
) -> Result<DashboardListing, ServerFnError> {
    server::list(region, account, search).await
}

/// A saved dashboard's body.
#[server(endpoint = "dashboard_load", input = leptos::server_fn::codec::Json)]
pub async fn dashboard_load(account: Option<String>, name: String) -> Result<LoadedDashboard, ServerFnError> {
    server::load(account, name).await
}

/// The automatic overview of one namespace, built from the metrics it has.
#[server(endpoint = "dashboard_automatic", input = leptos::server_fn::codec::Json)]
pub async fn dashboard_automatic(
    region: String,
    account: Option<String>,
    namespace: String,
) -> Result<LoadedDashboard, ServerFnError> {
    server::automatic(region, account, namespace).await
}

/// Renders `body` over `range` (the console's URL form; `None` for the dashboard's own range).
#[server(endpoint = "dashboard_render", input = leptos::server_fn::codec::Json, output = leptos::server_fn::codec::Cbor)]
pub async fn dashboard_render(
    region: String,
    account: Option<String>,
    body: String,
    range: Option<String>,
) -> Result<Rendered, ServerFnError> {
    server::render(region, account, body, range).await
}

/// Saves `body` as `name` in the page's account (PutDashboard); with `previous` set to another name, the dashboard
/// is renamed (PutDashboard, then DeleteDashboards of the old name, as the AWS console does).
#[server(endpoint = "dashboard_save", input = leptos::server_fn::codec::Json)]
pub async fn dashboard_save(
    account: Option<String>,
    name: String,
    body: String,
    previous: Option<String>,
    create_only: bool,
) -> Result<SaveOutcome, ServerFnError> {
    server::save(account, name, body, previous, create_only).await
}

/// Adds `widget` (a widget object without a place) under every other widget of dashboard `name`, `width` ×
/// `height` cells, and saves it; with `create`, the dashboard is new (refused if the name is taken). This is the
/// Metrics page's "Add to dashboard".
#[server(endpoint = "dashboard_add_widget", input = leptos::server_fn::codec::Json)]
pub async fn dashboard_add_widget(
    account: Option<String>,
    name: String,
    widget: serde_json::Value,
    width: u32,
    height: u32,
    create: bool,
) -> Result<SaveOutcome, ServerFnError> {
    server::add_widget(account, name, widget, width, height, create).await
}

/// Deletes dashboards of the page's account.
#[server(endpoint = "dashboard_delete", input = leptos::server_fn::codec::Json)]
pub async fn dashboard_delete(account: Option<String>, names: Vec<String>) -> Result<(), ServerFnError> {
    server::delete(account, names).await
}
