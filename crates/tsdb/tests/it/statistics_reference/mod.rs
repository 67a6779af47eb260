//! Shared by the statistics tests: a straightforward reference implementation of every statistic over raw values,
//! the accuracy bounds stated in `skywatch_tsdb::statistic`'s docs, and data generators.

#![allow(dead_code)]

use proptest::prelude::*;
use skywatch_tsdb::sketch::{RELATIVE_ACCURACY, ZERO_THRESHOLD};
use skywatch_tsdb::statistic::{Bounds, Statistic};
use skywatch_tsdb::summary::Summary;

/// The values sorted ascending, each with count 1.
pub struct Reference {
    pub x: Vec<f64>,
}

/// What a statistic keeps from the raw values, with the magnitudes the error bounds need.
#[derive(Debug, Default)]
struct Kept {
    count: f64,
    sum: f64,
    magnitude: f64,
    first: Option<f64>,
    last: Option<f64>,
}

impl Kept {
    fn mean(&self) -> Option<f64> {
        (self.count > 0.0).then(|| self.sum / self.count)
    }
}

impl Reference {
    pub fn new(values: &[f64]) -> Self {
        let mut x: Vec<f64> = values.iter().map(|v| v + 0.0).collect();
        x.sort_by(f64::total_cmp);
        Reference { x }
    }

    fn n(&self) -> f64 {
        self.x.len() as f64
    }

    pub fn evaluate(&self, statistic: &Statistic) -> Option<f64> {
        let x = &self.x;
        let n = self.n();
        if x.is_empty() {
            return None;
        }
        Some(match *statistic {
            Statistic::SampleCount => n,
            Statistic::Sum => x.iter().sum(),
            Statistic::Average => x.iter().sum::<f64>() / n,
            Statistic::Minimum => x[0],
            Statistic::Maximum => x[x.len() - 1],
            Statistic::Percentile(p) => x[((p / 100.0) * (n - 1.0)).floor() as usize],
            Statistic::InterquartileMean => return self.ranks(Some(25.0), Some(75.0)).mean(),
            Statistic::TrimmedMean(Bounds::Percent { lower, upper }) => return self.ranks(lower, upper).mean(),
            Statistic::TrimmedMean(Bounds::Absolute { lower, upper }) => return self.values(lower, upper).mean(),
            Statistic::TrimmedCount(Bounds::Percent { lower, upper }) => self.ranks(lower, upper).count,
            Statistic::TrimmedCount(Bounds::Absolute { lower, upper }) => self.values(lower, upper).count,
            Statistic::TrimmedSum(Bounds::Percent { lower, upper }) => self.ranks(lower, upper).sum,
            Statistic::TrimmedSum(Bounds::Absolute { lower, upper }) => self.values(lower, upper).sum,
            Statistic::WinsorizedMean(Bounds::Percent { lower, upper }) => {
                return self.winsorized(lower, upper).map(|w| w.iter().sum::<f64>() / n);
            }
            Statistic::WinsorizedMean(Bounds::Absolute { lower, upper }) => {
                x.iter().map(|&v| clamp(v, lower, upper)).sum::<f64>() / n
            }
            Statistic::PercentileRank { lower, upper } => 100.0 * self.values(lower, upper).count / n,
        })
    }

    /// The rank stretch `[lower% * n, upper% * n]`; element `i` covers ranks `[i, i + 1)`.
    fn ranks(&self, lower: Option<f64>, upper: Option<f64>) -> Kept {
        let n = self.n();
        let low = (lower.unwrap_or(0.0) / 100.0 * n).clamp(0.0, n);
        let high = (upper.unwrap_or(100.0) / 100.0 * n).clamp(0.0, n);
        let mut kept = Kept::default();
        if high <= low {
            return kept;
        }
        for (i, &v) in self.x.iter().enumerate() {
            let i = i as f64;
            let overlap = (i + 1.0).min(high) - i.max(low);
            if overlap > 0.0 {
                kept.sum += overlap * v;
                kept.magnitude += overlap * v.abs();
                kept.first.get_or_insert(v);
                kept.last = Some(v);
            }
        }
        kept.count = high - low;
        kept
    }

