//! A block: the events of one stream from one batch (or a compaction of several), in timestamp order, encoded
//! compactly and compressed with zstd. The plain encoding is a count, then per event the timestamp and the
//! ingestion time as zigzag varint deltas from the previous event's and the message as a length-prefixed UTF-8
//! string. Decoding checks every length against what is left, so a corrupt block is an error, never a panic or an
//! allocation the bytes size.

use thiserror::Error;

/// The zstd level blocks are compressed at: fast enough for ingest at hundreds of MB/s, 5-10x on log lines.
pub const COMPRESSION_LEVEL: i32 = 3;
/// The most plain bytes a block decodes to (a batch is at most 1 MiB of messages plus 26 bytes per event; a
/// compacted block at most [`crate::compact::TARGET_PLAIN_BYTES`]); more is corruption.
pub const MAX_PLAIN_BYTES: usize = 8 * 1024 * 1024;

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub timestamp_ms: i64,
    pub ingestion_ms: i64,
    pub message: String,
}

/// A block that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("corrupt log block: {0}")]
pub struct CorruptBlock(pub &'static str);

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Encodes `events` (already in timestamp order) into a block's plain bytes.
pub fn encode(events: &[Event]) -> Vec<u8> {
    let size: usize = events.iter().map(|e| e.message.len() + 8).sum();
    let mut out = Vec::with_capacity(size + 8);
    put_varint(&mut out, events.len() as u64);
    let (mut ts, mut ingested) = (0i64, 0i64);
    for event in events {
        put_varint(&mut out, zigzag(event.timestamp_ms.wrapping_sub(ts)));
        put_varint(&mut out, zigzag(event.ingestion_ms.wrapping_sub(ingested)));
        put_varint(&mut out, event.message.len() as u64);
        out.extend_from_slice(event.message.as_bytes());
        ts = event.timestamp_ms;
        ingested = event.ingestion_ms;
    }
    out
}

/// Reads a block's plain bytes without copying messages: each event as (timestamp, ingestion time, message).
pub struct Events<'a> {
    bytes: &'a [u8],
    left: u64,
    ts: i64,
    ingested: i64,
}

impl<'a> Events<'a> {
    pub fn new(bytes: &'a [u8]) -> Result<Self, CorruptBlock> {
        let mut events = Events { bytes, left: 0, ts: 0, ingested: 0 };
        events.left = events.varint()?;
        // Every event takes at least three bytes: a count beyond that is corrupt, not a loop to run.
        if events.left > (bytes.len() as u64) / 3 + 1 {
            return Err(CorruptBlock("event count beyond the block's length"));
        }
        Ok(events)
    }

    /// Events not yet read.
    pub fn remaining(&self) -> u64 {
        self.left
    }

    fn varint(&mut self) -> Result<u64, CorruptBlock> {
        let mut value = 0u64;
        for (i, byte) in self.bytes.iter().enumerate().take(10) {
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                self.bytes = &self.bytes[i + 1..];
                return Ok(value);
            }
        }
        Err(CorruptBlock("truncated varint"))
    }

    fn next_event(&mut self) -> Result<(i64, i64, &'a str), CorruptBlock> {
        self.ts = self.ts.wrapping_add(unzigzag(self.varint()?));
        self.ingested = self.ingested.wrapping_add(unzigzag(self.varint()?));
        let len = usize::try_from(self.varint()?).map_err(|_| CorruptBlock("message length"))?;
        if len > self.bytes.len() {
            return Err(CorruptBlock("message beyond the block's end"));
        }
        let (message, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        let message = std::str::from_utf8(message).map_err(|_| CorruptBlock("message is not UTF-8"))?;
        Ok((self.ts, self.ingested, message))
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<(i64, i64, &'a str), CorruptBlock>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let event = self.next_event();
        if event.is_err() {
            self.left = 0;
        }
        Some(event)
    }
}

/// Compresses a block's plain bytes.
pub fn compress(plain: &[u8]) -> Vec<u8> {
    // zstd only fails on allocation or a bad level; the level is a constant in range.
    zstd::bulk::compress(plain, COMPRESSION_LEVEL).unwrap_or_else(|_| {
        let mut fallback = Vec::new();
        let _ = zstd::stream::copy_encode(plain, &mut fallback, COMPRESSION_LEVEL);
        fallback
    })
}

/// Decompresses a block whose plain length is known, bounded by [`MAX_PLAIN_BYTES`].
pub fn decompress(compressed: &[u8], plain_len: usize) -> Result<Vec<u8>, CorruptBlock> {
    if plain_len > MAX_PLAIN_BYTES {
        return Err(CorruptBlock("plain length beyond the bound"));
    }
    let plain = zstd::bulk::decompress(compressed, plain_len).map_err(|_| CorruptBlock("zstd"))?;
    if plain.len() != plain_len {
        return Err(CorruptBlock("plain length differs"));
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(ts: i64, ingested: i64, message: &str) -> Event {
        Event { timestamp_ms: ts, ingestion_ms: ingested, message: message.into() }
    }

    #[test]
    fn events_round_trip_through_compression() {
        let events = vec![event(1_000, 5_000, "GET /a 200"), event(1_000, 5_000, "ü ✓"), event(999_999, 4_000, "x")];
        let plain = encode(&events);
        let back = decompress(&compress(&plain), plain.len()).unwrap();
        let read: Vec<_> = Events::new(&back).unwrap().map(Result::unwrap).collect();
        assert_eq!(read, vec![(1_000, 5_000, "GET /a 200"), (1_000, 5_000, "ü ✓"), (999_999, 4_000, "x")]);
    }

    #[test]
    fn corrupt_blocks_are_errors() {
        let plain = encode(&[event(1, 2, "hello")]);
        for cut in 0..plain.len() {
            let result: Result<Vec<_>, _> = match Events::new(&plain[..cut]) {
                Ok(events) => events.collect(),
                Err(error) => Err(error),
            };
            assert!(result.is_err(), "cut at {cut}");
        }
        assert!(Events::new(&[0xff; 11]).is_err());
        assert!(decompress(b"not zstd", 10).is_err());
        assert!(decompress(&compress(b"abc"), MAX_PLAIN_BYTES + 1).is_err());
        assert!(decompress(&compress(b"abc"), 2).is_err());
    }

    proptest! {
        #[test]
        fn any_events_round_trip(raw in proptest::collection::vec((any::<i64>(), any::<i64>(), ".{0,40}"), 0..50)) {
            let events: Vec<Event> = raw.into_iter().map(|(t, i, m)| event(t, i, &m)).collect();
            let plain = encode(&events);
            let read: Vec<Event> = Events::new(&plain).unwrap()
                .map(|e| e.map(|(t, i, m)| event(t, i, m)))
                .collect::<Result<_, _>>().unwrap();
            prop_assert_eq!(read, events);
        }

        #[test]
        fn any_bytes_decode_or_fail_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            if let Ok(events) = Events::new(&bytes) {
                for event in events { let _ = event; }
            }
        }
    }
}
