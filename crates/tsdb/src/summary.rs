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
/// Minimum and Maximum are not written: they are the exact sketch's first and last values (issue 15).
const EXTREMES_IN_SKETCH: u8 = 1 << 5;
/// Sum is not written: it is the exact sketch's values times their counts, added in ascending order.
const SUM_FROM_SKETCH: u8 = 1 << 6;
/// Sum is written as a scale byte and a zigzag varint integer (an exact decimal).
const SUM_DECIMAL: u8 = 1 << 7;
// Every bit of the flags byte is assigned; a new form needs a new byte or tag.
const SUM_FORMS: u8 = SUM_IS_MINIMUM_TIMES_COUNT | SUM_FROM_SKETCH | SUM_DECIMAL;

/// The sum of an exact sketch's entries, in their ascending order.
fn exact_sum(entries: &[(f64, f64)]) -> f64 {
    entries.iter().fold(0.0, |sum, &(value, count)| sum + value * count)
}

/// `(scale, integer)` when `value` is an exact decimal whose integer is short.
fn short_decimal(value: f64) -> Option<(u8, i64)> {
    crate::codec::decimal::find_decimal(value, value.to_bits(), 0).filter(|(_, k)| k.unsigned_abs() < 1 << 48)
}

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
        let exact = match &self.distribution {
            Distribution::Unavailable => {
                flags |= UNAVAILABLE;
                &[][..]
            }
            Distribution::Sketch(sketch) => {
                if single && *sketch == Sketch::single(self.minimum, self.sample_count) {
                    flags |= SKETCH_IS_MINIMUM_TIMES_COUNT;
                }
                sketch.exact_entries()
            }
        };
        if let (Some(first), Some(last)) = (exact.first(), exact.last())
            && flags & (MAXIMUM_IS_MINIMUM | SKETCH_IS_MINIMUM_TIMES_COUNT) == 0
            && first.0.to_bits() == self.minimum.to_bits()
            && last.0.to_bits() == self.maximum.to_bits()
        {
            flags |= EXTREMES_IN_SKETCH;
        }
        let mut sum_decimal = None;
        if self.sum.to_bits() == (self.minimum * self.sample_count).to_bits() {
            flags |= SUM_IS_MINIMUM_TIMES_COUNT;
        } else if !exact.is_empty()
            && flags & SKETCH_IS_MINIMUM_TIMES_COUNT == 0
            && exact_sum(exact).to_bits() == self.sum.to_bits()
        {
            flags |= SUM_FROM_SKETCH;
        } else {
            sum_decimal = short_decimal(self.sum);
            if sum_decimal.is_some() {
                flags |= SUM_DECIMAL;
            }
        }
        out.push(flags);
        put_count(out, self.sample_count);
        if flags & EXTREMES_IN_SKETCH == 0 {
            put_f64(out, self.minimum);
            if flags & MAXIMUM_IS_MINIMUM == 0 {
                put_f64(out, self.maximum);
            }
        }
        match sum_decimal {
            Some((scale, integer)) if flags & SUM_DECIMAL != 0 => {
                out.push(scale);
                crate::sketch::put_zigzag(out, integer);
            }
            _ if flags & SUM_FORMS == 0 => put_f64(out, self.sum),
            _ => {}
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
        let extremes_in_sketch = flags & EXTREMES_IN_SKETCH != 0;
        if (flags & EMPTY != 0 && flags != EMPTY)
            || (flags & SKETCH_IS_MINIMUM_TIMES_COUNT != 0
                && (flags & MAXIMUM_IS_MINIMUM == 0 || flags & UNAVAILABLE != 0))
            || (extremes_in_sketch && flags & (UNAVAILABLE | MAXIMUM_IS_MINIMUM | SKETCH_IS_MINIMUM_TIMES_COUNT) != 0)
            || (flags & SUM_FROM_SKETCH != 0 && flags & (UNAVAILABLE | SKETCH_IS_MINIMUM_TIMES_COUNT) != 0)
            || (flags & SUM_FORMS).count_ones() > 1
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
        let (written_minimum, written_maximum) = if extremes_in_sketch {
            (None, None)
        } else {
            let minimum = reader.f64()?;
            (Some(minimum), Some(if flags & MAXIMUM_IS_MINIMUM != 0 { minimum } else { reader.f64()? }))
        };
        let written_sum = if flags & SUM_DECIMAL != 0 {
            let scale = reader.byte()?;
            if scale > crate::codec::decimal::MAX_SCALE {
                return Err(DecodeError::InvalidValue);
            }
            let integer = crate::sketch::read_zigzag(&mut reader)?;
            Some(integer as f64 / crate::codec::decimal::pow10(scale))
        } else if flags & SUM_FORMS == 0 {
            Some(reader.f64()?)
        } else {
            None
        };
        let sketch = if flags & (UNAVAILABLE | SKETCH_IS_MINIMUM_TIMES_COUNT) != 0 {
            None
        } else {
            Some(Sketch::read(&mut reader)?)
        };
        let exact = sketch.as_ref().map_or(&[][..], Sketch::exact_entries);
        let (minimum, maximum) = match (written_minimum, written_maximum, exact.first(), exact.last()) {
            (Some(minimum), Some(maximum), _, _) => (minimum, maximum),
            (_, _, Some(first), Some(last)) => (first.0, last.0),
            // The extremes are in the sketch, and it is not exact.
            _ => return Err(DecodeError::InvalidValue),
        };
        let sum = match written_sum {
            Some(sum) => sum,
            None if flags & SUM_IS_MINIMUM_TIMES_COUNT != 0 => minimum * sample_count,
            None if !exact.is_empty() => exact_sum(exact),
            None => return Err(DecodeError::InvalidValue),
        };
        if !minimum.is_finite() || !maximum.is_finite() || sum.is_nan() {
            return Err(DecodeError::InvalidValue);
        }
        let distribution = match sketch {
            None if flags & UNAVAILABLE != 0 => Distribution::Unavailable,
            None => Distribution::Sketch(Sketch::single(minimum, sample_count)),
            Some(sketch) => Distribution::Sketch(sketch),
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

    /// Issue 15: a five-minute roll-up of five decimal values is about a third of the 74 bytes it took with
    /// full floats (extremes from the exact sketch, its values as decimal integers, the sum from them or as a
    /// decimal), and reads back bit for bit.
    #[test]
    fn summaries_of_decimals_are_small() {
        for (values, at_most) in [
            (vec![47.23, 47.91, 46.02, 48.5, 47.23], 20),
            (vec![512.0, 733.0, 604.0, 889.0, 140.0], 20),
            (vec![0.1, 0.2, 0.3, 0.4, 0.5], 16),
            (vec![-3.5, 1e-3, 2.0, 7.25, 1e6], 27),
        ] {
            let summary = Summary::from_values_counts(&values, &[1.0; 5]);
            let mut out = Vec::new();
            summary.encode(&mut out);
            assert!(out.len() <= at_most, "{values:?}: {} bytes", out.len());
            assert_eq!(Summary::decode(&out), Ok((summary, out.len())), "{values:?}");
        }
        // Found by the round-trip property: a minimum of -0.0 whose sketch is the single value 0.0 and a sum of
        // +0.0 (the sum is then written, as the sketch is not).
        let summary = Summary {
            sample_count: 1.0,
            sum: 0.0,
            minimum: -0.0,
            maximum: -0.0,
            distribution: Distribution::Sketch(Sketch::single(0.0, 1.0)),
        };
        let mut out = Vec::new();
        summary.encode(&mut out);
        assert_eq!(Summary::decode(&out), Ok((summary, out.len())));
        // Not decimals: the float forms, still exact.
        let values = [std::f64::consts::PI, std::f64::consts::E, -0.0, 1.0 / 3.0];
        let summary = Summary::from_values_counts(&values, &[1.0, 2.0, 1.0, 0.5]);
        let mut out = Vec::new();
        summary.encode(&mut out);
        assert_eq!(Summary::decode(&out), Ok((summary, out.len())));
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
        for flags in [
            EMPTY | UNAVAILABLE,
            SKETCH_IS_MINIMUM_TIMES_COUNT,
            SUM_DECIMAL | SUM_FROM_SKETCH,
            SUM_IS_MINIMUM_TIMES_COUNT | SUM_DECIMAL,
            EXTREMES_IN_SKETCH | UNAVAILABLE,
            EXTREMES_IN_SKETCH | MAXIMUM_IS_MINIMUM,
            SUM_FROM_SKETCH | UNAVAILABLE,
        ] {
            assert_eq!(Summary::decode(&[flags, 2, 0, 0, 0, 0, 0, 0, 0, 0]), Err(DecodeError::UnknownTag(flags)));
        }
    }
}
