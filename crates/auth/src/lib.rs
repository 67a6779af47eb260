//! Who may do what: the access keys SigV4 requests are checked against, console users (argon2 password
//! hashes) and console sessions.

mod access_keys;
mod operations;
mod sessions;
pub mod storage;
pub mod throttle;
mod users;

pub use access_keys::{AccessKey, AccessKeyError, AccessKeys};
pub use operations::{CreateUser, CreateUserInput, ListUsers};
pub use sessions::{SESSION_LIFETIME_HOURS, Session, SessionError, Sessions};
pub use throttle::{Held, Throttle, address_key};
pub use users::{MAX_CONCURRENT_HASHES, MAX_PASSWORD_BYTES, MAX_WAITING_HASHES, User, UserError, Users, hash_password};
