//! Bit-level I/O for chunks: an MSB-first writer that fills 64-bit words, a reader over 64-bit windows, zigzag
//! signed mapping, and the unary-prefixed bucket code that timestamps and decimal values share.

/// Appends bits MSB-first. Whole 64-bit words go to `bytes` big-endian; the remainder waits at the top of `acc`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    /// Bits held in `acc`, `0..=63`.
    used: u32,
}

impl BitWriter {
    /// Appends the low `n` bits of `value`, `1 <= n <= 64`; the bits of `value` above `n` must be zero.
    #[inline(always)]
    pub(crate) fn write(&mut self, value: u64, n: u32) {
        debug_assert!((1..=64).contains(&n) && (n == 64 || value >> n == 0));
        let free = 64 - self.used;
        if n < free {
            self.acc |= value << (free - n);
            self.used += n;
        } else {
            let spill = n - free;
            let word = self.acc | (value >> spill);
            self.bytes.extend_from_slice(&word.to_be_bytes());
            // `value << (64 - spill)`, written so that `spill == 0` gives 0 instead of overflowing.
            self.acc = (value << 1) << (63 - spill);
            self.used = spill;
        }
    }

    /// Number of bits written.
    #[inline]
    pub(crate) fn bit_len(&self) -> usize {
        self.bytes.len() * 8 + self.used as usize
    }

    /// Number of bytes [`Self::append_to`] appends: the bits, the last byte zero-padded.
    #[inline]
    pub(crate) fn byte_len(&self) -> usize {
        self.bit_len().div_ceil(8)
    }

    /// Appends the stream as bytes, the last one zero-padded.
    pub(crate) fn append_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bytes);
        let tail = self.used.div_ceil(8) as usize;
        out.extend(self.acc.to_be_bytes().iter().take(tail));
    }

    /// A writer holding the first `bit_len` bits of `stream` (bits past them are dropped), ready to append after
    /// them. `None` if `stream` holds fewer than `bit_len` bits.
    pub(crate) fn resume(stream: &[u8], bit_len: usize) -> Option<Self> {
        let whole = (bit_len / 64) * 8;
        let bytes = stream.get(..whole)?.to_vec();
        let used = (bit_len % 64) as u32;
        let rest = stream.get(whole..whole + (used as usize).div_ceil(8))?;
        let mut word = [0u8; 8];
        for (to, from) in word.iter_mut().zip(rest) {
            *to = *from;
        }
        let acc = if used == 0 { 0 } else { u64::from_be_bytes(word) & (u64::MAX << (64 - used)) };
        Some(Self { bytes, acc, used })
    }
}

/// Reads an MSB-first bit stream through 64-bit windows. Reading past the end yields zero bits and never panics;
/// callers compare [`Self::pos`] with the stream's length to detect an overrun.
///
/// Cold paths take and return readers by value so that a decoder's state is never borrowed by an out-of-line
/// call and stays in registers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> BitReader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    pub(crate) fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Bits consumed so far.
    #[inline(always)]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The next bits, first one at the top. At least 57 of the 64 are stream bits (the rest are zero or the
    /// bits after them).
    #[inline(always)]
    pub(crate) fn window(&self) -> u64 {
        let byte = self.pos >> 3;
        let word = match self.data.get(byte..byte + 8).and_then(|bytes| <[u8; 8]>::try_from(bytes).ok()) {
            Some(bytes) => u64::from_be_bytes(bytes),
            None => tail_word(self.data, byte),
        };
        word << (self.pos & 7)
    }

    #[inline(always)]
    pub(crate) fn skip(&mut self, n: u32) {
        self.pos += n as usize;
    }

    /// Reads `n` bits, `1 <= n <= 57`.
    #[inline(always)]
    pub(crate) fn read(&mut self, n: u32) -> u64 {
        debug_assert!((1..=57).contains(&n));
        let value = self.window() >> (64 - n);
        self.skip(n);
        value
    }

    /// Reads `n` bits, `1 <= n <= 64`.
    #[inline(always)]
    pub(crate) fn read_wide(&mut self, n: u32) -> u64 {
        if n <= 57 { self.read(n) } else { self.read_split(n) }
    }

    #[inline(always)]
    fn read_split(&mut self, n: u32) -> u64 {
        let high = self.read(32);
        (high << (n - 32)) | self.read(n - 32)
    }
}

/// The 8 bytes from `byte` on, zero past the end of `data`.
#[cold]
#[inline(never)]
fn tail_word(data: &[u8], byte: usize) -> u64 {
    let mut word = [0u8; 8];
    for (to, from) in word.iter_mut().zip(data.get(byte..).unwrap_or_default()) {
        *to = *from;
    }
    u64::from_be_bytes(word)
}

