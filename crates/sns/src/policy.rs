//! When a failed HTTP/HTTPS delivery is tried again: the topic's (or subscription's) `DeliveryPolicy`
//! `healthyRetryPolicy`, else SNS's default for HTTP/S (3 retries, 20 seconds apart). Delays follow the backoff
//! function (linear, arithmetic, geometric or exponential) from `minDelayTarget` to `maxDelayTarget` over the
//! retries after `numNoDelayRetries` immediate ones.

use serde_json::Value;

/// A retry policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub num_retries: u32,
    pub num_no_delay_retries: u32,
    pub min_delay_s: u32,
    pub max_delay_s: u32,
    pub backoff: Backoff,
}

/// `backoffFunction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backoff {
    Linear,
    Arithmetic,
    Geometric,
    Exponential,
}

/// SNS's most retries for HTTP/S.
pub const MAX_RETRIES: u32 = 100;
/// SNS's longest delay between retries.
pub const MAX_DELAY_S: u32 = 3600;

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { num_retries: 3, num_no_delay_retries: 0, min_delay_s: 20, max_delay_s: 20, backoff: Backoff::Linear }
    }
}

impl RetryPolicy {
    /// The policy of a `DeliveryPolicy` document (`{"http": {"defaultHealthyRetryPolicy": ...}}` on topics,
    /// `{"healthyRetryPolicy": ...}` on subscriptions); the default where it says nothing or cannot be read.
    pub fn from_document(document: Option<&str>) -> Self {
        let Some(value) = document.and_then(|d| serde_json::from_str::<Value>(d).ok()) else {
            return Self::default();
        };
        let retry = value
            .pointer("/http/defaultHealthyRetryPolicy")
            .or_else(|| value.get("healthyRetryPolicy"))
            .cloned()
            .unwrap_or(Value::Null);
        let number = |name: &str, default: u32, max: u32| {
            retry.get(name).and_then(Value::as_u64).map_or(default, |n| u32::try_from(n).unwrap_or(max).min(max))
        };
        let defaults = Self::default();
        let min_delay_s = number("minDelayTarget", defaults.min_delay_s, MAX_DELAY_S).max(1);
        Self {
            num_retries: number("numRetries", defaults.num_retries, MAX_RETRIES),
            num_no_delay_retries: number("numNoDelayRetries", 0, MAX_RETRIES),
            min_delay_s,
            max_delay_s: number("maxDelayTarget", defaults.max_delay_s, MAX_DELAY_S).max(min_delay_s),
            backoff: match retry.get("backoffFunction").and_then(Value::as_str) {
                Some("arithmetic") => Backoff::Arithmetic,
                Some("geometric") => Backoff::Geometric,
                Some("exponential") => Backoff::Exponential,
                _ => Backoff::Linear,
            },
        }
    }

    /// The delay before retry `retry` (1-based), or None when the retries are spent.
    pub fn delay_s(&self, retry: u32) -> Option<u32> {
        if retry == 0 || retry > self.num_retries {
            return None;
        }
        if retry <= self.num_no_delay_retries {
            return Some(0);
        }
        let steps = self.num_retries - self.num_no_delay_retries;
        let step = retry - self.num_no_delay_retries; // 1..=steps
        let (min, max) = (f64::from(self.min_delay_s), f64::from(self.max_delay_s));
        let fraction = if steps <= 1 { 1.0 } else { f64::from(step - 1) / f64::from(steps - 1) };
        let delay = match self.backoff {
            Backoff::Linear => min + (max - min) * fraction,
            Backoff::Arithmetic => min + (max - min) * fraction * fraction,
            Backoff::Geometric => min * (max / min).powf(fraction.sqrt()),
            Backoff::Exponential => min * (max / min).powf(fraction),
        };
        Some(delay.round().clamp(min, max) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_retries_three_times_twenty_seconds_apart() {
        let policy = RetryPolicy::default();
        assert_eq!((1..=4).map(|r| policy.delay_s(r)).collect::<Vec<_>>(), [Some(20), Some(20), Some(20), None]);
    }

    #[test]
    fn a_topic_policy_shapes_the_backoff() {
        let policy = RetryPolicy::from_document(Some(
            r#"{"http":{"defaultHealthyRetryPolicy":{"numRetries":5,"numNoDelayRetries":1,"minDelayTarget":1,"maxDelayTarget":16,"backoffFunction":"exponential"}}}"#,
        ));
        let delays: Vec<Option<u32>> = (1..=6).map(|r| policy.delay_s(r)).collect();
        assert_eq!(delays, [Some(0), Some(1), Some(3), Some(6), Some(16), None]);
        let delays: Vec<u32> = (2..=5).filter_map(|r| policy.delay_s(r)).collect();
        assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
        assert_eq!(RetryPolicy::from_document(Some("not json")), RetryPolicy::default());
        let huge =
            RetryPolicy::from_document(Some(r#"{"healthyRetryPolicy":{"numRetries":1e12,"maxDelayTarget":99999999}}"#));
        assert!(huge.num_retries <= MAX_RETRIES && huge.max_delay_s <= MAX_DELAY_S);
    }
}
