//! CloudWatch alarms, built up over issue 11. So far: alarm states ([`AlarmState`]), one evaluation of a metric
//! alarm's range with M of N and every `TreatMissingData` ([`evaluate`]), when a datapoint breaches
//! ([`condition`]), and the composite alarm rule language ([`rule`]): `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)`, `TRUE`, `FALSE`, `AND`, `OR`, `NOT`
//! and parentheses, parsed within AWS's bounds and ours, printed back, and evaluated over the children's states.
//! Pure: no I/O, no other Skywatch crate.

pub mod condition;
pub mod evaluate;
pub mod rule;
mod state;

pub use state::AlarmState;
