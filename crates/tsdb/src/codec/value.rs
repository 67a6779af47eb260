//! Value coding: Gorilla's XOR with the previous value (reusing the leading/trailing-zero window) for arbitrary
//! floats, and a decimal mode for values that are exact decimals (`k / 10^scale`, integers being scale 0),
//! which codes the change of `k` in an adaptive bit width. Encoder and decoder share the state here.

use super::bits::{BitReader, BitWriter, unzigzag, zigzag};
use super::decimal::{decimal_at, find_decimal, pow10, predict};

/// Bits of a scale field (scales are `0..=15`).
const SCALE_BITS: u32 = 4;
/// Bits of a width field (width - 1).
const WIDTH_BITS: u32 = 6;
/// The width a chunk starts with.
const INITIAL_WIDTH: u32 = 8;

/// The 12 control bits that no XOR window uses (leading 63 + length 64 > 64): switch to decimal mode.
const DECIMAL_ESCAPE: u64 = 0xFFF;
const CONTROL_BITS: u32 = 12;
/// Decimal mode is kept for exact decimals unless a change takes more bits than this and XOR fewer (large
/// values changing in few bits).
const XOR_PRICING_BITS: u32 = 40;
/// Widest change from the previous value for which an exact decimal switches to decimal mode.
const MAX_ESCAPE_WIDTH: u32 = 52;
/// After this many consecutive decimal changes whose `k` ends in 0, the encoder drops one digit of scale.
const DOWNSHIFT_RUN: u32 = 16;
/// After this many consecutive changes that fit in two bits less than the width, the encoder narrows it.
const NARROW_RUN: u32 = 16;

/// What a value code was; the encoder's heuristic state is replayed from it when resuming a chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueCode {
    Repeat,
    /// A change of `k`, zigzagged; `resized` if it set a new width.
    DecimalDelta {
        code: u64,
        resized: bool,
    },
    DecimalEscape,
    XorReuse,
    XorWindow,
}

/// The previous value and the coding mode. Starts in decimal mode at scale 0 with previous value 0.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ValueState {
    /// Bits of the previous value.
    bits: u64,
    decimal: bool,
    /// Decimal mode: the previous value is `k / 10^scale`, changes of `k` take `width` bits.
    scale: u8,
    k: i64,
    width: u32,
    /// XOR mode: the window of meaningful bits, as leading zeros and length.
    lead: u32,
    len: u32,
    /// Encoder heuristics (replayed on resume): consecutive decimal changes whose `k` ends in 0; consecutive
    /// changes that fit in `width - 2` bits, and the widest of them.
    zeros: u32,
    narrow_run: u32,
    narrow_max: u32,
}

impl Default for ValueState {
    fn default() -> Self {
        Self {
            bits: 0,
            decimal: true,
            scale: 0,
            k: 0,
            width: INITIAL_WIDTH,
            lead: 0,
            len: 64,
            zeros: 0,
            narrow_run: 0,
            narrow_max: 0,
        }
    }
}

/// Meaningful bits of a nonzero XOR: (leading zeros, length).
#[inline(always)]
fn window_of(xor: u64) -> (u32, u32) {
    let lead = xor.leading_zeros();
    (lead, 64 - lead - xor.trailing_zeros())
}

/// Significant bits of a nonzero number.
#[inline(always)]
fn width_of(code: u64) -> u32 {
    64 - code.leading_zeros()
}

impl ValueState {
    /// Bits of the prefix before the control bits: `11` in XOR mode, `111` in decimal mode.
    #[inline(always)]
    fn control_prefix_len(&self) -> u32 {
        if self.decimal { 3 } else { 2 }
    }

    pub(crate) fn encode(&mut self, out: &mut BitWriter, value: f64) {
        let bits = value.to_bits();
        if bits == self.bits {
            out.write(0, 1);
        } else if self.decimal {
            self.encode_decimal(out, value, bits);
        } else {
            self.encode_xor(out, value, bits);
        }
    }

