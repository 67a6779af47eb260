//! Server functions: the console's only way to the engines. Each is thin: it finds the caller, checks the
//! role for mutations, calls an engine through `Services`, and records the action in CloudTrail.

mod alarms;
mod config;
mod console;
mod dashboards;
mod eventbridge;
mod events;
mod logs;
mod metrics;
#[cfg(feature = "ssr")]
pub mod ssr;
mod topics;
mod users;
mod xray;

/// The server functions that also serve plain HTML forms (sign-in, sign-out, adding a user work without
/// JavaScript), so take `application/x-www-form-urlencoded`; every other one takes `application/json`, a type
/// no page of another site can send without the CORS approval Skywatch never gives. The request guard holds
/// each call to its type.
pub const FORM_ENDPOINTS: &[&str] = &["login", "logout", "add_user"];

pub use alarms::*;
pub use config::*;
pub use console::*;
pub use dashboards::*;
pub use eventbridge::*;
pub use events::*;
pub use logs::*;
pub use metrics::*;
pub use topics::*;
pub use users::*;
pub use xray::*;
