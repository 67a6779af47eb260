//! Folding points into one period's summary: exact SampleCount, Sum, Minimum and Maximum, and the distribution
//! sketch only when a percentile-family statistic needs it.

use crate::sketch::Sketch;
use crate::summary::{Distribution, Summary};

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

    #[inline]
    pub fn add_value(&mut self, value: f64) {
        self.count += 1.0;
        self.sum += value;
        self.minimum = self.minimum.min(value);
        self.maximum = self.maximum.max(value);
        if let Some(sketch) = &mut self.sketch {
            sketch.add(value, 1.0);
        }
    }

    pub fn add_summary(&mut self, summary: &Summary) {
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

    /// The bucket's summary, or `None` when no point fell in it.
    #[inline]
    pub fn finish(self) -> Option<Summary> {
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
