//! Where console users and sessions live: `users_v2` (user name -> user record JSON) and `sessions_v2` (token
//! hash -> session record JSON), their change type and their reads.

use std::ops::ControlFlow;

use skywatch_store::{Change, Direction, Key, KeyReader, ReadError, Reader, Table, Tx, WriteError};

/// Console users: user name -> user record JSON (role, argon2 hash).
pub const USERS: Table = Table::new("users_v2");
/// Console sessions: SHA-256 of the session token -> session record JSON.
pub const SESSIONS: Table = Table::new("sessions_v2");

/// Every table of users and sessions.
pub const TABLES: &[Table] = &[USERS, SESSIONS];

/// A change to users or sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthChange {
    PutUser { name: String, record_json: Vec<u8> },
    PutSession { token_hash: String, record_json: Vec<u8> },
    DeleteSession { token_hash: String },
}

impl Change for AuthChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            AuthChange::PutUser { name, record_json } => tx.put(USERS, Key::new().str(name).as_bytes(), record_json),
            AuthChange::PutSession { token_hash, record_json } => {
                tx.put(SESSIONS, Key::new().str(token_hash).as_bytes(), record_json)
            }
            AuthChange::DeleteSession { token_hash } => tx.remove(SESSIONS, Key::new().str(token_hash).as_bytes()),
        }
    }
}

/// A user's record JSON.
pub fn user(reader: &Reader, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
    reader.get(USERS, Key::new().str(name).as_bytes())
}

/// Every user's record JSON, ordered by name.
pub fn users(reader: &Reader) -> Result<Vec<Vec<u8>>, ReadError> {
    Ok(reader.all(USERS)?.into_iter().map(|(_, value)| value).collect())
}

/// A session's record JSON by its token hash.
pub fn session(reader: &Reader, token_hash: &str) -> Result<Option<Vec<u8>>, ReadError> {
    reader.get(SESSIONS, Key::new().str(token_hash).as_bytes())
}

/// The token hashes of up to `limit` sessions that ended by `now_ms` (or cannot be read), for the sweep.
pub fn expired_sessions(reader: &Reader, now_ms: i64, limit: usize) -> Result<Vec<String>, ReadError> {
    #[derive(serde::Deserialize)]
    struct Expiry {
        expires_ms: i64,
    }
    let mut out = Vec::new();
    reader.scan(SESSIONS, (None, None), Direction::Forward, |key, value| {
        let ended = serde_json::from_slice::<Expiry>(value).map_or(true, |e| e.expires_ms <= now_ms);
        if ended && let Some(hash) = KeyReader::new(key).str() {
            out.push(hash);
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}
