//! Console users: names, roles and argon2 password hashes, kept in the store.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::{Deserialize, Serialize};
use skywatch_model::Role;
use skywatch_ops::{AwsError, ErrorCode, codes};
use skywatch_store::{Mutation, ReadError, Store, WriteError};

use crate::storage::{self, AuthChange};

/// A stored console user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("role must be admin or viewer, not {0:?}")]
    BadRole(String),
    #[error("user name must be 1-64 characters of letters, digits and .-_@+=, got {0:?}")]
    BadName(String),
    #[error("password must be at least 8 characters")]
    WeakPassword,
    #[error("password hash is not a valid argon2 PHC string")]
    BadHash,
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl AwsError for UserError {
    fn code(&self) -> ErrorCode {
        match self {
            UserError::BadName(_) | UserError::BadRole(_) => codes::iam::VALIDATION,
            UserError::WeakPassword => codes::iam::PASSWORD_POLICY_VIOLATION,
            UserError::BadHash | UserError::Read(_) | UserError::Write(_) => codes::INTERNAL,
        }
    }
}

/// Hashes a password with argon2id and a random salt. CPU heavy: call off the async runtime.
pub fn hash_password(password: &str) -> Result<String, UserError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| UserError::BadHash)
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || ".-_@+=".contains(c))
}

/// The change storing a user whose password is already hashed.
fn plan_hashed(name: &str, password_hash: &str, role: Role) -> Result<Mutation, UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName(name.to_owned()));
    }
    PasswordHash::new(password_hash).map_err(|_| UserError::BadHash)?;
    let user = User { name: name.to_owned(), role, password_hash: password_hash.to_owned() };
    let record_json = serde_json::to_vec(&user).map_err(|_| UserError::BadHash)?;
    Ok(Mutation::new(AuthChange::PutUser { name: name.to_owned(), record_json }))
}

/// Console users over the store.
#[derive(Clone)]
pub struct Users {
    store: Store,
}

impl Users {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The change that adds or replaces a user with a plain password (hashed here, off the async runtime), to
    /// commit with the call's audit record.
    pub async fn plan_add(&self, name: &str, password: &str, role: Role) -> Result<Mutation, UserError> {
        if !valid_name(name) {
            return Err(UserError::BadName(name.to_owned()));
        }
        if password.chars().count() < 8 {
            return Err(UserError::WeakPassword);
        }
        let password = password.to_owned();
        let hash =
            tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(|_| UserError::BadHash)??;
        plan_hashed(name, &hash, role)
    }

    /// Adds or replaces a user from the configuration or the command line (no caller acts, so there is no call to
    /// record); console users are added by the CreateUser operation.
    pub async fn provision(&self, name: &str, password: &str, role: Role) -> Result<User, UserError> {
        let change = self.plan_add(name, password, role).await?;
        self.store.apply(vec![change]).await?;
        self.user(name).await
    }

    async fn user(&self, name: &str) -> Result<User, UserError> {
        let key = name.to_owned();
        let json = self
            .store
            .read(move |r| storage::user(r, &key))
            .await?
            .ok_or_else(|| UserError::BadName(name.to_owned()))?;
        serde_json::from_slice(&json).map_err(|e| UserError::Read(ReadError::Corrupt(e.to_string())))
    }

    /// Adds or replaces a user whose password is already an argon2 PHC string (from the config file, at start).
    pub async fn add_hashed(&self, name: &str, password_hash: &str, role: Role) -> Result<User, UserError> {
        let change = plan_hashed(name, password_hash, role)?;
        self.store.apply(vec![change]).await?;
        Ok(User { name: name.to_owned(), role, password_hash: password_hash.to_owned() })
    }

    /// The user if the password is right; `None` for an unknown user or a wrong password alike.
    pub async fn verify(&self, name: &str, password: &str) -> Result<Option<User>, UserError> {
        let key = name.to_owned();
        let Some(json) = self.store.read(move |r| storage::user(r, &key)).await? else {
            return Ok(None);
        };
        let user: User = serde_json::from_slice(&json).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        let password = password.to_owned();
        let hash = user.password_hash.clone();
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        Ok(ok.then_some(user))
    }

    /// Every user, ordered by name.
    pub async fn list(&self) -> Result<Vec<User>, UserError> {
        let rows = self.store.read(storage::users).await?;
        rows.into_iter()
            .map(|json| serde_json::from_slice(&json).map_err(|e| UserError::Read(ReadError::Corrupt(e.to_string()))))
            .collect()
    }
}
