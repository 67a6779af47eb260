//! The services handle every entry point shares (the AWS front door, the console's server functions, the demo):
//! the store and the engines, built once per process, and [`Services::invoke`], the one path by which an
//! operation runs, is authorised, and is committed with its CloudTrail record.

pub mod announce;
pub mod event_sinks;
mod housekeeping;
pub mod inbox;
mod invoke;
mod log_topics;
mod own_resources;
mod sign_in;

use std::path::Path;

use skywatch_alarms::service::Alarms;
use skywatch_auth::{AccessKeys, Sessions, Users};
use skywatch_config::Config;
use skywatch_events::Events;
use skywatch_logs::Logs;
use skywatch_metrics::Metrics;
use skywatch_metrics::tsdb::{Config as TsdbConfig, OpenTsdbError, Tsdb};
use skywatch_model::Caller;
use skywatch_ops::Provides;
use skywatch_sns::Sns;
use skywatch_store::Store;
use skywatch_traces::Traces;

pub use housekeeping::{HousekeepingError, Swept};
pub use invoke::{Failure, Record, denied_message};
pub use sign_in::{SignInError, SignInOutcome, SignedIn};
pub use skywatch_alarms as alarms;
pub use skywatch_audit as audit;
pub use skywatch_auth as auth;
pub use skywatch_config as config;
pub use skywatch_events as events;
pub use skywatch_logs as logs;
pub use skywatch_metrics as metrics;
pub use skywatch_model as model;
pub use skywatch_ops as ops;
pub use skywatch_sns as sns;
pub use skywatch_store as store;
pub use skywatch_traces as traces;

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
    /// The engine with GetMetricData's answers kept for their next pages.
    pub metrics: Metrics,
    /// CloudWatch alarms and their evaluator.
    pub alarms: Alarms,
    /// SNS-compatible topics and their deliverer.
    pub sns: Sns,
    /// X-Ray's traces.
    pub traces: Traces,
    /// AWS Config: the recorder, rules and compliance.
    pub config: Config,
    /// CloudWatch Logs: groups, streams and the log store.
    pub logs: Logs,
    /// EventBridge: buses and rules.
    pub events: Events,
    /// What the built-in endpoint received.
    pub inboxes: std::sync::Arc<inbox::Inboxes>,
    /// Failed sign-ins by client address and user name.
    pub sign_in_throttle: std::sync::Arc<skywatch_auth::Throttle>,
}

impl Provides<Store> for Services {
    fn engine(&self) -> &Store {
        &self.store
    }
}

impl Provides<Tsdb> for Services {
    fn engine(&self) -> &Tsdb {
        &self.tsdb
    }
}

impl Provides<Metrics> for Services {
    fn engine(&self) -> &Metrics {
        &self.metrics
    }
}

impl Provides<Alarms> for Services {
    fn engine(&self) -> &Alarms {
        &self.alarms
    }
}

impl Provides<Sns> for Services {
    fn engine(&self) -> &Sns {
        &self.sns
    }
}

impl Provides<Traces> for Services {
    fn engine(&self) -> &Traces {
        &self.traces
    }
}

impl Provides<Config> for Services {
    fn engine(&self) -> &Config {
        &self.config
    }
}

impl Provides<Logs> for Services {
    fn engine(&self) -> &Logs {
        &self.logs
    }
}

impl Provides<Events> for Services {
    fn engine(&self) -> &Events {
        &self.events
    }
}

impl Provides<Users> for Services {
    fn engine(&self) -> &Users {
        &self.users
    }
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
        let sns = Sns::new(store.clone()).with_keys(skywatch_sns::signing::Keys::in_dir(data_dir));
        let logs = Logs::new(store.clone(), skywatch_logs::Keyring::in_dir(data_dir))
            .publishing_to(tsdb.clone())
            .with_topics(std::sync::Arc::new(log_topics::SnsTopics(sns.clone())));
        let events = Events::new(store.clone()).publishing_to(tsdb.clone());
        Ok(Self {
            users: Users::new(store.clone()).with_creation(auth_mode == AuthMode::SigV4),
            sessions: Sessions::new(store.clone()),
            alarms: Alarms::new(store.clone(), tsdb.clone(), sns.clone())
                .announcing_to(std::sync::Arc::new(announce::AlarmEvents(events.clone()))),
            sns,
            traces: Traces::new(store.clone()),
            config: Config::new(store.clone())
                .describing(std::sync::Arc::new(own_resources::OwnResources))
                .delivering(data_dir.join("s3"), skywatch_config::HISTORY_EVERY_MS)
                .announcing_to(std::sync::Arc::new(announce::ConfigEvents(events.clone()))),
            logs,
            events,
            inboxes: std::sync::Arc::default(),
            store,
            access_keys,
            auth_mode,
            metrics: Metrics::new(tsdb.clone()),
            tsdb,
            sign_in_throttle: std::sync::Arc::default(),
        })
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
    /// Who is using the console as of `now_ms`: the session's user, or the default account's admin when auth is
    /// off.
    pub async fn console_caller(&self, cookie_header: Option<&str>, now_ms: i64) -> Option<Caller> {
        if self.auth_mode == AuthMode::None {
            return Some(Caller::ConsoleUser {
                name: "admin".into(),
                account: skywatch_model::DEFAULT_ACCOUNT.into(),
                role: skywatch_model::Role::Admin,
            });
        }
        let token = cookie_value(cookie_header?, SESSION_COOKIE)?;
        let session = match self.sessions.get(token, now_ms).await {
            Ok(session) => session?,
            Err(error) => {
                tracing::warn!(%error, "session lookup failed");
                return None;
            }
        };
        // A session ends when its user's role or password changes, or the user is gone.
        match self.users.find(&session.user).await {
            Ok(Some(user)) if session.is_for(&user) => Some(Caller::ConsoleUser {
                name: session.user,
                account: skywatch_model::DEFAULT_ACCOUNT.into(),
                role: session.role,
            }),
            Ok(_) => None,
            Err(error) => {
                tracing::warn!(%error, "user lookup failed");
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

    /// The account a console page acts in: admins may pick any known account, everyone else acts in their own.
    /// Reads and writes alike go to this account, so what a page shows is where its changes land.
    pub fn console_account(&self, caller: &Caller, wanted: Option<&str>) -> String {
        wanted
            .filter(|account| caller.role().may_mutate() && self.known_accounts().iter().any(|a| a == account))
            .map(str::to_owned)
            .unwrap_or_else(|| caller.account().to_owned())
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
