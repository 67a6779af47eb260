//! AWS Config: the configuration recorder and its configuration items, resource history and inventory queries,
//! rules and compliance, remediation and aggregation, over the store. Skywatch's own resources are described by
//! their engines (through [`Describe`], which `core` implements); third-party resources are reported with
//! PutResourceConfig. Every change reaches the recorder as a notice committed with the call that made it, so
//! each item names the CloudTrail events that caused it. No HTTP here.

pub mod aggregation;
pub mod announce;
pub mod delivery;
pub mod describe;
mod engine;
mod error;
pub mod model;
mod ops;
pub mod recorder;
pub mod remediation;
pub mod rules;
pub mod storage;

pub use describe::{Describe, Described, Identity};
pub use engine::{Config, HISTORY_EVERY_MS, PassError};
pub use error::{ConfigError, missing as error_missing};
pub use ops::*;
pub use rules::{Outcome, Transport};
pub use skywatch_configrules::{managed_rule, managed_rules};

/// Every table of the Config service.
pub const TABLES: &[skywatch_store::Table] = &[
    announce::ANNOUNCEMENTS,
    storage::RECORDERS,
    storage::CHANNELS,
    storage::ITEMS,
    storage::RESOURCES,
    storage::REPORTED,
    storage::NOTICES,
    storage::ITEM_TIMES,
    rules::storage::RULES,
    rules::storage::EVALUATIONS,
    rules::storage::BY_RESOURCE,
    rules::storage::HISTORY,
    rules::storage::INVOCATIONS,
    remediation::storage::REMEDIATIONS,
    remediation::storage::EXECUTIONS,
    remediation::storage::QUEUE,
    aggregation::storage::AGGREGATORS,
    aggregation::storage::AUTHORIZATIONS,
];
