//! The mergeable distribution sketch behind the percentile-family statistics: exact while it holds at most
//! [`EXACT_LIMIT`] distinct values, then a DDSketch-style logarithmic histogram whose every bucket value is within
//! [`RELATIVE_ACCURACY`] of every value it stands for; plus its compact encoding.
//!
//! # Model
//!
//! A sketch is a multiset of `(value, count)` pairs; counts are `f64` (CloudWatch's `Counts` are doubles).
//! [`Sketch::buckets`] lists it in ascending value order. In the exact form the pairs are the values added;
//! once more than [`EXACT_LIMIT`] distinct values have been added the sketch becomes a histogram:
//!
//! * values with `|x| < ZERO_THRESHOLD` count in one zero bucket, listed with value `0`;
//! * any other `x` counts in bucket `k = ceil(log_gamma(|x|))` of the positive or negative store, with
//!   `gamma = (1 + a) / (1 - a)` and `a = RELATIVE_ACCURACY`, so bucket `k` holds `(gamma^(k-1), gamma^k]`
//!   and is listed with the value `sign * 2 * gamma^k / (gamma + 1)`, within `a * |x|` of every `x` in it.
//!
//! The mapping from values to listed values is monotone, so the sketch never reorders values: the value at any
//! rank of the sketch is the listed value of the true value at that rank. Which form a sketch has depends only on
//! the multiset added, never on the order of adds and merges, and with integral counts the result is identical
//! whatever the order.
//!
//! # Quantiles
//!
//! [`Sketch::quantile`] returns the lower quantile: with `n` the total count, the value at rank
//! `r = q * (n - 1)`, that is the first listed value whose cumulative count exceeds `r`. With unit counts and
//! sorted values `x[0..n]` that is `x[floor(q * (n - 1))]`, within `a * |x| + ZERO_THRESHOLD` of it.

mod dense;
mod wire;

use dense::Dense;
pub use wire::DecodeError;
pub(crate) use wire::{Reader, put_count, put_f64, put_zigzag, read_zigzag};

/// The relative accuracy `a` of the histogram form: every listed value is within `a * |x|` of the values it
/// stands for (plus [`ZERO_THRESHOLD`] for values in the zero bucket).
pub const RELATIVE_ACCURACY: f64 = 0.01;
/// Values with a magnitude below this count as zero in the histogram form.
pub const ZERO_THRESHOLD: f64 = 1e-9;
/// The most distinct values a sketch keeps exactly.
pub const EXACT_LIMIT: usize = 32;

/// A mergeable distribution of `(value, count)` pairs; see the module docs.
#[derive(Clone, Default)]
pub struct Sketch {
    repr: Repr,
}

#[derive(Clone, Default)]
enum Repr {
    #[default]
    Empty,
    /// One distinct value: `(value, count)`, no allocation.
    One((f64, f64)),
    /// 2..=EXACT_LIMIT distinct values, strictly ascending, counts positive.
    Exact(Vec<(f64, f64)>),
    Dense(Box<Dense>),
}

