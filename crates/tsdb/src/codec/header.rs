//! The chunk's fixed header: reading it cheaply and checking it against the chunk's length, and writing it.

use super::CodecError;

/// Version byte of the format this module writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// Bytes of the fixed header.
pub const HEADER_LEN: usize = 25;

/// What the header says, read without decoding points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkHeader {
    pub count: u32,
    /// Smallest timestamp in the chunk; `i64::MAX` for an empty chunk.
    pub min_timestamp_ms: i64,
    /// Largest timestamp in the chunk; `i64::MIN` for an empty chunk.
    pub max_timestamp_ms: i64,
}

impl ChunkHeader {
    /// Whether the chunk may hold points in `start_ms..=end_ms`.
    pub fn overlaps(&self, start_ms: i64, end_ms: i64) -> bool {
        self.count > 0 && self.min_timestamp_ms <= end_ms && self.max_timestamp_ms >= start_ms
    }
}

/// A chunk split into its parts, header checked.
pub(crate) struct Layout<'a> {
    pub(crate) header: ChunkHeader,
    pub(crate) stream_bits: usize,
    /// From the stream's start to the chunk's end (the reader may look past the stream; it never consumes there
    /// in a valid chunk).
    pub(crate) stream: &'a [u8],
    pub(crate) extras: &'a [u8],
}

/// Reads and checks the header of `bytes`: version, and that the stream it announces fits in `bytes` and can
/// hold `count` points.
pub fn header(bytes: &[u8]) -> Result<ChunkHeader, CodecError> {
    layout(bytes).map(|layout| layout.header)
}

pub(crate) fn layout(bytes: &[u8]) -> Result<Layout<'_>, CodecError> {
    let Some((&version, _)) = bytes.split_first() else {
        return Err(CodecError::Truncated { needed: HEADER_LEN, len: 0 });
    };
    if version != FORMAT_VERSION {
        return Err(CodecError::UnsupportedVersion(version));
    }
    let Some((fixed, body)) = bytes.split_first_chunk::<HEADER_LEN>() else {
        return Err(CodecError::Truncated { needed: HEADER_LEN, len: bytes.len() });
    };
    let [_, c0, c1, c2, c3, n0, n1, n2, n3, n4, n5, n6, n7, x0, x1, x2, x3, x4, x5, x6, x7, b0, b1, b2, b3] = *fixed;
    let header = ChunkHeader {
        count: u32::from_le_bytes([c0, c1, c2, c3]),
        min_timestamp_ms: i64::from_le_bytes([n0, n1, n2, n3, n4, n5, n6, n7]),
        max_timestamp_ms: i64::from_le_bytes([x0, x1, x2, x3, x4, x5, x6, x7]),
    };
    let stream_bits = u32::from_le_bytes([b0, b1, b2, b3]) as usize;
    let stream_len = stream_bits.div_ceil(8);
    let Some(extras) = body.get(stream_len..) else {
        return Err(CodecError::Truncated { needed: HEADER_LEN + stream_len, len: bytes.len() });
    };
    // Every point takes at least two bits: a one-bit timestamp code and a one-bit value code.
    if header.count as usize > stream_bits / 2 {
        return Err(CodecError::InvalidHeader("more points than the stream can hold"));
    }
    if header.count > 0 && header.min_timestamp_ms > header.max_timestamp_ms {
        return Err(CodecError::InvalidHeader("minimum timestamp above maximum"));
    }
    Ok(Layout { header, stream_bits, stream: body, extras })
}

pub(crate) fn write_header(out: &mut Vec<u8>, header: &ChunkHeader, stream_bits: u32) {
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&header.count.to_le_bytes());
    out.extend_from_slice(&header.min_timestamp_ms.to_le_bytes());
    out.extend_from_slice(&header.max_timestamp_ms.to_le_bytes());
    out.extend_from_slice(&stream_bits.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_rejects_bad_input() {
        let written = ChunkHeader { count: 3, min_timestamp_ms: -5, max_timestamp_ms: 9 };
        let mut bytes = Vec::new();
        write_header(&mut bytes, &written, 6);
        assert_eq!(bytes.len(), HEADER_LEN);
        assert_eq!(header(&bytes), Err(CodecError::Truncated { needed: HEADER_LEN + 1, len: HEADER_LEN }));
        bytes.push(0);
        assert_eq!(header(&bytes), Ok(written));
        assert!(written.overlaps(9, 20) && !written.overlaps(10, 20));
        assert_eq!(header(&[]), Err(CodecError::Truncated { needed: HEADER_LEN, len: 0 }));
        assert_eq!(header(&[2; 40]), Err(CodecError::UnsupportedVersion(2)));
        assert_eq!(header(&bytes[..10]), Err(CodecError::Truncated { needed: HEADER_LEN, len: 10 }));
        let mut too_many = Vec::new();
        write_header(&mut too_many, &ChunkHeader { count: 4, ..written }, 6);
        too_many.push(0);
        assert!(matches!(header(&too_many), Err(CodecError::InvalidHeader(_))));
    }
}
