//! A period's summary of a metric: exact SampleCount, Sum, Minimum and Maximum plus the distribution the
//! percentile-family statistics read, built from each PutMetricData form, merged, and encoded compactly.
//!
//! The three PutMetricData forms aggregate alike: a single `Value`, `Values` with `Counts`, and
//! `StatisticValues`. A statistic set tells nothing about its values, so it carries a distribution only when
//! AWS can know it: when SampleCount is 1 or Minimum equals Maximum. Any other set makes the distribution of
//! every summary it is merged into [`Distribution::Unavailable`], and the percentile family of that period
//! yields no value.

pub use crate::sketch::DecodeError;
use crate::sketch::{Reader, Sketch, is_positive_count, put_count, put_f64};

/// Exact SampleCount, Sum, Minimum and Maximum, and the distribution when it is known.
///
/// The empty summary has count and sum zero, minimum `+inf` and maximum `-inf`, so merging into it needs no
/// special case.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub sample_count: f64,
    pub sum: f64,
    pub minimum: f64,
    pub maximum: f64,
    pub distribution: Distribution,
}

/// The values behind a summary, for the percentile-family statistics.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Sketch(Sketch),
    /// A statistic set whose values cannot be known was merged in.
    Unavailable,
}

const EMPTY: u8 = 1;
const UNAVAILABLE: u8 = 1 << 1;
const MAXIMUM_IS_MINIMUM: u8 = 1 << 2;
const SUM_IS_MINIMUM_TIMES_COUNT: u8 = 1 << 3;
const SKETCH_IS_MINIMUM_TIMES_COUNT: u8 = 1 << 4;
const ALL_FLAGS: u8 =
    EMPTY | UNAVAILABLE | MAXIMUM_IS_MINIMUM | SUM_IS_MINIMUM_TIMES_COUNT | SKETCH_IS_MINIMUM_TIMES_COUNT;

impl Default for Summary {
    fn default() -> Self {
        Self::empty()
    }
}

impl Summary {
    pub fn empty() -> Self {
        Summary {
            sample_count: 0.0,
            sum: 0.0,
            minimum: f64::INFINITY,
            maximum: f64::NEG_INFINITY,
            distribution: Distribution::Sketch(Sketch::new()),
        }
    }

    /// Whether no sample was recorded (SampleCount is not positive).
    pub fn is_empty(&self) -> bool {
        self.sample_count.is_nan() || self.sample_count <= 0.0
    }

    /// One `Value`. Allocates nothing.
    pub fn from_value(value: f64) -> Self {
        Self::from_value_count(value, 1.0)
    }

    /// `count` occurrences of `value`; empty unless `value` is finite and `count` positive and finite.
    pub fn from_value_count(value: f64, count: f64) -> Self {
        let mut summary = Self::empty();
        summary.add(value, count);
        summary
    }

    /// `Values` with `Counts`, the counts parallel to the values or empty for a count of 1 each (the caller has
    /// checked the lengths). Values that are not finite or whose count is not positive and finite are skipped.
    pub fn from_values_counts(values: &[f64], counts: &[f64]) -> Self {
        let mut summary = Self::empty();
        for (i, &value) in values.iter().enumerate() {
            summary.add(value, if counts.is_empty() { 1.0 } else { counts.get(i).copied().unwrap_or(0.0) });
        }
        summary
    }

    /// `StatisticValues`. The distribution is known when `sample_count` is 1 (the value is `minimum` if it
    /// equals `maximum`, else `sum`) or `minimum == maximum` (`sample_count` times that value); otherwise it is
    /// [`Distribution::Unavailable`]. A count that is not positive and finite gives the empty summary.
    pub fn from_statistic_set(sample_count: f64, sum: f64, minimum: f64, maximum: f64) -> Self {
        if !is_positive_count(sample_count) {
            return Self::empty();
        }
        let distribution = if minimum == maximum {
            Distribution::Sketch(Sketch::single(minimum, sample_count))
        } else if sample_count == 1.0 {
            Distribution::Sketch(Sketch::single(sum, 1.0))
        } else {
            Distribution::Unavailable
        };
        Summary { sample_count, sum, minimum, maximum, distribution }
    }

    /// Records `count` occurrences of `value`, as if a summary of them were merged in; ignores values that are
    /// not finite and counts that are not positive and finite.
    pub fn add(&mut self, value: f64, count: f64) {
        if !(value.is_finite() && is_positive_count(count)) {
            return;
        }
        self.sample_count += count;
        self.sum += value * count;
        self.minimum = self.minimum.min(value);
        self.maximum = self.maximum.max(value);
        if let Distribution::Sketch(sketch) = &mut self.distribution {
            sketch.add(value, count);
        }
    }

    /// Folds `other` in: counts and sums add, extremes combine, distributions merge (unavailable wins).
    pub fn merge(&mut self, other: &Summary) {
        if other.is_empty() {
            return;
        }
        self.sample_count += other.sample_count;
        self.sum += other.sum;
        self.minimum = self.minimum.min(other.minimum);
        self.maximum = self.maximum.max(other.maximum);
        match (&mut self.distribution, &other.distribution) {
            (Distribution::Sketch(mine), Distribution::Sketch(theirs)) => mine.merge(theirs),
            (distribution, _) => *distribution = Distribution::Unavailable,
        }
    }

    /// `sum / sample_count`, or `None` when empty.
    pub fn average(&self) -> Option<f64> {
        (!self.is_empty()).then(|| self.sum / self.sample_count)
    }

    /// The sketch, unless the distribution is unavailable.
    pub fn sketch(&self) -> Option<&Sketch> {
        match &self.distribution {
            Distribution::Sketch(sketch) => Some(sketch),
            Distribution::Unavailable => None,
        }
    }

