//! Functions that build or reshape arrays of time series: METRICS, REMOVE_EMPTY, FIRST, LAST, SORT and SLICE.

use std::cmp::Ordering;

use crate::ast::Func;
use crate::error::{EvalError, EvalErrorKind};
use crate::eval::Operand;
use crate::functions::aggregate::over_series;
use crate::functions::{Call, count_arg};
use crate::value::{Series, Value};

/// `METRICS()`: every MetricStat query of the request, in request order; `METRICS("str")`: those whose id
/// contains `str` (case-sensitive). Each series carries its query's id.
pub(crate) fn metrics(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    let filter = match args.as_slice() {
        [] => None,
        [Operand::Str(s)] => Some(s.as_str()),
        _ => return Err(call.type_error(&args)),
    };
    let ctx = call.ev.ctx;
    let mut members = Vec::new();
    for id in ctx.metric_ids() {
        if filter.is_some_and(|f| !id.contains(f)) {
            continue;
        }
        let value =
            ctx.query(&id).ok_or_else(|| EvalError::new(EvalErrorKind::UnknownId(id.clone()), call.expr.span))?;
        match call.ev.copy(value, call.expr.span)? {
            Value::Series(s) => members.push(Series { id: Some(id), ..s }),
            Value::Array(items) => members.extend(items.into_iter().map(|s| Series { id: Some(id.clone()), ..s })),
            Value::Scalar(v) => members.push(Series { id: Some(id.clone()), ..Series::constant(id, v, call.slots()) }),
        }
    }
    Ok(Value::Array(members))
}

/// Takes the array argument of the functions that take only an array (the operand stays an, emptied, array, so
/// later type errors still name its kind).
fn array_arg(call: &Call<'_, '_>, args: &mut [Operand]) -> Result<Vec<Series>, EvalError> {
    match args.first_mut() {
        Some(Operand::Value(Value::Array(items))) => Ok(std::mem::take(items)),
        _ => Err(call.type_error(args)),
    }
}

/// `REMOVE_EMPTY(TS[])`: the series that have at least one datapoint.
pub(crate) fn remove_empty(call: &Call<'_, '_>, mut args: Vec<Operand>) -> Result<Value, EvalError> {
    let items = array_arg(call, &mut args)?;
    Ok(Value::Array(items.into_iter().filter(Series::has_data).collect()))
}

/// `FIRST(TS[])` / `LAST(TS[])`. Of an empty array, a series with no datapoint.
pub(crate) fn first_last(call: &Call<'_, '_>, mut args: Vec<Operand>) -> Result<Value, EvalError> {
    let items = array_arg(call, &mut args)?;
    let picked = if call.func == Func::First { items.into_iter().next() } else { items.into_iter().next_back() };
    Ok(Value::Series(picked.unwrap_or_else(|| Series::empty(call.label(), call.slots()))))
}

/// `SORT(TS[], SUM | AVG | MIN | MAX, ASC | DESC[, limit])`: by the statistic of each series' datapoints; ties
/// keep their order; series without any datapoint (no statistic) go last in either order.
pub(crate) fn sort(call: &Call<'_, '_>, mut args: Vec<Operand>) -> Result<Value, EvalError> {
    let items = array_arg(call, &mut args)?;
    let statistic = match args.get(1) {
        Some(Operand::Word(w)) => match w.as_str() {
            "SUM" => Func::Sum,
            "AVG" => Func::Avg,
            "MIN" => Func::Min,
            "MAX" => Func::Max,
            _ => return Err(call.invalid(format!("'{w}' is not a sort function: use SUM, AVG, MIN or MAX"))),
        },
        _ => return Err(call.type_error(&args)),
    };
    let descending = match args.get(2) {
        Some(Operand::Word(w)) if w == "ASC" => false,
        Some(Operand::Word(w)) if w == "DESC" => true,
        Some(Operand::Word(w)) => return Err(call.invalid(format!("'{w}' is not a sort order: use ASC or DESC"))),
        _ => return Err(call.type_error(&args)),
    };
    let limit = match args.get(3) {
        None => None,
        Some(Operand::Value(Value::Scalar(v))) => Some(count_arg(call, *v, "the limit")?),
        Some(_) => return Err(call.type_error(&args)),
    };
    let mut keyed: Vec<(f64, Series)> = items.into_iter().map(|s| (over_series(statistic, &s), s)).collect();
    keyed.sort_by(|(a, _), (b, _)| match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) if descending => b.total_cmp(a),
        (false, false) => a.total_cmp(b),
    });
    let sorted = keyed.into_iter().map(|(_, s)| s);
    Ok(Value::Array(match limit {
        Some(n) => sorted.take(n).collect(),
        None => sorted.collect(),
    }))
}

/// `SLICE(TS[], start[, end])`: zero-based, start inclusive, end exclusive (default: the end); bounds past the
/// end of the array are clamped.
pub(crate) fn slice(call: &Call<'_, '_>, mut args: Vec<Operand>) -> Result<Value, EvalError> {
    let items = array_arg(call, &mut args)?;
    let start = match args.get(1) {
        Some(Operand::Value(Value::Scalar(v))) => count_arg(call, *v, "the start index")?,
        _ => return Err(call.type_error(&args)),
    };
    let end = match args.get(2) {
        None => items.len(),
        Some(Operand::Value(Value::Scalar(v))) => count_arg(call, *v, "the end index")?,
        Some(_) => return Err(call.type_error(&args)),
    };
    let end = end.min(items.len());
    Ok(Value::Array(items.into_iter().take(end).skip(start).collect()))
}
