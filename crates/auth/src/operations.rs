//! The console's user operations, recorded as IAM calls: CreateUser (admins only) and ListUsers.

use serde::Serialize;
use skywatch_model::{EventResource, Role};
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use crate::users::{User, UserError, Users};

/// CreateUser's input. The password is never recorded.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserInput {
    pub user_name: String,
    pub role: String,
    #[serde(skip)]
    pub password: String,
}

/// Adds or replaces a console user; the user commits with the call's record.
pub struct CreateUser;

impl Operation for CreateUser {
    const SPEC: Spec = Spec {
        service: "iam",
        event_source: "iam.amazonaws.com",
        name: "CreateUser",
        access: Access::Write,
        limits: &[],
    }
    .with_limits(&[Limit::aws("UserName characters", 64)]);
    type Engine = Users;
    type Input = CreateUserInput;
    type Output = ();
    type Error = UserError;

    async fn run(users: &Users, ctx: &Context, input: CreateUserInput) -> Result<Effect<(), UserError>, UserError> {
        if !users.creation_enabled() {
            return Err(UserError::CreationDisabled);
        }
        let role = Role::parse(&input.role).ok_or_else(|| UserError::BadRole(input.role.clone()))?;
        let change = users.plan_add(&input.user_name, &input.password, role).await?;
        let resource = EventResource {
            resource_type: "AWS::IAM::User".into(),
            arn: format!(
                "arn:{}:iam::{}:user/{}",
                skywatch_model::partition(&ctx.region),
                ctx.account,
                input.user_name
            ),
        };
        Ok(Effect::commit((), vec![change]).with_resources(vec![resource]))
    }
}

/// Every console user, by name (without password hashes).
pub struct ListUsers;

impl Operation for ListUsers {
    const SPEC: Spec = Spec {
        service: "iam",
        event_source: "iam.amazonaws.com",
        name: "ListUsers",
        access: Access::Read,
        limits: &[],
    };
    type Engine = Users;
    type Input = ();
    type Output = Vec<(String, Role)>;
    type Error = UserError;

    async fn run(users: &Users, _ctx: &Context, _input: ()) -> Result<Effect<Self::Output, UserError>, UserError> {
        let listed: Vec<User> = users.list().await?;
        Ok(Effect::reply(listed.into_iter().map(|user| (user.name, user.role)).collect()))
    }
}
