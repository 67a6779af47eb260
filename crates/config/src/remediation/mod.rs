//! Remediation: each rule's remediation configuration, the executions it starts (automatically when a result
//! turns non-compliant, or by StartRemediationExecution), the built-in automation documents, and the pass that
//! runs queued attempts with retries.

pub mod actions;
pub mod model;
pub mod run;
pub mod storage;
