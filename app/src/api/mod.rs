//! Server functions: the console's only way to the engines. Each is thin: it finds the caller, checks the
//! role for mutations, calls an engine through `Services`, and records the action in CloudTrail.

mod console;
mod dashboards;
mod events;
mod metrics;
#[cfg(feature = "ssr")]
pub mod ssr;
mod users;

pub use console::*;
pub use dashboards::*;
pub use events::*;
pub use metrics::*;
pub use users::*;