    #[inline(always)]
    fn encode_decimal(&mut self, out: &mut BitWriter, value: f64, bits: u64) {
        let Some(k) = decimal_at(value, bits, self.scale) else {
            // Exact at a smaller scale means exact at this one, so only larger scales can do.
            return self.escape(out, value, bits, self.scale + 1);
        };
        if self.zeros >= DOWNSHIFT_RUN
            && self.scale > 0
            && k % 10 == 0
            && let Some(smaller) = decimal_at(value, bits, self.scale - 1)
        {
            return self.write_decimal_escape(out, bits, self.scale - 1, smaller);
        }
        let code = zigzag(k.wrapping_sub(self.k));
        let needed = width_of(code);
        let resize = if needed > self.width {
            Some(needed)
        } else if self.narrow_run >= NARROW_RUN && needed + 2 <= self.width {
            Some(self.narrow_max.max(needed))
        } else {
            None
        };
        let cost = match resize {
            None => 2 + self.width,
            Some(width) => 3 + WIDTH_BITS + width,
        };
        if cost > XOR_PRICING_BITS && cost > self.control_prefix_len() + CONTROL_BITS + window_of(bits ^ self.bits).1 {
            return self.write_window(out, bits);
        }
        match resize {
            None if self.width <= 62 => out.write((0b10 << self.width) | code, 2 + self.width),
            None => {
                out.write(0b10, 2);
                out.write(code, self.width);
            }
            Some(width) => {
                out.write((0b110 << WIDTH_BITS) | u64::from(width - 1), 3 + WIDTH_BITS);
                out.write(code, width);
                self.width = width;
            }
        }
        self.bits = bits;
        self.k = k;
        self.after_delta(code, resize.is_some());
    }

    #[inline(always)]
    fn encode_xor(&mut self, out: &mut BitWriter, value: f64, bits: u64) {
        let xor = bits ^ self.bits;
        let trail = 64 - self.lead - self.len;
        if xor.leading_zeros() >= self.lead && xor.trailing_zeros() >= trail {
            let meaningful = xor >> trail;
            if self.len <= 62 {
                out.write((0b10 << self.len) | meaningful, 2 + self.len);
            } else {
                out.write(0b10, 2);
                out.write(meaningful, self.len);
            }
            self.bits = bits;
            return;
        }
        self.escape(out, value, bits, 0);
    }

    /// The value needs a control code: decimal mode at the smallest scale from `from` on if the value is an
    /// exact decimal not too far from the previous one (later changes are likely cheaper than XOR's), else a
    /// new XOR window.
    #[cold]
    fn escape(&mut self, out: &mut BitWriter, value: f64, bits: u64, from: u8) {
        if let Some((scale, k)) = find_decimal(value, bits, from)
            && width_of(zigzag(k.wrapping_sub(predict(self.bits, scale)))) <= MAX_ESCAPE_WIDTH
        {
            return self.write_decimal_escape(out, bits, scale, k);
        }
        self.write_window(out, bits);
    }

    fn write_control(&self, out: &mut BitWriter, control: u64) {
        let prefix_len = self.control_prefix_len();
        let prefix = (1u64 << prefix_len) - 1;
        out.write((prefix << CONTROL_BITS) | control, prefix_len + CONTROL_BITS);
    }

    fn write_decimal_escape(&mut self, out: &mut BitWriter, bits: u64, scale: u8, k: i64) {
        let code = zigzag(k.wrapping_sub(predict(self.bits, scale)));
        // A zero change still takes one bit.
        let width = width_of(code).max(1);
        self.write_control(out, DECIMAL_ESCAPE);
        out.write((u64::from(scale) << WIDTH_BITS) | u64::from(width - 1), SCALE_BITS + WIDTH_BITS);
        out.write(code, width);
        *self = Self { bits, decimal: true, scale, k, ..*self };
        self.after_escape();
    }