impl Sketch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `count` occurrences of `value`. Non-finite values and counts that are not positive and finite are
    /// ignored (the API layer rejects them before they get here).
    #[inline]
    pub fn add(&mut self, value: f64, count: f64) {
        if !(value.is_finite() && is_positive_count(count)) {
            return;
        }
        // Turns -0.0 into 0.0 so that both are one value.
        let value = value + 0.0;
        let replacement = match &mut self.repr {
            Repr::Empty => Repr::One((value, count)),
            Repr::One(entry) => {
                if entry.0 == value {
                    entry.1 += count;
                    return;
                }
                let mut entries = Vec::with_capacity(4);
                if entry.0 < value {
                    entries.extend([*entry, (value, count)]);
                } else {
                    entries.extend([(value, count), *entry]);
                }
                Repr::Exact(entries)
            }
            Repr::Exact(entries) => match entries.binary_search_by(|e| e.0.total_cmp(&value)) {
                Ok(i) => {
                    if let Some(entry) = entries.get_mut(i) {
                        entry.1 += count;
                    }
                    return;
                }
                Err(i) if entries.len() < EXACT_LIMIT => {
                    entries.insert(i, (value, count));
                    return;
                }
                Err(_) => {
                    let mut dense = Dense::from_entries(entries);
                    dense.add(value, count);
                    Repr::Dense(Box::new(dense))
                }
            },
            Repr::Dense(dense) => {
                dense.add(value, count);
                return;
            }
        };
        self.repr = replacement;
    }

    /// Adds every value of `other`, as if each of its adds had been made on `self`.
    pub fn merge(&mut self, other: &Sketch) {
        match (&mut self.repr, &other.repr) {
            (_, Repr::Empty) => {}
            (Repr::Dense(mine), Repr::Dense(theirs)) => mine.merge(theirs),
            (_, Repr::One(_) | Repr::Exact(_)) => {
                for &(value, count) in other.exact_entries() {
                    self.add(value, count);
                }
            }
            (_, Repr::Dense(theirs)) => {
                let mut dense = Dense::clone(theirs);
                for &(value, count) in self.exact_entries() {
                    dense.add(value, count);
                }
                self.repr = Repr::Dense(Box::new(dense));
            }
        }
    }

    /// The total count: the sum of the counts of [`Sketch::buckets`], in that order.
    pub fn count(&self) -> f64 {
        match &self.repr {
            Repr::Dense(dense) => dense.count(),
            _ => self.exact_entries().iter().fold(0.0, |total, (_, count)| total + count),
        }
    }

    pub fn is_empty(&self) -> bool {
        match &self.repr {
            Repr::Empty => true,
            Repr::One(_) | Repr::Exact(_) => false,
            Repr::Dense(dense) => dense.is_empty(),
        }
    }

    /// Whether the sketch still holds its values exactly (at most [`EXACT_LIMIT`] distinct values).
    pub fn is_exact(&self) -> bool {
        !matches!(self.repr, Repr::Dense(_))
    }

    /// How many `(value, count)` pairs [`Sketch::buckets`] lists.
    pub fn bucket_count(&self) -> usize {
        match &self.repr {
            Repr::Empty => 0,
            Repr::One(_) => 1,
            Repr::Exact(entries) => entries.len(),
            Repr::Dense(dense) => dense.bucket_count(),
        }
    }

    /// The `(value, count)` pairs in ascending value order, counts positive: the exact values while the sketch is
    /// exact, else each non-empty bucket's listed value.
    pub fn buckets(&self) -> impl DoubleEndedIterator<Item = (f64, f64)> + '_ {
        match &self.repr {
            Repr::Dense(dense) => Either::Right(dense.buckets()),
            _ => Either::Left(self.exact_entries().iter().copied()),
        }
    }

    /// The lower quantile `q` in `[0, 1]` (see the module docs); `None` when empty or `q` is outside `[0, 1]`.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&q) {
            return None;
        }
        let rank = q * (self.count() - 1.0);
        let mut cumulative = 0.0;
        let mut last = None;
        self.buckets()
            .find_map(|(value, count)| {
                cumulative += count;
                last = Some(value);
                (cumulative > rank).then_some(value)
            })
            .or(last)
    }

    /// Appends the sketch's encoding: a tag byte, then for the exact form the varint entry count and each
    /// `(f64 value, count)`, for the histogram form each store's varint bucket count, zigzag first index, varint
    /// index gaps and counts, then the zero count. Counts are varints when integral, else a tag and an `f64`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match &self.repr {
            Repr::Empty => out.push(wire::TAG_EMPTY),
            Repr::One(_) | Repr::Exact(_) => wire::encode_exact(self.exact_entries(), out),
            Repr::Dense(dense) => dense.encode(out),
        }
    }

    /// Reads a sketch written by [`Sketch::encode`] from the front of `bytes`; returns it and the bytes used.
    /// Never panics, and allocates at most in proportion to the input (or a bounded histogram window).
    pub fn decode(bytes: &[u8]) -> Result<(Sketch, usize), DecodeError> {
        let mut reader = Reader::new(bytes);
        let sketch = Self::read(&mut reader)?;
        Ok((sketch, reader.position()))
    }

    pub(crate) fn read(reader: &mut Reader<'_>) -> Result<Sketch, DecodeError> {
        let repr = match reader.byte()? {
            wire::TAG_EMPTY => Repr::Empty,
            tag @ (wire::TAG_EXACT | wire::TAG_EXACT_DECIMAL | wire::TAG_EXACT_DECIMAL_ONES) => {
                let mut entries = match tag {
                    wire::TAG_EXACT => wire::decode_exact(reader)?,
                    _ => wire::decode_exact_decimal(reader, tag == wire::TAG_EXACT_DECIMAL_ONES)?,
                };
                match entries.len() {
                    1 => Repr::One(entries.swap_remove(0)),
                    _ => Repr::Exact(entries),
                }
            }
            wire::TAG_DENSE => Repr::Dense(Box::new(Dense::read(reader)?)),
            tag => return Err(DecodeError::UnknownTag(tag)),
        };
        Ok(Sketch { repr })
    }

    /// A sketch holding `count` occurrences of `value` only.
    pub(crate) fn single(value: f64, count: f64) -> Sketch {
        let mut sketch = Sketch::new();
        sketch.add(value, count);
        sketch
    }

    /// The exact form's `(value, count)` entries, ascending; empty for the empty and histogram forms.
    pub(crate) fn exact_entries(&self) -> &[(f64, f64)] {
        match &self.repr {
            Repr::One(entry) => std::slice::from_ref(entry),
            Repr::Exact(entries) => entries,
            Repr::Empty | Repr::Dense(_) => &[],
        }
    }
}

