//! Evaluating a [`Statistic`] over a [`Summary`]: the basic ones from its exact fields, the extended ones from its
//! sketch's buckets, clamped into `[Minimum, Maximum]`, with the definitions in the parent module's docs.

use super::{Bounds, Statistic};
use crate::sketch::Sketch;
use crate::summary::Summary;

pub(super) fn evaluate(statistic: &Statistic, summary: &Summary) -> Option<f64> {
    if summary.is_empty() {
        return None;
    }
    let view = match statistic {
        Statistic::SampleCount => return Some(summary.sample_count),
        Statistic::Sum => return Some(summary.sum),
        Statistic::Average => return summary.average(),
        Statistic::Minimum => return Some(summary.minimum),
        Statistic::Maximum => return Some(summary.maximum),
        _ => View::new(summary)?,
    };
    match *statistic {
        Statistic::Percentile(p) => view.percentile(p),
        Statistic::InterquartileMean => view.ranks(Some(25.0), Some(75.0)).mean(),
        Statistic::TrimmedMean(Bounds::Percent { lower, upper }) => view.ranks(lower, upper).mean(),
        Statistic::TrimmedMean(Bounds::Absolute { lower, upper }) => view.values(lower, upper).mean(),
        Statistic::TrimmedCount(Bounds::Percent { lower, upper }) => Some(view.ranks(lower, upper).count),
        Statistic::TrimmedCount(Bounds::Absolute { lower, upper }) => Some(view.values(lower, upper).count),
        Statistic::TrimmedSum(Bounds::Percent { lower, upper }) => Some(view.ranks(lower, upper).sum),
        Statistic::TrimmedSum(Bounds::Absolute { lower, upper }) => Some(view.values(lower, upper).sum),
        Statistic::WinsorizedMean(Bounds::Percent { lower, upper }) => view.ranks(lower, upper).winsorized(view.n),
        Statistic::WinsorizedMean(Bounds::Absolute { lower, upper }) => Some(view.clamped_mean(lower, upper)),
        Statistic::PercentileRank { lower, upper } => Some(100.0 * view.values(lower, upper).count / view.n),
        Statistic::SampleCount | Statistic::Sum | Statistic::Average | Statistic::Minimum | Statistic::Maximum => None,
    }
}

/// A non-empty sketch with the summary's extremes.
struct View<'a> {
    sketch: &'a Sketch,
    minimum: f64,
    maximum: f64,
    n: f64,
}

/// What is kept between two bounds: total count, sum, and for rank bounds the values at either end.
#[derive(Default)]
struct Kept {
    count: f64,
    sum: f64,
    first: Option<f64>,
    last: Option<f64>,
    before: f64,
    after: f64,
}

impl Kept {
    fn mean(&self) -> Option<f64> {
        (self.count > 0.0).then(|| self.sum / self.count)
    }

    /// Everything below the kept stretch counted at its first value, everything above at its last.
    fn winsorized(&self, n: f64) -> Option<f64> {
        if self.count <= 0.0 {
            return None;
        }
        let (first, last) = (self.first?, self.last?);
        Some((self.sum + self.before * first + self.after * last) / n)
    }
}

impl<'a> View<'a> {
    fn new(summary: &'a Summary) -> Option<Self> {
        let sketch = summary.sketch()?;
        let n = sketch.count();
        (n > 0.0).then_some(View { sketch, minimum: summary.minimum, maximum: summary.maximum, n })
    }

    /// Buckets with their values clamped into `[minimum, maximum]` (without panicking if those are inverted).
    fn buckets(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.sketch.buckets().map(|(value, count)| (value.max(self.minimum).min(self.maximum), count))
    }

    fn percentile(&self, p: f64) -> Option<f64> {
        if !(0.0..=100.0).contains(&p) {
            return None;
        }
        if p == 0.0 {
            return Some(self.minimum);
        }
        if p == 100.0 {
            return Some(self.maximum);
        }
        let value = self.sketch.quantile(p / 100.0)?;
        Some(value.max(self.minimum).min(self.maximum))
    }

    /// The rank stretch `[lower% * n, upper% * n]`, boundary buckets counted with the fraction inside.
    fn ranks(&self, lower: Option<f64>, upper: Option<f64>) -> Kept {
        let position = |percent: f64| (percent / 100.0 * self.n).max(0.0).min(self.n);
        let low = position(lower.unwrap_or(0.0));
        let high = position(upper.unwrap_or(100.0));
        let mut kept = Kept::default();
        if high <= low {
            return kept;
        }
        let mut cumulative = 0.0;
        let mut last_value = None;
        self.buckets().for_each(|(value, count)| {
            let start = cumulative;
            cumulative += count;
            let inside = cumulative.min(high) - start.max(low);
            if inside > 0.0 {
                kept.sum += inside * value;
                kept.first.get_or_insert(value);
                kept.last = Some(value);
            }
            last_value = Some(value);
        });
        kept.count = high - low;
        kept.before = low;
        kept.after = self.n - high;
        // Rounding can leave a sliver at either end with no bucket inside; those ends are the edge buckets.
        if kept.first.is_none() {
            kept.first = last_value;
            kept.last = last_value;
        }
        kept
    }

    /// The values in `(lower, upper]`, an omitted bound being unbounded.
    fn values(&self, lower: Option<f64>, upper: Option<f64>) -> Kept {
        let mut kept = Kept::default();
        self.buckets().for_each(|(value, count)| {
            if lower.is_none_or(|l| value > l) && upper.is_none_or(|u| value <= u) {
                kept.count += count;
                kept.sum += count * value;
            }
        });
        kept
    }

    /// The mean after clamping every value into `[lower, upper]`.
    fn clamped_mean(&self, lower: Option<f64>, upper: Option<f64>) -> f64 {
        let sum = self.buckets().fold(0.0, |sum, (value, count)| {
            let value = lower.map_or(value, |l| value.max(l));
            sum + count * upper.map_or(value, |u| value.min(u))
        });
        sum / self.n
    }
}
