//! The services handle every entry point shares (the AWS front door, the console's server functions, the demo):
//! the store and the engines, built once per process, plus the one path that records an action in CloudTrail.

use std::path::Path;

use skywatch_audit::{CallRecord, EventKind, build_event, to_mutation};
use skywatch_auth::{AccessKeys, Sessions, Users};
use skywatch_metrics::tsdb::{Config as TsdbConfig, OpenTsdbError, Tsdb};
use skywatch_model::{Caller, EventResource};
use skywatch_store::{Mutation, Store, WriteError};

pub use skywatch_audit as audit;
pub use skywatch_auth as auth;
pub use skywatch_metrics as metrics;
pub use skywatch_model as model;
pub use skywatch_store as store;

/// How the server checks API callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Every API request must carry a valid SigV4 signature from a configured key.
    SigV4,
    /// Unsigned requests are accepted as the default account's root; only allowed on loopback.
    None,
}

/// Everything an entry point needs; cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub access_keys: AccessKeys,
    pub users: Users,
    pub sessions: Sessions,
    pub auth_mode: AuthMode,
    /// The metrics time-series engine.
    pub tsdb: Tsdb,
}

/// A console or API action to record, with the data mutations it commits together with.
pub struct Action {
    pub caller: Caller,
    pub region: String,
    pub event_source: &'static str,
    pub event_name: String,
    pub source_ip: String,
    pub user_agent: String,
    pub request_id: String,
    pub request_parameters: Option<serde_json::Value>,
    pub resources: Vec<EventResource>,
}

impl Services {
    /// Opens the store and the engines with default settings. Blocking (replays the metric log): call before
    /// serving.
    pub fn open(data_dir: &Path, access_keys: AccessKeys, auth_mode: AuthMode) -> Result<Self, OpenTsdbError> {
        Self::open_with(data_dir, access_keys, auth_mode, TsdbConfig::default())
    }

    pub fn open_with(
        data_dir: &Path,
        access_keys: AccessKeys,
        auth_mode: AuthMode,
        tsdb_config: TsdbConfig,
    ) -> Result<Self, OpenTsdbError> {
        let store = Store::open(data_dir)?;
        let tsdb = Tsdb::open(store.clone(), tsdb_config)?;
        Ok(Self {
            users: Users::new(store.clone()),
            sessions: Sessions::new(store.clone()),
            store,
            access_keys,
            auth_mode,
            tsdb,
        })
    }

    /// Commits `data` and the CloudTrail record of `action` in one durable batch: either both are stored or
    /// neither. `outcome` is the error code and message when the action failed (then `data` is empty).
    pub async fn commit_with_audit(
        &self,
        kind: EventKind,
        action: Action,
        mut data: Vec<Mutation>,
        outcome: Option<(String, String)>,
    ) -> Result<(), WriteError> {
        let time = chrono::Utc::now();
        let event = build_event(CallRecord {
            kind,
            caller: action.caller,
            region: action.region,
            time,
            event_source: action.event_source.to_owned(),
            event_name: action.event_name,
            source_ip: action.source_ip,
            user_agent: action.user_agent,
            request_id: action.request_id,
            request_parameters: action.request_parameters,
            response_elements: None,
            error: outcome,
            resources: action.resources,
        });
        data.push(to_mutation(&event, time));
        self.store.apply(data).await
    }
}

/// The cookie holding a console session token.
pub const SESSION_COOKIE: &str = "skywatch_session";

/// The value of one cookie in a `Cookie` header.
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

impl Services {
    /// Who is using the console: the session's user, or the default account's root when auth is off.
    pub async fn console_caller(&self, cookie_header: Option<&str>) -> Option<Caller> {
        if self.auth_mode == AuthMode::None {
            return Some(Caller::ConsoleUser {
                name: "admin".into(),
                account: skywatch_model::DEFAULT_ACCOUNT.into(),
                role: skywatch_model::Role::Admin,
            });
        }
        let token = cookie_value(cookie_header?, SESSION_COOKIE)?;
        match self.sessions.get(token).await {
            Ok(Some(session)) => Some(Caller::ConsoleUser {
                name: session.user,
                account: skywatch_model::DEFAULT_ACCOUNT.into(),
                role: session.role,
            }),
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, "session lookup failed");
                None
            }
        }
    }

    /// The accounts the console can show: the default one and every configured key's.
    pub fn known_accounts(&self) -> Vec<String> {
        let mut accounts: Vec<String> = std::iter::once(skywatch_model::DEFAULT_ACCOUNT.to_owned())
            .chain(self.access_keys.ids().filter_map(|id| self.access_keys.get(id)).map(|k| k.account.clone()))
            .collect();
        accounts.sort();
        accounts.dedup();
        accounts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_name() {
        let header = "a=1; skywatch_session=abc; b=2";
        assert_eq!(cookie_value(header, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value(header, "c"), None);
    }
}
