//! The byte-level pieces of the sketch and summary encodings: LEB128 varints, zigzag integers, counts (a varint
//! of twice the count when integral, else the byte 1 and an `f64`), little-endian `f64`s, the bounds-checked
//! [`Reader`] and the [`DecodeError`] every decode returns.

use super::EXACT_LIMIT;
use crate::codec::decimal;

pub(super) const TAG_EMPTY: u8 = 0;
pub(super) const TAG_EXACT: u8 = 1;
pub(super) const TAG_DENSE: u8 = 2;
pub(super) const TAG_EXACT_DECIMAL: u8 = 3;
pub(super) const TAG_EXACT_DECIMAL_ONES: u8 = 4;

/// The largest count written as a varint: integral `f64`s above it may not be exact integers in `u64` terms.
const MAX_VARINT_COUNT: f64 = 9_007_199_254_740_992.0; // 2^53

/// Why bytes are not a sketch or summary encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the input ends inside the encoding")]
    Truncated,
    #[error("a varint is longer than ten bytes or exceeds 64 bits")]
    VarintOverflow,
    #[error("unknown tag or flags byte {0:#04x}")]
    UnknownTag(u8),
    #[error("a count is not a positive finite number")]
    InvalidCount,
    #[error("a value is not a finite number")]
    InvalidValue,
    #[error("a bucket index is outside the sketch's index range")]
    IndexOutOfRange,
    #[error("exact values are not strictly ascending")]
    NotAscending,
    #[error("more entries than the input or the sketch can hold")]
    TooManyEntries,
    #[error("a histogram sketch with no counts")]
    EmptyHistogram,
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub(super) fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

pub(super) fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// A signed integer as a zigzag varint.
pub(crate) fn put_zigzag(out: &mut Vec<u8>, value: i64) {
    put_varint(out, zigzag(value));
}

/// A signed integer written by [`put_zigzag`].
pub(crate) fn read_zigzag(reader: &mut Reader<'_>) -> Result<i64, DecodeError> {
    reader.varint().map(unzigzag)
}

pub(crate) fn put_f64(out: &mut Vec<u8>, value: f64) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// A count: `2 * count` as a varint when it is a whole number in `0..=2^53`, else the byte 1 and the `f64`.
pub(crate) fn put_count(out: &mut Vec<u8>, count: f64) {
    if count.fract() == 0.0 && (0.0..=MAX_VARINT_COUNT).contains(&count) {
        put_varint(out, (count as u64) << 1);
    } else {
        out.push(1);
        put_f64(out, count);
    }
}

/// Reads the encodings front to back; every read fails with [`DecodeError::Truncated`] past the end.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, position: 0 }
    }

    pub(crate) fn position(&self) -> usize {
        self.position
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.position)
    }

    pub(crate) fn byte(&mut self) -> Result<u8, DecodeError> {
        let byte = *self.bytes.get(self.position).ok_or(DecodeError::Truncated)?;
        self.position += 1;
        Ok(byte)
    }

    pub(crate) fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(DecodeError::VarintOverflow);
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::VarintOverflow)
    }

    pub(crate) fn f64(&mut self) -> Result<f64, DecodeError> {
        let end = self.position.checked_add(8).ok_or(DecodeError::Truncated)?;
        let bytes = self.bytes.get(self.position..end).ok_or(DecodeError::Truncated)?;
        let mut array = [0u8; 8];
        array.copy_from_slice(bytes);
        self.position = end;
        Ok(f64::from_le_bytes(array))
    }

    /// A count as [`put_count`] writes it; the caller checks its range.
    pub(crate) fn count(&mut self) -> Result<f64, DecodeError> {
        match self.varint()? {
            1 => self.f64(),
            raw if raw & 1 == 0 => Ok((raw >> 1) as f64),
            _ => Err(DecodeError::InvalidCount),
        }
    }
}

/// The exact form: tag, varint entry count, then each `(f64 value, count)`; or, when every value is an exact
/// decimal at one scale and that is shorter, the decimal form: [`TAG_EXACT_DECIMAL`], the varint entry count, the
/// scale byte, the first value's integer as a zigzag varint and each next one's as a varint step up (the values
/// ascend), each followed by its count; [`TAG_EXACT_DECIMAL_ONES`] is the same without the counts, every one 1. A
/// roll-up's five-minute summaries are mostly these forms (issue 15).
pub(super) fn encode_exact(entries: &[(f64, f64)], out: &mut Vec<u8>) {
    if let Some((scale, integers)) = decimals(entries) {
        let ones = entries.iter().all(|&(_, count)| count == 1.0);
        out.push(if ones { TAG_EXACT_DECIMAL_ONES } else { TAG_EXACT_DECIMAL });
        put_varint(out, entries.len() as u64);
        out.push(scale);
        let mut previous = None;
        for (&(_, count), &integer) in entries.iter().zip(&integers) {
            match previous {
                None => put_varint(out, zigzag(integer)),
                Some(previous) => put_varint(out, integer.abs_diff(previous)),
            }
            previous = Some(integer);
            if !ones {
                put_count(out, count);
            }
        }
        return;
    }
    out.push(TAG_EXACT);
    put_varint(out, entries.len() as u64);
    for &(value, count) in entries {
        put_f64(out, value);
        put_count(out, count);
    }
}

/// Largest integer of the decimal form: every integer up to it is an exact `f64`.
const MAX_DECIMAL_INTEGER: i64 = 1 << 53;

