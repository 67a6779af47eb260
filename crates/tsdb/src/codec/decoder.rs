//! Decoding: [`decode`] checks the header and returns [`ChunkIter`], which yields the points in the order they
//! were pushed. Hostile bytes give errors (or garbage points), never a panic or an allocation.
//!
//! Speed: the per-point path is inlined into the caller's loop, and every out-of-line (cold) call takes and
//! returns state by value, so that the iterator never has its address taken and its state stays in registers.

use super::CodecError;
use super::bits::BitReader;
use super::header::{ChunkHeader, layout};
use super::timestamp::{TsCode, TsState};
use super::value::{ValueCode, ValueState};

/// One decoded point; `extra` borrows from the chunk.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point<'a> {
    pub timestamp_ms: i64,
    pub value: f64,
    pub extra: Option<&'a [u8]>,
}

/// Checks the chunk's header and returns an iterator over its points. The iterator yields `Err` once, then
/// stops, if the chunk turns out corrupt: at the bad point, or after the last point if bits or extra bytes are
/// left over.
///
/// Fastest in a plain `for` loop (`for point in decode(bytes)? { let point = point?; .. }`); adapters that
/// wrap the iterator, such as `flatten`, keep its state in memory and run several times slower.
pub fn decode(bytes: &[u8]) -> Result<ChunkIter<'_>, CodecError> {
    let layout = layout(bytes)?;
    Ok(ChunkIter {
        header: layout.header,
        stream_bits: layout.stream_bits,
        extras: layout.extras,
        cursor: Cursor {
            reader: BitReader::new(layout.stream),
            extras_pos: 0,
            ts: TsState::default(),
            value: ValueState::default(),
        },
        index: 0,
        finished: false,
    })
}

/// Iterator over a chunk's points, see [`decode`].
#[derive(Clone, Debug)]
pub struct ChunkIter<'a> {
    header: ChunkHeader,
    stream_bits: usize,
    extras: &'a [u8],
    cursor: Cursor<'a>,
    index: u32,
    finished: bool,
}

/// Where decoding stands.
#[derive(Clone, Copy, Debug)]
struct Cursor<'a> {
    reader: BitReader<'a>,
    extras_pos: usize,
    ts: TsState,
    value: ValueState,
}

/// The state after decoding a whole chunk, from which an encoder resumes.
pub(crate) struct Replayed<'a> {
    pub(crate) header: ChunkHeader,
    pub(crate) stream: &'a [u8],
    pub(crate) extras: &'a [u8],
    pub(crate) ts: TsState,
    pub(crate) value: ValueState,
    pub(crate) stream_bits: usize,
    pub(crate) min_timestamp_ms: i64,
    pub(crate) max_timestamp_ms: i64,
}

#[inline(always)]
fn corrupt(point: u32, reason: &'static str) -> CodecError {
    CodecError::Corrupt { point, reason }
}

impl<'a> ChunkIter<'a> {
    pub fn header(&self) -> ChunkHeader {
        self.header
    }

    /// Points not yet yielded.
    pub fn remaining(&self) -> usize {
        if self.finished { 0 } else { (self.header.count - self.index) as usize }
    }

    /// Decodes the next point; the caller checks that one is left.
    #[inline(always)]
    fn step(&mut self) -> Result<(Point<'a>, ValueCode), CodecError> {
        let index = self.index;
        let cursor = &mut self.cursor;
        let (timestamp_ms, extra) = match cursor.ts.decode(&mut cursor.reader) {
            Ok(TsCode::Timestamp(timestamp_ms)) => (timestamp_ms, None),
            code => {
                let (after, timestamp_ms, extra) = step_markers(*cursor, self.extras, index, code)?;
                *cursor = after;
                (timestamp_ms, extra)
            }
        };
        if index == 0 {
            cursor.ts.after_first();
        }
        let code = cursor.value.decode(&mut cursor.reader).map_err(|reason| corrupt(index, reason))?;
        if cursor.reader.pos() > self.stream_bits {
            return Err(corrupt(index, "bit stream ends inside the point"));
        }
        self.index = index + 1;
        Ok((Point { timestamp_ms, value: cursor.value.value(), extra }, code))
    }

