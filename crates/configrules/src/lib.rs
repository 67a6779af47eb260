//! AWS Config rule evaluation over configuration items: managed rules evaluated natively with their
//! input parameters ([`managed_rule`]), and custom policy rules written in CloudFormation Guard,
//! evaluated by AWS's own cfn-guard ([`GuardPolicy`]). Pure: no I/O, no store, no async.
//!
//! A configuration item is a `serde_json::Value` in the API's `ConfigurationItem` shape
//! (`configurationItemStatus`, `resourceType`, `resourceId`, `tags`, `relationships`, ...) with
//! `configuration` already parsed into an object; `supplementaryConfiguration` values may be JSON
//! text or objects.

mod compliance;
mod error;
mod guard;
mod item;
mod managed;
mod parameters;

pub use compliance::{Compliance, MAX_ANNOTATION_CHARS, Verdict};
pub use error::RuleError;
pub use guard::{GuardPolicy, MAX_EFFECTIVE_DEPTH, MAX_NESTING, MAX_POLICY_CHARS, MAX_SQUARE_NESTING, POLICY_RUNTIME};
pub use managed::{ManagedRule, managed_rule, managed_rules};
/// The JSON value configuration items are (serde_json's), re-exported so that callers without their
/// own serde_json can build them.
pub use serde_json::Value;

pub use parameters::{
    MAX_INPUT_PARAMETERS_CHARS, ParamKind, ParamSpec, ParamValue, Parameters, input_parameters_object,
};
