//! Who may do what: the access keys SigV4 requests are checked against, console users (argon2 password
//! hashes) and console sessions.

mod access_keys;
mod operations;
mod sessions;
pub mod storage;
mod users;

pub use access_keys::{AccessKey, AccessKeyError, AccessKeys};
pub use operations::{CreateUser, CreateUserInput, ListUsers};
pub use sessions::{SESSION_LIFETIME_HOURS, Session, SessionError, Sessions};
pub use users::{User, UserError, Users, hash_password};
