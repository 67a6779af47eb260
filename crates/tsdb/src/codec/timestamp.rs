//! Timestamp coding: the delta of the delta from the previous point, zigzag-mapped into size buckets, counted
//! in the coarsest unit (minute, second, millisecond) that every timestamp so far is a whole number of; plus
//! the markers for a point carrying an extra and for a switch to a finer unit.

use super::bits::{BitReader, BitWriter, Buckets, unzigzag, zigzag};

/// Payload widths of the timestamp buckets: a delta-of-delta of 0 costs one bit, of ±1 unit four.
pub(crate) const TS_BUCKETS: Buckets = Buckets::new([0, 2, 7, 13, 32, 64]);

/// Bucket 1 holding zigzag 0, which no delta-of-delta uses (0 has bucket 0): `10` + `00`.
const EXTRA_MARKER: u64 = 0b10_00;
const EXTRA_MARKER_LEN: u32 = 4;
/// Bucket 2 holding zigzag 0: `110` + seven zeros, then one bit: 0 for seconds, 1 for milliseconds.
const UNIT_MARKER: u64 = 0b110 << 7;
const UNIT_MARKER_LEN: u32 = 10;

const MINUTE: i64 = 60_000;
const SECOND: i64 = 1_000;

/// The previous timestamp and delta, in `unit` milliseconds. A chunk starts in minutes with both at 0, so the
/// first point's code is its timestamp itself; the delta is reset to 0 after the first point
/// ([`Self::after_first`]) so that the second codes its delta.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TsState {
    prev: i64,
    delta: i64,
    unit: i64,
}

impl Default for TsState {
    fn default() -> Self {
        Self { prev: 0, delta: 0, unit: MINUTE }
    }
}

/// What a timestamp code decoded to.
pub(crate) enum TsCode {
    Timestamp(i64),
    ExtraMarker,
    /// The unit got finer; the timestamp code follows.
    UnitSwitch,
}

/// `timestamp_ms / unit` if exact.
#[inline(always)]
fn whole(timestamp_ms: i64, unit: i64) -> Option<i64> {
    let units = timestamp_ms / unit;
    (units * unit == timestamp_ms).then_some(units)
}

impl TsState {
    #[inline(always)]
    pub(crate) fn encode(&mut self, out: &mut BitWriter, timestamp_ms: i64) {
        // Constant divisors, so no division instruction.
        let units = match self.unit {
            MINUTE => whole(timestamp_ms, MINUTE),
            SECOND => whole(timestamp_ms, SECOND),
            _ => Some(timestamp_ms),
        };
        let units = match units {
            Some(units) => units,
            None => self.switch_unit(out, timestamp_ms),
        };
        let delta = units.wrapping_sub(self.prev);
        let code = zigzag(delta.wrapping_sub(self.delta));
        self.prev = units;
        self.delta = delta;
        if code == 0 {
            out.write(0, 1);
        } else {
            TS_BUCKETS.write(out, code, TS_BUCKETS.bucket(code));
        }
    }

    /// Writes the switch to the coarsest unit `timestamp_ms` is whole in, returning it in that unit.
    #[cold]
    fn switch_unit(&mut self, out: &mut BitWriter, timestamp_ms: i64) -> i64 {
        let unit = if self.unit == MINUTE && timestamp_ms % SECOND == 0 { SECOND } else { 1 };
        out.write((UNIT_MARKER << 1) | u64::from(unit == 1), UNIT_MARKER_LEN + 1);
        self.rescale(unit);
        timestamp_ms / unit
    }

    fn rescale(&mut self, unit: i64) {
        let ratio = self.unit / unit;
        self.prev = self.prev.wrapping_mul(ratio);
        self.delta = self.delta.wrapping_mul(ratio);
        self.unit = unit;
    }

    /// Called after the first point's code, by encoder and decoder alike.
    #[inline(always)]
    pub(crate) fn after_first(&mut self) {
        self.delta = 0;
    }

    #[inline(always)]
    pub(crate) fn encode_extra_marker(out: &mut BitWriter) {
        out.write(EXTRA_MARKER, EXTRA_MARKER_LEN);
    }

