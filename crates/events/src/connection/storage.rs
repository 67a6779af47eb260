//! Where connections (`events_connections_v1`) and API destinations (`events_api_destinations_v1`) live, by
//! account, region and name.

use skywatch_store::{Change, Key, Mutation, ReadError, Reader, Table, Tx, WriteError};

use super::{ApiDestination, Connection, ConnectionState};
use crate::storage::{json, page};

/// (account, region, name) -> [`Connection`] (JSON).
pub const CONNECTIONS: Table = Table::new("events_connections_v1");
/// (account, region, name) -> [`ApiDestination`] (JSON).
pub const API_DESTINATIONS: Table = Table::new("events_api_destinations_v1");

fn key(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

/// A change to connections and API destinations.
#[derive(Debug, Clone)]
pub enum ConnectionChange {
    PutConnection {
        account: String,
        region: String,
        connection: Box<Connection>,
    },
    DeleteConnection {
        account: String,
        region: String,
        name: String,
    },
    /// Sets a connection's state (OAuth authorized or refused), if it is still the same connection.
    SetConnectionState {
        account: String,
        region: String,
        name: String,
        id: String,
        state: ConnectionState,
        reason: Option<String>,
        now_ms: i64,
    },
    PutApiDestination {
        account: String,
        region: String,
        destination: Box<ApiDestination>,
    },
    DeleteApiDestination {
        account: String,
        region: String,
        name: String,
    },
}

impl ConnectionChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for ConnectionChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            ConnectionChange::PutConnection { account, region, connection } => {
                tx.put(CONNECTIONS, key(account, region, &connection.name).as_bytes(), &json(connection)?)
            }
            ConnectionChange::DeleteConnection { account, region, name } => {
                tx.remove(CONNECTIONS, key(account, region, name).as_bytes())
            }
            ConnectionChange::SetConnectionState { account, region, name, id, state, reason, now_ms } => {
                let at = key(account, region, name);
                let Some(bytes) = tx.get(CONNECTIONS, at.as_bytes())? else { return Ok(()) };
                let Ok(mut connection) = serde_json::from_slice::<Connection>(&bytes) else { return Ok(()) };
                if connection.id != *id {
                    return Ok(());
                }
                connection.state = *state;
                connection.state_reason.clone_from(reason);
                if *state == ConnectionState::Authorized {
                    connection.authorized_ms = Some(*now_ms);
                }
                tx.put(CONNECTIONS, at.as_bytes(), &json(&connection)?)
            }
            ConnectionChange::PutApiDestination { account, region, destination } => {
                tx.put(API_DESTINATIONS, key(account, region, &destination.name).as_bytes(), &json(destination)?)
            }
            ConnectionChange::DeleteApiDestination { account, region, name } => {
                tx.remove(API_DESTINATIONS, key(account, region, name).as_bytes())
            }
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|_| ReadError::Corrupt(what.to_owned()))
}

/// Connection `name`.
pub fn connection(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Connection>, ReadError> {
    reader.get(CONNECTIONS, key(account, region, name).as_bytes())?.map(|b| decode(&b, "connection")).transpose()
}

/// Connections by name: those starting with `prefix`, after `after`, up to `limit`.
pub fn connections(
    reader: &Reader,
    (account, region): (&str, &str),
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Connection>, ReadError> {
    page(reader, CONNECTIONS, Key::new().str(account).str(region), prefix, after, limit)
}

/// API destination `name`.
pub fn api_destination(
    reader: &Reader,
    account: &str,
    region: &str,
    name: &str,
) -> Result<Option<ApiDestination>, ReadError> {
    reader
        .get(API_DESTINATIONS, key(account, region, name).as_bytes())?
        .map(|b| decode(&b, "api destination"))
        .transpose()
}

/// API destinations by name: those starting with `prefix`, after `after`, up to `limit`.
pub fn api_destinations(
    reader: &Reader,
    (account, region): (&str, &str),
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<ApiDestination>, ReadError> {
    page(reader, API_DESTINATIONS, Key::new().str(account).str(region), prefix, after, limit)
}
