//! Schedule expressions of rules on the default bus: `rate(5 minutes)` and AWS's six-field
//! `cron(minutes hours day-of-month month day-of-week year)`, read into field sets (so the scheduler computes fire
//! times from them, in UTC: [`next_fire`]). Anything else is `Parameter ScheduleExpression is not valid.`

mod next;

pub use next::next_fire;

/// The longest expression taken (the model's `ScheduleExpression` bound).
pub const MAX_LENGTH: usize = 256;

/// A parsed schedule expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// Every `minutes` minutes (`rate(2 hours)` is 120).
    Rate {
        /// The period in minutes.
        minutes: u64,
    },
    /// A cron expression.
    Cron(Box<Cron>),
}

/// A cron expression's fields as sets of the values they allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    /// Minutes 0-59, bit n for minute n.
    pub minutes: u64,
    /// Hours 0-23.
    pub hours: u32,
    /// The day of the month.
    pub day_of_month: DayOfMonth,
    /// Months 1-12, bit n for month n.
    pub months: u16,
    /// The day of the week.
    pub day_of_week: DayOfWeek,
    /// Years 1970-2199, bit n for year 1970 + n.
    pub years: [u64; 4],
}

/// The day-of-month field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOfMonth {
    /// `?`: the day of the week decides.
    Any,
    /// Days 1-31, bit n for day n.
    Days(u32),
    /// `L`: the last day of the month.
    Last,
    /// `nW`: the weekday nearest day n, within the month.
    NearestWeekday(u32),
}

/// The day-of-week field (1 is Sunday, 7 Saturday).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOfWeek {
    /// `?`: the day of the month decides.
    Any,
    /// Days 1-7, bit n for day n.
    Days(u8),
    /// `nL`: the last such day of the month (`L` alone is the last Saturday).
    Last(u32),
    /// `d#n`: the n-th such day of the month.
    Nth {
        /// The day of the week, 1-7.
        day: u32,
        /// Which one, 1-5.
        nth: u32,
    },
}

const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Reads a schedule expression; `None` if it is not one EventBridge takes.
pub fn parse(text: &str) -> Option<Schedule> {
    if text.len() > MAX_LENGTH {
        return None;
    }
    if let Some(inner) = text.strip_prefix("rate(").and_then(|t| t.strip_suffix(')')) {
        return rate(inner);
    }
    let inner = text.strip_prefix("cron(")?.strip_suffix(')')?;
    cron(inner).map(|c| Schedule::Cron(Box::new(c)))
}

fn rate(inner: &str) -> Option<Schedule> {
    let mut parts = inner.split(' ');
    let (Some(value), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else { return None };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u64 = value.parse().ok().filter(|&v| v > 0)?;
    let (singular, per) = match unit {
        "minute" | "minutes" => ("minute", 1),
        "hour" | "hours" => ("hour", 60),
        "day" | "days" => ("day", 1440),
        _ => return None,
    };
    // One takes the singular, more the plural.
    if (value == 1) != (unit == singular) {
        return None;
    }
    Some(Schedule::Rate { minutes: value.checked_mul(per)? })
}

fn cron(inner: &str) -> Option<Cron> {
    let fields: Vec<&str> = inner.split(' ').collect();
    let [minutes, hours, day_of_month, months, day_of_week, years] = fields.as_slice() else { return None };
    let day_of_month = dom(day_of_month)?;
    let day_of_week = dow(day_of_week)?;
    // Exactly one of the two day fields is `?`.
    if (day_of_month == DayOfMonth::Any) == (day_of_week == DayOfWeek::Any) {
        return None;
    }
    let mut year_set = [0u64; 4];
    for year in set(years, 1970, 2199, &[])? {
        let n = year - 1970;
        year_set[(n / 64) as usize] |= 1 << (n % 64);
    }
    Some(Cron {
        minutes: bits(set(minutes, 0, 59, &[])?),
        hours: bits(set(hours, 0, 23, &[])?) as u32,
        day_of_month,
        months: bits(set(months, 1, 12, &MONTHS)?) as u16,
        day_of_week,
        years: year_set,
    })
}

fn bits(values: Vec<u32>) -> u64 {
    values.into_iter().fold(0, |acc, v| acc | 1 << v)
}

/// A value of a field: a number in range or one of its names (`names[0]` is `low`), any case.
fn value(text: &str, low: u32, high: u32, names: &[&str]) -> Option<u32> {
    if let Some(at) = names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Some(low + at as u32);
    }
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|v| (low..=high).contains(v))
}

/// A field of `*`, values, ranges and steps separated by commas: the values it allows.
fn set(field: &str, low: u32, high: u32, names: &[&str]) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(value(step, 1, high.max(1), &[])?)),
            None => (item, None),
        };
        let (start, end) = match range {
            "*" => (low, high),
            _ => match range.split_once('-') {
                Some((a, b)) => (value(a, low, high, names)?, value(b, low, high, names)?),
                None => {
                    let start = value(range, low, high, names)?;
                    (start, if step.is_some() { high } else { start })
                }
            },
        };
        if start > end {
            return None;
        }
        out.extend((start..=end).step_by(step.unwrap_or(1) as usize));
    }
    Some(out)
}

