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
    /// Too many password checks are waiting; try again shortly.
    #[error("Too many sign-in attempts are being checked; try again shortly.")]
    Busy,
    #[error(
        "Console users cannot be created while the server runs with --auth none; add them with `skywatch user add` or the config file and serve with --auth sigv4."
    )]
    CreationDisabled,
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
            UserError::CreationDisabled => codes::ACCESS_DENIED,
            UserError::Busy => codes::THROTTLING,
            UserError::BadHash | UserError::Read(_) | UserError::Write(_) => codes::INTERNAL,
        }
    }
}

/// Argon2 runs at most this many at once (each holds 19 MiB for its run).
pub const MAX_CONCURRENT_HASHES: usize = 2;
/// At most this many attempts wait for a hashing slot; more are refused as busy.
pub const MAX_WAITING_HASHES: usize = 32;
/// Passwords longer than this never match (IAM allows 128 characters).
pub const MAX_PASSWORD_BYTES: usize = 1024;

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_CONCURRENT_HASHES);
static WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// What unknown names are checked against, so that they cost what a known one costs.
static STAND_IN_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut secret = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
    hash_password(&hex::encode(secret)).unwrap_or_default()
});

/// Runs argon2 work on the blocking pool once a hashing slot is free. The slot and the count of waiting checks
/// move into the blocking job, so they stay taken until the hash is done even if the caller gives up.
async fn hash_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, UserError> {
    use std::sync::atomic::Ordering;
    struct Waiting;
    impl Drop for Waiting {
        fn drop(&mut self) {
            WAITING.fetch_sub(1, Ordering::Relaxed);
        }
    }
    if WAITING.fetch_add(1, Ordering::Relaxed) >= MAX_WAITING_HASHES + MAX_CONCURRENT_HASHES {
        WAITING.fetch_sub(1, Ordering::Relaxed);
        return Err(UserError::Busy);
    }
    let waiting = Waiting;
    let slot = HASHING.acquire().await.map_err(|_| UserError::Busy)?;
    tokio::task::spawn_blocking(move || {
        let result = work();
        drop((slot, waiting));
        result
    })
    .await
    .map_err(|_| UserError::Busy)
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
    /// Whether callers may create users (CreateUser). Off while the server runs without authentication: anyone
    /// who reaches it then acts as an administrator, and a user created so would outlive that mode.
    creation: bool,
    /// How many password checks ran argon2 (known and unknown names alike).
    checks: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Users {
    pub fn new(store: Store) -> Self {
        Self { store, creation: true, checks: Default::default() }
    }

    /// The same users, refusing CreateUser when `enabled` is false.
    pub fn with_creation(self, enabled: bool) -> Self {
        Self { creation: enabled, ..self }
    }

    pub fn creation_enabled(&self) -> bool {
        self.creation
    }

    /// How many password checks ran argon2 through these users.
    pub fn password_checks(&self) -> u64 {
        self.checks.load(std::sync::atomic::Ordering::Relaxed)
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
        let hash = hash_slot(move || hash_password(&password)).await??;
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

    /// The user if the password is right; `None` for an unknown user or a wrong password alike, after the same
    /// work (an unknown or malformed name is checked against a stand-in hash, so timing tells nothing). Hashing
    /// runs off the async runtime, [`MAX_CONCURRENT_HASHES`] at a time; past [`MAX_WAITING_HASHES`] waiting,
    /// the attempt is refused as [`UserError::Busy`] rather than queued.
    pub async fn verify(&self, name: &str, password: &str) -> Result<Option<User>, UserError> {
        let user = if valid_name(name) {
            let key = name.to_owned();
            match self.store.read(move |r| storage::user(r, &key)).await? {
                Some(json) => Some(
                    serde_json::from_slice::<User>(&json)
                        .map_err(|e| UserError::Read(ReadError::Corrupt(e.to_string())))?,
                ),
                None => None,
            }
        } else {
            None
        };
        // The stand-in is read inside the job: its first use hashes, which belongs off the runtime too.
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        // Argon2 reads the password once; a long one costs little, but nobody's password is this long.
        let password = if password.len() <= MAX_PASSWORD_BYTES { password.to_owned() } else { String::new() };
        let checks = self.checks.clone();
        let ok = hash_slot(move || {
            checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let hash = hash.unwrap_or_else(|| STAND_IN_HASH.clone());
            PasswordHash::new(&hash)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await?;
        Ok(user.filter(|_| ok))
    }

    /// The stored user of that name, if any.
    pub async fn find(&self, name: &str) -> Result<Option<User>, UserError> {
        if !valid_name(name) {
            return Ok(None);
        }
        let key = name.to_owned();
        let Some(json) = self.store.read(move |r| storage::user(r, &key)).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&json).map(Some).map_err(|e| UserError::Read(ReadError::Corrupt(e.to_string())))
    }

    /// Every user, ordered by name.
    pub async fn list(&self) -> Result<Vec<User>, UserError> {
        let rows = self.store.read(storage::users).await?;
        rows.into_iter()
            .map(|json| serde_json::from_slice(&json).map_err(|e| UserError::Read(ReadError::Corrupt(e.to_string()))))
            .collect()
    }
}
