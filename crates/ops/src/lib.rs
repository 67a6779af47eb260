//! The operation contract every engine implements and every entry point calls. An operation is a typed
//! function over a [`Context`] (who, which account and region, which request, what time it is) that returns an
//! [`Effect`]: the reply, the changes to commit and the audit details. The AWS front door and the console's
//! server functions are thin adapters that build the context and the typed input; `skywatch-core` runs the
//! operation, checks the caller's role against its [`Access`], and commits its changes with its CloudTrail
//! record. Domain errors name their AWS error code ([`AwsError`]); only the wire edge turns codes into each
//! protocol's shape.

mod context;
mod error;
mod operation;
mod parameters;
pub mod token;

pub use context::{Context, Origin};
pub use error::{AwsError, ErrorCode, codes};
pub use operation::{Access, Effect, EventChanges, Limit, Operation, Provides, Spec};
pub use parameters::{
    MAX_AUDITED_PARAMETER_BYTES, MAX_AUDITED_PARAMETER_DEPTH, audited_parameters, camel_case_keys, within_depth,
};
pub use skywatch_model::EventResource;
