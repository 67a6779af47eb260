//! The histogram form of a sketch: the logarithmic index mapping, and the positive and negative stores as dense
//! windows of counts (index `offset + i` at slot `i`) plus the zero bucket.

use std::sync::LazyLock;

use super::wire::{self, DecodeError, Reader};
use super::{RELATIVE_ACCURACY, ZERO_THRESHOLD};

/// `gamma = (1 + a) / (1 - a)`.
pub(super) const GAMMA: f64 = (1.0 + RELATIVE_ACCURACY) / (1.0 - RELATIVE_ACCURACY);
/// `ln(gamma)`, checked against `GAMMA.ln()` by a test.
pub(super) const LN_GAMMA: f64 = 0.020000666706669435;
const INV_LN_GAMMA: f64 = 1.0 / LN_GAMMA;
/// `2 / (gamma + 1)`: a bucket's listed value is `gamma^k` times this.
const REPRESENTATIVE_FACTOR: f64 = 2.0 / (GAMMA + 1.0);
/// The index of `ZERO_THRESHOLD` and of `f64::MAX`: every index lies in between (checked by a test).
pub(super) const MIN_INDEX: i32 = -1036;
pub(super) const MAX_INDEX: i32 = 35488;

/// The bucket index of a magnitude `abs >= ZERO_THRESHOLD`.
#[inline]
pub(super) fn index_of(abs: f64) -> i32 {
    // `as` saturates; the clamp keeps float noise at the extremes inside the documented range.
    ((abs.ln() * INV_LN_GAMMA).ceil() as i32).clamp(MIN_INDEX, MAX_INDEX)
}

/// The value listed for bucket `index`: `2 * gamma^index / (gamma + 1)`, capped at `f64::MAX`.
#[inline]
pub(super) fn representative(index: i32) -> f64 {
    let slot = index.wrapping_sub(MIN_INDEX) as u32 as usize;
    REPRESENTATIVES.get(slot).copied().unwrap_or_else(|| compute_representative(index))
}

/// Every bucket's listed value, computed once (36,525 values, 292 KB): reading a bucket then costs no `exp`.
static REPRESENTATIVES: LazyLock<Box<[f64]>> =
    LazyLock::new(|| (MIN_INDEX..=MAX_INDEX).map(compute_representative).collect());

fn compute_representative(index: i32) -> f64 {
    ((f64::from(index) * LN_GAMMA).exp() * REPRESENTATIVE_FACTOR).min(f64::MAX)
}

#[derive(Clone)]
pub(super) struct Dense {
    positive: Store,
    negative: Store,
    zero: f64,
    /// The last magnitude mapped and its index, so that repeated values skip the logarithm.
    last_abs: f64,
    last_index: i32,
}

impl Dense {
    fn new() -> Self {
        Dense { positive: Store::default(), negative: Store::default(), zero: 0.0, last_abs: f64::NAN, last_index: 0 }
    }

    pub(super) fn from_entries(entries: &[(f64, f64)]) -> Self {
        let mut dense = Dense::new();
        for &(value, count) in entries {
            dense.add(value, count);
        }
        dense
    }

    /// Adds `count` (positive, finite) occurrences of the finite `value`.
    #[inline]
    pub(super) fn add(&mut self, value: f64, count: f64) {
        let abs = value.abs();
        if abs < ZERO_THRESHOLD {
            self.zero += count;
            return;
        }
        let index = if abs == self.last_abs {
            self.last_index
        } else {
            let index = index_of(abs);
            self.last_abs = abs;
            self.last_index = index;
            index
        };
        if value > 0.0 { self.positive.add(index, count) } else { self.negative.add(index, count) }
    }

    pub(super) fn merge(&mut self, other: &Dense) {
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
        self.zero += other.zero;
    }

    pub(super) fn is_empty(&self) -> bool {
        self.zero == 0.0 && self.positive.iter().next().is_none() && self.negative.iter().next().is_none()
    }

    /// The total count, summed in [`Dense::buckets`] order (empty slots add nothing).
    pub(super) fn count(&self) -> f64 {
        let negative = self.negative.counts.iter().rev().fold(0.0, |total, count| total + count);
        let zero = if self.zero > 0.0 { negative + self.zero } else { negative };
        self.positive.counts.iter().fold(zero, |total, count| total + count)
    }

