//! Widget times: `start`/`end` as relative ISO 8601 durations (`-PT3H`) or absolute ISO 8601 times, and the
//! `timezone` offset (`+0900`).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

const SECOND_MS: f64 = 1_000.0;
const MINUTE_MS: f64 = 60.0 * SECOND_MS;
const HOUR_MS: f64 = 60.0 * MINUTE_MS;
const DAY_MS: f64 = 24.0 * HOUR_MS;
/// Durations beyond this many milliseconds (about 3,000 years) are refused.
const MAX_DURATION_MS: f64 = 1.0e14;

/// Why a time or duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not an ISO 8601 duration such as `-PT3H`.
    #[error("'{0}' is not an ISO 8601 duration such as -PT3H or -P7D")]
    Duration(String),
    /// Neither a duration nor an ISO 8601 time.
    #[error("'{0}' is neither an ISO 8601 time such as 2018-04-25T12:00:00.000Z nor a relative time such as -PT3H")]
    Time(String),
    /// Not a `+hhmm` offset.
    #[error("'{0}' is not a time zone offset such as +0900 or -0130")]
    TimeZone(String),
}

/// A point in time as a widget gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    /// Relative to the time of the request, in signed milliseconds (`-PT3H` is `-10_800_000`).
    Relative {
        /// Signed offset from now.
        offset_ms: i64,
    },
    /// A fixed time, in epoch milliseconds.
    Absolute {
        /// Milliseconds since 1970-01-01T00:00:00Z.
        epoch_ms: i64,
    },
}

impl TimeSpec {
    /// Reads `-PT3H`, `-P7D`, `PT0H`, or an ISO 8601 time (`2018-04-25T12:00:00.000Z`, `2018-04-25T12:00:00+09:00`;
    /// without an offset the time is UTC).
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        let trimmed = text.trim();
        if trimmed.starts_with(['P', '-', '+']) {
            return parse_iso_duration(trimmed)
                .map(|offset_ms| TimeSpec::Relative { offset_ms })
                .map_err(|_| TimeError::Time(text.to_string()));
        }
        parse_iso_time(trimmed).map(|epoch_ms| TimeSpec::Absolute { epoch_ms })
    }

    /// The epoch milliseconds this time stands for at `now_ms`.
    pub fn resolve(self, now_ms: i64) -> i64 {
        match self {
            TimeSpec::Relative { offset_ms } => now_ms.saturating_add(offset_ms),
            TimeSpec::Absolute { epoch_ms } => epoch_ms,
        }
    }

    /// The JSON spelling: an ISO 8601 duration or a UTC time with milliseconds.
    pub fn to_json_string(self) -> String {
        match self {
            TimeSpec::Relative { offset_ms } => format_iso_duration(offset_ms),
            TimeSpec::Absolute { epoch_ms } => DateTime::from_timestamp_millis(epoch_ms)
                .map(|time| time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
                .unwrap_or_default(),
        }
    }
}

/// Reads an ISO 8601 duration with an optional sign into signed milliseconds: `-PT3H` is `-10_800_000`,
/// `-P7D` is `-604_800_000`, `PT15M` is `900_000`. A year counts as 365 days and a month as 30.
pub fn parse_iso_duration(text: &str) -> Result<i64, TimeError> {
    let error = || TimeError::Duration(text.to_string());
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'-') => (-1.0, &text[1..]),
        Some(b'+') => (1.0, &text[1..]),
        _ => (1.0, text),
    };
    let rest = rest.strip_prefix('P').ok_or_else(error)?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((date, time)) if !time.is_empty() => (date, Some(time)),
        Some(_) => return Err(error()),
        None => (rest, None),
    };
    if date_part.is_empty() && time_part.is_none() {
        return Err(error());
    }
    let mut total = 0.0;
    total +=
        sum_components(date_part, &[('Y', 365.0 * DAY_MS), ('M', 30.0 * DAY_MS), ('W', 7.0 * DAY_MS), ('D', DAY_MS)])
            .ok_or_else(error)?;
    if let Some(time) = time_part {
        total += sum_components(time, &[('H', HOUR_MS), ('M', MINUTE_MS), ('S', SECOND_MS)]).ok_or_else(error)?;
    }
    if total > MAX_DURATION_MS {
        return Err(error());
    }
    Ok((sign * total).round() as i64)
}

/// Adds up `<number><designator>` pairs whose designators appear in the order of `units`, each at most once.
fn sum_components(text: &str, units: &[(char, f64)]) -> Option<f64> {
    let mut total = 0.0;
    let mut next_unit = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            number.push(if c == ',' { '.' } else { c });
            continue;
        }
        let offset = units[next_unit..].iter().position(|(designator, _)| *designator == c)?;
        let value: f64 = number.parse().ok()?;
        total += value * units[next_unit + offset].1;
        next_unit += offset + 1;
        number.clear();
    }
    number.is_empty().then_some(total)
}

/// The ISO 8601 duration of signed milliseconds, in the largest whole units: `-PT3H`, `-P7D`, `-PT1H30M`.
pub fn format_iso_duration(offset_ms: i64) -> String {
    let sign = if offset_ms < 0 { "-" } else { "" };
    let mut rest = offset_ms.unsigned_abs();
    let days = rest / 86_400_000;
    rest %= 86_400_000;
    let mut out = format!("{sign}P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if rest > 0 || days == 0 {
        out.push('T');
        let hours = rest / 3_600_000;
        let minutes = rest % 3_600_000 / 60_000;
        let millis = rest % 60_000;
        if hours > 0 || rest == 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes > 0 {
            out.push_str(&format!("{minutes}M"));
        }
        if millis > 0 {
            if millis.is_multiple_of(1_000) {
                out.push_str(&format!("{}S", millis / 1_000));
            } else {
                out.push_str(&format!("{}.{:03}S", millis / 1_000, millis % 1_000));
            }
        }
    }
    out
}

/// Reads an ISO 8601 time into epoch milliseconds; a time without an offset is UTC.
pub fn parse_iso_time(text: &str) -> Result<i64, TimeError> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.timestamp_millis());
    }
    let naive = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(time) = NaiveDateTime::parse_from_str(naive, format) {
            return Ok(time.and_utc().timestamp_millis());
        }
    }
    if let Some(midnight) = NaiveDate::parse_from_str(naive, "%Y-%m-%d").ok().and_then(|date| date.and_hms_opt(0, 0, 0))
    {
        return Ok(midnight.and_utc().timestamp_millis());
    }
    Err(TimeError::Time(text.to_string()))
}

/// Reads a `timezone` value into minutes east of UTC: `+0900` is 540, `-0130` is -90; `+09:00`, `UTC` and `Z` are
/// accepted too.
pub fn parse_timezone(text: &str) -> Result<i32, TimeError> {
    let error = || TimeError::TimeZone(text.to_string());
    if matches!(text, "UTC" | "Z" | "utc") {
        return Ok(0);
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(error()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) || rest.len() != 4 && rest.len() != 5 {
        return Err(error());
    }
    let hours: i32 = digits[..2].parse().map_err(|_| error())?;
    let minutes: i32 = digits[2..].parse().map_err(|_| error())?;
    if hours > 14 || minutes > 59 {
        return Err(error());
    }
    Ok(sign * (hours * 60 + minutes))
}

/// The `timezone` spelling of minutes east of UTC: 540 is `+0900`.
pub fn format_timezone(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let minutes = offset_minutes.unsigned_abs();
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}
