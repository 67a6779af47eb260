//! When a schedule fires next, in UTC, to the minute: a cron expression at the first minute after a time that
//! every field allows (`L`, `nW`, `d#n` and `dL` as AWS reads them; 1 is Sunday), a rate every period from the
//! rule's start.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::{Cron, DayOfMonth, DayOfWeek, Schedule};

/// Days looked at, at most, for a cron expression's next time (years outside its set are skipped whole).
const MAX_DAYS: u32 = 400 * 366;

/// The first time after `after_ms` (epoch ms, strictly after) that `schedule` fires; a rate fires every period
/// from `start_ms` (its first time one period after it). `None` when it never fires again (a cron expression whose
/// years are past).
pub fn next_fire(schedule: &Schedule, start_ms: i64, after_ms: i64) -> Option<i64> {
    match schedule {
        Schedule::Rate { minutes } => {
            let period = i64::try_from(*minutes).ok()?.checked_mul(60_000)?;
            let elapsed = after_ms.saturating_sub(start_ms).max(0);
            let periods = elapsed / period + 1;
            start_ms.checked_add(periods.checked_mul(period)?)
        }
        Schedule::Cron(cron) => cron_after(cron, after_ms),
    }
}

fn year_allowed(cron: &Cron, year: i32) -> bool {
    let Ok(n) = u32::try_from(year - 1970) else { return false };
    n < 230 && cron.years[(n / 64) as usize] & (1 << (n % 64)) != 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next.and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

/// The day of the week, 1 for Sunday.
fn weekday(date: NaiveDate) -> u32 {
    date.weekday().num_days_from_sunday() + 1
}

fn day_allowed(cron: &Cron, date: NaiveDate) -> bool {
    let (day, last) = (date.day(), days_in_month(date.year(), date.month()));
    let by_month_day = match &cron.day_of_month {
        DayOfMonth::Any => None,
        DayOfMonth::Days(days) => Some(days & (1 << day) != 0),
        DayOfMonth::Last => Some(day == last),
        DayOfMonth::NearestWeekday(n) => Some(*n <= last && nearest_weekday(date, *n) == day),
    };
    let by_week_day = match &cron.day_of_week {
        DayOfWeek::Any => None,
        DayOfWeek::Days(days) => Some(days & (1 << weekday(date)) != 0),
        DayOfWeek::Last(d) => Some(weekday(date) == *d && day + 7 > last),
        DayOfWeek::Nth { day: d, nth } => Some(weekday(date) == *d && (day - 1) / 7 + 1 == *nth),
    };
    by_month_day.or(by_week_day).unwrap_or(false)
}

/// The weekday (Monday to Friday) nearest day `n` of `date`'s month, within the month.
fn nearest_weekday(date: NaiveDate, n: u32) -> u32 {
    let last = days_in_month(date.year(), date.month());
    let Some(target) = date.with_day(n) else { return 0 };
    match weekday(target) {
        7 if n == 1 => 3,
        7 => n - 1,
        1 if n == last => n - 2,
        1 => n + 1,
        _ => n,
    }
}

/// The first (hour, minute) the sets allow at or after (`hour`, `minute`).
fn time_from(cron: &Cron, hour: u32, minute: u32) -> Option<(u32, u32)> {
    for h in hour..24 {
        if cron.hours & (1 << h) == 0 {
            continue;
        }
        let from = if h == hour { minute } else { 0 };
        if let Some(m) = (from..60).find(|m| cron.minutes & (1 << m) != 0) {
            return Some((h, m));
        }
    }
    None
}

fn cron_after(cron: &Cron, after_ms: i64) -> Option<i64> {
    let start =
        chrono::DateTime::from_timestamp_millis(after_ms.div_euclid(60_000).checked_add(1)?.checked_mul(60_000)?)?
            .naive_utc();
    let mut date = start.date();
    let mut from = (start.hour(), start.minute());
    for _ in 0..MAX_DAYS {
        if !year_allowed(cron, date.year()) {
            if date.year() >= 2199 {
                return None;
            }
            date = NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)?;
            from = (0, 0);
            continue;
        }
        if cron.months & (1 << date.month()) == 0 {
            date = if date.month() == 12 {
                NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)?
            };
            from = (0, 0);
            continue;
        }
        if day_allowed(cron, date)
            && let Some((hour, minute)) = time_from(cron, from.0, from.1)
        {
            let at = NaiveDateTime::new(date, chrono::NaiveTime::from_hms_opt(hour, minute, 0)?);
            return Some(at.and_utc().timestamp_millis());
        }
        date = date.succ_opt()?;
        from = (0, 0);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::parse;

    fn ms(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_millis()
    }

    fn next(expression: &str, after: &str) -> Option<String> {
        let schedule = parse(expression).unwrap();
        next_fire(&schedule, 0, ms(after))
            .map(|t| chrono::DateTime::from_timestamp_millis(t).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    /// The seeds' schedules and the documentation's examples (issue 16): every 4 hours, every Monday at 8, the
    /// first Monday of the month, and AWS's `L`, `W`, `#`, ranges and steps.
    #[test]
    fn next_fire_times_table() {
        let cases = [
            ("cron(0 8 ? * MON *)", "2026-12-08T09:00:00Z", "2026-12-14T08:00:00Z"),
            ("cron(0 8 ? * MON *)", "2026-12-07T07:59:59Z", "2026-12-07T08:00:00Z"),
            ("cron(0 8 ? * MON *)", "2026-12-07T08:00:00Z", "2026-12-14T08:00:00Z"),
            ("cron(0 9 ? * 2#1 *)", "2026-12-08T00:00:00Z", "2027-01-04T09:00:00Z"),
            ("cron(0 9 ? * 2#1 *)", "2027-01-04T09:00:00Z", "2027-02-01T09:00:00Z"),
            ("cron(0 0/4 * * ? *)", "2026-12-08T01:30:00Z", "2026-12-08T04:00:00Z"),
            ("cron(0 0/4 * * ? *)", "2026-12-08T20:00:00Z", "2026-12-09T00:00:00Z"),
            ("cron(0/15 * * * ? *)", "2026-12-08T01:14:30Z", "2026-12-08T01:15:00Z"),
            ("cron(0 0 L * ? *)", "2027-02-10T00:00:00Z", "2027-02-28T00:00:00Z"),
            ("cron(0 0 L * ? *)", "2028-02-10T00:00:00Z", "2028-02-29T00:00:00Z"),
            ("cron(0 10 ? * 6L *)", "2026-12-01T00:00:00Z", "2026-12-25T10:00:00Z"),
            // 2027-05-01 is a Saturday: the nearest weekday in May is Monday the 3rd.
            ("cron(0 12 1W * ? *)", "2027-04-15T00:00:00Z", "2027-05-03T12:00:00Z"),
            // 2027-01-31 is a Sunday: the nearest weekday within January is Friday the 29th.
            ("cron(0 12 31W * ? *)", "2027-01-15T00:00:00Z", "2027-01-29T12:00:00Z"),
            ("cron(0 18 ? * MON-FRI *)", "2026-12-11T18:00:00Z", "2026-12-14T18:00:00Z"),
            ("cron(0 0 29 2 ? *)", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
            ("cron(30 6 ? JAN,JUL 6L 2027)", "2026-12-08T00:00:00Z", "2027-01-29T06:30:00Z"),
            ("cron(0 0 1 1 ? 2027-2028)", "2028-01-01T00:00:00Z", ""),
        ];
        for (expression, after, expected) in cases {
            let got = next(expression, after).unwrap_or_default();
            assert_eq!(got, expected, "{expression} after {after}");
        }
    }

    #[test]
    fn rates_fire_every_period_from_their_start() {
        let every_4h = parse("rate(4 hours)").unwrap();
        let start = ms("2026-12-08T01:02:03Z");
        assert_eq!(next_fire(&every_4h, start, start), Some(start + 4 * 3_600_000));
        assert_eq!(next_fire(&every_4h, start, start + 4 * 3_600_000), Some(start + 8 * 3_600_000));
        assert_eq!(next_fire(&every_4h, start, start - 10), Some(start + 4 * 3_600_000));
    }

    proptest::proptest! {
        /// A cron expression's next time is after the time asked about, on a minute, and allowed by its fields.
        #[test]
        fn next_times_are_later_whole_minutes(after in 0i64..7_000_000_000_000, minute in 0u32..60, hour in 0u32..24) {
            let schedule = parse(&format!("cron({minute} {hour} ? * MON-FRI *)")).unwrap();
            if let Some(next) = next_fire(&schedule, 0, after) {
                proptest::prop_assert!(next > after);
                proptest::prop_assert_eq!(next % 60_000, 0);
                let at = chrono::DateTime::from_timestamp_millis(next).unwrap();
                proptest::prop_assert_eq!((at.hour(), at.minute()), (hour, minute));
                proptest::prop_assert!(!matches!(at.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun));
                proptest::prop_assert!(next - after <= 4 * 86_400_000);
            }
        }
    }
}
