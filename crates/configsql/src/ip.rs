//! IP addresses and CIDR blocks as ranges, for AWS's IP comparisons: CIDR notation is converted to the range of
//! addresses it covers, so `=` and `BETWEEN` find ranges that include the given address. IPv4 addresses are placed
//! in the IPv4-mapped IPv6 space (`::ffff:a.b.c.d`), so both families share one ordering.

use std::net::IpAddr;

/// An inclusive range of addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    pub first: u128,
    pub last: u128,
}

impl IpRange {
    /// An address (`10.0.0.1`, `2001:db8::1`) or a CIDR block (`10.0.0.0/24`, whose host bits are ignored).
    pub fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (address_only(text)?, None),
        };
        let (value, bits) = match address.parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) => (u128::from(v4.to_ipv6_mapped()), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        let prefix = match prefix {
            None => bits,
            // Digits only: no sign, no spaces.
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
        };
        if prefix > bits {
            return None;
        }
        let host_bits = bits - prefix;
        let mask = if host_bits == 0 { 0 } else { u128::MAX >> (128 - host_bits) };
        Some(Self { first: value & !mask, last: value | mask })
    }

    /// Whether `other` lies wholly inside this range.
    pub fn contains(&self, other: &IpRange) -> bool {
        self.first <= other.first && other.last <= self.last
    }
}

/// Rejects text that cannot be an address cheaply, before the standard parser sees it.
fn address_only(text: &str) -> Option<&str> {
    (!text.is_empty() && text.len() <= 45 && text.bytes().all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':'))
        .then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(a: u8, b: u8, c: u8, d: u8) -> u128 {
        u128::from(std::net::Ipv4Addr::new(a, b, c, d).to_ipv6_mapped())
    }

    #[test]
    fn addresses_and_blocks_become_ranges() {
        assert_eq!(IpRange::parse("10.0.0.1"), Some(IpRange { first: v4(10, 0, 0, 1), last: v4(10, 0, 0, 1) }));
        assert_eq!(IpRange::parse("10.0.0.18/24"), Some(IpRange { first: v4(10, 0, 0, 0), last: v4(10, 0, 0, 255) }));
        assert_eq!(IpRange::parse("0.0.0.0/0"), Some(IpRange { first: v4(0, 0, 0, 0), last: v4(255, 255, 255, 255) }));
        assert_eq!(IpRange::parse("::/0"), Some(IpRange { first: 0, last: u128::MAX }));
        let v6 = IpRange::parse("2001:db8::/32").unwrap();
        assert_eq!(v6.first, 0x2001_0db8_u128 << 96);
        assert_eq!(v6.last, (0x2001_0db8_u128 << 96) | (u128::MAX >> 32));
    }

    #[test]
    fn other_text_is_not_an_address() {
        for text in ["", "web", "10.0.0", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/+8", "::/129", "a.b.c.d", "1.2.3.4 "] {
            assert_eq!(IpRange::parse(text), None, "{text}");
        }
    }
}
