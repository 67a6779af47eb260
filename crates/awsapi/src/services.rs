//! One module per AWS service: the wire adapters ([`crate::registry::Wire`]) of its operations, mapping wire
//! shapes to the engines' typed inputs and outputs.

mod cloudtrail;
mod cloudwatch;
mod config;
mod events;
mod logs;
mod sns;
mod xray;
