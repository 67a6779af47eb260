//! CloudWatch's time rules for queries: which periods are valid, how StartTime is rounded for the age of the
//! data, which stored resolution answers, and when a sub-minute period has no data any more.

use skywatch_tsdb::{Retention, Source};

const MINUTE_MS: i64 = 60_000;

/// Periods (seconds) allowed below one minute; from 60 up, any multiple of 60.
pub const SUB_MINUTE_PERIODS: [i64; 5] = [1, 5, 10, 20, 30];

pub fn is_valid_period(period_seconds: i64) -> bool {
    SUB_MINUTE_PERIODS.contains(&period_seconds) || (period_seconds >= 60 && period_seconds % 60 == 0)
}

/// How a query range is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// StartTime rounded down as CloudWatch does for its age.
    pub start_ms: i64,
    pub end_ms: i64,
    pub period_ms: i64,
    /// `None` when the period is finer than what is kept for data this old: no datapoints.
    pub source: Option<Source>,
}

/// Plans a query of `[start_ms, end_ms)` at `period_seconds`, as of `now_ms`.
///
/// CloudWatch: for a StartTime under 15 days old, rounded down to the minute (to the period below a minute);
/// 15 to 63 days, to 5 minutes; older, to the hour. Periods under a minute need StartTime within 3 hours;
/// beyond 3 hours the period must be a multiple of 60, beyond 15 days of 300, beyond 63 days of 3600.
pub fn plan(start_ms: i64, end_ms: i64, period_seconds: i64, now_ms: i64, retention: &Retention) -> Plan {
    let age = now_ms.saturating_sub(start_ms);
    let ms = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let period_ms = period_seconds.saturating_mul(1000);
    let (round_ms, required_multiple_s, source) = if age <= ms(retention.raw) {
        let round = if period_seconds < 60 { period_ms.max(1000) } else { MINUTE_MS };
        let required = if age > ms(retention.high_resolution) { 60 } else { 1 };
        (round, required, Source::Raw)
    } else {
        let unit = minute_unit_ms(age, retention);
        let rollup = if unit == 5 * MINUTE_MS { 300 } else { 3600 };
        (unit, i64::from(rollup), Source::Rollup { period_seconds: rollup })
    };
    let start = start_ms.div_euclid(round_ms).saturating_mul(round_ms);
    let usable = period_seconds > 0 && period_seconds % required_multiple_s == 0;
    Plan { start_ms: start, end_ms, period_ms, source: usable.then_some(source) }
}

/// For periods of a minute or more, the unit a start `age_ms` old is rounded down to and whose multiple the period
/// must be: a minute within the raw retention, five minutes within the 5-minute roll-ups', else an hour.
fn minute_unit_ms(age_ms: i64, retention: &Retention) -> i64 {
    let ms = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    if age_ms <= ms(retention.raw) {
        MINUTE_MS
    } else if age_ms <= ms(retention.five_minute) {
        5 * MINUTE_MS
    } else {
        60 * MINUTE_MS
    }
}

/// The range to query so that one period covers all of `[start_ms, end_ms)` (`setPeriodToTimeRange`): the start
/// rounded down as [`plan`] rounds it, and the span lengthened to a whole number of the units its age requires
/// (what lies beyond now has no data). The period is then `end - start`.
pub fn single_period_range((start_ms, end_ms): (i64, i64), now_ms: i64, retention: &Retention) -> (i64, i64) {
    let unit_for = |start: i64| minute_unit_ms(now_ms.saturating_sub(start), retention);
    let (mut start, mut unit) = (start_ms, unit_for(start_ms));
    // Rounding makes the start older, which can move it into a coarser unit; at most twice.
    for _ in 0..3 {
        start = start_ms.div_euclid(unit).saturating_mul(unit);
        let coarser = unit_for(start);
        if coarser == unit {
            break;
        }
        unit = coarser;
    }
    let span = end_ms.saturating_sub(start).max(unit);
    (start, start.saturating_add(span.saturating_add(unit - 1).div_euclid(unit).saturating_mul(unit)))
}