    /// Every value, those below the rank stretch raised to its first value and those above lowered to its last.
    fn winsorized(&self, lower: Option<f64>, upper: Option<f64>) -> Option<Vec<f64>> {
        let kept = self.ranks(lower, upper);
        let (first, last) = (kept.first?, kept.last?);
        let n = self.n();
        let low = (lower.unwrap_or(0.0) / 100.0 * n).clamp(0.0, n);
        let high = (upper.unwrap_or(100.0) / 100.0 * n).clamp(0.0, n);
        // With fractional stretch ends, ranks below `low` weigh `first` and above `high` weigh `last`: expand
        // into per-element contributions (element i spread over [i, i + 1)).
        Some(
            self.x
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let i = i as f64;
                    let below = (i + 1.0).min(low) - i;
                    let above = (i + 1.0) - i.max(high);
                    let inside = 1.0 - below.max(0.0) - above.max(0.0);
                    below.max(0.0) * first + above.max(0.0) * last + inside.max(0.0) * v
                })
                .collect(),
        )
    }

    fn values(&self, lower: Option<f64>, upper: Option<f64>) -> Kept {
        let mut kept = Kept::default();
        for &v in self.x.iter().filter(|&&v| inside(v, lower, upper)) {
            kept.count += 1.0;
            kept.sum += v;
            kept.magnitude += v.abs();
        }
        kept
    }

    /// How far `estimate` may be from the exact value of `statistic` per the stated bounds, or an interval it must
    /// lie in, with `exact` telling whether the sketch holds the values exactly (the bounds' `a = z = 0`).
    pub fn allowance(&self, statistic: &Statistic, exact: bool) -> Allowance {
        let (a, z) = if exact { (0.0, 0.0) } else { (RELATIVE_ACCURACY, ZERO_THRESHOLD) };
        let n = self.n();
        let total_magnitude: f64 = self.x.iter().map(|v| v.abs()).sum();
        // Float rounding of sums over up to a few thousand values.
        let rounding = 1e-11 * (total_magnitude + 1.0);
        let mean_rounding = |count: f64| rounding / count.max(1e-3);
        match *statistic {
            Statistic::SampleCount | Statistic::Minimum | Statistic::Maximum => Allowance::Within(0.0),
            Statistic::Sum => Allowance::Within(rounding),
            Statistic::Average => Allowance::Within(mean_rounding(n)),
            Statistic::Percentile(p) => {
                let x = self.evaluate(statistic).unwrap_or(0.0);
                if p == 0.0 || p == 100.0 {
                    Allowance::Within(0.0)
                } else {
                    Allowance::Within(a * x.abs() * 1.000001 + z)
                }
            }
            Statistic::InterquartileMean => self.allowance(&Statistic::TrimmedMean(iqm()), exact),
            Statistic::TrimmedCount(Bounds::Percent { .. }) => Allowance::Within(1e-9 * n),
            Statistic::TrimmedSum(Bounds::Percent { lower, upper }) => {
                let kept = self.ranks(lower, upper);
                Allowance::Within(a * kept.magnitude * 1.000001 + z * kept.count + rounding)
            }
            Statistic::TrimmedMean(Bounds::Percent { lower, upper }) => {
                let kept = self.ranks(lower, upper);
                Allowance::Within((a * kept.magnitude * 1.000001 + rounding) / kept.count.max(1e-3) + z)
            }
            Statistic::WinsorizedMean(Bounds::Percent { lower, upper }) => {
                let w = self.winsorized(lower, upper).unwrap_or_default();
                let mean_magnitude = w.iter().map(|v| v.abs()).sum::<f64>() / n;
                // The mean of clamped values rounds relative to their own size, which may dwarf the raw data's
                // (issue 10's run found 487 zeros clamped up to 1.05e7, one ulp off).
                Allowance::Within(a * mean_magnitude * 1.000001 + z + mean_rounding(n) + 1e-12 * mean_magnitude)
            }
            Statistic::WinsorizedMean(Bounds::Absolute { lower, upper }) => {
                let mean_magnitude = self.x.iter().map(|&v| clamp(v, lower, upper).abs()).sum::<f64>() / n;
                // The mean of clamped values rounds relative to their own size, which may dwarf the raw data's
                // (issue 10's run found 487 zeros clamped up to 1.05e7, one ulp off).
                Allowance::Within(a * mean_magnitude * 1.000001 + z + mean_rounding(n) + 1e-12 * mean_magnitude)
            }
            Statistic::TrimmedCount(Bounds::Absolute { lower, upper }) => {
                Allowance::Within(self.band(lower, upper, a, z).0 + 1e-9 * n)
            }
            Statistic::PercentileRank { lower, upper } => {
                Allowance::Within(100.0 * self.band(lower, upper, a, z).0 / n + 1e-9)
            }
            Statistic::TrimmedSum(Bounds::Absolute { lower, upper }) => {
                let kept = self.values(lower, upper);
                let (count, magnitude) = self.band(lower, upper, a, z);
                let bound = a * kept.magnitude + (1.0 + a) * magnitude + z * (kept.count + count);
                Allowance::Within(bound * 1.000001 + rounding)
            }
            Statistic::TrimmedMean(Bounds::Absolute { lower, upper }) => {
                let kept = self.values(lower, upper);
                let (count, _) = self.band(lower, upper, a, z);
                if count == 0.0 {
                    return Allowance::Within((a * kept.magnitude * 1.000001 + rounding) / kept.count.max(1.0) + z);
                }
                // Some values may be on the wrong side of a bound: the estimate averages listed values of kept or
                // band values, and may exist when the exact value does not, or the other way round.
                let slack = |v: f64| a * v.abs() * 1.000001 + z;
                let candidates =
                    self.x.iter().filter(|&&v| inside(v, lower, upper) || near(v, lower, a, z) || near(v, upper, a, z));
                let low = candidates.clone().map(|&v| v - slack(v)).fold(f64::INFINITY, f64::min);
                let high = candidates.map(|&v| v + slack(v)).fold(f64::NEG_INFINITY, f64::max);
                Allowance::Between(low - mean_rounding(1.0), high + mean_rounding(1.0))
            }
        }
    }

    /// Count and total magnitude of the values within `a * |x| + z` of either bound.
    fn band(&self, lower: Option<f64>, upper: Option<f64>, a: f64, z: f64) -> (f64, f64) {
        let mut count = 0.0;
        let mut magnitude = 0.0;
        for &v in self.x.iter().filter(|&&v| near(v, lower, a, z) || near(v, upper, a, z)) {
            count += 1.0;
            magnitude += v.abs();
        }
        (count, magnitude)
    }
}

