//! Sealed chunks packed into page-sized blocks, one series a block (issue 15, point 3).
//!
//! A sealed chunk of a regular 1-minute series is about 450 bytes. Stored one a row, inserted at each series' end
//! of the key range, the store's leaves split in half and stay about 60 % full. Instead a series' sealed chunks are
//! appended to its *tail* (one row a series, small rows sharing leaves) and, once the tail would outgrow one page,
//! the tail becomes a *block*: a row of its own that fills one page, never rewritten, deleted whole by retention.
//!
//! Both hold the same encoding: a version byte, then for each chunk its number (varint), its length (varint) and
//! its bytes (a chunk with its own header, so an entry can be skipped by time without decoding its points).

use crate::codec;
use crate::varint::{Cursor, put_u64};

/// Version byte of the block and tail encoding.
const VERSION: u8 = 1;

/// Largest block written. One store page is 4,096 bytes; a leaf holding one row spends 4 bytes on its header, 8 on
/// the row's key and value lengths and 24 on the key, leaving 4,060 for the value.
pub const BLOCK_BYTES: usize = 4_032;

/// One sealed chunk inside a block or tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    pub number: u64,
    pub chunk: &'a [u8],
}

impl Entry<'_> {
    /// The newest timestamp of the chunk; `i64::MAX` when its header is unreadable (so that retention never drops
    /// it silently and a query reaches it and reports it corrupt).
    pub fn max_timestamp_ms(&self) -> i64 {
        codec::header(self.chunk).map_or(i64::MAX, |header| header.max_timestamp_ms)
    }
}

/// The entries of a block or tail, in the order they were appended.
pub fn entries(bytes: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    let (&version, rest) = bytes.split_first().ok_or("empty block")?;
    if version != VERSION {
        return Err(format!("unknown block version {version}"));
    }
    let mut cursor = Cursor::new(rest);
    let mut out = Vec::new();
    while !cursor.is_empty() {
        let number = cursor.u64().ok_or("truncated chunk number")?;
        let chunk = cursor.bytes().ok_or("truncated chunk")?;
        out.push(Entry { number, chunk });
    }
    Ok(out)
}

/// The encoding of `entries`.
pub fn encode(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + entries.iter().map(|e| entry_len(e.chunk.len())).sum::<usize>());
    out.push(VERSION);
    for entry in entries {
        push(&mut out, entry.number, entry.chunk);
    }
    out
}

fn push(out: &mut Vec<u8>, number: u64, chunk: &[u8]) {
    put_u64(out, number);
    put_u64(out, chunk.len() as u64);
    out.extend_from_slice(chunk);
}

/// Bytes an entry of a chunk of `len` bytes takes at most (a 10-byte number and length prefix).
fn entry_len(len: usize) -> usize {
    len + 20
}

/// What appending a sealed chunk to a series' tail does.
#[derive(Debug, PartialEq, Eq)]
pub enum Append {
    /// The tail already holds this chunk (a checkpoint whose commit was retried): nothing changes.
    Present,
    /// The new tail.
    Tail(Vec<u8>),
    /// The old tail is full: it becomes a block with this newest timestamp and first chunk number, and the chunk
    /// starts the new tail.
    Close { block: Vec<u8>, max_timestamp_ms: i64, first_number: u64, tail: Vec<u8> },
}

/// Appends chunk `number` to `tail` (absent for a series with none). When the chunk does not fit, the tail's chunks
/// numbered below `merge_below` are first merged into one (one header and one first point instead of one a chunk,
/// about 8 % smaller); if it still does not fit, the tail closes as a block. The caller passes the lowest number a
/// query may still hold from the head (the chunks sealed in this commit, and any whose commit failed), so that such a
/// query tells those apart by number. A tail never exceeds [`BLOCK_BYTES`] unless a single chunk does.
pub fn append(tail: Option<&[u8]>, number: u64, chunk: &[u8], merge_below: u64) -> Result<Append, String> {
    let held = match tail {
        Some(bytes) => entries(bytes)?,
        None => Vec::new(),
    };
    if held.iter().any(|entry| entry.number == number) {
        return Ok(Append::Present);
    }
    let fits = |len: usize| len + entry_len(chunk.len()) <= BLOCK_BYTES;
    let with_new = |mut out: Vec<u8>| {
        push(&mut out, number, chunk);
        out
    };
    let Some(tail) = tail.filter(|bytes| !held.is_empty() && !fits(bytes.len())) else {
        return Ok(Append::Tail(with_new(tail.map_or_else(|| vec![VERSION], <[u8]>::to_vec))));
    };
    let (old, recent): (Vec<Entry<'_>>, Vec<Entry<'_>>) = held.iter().partition(|entry| entry.number < merge_below);
    let tail = match merge(&old) {
        Some(merged) => {
            let mut out = encode(&[merged.as_entry()]);
            for entry in &recent {
                push(&mut out, entry.number, entry.chunk);
            }
            if out.len() < tail.len() { out } else { tail.to_vec() }
        }
        None => tail.to_vec(),
    };
    if fits(tail.len()) {
        return Ok(Append::Tail(with_new(tail)));
    }
    let max_timestamp_ms = held.iter().map(Entry::max_timestamp_ms).max().unwrap_or(i64::MIN);
    let first_number = entries(&tail)?.first().map_or(number, |entry| entry.number);
    Ok(Append::Close { block: tail, max_timestamp_ms, first_number, tail: with_new(vec![VERSION]) })
}

