//! Console sign-in: the password check, and the new session committed in one batch with the `ConsoleLogin`
//! record (failed attempts are recorded too).

use serde_json::json;
use skywatch_audit::EventKind;
use skywatch_auth::{Sessions, UserError};
use skywatch_model::{Caller, DEFAULT_ACCOUNT, Role};
use skywatch_ops::{Access, Context, Spec};
use skywatch_store::WriteError;

use crate::Services;
use crate::invoke::Record;

/// The `ConsoleLogin` event's spec.
pub const CONSOLE_LOGIN: Spec = Spec {
    service: "signin",
    event_source: "signin.amazonaws.com",
    name: "ConsoleLogin",
    access: Access::Write,
    limits: &[],
};

/// A successful sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The session token for the cookie.
    pub token: String,
    pub user: String,
    pub role: Role,
}

/// Why a sign-in could not be checked or recorded (a wrong password is not an error: it answers `None`).
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error(transparent)]
    Users(#[from] UserError),
    #[error(transparent)]
    Storage(#[from] WriteError),
}

impl Services {
    /// Checks `password` for `user_name`. On success the session and the sign-in record commit together; a
    /// failed attempt is recorded as AWS records one. `ctx.caller` is ignored: the caller is who signs in.
    pub async fn sign_in(
        &self,
        ctx: Context,
        user_name: &str,
        password: &str,
    ) -> Result<Option<SignedIn>, SignInError> {
        let user = self.users.verify(user_name, password).await?;
        let caller = Caller::ConsoleUser {
            name: user_name.to_owned(),
            account: DEFAULT_ACCOUNT.into(),
            role: user.as_ref().map_or(Role::Viewer, |u| u.role),
        };
        let ctx = Context { account: DEFAULT_ACCOUNT.into(), caller, ..ctx };
        let record = |error| Record {
            kind: EventKind::ConsoleSignIn,
            spec: CONSOLE_LOGIN,
            ctx: &ctx,
            parameters: Some(json!({ "userName": user_name })),
            resources: Vec::new(),
            error,
        };
        let Some(user) = user else {
            let error = Some(("Failed authentication".to_owned(), "Incorrect user name or password.".to_owned()));
            self.commit(record(error), Vec::new()).await?;
            return Ok(None);
        };
        let (token, session) = Sessions::start(&user.name, user.role, ctx.now_ms);
        self.commit(record(None), vec![session]).await?;
        Ok(Some(SignedIn { token, user: user.name, role: user.role }))
    }
}