    pub(super) fn bucket_count(&self) -> usize {
        self.positive.iter().count() + self.negative.iter().count() + usize::from(self.zero > 0.0)
    }

    /// `(listed value, count)` of each non-empty bucket, ascending.
    pub(super) fn buckets(&self) -> impl DoubleEndedIterator<Item = (f64, f64)> + '_ {
        let negative = self.negative.iter().rev().map(|(index, count)| (-representative(index), count));
        let zero = (self.zero > 0.0).then_some((0.0, self.zero));
        let positive = self.positive.iter().map(|(index, count)| (representative(index), count));
        negative.chain(zero).chain(positive)
    }

    pub(super) fn encode(&self, out: &mut Vec<u8>) {
        out.push(wire::TAG_DENSE);
        self.positive.encode(out);
        self.negative.encode(out);
        wire::put_count(out, self.zero);
    }

    pub(super) fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut dense = Dense::new();
        dense.positive = Store::read(reader)?;
        dense.negative = Store::read(reader)?;
        dense.zero = reader.count()?;
        if dense.zero != 0.0 && !super::is_positive_count(dense.zero) {
            return Err(DecodeError::InvalidCount);
        }
        if dense.is_empty() {
            return Err(DecodeError::EmptyHistogram);
        }
        Ok(dense)
    }
}

impl PartialEq for Dense {
    fn eq(&self, other: &Self) -> bool {
        self.zero == other.zero
            && self.positive.iter().eq(other.positive.iter())
            && self.negative.iter().eq(other.negative.iter())
    }
}

/// Counts of consecutive bucket indexes from `offset`; slots may be zero (gaps and spare room).
#[derive(Clone, Default)]
struct Store {
    offset: i32,
    counts: Vec<f64>,
}

impl Store {
    #[inline]
    fn add(&mut self, index: i32, count: f64) {
        // An index below `offset` wraps to a huge slot number and misses, like one past the end.
        let slot = index.wrapping_sub(self.offset) as u32 as usize;
        if let Some(c) = self.counts.get_mut(slot) {
            *c += count;
            return;
        }
        self.cover(index, index);
        let slot = index.wrapping_sub(self.offset) as u32 as usize;
        if let Some(c) = self.counts.get_mut(slot) {
            *c += count;
        }
    }

    /// Grows the window to cover `low..=high` (both within `MIN_INDEX..=MAX_INDEX`).
    fn cover(&mut self, low: i32, high: i32) {
        if self.counts.is_empty() {
            self.offset = low;
            self.counts = vec![0.0; (high - low) as usize + 1];
            return;
        }
        let end = self.offset + self.counts.len() as i32;
        if high >= end {
            self.counts.resize((high - self.offset) as usize + 1, 0.0);
        }
        if low < self.offset {
            // Spare room below too, so that descending adds do not copy the window every time.
            let spare = (self.counts.len() as i32 / 2).min(low - MIN_INDEX).max(0);
            let grow = (self.offset - low + spare) as usize;
            let mut counts = Vec::with_capacity(grow + self.counts.len());
            counts.resize(grow, 0.0);
            counts.extend_from_slice(&self.counts);
            self.counts = counts;
            self.offset = low - spare;
        }
    }

    fn merge(&mut self, other: &Store) {
        let (Some((low, _)), Some((high, _))) = (other.iter().next(), other.iter().next_back()) else {
            return;
        };
        self.cover(low, high);
        for (index, count) in other.iter() {
            let slot = index.wrapping_sub(self.offset) as u32 as usize;
            if let Some(c) = self.counts.get_mut(slot) {
                *c += count;
            }
        }
    }

