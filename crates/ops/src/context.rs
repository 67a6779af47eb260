//! The context of one operation call: who calls, the account and region it acts in, the request id, and the
//! clock. Every request path reads the time from here, never from the system clock, so a captured request can
//! be replayed at its own time.

use skywatch_model::Caller;

/// Where a call came from, for its CloudTrail record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// `sourceIPAddress`.
    pub source_ip: String,
    /// `userAgent`.
    pub user_agent: String,
}

/// One call's context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Who calls (an access key, a console user, or anonymous when auth is off).
    pub caller: Caller,
    /// The account the call acts in: the caller's own for API calls, the one the console page shows (which
    /// only admins may change) for console calls.
    pub account: String,
    /// The region the call acts in (the SigV4 scope's, or the console page's).
    pub region: String,
    /// The request id replied to the client and recorded in CloudTrail.
    pub request_id: String,
    /// The time of the call, epoch milliseconds.
    pub now_ms: i64,
    /// Where the call came from.
    pub origin: Origin,
}

impl Context {
    /// A context acting in the caller's own account.
    pub fn new(caller: Caller, region: impl Into<String>, request_id: impl Into<String>, now_ms: i64) -> Self {
        let account = caller.account().to_owned();
        Self {
            caller,
            account,
            region: region.into(),
            request_id: request_id.into(),
            now_ms,
            origin: Origin::default(),
        }
    }

    /// The same call acting in `account` instead.
    pub fn in_account(self, account: impl Into<String>) -> Self {
        Self { account: account.into(), ..self }
    }

    /// The same call from `origin`.
    pub fn from_origin(self, origin: Origin) -> Self {
        Self { origin, ..self }
    }
}
