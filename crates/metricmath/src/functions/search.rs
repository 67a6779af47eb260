//! `SEARCH('{Namespace,Dim} term', 'Statistic', period)`: the engine runs the search (its syntax is the engine's
//! business); the series it returns make an array.

use crate::error::{EvalError, EvalErrorKind};
use crate::eval::Operand;
use crate::functions::{Call, count_arg};
use crate::value::Value;

pub(crate) fn search(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    let [Operand::Str(query), Operand::Str(statistic), Operand::Value(Value::Scalar(period))] = args.as_slice() else {
        return Err(call.type_error(&args));
    };
    let period = count_arg(call, *period, "the period")?;
    let period = u32::try_from(period)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| call.invalid(format!("the period must be a positive number of seconds, got {period}")))?;
    let found = call
        .ev
        .ctx
        .search(query, statistic, period)
        .map_err(|message| EvalError::new(EvalErrorKind::Search(message), call.expr.span))?;
    call.ev.charge(found.len(), call.expr.span)?;
    Ok(Value::Array(found.iter().map(|s| s.clone().normalized(call.slots())).collect()))
}
