//! Console users: listing them, and adding one (admins only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A console user as the Users page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub name: String,
    pub role: String,
}

#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserRow>, ServerFnError> {
    use self::super::ssr;
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    let users = services.users.list().await.map_err(|e| ServerFnError::new(e.to_string()))?;
    ssr::ConsoleEvent::api_call(&caller, "iam.amazonaws.com", "ListUsers").commit().await?;
    Ok(users.into_iter().map(|u| UserRow { name: u.name, role: u.role.as_str().into() }).collect())
}

/// Adds or replaces a console user. Viewers are refused with 403, and the refusal is recorded.
#[server(endpoint = "add_user")]
pub async fn add_user(name: String, password: String, role: String) -> Result<(), ServerFnError> {
    use self::super::ssr;
    use skywatch_core::model::{EventResource, Role};
    let services = ssr::services()?;
    let caller = ssr::caller().await?;
    let params = serde_json::json!({ "userName": name, "role": role });
    let resources = vec![EventResource {
        resource_type: "AWS::IAM::User".into(),
        arn: format!("arn:aws:iam::{}:user/{name}", caller.account()),
    }];
    let result = match (ssr::require_admin(&caller, "CreateUser"), Role::parse(&role)) {
        (Err(refused), _) => Err(refused),
        (Ok(()), None) => {
            ssr::set_status(axum::http::StatusCode::BAD_REQUEST);
            Err(ServerFnError::new(format!("Role must be admin or viewer, not {role:?}.")))
        }
        (Ok(()), Some(role)) => services.users.add(&name, &password, role).await.map(drop).map_err(|e| {
            ssr::set_status(axum::http::StatusCode::BAD_REQUEST);
            ServerFnError::new(e.to_string())
        }),
    };
    let outcome = result.as_ref().err().map(|e| {
        let text = e.to_string();
        let code = if text.contains("AccessDenied") { "AccessDenied" } else { "ValidationError" };
        (code.to_owned(), text)
    });
    ssr::ConsoleEvent::api_call(&caller, "iam.amazonaws.com", "CreateUser")
        .parameters(params)
        .resources(resources)
        .outcome(outcome)
        .commit()
        .await?;
    result
}
