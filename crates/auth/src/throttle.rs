//! Sign-in throttling: failed attempts counted per key (a client address, a user name), and after a few free
//! ones each further attempt on that key waits twice as long as the last, up to a cap. Bounded in memory: old
//! entries are forgotten, and the table never holds more than [`MAX_ENTRIES`] keys.

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

    /// `Err(seconds to wait)` when any key is waiting out its delay at `now_ms`.
    pub fn check(&self, keys: &[String], now_ms: i64) -> Result<(), u64> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let until = keys.iter().filter_map(|key| entries.get(key)).map(|e| e.blocked_until_ms).max().unwrap_or(0);
        if until > now_ms { Err(((until - now_ms) as u64).div_ceil(1000)) } else { Ok(()) }
    }

    /// Counts a failure on every key.
    pub fn failed(&self, keys: &[String], now_ms: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() + keys.len() > MAX_ENTRIES {
            entries.retain(|_, e| now_ms - e.last_failure_ms < FORGET_AFTER_MS);
        }
        if entries.len() + keys.len() > MAX_ENTRIES {
            // Still full of recent failures (a spray from many addresses): keep the delayed keys only.
            entries.retain(|_, e| e.blocked_until_ms > now_ms);
        }
        for key in keys {
            if entries.len() >= MAX_ENTRIES && !entries.contains_key(key) {
                break;
            }
            let entry = entries.entry(key.clone()).or_insert(Entry {
                failures: 0,
                last_failure_ms: now_ms,
                blocked_until_ms: 0,
            });
            if now_ms - entry.last_failure_ms >= FORGET_AFTER_MS {
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
        let keys = vec!["ip:1.2.3.4".to_owned(), "user:alice".to_owned()];
        let mut now = 1_000_000;
        for _ in 0..FREE_FAILURES {
            assert_eq!(throttle.check(&keys, now), Ok(()));
            throttle.failed(&keys, now);
        }
        assert_eq!(throttle.check(&keys, now), Ok(()), "the free failures cost nothing");
        throttle.failed(&keys, now);
        assert_eq!(throttle.check(&keys, now), Err(1));
        now += 1000;
        throttle.failed(&keys, now);
        assert_eq!(throttle.check(&keys, now), Err(2));
        // Another address is delayed for alice too; alice's success frees both keys.
        assert!(throttle.check(&["ip:9.9.9.9".to_owned(), "user:alice".to_owned()], now).is_err());
        throttle.succeeded(&keys);
        assert_eq!(throttle.check(&keys, now), Ok(()));
        for _ in 0..40 {
            throttle.failed(&keys, now);
        }
        assert_eq!(throttle.check(&keys, now), Err((MAX_DELAY_MS / 1000) as u64), "capped");
    }

    #[test]
    fn the_table_stays_bounded() {
        let throttle = Throttle::new();
        for i in 0..(MAX_ENTRIES * 2) {
            throttle.failed(&[format!("ip:{i}")], i as i64);
        }
        assert!(throttle.len() <= MAX_ENTRIES);
    }
}
