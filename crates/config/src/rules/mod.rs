//! Config rules: the rule model, where rules and their results live, what a rule makes of an item (managed
//! rules natively, Guard policies through cfn-guard under a deadline, function-backed rules through a webhook),
//! when rules run, and the delivery of webhook invocations.

pub mod deliver;
pub mod evaluate;
pub mod guard_runner;
pub mod invocation;
pub mod model;
pub mod pass;
pub mod resource_compliance;
pub mod storage;

pub use deliver::{Outcome, Transport};
