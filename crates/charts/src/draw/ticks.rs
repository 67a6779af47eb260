//! Where axis ticks go: "nice" value steps for y axes and calendar-aligned time steps (in the chart's UTC offset)
//! for the x axis.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// A y axis scale: the shown range and its ticks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueScale {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub ticks: Vec<f64>,
}

/// The 1-2-2.5-5 step nearest above `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().find(|nice| fraction <= nice * 1.000_001).unwrap_or(10.0);
    nice * power
}

/// A scale covering `low..=high` with about `target` ticks; `fixed_min`/`fixed_max` are kept exactly.
pub(crate) fn value_scale(
    low: f64,
    high: f64,
    fixed_min: Option<f64>,
    fixed_max: Option<f64>,
    target: usize,
) -> ValueScale {
    let low = fixed_min.unwrap_or(low);
    let high = fixed_max.unwrap_or(high).max(low);
    let all_zero = low == 0.0 && high == 0.0;
    let (low, high) = if high - low > f64::EPSILON * high.abs().max(1.0) {
        (low, high)
    } else if fixed_min.is_some() {
        (low, low + low.abs().max(1.0))
    } else if fixed_max.is_some() {
        (high - high.abs().max(1.0), high)
    } else if low > 0.0 {
        (0.0, low)
    } else if low < 0.0 {
        (low, 0.0)
    } else {
        (0.0, 1.0)
    };
    let step = nice_step((high - low) / target.max(1) as f64);
    // Keep data (and threshold lines) off the very edge, except at zero.
    let headroom = if all_zero { 0.0 } else { (high - low) * 0.005 };
    let padded_low = if low == 0.0 { low } else { low - headroom };
    let padded_high = if high == 0.0 { high } else { high + headroom };
    let min = fixed_min.unwrap_or_else(|| (padded_low / step + 1e-9).floor() * step);
    let max = fixed_max.unwrap_or_else(|| (padded_high / step - 1e-9).ceil() * step);
    let mut ticks = Vec::new();
    let mut index = (min / step - 1e-9).ceil();
    while index * step <= max + step * 1e-9 && ticks.len() < 100 {
        let tick = index * step;
        // Avoid "-0" and float noise such as 0.30000000000000004.
        ticks.push(if tick.abs() < step * 1e-9 { 0.0 } else { tick });
        index += 1.0;
    }
    ValueScale { min, max, step, ticks }
}

/// The automatic range of an axis for data spanning `low..=high`: zero is included when the data sits close
/// enough to it that leaving it out would exaggerate changes.
pub(crate) fn auto_range(low: f64, high: f64) -> (f64, f64) {
    if low >= 0.0 && low <= high * 0.4 {
        (0.0, high)
    } else if high <= 0.0 && high >= low * 0.4 {
        (low, 0.0)
    } else {
        let pad = (high - low) * 0.05;
        (low - pad, high + pad)
    }
}

/// Candidate x tick spacings.
const TIME_STEPS: [i64; 22] = [
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    3 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    91 * DAY,
    365 * DAY,
];

/// An x tick: its time and label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeTick {
    pub ms: i64,
    pub label: String,
}

/// Ranges at least this long label midnights with the date; shorter ones show times only, so a day-aligned range
/// gets the same labels whichever day it is.
const MULTI_DAY: i64 = 2 * DAY;

/// Ticks between `start` and `end` (epoch ms), at most `max_count`, at round times of the zone `offset_minutes`
/// east of UTC. Labels are `HH:MM` (with seconds below a minute, and `MM/DD` at midnights of ranges of two days or
/// more) or `MM/DD` for steps of days.
pub(crate) fn time_ticks(start: i64, end: i64, offset_minutes: i32, max_count: usize) -> Vec<TimeTick> {
    let Some(zone) = FixedOffset::east_opt(offset_minutes.clamp(-1439, 1439) * 60) else { return Vec::new() };
    if end <= start {
        return Vec::new();
    }
    let span = end - start;
    let max_count = max_count.max(1) as i64;
    let step = TIME_STEPS.into_iter().find(|step| span / step <= max_count).unwrap_or(365 * DAY);
    if step >= 30 * DAY {
        return month_ticks(start, end, zone, (step / (30 * DAY)) as u32);
    }
    let offset = i64::from(zone.local_minus_utc()) * SECOND;
    // Weekly steps start on local Mondays (1970-01-05 was a Monday).
    let anchor = if step % (7 * DAY) == 0 { 4 * DAY } else { 0 };
    let local_start = start + offset - anchor;
    let mut local = local_start.div_euclid(step) * step;
    if local < local_start {
        local += step;
    }
    let mut ticks = Vec::new();
    while local + anchor - offset <= end && ticks.len() < 1000 {
        let ms = local + anchor - offset;
        ticks.push(TimeTick { ms, label: time_label(ms, zone, step, span) });
        local += step;
    }
    ticks
}

fn time_label(ms: i64, zone: FixedOffset, step: i64, span: i64) -> String {
    let Some(time) = DateTime::from_timestamp_millis(ms).map(|time| time.with_timezone(&zone)) else {
        return String::new();
    };
    let midnight = time.hour() == 0 && time.minute() == 0 && time.second() == 0;
    if step >= DAY || (midnight && span >= MULTI_DAY) {
        format!("{:02}/{:02}", time.month(), time.day())
    } else if step < MINUTE {
        format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second())
    } else {
        format!("{:02}:{:02}", time.hour(), time.minute())
    }
}

/// Ticks on the first day of every `months`-th month (quarters and years for longer steps).
fn month_ticks(start: i64, end: i64, zone: FixedOffset, months: u32) -> Vec<TimeTick> {
    let months = match months {
        0..=1 => 1,
        2..=4 => 3,
        _ => 12,
    };
    let Some(first) = DateTime::from_timestamp_millis(start).map(|time| time.with_timezone(&zone)) else {
        return Vec::new();
    };
    let mut year = first.year();
    let mut month0 = first.month0() / months * months;
    let mut ticks = Vec::new();
    while ticks.len() < 1000 {
        let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month0 + 1, 1) else { break };
        let Some(ms) = date
            .and_hms_opt(0, 0, 0)
            .and_then(|naive| naive.and_local_timezone(zone).single())
            .map(|time| time.timestamp_millis())
        else {
            break;
        };
        if ms > end {
            break;
        }
        if ms >= start {
            let label = if months == 12 { format!("{year}") } else { format!("{:02}/{:02}", month0 + 1, 1) };
            ticks.push(TimeTick { ms, label });
        }
        month0 += months;
        if month0 >= 12 {
            month0 -= 12;
            year += 1;
        }
    }
    ticks
}
