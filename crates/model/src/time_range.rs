//! The console's time range: a relative window ("3h") or an absolute one, as it travels in URLs.

use serde::{Deserialize, Serialize};

/// A time range as the console's picker and URLs carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeRange {
    /// The last N seconds up to now.
    Relative { seconds: u64 },
    /// Fixed bounds in epoch milliseconds, start inclusive, end exclusive.
    Absolute { start_ms: i64, end_ms: i64 },
}

/// The relative choices the picker offers, with their URL spelling.
pub const RELATIVE_CHOICES: [(&str, u64); 8] = [
    ("5m", 300),
    ("15m", 900),
    ("1h", 3_600),
    ("3h", 10_800),
    ("12h", 43_200),
    ("1d", 86_400),
    ("1w", 604_800),
    ("30d", 2_592_000),
];

impl Default for TimeRange {
    fn default() -> Self {
        Self::Relative { seconds: 10_800 }
    }
}

impl TimeRange {
    /// Reads the URL form: `3h`, `90m`, `2d`, `1w`, or `<start_ms>..<end_ms>`. Relative ranges are at most a
    /// century and absolute times within ±100,000,000,000 seconds of the epoch (the API's own bound), so nothing
    /// computed from them can overflow.
    pub fn parse(text: &str) -> Option<Self> {
        const MAX_ABS_MS: i64 = 100_000_000_000_000;
        const MAX_SECONDS: u64 = 100 * 366 * 86_400;
        if let Some((start, end)) = text.split_once("..") {
            let start_ms: i64 = start.parse().ok()?;
            let end_ms: i64 = end.parse().ok()?;
            let sane = start_ms.unsigned_abs() < MAX_ABS_MS.unsigned_abs()
                && end_ms.unsigned_abs() < MAX_ABS_MS.unsigned_abs();
            return (sane && start_ms < end_ms).then_some(Self::Absolute { start_ms, end_ms });
        }
        let split = text.find(|c: char| !c.is_ascii_digit())?;
        let (number, unit) = text.split_at(split);
        let number: u64 = number.parse().ok()?;
        let unit_seconds = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return None,
        };
        let seconds = number.checked_mul(unit_seconds)?;
        (seconds > 0 && seconds <= MAX_SECONDS).then_some(Self::Relative { seconds })
    }

    /// The URL form, the inverse of [`TimeRange::parse`].
    pub fn to_query_value(&self) -> String {
        match self {
            Self::Relative { seconds } => {
                for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)] {
                    if seconds % size == 0 {
                        return format!("{}{unit}", seconds / size);
                    }
                }
                format!("{seconds}s")
            }
            Self::Absolute { start_ms, end_ms } => format!("{start_ms}..{end_ms}"),
        }
    }

    /// Concrete bounds in epoch milliseconds for a given "now".
    pub fn bounds_ms(&self, now_ms: i64) -> (i64, i64) {
        match self {
            Self::Relative { seconds } => (now_ms.saturating_sub((*seconds as i64).saturating_mul(1000)), now_ms),
            Self::Absolute { start_ms, end_ms } => (*start_ms, *end_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    /// Issue 10: ranges from the URL cannot overflow what is computed from them.
    #[test]
    fn hostile_ranges_are_refused() {
        for text in ["-9223372036854775808..0", "0..9223372036854775807", "18446744073709551615s", "200000w"] {
            assert_eq!(super::TimeRange::parse(text), None, "{text}");
        }
        assert!(super::TimeRange::parse("5200w").is_some());
    }

    use super::*;

    #[test]
    fn relative_ranges_round_trip() {
        for (text, _) in RELATIVE_CHOICES {
            let range = TimeRange::parse(text).expect(text);
            assert_eq!(range.to_query_value(), text);
        }
        assert_eq!(TimeRange::parse("90m").map(|r| r.to_query_value()), Some("90m".into()));
    }

    #[test]
    fn absolute_ranges_need_order() {
        assert_eq!(TimeRange::parse("1000..2000"), Some(TimeRange::Absolute { start_ms: 1000, end_ms: 2000 }));
        assert_eq!(TimeRange::parse("2000..1000"), None);
    }

    #[test]
    fn hostile_input_is_refused() {
        for text in ["", "h", "0h", "-1h", "99999999999999999999w", "5y", "1..x"] {
            assert_eq!(TimeRange::parse(text), None, "{text}");
        }
    }
}
