//! CloudWatch alarms. The pure part: alarm states ([`AlarmState`]), the alarm model ([`definition`]), one
//! evaluation of a metric alarm's range with M of N and every `TreatMissingData` ([`evaluate`]), when a
//! datapoint breaches ([`condition`]), the composite alarm rule language ([`rule`]), the state kept between
//! evaluations ([`status`]) and CloudWatch's wording of state reasons ([`reason`]). With feature `service`: the
//! alarm operations over the store and the evaluator over the metrics engine ([`service`]).

pub mod condition;
pub mod definition;
pub mod evaluate;
pub mod notification;
pub mod reason;
pub mod rule;
#[cfg(feature = "service")]
pub mod service;
mod state;
pub mod status;

pub use state::AlarmState;
