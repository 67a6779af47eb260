//! X-Ray's identifiers: trace ids (`1-<8 hex>-<24 hex>`: version 1, then 96 bits; the first 32 are the request's
//! epoch second when an X-Ray SDK made the id, random when it came from OpenTelemetry) and 64-bit segment ids in 16
//! hex digits.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A trace id, as its 16 bytes (the 32-bit time part, then the 96-bit identifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TraceId(pub [u8; 16]);

fn hex_digits<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

impl TraceId {
    /// `1-58406520-a006649127e371903a2de979`; hex digits of either case.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix("1-")?;
        let (time, id) = rest.split_once('-')?;
        let time: [u8; 4] = hex_digits(time)?;
        let id: [u8; 12] = hex_digits(id)?;
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&time);
        bytes[4..].copy_from_slice(&id);
        Some(Self(bytes))
    }

    /// The 32-bit time part: the epoch second of the request for ids an X-Ray SDK made.
    pub fn epoch_seconds(&self) -> u32 {
        u32::from_be_bytes([self.0[0], self.0[1], self.0[2], self.0[3]])
    }

    /// The id as two numbers, for store keys that sort like the id.
    pub fn halves(&self) -> (u64, u64) {
        let mut high = [0u8; 8];
        let mut low = [0u8; 8];
        high.copy_from_slice(&self.0[..8]);
        low.copy_from_slice(&self.0[8..]);
        (u64::from_be_bytes(high), u64::from_be_bytes(low))
    }

    pub fn from_halves(high: u64, low: u64) -> Self {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&high.to_be_bytes());
        bytes[8..].copy_from_slice(&low.to_be_bytes());
        Self(bytes)
    }
}

impl fmt::Display for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1-{}-{}", hex::encode(&self.0[..4]), hex::encode(&self.0[4..]))
    }
}

/// A segment or subsegment id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SegmentId(pub u64);

impl SegmentId {
    /// 16 hex digits.
    pub fn parse(text: &str) -> Option<Self> {
        hex_digits::<8>(text).map(|bytes| Self(u64::from_be_bytes(bytes)))
    }
}

impl fmt::Display for SegmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_ids_read_and_print_as_x_ray_writes_them() {
        let id = TraceId::parse("1-58406520-a006649127e371903a2de979").unwrap();
        assert_eq!(id.epoch_seconds(), 1_480_615_200);
        assert_eq!(id.to_string(), "1-58406520-a006649127e371903a2de979");
        let (high, low) = id.halves();
        assert_eq!(TraceId::from_halves(high, low), id);
        assert_eq!(TraceId::parse("1-58406520-A006649127E371903A2DE979").unwrap(), id);
        for bad in [
            "",
            "2-58406520-a006649127e371903a2de979",
            "1-5840652-a006649127e371903a2de979",
            "1-58406520-a00664",
            "1-58406520-a006649127e371903a2de97g",
            "1-58406520a006649127e371903a2de979",
            "1-+8406520-a006649127e371903a2de979",
        ] {
            assert_eq!(TraceId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn segment_ids_are_sixteen_hex_digits() {
        assert_eq!(SegmentId::parse("70de5b6f19ff9a0a").unwrap().to_string(), "70de5b6f19ff9a0a");
        assert_eq!(SegmentId::parse("70de5b6f19ff9a0"), None);
        assert_eq!(SegmentId::parse("70de5b6f19ff9a0ax"), None);
    }
}
