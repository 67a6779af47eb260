//! Console sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use skywatch_model::Role;
use skywatch_store::{Mutation, ReadError, Store, WriteError};

use crate::storage::{self, AuthChange};
use crate::users::User;

/// How long a session lasts after sign-in.
pub const SESSION_LIFETIME_HOURS: i64 = 12;

/// A signed-in console session, bound to the role and the password it was issued under: when either changes,
/// the session ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user: String,
    pub role: Role,
    pub expires_ms: i64,
    /// A digest of the user's password hash when the session began (sessions from before it was kept have none
    /// and match no user).
    #[serde(default)]
    pub credential: String,
}

impl Session {
    /// Whether the session still stands for `user` as stored now: same name, role and password.
    pub fn is_for(&self, user: &User) -> bool {
        self.user == user.name && self.role == user.role && self.credential == credential(user)
    }
}

/// The digest of a user's password hash a session is bound to.
fn credential(user: &User) -> String {
    hex::encode(Sha256::digest(user.password_hash.as_bytes()))
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
    pub fn start(user: &User, now_ms: i64) -> (String, Mutation) {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let session = Session {
            user: user.name.clone(),
            role: user.role,
            expires_ms: now_ms.saturating_add(SESSION_LIFETIME_HOURS * 3_600_000),
            credential: credential(user),
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

    /// Removes up to `limit` sessions that ended by `now_ms`; how many it removed.
    pub async fn sweep(&self, now_ms: i64, limit: usize) -> Result<usize, SessionError> {
        let expired = self.store.read(move |r| storage::expired_sessions(r, now_ms, limit)).await?;
        let count = expired.len();
        if count > 0 {
            let changes = expired.into_iter().map(|token_hash| Mutation::new(AuthChange::DeleteSession { token_hash }));
            self.store.apply(changes.collect()).await?;
        }
        Ok(count)
    }

    /// Ends a session.
    pub async fn delete(&self, token: &str) -> Result<(), SessionError> {
        self.store.apply(vec![Mutation::new(AuthChange::DeleteSession { token_hash: token_hash(token) })]).await?;
        Ok(())
    }
}
