//! The composite alarm rule language: `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)` (a name or an ARN, in
//! double quotes or bare), `TRUE`, `FALSE`, `NOT`, `AND`, `OR` (in that order of precedence) and parentheses.
//!
//! Bounds, checked before any tree is built: a rule of at most [`MAX_RULE_LENGTH`] characters and
//! [`MAX_ALARMS`] distinct alarms (AWS's), nested at most [`MAX_DEPTH`] deep in `NOT`s and parentheses (ours), so
//! that parsing, evaluating, printing and dropping a rule recurse at most that deep; `AND` and `OR` chains are
//! flat lists, not deep trees.

mod lexer;
mod parser;
mod print;

use crate::AlarmState;

pub use parser::parse;

/// The longest rule AWS accepts.
pub const MAX_RULE_LENGTH: usize = 10_240;
/// The most distinct alarms a rule may name (AWS: up to 100 underlying alarms).
pub const MAX_ALARMS: usize = 100;
/// The deepest nesting of `NOT`s and parentheses accepted.
pub const MAX_DEPTH: usize = 32;

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    True,
    False,
    /// `ALARM(name)` and the like: whether the named alarm is in `state`.
    Is {
        state: AlarmState,
        alarm: String,
    },
    Not(Box<Rule>),
    /// All must hold (two or more).
    And(Vec<Rule>),
    /// One must hold (two or more).
    Or(Vec<Rule>),
}

/// Why a rule was refused, worded for the `AlarmRule` parameter's error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("The AlarmRule is longer than {MAX_RULE_LENGTH} characters.")]
    TooLong,
    #[error("The AlarmRule names more than {MAX_ALARMS} alarms.")]
    TooManyAlarms,
    #[error("The AlarmRule nests NOT and parentheses more than {MAX_DEPTH} deep.")]
    TooDeep,
    #[error("The AlarmRule is invalid at character {position}: {message}")]
    Syntax { position: usize, message: String },
}

impl Rule {
    /// The distinct alarms the rule names, in order of first appearance.
    pub fn alarms(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut stack = vec![self];
        while let Some(rule) = stack.pop() {
            match rule {
                Rule::Is { alarm, .. } => {
                    if !out.contains(&alarm.as_str()) {
                        out.push(alarm);
                    }
                }
                Rule::Not(inner) => stack.push(inner),
                Rule::And(rules) | Rule::Or(rules) => stack.extend(rules.iter().rev()),
                Rule::True | Rule::False => {}
            }
        }
        out
    }

    /// Whether the rule holds when each named alarm is in the state `state_of` gives (an alarm it does not know,
    /// e.g. one deleted since, counts as `INSUFFICIENT_DATA`).
    pub fn holds(&self, state_of: &dyn Fn(&str) -> Option<AlarmState>) -> bool {
        match self {
            Rule::True => true,
            Rule::False => false,
            Rule::Is { state, alarm } => state_of(alarm).unwrap_or(AlarmState::InsufficientData) == *state,
            Rule::Not(inner) => !inner.holds(state_of),
            Rule::And(rules) => rules.iter().all(|rule| rule.holds(state_of)),
            Rule::Or(rules) => rules.iter().any(|rule| rule.holds(state_of)),
        }
    }
}
