//! What a comparison means against the two kinds of values it meets: the text of a space-delimited field, and a
//! JSON value. Numbers compare as numbers, with the number grammar deciding what text is a number; strings compare
//! with wildcards, case-sensitively; regular expressions search.
//!
//! * An unquoted number (`= 200`, `> 1.5`) compares numerically with a value that is a number (a JSON number, or
//!   text in the number grammar). A value that is not a number is not equal to it, and neither less nor greater.
//! * A string (`= ERROR`, `= "4*"`, `!= 123.123.*`) compares with the value's text: a JSON number's text as
//!   `serde_json` prints it (`12.0` stays `12.0`), so `"123"` matches the number 123 but `"12"` does not match 12.0.
//! * JSON values other than strings and numbers (booleans, null, arrays, objects) satisfy no comparison, `!=`
//!   included, as AWS documents for arrays and objects ("the filter pattern won't match").

use serde_json::Value;

use crate::ast::{CompareOp, Comparison, Operand};
use crate::number::parse_number;

impl Comparison {
    /// Whether text (a space-delimited field, a JSON string) satisfies the comparison.
    pub(crate) fn holds_for_text(&self, text: &str) -> bool {
        match &self.operand {
            Operand::Number(number) => match parse_number(text) {
                Some(value) => ordered(self.op, value, number.value),
                None => self.op == CompareOp::Ne,
            },
            Operand::Text(glob) => self.equality(glob.is_any() || glob.matches(text)),
            Operand::Regex(regex) => self.equality(regex.is_match(text)),
        }
    }

    /// Whether a JSON value satisfies the comparison.
    pub(crate) fn holds_for_json(&self, value: &Value) -> bool {
        match value {
            Value::String(text) => self.holds_for_text(text),
            Value::Number(number) => match &self.operand {
                Operand::Number(wanted) => number.as_f64().is_some_and(|value| ordered(self.op, value, wanted.value)),
                Operand::Text(glob) if glob.is_any() => self.op == CompareOp::Eq,
                Operand::Text(_) | Operand::Regex(_) => self.holds_for_text(&number.to_string()),
            },
            Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => false,
        }
    }

    /// The result of `=` or `!=` given whether the value matched.
    fn equality(&self, matched: bool) -> bool {
        match self.op {
            CompareOp::Eq => matched,
            CompareOp::Ne => !matched,
            // The parser gives the ordering operators numbers only.
            CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge => false,
        }
    }
}

fn ordered(op: CompareOp, value: f64, wanted: f64) -> bool {
    match op {
        CompareOp::Eq => value == wanted,
        CompareOp::Ne => value != wanted,
        CompareOp::Lt => value < wanted,
        CompareOp::Le => value <= wanted,
        CompareOp::Gt => value > wanted,
        CompareOp::Ge => value >= wanted,
    }
}