/// What the estimate may be.
#[derive(Debug, Clone, Copy)]
pub enum Allowance {
    /// Within this distance of the exact value (and `None` exactly when it is).
    Within(f64),
    /// Anywhere in this interval, or `None`, whatever the exact value.
    Between(f64, f64),
}

/// Checks `statistic` evaluated on `summary` against the reference over the same values.
pub fn check(statistic: &Statistic, summary: &Summary, reference: &Reference) -> Result<(), String> {
    let exact_sketch = summary.sketch().is_some_and(|s| s.is_exact());
    let estimate = statistic.evaluate(summary);
    let exact = reference.evaluate(statistic);
    match (reference.allowance(statistic, exact_sketch), estimate, exact) {
        (Allowance::Within(_), None, None) => Ok(()),
        (Allowance::Within(tolerance), Some(e), Some(x)) if (e - x).abs() <= tolerance => Ok(()),
        (Allowance::Between(..), None, _) => Ok(()),
        (Allowance::Between(low, high), Some(e), _) if (low..=high).contains(&e) => Ok(()),
        (allowance, estimate, exact) => Err(format!(
            "{statistic}: estimate {estimate:?}, exact {exact:?}, allowed {allowance:?} (exact sketch: {exact_sketch}, \
             n = {})",
            reference.x.len()
        )),
    }
}

pub fn iqm() -> Bounds {
    Bounds::Percent { lower: Some(25.0), upper: Some(75.0) }
}

fn inside(v: f64, lower: Option<f64>, upper: Option<f64>) -> bool {
    lower.is_none_or(|l| v > l) && upper.is_none_or(|u| v <= u)
}

fn near(v: f64, bound: Option<f64>, a: f64, z: f64) -> bool {
    bound.is_some_and(|b| (v - b).abs() <= a * v.abs() * 1.000001 + z)
}

fn clamp(v: f64, lower: Option<f64>, upper: Option<f64>) -> f64 {
    let v = lower.map_or(v, |l| v.max(l));
    upper.map_or(v, |u| v.min(u))
}

/// A summary built the way the engine sees single `Value`s: one summary per value, merged in order.
pub fn one_at_a_time(values: &[f64]) -> Summary {
    let mut summary = Summary::empty();
    for &v in values {
        summary.merge(&Summary::from_value(v));
    }
    summary
}

/// One value: zeros, small integers, signed magnitudes from 1e-12 to 1e12 (some below the zero threshold), and
/// decimals.
pub fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(0.0),
        1 => Just(-0.0),
        3 => (-20i32..=20).prop_map(f64::from),
        3 => (any::<bool>(), -12.0..12.0f64)
            .prop_map(|(negative, e)| if negative { -1.0 } else { 1.0 } * 10f64.powf(e)),
        2 => -1e3..1e3f64,
        1 => 0.0..1e9f64,
        // Exact decimals, as metrics mostly are (the compact encodings of issue 15).
        2 => (-1_000_000i64..1_000_000, 0..=6i32).prop_map(|(k, scale)| k as f64 / 10f64.powi(scale)),
    ]
}

/// 1..2000 values: all distinct-ish, or drawn with repeats from a small pool; small sets often, to cover the
/// exact form.
pub fn dataset() -> impl Strategy<Value = Vec<f64>> {
    let free = prop::collection::vec(value(), 1..2000);
    let small = prop::collection::vec(value(), 1..=40);
    let pooled = (prop::collection::vec(value(), 1..60), prop::collection::vec(any::<prop::sample::Index>(), 1..2000))
        .prop_map(|(pool, picks)| picks.iter().map(|i| *i.get(&pool)).collect());
    prop_oneof![2 => free, 1 => small, 2 => pooled]
}

/// A percentage with up to two decimals.
pub fn percent() -> impl Strategy<Value = f64> {
    prop_oneof![(0u32..=100).prop_map(f64::from), (0u32..=10_000).prop_map(|h| f64::from(h) / 100.0)]
}
