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

/// How a sign-in attempt ended (a wrong password is an outcome, not an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    SignedIn(SignedIn),
    /// The name or the password is wrong.
    Refused,
    /// Too many recent failures from this address or for this name, or too many checks at once: try again
    /// after this many seconds.
    Throttled {
        retry_after_s: u64,
    },
}

/// Why a sign-in could not be checked or recorded.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error(transparent)]
    Users(#[from] UserError),
    #[error(transparent)]
    Storage(#[from] WriteError),
}

/// The most characters of a submitted user name kept in the record (valid names have at most 64).
const RECORDED_NAME_CHARS: usize = 64;

/// The submitted name as recorded: at most [`RECORDED_NAME_CHARS`] characters, an ellipsis marking a cut.
fn recorded_name(name: &str) -> String {
    match name.char_indices().nth(RECORDED_NAME_CHARS) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name.to_owned(),
    }
}

impl Services {
    /// Checks `password` for `user_name`, throttled per client address and per name. On success the session and
    /// the sign-in record commit together. Every attempt leaves one record, with the name cut to 64 characters,
    /// except throttled ones past the first each second per key. The attempt runs in a task of its own, so a
    /// client that gives up cannot skip the failure count or the record. `ctx.caller` is ignored: the caller is
    /// who signs in.
    pub async fn sign_in(&self, ctx: Context, user_name: &str, password: &str) -> Result<SignInOutcome, SignInError> {
        let (services, user_name, password) = (self.clone(), user_name.to_owned(), password.to_owned());
        tokio::spawn(async move { services.attempt_sign_in(ctx, &user_name, &password).await })
            .await
            .map_err(|_| SignInError::Storage(WriteError::WriterStopped))?
    }

    async fn attempt_sign_in(
        &self,
        ctx: Context,
        user_name: &str,
        password: &str,
    ) -> Result<SignInOutcome, SignInError> {
        let name = recorded_name(user_name);
        let (address, user_key) = (skywatch_auth::address_key(&ctx.origin.source_ip), format!("user:{name}"));
        if let Err(held) = self.sign_in_throttle.check(&address, &user_key, ctx.now_ms) {
            return self.throttled(ctx, &name, held.retry_after_s, held.record).await;
        }
        // Counted before the check, so attempts running at once cannot all slip through one window; a right
        // password clears it.
        let keys = [address, user_key];
        self.sign_in_throttle.failed(&keys, ctx.now_ms);
        let user = match self.users.verify(user_name, password).await {
            Ok(user) => user,
            Err(UserError::Busy) => return self.throttled(ctx, &name, 1, true).await,
            Err(error) => return Err(error.into()),
        };
        let Some(user) = user else {
            let error = ("Failed authentication".to_owned(), "Incorrect user name or password.".to_owned());
            let ctx = signing_in(&ctx, &name, Role::Viewer);
            self.commit(sign_in_record(&ctx, &name, Some(error)), Vec::new()).await?;
            return Ok(SignInOutcome::Refused);
        };
        self.sign_in_throttle.succeeded(&keys);
        let (token, session) = Sessions::start(&user, ctx.now_ms);
        let ctx = signing_in(&ctx, &name, user.role);
        self.commit(sign_in_record(&ctx, &name, None), vec![session]).await?;
        Ok(SignInOutcome::SignedIn(SignedIn { token, user: user.name, role: user.role }))
    }

    async fn throttled(
        &self,
        ctx: Context,
        name: &str,
        retry_after_s: u64,
        record: bool,
    ) -> Result<SignInOutcome, SignInError> {
        if record {
            let error = ("Throttled".to_owned(), format!("Too many sign-in attempts; try again in {retry_after_s} s."));
            let ctx = signing_in(&ctx, name, Role::Viewer);
            self.commit(sign_in_record(&ctx, name, Some(error)), Vec::new()).await?;
        }
        Ok(SignInOutcome::Throttled { retry_after_s })
    }
}

/// The context of an attempt: the one signing in is the caller, in the default account.
fn signing_in(ctx: &Context, name: &str, role: Role) -> Context {
    let caller = Caller::ConsoleUser { name: name.to_owned(), account: DEFAULT_ACCOUNT.into(), role };
    Context { account: DEFAULT_ACCOUNT.into(), caller, ..ctx.clone() }
}

/// The one `ConsoleLogin` record of an attempt.
fn sign_in_record<'a>(ctx: &'a Context, name: &str, error: Option<(String, String)>) -> Record<'a> {
    Record {
        kind: EventKind::ConsoleSignIn,
        spec: CONSOLE_LOGIN,
        ctx,
        parameters: Some(json!({ "userName": name })),
        resources: Vec::new(),
        error,
    }
}