/// The periods (seconds) an automatic choice picks from, finest first: those the console's period menu offers.
pub const AUTOMATIC_PERIODS: [i64; 10] = [1, 5, 10, 30, 60, 300, 900, 3_600, 21_600, 86_400];

/// Whether data `age_ms` old is still kept at `period_seconds` (sub-minute periods only for 3 hours, and so on).
pub fn is_kept(period_seconds: i64, age_ms: i64, retention: &Retention) -> bool {
    plan(-age_ms, 0, period_seconds, 0, retention).source.is_some()
}

/// The finest period of [`AUTOMATIC_PERIODS`] that keeps a range of `span_s` seconds, starting `age_ms` ago,
/// within `max_points` points per series and is still kept for data that old; one day when none is.
pub fn automatic_period(span_s: i64, age_ms: i64, max_points: i64, retention: &Retention) -> i64 {
    let max_points = max_points.max(1).unsigned_abs();
    AUTOMATIC_PERIODS
        .iter()
        .copied()
        .filter(|period| is_kept(*period, age_ms, retention))
        .find(|period| span_s.unsigned_abs().div_ceil(period.unsigned_abs()) <= max_points)
        .unwrap_or(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;

    /// (start age, period, expected rounding of a start at hh:mm:34.5, expected source)
    #[test]
    fn rounding_and_sources_follow_the_age_of_the_start() {
        let retention = Retention::default();
        let cases: [(i64, i64, i64, Option<Source>); 8] = [
            (HOUR, 1, 1000, Some(Source::Raw)),
            (HOUR, 10, 10_000, Some(Source::Raw)),
            (HOUR, 60, MINUTE_MS, Some(Source::Raw)),
            (4 * HOUR, 10, 10_000, None),
            (4 * HOUR, 120, MINUTE_MS, Some(Source::Raw)),
            (20 * DAY, 60, 5 * MINUTE_MS, None),
            (20 * DAY, 600, 5 * MINUTE_MS, Some(Source::Rollup { period_seconds: 300 })),
            (70 * DAY, 3600, HOUR, Some(Source::Rollup { period_seconds: 3600 })),
        ];
        for (age, period, round, source) in cases {
            let start = (NOW - age).div_euclid(HOUR) * HOUR + 34_500 + 7 * MINUTE_MS;
            let plan = plan(start, NOW, period, NOW, &retention);
            assert_eq!(plan.start_ms, start.div_euclid(round) * round, "age {age} period {period}");
            assert_eq!(plan.source, source, "age {age} period {period}");
        }
    }

    #[test]
    fn automatic_periods_fit_the_range_and_the_age_of_the_data() {
        let retention = Retention::default();
        // (span s, age ms, max points, expected)
        let cases = [
            (300, 300_000, 1_440, 1),
            (10_800, 10_800_000, 1_440, 10),
            (86_400, DAY, 1_440, 60),
            (604_800, 7 * DAY, 1_440, 900),
            (604_800, 7 * DAY, 100, 21_600),
            (300, 5 * HOUR, 1_440, 60),
            (3_600, 20 * DAY, 1_440, 300),
            (100 * 86_400, 100 * DAY, 10, 86_400),
        ];
        for (span, age, max_points, expected) in cases {
            assert_eq!(automatic_period(span, age, max_points, &retention), expected, "span {span} age {age}");
        }
    }

    #[test]
    fn valid_periods() {
        for ok in [1, 5, 10, 20, 30, 60, 120, 300, 3600, 86_400] {
            assert!(is_valid_period(ok), "{ok}");
        }
        for bad in [0, -60, 2, 15, 45, 61, 90] {
            assert!(!is_valid_period(bad), "{bad}");
        }
    }
}