    /// Decodes one code: a timestamp, or a marker that precedes the point's timestamp code.
    #[inline(always)]
    pub(crate) fn decode(&mut self, reader: &mut BitReader<'_>) -> Result<TsCode, &'static str> {
        let window = reader.window();
        let dod = if window >> 63 == 0 {
            reader.skip(1);
            0
        } else {
            if window >> (64 - EXTRA_MARKER_LEN) == EXTRA_MARKER {
                reader.skip(EXTRA_MARKER_LEN);
                return Ok(TsCode::ExtraMarker);
            }
            if window >> (64 - UNIT_MARKER_LEN) == UNIT_MARKER {
                reader.skip(UNIT_MARKER_LEN + 1);
                *self = self.unit_switched(window)?;
                return Ok(TsCode::UnitSwitch);
            }
            unzigzag(TS_BUCKETS.read(reader, window))
        };
        self.delta = self.delta.wrapping_add(dod);
        self.prev = self.prev.wrapping_add(self.delta);
        Ok(TsCode::Timestamp(self.prev.wrapping_mul(self.unit)))
    }

    /// The state after the unit switch whose code starts `window` (by value, to keep callers' state out of
    /// memory).
    #[cold]
    #[inline(never)]
    fn unit_switched(mut self, window: u64) -> Result<Self, &'static str> {
        let unit = if (window >> (63 - UNIT_MARKER_LEN)) & 1 == 1 { 1 } else { SECOND };
        if unit >= self.unit {
            return Err("timestamp unit switch to a unit not finer");
        }
        self.rescale(unit);
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(timestamps: &[i64], extra_at: Option<usize>) -> usize {
        let mut state = TsState::default();
        let mut out = BitWriter::default();
        for (i, &ts) in timestamps.iter().enumerate() {
            if extra_at == Some(i) {
                TsState::encode_extra_marker(&mut out);
            }
            state.encode(&mut out, ts);
            if i == 0 {
                state.after_first();
            }
        }
        let mut bytes = Vec::new();
        out.append_to(&mut bytes);
        let mut reader = BitReader::new(&bytes);
        let mut decoded = TsState::default();
        for (i, &ts) in timestamps.iter().enumerate() {
            let mut markers = 0;
            loop {
                match decoded.decode(&mut reader) {
                    Ok(TsCode::Timestamp(got)) => break assert_eq!(got, ts, "timestamp {i}"),
                    Ok(TsCode::ExtraMarker) => assert_eq!(extra_at, Some(i)),
                    Ok(TsCode::UnitSwitch) => {}
                    Err(error) => panic!("{error} at {i}"),
                }
                markers += 1;
                assert!(markers <= 2);
            }
            if i == 0 {
                decoded.after_first();
            }
        }
        assert_eq!(decoded, state);
        assert_eq!(reader.pos(), out.bit_len());
        out.bit_len()
    }

    #[test]
    fn regular_series_cost_one_bit_per_point_after_the_second() {
        // Minute-aligned: the first point 37 bits (its timestamp in minutes), the second 4 (delta 1).
        let start = 1_700_000_040_000i64 / MINUTE * MINUTE;
        let minutes: Vec<i64> = (0..1000).map(|i| start + i * 60_000).collect();
        assert_eq!(round_trip(&minutes, None), 37 + 4 + 998);
        // Second-aligned: a unit switch (11), the first point 37, the second 10 (delta 10 s).
        let seconds: Vec<i64> = (0..1000).map(|i| start + 1000 + i * 10_000).collect();
        assert_eq!(round_trip(&seconds, None), 11 + 37 + 10 + 998);
        // Millisecond: a unit switch (11), the first point 69, the second 37.
        let millis: Vec<i64> = (0..1000).map(|i| start + 7 + i * 60_000).collect();
        assert_eq!(round_trip(&millis, None), 11 + 69 + 37 + 998);
    }

    #[test]
    fn a_missed_minute_costs_eight_bits() {
        let start = 1_700_000_040_000i64 / MINUTE * MINUTE;
        let with_gap: Vec<i64> = (0..100).filter(|&i| i != 50).map(|i| start + i * 60_000).collect();
        assert_eq!(round_trip(&with_gap, None), 37 + 4 + 95 + 4 + 4);
    }

    #[test]
    fn extremes_disorder_and_unit_switches_round_trip() {
        round_trip(&[i64::MAX, i64::MIN, 0, -1, 5, 5, 5, 1 << 40, -(1 << 50), i64::MIN, i64::MAX], Some(3));
        round_trip(&[10, 9, 8, 100_000, 7, 1 << 33], Some(0));
        round_trip(&[0, 60_000, -120_000, 1_000, 61_000, -3_000, 7, 8, 60_000], Some(4));
        round_trip(&[i64::MIN / MINUTE * MINUTE, i64::MAX / MINUTE * MINUTE, i64::MIN / SECOND * SECOND, 0, 1], None);
    }
}