/// Two sketches are equal when they have the same form and list the same `(value, count)` pairs.
impl PartialEq for Sketch {
    fn eq(&self, other: &Self) -> bool {
        self.is_exact() == other.is_exact() && self.buckets().eq(other.buckets())
    }
}

impl std::fmt::Debug for Sketch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sketch")
            .field("exact", &self.is_exact())
            .field("buckets", &self.buckets().collect::<Vec<_>>())
            .finish()
    }
}

/// Whether `count` is a usable count: positive and finite.
pub(crate) fn is_positive_count(count: f64) -> bool {
    count > 0.0 && count.is_finite()
}

/// One of two iterators, so that [`Sketch::buckets`] has one type for both forms.
enum Either<L, R> {
    Left(L),
    Right(R),
}

impl<T, L: Iterator<Item = T>, R: Iterator<Item = T>> Iterator for Either<L, R> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        match self {
            Either::Left(l) => l.next(),
            Either::Right(r) => r.next(),
        }
    }
}

impl<T, L: DoubleEndedIterator<Item = T>, R: DoubleEndedIterator<Item = T>> DoubleEndedIterator for Either<L, R> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        match self {
            Either::Left(l) => l.next_back(),
            Either::Right(r) => r.next_back(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_needs_no_heap_and_little_stack() {
        assert!(std::mem::size_of::<Sketch>() <= 32, "{}", std::mem::size_of::<Sketch>());
        let sketch = Sketch::single(3.5, 2.0);
        assert!(matches!(sketch.repr, Repr::One((3.5, 2.0))));
        assert_eq!(sketch.quantile(0.5), Some(3.5));
    }

    #[test]
    fn goes_dense_past_the_exact_limit_and_stays_accurate() {
        let mut sketch = Sketch::new();
        for i in 1..=EXACT_LIMIT {
            sketch.add(i as f64, 1.0);
        }
        assert!(sketch.is_exact());
        sketch.add(1000.0, 1.0);
        assert!(!sketch.is_exact());
        assert_eq!(sketch.count(), EXACT_LIMIT as f64 + 1.0);
        let top = sketch.quantile(1.0).unwrap_or(f64::NAN);
        assert!((top - 1000.0).abs() <= RELATIVE_ACCURACY * 1000.0, "{top}");
    }

    #[test]
    fn negative_zero_is_zero_and_bad_input_is_ignored() {
        let mut sketch = Sketch::new();
        sketch.add(-0.0, 1.0);
        sketch.add(0.0, 1.0);
        sketch.add(f64::NAN, 1.0);
        sketch.add(1.0, f64::INFINITY);
        sketch.add(1.0, 0.0);
        sketch.add(1.0, -1.0);
        assert_eq!(sketch.buckets().collect::<Vec<_>>(), vec![(0.0, 2.0)]);
    }

    #[test]
    fn quantile_rejects_out_of_range_q() {
        let sketch = Sketch::single(1.0, 1.0);
        assert_eq!(sketch.quantile(-0.1), None);
        assert_eq!(sketch.quantile(1.1), None);
        assert_eq!(sketch.quantile(f64::NAN), None);
        assert_eq!(Sketch::new().quantile(0.5), None);
    }
}
