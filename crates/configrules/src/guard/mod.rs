//! AWS Config custom policy rules (`Owner` CUSTOM_POLICY, `PolicyRuntime` guard-2.x.x): policy text
//! in CloudFormation Guard, checked when the rule is put and evaluated against each configuration
//! item by cfn-guard, AWS's own implementation of Guard.
//!
//! Checking bounds the text before cfn-guard's recursive parser sees it (at most 10,000 characters,
//! [`MAX_NESTING`] levels of brackets), has cfn-guard parse it, and bounds what its parse tree
//! implies for evaluation: no cycles among rules and variables, and at most [`MAX_EFFECTIVE_DEPTH`]
//! through references. Policies within those bounds parse and evaluate within a 2 MiB stack in a
//! debug build (the tests run the deepest ones so).
//!
//! Evaluation: the document is the item (see `document`); cfn-guard's summary status maps FAIL to
//! NON_COMPLIANT, PASS to COMPLIANT and SKIP to NOT_APPLICABLE (see `report`); a deleted or
//! unrecorded resource is NOT_APPLICABLE without evaluation. When cfn-guard cannot evaluate the
//! policy (an error such as a rule name that does not exist, or a panic), the verdict is
//! INSUFFICIENT_DATA with the error as its annotation: AWS Config records no evaluation then and
//! reports the error as the rule's evaluation status.

mod document;
mod engine;
mod graph;
mod report;
mod scan;

pub use graph::MAX_EFFECTIVE_DEPTH;
pub use scan::{MAX_NESTING, MAX_SQUARE_NESTING};

use crate::compliance::Verdict;
use crate::error::RuleError;
use crate::item::Item;
use serde_json::{Map, Value};

/// The only `PolicyRuntime` AWS Config accepts.
pub const POLICY_RUNTIME: &str = "guard-2.x.x";

/// `PolicyText` is at most 10,000 characters.
pub const MAX_POLICY_CHARS: usize = 10_000;

/// The longest cfn-guard message quoted in a refusal (its parse errors quote the rest of the text).
const MAX_QUOTED_CHARS: usize = 300;

/// Checked Guard policy text. It keeps only text (cfn-guard's parse tree is not `Send`), so it is
/// `Send + Sync` and cheap to share; each evaluation parses the text again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardPolicy {
    text: String,
    rule_names: Vec<String>,
}

impl GuardPolicy {
    /// Checks policy text as `PutConfigRule` does: its length (ValidationException), then its
    /// structure and cfn-guard's parse (InvalidParameterValueException).
    pub fn parse(text: &str) -> Result<GuardPolicy, RuleError> {
        if text.chars().count() > MAX_POLICY_CHARS {
            return Err(RuleError::Validation(format!(
                "1 validation error detected: Value at 'configRule.source.customPolicyDetails.policyText' failed to \
                 satisfy constraint: Member must have length less than or equal to {MAX_POLICY_CHARS}"
            )));
        }
        scan::check(text).map_err(refused)?;
        let tree = engine::parse_tree(text).map_err(|e| refused(quote(&e.message())))?;
        let tree = engine::read_tree(&tree).map_err(refused)?;
        let rule_names = graph::check(&tree).map_err(refused)?;
        Ok(GuardPolicy { text: text.to_string(), rule_names })
    }

    /// The policy text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The names of the policy's rules, in order (clauses outside any rule form the rule
    /// "default").
    pub fn rule_names(&self) -> &[String] {
        &self.rule_names
    }

    /// Evaluates one configuration item (a rule without input parameters).
    pub fn evaluate(&self, item: &Value) -> Verdict {
        self.evaluate_with_parameters(item, None)
    }

    /// Evaluates one configuration item; the rule's input parameters (see
    /// [`crate::input_parameters_object`]) are the document's `CONFIG_RULE_PARAMETERS`.
    pub fn evaluate_with_parameters(&self, item: &Value, parameters: Option<&Map<String, Value>>) -> Verdict {
        if Item::new(item).is_gone() {
            return Verdict::not_applicable();
        }
        let document = match document::build(item, parameters) {
            Ok(d) => d,
            Err(message) => return Verdict::insufficient_data(message),
        };
        match engine::run(&self.text, &document) {
            Ok(summary) => report::verdict(&summary),
            Err(e) => Verdict::insufficient_data(e.message()),
        }
    }
}

fn refused(message: String) -> RuleError {
    RuleError::InvalidParameterValue(message)
}

/// cfn-guard's message, cut to a readable length.
fn quote(message: &str) -> String {
    let short: String = message.chars().take(MAX_QUOTED_CHARS).collect();
    let ellipsis = if short.len() < message.len() { "..." } else { "" };
    format!("The policy text is not valid Guard: {short}{ellipsis}")
}
