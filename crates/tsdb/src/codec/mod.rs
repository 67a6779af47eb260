//! Compressed chunks of metric points, Gorilla-style (as in Facebook's Gorilla paper and Prometheus' XOR
//! chunks): a point is a millisecond timestamp, an `f64` value and, rarely, an opaque `extra` byte string (the
//! engine's encoded summary). [`ChunkEncoder`] appends points in any order and snapshots the open chunk;
//! [`decode`] iterates a chunk's points in push order; [`header`] reads the point count and timestamp range
//! without decoding.
//!
//! # Chunk format, version 1
//!
//! ```text
//! offset  size  field
//! 0       1     format version = 1
//! 1       4     count: points, u32 little-endian
//! 5       8     min timestamp ms, i64 LE (i64::MAX when empty)
//! 13      8     max timestamp ms, i64 LE (i64::MIN when empty)
//! 21      4     stream_bits: bit length of the stream, u32 LE
//! 25      ⌈stream_bits/8⌉  bit stream, MSB first, last byte zero-padded
//! ...     rest  extras: for each point that has one, in point order, a LEB128 length then the bytes
//! ```
//!
//! The bit stream holds, per point: `[extra marker] [unit switch] timestamp-code value-code`. There is no
//! checksum: the store below is trusted for integrity; the decoder only guarantees not to panic or allocate.
//!
//! **Bucket code** `B(w0..w5)` of an unsigned number: bucket `i < 5` is `i` one bits, a zero bit and `wi` bits
//! of the number; bucket 5 is `11111` and 64 bits. The smallest bucket that fits is used.
//!
//! **Timestamp code**: timestamps count in a unit, minutes (60,000 ms) at the chunk's start. With `prev` and
//! `prev_delta` starting at 0, `t = ts / unit`, `delta = t - prev`, `dod = delta - prev_delta` (wrapping `i64`
//! arithmetic), written as `B(0, 2, 7, 13, 32, 64)` of `zigzag(dod)`; then `prev = t` and `prev_delta =
//! delta`, except that `prev_delta = 0` after the first point. So the first point's code is its timestamp, the
//! second's its delta, and a regular series then costs 1 bit (`0`) per timestamp; ±1 unit of jitter costs 4.
//!
//! **Unit switch**: `110` + `0000000` (bucket 2 holding zigzag 0, unused since it fits bucket 0) and one bit,
//! 0 for seconds, 1 for milliseconds (finer than the current unit), before the timestamp code of the first
//! point that is not a whole number of the current unit. `prev` and `prev_delta` are multiplied by the ratio of
//! the units.
//!
//! **Extra marker**: `10` + `00` (bucket 1 holding zigzag 0) before a point's unit switch and timestamp code
//! says the point has the next extra of the extras area. Points without an extra pay nothing.
//!
//! **Value code**: the state starts in decimal mode, scale 0, `k = 0`, width 8, previous value 0.0.
//! - `0`: same bits as the previous value (both modes).
//! - Decimal mode, where the previous value is `k / 10^scale`; a value is `(k as f64) / 10^scale` (one `f64`
//!   division, correctly rounded, so the same on every IEEE 754 machine):
//!   - `10` + `width` bits: `zigzag` of the change of `k`.
//!   - `110` + 6 bits `w - 1` + `w` bits: the same with a new width `w`, kept for the next changes.
//!   - `111` + 12 control bits, see below.
//! - XOR mode (Gorilla):
//!   - `10` + `len` bits: XOR with the previous bits, shifted left by `64 - lead - len` (the current window).
//!   - `11` + 12 control bits, see below.
//! - Control bits `lead` (6) and `len - 1` (6) with `lead + len <= 64`: XOR with a new window, `len` bits
//!   follow; switches to XOR mode.
//! - Control bits all ones (the window that cannot be): 4 bits `scale`, 6 bits `w - 1`, then `w` bits of
//!   `zigzag(k - ((prev * 10^scale) as i64))` (a saturating cast): switches to decimal mode at `scale` (the
//!   width stays).
//!
//! The encoder uses decimal mode whenever a value is exactly `k / 10^scale` (checked bit for bit through the
//! same division the decoder does; integers are scale 0), unless a change would take over 40 bits and XOR
//! fewer. It widens the width to fit a change, narrows it after 16 changes in a row fit two bits less, and
//! lowers the scale after 16 changes in a row whose `k` ends in 0. These choices are the encoder's alone: any
//! sequence of codes decodes, and [`ChunkEncoder::from_chunk`] replays them to resume with identical state.

mod bits;
pub(crate) mod decimal;
mod decoder;
mod encoder;
mod header;
mod timestamp;
mod value;

pub use decoder::{ChunkIter, Point, decode};
pub use encoder::{ChunkEncoder, MAX_POINTS};
pub use header::{ChunkHeader, FORMAT_VERSION, HEADER_LEN, header};

/// Why a chunk could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("chunk of {len} bytes is truncated: {needed} bytes needed")]
    Truncated { needed: usize, len: usize },
    #[error("unsupported chunk format version {0}")]
    UnsupportedVersion(u8),
    #[error("invalid chunk header: {0}")]
    InvalidHeader(&'static str),
    #[error("corrupt chunk at point {point}: {reason}")]
    Corrupt { point: u32, reason: &'static str },
}
