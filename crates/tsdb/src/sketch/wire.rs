//! The byte-level pieces of the sketch and summary encodings: LEB128 varints, zigzag integers, counts (a varint
//! of twice the count when integral, else the byte 1 and an `f64`), little-endian `f64`s, the bounds-checked
//! [`Reader`] and the [`DecodeError`] every decode returns.

use super::EXACT_LIMIT;

pub(super) const TAG_EMPTY: u8 = 0;
pub(super) const TAG_EXACT: u8 = 1;
pub(super) const TAG_DENSE: u8 = 2;

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

/// The exact form: tag, varint entry count, then each `(f64 value, count)`.
pub(super) fn encode_exact(entries: &[(f64, f64)], out: &mut Vec<u8>) {
    out.push(TAG_EXACT);
    put_varint(out, entries.len() as u64);
    for &(value, count) in entries {
        put_f64(out, value);
        put_count(out, count);
    }
}

/// Reads the exact form after its tag: 1..=EXACT_LIMIT entries, values finite and strictly ascending, counts
/// positive and finite.
pub(super) fn decode_exact(reader: &mut Reader<'_>) -> Result<Vec<(f64, f64)>, DecodeError> {
    let len = reader.varint()?;
    if len == 0 || len > EXACT_LIMIT as u64 {
        return Err(DecodeError::TooManyEntries);
    }
    let mut entries: Vec<(f64, f64)> = Vec::with_capacity(len as usize);
    for _ in 0..len {
        let value = reader.f64()? + 0.0;
        if !value.is_finite() {
            return Err(DecodeError::InvalidValue);
        }
        if entries.last().is_some_and(|&(previous, _)| previous >= value) {
            return Err(DecodeError::NotAscending);
        }
        let count = reader.count()?;
        if !super::is_positive_count(count) {
            return Err(DecodeError::InvalidCount);
        }
        entries.push((value, count));
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
