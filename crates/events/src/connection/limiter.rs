//! Each API destination's rate limit (`InvocationRateLimitPerSecond`): a token bucket per destination, filled at
//! the rate and holding at most one second of it. A delivery that finds the bucket empty waits (it is due again
//! when a token will be there) without counting as an attempt, as EventBridge queues what exceeds the rate.

use std::collections::HashMap;
use std::sync::Mutex;

/// Buckets kept, at most (the least recently used go first beyond this).
const MAX_BUCKETS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

/// The buckets of every API destination (by ARN).
#[derive(Default)]
pub struct Limiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    /// Takes a token of destination `arn` (rate `per_second`) at `now_ms`: `Ok` when one was there, else the time
    /// one will be.
    pub fn take(&self, arn: &str, per_second: i64, now_ms: i64) -> Result<(), i64> {
        let rate = per_second.max(1) as f64;
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(arn) {
            let oldest = buckets.iter().min_by_key(|(_, b)| b.at_ms).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                buckets.remove(&oldest);
            }
        }
        let bucket = buckets.entry(arn.to_owned()).or_insert(Bucket { tokens: rate, at_ms: now_ms });
        let elapsed_s = (now_ms - bucket.at_ms).max(0) as f64 / 1000.0;
        bucket.tokens = (bucket.tokens + elapsed_s * rate).min(rate);
        bucket.at_ms = now_ms.max(bucket.at_ms);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait_ms = ((1.0 - bucket.tokens) / rate * 1000.0).ceil() as i64;
            Err(now_ms + wait_ms.max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_holds_one_second_of_its_rate_and_refills() {
        let limiter = Limiter::default();
        for _ in 0..5 {
            assert_eq!(limiter.take("a", 5, 1_000), Ok(()));
        }
        assert_eq!(limiter.take("a", 5, 1_000), Err(1_200));
        assert_eq!(limiter.take("a", 5, 1_200), Ok(()));
        assert_eq!(limiter.take("b", 1, 1_200), Ok(()), "each destination has its own");
        assert_eq!(limiter.take("a", 5, 3_000), Ok(()));
    }
}
