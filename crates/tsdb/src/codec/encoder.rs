//! Encoding: [`ChunkEncoder`] appends points to an open chunk, snapshots it as bytes without closing it, and
//! resumes from a persisted chunk.

use super::CodecError;
use super::bits::BitWriter;
use super::decoder::decode;
use super::header::{ChunkHeader, HEADER_LEN, write_header};
use super::timestamp::TsState;
use super::value::ValueState;

/// Most points one chunk holds (about 22 million). A point takes at most 173 bits (markers 15, timestamp 69,
/// value 89), so this keeps the stream's bit length within the header's `u32`.
pub const MAX_POINTS: usize = u32::MAX as usize / 192;

/// An open chunk: push points, take snapshots, keep pushing.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkEncoder {
    stream: BitWriter,
    /// Each extra as a LEB128 length and its bytes, in point order.
    extras: Vec<u8>,
    ts: TsState,
    value: ValueState,
    count: u32,
    min_timestamp_ms: i64,
    max_timestamp_ms: i64,
}

impl Default for ChunkEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ChunkEncoder {
    pub fn new() -> Self {
        Self {
            stream: BitWriter::default(),
            extras: Vec::new(),
            ts: TsState::default(),
            value: ValueState::default(),
            count: 0,
            min_timestamp_ms: i64::MAX,
            max_timestamp_ms: i64::MIN,
        }
    }

    /// Appends a point; any order of timestamps, duplicates included.
    ///
    /// # Panics
    /// If the chunk already holds [`MAX_POINTS`] points (see [`Self::is_full`]).
    #[inline]
    pub fn push(&mut self, timestamp_ms: i64, value: f64, extra: Option<&[u8]>) {
        assert!(!self.is_full(), "chunk already holds {MAX_POINTS} points");
        if let Some(extra) = extra {
            self.push_extra(extra);
        }
        self.ts.encode(&mut self.stream, timestamp_ms);
        if self.count == 0 {
            self.ts.after_first();
        }
        self.value.encode(&mut self.stream, value);
        self.count += 1;
        self.min_timestamp_ms = self.min_timestamp_ms.min(timestamp_ms);
        self.max_timestamp_ms = self.max_timestamp_ms.max(timestamp_ms);
    }

    #[cold]
    fn push_extra(&mut self, extra: &[u8]) {
        TsState::encode_extra_marker(&mut self.stream);
        let mut len = extra.len();
        while len >= 0x80 {
            self.extras.push((len as u8) | 0x80);
            len >>= 7;
        }
        self.extras.push(len as u8);
        self.extras.extend_from_slice(extra);
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether the chunk holds [`MAX_POINTS`] points and takes no more.
    pub fn is_full(&self) -> bool {
        self.count as usize >= MAX_POINTS
    }

    pub fn min_timestamp(&self) -> Option<i64> {
        (self.count > 0).then_some(self.min_timestamp_ms)
    }

    pub fn max_timestamp(&self) -> Option<i64> {
        (self.count > 0).then_some(self.max_timestamp_ms)
    }

    /// The header [`Self::snapshot`] writes.
    pub fn header(&self) -> ChunkHeader {
        ChunkHeader {
            count: self.count,
            min_timestamp_ms: self.min_timestamp_ms,
            max_timestamp_ms: self.max_timestamp_ms,
        }
    }

    /// Length of [`Self::snapshot`]'s bytes.
    pub fn encoded_len(&self) -> usize {
        HEADER_LEN + self.stream.byte_len() + self.extras.len()
    }

    /// A complete chunk of every point pushed so far; the encoder stays open.
    pub fn snapshot(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.snapshot_into(&mut out);
        out
    }

    /// [`Self::snapshot`], appended to `out`.
    pub fn snapshot_into(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        // MAX_POINTS keeps the bit length within u32.
        write_header(out, &self.header(), self.stream.bit_len() as u32);
        self.stream.append_to(out);
        out.extend_from_slice(&self.extras);
    }

    /// Reopens a persisted chunk to append to it: decodes it whole (an error if anything in it is corrupt) and
    /// restores the state, so that pushing on writes the same bytes as if the encoder had never been closed.
    pub fn from_chunk(bytes: &[u8]) -> Result<Self, CodecError> {
        let replayed = decode(bytes)?.replay()?;
        if replayed.header.count as usize > MAX_POINTS {
            return Err(CodecError::InvalidHeader("more points than a chunk holds"));
        }
        let stream = BitWriter::resume(replayed.stream, replayed.stream_bits)
            .ok_or(CodecError::Truncated { needed: HEADER_LEN + replayed.stream_bits.div_ceil(8), len: bytes.len() })?;
        Ok(Self {
            stream,
            extras: replayed.extras.to_vec(),
            ts: replayed.ts,
            value: replayed.value,
            count: replayed.header.count,
            min_timestamp_ms: replayed.min_timestamp_ms,
            max_timestamp_ms: replayed.max_timestamp_ms,
        })
    }
}