fn dom(field: &str) -> Option<DayOfMonth> {
    match field {
        "?" => Some(DayOfMonth::Any),
        "L" => Some(DayOfMonth::Last),
        _ => match field.strip_suffix('W') {
            Some(day) => value(day, 1, 31, &[]).map(DayOfMonth::NearestWeekday),
            None => set(field, 1, 31, &[]).map(|days| DayOfMonth::Days(bits(days) as u32)),
        },
    }
}

fn dow(field: &str) -> Option<DayOfWeek> {
    if field == "?" {
        return Some(DayOfWeek::Any);
    }
    if field == "L" {
        return Some(DayOfWeek::Last(7));
    }
    if let Some(day) = field.strip_suffix('L') {
        return value(day, 1, 7, &DAYS).map(DayOfWeek::Last);
    }
    if let Some((day, nth)) = field.split_once('#') {
        return Some(DayOfWeek::Nth { day: value(day, 1, 7, &DAYS)?, nth: value(nth, 1, 5, &[])? });
    }
    set(field, 1, 7, &DAYS).map(|days| DayOfWeek::Days(bits(days) as u8))
}

#[cfg(test)]
mod tests {
    use super::{DayOfWeek, Schedule, parse};

    #[test]
    fn rates_take_the_singular_for_one() {
        assert_eq!(parse("rate(1 minute)"), Some(Schedule::Rate { minutes: 1 }));
        assert_eq!(parse("rate(4 hours)"), Some(Schedule::Rate { minutes: 240 }));
        assert_eq!(parse("rate(2 days)"), Some(Schedule::Rate { minutes: 2880 }));
        for bad in [
            "rate(1 minutes)",
            "rate(5 minute)",
            "rate(0 minutes)",
            "rate(-1 minutes)",
            "rate(5  minutes)",
            "rate(5 weeks)",
            "rate(x hours)",
            "rate()",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn cron_expressions_of_the_documentation_are_taken() {
        for good in [
            "cron(0 10 * * ? *)",
            "cron(15 12 * * ? *)",
            "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(0/10 * ? * MON-FRI *)",
            "cron(0/5 8-17 ? * MON-FRI *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(0 8 ? * MON *)",
            "cron(0 0 L * ? *)",
            "cron(0 0 3W * ? 2027-2030)",
            "cron(30 6 ? JAN,JUL 6L *)",
        ] {
            assert!(matches!(parse(good), Some(Schedule::Cron(_))), "{good}");
        }
        let Some(Schedule::Cron(first_monday)) = parse("cron(0 9 ? * 2#1 *)") else { unreachable!() };
        assert_eq!(first_monday.day_of_week, DayOfWeek::Nth { day: 2, nth: 1 });
    }

    #[test]
    fn cron_expressions_aws_refuses_are_refused() {
        // The first five are AWS's recorded refusals (LocalStack's AWS-validated schedule tests).
        for bad in [
            "cron(0 1 * * * *)",
            "cron(0 dummy ? * MON-FRI *)",
            "cron(7 20 * * NOT *)",
            "cron(71 8 1 * ? *)",
            "cron(INVALID)",
            "cron(0 10 * * ? * *)",
            "cron(0 10 ? * ? *)",
            "cron(0 24 * * ? *)",
            "cron(0 0 32 * ? *)",
            "cron(0 0 * 13 ? *)",
            "cron(0 0 ? * 8 *)",
            "cron(0 0 * * ? 1969)",
            "cron(0 0 ? * 2#6 *)",
            "cron(0 5-1 * * ? *)",
            "cron(0/0 * * * ? *)",
            "cron( 0 0 * * ? *)",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::{Schedule, parse};

    /// One field of a cron expression within `low..=high`: a value, a range, a step or a list of them.
    fn field(low: u32, high: u32) -> impl Strategy<Value = String> {
        let item = prop_oneof![
            (low..=high).prop_map(|v| v.to_string()),
            (low..=high, low..=high).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b))),
            (low..=high, 1..=high.max(1)).prop_map(|(a, s)| format!("{a}/{s}")),
            Just("*".to_owned()),
        ];
        prop::collection::vec(item, 1..4).prop_map(|items| items.join(","))
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_panicking(text in "\\PC{0,80}") {
            let _ = parse(&text);
            let _ = parse(&format!("cron({text})"));
            let _ = parse(&format!("rate({text})"));
        }

        #[test]
        fn cron_expressions_of_in_range_fields_are_taken(
            minutes in field(0, 59), hours in field(0, 23), days in field(1, 31), months in field(1, 12),
            years in field(1970, 2199), day_of_week_first in any::<bool>()
        ) {
            let text = if day_of_week_first {
                format!("cron({minutes} {hours} ? {months} MON-FRI {years})")
            } else {
                format!("cron({minutes} {hours} {days} {months} ? {years})")
            };
            prop_assert!(matches!(parse(&text), Some(Schedule::Cron(_))), "{}", text);
        }
    }
}
