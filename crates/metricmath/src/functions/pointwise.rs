//! Functions applied to each datapoint on its own: ABS, CEIL, FLOOR, LOG, LOG10; and TIME_SERIES, which turns a
//! scalar into a series.

use crate::error::EvalError;
use crate::eval::Operand;
use crate::eval::ops::map_series;
use crate::functions::Call;
use crate::value::{Series, Value};

/// `f` on every datapoint of a series or of each series of an array (AWS: arguments TS or TS[]); labels kept.
/// A non-finite result (LOG of 0 or of a negative number) drops the datapoint.
pub(crate) fn elementwise(call: &Call<'_, '_>, args: Vec<Operand>, f: fn(f64) -> f64) -> Result<Value, EvalError> {
    match <[Operand; 1]>::try_from(args) {
        Ok([Operand::Value(Value::Series(s))]) => Ok(Value::Series(map_series(s, f))),
        Ok([Operand::Value(Value::Array(items))]) => {
            Ok(Value::Array(items.into_iter().map(|s| map_series(s, f)).collect()))
        }
        Ok(args) => Err(call.type_error(&args)),
        Err(args) => Err(call.type_error(&args)),
    }
}

/// `TIME_SERIES(S)`: the scalar in every slot.
pub(crate) fn time_series(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    match args.as_slice() {
        [Operand::Value(Value::Scalar(v))] => Ok(Value::Series(Series::constant(call.label(), *v, call.slots()))),
        _ => Err(call.type_error(&args)),
    }
}
