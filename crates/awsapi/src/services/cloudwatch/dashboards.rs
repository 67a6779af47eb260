//! PutDashboard, GetDashboard, ListDashboards and DeleteDashboards in their wire shapes. Dashboards are global
//! per account, so the request's region only chooses the partition of their ARNs.

use serde_json::{Value, json};
use skywatch_core::ops::Context;
use skywatch_dashboards::service::{
    Dashboard, DashboardPage, DeleteDashboards, DeleteDashboardsInput, GetDashboard, GetDashboardInput, ListDashboards,
    ListDashboardsInput, PutDashboard, PutDashboardInput,
};

use crate::errors::ApiError;
use crate::params::{list_opt, str_opt, str_required};
use crate::registry::Wire;
use crate::wire::timestamp;

impl Wire for PutDashboard {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutDashboardInput, ApiError> {
        Ok(PutDashboardInput {
            dashboard_name: str_required(params, "DashboardName")?.to_owned(),
            dashboard_body: str_required(params, "DashboardBody")?.to_owned(),
        })
    }

    fn encode(_: ()) -> Value {
        json!({ "DashboardValidationMessages": [] })
    }
}

impl Wire for GetDashboard {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetDashboardInput, ApiError> {
        Ok(GetDashboardInput { dashboard_name: str_required(params, "DashboardName")?.to_owned() })
    }

    fn encode(dashboard: Dashboard) -> Value {
        json!({
            "DashboardArn": dashboard.arn,
            "DashboardBody": dashboard.body,
            "DashboardName": dashboard.name,
        })
    }
}

impl Wire for ListDashboards {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListDashboardsInput, ApiError> {
        Ok(ListDashboardsInput {
            dashboard_name_prefix: str_opt(params, "DashboardNamePrefix")?.map(str::to_owned),
            next_token: str_opt(params, "NextToken")?.map(str::to_owned),
        })
    }

    fn encode(page: DashboardPage) -> Value {
        let entries: Vec<Value> = page
            .entries
            .iter()
            .map(|entry| {
                json!({
                    "DashboardName": entry.name,
                    "DashboardArn": entry.arn,
                    "LastModified": timestamp(entry.last_modified_ms),
                    "Size": entry.size,
                })
            })
            .collect();
        let mut result = json!({ "DashboardEntries": entries });
        if let Some(token) = page.next_token {
            result["NextToken"] = json!(token);
        }
        result
    }
}

impl Wire for DeleteDashboards {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteDashboardsInput, ApiError> {
        let names = match params.get("DashboardNames") {
            None | Some(Value::Null) => {
                return Err(ApiError::MissingParameter("The parameter DashboardNames is required.".into()));
            }
            // awsQuery sends an empty list as `DashboardNames=`; the operation refuses it as JSON's `[]`.
            Some(Value::String(text)) if text.is_empty() => &[][..],
            Some(_) => list_opt(params, "DashboardNames")?,
        };
        let dashboard_names = names
            .iter()
            .map(|name| {
                name.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ApiError::InvalidParameterValue("DashboardNames must be strings.".into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DeleteDashboardsInput { dashboard_names })
    }

    fn encode(_: ()) -> Value {
        json!({})
    }
}