#[inline(always)]
pub(crate) fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

#[inline(always)]
pub(crate) fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// A code for unsigned numbers in six size buckets: bucket `i < 5` is `i` one bits, a zero bit, then
/// `BITS[i]` bits of the number; bucket 5 is five one bits then the 64-bit number.
pub(crate) struct Buckets {
    bits: [u32; 6],
    /// Bucket for a number with `n` significant bits, `n` in `0..=64`.
    by_width: [u8; 65],
}

impl Buckets {
    /// `bits` must grow strictly and end with 64.
    pub(crate) const fn new(bits: [u32; 6]) -> Self {
        let mut by_width = [0u8; 65];
        let mut width = 0;
        while width <= 64 {
            let mut bucket = 0;
            while bits[bucket] < width as u32 {
                bucket += 1;
            }
            by_width[width] = bucket as u8;
            width += 1;
        }
        Self { bits, by_width }
    }

    /// The bucket `value` goes in.
    #[inline(always)]
    pub(crate) fn bucket(&self, value: u64) -> usize {
        self.by_width[(64 - value.leading_zeros()) as usize] as usize
    }

    /// Writes `value`, which must fit its bucket.
    #[inline(always)]
    pub(crate) fn write(&self, out: &mut BitWriter, value: u64, bucket: usize) {
        if bucket < 5 {
            let prefix = (1u64 << (bucket + 1)) - 2;
            let bits = self.bits[bucket];
            out.write((prefix << bits) | value, prefix_len(bucket) + bits);
        } else {
            out.write(0b11111, 5);
            out.write(value, 64);
        }
    }

    /// Reads a number; `window` is [`BitReader::window`] at the code's start. All but the 64-bit bucket are
    /// decoded from `window` alone, without branches on the bucket.
    #[inline(always)]
    pub(crate) fn read(&self, reader: &mut BitReader<'_>, window: u64) -> u64 {
        let ones = ((!window).leading_zeros() as usize).min(5);
        if ones < 5 {
            let prefix = ones as u32 + 1;
            let bits = self.bits[ones];
            reader.skip(prefix + bits);
            // `>> (64 - bits)`, written so that `bits == 0` gives 0 instead of overflowing.
            ((window << prefix) >> 1) >> (63 - bits)
        } else {
            reader.skip(5);
            reader.read_wide(64)
        }
    }
}

#[inline(always)]
const fn prefix_len(bucket: usize) -> u32 {
    if bucket < 5 { bucket as u32 + 1 } else { 5 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_and_reader_agree_on_mixed_widths() {
        let fields: Vec<(u64, u32)> =
            (0..500u64).map(|i| (i.wrapping_mul(0x9E37_79B9_7F4A_7C15), (i % 64) as u32 + 1)).collect();
        let mut writer = BitWriter::default();
        for &(value, n) in &fields {
            let value = if n == 64 { value } else { value & ((1 << n) - 1) };
            writer.write(value, n);
        }
        let mut bytes = Vec::new();
        writer.append_to(&mut bytes);
        assert_eq!(bytes.len(), writer.byte_len());
        let mut reader = BitReader::new(&bytes);
        for &(value, n) in &fields {
            let value = if n == 64 { value } else { value & ((1 << n) - 1) };
            assert_eq!(reader.read_wide(n), value);
        }
        assert_eq!(reader.pos(), writer.bit_len());
        let resumed = BitWriter::resume(&bytes, writer.bit_len());
        assert_eq!(resumed.as_ref(), Some(&writer));
    }

    #[test]
    fn zigzag_round_trips_extremes() {
        for value in [0, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(value)), value);
        }
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
    }

    #[test]
    fn buckets_round_trip_every_width() {
        let buckets = Buckets::new([0, 7, 12, 20, 32, 64]);
        let mut writer = BitWriter::default();
        let values: Vec<u64> = (0..=64).map(|w| if w == 0 { 0 } else { u64::MAX >> (64 - w) }).collect();
        for &value in &values {
            writer.write(1, 1);
            buckets.write(&mut writer, value, buckets.bucket(value));
        }
        let mut bytes = Vec::new();
        writer.append_to(&mut bytes);
        let mut reader = BitReader::new(&bytes);
        for &value in &values {
            assert_eq!(reader.read(1), 1);
            let window = reader.window();
            assert_eq!(buckets.read(&mut reader, window), value);
        }
    }

    #[test]
    fn reading_past_the_end_gives_zeros() {
        let mut reader = BitReader::new(&[0xFF]);
        assert_eq!(reader.read(4), 0xF);
        assert_eq!(reader.read(8), 0xF0);
        assert_eq!(reader.read_wide(64), 0);
    }
}
