//! `IF(condition, trueValue[, falseValue])`, slot by slot, as AWS documents it ("Using IF expressions"):
//! a condition datapoint is true unless it is 0; where the condition has no datapoint the result has none; where it
//! is true the result is `trueValue` (a series missing there gives 0); where it is false the result is
//! `falseValue` (a series missing there, or no `falseValue` at all, gives nothing). A scalar condition picks one
//! whole argument (false with no `falseValue`: an empty series).

use crate::error::EvalError;
use crate::eval::Operand;
use crate::functions::Call;
use crate::value::{Series, Value, finite};

/// A branch of IF at one slot.
fn branch(value: &Value, i: usize, missing: Option<f64>) -> Option<f64> {
    match value {
        Value::Scalar(v) => finite(*v),
        Value::Series(s) => s.values.get(i).copied().flatten().or(missing),
        Value::Array(_) => None,
    }
}

pub(crate) fn if_(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    let single = |v: &Value| matches!(v, Value::Scalar(_) | Value::Series(_));
    let (condition, when_true, when_false) = match args.as_slice() {
        [Operand::Value(c), Operand::Value(t)] if single(c) && single(t) => (c, t, None),
        [Operand::Value(c), Operand::Value(t), Operand::Value(f)] if single(c) && single(t) && single(f) => {
            (c, t, Some(f))
        }
        _ => return Err(call.type_error(&args)),
    };
    match condition {
        Value::Scalar(c) if *c != 0.0 => Ok(when_true.clone()),
        Value::Scalar(_) => {
            Ok(when_false.cloned().unwrap_or_else(|| Value::Series(Series::empty(call.label(), call.slots()))))
        }
        Value::Series(cond) => {
            let values = cond
                .values
                .iter()
                .enumerate()
                .map(|(i, c)| match c {
                    None => None,
                    Some(c) if *c != 0.0 => branch(when_true, i, Some(0.0)),
                    Some(_) => when_false.and_then(|f| branch(f, i, None)),
                })
                .collect();
            Ok(Value::Series(Series::new(call.label(), None, values)))
        }
        Value::Array(_) => Err(call.type_error(&args)),
    }
}
