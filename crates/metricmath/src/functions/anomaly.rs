//! `ANOMALY_DETECTION_BAND(m[, stddevs])`: the band of expected values, as an array of two series, the upper edge
//! first and the lower edge last (AWS: "LAST(ANOMALY_DETECTION_BAND(m1)) returns the lower bound").
//!
//! AWS trains a machine-learning model on up to two weeks of the metric's history. This is a plain, documented
//! statistical stand-in that uses only the series' own datapoints on the grid, never the slot being judged:
//! - seasonal: the datapoints at the same time of day on each of the previous 14 days (`t - k * 24h`, k = 1..=14)
//!   that fall on the grid; used when there are at least 3 of them;
//! - otherwise trailing: the datapoints of the preceding 24 hours (`[t - 24h, t)`); used when there are at least 3;
//! - otherwise the slot has no band (not enough history yet).
//!
//! The band is `mean ± stddevs × σ` of the chosen datapoints (σ the population standard deviation; a flat history
//! gives a band of zero width). `stddevs` defaults to 2, as in AWS, and must be a non-negative number. The band is
//! given for every slot that has enough history, whether or not the series has a datapoint in that slot.

use crate::error::EvalError;
use crate::eval::Operand;
use crate::functions::Call;
use crate::value::{Series, Value, finite};

const DAY_MS: i64 = 86_400_000;
/// Days of same-time-of-day history looked at.
const SEASONAL_DAYS: i64 = 14;
/// Fewest datapoints a band is computed from.
const MIN_SAMPLES: usize = 3;
const DEFAULT_STDDEVS: f64 = 2.0;

pub(crate) fn band(call: &Call<'_, '_>, args: Vec<Operand>) -> Result<Value, EvalError> {
    let (series, stddevs) = match args.as_slice() {
        [Operand::Value(Value::Series(s))] => (s, DEFAULT_STDDEVS),
        [Operand::Value(Value::Series(s)), Operand::Value(Value::Scalar(k))] => (s, *k),
        _ => return Err(call.type_error(&args)),
    };
    if !stddevs.is_finite() || stddevs < 0.0 {
        return Err(call.invalid(format!("the number of standard deviations must be non-negative, got {stddevs}")));
    }
    let (upper, lower) = model(&series.values, call.grid(), stddevs);
    Ok(Value::Array(vec![
        Series::new(format!("{} (upper)", series.label), series.id.clone(), upper),
        Series::new(format!("{} (lower)", series.label), series.id.clone(), lower),
    ]))
}

/// Running count, sum and sum of squares, of values shifted by a fixed amount (against cancellation).
#[derive(Default)]
struct Moments {
    n: usize,
    sum: f64,
    squares: f64,
}

impl Moments {
    fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.squares += x * x;
    }

    fn remove(&mut self, x: f64) {
        self.n = self.n.saturating_sub(1);
        self.sum -= x;
        self.squares -= x * x;
    }

    /// Mean and population standard deviation (of the shifted values).
    fn mean_sd(&self) -> (f64, f64) {
        let n = self.n as f64;
        let mean = self.sum / n;
        let variance = (self.squares / n - mean * mean).max(0.0);
        (mean, variance.sqrt())
    }
}

/// Upper and lower band edges for every slot.
fn model(values: &[Option<f64>], grid: &[i64], stddevs: f64) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let slots = values.len().min(grid.len());
    let shift = values.iter().flatten().next().copied().unwrap_or(0.0);
    let mut upper = vec![None; values.len()];
    let mut lower = vec![None; values.len()];
    let mut trailing = Moments::default();
    let mut oldest = 0;
    for i in 0..slots {
        let (Some(&t), Some(value)) = (grid.get(i), values.get(i)) else { break };
        let from = t.saturating_sub(DAY_MS);
        while oldest < i && grid.get(oldest).is_some_and(|&to| to < from) {
            if let Some(Some(v)) = values.get(oldest) {
                trailing.remove(v - shift);
            }
            oldest += 1;
        }
        let mut seasonal = Moments::default();
        for k in 1..=SEASONAL_DAYS {
            let target = t.saturating_sub(k.saturating_mul(DAY_MS));
            if let Some(j) = grid.get(..i).and_then(|g| g.binary_search(&target).ok())
                && let Some(Some(v)) = values.get(j)
            {
                seasonal.add(v - shift);
            }
        }
        let chosen = if seasonal.n >= MIN_SAMPLES {
            Some(seasonal)
        } else if trailing.n >= MIN_SAMPLES {
            Some(Moments { n: trailing.n, sum: trailing.sum, squares: trailing.squares })
        } else {
            None
        };
        if let Some(moments) = chosen {
            let (mean, sd) = moments.mean_sd();
            let (Some(u), Some(l)) = (upper.get_mut(i), lower.get_mut(i)) else { break };
            *u = finite(shift + mean + stddevs * sd);
            *l = finite(shift + mean - stddevs * sd);
        }
        if let Some(v) = value {
            trailing.add(v - shift);
        }
    }
    (upper, lower)
}
