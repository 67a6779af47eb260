//! The dashboard operations run by the AWS front door and the console alike: PutDashboard, GetDashboard,
//! ListDashboards and DeleteDashboards, over the context's account (dashboards are global: no region).

use serde::Serialize;
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, EventResource, Limit, Operation, Spec, codes};
use skywatch_store::Store;

use super::delete::check_names;
use super::{
    Dashboard, DashboardPage, DeleteDashboardsError, GetDashboardError, ListDashboardsError, PutDashboardError,
    dashboard_arn, delete_dashboards, get_dashboard, list_dashboards, put_dashboard,
};

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "monitoring", event_source: "monitoring.amazonaws.com", name, access, limits: &[] }
}

fn resource(ctx: &Context, name: &str) -> EventResource {
    EventResource {
        resource_type: "AWS::CloudWatch::Dashboard".into(),
        arn: dashboard_arn(&ctx.region, &ctx.account, name),
    }
}

impl AwsError for PutDashboardError {
    fn code(&self) -> ErrorCode {
        match self {
            PutDashboardError::InvalidBody(_) => codes::cloudwatch::DASHBOARD_INVALID_INPUT,
            PutDashboardError::InvalidName(_) | PutDashboardError::BodyTooLarge { .. } => {
                codes::cloudwatch::INVALID_PARAMETER_VALUE
            }
        }
    }

    fn members(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut members = serde_json::Map::new();
        if let PutDashboardError::InvalidBody(messages) = self {
            let messages =
                messages.iter().map(|m| serde_json::json!({ "DataPath": m.data_path, "Message": m.message })).collect();
            members.insert("dashboardValidationMessages".into(), serde_json::Value::Array(messages));
        }
        members
    }
}

impl AwsError for GetDashboardError {
    fn code(&self) -> ErrorCode {
        match self {
            GetDashboardError::NotFound(_) => codes::cloudwatch::DASHBOARD_NOT_FOUND,
            GetDashboardError::Storage(_) => codes::INTERNAL,
        }
    }
}

impl AwsError for ListDashboardsError {
    fn code(&self) -> ErrorCode {
        match self {
            ListDashboardsError::InvalidPrefix | ListDashboardsError::InvalidNextToken => {
                codes::cloudwatch::INVALID_PARAMETER_VALUE
            }
            ListDashboardsError::Storage(_) => codes::INTERNAL,
        }
    }
}

impl AwsError for DeleteDashboardsError {
    fn code(&self) -> ErrorCode {
        match self {
            DeleteDashboardsError::NoNames => codes::cloudwatch::MISSING_PARAMETER,
            DeleteDashboardsError::TooManyNames(_) => codes::cloudwatch::INVALID_PARAMETER_VALUE,
            DeleteDashboardsError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// PutDashboard's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutDashboardInput {
    pub dashboard_name: String,
    pub dashboard_body: String,
}

/// PutDashboard: creates or replaces a dashboard, its body kept byte for byte.
pub struct PutDashboard;

impl Operation for PutDashboard {
    const SPEC: Spec = spec("PutDashboard", Access::Write).with_limits(&[
        Limit::aws("DashboardBody bytes", super::MAX_BODY_BYTES as u64),
        Limit::aws("widgets a dashboard", crate::body::MAX_WIDGETS as u64),
        Limit::aws("DashboardName characters", crate::name::MAX_NAME_LEN as u64),
    ]);
    type Engine = Store;
    type Input = PutDashboardInput;
    type Output = ();
    type Error = PutDashboardError;

    async fn run(
        _store: &Store,
        ctx: &Context,
        input: PutDashboardInput,
    ) -> Result<Effect<(), PutDashboardError>, PutDashboardError> {
        let changes = put_dashboard(&ctx.account, &input.dashboard_name, &input.dashboard_body, ctx.now_ms)?;
        Ok(Effect::commit((), changes).with_resources(vec![resource(ctx, &input.dashboard_name)]))
    }
}

/// GetDashboard's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetDashboardInput {
    pub dashboard_name: String,
}

/// GetDashboard.
pub struct GetDashboard;

impl Operation for GetDashboard {
    const SPEC: Spec = spec("GetDashboard", Access::Read)
        .with_limits(&[Limit::aws("DashboardName characters", crate::name::MAX_NAME_LEN as u64)]);
    type Engine = Store;
    type Input = GetDashboardInput;
    type Output = Dashboard;
    type Error = GetDashboardError;

    async fn run(
        store: &Store,
        ctx: &Context,
        input: GetDashboardInput,
    ) -> Result<Effect<Dashboard, GetDashboardError>, GetDashboardError> {
        let (region, account) = (ctx.region.clone(), ctx.account.clone());
        let found = store
            .read(move |reader| Ok(get_dashboard(reader, &region, &account, &input.dashboard_name)))
            .await
            .map_err(|error| GetDashboardError::Storage(error.to_string()))??;
        let resource = resource(ctx, &found.name);
        Ok(Effect::reply(found).with_resources(vec![resource]))
    }
}

/// ListDashboards' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDashboardsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dashboard_name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// ListDashboards: pages of 1,000 by name.
pub struct ListDashboards;

impl Operation for ListDashboards {
    const SPEC: Spec =
        spec("ListDashboards", Access::Read).with_limits(&[Limit::aws("dashboards a page", super::PAGE_SIZE as u64)]);
    type Engine = Store;
    type Input = ListDashboardsInput;
    type Output = DashboardPage;
    type Error = ListDashboardsError;

    async fn run(
        store: &Store,
        ctx: &Context,
        input: ListDashboardsInput,
    ) -> Result<Effect<DashboardPage, ListDashboardsError>, ListDashboardsError> {
        let (region, account) = (ctx.region.clone(), ctx.account.clone());
        store
            .read(move |reader| {
                Ok(list_dashboards(
                    reader,
                    &region,
                    &account,
                    input.dashboard_name_prefix.as_deref(),
                    input.next_token.as_deref(),
                ))
            })
            .await
            .map_err(|error| ListDashboardsError::Storage(error.to_string()))?
            .map(Effect::reply)
    }
}

/// DeleteDashboards' input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteDashboardsInput {
    pub dashboard_names: Vec<String>,
}

/// DeleteDashboards: every existing dashboard named is deleted in one commit; names with no dashboard are passed
/// over (see [`super::delete`] for the source).
pub struct DeleteDashboards;

impl Operation for DeleteDashboards {
    const SPEC: Spec = spec("DeleteDashboards", Access::Write)
        .with_limits(&[Limit::aws("DashboardNames", super::MAX_DELETE_NAMES as u64)]);
    type Engine = Store;
    type Input = DeleteDashboardsInput;
    type Output = ();
    type Error = DeleteDashboardsError;

    async fn run(
        store: &Store,
        ctx: &Context,
        input: DeleteDashboardsInput,
    ) -> Result<Effect<(), DeleteDashboardsError>, DeleteDashboardsError> {
        check_names(&input.dashboard_names)?;
        let account = ctx.account.clone();
        let names = input.dashboard_names;
        let resources = names.iter().map(|name| resource(ctx, name)).collect();
        let mutations = store
            .read(move |reader| Ok(delete_dashboards(reader, &account, &names)))
            .await
            .map_err(|error| DeleteDashboardsError::Storage(error.to_string()))??;
        Ok(Effect::commit((), mutations).with_resources(resources))
    }
}
