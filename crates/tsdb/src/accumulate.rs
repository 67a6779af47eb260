//! Folding points into one period's summary: exact SampleCount, Sum, Minimum and Maximum, and the distribution
//! sketch only when a percentile-family statistic needs it ([`Accumulator`]); or only the four exact numbers, a
//! quarter of the memory, when no sketch can be asked for ([`Basic`]).

use crate::sketch::Sketch;
use crate::statistic::Statistic;
use crate::summary::{Distribution, Summary};

/// A period bucket that points and summaries are folded into.
pub trait Bucket {
    fn add_value(&mut self, value: f64);
    fn add_summary(&mut self, summary: &Summary);
    /// The bucket's summary, or `None` when no point fell in it.
    fn finish(self) -> Option<Summary>;
}

/// One period bucket being filled.
#[derive(Debug, Clone)]
pub struct Accumulator {
    count: f64,
    sum: f64,
    minimum: f64,
    maximum: f64,
    sketch: Option<Sketch>,
    distribution_unavailable: bool,
}

impl Accumulator {
    #[inline]
    pub fn new(with_distribution: bool) -> Self {
        Self {
            count: 0.0,
            sum: 0.0,
            minimum: f64::INFINITY,
            maximum: f64::NEG_INFINITY,
            sketch: with_distribution.then(Sketch::new),
            distribution_unavailable: false,
        }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.count == 0.0
    }
}

impl Bucket for Accumulator {
    #[inline]
    fn add_value(&mut self, value: f64) {
        self.count += 1.0;
        self.sum += value;
        self.minimum = self.minimum.min(value);
        self.maximum = self.maximum.max(value);
        if let Some(sketch) = &mut self.sketch {
            sketch.add(value, 1.0);
        }
    }

    fn add_summary(&mut self, summary: &Summary) {
        if summary.sample_count <= 0.0 {
            return;
        }
        self.count += summary.sample_count;
        self.sum += summary.sum;
        self.minimum = self.minimum.min(summary.minimum);
        self.maximum = self.maximum.max(summary.maximum);
        if let Some(sketch) = &mut self.sketch {
            match &summary.distribution {
                Distribution::Sketch(other) => sketch.merge(other),
                Distribution::Unavailable => self.distribution_unavailable = true,
            }
        }
    }

    #[inline]
    fn finish(self) -> Option<Summary> {
        if self.is_empty() {
            return None;
        }
        let distribution = match self.sketch {
            Some(_) if self.distribution_unavailable => Distribution::Unavailable,
            Some(sketch) => Distribution::Sketch(sketch),
            None => Distribution::Unavailable,
        };
        Some(Summary {
            sample_count: self.count,
            sum: self.sum,
            minimum: self.minimum,
            maximum: self.maximum,
            distribution,
        })
    }
}

/// A bucket of the four exact statistics only: what SampleCount, Sum, Average, Minimum and Maximum read.
#[derive(Debug, Clone, Copy)]
pub struct Basic {
    count: f64,
    sum: f64,
    minimum: f64,
    maximum: f64,
}

impl Default for Basic {
    fn default() -> Self {
        Self { count: 0.0, sum: 0.0, minimum: f64::INFINITY, maximum: f64::NEG_INFINITY }
    }
}

impl Basic {
    /// How to read an exact statistic from a non-empty bucket, chosen once a query (`None` for the others).
    pub fn reader(statistic: &Statistic) -> Option<fn(&Basic) -> f64> {
        Some(match statistic {
            Statistic::SampleCount => |b: &Basic| b.count,
            Statistic::Sum => |b: &Basic| b.sum,
            Statistic::Average => |b: &Basic| b.sum / b.count,
            Statistic::Minimum => |b: &Basic| b.minimum,
            Statistic::Maximum => |b: &Basic| b.maximum,
            _ => return None,
        })
    }

    /// The value `read` gives, or `None` when no point fell in the bucket (as [`Statistic::evaluate`] answers).
    #[inline]
    pub fn value(&self, read: fn(&Basic) -> f64) -> Option<f64> {
        (self.count != 0.0).then(|| read(self))
    }
}

impl Bucket for Basic {
    #[inline]
    fn add_value(&mut self, value: f64) {
        self.count += 1.0;
        self.sum += value;
        self.minimum = self.minimum.min(value);
        self.maximum = self.maximum.max(value);
    }

    #[inline]
    fn add_summary(&mut self, summary: &Summary) {
        if summary.sample_count <= 0.0 {
            return;
        }
        self.count += summary.sample_count;
        self.sum += summary.sum;
        self.minimum = self.minimum.min(summary.minimum);
        self.maximum = self.maximum.max(summary.maximum);
    }

    #[inline]
    fn finish(self) -> Option<Summary> {
        (self.count != 0.0).then_some(Summary {
            sample_count: self.count,
            sum: self.sum,
            minimum: self.minimum,
            maximum: self.maximum,
            distribution: Distribution::Unavailable,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compact bucket agrees with the full one on every exact statistic, for values and summaries alike.
    #[test]
    fn basic_buckets_fold_as_accumulators_do() {
        let (mut full, mut basic) = (Accumulator::new(true), Basic::default());
        assert_eq!(Basic::default().finish(), None);
        for value in [3.5, -1.0, 7.25, 0.0] {
            full.add_value(value);
            basic.add_value(value);
        }
        let set = Summary::from_statistic_set(4.0, 10.0, -2.0, 6.0);
        full.add_summary(&set);
        basic.add_summary(&set);
        for name in ["SampleCount", "Sum", "Average", "Minimum", "Maximum"] {
            let statistic: Statistic = name.parse().unwrap();
            let read = Basic::reader(&statistic).unwrap();
            assert_eq!(basic.value(read), full.clone().finish().and_then(|s| statistic.evaluate(&s)), "{name}");
            assert_eq!(Basic::default().value(read), None, "{name} of an empty bucket");
        }
        assert!(Basic::reader(&"p99".parse().unwrap()).is_none());
        let (full, basic) = (full.finish().unwrap(), basic.finish().unwrap());
        let exact = |s: &Summary| (s.sample_count, s.sum, s.minimum, s.maximum);
        assert_eq!(exact(&full), exact(&basic));
        assert_eq!(exact(&basic), (8.0, 19.75, -2.0, 7.25));
    }
}
