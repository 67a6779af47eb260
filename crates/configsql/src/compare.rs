//! How one value of an item compares with a literal. Strings compare by code point (so ISO-8601 dates compare as
//! dates), numbers numerically (a numeric string against a number too), booleans with `TRUE`/`FALSE` or
//! `'true'`/`'false'`. A string literal that is an IP address or CIDR block, against a value that is one, compares
//! as address ranges, as AWS documents for CIDR properties: `=` holds when the value's range includes the literal's,
//! `BETWEEN` when the ranges overlap, `<` and `<=` on the range's first address, `>` and `>=` on its last. Values of
//! other kinds (objects, null, a string against a boolean) never compare.

use std::cmp::Ordering;

use serde_json::Value;

use crate::ast::Literal;
use crate::ip::IpRange;

/// The ordering operators (`!=` is the negation of [`Op::Eq`], applied by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Eq => ordering == Ordering::Equal,
            Op::Lt => ordering == Ordering::Less,
            Op::Le => ordering != Ordering::Greater,
            Op::Gt => ordering == Ordering::Greater,
            Op::Ge => ordering != Ordering::Less,
        }
    }
}

/// A literal with the readings a comparison may need, worked out once per query.
#[derive(Debug, Clone)]
pub struct Operand<'q> {
    text: Option<&'q str>,
    number: Option<f64>,
    boolean: Option<bool>,
    ip: Option<IpRange>,
}

impl<'q> Operand<'q> {
    pub fn new(literal: &'q Literal) -> Self {
        match literal {
            Literal::Str(text) => Self {
                text: Some(text),
                number: text.trim().parse::<f64>().ok().filter(|v| v.is_finite()),
                boolean: bool_text(text),
                ip: IpRange::parse(text),
            },
            Literal::Number { value, .. } => Self { text: None, number: Some(*value), boolean: None, ip: None },
            Literal::Bool(b) => Self { text: None, number: None, boolean: Some(*b), ip: None },
        }
    }
}

fn bool_text(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The value's IP range, when the operand is an address and the value a string that is one.
fn ip_ranges(value: &Value, operand: &Operand<'_>) -> Option<(IpRange, IpRange)> {
    match (value, operand.ip) {
        (Value::String(text), Some(literal)) => Some((IpRange::parse(text)?, literal)),
        _ => None,
    }
}

/// Whether `value op operand` holds.
pub fn holds(value: &Value, op: Op, operand: &Operand<'_>) -> bool {
    if let Some((range, literal)) = ip_ranges(value, operand) {
        return match op {
            Op::Eq => range.contains(&literal),
            Op::Lt => range.first < literal.first,
            Op::Le => range.first <= literal.first,
            Op::Gt => range.last > literal.last,
            Op::Ge => range.last >= literal.last,
        };
    }
    order(value, operand).is_some_and(|ordering| op.accepts(ordering))
}

/// Whether `value BETWEEN low AND high` holds (both ends included).
pub fn between(value: &Value, low: &Operand<'_>, high: &Operand<'_>) -> bool {
    if let (Some((range, low)), Some((_, high))) = (ip_ranges(value, low), ip_ranges(value, high)) {
        return range.first <= high.last && range.last >= low.first;
    }
    order(value, low).is_some_and(|o| o != Ordering::Less) && order(value, high).is_some_and(|o| o != Ordering::Greater)
}

/// How `value` orders against `operand`, if they are comparable.
fn order(value: &Value, operand: &Operand<'_>) -> Option<Ordering> {
    match value {
        Value::String(text) => match (operand.text, operand.number, operand.boolean) {
            (Some(literal), _, _) => Some(text.as_str().cmp(literal)),
            (None, Some(number), _) => text.trim().parse::<f64>().ok()?.partial_cmp(&number),
            (None, None, Some(b)) => Some(bool_text(text)?.cmp(&b)),
            (None, None, None) => None,
        },
        Value::Number(n) => n.as_f64()?.partial_cmp(&operand.number?),
        Value::Bool(b) => Some(b.cmp(&operand.boolean?)),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(s: &str) -> Literal {
        Literal::Str(s.to_owned())
    }

    fn number(v: f64) -> Literal {
        Literal::Number { text: v.to_string(), value: v }
    }

    fn check(value: Value, op: Op, literal: Literal) -> bool {
        holds(&value, op, &Operand::new(&literal))
    }

    #[test]
    fn strings_numbers_and_booleans() {
        assert!(check(json!("t2.micro"), Op::Eq, text("t2.micro")));
        assert!(!check(json!("t2.micro"), Op::Eq, text("T2.MICRO")));
        assert!(check(json!("2026-01-02T00:00:00.000Z"), Op::Gt, text("2026-01-01")));
        assert!(check(json!(22), Op::Le, number(22.0)));
        assert!(check(json!(100.0), Op::Eq, number(100.0)));
        assert!(check(json!(22), Op::Eq, text("22")));
        assert!(check(json!("22"), Op::Lt, number(100.0)));
        assert!(!check(json!("web"), Op::Lt, number(100.0)));
        assert!(check(json!(false), Op::Eq, Literal::Bool(false)));
        assert!(check(json!(true), Op::Eq, text("true")));
        assert!(check(json!("false"), Op::Eq, Literal::Bool(false)));
        assert!(!check(json!(null), Op::Eq, text("null")));
        assert!(!check(json!({"a": 1}), Op::Eq, text("a")));
        assert!(!check(json!(1), Op::Eq, Literal::Bool(true)));
    }

    #[test]
    fn cidr_values_compare_as_ranges() {
        assert!(check(json!("0.0.0.0/0"), Op::Eq, text("192.168.0.2")));
        assert!(check(json!("192.168.0.2/32"), Op::Eq, text("192.168.0.2")));
        assert!(!check(json!("10.0.0.0/24"), Op::Eq, text("192.168.0.2")));
        assert!(check(json!("0.0.0.0/0"), Op::Eq, text("0.0.0.0/0")));
        assert!(!check(json!("10.0.0.0/8"), Op::Eq, text("0.0.0.0/0")));
        assert!(check(json!("0.0.0.0/0"), Op::Lt, text("10.0.0.0")));
        assert!(!check(json!("10.0.0.0/24"), Op::Lt, text("10.0.0.0")));
        assert!(check(json!("10.0.0.0/24"), Op::Gt, text("10.0.0.9")));
        // Addresses order numerically, not as text.
        assert!(check(json!("10.0.0.10"), Op::Gt, text("10.0.0.9")));
        let (low, high) = (text("10.0.0.0"), text("10.0.0.255"));
        let between_ = |v: Value| between(&v, &Operand::new(&low), &Operand::new(&high));
        assert!(between_(json!("10.0.0.0/24")));
        assert!(between_(json!("0.0.0.0/0")));
        assert!(between_(json!("10.0.0.128/25")));
        assert!(!between_(json!("10.0.1.0/24")));
    }

    #[test]
    fn between_is_inclusive() {
        let (low, high) = (number(20.0), number(25.0));
        let between_ = |v: Value| between(&v, &Operand::new(&low), &Operand::new(&high));
        assert!(between_(json!(20)));
        assert!(between_(json!(25)));
        assert!(!between_(json!(26)));
        assert!(!between_(json!("x")));
    }
}
