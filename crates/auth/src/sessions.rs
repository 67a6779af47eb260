//! Console sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use skywatch_model::Role;
use skywatch_store::{Mutation, ReadError, Store, WriteError};

use crate::storage::{self, AuthChange};

/// How long a session lasts after sign-in.
pub const SESSION_LIFETIME_HOURS: i64 = 12;

/// A signed-in console session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user: String,
    pub role: Role,
    pub expires_ms: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Sessions over the store, so they survive restarts.
#[derive(Clone)]
pub struct Sessions {
    store: Store,
}

impl Sessions {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// A new session started at `now_ms`: its token (the cookie value) and the change storing it, to commit with
    /// the sign-in's audit record.
    pub fn start(user: &str, role: Role, now_ms: i64) -> (String, Mutation) {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let session = Session {
            user: user.to_owned(),
            role,
            expires_ms: now_ms.saturating_add(SESSION_LIFETIME_HOURS * 3_600_000),
        };
        // A struct of strings and numbers always serialises.
        let record_json = serde_json::to_vec(&session).unwrap_or_default();
        (token.clone(), Mutation::new(AuthChange::PutSession { token_hash: token_hash(&token), record_json }))
    }

    /// The live session for a token as of `now_ms`, if any.
    pub async fn get(&self, token: &str, now_ms: i64) -> Result<Option<Session>, SessionError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = token_hash(token);
        let Some(json) = self.store.read(move |r| storage::session(r, &hash)).await? else {
            return Ok(None);
        };
        let session: Session = serde_json::from_slice(&json).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        Ok((session.expires_ms > now_ms).then_some(session))
    }

    /// Ends a session.
    pub async fn delete(&self, token: &str) -> Result<(), SessionError> {
        self.store.apply(vec![Mutation::new(AuthChange::DeleteSession { token_hash: token_hash(token) })]).await?;
        Ok(())
    }
}