    fn write_window(&mut self, out: &mut BitWriter, bits: u64) {
        let xor = bits ^ self.bits;
        let (lead, len) = window_of(xor);
        let trail = 64 - lead - len;
        self.write_control(out, u64::from((lead << 6) | (len - 1)));
        out.write(xor >> trail, len);
        *self = Self { bits, decimal: false, lead, len, ..*self };
        self.after_escape();
    }

    /// Heuristic state after a decimal change (`code`, zigzagged) written in the width now current.
    #[inline(always)]
    fn after_delta(&mut self, code: u64, resized: bool) {
        self.zeros = if self.scale > 0 && self.k % 10 == 0 { self.zeros + 1 } else { 0 };
        let needed = width_of(code);
        if !resized && needed + 2 <= self.width {
            self.narrow_run += 1;
            self.narrow_max = self.narrow_max.max(needed);
        } else {
            self.narrow_run = 0;
            self.narrow_max = 0;
        }
    }

    fn after_escape(&mut self) {
        self.zeros = 0;
        self.narrow_run = 0;
        self.narrow_max = 0;
    }

    /// Updates the encoder-only heuristic state after decoding `code`, so that an encoder resumed from decoded
    /// state writes what the original would have.
    pub(crate) fn replay(&mut self, code: ValueCode) {
        match code {
            ValueCode::Repeat | ValueCode::XorReuse => {}
            ValueCode::DecimalDelta { code, resized } => self.after_delta(code, resized),
            ValueCode::DecimalEscape | ValueCode::XorWindow => self.after_escape(),
        }
    }