    /// `(index, count)` of the non-empty buckets, ascending.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i32, f64)> + '_ {
        let offset = self.offset;
        self.counts.iter().enumerate().filter(|(_, c)| **c != 0.0).map(move |(i, c)| (offset + i as i32, *c))
    }

    /// Varint bucket count, then the zigzag first index and its count, then for each further bucket the varint
    /// gap to the previous index minus one and its count.
    fn encode(&self, out: &mut Vec<u8>) {
        wire::put_varint(out, self.iter().count() as u64);
        let mut previous = None;
        for (index, count) in self.iter() {
            match previous {
                None => wire::put_varint(out, wire::zigzag(i64::from(index))),
                Some(p) => wire::put_varint(out, (i64::from(index) - i64::from(p) - 1) as u64),
            }
            wire::put_count(out, count);
            previous = Some(index);
        }
    }

    fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = reader.varint()?;
        // Every bucket takes at least two bytes, and there are only so many indexes.
        let span = (MAX_INDEX - MIN_INDEX) as u64 + 1;
        if len > reader.remaining() as u64 / 2 || len > span {
            return Err(DecodeError::TooManyEntries);
        }
        let mut buckets = Vec::with_capacity(len as usize);
        let mut previous: Option<i64> = None;
        for _ in 0..len {
            let raw = reader.varint()?;
            let index = match previous {
                None => wire::unzigzag(raw),
                Some(p) => {
                    i64::try_from(raw).ok().and_then(|gap| p.checked_add(gap)?.checked_add(1)).unwrap_or(i64::MAX)
                }
            };
            if index < i64::from(MIN_INDEX) || index > i64::from(MAX_INDEX) {
                return Err(DecodeError::IndexOutOfRange);
            }
            let count = reader.count()?;
            if !super::is_positive_count(count) {
                return Err(DecodeError::InvalidCount);
            }
            buckets.push((index as i32, count));
            previous = Some(index);
        }
        let mut store = Store::default();
        if let (Some(&(low, _)), Some(&(high, _))) = (buckets.first(), buckets.last()) {
            store.offset = low;
            store.counts = vec![0.0; (high - low) as usize + 1];
            for (index, count) in buckets {
                if let Some(c) = store.counts.get_mut((index - low) as usize) {
                    *c = count;
                }
            }
        }
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_their_definitions() {
        assert!((GAMMA.ln() - LN_GAMMA).abs() <= f64::EPSILON * LN_GAMMA, "{} vs {}", GAMMA.ln(), LN_GAMMA);
        assert_eq!((ZERO_THRESHOLD.ln() * INV_LN_GAMMA).ceil() as i32, MIN_INDEX);
        assert_eq!((f64::MAX.ln() * INV_LN_GAMMA).ceil() as i32, MAX_INDEX);
        assert!(representative(MAX_INDEX).is_finite());
    }

    #[test]
    fn every_value_is_within_the_relative_accuracy_of_its_bucket() {
        let mut x = ZERO_THRESHOLD;
        while x < 1e300 {
            for v in [x, x * 1.003, x * 1.0101, x.next_up(), x.next_down()] {
                if v < ZERO_THRESHOLD {
                    continue;
                }
                let r = representative(index_of(v));
                assert!((r - v).abs() <= RELATIVE_ACCURACY * v * (1.0 + 1e-12), "{v} -> {r}");
            }
            x *= 1.37;
        }
    }

    #[test]
    fn bucket_edges_belong_to_the_lower_bucket() {
        for k in [-1000, -1, 0, 1, 2, 500, 12_000] {
            let edge = (f64::from(k) * LN_GAMMA).exp();
            let index = index_of(edge);
            assert!(index == k || index == k + 1, "edge {k}: {index}");
            assert!(index_of(edge * (1.0 + 1e-9)) == k + 1);
        }
    }

    #[test]
    fn windows_grow_both_ways_and_merge() {
        let mut a = Store::default();
        for index in (0..100).rev() {
            a.add(index, 1.0);
        }
        for index in 100..200 {
            a.add(index, 2.0);
        }
        assert_eq!(a.iter().count(), 200);
        assert_eq!(a.iter().next(), Some((0, 1.0)));
        assert_eq!(a.iter().next_back(), Some((199, 2.0)));
        let mut b = Store::default();
        b.add(-5, 1.0);
        b.merge(&a);
        assert_eq!(b.iter().count(), 201);
        assert_eq!(b.iter().map(|(_, c)| c).sum::<f64>(), 301.0);
    }
}
