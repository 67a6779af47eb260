//! Sign-in throttling: failed attempts counted per key (a client address, a user name), and after a few free
//! ones each further attempt on that key waits twice as long as the last, up to a cap. A name held back by
//! failures from elsewhere still lets in an address that has not failed, so nobody can lock a user out from
//! afar. Refusals are recorded at most once a second per key. Bounded in memory: old entries are forgotten, the
//! table never holds more than [`MAX_ENTRIES`] keys, and when it is full the longest-quiet key makes room.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures allowed before attempts on a key are delayed.
pub const FREE_FAILURES: u32 = 5;
/// The longest delay between attempts on one key.
pub const MAX_DELAY_MS: i64 = 15 * 60_000;
/// A key without a failure for this long starts afresh.
const FORGET_AFTER_MS: i64 = 60 * 60_000;
/// The most keys remembered.
pub const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last_failure_ms: i64,
    blocked_until_ms: i64,
    last_recorded_refusal_ms: i64,
}

/// An attempt held back: how long to wait, and whether this refusal is one to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub retry_after_s: u64,
    pub record: bool,
}

/// The throttling key of a client address: IPv6 addresses by their /64 (one host usually has the whole prefix).
pub fn address_key(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(ip) => format!("ip:{}", ip.to_canonical()),
        Err(_) => format!("ip:{address}"),
    }
}

/// Failed sign-ins by key.
#[derive(Debug, Default)]
pub struct Throttle {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Throttle {
    pub fn new() -> Self {
        Self::default()
    }

    /// `Err` when the attempt must wait at `now_ms`: the address is held back, or the name is and the address has
    /// failed too.
    pub fn check(&self, address: &str, name: &str, now_ms: i64) -> Result<(), Held> {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let address_failed = entries.get(address).is_some_and(|e| e.failures > 0);
        let holding = [address, name]
            .into_iter()
            .filter(|key| *key == address || address_failed)
            .filter(|key| entries.get(*key).is_some_and(|e| e.blocked_until_ms > now_ms))
            .max_by_key(|key| entries.get(*key).map_or(0, |e| e.blocked_until_ms));
        let Some(key) = holding else { return Ok(()) };
        let Some(entry) = entries.get_mut(key) else { return Ok(()) };
        let record = now_ms.saturating_sub(entry.last_recorded_refusal_ms) >= 1000;
        if record {
            entry.last_recorded_refusal_ms = now_ms;
        }
        Err(Held { retry_after_s: ((entry.blocked_until_ms - now_ms) as u64).div_ceil(1000), record })
    }

    /// Counts a failure on every key.
    pub fn failed(&self, keys: &[String], now_ms: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() + keys.len() > MAX_ENTRIES {
            entries.retain(|_, e| now_ms.saturating_sub(e.last_failure_ms) < FORGET_AFTER_MS);
        }
        if entries.len() + keys.len() > MAX_ENTRIES {
            // Still full of recent failures (a spray from many addresses): keep the delayed keys only.
            entries.retain(|_, e| e.blocked_until_ms > now_ms);
        }
        for key in keys {
            if entries.len() >= MAX_ENTRIES && !entries.contains_key(key) {
                let quietest = entries
                    .iter()
                    .min_by_key(|(_, e)| (e.blocked_until_ms, e.last_failure_ms))
                    .map(|(key, _)| key.clone());
                if let Some(quietest) = quietest {
                    entries.remove(&quietest);
                }
            }
            let fresh =
                Entry { failures: 0, last_failure_ms: now_ms, blocked_until_ms: 0, last_recorded_refusal_ms: i64::MIN };
            let entry = entries.entry(key.clone()).or_insert(fresh);
            if now_ms.saturating_sub(entry.last_failure_ms) >= FORGET_AFTER_MS {
                entry.failures = 0;
            }
            entry.failures = entry.failures.saturating_add(1);
            entry.last_failure_ms = now_ms;
            if entry.failures > FREE_FAILURES {
                let doublings = (entry.failures - FREE_FAILURES - 1).min(20);
                let delay = (1000i64 << doublings).min(MAX_DELAY_MS);
                entry.blocked_until_ms = now_ms.saturating_add(delay);
            }
        }
    }

    /// Forgets the failures of `keys` (a successful sign-in).
    pub fn succeeded(&self, keys: &[String]) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for key in keys {
            entries.remove(key);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_past_the_free_ones_double_the_wait() {
        let throttle = Throttle::new();
        let (ip, user) = ("ip:1.2.3.4".to_owned(), "user:alice".to_owned());
        let keys = vec![ip.clone(), user.clone()];
        let mut now = 1_000_000;
        for _ in 0..FREE_FAILURES {
            assert_eq!(throttle.check(&ip, &user, now), Ok(()));
            throttle.failed(&keys, now);
        }
        assert_eq!(throttle.check(&ip, &user, now), Ok(()), "the free failures cost nothing");
        throttle.failed(&keys, now);
        assert_eq!(throttle.check(&ip, &user, now), Err(Held { retry_after_s: 1, record: true }));
        assert_eq!(throttle.check(&ip, &user, now), Err(Held { retry_after_s: 1, record: false }), "once a second");
        now += 1000;
        throttle.failed(&keys, now);
        assert_eq!(throttle.check(&ip, &user, now).map_err(|h| h.retry_after_s), Err(2));
        // An address that has not failed is let in for alice (no lockout from afar); one that has failed is not.
        assert_eq!(throttle.check("ip:9.9.9.9", &user, now), Ok(()));
        throttle.failed(&["ip:9.9.9.9".to_owned()], now);
        assert!(throttle.check("ip:9.9.9.9", &user, now).is_err());
        throttle.succeeded(&keys);
        assert_eq!(throttle.check(&ip, &user, now), Ok(()));
        for _ in 0..40 {
            throttle.failed(&keys, now);
        }
        assert_eq!(throttle.check(&ip, &user, now).map_err(|h| h.retry_after_s), Err((MAX_DELAY_MS / 1000) as u64));
    }

    #[test]
    fn addresses_are_keyed_by_host_or_ipv6_prefix() {
        assert_eq!(address_key("10.0.0.1"), "ip:10.0.0.1");
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), address_key("2001:db8:1:2:bbbb::9"));
        assert_ne!(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
        assert_eq!(address_key("::ffff:10.0.0.1"), "ip:10.0.0.1");
    }

    #[test]
    fn the_table_stays_bounded() {
        let throttle = Throttle::new();
        for i in 0..(MAX_ENTRIES * 2) {
            throttle.failed(&[format!("ip:{i}")], i as i64);
        }
        assert!(throttle.len() <= MAX_ENTRIES);
        // Full of recent failures, a new key still counts (the quietest one made room).
        let newcomer = vec!["user:new".to_owned()];
        for _ in 0..=FREE_FAILURES {
            throttle.failed(&newcomer, 3 * MAX_ENTRIES as i64);
        }
        assert!(throttle.check("ip:x", "user:new", 3 * MAX_ENTRIES as i64).is_ok(), "a clean address is let in");
        assert!(throttle.check("user:new", "user:new", 3 * MAX_ENTRIES as i64).is_err(), "the key is held back");
    }
}
