//! IP addresses and CIDR blocks as EventBridge reads them: an IPv4 address is four dot-separated decimal numbers
//! (leading zeros allowed), an IPv6 address hex digits and colons in any standard spelling; a block's host bits
//! are ignored, and its mask must be under the address's width (`/32` and `/128` are refused).

use std::net::Ipv6Addr;

/// An inclusive range of addresses of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    v6: bool,
    low: u128,
    high: u128,
}

impl IpRange {
    /// The range holding just `text`'s address, if `text` is an address.
    pub(crate) fn single(text: &str) -> Option<IpRange> {
        let (v6, address) = address(text).ok()?;
        Some(IpRange { v6, low: address, high: address })
    }

    /// Whether `text` is an address in the range.
    pub(crate) fn contains(&self, text: &str) -> bool {
        matches!(address(text), Ok((v6, a)) if v6 == self.v6 && (self.low..=self.high).contains(&a))
    }

    /// A CIDR block (`10.0.0.0/24`, `2001:db8::/64`), refused with EventBridge's reasons.
    pub(crate) fn cidr(text: &str) -> Result<IpRange, String> {
        let mut parts = text.split('/');
        let (Some(ip), Some(mask), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err("Malformed CIDR, one '/' required".into());
        };
        let bits: i64 = mask.parse().map_err(|_| "Malformed CIDR, mask bits must be an integer".to_owned())?;
        if bits < 0 {
            return Err("Malformed CIDR, mask bits must not be negative".into());
        }
        let (v6, address) = address(ip)?;
        let width = if v6 { 128 } else { 32 };
        if bits >= width {
            return Err(format!("{} mask bits must be < {width}", if v6 { "IPv6" } else { "IPv4" }));
        }
        // `bits` is under the width, so the shifts are in range.
        let host = if v6 { u128::MAX >> bits } else { u128::from(u32::MAX >> bits) };
        let low = address & !host & width_mask(v6);
        Ok(IpRange { v6, low, high: low | host })
    }
}

fn width_mask(v6: bool) -> u128 {
    if v6 { u128::MAX } else { u128::from(u32::MAX) }
}

/// The address `text` spells, as (is IPv6, its number), or EventBridge's reason why it is none.
fn address(text: &str) -> Result<(bool, u128), String> {
    let octets: Vec<&str> = text.split('.').collect();
    if octets.len() == 4 && octets.iter().all(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit())) {
        let mut value = 0u128;
        for octet in octets {
            let digits = octet.trim_start_matches('0');
            let byte: u32 = if digits.is_empty() { 0 } else { digits.parse().unwrap_or(u32::MAX) };
            if digits.len() > 3 || byte > 255 {
                return Err(format!("Invalid IP address: {text}"));
            }
            value = value << 8 | u128::from(byte);
        }
        return Ok((false, value));
    }
    if text.contains(':') && text.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
        return text
            .parse::<Ipv6Addr>()
            .map(|a| (true, u128::from(a)))
            .map_err(|_| format!("Invalid IP address: {text}"));
    }
    Err(format!("Nonstandard IP address: {text}"))
}

#[cfg(test)]
mod tests {
    use super::IpRange;

    #[test]
    fn blocks_contain_their_addresses_in_any_spelling() {
        let block = IpRange::cidr("10.0.0.5/24").unwrap();
        assert!(block.contains("10.0.0.200") && block.contains("010.0.0.1") && block.contains("10.0.0.255"));
        assert!(!block.contains("10.0.1.0") && !block.contains("10.0.0.256") && !block.contains("::ffff:10.0.0.1"));
        let v6 = IpRange::cidr("2001:db8:1234:1a00::/64").unwrap();
        assert!(v6.contains("2001:0db8:1234:1a00:0000:0000:0000:0001") && !v6.contains("2001:db8:123f:1a01::1"));
        assert!(IpRange::cidr("0.0.0.0/0").unwrap().contains("1.2.3.4"));
        assert!(IpRange::cidr("::/127").unwrap().contains("::1"));
        assert_eq!(IpRange::single("2001:DB8::1"), IpRange::single("2001:0db8:0:0:0:0:0:1"));
    }

    #[test]
    fn malformed_blocks_are_refused_with_eventbridges_reasons() {
        for (text, reason) in [
            ("bad-filter", "Malformed CIDR, one '/' required"),
            ("10.0.0.0/24/1", "Malformed CIDR, one '/' required"),
            ("bad-/64filter", "Malformed CIDR, mask bits must be an integer"),
            ("10.0.0.0/-1", "Malformed CIDR, mask bits must not be negative"),
            ("xx.11.xx/8", "Nonstandard IP address: xx.11.xx"),
            ("example.com/24", "Nonstandard IP address: example.com"),
            ("10.0.0.1/32", "IPv4 mask bits must be < 32"),
            ("::1/128", "IPv6 mask bits must be < 128"),
            ("10.0.0.300/8", "Invalid IP address: 10.0.0.300"),
        ] {
            assert_eq!(IpRange::cidr(text), Err(reason.to_owned()), "{text}");
        }
    }
}