    /// Appends the encoding: a flags byte, then (unless empty) the count, the minimum, the maximum unless equal
    /// to the minimum, the sum unless it is `minimum * sample_count`, and the sketch unless it is available and
    /// is just `sample_count` times the minimum. One value takes 10 bytes; the empty summary one byte.
    pub fn encode(&self, out: &mut Vec<u8>) {
        if self.is_empty() {
            out.push(EMPTY);
            return;
        }
        let single = self.minimum.to_bits() == self.maximum.to_bits();
        let mut flags = 0;
        if single {
            flags |= MAXIMUM_IS_MINIMUM;
        }
        if self.sum.to_bits() == (self.minimum * self.sample_count).to_bits() {
            flags |= SUM_IS_MINIMUM_TIMES_COUNT;
        }
        match &self.distribution {
            Distribution::Unavailable => flags |= UNAVAILABLE,
            Distribution::Sketch(sketch) => {
                if single && *sketch == Sketch::single(self.minimum, self.sample_count) {
                    flags |= SKETCH_IS_MINIMUM_TIMES_COUNT;
                }
            }
        }
        out.push(flags);
        put_count(out, self.sample_count);
        put_f64(out, self.minimum);
        if flags & MAXIMUM_IS_MINIMUM == 0 {
            put_f64(out, self.maximum);
        }
        if flags & SUM_IS_MINIMUM_TIMES_COUNT == 0 {
            put_f64(out, self.sum);
        }
        if let Distribution::Sketch(sketch) = &self.distribution
            && flags & SKETCH_IS_MINIMUM_TIMES_COUNT == 0
        {
            sketch.encode(out);
        }
    }

    /// Reads a summary written by [`Summary::encode`] from the front of `bytes`; returns it and the bytes used.
    /// Never panics on any input.
    pub fn decode(bytes: &[u8]) -> Result<(Summary, usize), DecodeError> {
        let mut reader = Reader::new(bytes);
        let flags = reader.byte()?;
        if flags & !ALL_FLAGS != 0
            || (flags & EMPTY != 0 && flags != EMPTY)
            || (flags & SKETCH_IS_MINIMUM_TIMES_COUNT != 0
                && (flags & MAXIMUM_IS_MINIMUM == 0 || flags & UNAVAILABLE != 0))
        {
            return Err(DecodeError::UnknownTag(flags));
        }
        if flags == EMPTY {
            return Ok((Self::empty(), reader.position()));
        }
        let sample_count = reader.count()?;
        if !is_positive_count(sample_count) {
            return Err(DecodeError::InvalidCount);
        }
        let minimum = reader.f64()?;
        let maximum = if flags & MAXIMUM_IS_MINIMUM != 0 { minimum } else { reader.f64()? };
        let sum = if flags & SUM_IS_MINIMUM_TIMES_COUNT != 0 { minimum * sample_count } else { reader.f64()? };
        if !minimum.is_finite() || !maximum.is_finite() || sum.is_nan() {
            return Err(DecodeError::InvalidValue);
        }
        let distribution = if flags & UNAVAILABLE != 0 {
            Distribution::Unavailable
        } else if flags & SKETCH_IS_MINIMUM_TIMES_COUNT != 0 {
            Distribution::Sketch(Sketch::single(minimum, sample_count))
        } else {
            Distribution::Sketch(Sketch::read(&mut reader)?)
        };
        Ok((Summary { sample_count, sum, minimum, maximum, distribution }, reader.position()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_is_small_in_memory_and_on_disk() {
        assert!(std::mem::size_of::<Summary>() <= 72, "{}", std::mem::size_of::<Summary>());
        let mut out = Vec::new();
        Summary::from_value(42.5).encode(&mut out);
        assert_eq!(out.len(), 10);
        let mut out = Vec::new();
        Summary::empty().encode(&mut out);
        assert_eq!(out, [EMPTY]);
    }

    #[test]
    fn statistic_sets_know_their_distribution_only_when_aws_does() {
        assert!(Summary::from_statistic_set(3.0, 6.0, 2.0, 2.0).sketch().is_some());
        assert_eq!(Summary::from_statistic_set(1.0, 7.0, 7.0, 7.0).sketch().and_then(|s| s.quantile(0.5)), Some(7.0));
        assert_eq!(Summary::from_statistic_set(2.0, 3.0, 1.0, 2.0).distribution, Distribution::Unavailable);
        assert!(Summary::from_statistic_set(0.0, 0.0, 0.0, 0.0).is_empty());
        let mut merged = Summary::from_value(1.0);
        merged.merge(&Summary::from_statistic_set(2.0, 3.0, 1.0, 2.0));
        merged.merge(&Summary::from_value(5.0));
        assert_eq!(merged.distribution, Distribution::Unavailable);
        assert_eq!((merged.sample_count, merged.sum, merged.minimum, merged.maximum), (4.0, 9.0, 1.0, 5.0));
    }

    #[test]
    fn merging_the_empty_summary_changes_nothing() {
        let mut summary = Summary::from_statistic_set(2.0, 3.0, 1.0, 2.0);
        let before = summary.clone();
        summary.merge(&Summary::empty());
        assert_eq!(summary, before);
        let mut empty = Summary::empty();
        empty.merge(&before);
        assert_eq!(empty, before);
    }

    #[test]
    fn decode_rejects_inconsistent_flags() {
        for flags in [EMPTY | UNAVAILABLE, SKETCH_IS_MINIMUM_TIMES_COUNT, 0x80] {
            assert_eq!(Summary::decode(&[flags, 2, 0, 0, 0, 0, 0, 0, 0, 0]), Err(DecodeError::UnknownTag(flags)));
        }
    }
}
