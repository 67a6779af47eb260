//! Number formatting: compact SI-style values (`1.2k`, `3.4M`) for axis ticks and single values.

/// Magnitude suffixes, largest first.
const SUFFIXES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];

fn magnitude(value: f64) -> (f64, &'static str) {
    let abs = value.abs();
    SUFFIXES.iter().find(|(size, _)| abs >= *size * 0.9995).map_or((1.0, ""), |(size, suffix)| (*size, *suffix))
}

/// The fewest decimals (at most 6) that show `value` exactly enough.
fn decimals_for(value: f64) -> usize {
    (0..=6)
        .find(|decimals| {
            let scaled = value * 10f64.powi(*decimals as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(6)
}

fn trim_zeros(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The label of an axis tick at `value` on an axis whose ticks are `step` apart: `250`, `1.25k`, `0.05`.
pub(crate) fn format_tick(value: f64, step: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    if value.abs() < step.abs() * 1e-9 {
        return "0".to_string();
    }
    let (size, suffix) = magnitude(value);
    let decimals = decimals_for(step / size);
    format!("{}{suffix}", trim_zeros(format!("{:.*}", decimals, value / size)))
}

/// A value shown on its own, to about three significant digits: `12.3`, `1.23k`, `0.0123`.
pub(crate) fn format_value(value: f64) -> String {
    if !value.is_finite() {
        return "--".to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let (size, suffix) = magnitude(value);
    let scaled = value / size;
    let digits = scaled.abs().log10().floor() as i32 + 1;
    let decimals = (3 - digits).clamp(0, 6) as usize;
    format!("{}{suffix}", trim_zeros(format!("{scaled:.decimals$}")))
}

/// The short symbol a CloudWatch unit is shown with after a value, if any.
pub(crate) fn unit_suffix(unit: &str) -> Option<&str> {
    match unit {
        "Percent" => Some("%"),
        "None" | "Count" | "" => None,
        other => Some(other),
    }
}

/// A compact unit symbol written right after a value in tight places (bars, pie legends, tables).
fn short_unit(unit: &str) -> Option<&str> {
    Some(match unit {
        "Percent" => "%",
        "Seconds" => " s",
        "Milliseconds" => " ms",
        "Microseconds" => " µs",
        "Bytes" => " B",
        "Kilobytes" => " kB",
        "Megabytes" => " MB",
        "Gigabytes" => " GB",
        "Terabytes" => " TB",
        "Bits" => " b",
        "Bytes/Second" => " B/s",
        "Bits/Second" => " b/s",
        "Count/Second" => "/s",
        _ => return None,
    })
}

/// A value to about three digits with a compact unit symbol when it has one: `34.8%`, `1.2k B/s`, `17`.
pub(crate) fn format_with_unit(value: f64, unit: Option<&str>) -> String {
    let text = format_value(value);
    match unit.and_then(short_unit).filter(|_| value.is_finite()) {
        Some(symbol) => format!("{text}{symbol}"),
        None => text,
    }
}
