//! Statistics over datapoints: SUM, AVG, MIN, MAX, STDDEV and DATAPOINT_COUNT give a scalar over one series and a
//! series over an array (slot by slot); METRIC_COUNT counts the series of an array.
//!
//! Over one series only the datapoints present count; with none, the result is NaN (no value), which drops every
//! datapoint it is later combined with (DATAPOINT_COUNT gives 0). Over an array, a slot where no series has a
//! datapoint stays missing. Otherwise AVG treats missing values as 0, as AWS documents for it ("The AVG of an array
//! of time series returns a single time series. Missing values are treated as 0."), so it divides by the number
//! of series; SUM is the same either way; MIN, MAX and STDDEV use the datapoints present (counting a missing value
//! as 0 would make the MIN of sparse series 0). STDDEV is the population standard deviation.

use crate::ast::Func;
use crate::error::EvalError;
use crate::eval::Operand;
use crate::functions::Call;
use crate::value::{Series, Value, finite};

pub(crate) fn aggregate(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    match args.as_slice() {
        [Operand::Value(Value::Series(s))] => Ok(Value::Scalar(over_series(call.func, s))),
        [Operand::Value(Value::Array(items))] => {
            let values = over_array(call.func, items, call.slots());
            Ok(Value::Series(Series::new(call.label(), None, values)))
        }
        _ => Err(call.type_error(&args)),
    }
}

pub(crate) fn metric_count(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    match args.as_slice() {
        [Operand::Value(Value::Array(items))] => Ok(Value::Scalar(items.len() as f64)),
        _ => Err(call.type_error(&args)),
    }
}

/// The statistic of the datapoints of one series.
pub(crate) fn over_series(func: Func, series: &Series) -> f64 {
    let values: Vec<f64> = series.present().collect();
    if func == Func::DatapointCount {
        return values.len() as f64;
    }
    if values.is_empty() {
        return f64::NAN;
    }
    let n = values.len() as f64;
    let sum: f64 = values.iter().sum();
    match func {
        Func::Sum => sum,
        Func::Avg => sum / n,
        Func::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
        Func::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        _ => population_stddev(&values, sum / n),
    }
}

fn population_stddev(values: &[f64], mean: f64) -> f64 {
    let n = values.len() as f64;
    (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt()
}

/// The statistic slot by slot across an array. Walks series by series (not slot by slot) to stay cache-friendly.
fn over_array(func: Func, items: &[Series], slots: usize) -> Vec<Option<f64>> {
    let mut count = vec![0u32; slots];
    let mut acc = vec![
        match func {
            Func::Min => f64::INFINITY,
            Func::Max => f64::NEG_INFINITY,
            _ => 0.0,
        };
        slots
    ];
    for series in items {
        for ((c, a), v) in count.iter_mut().zip(acc.iter_mut()).zip(&series.values) {
            if let Some(v) = v {
                *c += 1;
                *a = match func {
                    Func::Min => a.min(*v),
                    Func::Max => a.max(*v),
                    _ => *a + v,
                };
            }
        }
    }
    let members = items.len() as f64;
    let mut out: Vec<Option<f64>> = count
        .iter()
        .zip(&acc)
        .map(|(&c, &a)| {
            if c == 0 {
                return None;
            }
            finite(match func {
                Func::Avg => a / members,
                Func::DatapointCount => f64::from(c),
                _ => a,
            })
        })
        .collect();
    if func == Func::Stddev {
        // `acc` holds sums: a second pass for the squared deviations from each slot's mean.
        let mut squares = vec![0.0; slots];
        for series in items {
            for (((sq, &c), &a), v) in squares.iter_mut().zip(&count).zip(&acc).zip(&series.values) {
                if let Some(v) = v {
                    let mean = a / f64::from(c);
                    *sq += (v - mean) * (v - mean);
                }
            }
        }
        out = count
            .iter()
            .zip(&squares)
            .map(|(&c, &sq)| if c == 0 { None } else { finite((sq / f64::from(c)).sqrt()) })
            .collect();
    }
    out
}
