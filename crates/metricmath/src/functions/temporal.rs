//! Functions that look along time: RATE, DIFF, DIFF_TIME, RUNNING_SUM, PERIOD and FILL.
//!
//! "Preceding value" means the preceding datapoint: missing slots are skipped, and times are taken from the grid,
//! so across a gap DIFF_TIME gives the whole gap and RATE the slope over it. A series' first datapoint has no
//! preceding one, so RATE, DIFF and DIFF_TIME have nothing there. RUNNING_SUM keeps the sum going across gaps but
//! gives nothing in them (there is no datapoint there).

use crate::ast::Func;
use crate::error::EvalError;
use crate::eval::Operand;
use crate::functions::Call;
use crate::value::{Series, Value, finite};

/// RATE, DIFF, DIFF_TIME or RUNNING_SUM of a series, or of each series of an array (labels kept).
pub(crate) fn transform(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    let grid = call.grid();
    let func = call.func;
    let apply = |s: Series| Series { values: along(func, &s.values, grid), ..s };
    match <[Operand; 1]>::try_from(args) {
        Ok([Operand::Value(Value::Series(s))]) => Ok(Value::Series(apply(s))),
        Ok([Operand::Value(Value::Array(items))]) => Ok(Value::Array(items.into_iter().map(apply).collect())),
        Ok(args) => Err(call.type_error(&args)),
        Err(args) => Err(call.type_error(&args)),
    }
}

fn along(func: Func, values: &[Option<f64>], grid: &[i64]) -> Vec<Option<f64>> {
    let mut out = Vec::with_capacity(values.len());
    let mut previous: Option<(i64, f64)> = None;
    let mut running = 0.0;
    for (value, &t) in values.iter().zip(grid) {
        let Some(v) = *value else {
            out.push(None);
            continue;
        };
        let result = match func {
            Func::RunningSum => {
                running += v;
                finite(running)
            }
            _ => previous.and_then(|(pt, pv)| {
                let seconds = (t as f64 - pt as f64) / 1000.0;
                finite(match func {
                    Func::Diff => v - pv,
                    Func::DiffTime => seconds,
                    _ => (v - pv) / seconds,
                })
            }),
        };
        out.push(result);
        previous = Some((t, v));
    }
    // A grid shorter than the series (not a shape the caller should send) leaves the rest empty.
    out.resize(values.len(), None);
    out
}

/// `PERIOD(m)`: the request's period in seconds.
pub(crate) fn period(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    match args.as_slice() {
        [Operand::Value(Value::Series(_))] => Ok(Value::Scalar(f64::from(call.ev.ctx.period_seconds()))),
        _ => Err(call.type_error(&args)),
    }
}

enum Filler {
    Constant(f64),
    Series(Vec<Option<f64>>),
    Repeat,
    Linear,
}

/// `FILL(TS | TS[], S | TS | REPEAT | LINEAR)`: a constant, the same slot of another series, the last datapoint
/// before the gap (REPEAT), or the straight line between the datapoints on either side of the gap (LINEAR, by
/// time). REPEAT leaves a leading gap empty, LINEAR leading and trailing gaps: there is nothing to repeat or
/// interpolate from.
pub(crate) fn fill(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    let filler = match args.as_slice() {
        [Operand::Value(Value::Series(_) | Value::Array(_)), second] => match second {
            Operand::Value(Value::Scalar(v)) => Filler::Constant(*v),
            Operand::Value(Value::Series(s)) => Filler::Series(s.values.clone()),
            Operand::Word(w) if w == "REPEAT" => Filler::Repeat,
            Operand::Word(w) if w == "LINEAR" => Filler::Linear,
            Operand::Word(w) => {
                let message = format!("'{w}' is not a fill method: use a number, a time series, REPEAT or LINEAR");
                return Err(call.invalid(message));
            }
            _ => return Err(call.type_error(&args)),
        },
        _ => return Err(call.type_error(&args)),
    };
    let grid = call.grid();
    let apply = |s: Series| Series { values: filled(&s.values, &filler, grid), ..s };
    match args.into_iter().next() {
        Some(Operand::Value(Value::Series(s))) => Ok(Value::Series(apply(s))),
        Some(Operand::Value(Value::Array(items))) => Ok(Value::Array(items.into_iter().map(apply).collect())),
        _ => Err(call.invalid("the first argument must be a time series or an array of time series")),
    }
}

fn filled(values: &[Option<f64>], filler: &Filler, grid: &[i64]) -> Vec<Option<f64>> {
    match filler {
        Filler::Constant(c) => values.iter().map(|v| v.or(finite(*c))).collect(),
        Filler::Series(other) => {
            values.iter().enumerate().map(|(i, v)| v.or_else(|| other.get(i).copied().flatten())).collect()
        }
        Filler::Repeat => {
            let mut last = None;
            values
                .iter()
                .map(|v| {
                    if v.is_some() {
                        last = *v;
                    }
                    last
                })
                .collect()
        }
        Filler::Linear => linear(values, grid),
    }
}

fn linear(values: &[Option<f64>], grid: &[i64]) -> Vec<Option<f64>> {
    let mut out = values.to_vec();
    let mut before: Option<(usize, f64)> = None;
    for (i, value) in values.iter().enumerate() {
        let Some(v) = *value else { continue };
        if let Some((b, bv)) = before
            && i > b + 1
            && let (Some(&tb), Some(&ti)) = (grid.get(b), grid.get(i))
        {
            let span = ti as f64 - tb as f64;
            for (j, slot) in out.iter_mut().enumerate().take(i).skip(b + 1) {
                if let Some(&tj) = grid.get(j) {
                    *slot = finite(bv + (v - bv) * ((tj as f64 - tb as f64) / span));
                }
            }
        }
        before = Some((i, v));
    }
    out
}