/// A merged chunk and the number it keeps.
struct Merged {
    number: u64,
    chunk: Vec<u8>,
}

impl Merged {
    fn as_entry(&self) -> Entry<'_> {
        Entry { number: self.number, chunk: &self.chunk }
    }
}

/// `held` as one chunk numbered as the first (`None` for fewer than two entries or a chunk that does not decode).
fn merge(held: &[Entry<'_>]) -> Option<Merged> {
    let (first, rest) = held.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let mut encoder = codec::ChunkEncoder::from_chunk(first.chunk).ok()?;
    for entry in rest {
        for point in codec::decode(entry.chunk).ok()? {
            let point = point.ok()?;
            if encoder.is_full() {
                return None;
            }
            encoder.push(point.timestamp_ms, point.value, point.extra);
        }
    }
    Some(Merged { number: first.number, chunk: encoder.snapshot() })
}

/// `chunk` cut into chunks of at most about `max_bytes` each (a piece ends at the first point that reaches it), the
/// points in the same order: an open chunk that grew past a page between two checkpoints (a backfill writes a
/// week at once) is sealed as page-sized chunks, so that no row of the store takes more than one page.
pub fn split(chunk: &[u8], max_bytes: usize) -> Result<Vec<Vec<u8>>, String> {
    if chunk.len() <= max_bytes {
        return Ok(vec![chunk.to_vec()]);
    }
    let mut pieces = Vec::new();
    let mut encoder = codec::ChunkEncoder::new();
    for point in codec::decode(chunk).map_err(|e| e.to_string())? {
        let point = point.map_err(|e| e.to_string())?;
        encoder.push(point.timestamp_ms, point.value, point.extra);
        if encoder.encoded_len() >= max_bytes {
            pieces.push(std::mem::take(&mut encoder).snapshot());
        }
    }
    if !encoder.is_empty() {
        pieces.push(encoder.snapshot());
    }
    Ok(pieces)
}

/// `tail` without the chunks whose newest point is before `before_ms`: `None` when nothing changes, `Some(None)`
/// when nothing is left.
pub fn expire(tail: &[u8], before_ms: i64) -> Result<Option<Option<Vec<u8>>>, String> {
    let held = entries(tail)?;
    let kept: Vec<Entry<'_>> = held.iter().copied().filter(|entry| entry.max_timestamp_ms() >= before_ms).collect();
    Ok(match kept.len() {
        n if n == held.len() => None,
        0 => Some(None),
        _ => Some(Some(encode(&kept))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::ChunkEncoder;

    fn chunk(start_ms: i64, points: usize) -> Vec<u8> {
        let mut encoder = ChunkEncoder::new();
        for i in 0..points {
            encoder.push(start_ms + i as i64 * 60_000, (i * 37 % 101) as f64, None);
        }
        encoder.snapshot()
    }

    fn points(bytes: &[u8]) -> Vec<(i64, u64)> {
        entries(bytes)
            .unwrap()
            .iter()
            .flat_map(|e| {
                codec::decode(e.chunk).unwrap().map(|p| p.unwrap()).map(|p| (p.timestamp_ms, p.value.to_bits()))
            })
            .collect()
    }

    /// Issue 15: chunks appended to a tail are merged and close into blocks of at most one page, most of a page
    /// full, that read back as the points appended, in order; the chunk just appended stays an entry of its own
    /// (a query tells it apart by number); a retried append changes nothing; expiry keeps exactly the chunks with a
    /// point at or after the cut.
    #[test]
    fn tails_close_into_page_sized_blocks() {
        let (mut tail, mut blocks) = (None::<Vec<u8>>, Vec::new());
        let chunks: Vec<Vec<u8>> = (0..40).map(|i| chunk(i * 360 * 60_000, 360)).collect();
        for (number, bytes) in chunks.iter().enumerate() {
            let number = number as u64 + 100;
            match append(tail.as_deref(), number, bytes, number).unwrap() {
                Append::Present => panic!("chunk {number} is new"),
                Append::Tail(next) => tail = Some(next),
                Append::Close { block, max_timestamp_ms, first_number, tail: next } => {
                    let held = entries(&block).unwrap();
                    assert_eq!(first_number, held[0].number);
                    assert_eq!(max_timestamp_ms, held.iter().map(Entry::max_timestamp_ms).max().unwrap());
                    blocks.push(block);
                    tail = Some(next);
                }
            }
            let last = tail.as_deref().unwrap();
            assert_eq!(entries(last).unwrap().last(), Some(&Entry { number, chunk: bytes }));
            assert_eq!(append(Some(last), number, bytes, number).unwrap(), Append::Present);
        }
        assert!(blocks.len() >= 4, "{} blocks", blocks.len());
        for block in &blocks {
            assert!(block.len() <= BLOCK_BYTES && block.len() > BLOCK_BYTES - chunks[0].len() - 20, "{}", block.len());
        }
        let read: Vec<(i64, u64)> = blocks.iter().chain(tail.as_ref()).flat_map(|b| points(b)).collect();
        let written: Vec<(i64, u64)> =
            chunks.iter().flat_map(|c| points(&encode(&[Entry { number: 0, chunk: c }]))).collect();
        assert_eq!(read, written);
        let unmerged: usize = chunks.iter().map(|c| c.len()).sum();
        let stored: usize = blocks.iter().chain(tail.as_ref()).map(Vec::len).sum();
        assert!(stored * 100 < unmerged * 98, "merging saves at least 2 %: {stored} of {unmerged} bytes");

        let tail = tail.unwrap();
        let held = entries(&tail).unwrap();
        assert!(held.len() >= 2);
        assert_eq!(expire(&tail, i64::MIN).unwrap(), None);
        assert_eq!(expire(&tail, held.last().unwrap().max_timestamp_ms() + 1).unwrap(), Some(None));
        let cut = held[0].max_timestamp_ms() + 1;
        let kept = entries_of(expire(&tail, cut).unwrap().unwrap().unwrap());
        assert_eq!(kept, held[1..].iter().map(|e| e.number).collect::<Vec<_>>());
    }

    /// Issue 15: chunks numbered from `merge_below` on (sealed in the same commit, or still held by the head after
    /// a failed commit) keep their own entries, so a query holding them tells them apart by number.
    #[test]
    fn chunks_a_query_may_hold_are_never_merged() {
        let chunks: Vec<Vec<u8>> = (0..12).map(|i| chunk(i * 360 * 60_000, 360)).collect();
        let mut tail = None::<Vec<u8>>;
        // All sealed in one commit: nothing may merge.
        for (number, bytes) in chunks.iter().enumerate() {
            match append(tail.as_deref(), number as u64, bytes, 0).unwrap() {
                Append::Present => panic!("new"),
                Append::Tail(next) => tail = Some(next),
                Append::Close { block, tail: next, .. } => {
                    assert!(entries(&block).unwrap().iter().all(|e| chunks.iter().any(|c| c.as_slice() == e.chunk)));
                    tail = Some(next);
                }
            }
        }
        let last = tail.unwrap();
        assert!(entries(&last).unwrap().iter().all(|e| e.chunk == chunks[e.number as usize].as_slice()));
    }

    /// Issue 15: a week written between two checkpoints is sealed as chunks that each fit a block, holding the
    /// same points in the same order; a chunk already small enough is kept as it is.
    #[test]
    fn oversized_open_chunks_split_into_page_sized_chunks() {
        let week = chunk(0, 7 * 1440);
        assert!(week.len() > 3 * BLOCK_BYTES, "{} bytes", week.len());
        let pieces = split(&week, 3_800).unwrap();
        assert!(pieces.len() >= 3);
        assert!(pieces.iter().all(|p| p.len() <= 3_800 + 30 && entry_len(p.len()) < BLOCK_BYTES), "{pieces:?}");
        let points = |bytes: &[u8]| points(&encode(&[Entry { number: 0, chunk: bytes }]));
        assert_eq!(pieces.iter().flat_map(|p| points(p)).collect::<Vec<_>>(), points(&week));
        let small = chunk(0, 10);
        assert_eq!(split(&small, 3_800).unwrap(), vec![small]);
        assert!(split(&[0u8; 4000], 3_800).is_err());
    }

    fn entries_of(bytes: Vec<u8>) -> Vec<u64> {
        entries(&bytes).unwrap().iter().map(|e| e.number).collect()
    }

    /// A chunk larger than a page is a block of its own; damaged encodings are errors, not panics.
    #[test]
    fn oversized_chunks_and_damage() {
        let big = vec![0u8; BLOCK_BYTES + 10];
        let Append::Tail(tail) = append(None, 1, &big, 1).unwrap() else { panic!("a first chunk starts the tail") };
        let Append::Close { block, .. } = append(Some(&tail), 2, &[0u8; 10], 2).unwrap() else {
            panic!("a full tail closes")
        };
        assert_eq!(block, tail);
        assert!(entries(&[]).is_err());
        assert!(entries(&[2]).is_err());
        assert!(entries(&[VERSION, 5, 200]).is_err());
        assert_eq!(Entry { number: 1, chunk: &[1, 2] }.max_timestamp_ms(), i64::MAX);
    }
}
