//! Delivering to an API destination: its rate (a delivery that finds the bucket empty waits, which is no attempt
//! and counts in ThrottledRules), its connection's authorization (an OAuth token fetched once and kept, the
//! connection marked AUTHORIZED or DEAUTHORIZED by what the token endpoint answers), and the request. EventBridge
//! retries 401, 407, 409, 429 and 5xx answers and gives up on other 4xx.

use std::sync::Arc;

use skywatch_store::Mutation;

use super::metrics::Tally;
use super::storage::Delivery;
use super::target::{SinkError, Sinks};
use crate::Events;
use crate::connection::http::{invocation, read_token, token_request};
use crate::connection::storage::{ConnectionChange, api_destination, connection};
use crate::connection::{
    ApiDestination, AuthorizationType, Connection, ConnectionState, api_destination_arn, connection_arn,
    parse_connection_arn,
};

/// Whether an API destination's answer `status` is worth trying again.
fn retried(status: u16) -> bool {
    matches!(status, 401 | 407 | 409 | 429) || status >= 500
}

impl Events {
    /// Sends `body` to API destination `name` of (`account`, `region`).
    pub(crate) async fn send_to_api_destination(
        &self,
        sinks: &Arc<dyn Sinks>,
        delivery: &Delivery,
        (account, region, name): (&str, &str, &str),
        body: String,
        now_ms: i64,
        tally: &mut Tally,
    ) -> Result<Vec<Mutation>, SinkError> {
        let (a, r, n) = (account.to_owned(), region.to_owned(), name.to_owned());
        let found = self
            .store
            .read(move |reader| {
                let Some(destination) = api_destination(reader, &a, &r, &n)? else { return Ok(None) };
                let connection = match parse_connection_arn(&destination.connection_arn) {
                    Some((ca, cr, cn)) => connection(reader, &ca, &cr, &cn)?,
                    None => None,
                };
                Ok(Some((destination, connection)))
            })
            .await?;
        let Some((destination, connection)) = found else {
            return Err(SinkError::permanent("RESOURCE_NOT_FOUND", format!("API destination {name} does not exist.")));
        };
        let Some(connection) = connection else {
            return Err(SinkError::permanent(
                "RESOURCE_NOT_FOUND",
                format!("The connection of API destination {name} does not exist."),
            ));
        };
        if matches!(connection.state, ConnectionState::Deauthorized | ConnectionState::Deleting) {
            return Err(SinkError::permanent(
                "NO_PERMISSIONS",
                format!("Connection {} is {}.", connection.name, connection.state.as_str()),
            ));
        }
        let destination_arn = api_destination_arn(region, account, &destination.name, &destination.id);
        if let Err(until) = self.limiter.take(&destination_arn, destination.rate_limit, now_ms) {
            tally.rule((&delivery.account, &delivery.region), (&delivery.bus, &delivery.rule), "ThrottledRules", 1.0);
            return Err(SinkError::throttled(until));
        }
        let mut changes = Vec::new();
        let token = match connection.authorization_type {
            AuthorizationType::OauthClientCredentials => {
                Some(self.oauth_token(sinks, (account, region), &connection, now_ms, &mut changes).await?)
            }
            _ => None,
        };
        self.invoke(sinks, (&destination, &connection), (account, region), body, token.as_deref()).await?;
        Ok(changes)
    }

    async fn invoke(
        &self,
        sinks: &Arc<dyn Sinks>,
        (destination, connection): (&ApiDestination, &Connection),
        (account, region): (&str, &str),
        body: String,
        token: Option<&str>,
    ) -> Result<(), SinkError> {
        let request = invocation(destination, &connection.auth, body, token);
        match sinks.send(request).await {
            Ok(response) if (200..300).contains(&response.status) => Ok(()),
            Ok(response) => {
                if response.status == 401 && token.is_some() {
                    self.tokens.forget(&connection_arn(region, account, &connection.name, &connection.id));
                }
                let message = format!("the API destination answered HTTP {}", response.status);
                match retried(response.status) {
                    true => Err(SinkError::retry("SDK_CLIENT_ERROR", message)),
                    false => Err(SinkError::permanent("SDK_CLIENT_ERROR", message)),
                }
            }
            Err(error) => Err(SinkError::retry("SDK_CLIENT_ERROR", error)),
        }
    }

    /// The connection's OAuth token: the one kept, or a new one from its authorization endpoint (the connection's
    /// state follows what the endpoint answered, in `changes`).
    async fn oauth_token(
        &self,
        sinks: &Arc<dyn Sinks>,
        (account, region): (&str, &str),
        connection: &Connection,
        now_ms: i64,
        changes: &mut Vec<Mutation>,
    ) -> Result<String, SinkError> {
        let arn = connection_arn(region, account, &connection.name, &connection.id);
        if let Some(token) = self.tokens.get(&arn, now_ms) {
            return Ok(token);
        }
        let Some(request) = token_request(&connection.auth) else {
            return Err(SinkError::permanent("NO_PERMISSIONS", "the connection has no OAuth parameters"));
        };
        let state = |state: ConnectionState, reason: Option<String>| {
            ConnectionChange::SetConnectionState {
                account: account.to_owned(),
                region: region.to_owned(),
                name: connection.name.clone(),
                id: connection.id.clone(),
                state,
                reason,
                now_ms,
            }
            .mutation()
        };
        match sinks.send(request).await {
            Ok(response) if (200..300).contains(&response.status) => match read_token(&response.body) {
                Some((token, lifetime_s)) => {
                    self.tokens.put(&arn, token.clone(), now_ms.saturating_add(lifetime_s.saturating_mul(1000)));
                    if connection.state != ConnectionState::Authorized {
                        changes.push(state(ConnectionState::Authorized, None));
                    }
                    Ok(token)
                }
                None => Err(SinkError::retry("SDK_CLIENT_ERROR", "the token endpoint's answer holds no access_token")),
            },
            Ok(response) => {
                let reason = format!("The authorization endpoint answered HTTP {}", response.status);
                if (400..500).contains(&response.status) && response.status != 429 {
                    // Refused credentials: the connection is deauthorized, as EventBridge marks it.
                    let change = state(ConnectionState::Deauthorized, Some(reason.clone()));
                    let _ = self.store.apply(vec![change]).await;
                    return Err(SinkError::permanent("NO_PERMISSIONS", reason));
                }
                Err(SinkError::retry("SDK_CLIENT_ERROR", reason))
            }
            Err(error) => Err(SinkError::retry("SDK_CLIENT_ERROR", error)),
        }
    }
}
