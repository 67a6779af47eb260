//! The event-pattern crate at its boundary: AWS's recorded answers as a table, and the rule set against the
//! patterns one by one.

mod cases;
mod rule_set;
mod workload;
