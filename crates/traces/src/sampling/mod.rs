//! Centralized sampling: the rules (stored, with the Default rule every account has) and the sharing of each
//! rule's reservoir among the clients that report to it.

pub mod rule;
pub mod targets;

pub use rule::{DEFAULT_RULE, Rule, RuleFields};
pub use targets::{Allotment, Counts, Report, Target};