    /// After the last point: every stream bit and extra byte must have been used.
    #[inline(always)]
    fn check_end(&self) -> Result<(), CodecError> {
        if self.cursor.reader.pos() != self.stream_bits {
            return Err(corrupt(self.index, "bits left after the last point"));
        }
        if self.cursor.extras_pos != self.extras.len() {
            return Err(corrupt(self.index, "bytes left after the last extra"));
        }
        Ok(())
    }

    /// Decodes the whole chunk, replaying the encoder's heuristic state, and checks its end and its header's
    /// timestamp range.
    pub(crate) fn replay(mut self) -> Result<Replayed<'a>, CodecError> {
        let (mut min, mut max) = (i64::MAX, i64::MIN);
        while self.index < self.header.count {
            let (point, code) = self.step()?;
            self.cursor.value.replay(code);
            min = min.min(point.timestamp_ms);
            max = max.max(point.timestamp_ms);
        }
        self.check_end()?;
        if self.header.count > 0 && (min, max) != (self.header.min_timestamp_ms, self.header.max_timestamp_ms) {
            return Err(CodecError::InvalidHeader("timestamp range does not match the points"));
        }
        Ok(Replayed {
            header: self.header,
            stream: self.cursor.reader.data(),
            extras: self.extras,
            ts: self.cursor.ts,
            value: self.cursor.value,
            stream_bits: self.stream_bits,
            min_timestamp_ms: min,
            max_timestamp_ms: max,
        })
    }
}

/// A timestamp code that is a marker: at most an extra marker then a unit switch precede the timestamp.
#[cold]
#[inline(never)]
fn step_markers<'a>(
    mut cursor: Cursor<'a>,
    extras: &'a [u8],
    index: u32,
    mut code: Result<TsCode, &'static str>,
) -> Result<(Cursor<'a>, i64, Option<&'a [u8]>), CodecError> {
    let mut extra = None;
    let mut switched = false;
    loop {
        match code.map_err(|reason| corrupt(index, reason))? {
            TsCode::Timestamp(timestamp_ms) => return Ok((cursor, timestamp_ms, extra)),
            TsCode::ExtraMarker if extra.is_none() && !switched => {
                let (bytes, next) = read_extra(extras, cursor.extras_pos).ok_or(corrupt(index, "bad extra"))?;
                extra = Some(bytes);
                cursor.extras_pos = next;
            }
            TsCode::UnitSwitch if !switched => switched = true,
            TsCode::ExtraMarker | TsCode::UnitSwitch => return Err(corrupt(index, "markers out of order")),
        }
        code = cursor.ts.decode(&mut cursor.reader);
    }
}

/// The extra at `pos` in the extras area (a LEB128 length, then the bytes) and the position after it; `None`
/// if the area ends first or the length overflows.
fn read_extra(extras: &[u8], mut pos: usize) -> Option<(&[u8], usize)> {
    let mut len: u64 = 0;
    let mut shift = 0;
    loop {
        let byte = *extras.get(pos)?;
        pos += 1;
        if shift == 63 && byte > 1 || shift > 63 {
            return None;
        }
        len |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let extra = extras.get(pos..)?.get(..usize::try_from(len).ok()?)?;
    Some((extra, pos + extra.len()))
}

impl<'a> Iterator for ChunkIter<'a> {
    type Item = Result<Point<'a>, CodecError>;

    /// Always inlined: in the caller's loop the iterator's state lives in registers (see the module docs).
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.index < self.header.count && !self.finished {
            match self.step() {
                Ok((point, _)) => Some(Ok(point)),
                Err(error) => {
                    self.finished = true;
                    Some(Err(error))
                }
            }
        } else if !self.finished {
            self.finished = true;
            self.check_end().err().map(Err)
        } else {
            None
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining() + usize::from(!self.finished)))
    }
}

impl std::iter::FusedIterator for ChunkIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_lengths_are_bounded() {
        assert_eq!(read_extra(&[2, 7, 8, 9], 0), Some((&[7u8, 8][..], 3)));
        assert_eq!(read_extra(&[0x80, 0x01, 1], 0), None);
        assert_eq!(read_extra(&[0x85], 0), None);
        assert_eq!(read_extra(&[0xFF; 12], 0), None);
        assert_eq!(read_extra(&[], 0), None);
    }
}