    /// Decodes one value code; the value is then [`Self::value`].
    #[inline(always)]
    pub(crate) fn decode(&mut self, reader: &mut BitReader<'_>) -> Result<ValueCode, &'static str> {
        let window = reader.window();
        if window >> 63 == 0 {
            reader.skip(1);
            return Ok(ValueCode::Repeat);
        }
        if window >> 62 == 0b10 {
            if self.decimal {
                let code = if self.width <= 55 {
                    reader.skip(2 + self.width);
                    (window << 2) >> (64 - self.width)
                } else {
                    reader.skip(2);
                    reader.read_wide(self.width)
                };
                self.add_delta(code);
                return Ok(ValueCode::DecimalDelta { code, resized: false });
            }
            let trail = 64 - self.lead - self.len;
            let meaningful = if self.len <= 55 {
                reader.skip(2 + self.len);
                (window << 2) >> (64 - self.len)
            } else {
                reader.skip(2);
                reader.read_wide(self.len)
            };
            self.bits ^= meaningful << trail;
            return Ok(ValueCode::XorReuse);
        }
        let (state, after, code) = self.decode_rare(*reader, window)?;
        *self = state;
        *reader = after;
        Ok(code)
    }

    #[inline(always)]
    fn add_delta(&mut self, code: u64) {
        self.k = self.k.wrapping_add(unzigzag(code));
        self.bits = (self.k as f64 / pow10(self.scale)).to_bits();
    }

    /// Codes starting `11`: a decimal change with a new width, a new XOR window, a switch to decimal mode. By
    /// value, to keep callers' state out of memory.
    #[inline(never)]
    fn decode_rare<'a>(
        mut self,
        mut reader: BitReader<'a>,
        window: u64,
    ) -> Result<(Self, BitReader<'a>, ValueCode), &'static str> {
        let code = self.decode_control(&mut reader, window)?;
        Ok((self, reader, code))
    }

    #[inline(always)]
    fn decode_control(&mut self, reader: &mut BitReader<'_>, window: u64) -> Result<ValueCode, &'static str> {
        if self.decimal && window >> 61 == 0b110 {
            self.width = ((window >> (61 - WIDTH_BITS)) & 63) as u32 + 1;
            reader.skip(3 + WIDTH_BITS);
            let code = reader.read_wide(self.width);
            self.add_delta(code);
            return Ok(ValueCode::DecimalDelta { code, resized: true });
        }
        let prefix_len = self.control_prefix_len();
        reader.skip(prefix_len);
        let control = reader.read(CONTROL_BITS);
        if control == DECIMAL_ESCAPE {
            let fields = reader.read(SCALE_BITS + WIDTH_BITS);
            let scale = (fields >> WIDTH_BITS) as u8;
            let code = reader.read_wide((fields & 63) as u32 + 1);
            self.decimal = true;
            self.scale = scale;
            self.k = predict(self.bits, scale).wrapping_add(unzigzag(code));
            self.bits = (self.k as f64 / pow10(scale)).to_bits();
            return Ok(ValueCode::DecimalEscape);
        }
        let lead = (control >> 6) as u32;
        let len = (control & 63) as u32 + 1;
        if lead + len > 64 {
            return Err("invalid XOR window");
        }
        self.bits ^= reader.read_wide(len) << (64 - lead - len);
        self.decimal = false;
        self.lead = lead;
        self.len = len;
        Ok(ValueCode::XorWindow)
    }

    #[inline(always)]
    pub(crate) fn value(&self) -> f64 {
        f64::from_bits(self.bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(values: &[f64]) -> (ValueState, BitWriter) {
        let mut state = ValueState::default();
        let mut out = BitWriter::default();
        for &value in values {
            state.encode(&mut out, value);
        }
        (state, out)
    }

    /// Round-trips `values`, checking that replaying the decoded codes restores the encoder's state; returns
    /// the bits taken.
    fn round_trip(values: &[f64]) -> usize {
        let (encoder, out) = encode(values);
        let mut bytes = Vec::new();
        out.append_to(&mut bytes);
        let mut reader = BitReader::new(&bytes);
        let mut decoded = ValueState::default();
        for (i, &value) in values.iter().enumerate() {
            let code = decoded.decode(&mut reader);
            assert!(code.is_ok(), "{code:?} at {i}");
            if let Ok(code) = code {
                decoded.replay(code);
            }
            assert_eq!(decoded.value().to_bits(), value.to_bits(), "value {i}: {value}");
        }
        assert_eq!(reader.pos(), out.bit_len());
        assert_eq!(decoded, encoder);
        out.bit_len()
    }

    #[test]
    fn special_values_round_trip() {
        let nan_payload = f64::from_bits(0x7FF8_0000_0000_1234);
        round_trip(&[
            0.0,
            -0.0,
            f64::NAN,
            nan_payload,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0,
            -1.0,
            0.1,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::MIN,
            9.007_199_254_740_993e15,
            1e300,
            123.456,
            123.456,
            -0.0,
            0.0,
            4e18,
            -4e18,
            4e18,
        ]);
    }

    #[test]
    fn decimals_use_decimal_mode() {
        let values: Vec<f64> = (0..100).map(|i| f64::from(4000 + (i * 37) % 200) / 100.0).collect();
        let bits = round_trip(&values);
        assert!(bits < 100 * 12, "{bits} bits");
    }

    #[test]
    fn one_long_decimal_does_not_inflate_the_scale_for_good() {
        let mut values: Vec<f64> = vec![12.5, 12.123456];
        values.extend((0..200).map(|i| f64::from(1000 + i % 7) / 100.0));
        let (state, _) = encode(&values);
        assert!(state.decimal);
        assert_eq!(state.scale, 2);
        round_trip(&values);
    }

    #[test]
    fn the_width_follows_the_changes() {
        let mut values: Vec<f64> = (0..100).map(|i| f64::from(1000 + (i * 7) % 13)).collect();
        values.push(1_000_000.0);
        values.extend((0..100).map(|i| f64::from(1000 + (i * 7) % 13)));
        let (state, _) = encode(&values);
        assert!(state.width <= 6, "width {}", state.width);
        round_trip(&values);
    }
}