fn varint_len(value: u64) -> usize {
    (64 - value.leading_zeros() as usize).max(1).div_ceil(7)
}

/// The one scale at which every value is `integer / 10^scale` bit for bit, and the integers, when the decimal form
/// is shorter than eight bytes a value.
fn decimals(entries: &[(f64, f64)]) -> Option<(u8, [i64; EXACT_LIMIT])> {
    let mut integers = [0i64; EXACT_LIMIT];
    let (mut scale, mut settled) = (0, 0);
    for (i, &(value, _)) in entries.iter().enumerate() {
        let (found, integer) = decimal::find_decimal(value, value.to_bits(), scale)?;
        if found != scale {
            // The entries before this one were found at a smaller scale.
            (scale, settled) = (found, i);
        }
        *integers.get_mut(i)? = integer;
    }
    for (slot, &(value, _)) in integers.iter_mut().zip(&entries[..settled]) {
        *slot = decimal::decimal_at(value, value.to_bits(), scale)?;
    }
    let integers_used = &integers[..entries.len()];
    if integers_used.iter().any(|k| k.unsigned_abs() > MAX_DECIMAL_INTEGER as u64) {
        return None;
    }
    let steps: usize = integers_used.windows(2).map(|pair| varint_len(pair[1].abs_diff(pair[0]))).sum();
    let first = integers_used.first().map_or(0, |&k| varint_len(zigzag(k)));
    (1 + first + steps < 8 * entries.len()).then_some((scale, integers))
}

fn entry_count(reader: &mut Reader<'_>) -> Result<usize, DecodeError> {
    let len = reader.varint()?;
    if len == 0 || len > EXACT_LIMIT as u64 {
        return Err(DecodeError::TooManyEntries);
    }
    Ok(len as usize)
}

/// Appends a decoded entry: values finite and strictly ascending, counts positive and finite.
fn push_entry(entries: &mut Vec<(f64, f64)>, value: f64, count: f64) -> Result<(), DecodeError> {
    if !value.is_finite() {
        return Err(DecodeError::InvalidValue);
    }
    if entries.last().is_some_and(|&(previous, _)| previous >= value) {
        return Err(DecodeError::NotAscending);
    }
    if !super::is_positive_count(count) {
        return Err(DecodeError::InvalidCount);
    }
    entries.push((value, count));
    Ok(())
}

/// Reads the exact form after its tag: 1..=EXACT_LIMIT entries, values finite and strictly ascending, counts
/// positive and finite.
pub(super) fn decode_exact(reader: &mut Reader<'_>) -> Result<Vec<(f64, f64)>, DecodeError> {
    let len = entry_count(reader)?;
    let mut entries: Vec<(f64, f64)> = Vec::with_capacity(len);
    for _ in 0..len {
        let value = reader.f64()? + 0.0;
        let count = reader.count()?;
        push_entry(&mut entries, value, count)?;
    }
    Ok(entries)
}

/// Reads a decimal exact form after its tag (`ones`: [`TAG_EXACT_DECIMAL_ONES`]), with the same checks.
pub(super) fn decode_exact_decimal(reader: &mut Reader<'_>, ones: bool) -> Result<Vec<(f64, f64)>, DecodeError> {
    let len = entry_count(reader)?;
    let scale = reader.byte()?;
    if scale > decimal::MAX_SCALE {
        return Err(DecodeError::InvalidValue);
    }
    let mut entries: Vec<(f64, f64)> = Vec::with_capacity(len);
    let mut integer = 0i64;
    for i in 0..len {
        let raw = reader.varint()?;
        integer = if i == 0 {
            unzigzag(raw)
        } else {
            i64::try_from(raw).ok().and_then(|step| integer.checked_add(step)).ok_or(DecodeError::InvalidValue)?
        };
        if integer.unsigned_abs() > MAX_DECIMAL_INTEGER as u64 {
            return Err(DecodeError::InvalidValue);
        }
        let value = integer as f64 / decimal::pow10(scale) + 0.0;
        let count = if ones { 1.0 } else { reader.count()? };
        push_entry(&mut entries, value, count)?;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_counts_round_trip() {
        let mut out = Vec::new();
        let varints = [0, 1, 127, 128, 300, u64::MAX >> 1, u64::MAX];
        for v in varints {
            put_varint(&mut out, v);
        }
        let counts = [0.0, 1.0, 2.0, 0.5, 1e20, MAX_VARINT_COUNT, 1.5e-300];
        for c in counts {
            put_count(&mut out, c);
        }
        let mut reader = Reader::new(&out);
        for v in varints {
            assert_eq!(reader.varint(), Ok(v));
        }
        for c in counts {
            assert_eq!(reader.count(), Ok(c));
        }
        assert_eq!(reader.remaining(), 0);
        assert_eq!(reader.byte(), Err(DecodeError::Truncated));
    }

    #[test]
    fn overlong_varints_fail() {
        assert_eq!(Reader::new(&[0xff; 11]).varint(), Err(DecodeError::VarintOverflow));
        let mut too_big = vec![0xff; 9];
        too_big.push(0x02);
        assert_eq!(Reader::new(&too_big).varint(), Err(DecodeError::VarintOverflow));
    }

    #[test]
    fn zigzag_round_trips() {
        for v in [0, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }

    #[test]
    fn small_counts_take_one_byte() {
        let mut out = Vec::new();
        put_count(&mut out, 1.0);
        assert_eq!(out, [2]);
    }
}
