//! Console users: listing them, and adding one (admins only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A console user as the Users page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub name: String,
    pub role: String,
}

#[server(endpoint = "list_users", input = leptos::server_fn::codec::Json)]
pub async fn list_users() -> Result<Vec<UserRow>, ServerFnError> {
    use self::super::ssr;
    use skywatch_core::auth::ListUsers;
    let (services, ctx) = ssr::context(skywatch_core::model::DEFAULT_REGION, None).await?;
    let users = services.invoke::<ListUsers>(&ctx, ()).await.map_err(ssr::failed)?;
    Ok(users.into_iter().map(|(name, role)| UserRow { name, role: role.as_str().into() }).collect())
}

/// Adds or replaces a console user (IAM's CreateUser). Viewers are refused with 403, and the refusal is recorded.
#[server(endpoint = "add_user")]
pub async fn add_user(name: String, password: String, role: String) -> Result<(), ServerFnError> {
    use self::super::ssr;
    use skywatch_core::auth::{CreateUser, CreateUserInput};
    let (services, ctx) = ssr::context(skywatch_core::model::DEFAULT_REGION, None).await?;
    let input = CreateUserInput { user_name: name, role, password };
    services.invoke::<CreateUser>(&ctx, input).await.map_err(ssr::failed)
}
