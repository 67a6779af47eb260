//! Arithmetic, comparison and logical operators between scalars, series and arrays of series.
//!
//! AWS: "Missing values in a time series are treated as 0. If the value of a data point causes a function to
//! attempt to divide by zero, the data point is dropped." and, for comparisons, "When comparison operators are
//! used between two time series, and only one of the time series has a value for a particular time stamp, the
//! function treats the missing value in the other time series as 0." So between two series a slot missing on
//! one side counts as 0, a slot missing on both stays missing; between a series and a scalar a missing slot stays
//! missing (there is no datapoint to operate on); any non-finite result is dropped.

use crate::ast::{BinaryOp, UnaryOp};
use crate::error::EvalErrorKind;
use crate::eval::Operand;
use crate::value::{Series, Value, finite};

fn truthy(v: f64) -> bool {
    v != 0.0
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// The operator on two numbers. Results may be non-finite; series operations drop those.
pub(crate) fn apply(op: BinaryOp, a: f64, b: f64) -> f64 {
    match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => a / b,
        BinaryOp::Pow => a.powf(b),
        BinaryOp::Eq => flag(a == b),
        BinaryOp::Ne => flag(a != b),
        BinaryOp::Lt => flag(a < b),
        BinaryOp::Le => flag(a <= b),
        BinaryOp::Gt => flag(a > b),
        BinaryOp::Ge => flag(a >= b),
        BinaryOp::And => flag(truthy(a) && truthy(b)),
        BinaryOp::Or => flag(truthy(a) || truthy(b)),
    }
}

fn apply_unary(op: UnaryOp, v: f64) -> f64 {
    match op {
        UnaryOp::Neg => -v,
        UnaryOp::Not => flag(!truthy(v)),
    }
}

pub(crate) fn map_series(mut series: Series, f: impl Fn(f64) -> f64) -> Series {
    for slot in &mut series.values {
        *slot = slot.and_then(|x| finite(f(x)));
    }
    series
}

/// Two series slot by slot, a slot missing on one side counting as 0.
fn zip_series(op: BinaryOp, a: &[Option<f64>], b: &[Option<f64>]) -> Vec<Option<f64>> {
    a.iter()
        .zip(b)
        .map(|(x, y)| match (x, y) {
            (None, None) => None,
            _ => finite(apply(op, x.unwrap_or(0.0), y.unwrap_or(0.0))),
        })
        .collect()
}

pub(crate) fn unary(op: UnaryOp, operand: Operand) -> Result<Value, EvalErrorKind> {
    match operand {
        Operand::Value(Value::Scalar(v)) => Ok(Value::Scalar(apply_unary(op, v))),
        Operand::Value(Value::Series(s)) => Ok(Value::Series(map_series(s, |v| apply_unary(op, v)))),
        Operand::Value(Value::Array(items)) => {
            Ok(Value::Array(items.into_iter().map(|s| map_series(s, |v| apply_unary(op, v))).collect()))
        }
        other => {
            let symbol = match op {
                UnaryOp::Neg => "unary -",
                UnaryOp::Not => "NOT",
            };
            Err(EvalErrorKind::Type { op: symbol.into(), types: vec![other.type_name()] })
        }
    }
}

/// `label` names a series built from two series: the text of the subexpression.
pub(crate) fn binary(
    op: BinaryOp,
    lhs: Operand,
    rhs: Operand,
    label: impl Fn() -> String,
) -> Result<Value, EvalErrorKind> {
    let type_error = EvalErrorKind::Type { op: op.symbol().to_string(), types: vec![lhs.type_name(), rhs.type_name()] };
    let (Operand::Value(left), Operand::Value(right)) = (lhs, rhs) else {
        return Err(type_error);
    };
    let value = match (left, right) {
        (Value::Scalar(a), Value::Scalar(b)) => Value::Scalar(apply(op, a, b)),
        (Value::Series(s), Value::Scalar(b)) => Value::Series(map_series(s, |a| apply(op, a, b))),
        (Value::Scalar(a), Value::Series(s)) => Value::Series(map_series(s, |b| apply(op, a, b))),
        (Value::Series(a), Value::Series(b)) => {
            Value::Series(Series { label: label(), id: None, values: zip_series(op, &a.values, &b.values) })
        }
        (Value::Array(items), Value::Scalar(b)) => {
            Value::Array(items.into_iter().map(|s| map_series(s, |a| apply(op, a, b))).collect())
        }
        (Value::Scalar(a), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|s| map_series(s, |b| apply(op, a, b))).collect())
        }
        (Value::Array(items), Value::Series(b)) => Value::Array(
            items
                .into_iter()
                .map(|s| Series { values: zip_series(op, &s.values, &b.values), id: None, label: s.label })
                .collect(),
        ),
        (Value::Series(a), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|s| Series { values: zip_series(op, &a.values, &s.values), id: None, label: s.label })
                .collect(),
        ),
        (Value::Array(_), Value::Array(_)) => return Err(type_error),
    };
    Ok(value)
}
