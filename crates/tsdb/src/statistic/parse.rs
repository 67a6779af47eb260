//! Parsing CloudWatch statistic spellings: the five basic names as AWS spells them, `pP`, the lower-case
//! shorthands `tmP`, `wmP`, `tcP`, `tsP`, `IQM`, and the upper-case function forms `TM(a:b)`, `WM(a:b)`,
//! `TC(a:b)`, `TS(a:b)` (both bounds percentages like `10%` or both absolute values, either omitted) and `PR(a:b)`
//! (absolute values only). Numbers are plain decimals (`99`, `99.9`, `0.005`; absolute values may be negative)
//! with at most 10 decimal places; percentages lie in `0..=100`; given two bounds, the lower must be below the
//! upper.

use std::str::FromStr;

use super::{Bounds, Statistic};

/// Why a string is not a CloudWatch statistic.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseStatisticError {
    #[error("the statistic is empty")]
    Empty,
    #[error("unknown statistic {0:?}")]
    Unknown(String),
    #[error("{0:?} is not a decimal number")]
    InvalidNumber(String),
    #[error("{0:?} has more than 10 decimal places")]
    TooManyDecimals(String),
    #[error("percentage {0} is outside 0..100")]
    PercentOutOfRange(f64),
    #[error("{0:?} needs two bounds separated by one ':'")]
    MissingColon(String),
    #[error("{0:?} gives no bound")]
    NoBounds(String),
    #[error("{0:?} mixes a percentage and an absolute value")]
    MixedBounds(String),
    #[error("the lower bound {lower} is not below the upper bound {upper}")]
    InvertedBounds { lower: f64, upper: f64 },
    #[error("PR takes absolute values, not percentages")]
    PercentInPercentileRank,
}

const MAX_DECIMALS: usize = 10;

/// Builds the statistic of a name from its bounds.
type Make = fn(Bounds) -> Statistic;

impl FromStr for Statistic {
    type Err = ParseStatisticError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "" => return Err(ParseStatisticError::Empty),
            "SampleCount" => return Ok(Statistic::SampleCount),
            "Sum" => return Ok(Statistic::Sum),
            "Average" => return Ok(Statistic::Average),
            "Minimum" => return Ok(Statistic::Minimum),
            "Maximum" => return Ok(Statistic::Maximum),
            "IQM" => return Ok(Statistic::InterquartileMean),
            _ => {}
        }
        if let Some((name, rest)) = s.split_once('(') {
            let inner = rest.strip_suffix(')').ok_or_else(|| unknown(s))?;
            let make: Make = match name {
                "TM" => Statistic::TrimmedMean,
                "WM" => Statistic::WinsorizedMean,
                "TC" => Statistic::TrimmedCount,
                "TS" => Statistic::TrimmedSum,
                "PR" => {
                    return match bounds(s, inner)? {
                        Bounds::Absolute { lower, upper } => Ok(Statistic::PercentileRank { lower, upper }),
                        Bounds::Percent { .. } => Err(ParseStatisticError::PercentInPercentileRank),
                    };
                }
                _ => return Err(unknown(s)),
            };
            return Ok(make(bounds(s, inner)?));
        }
        let shorthands: [(&str, Make); 4] = [
            ("tm", Statistic::TrimmedMean),
            ("wm", Statistic::WinsorizedMean),
            ("tc", Statistic::TrimmedCount),
            ("ts", Statistic::TrimmedSum),
        ];
        for (prefix, make) in shorthands {
            if let Some(number) = s.strip_prefix(prefix) {
                return Ok(make(Bounds::Percent { lower: None, upper: Some(percent(number)?) }));
            }
        }
        if let Some(number) = s.strip_prefix('p') {
            return Ok(Statistic::Percentile(percent(number)?));
        }
        Err(unknown(s))
    }
}

fn unknown(s: &str) -> ParseStatisticError {
    ParseStatisticError::Unknown(s.to_owned())
}

/// The inside of `NAME(...)`: `lower:upper`, each empty, `N%` or a plain number.
fn bounds(whole: &str, inner: &str) -> Result<Bounds, ParseStatisticError> {
    let (lower, upper) = inner.split_once(':').ok_or_else(|| ParseStatisticError::MissingColon(whole.to_owned()))?;
    if upper.contains(':') {
        return Err(ParseStatisticError::MissingColon(whole.to_owned()));
    }
    let lower = bound(lower)?;
    let upper = bound(upper)?;
    let is_percent = match (lower, upper) {
        (None, None) => return Err(ParseStatisticError::NoBounds(whole.to_owned())),
        (Some((_, l)), Some((_, u))) if l != u => return Err(ParseStatisticError::MixedBounds(whole.to_owned())),
        (Some((_, percent)), _) | (_, Some((_, percent))) => percent,
    };
    let (lower, upper) = (lower.map(|b| b.0), upper.map(|b| b.0));
    if let (Some(lower), Some(upper)) = (lower, upper)
        && lower >= upper
    {
        return Err(ParseStatisticError::InvertedBounds { lower, upper });
    }
    Ok(if is_percent { Bounds::Percent { lower, upper } } else { Bounds::Absolute { lower, upper } })
}

/// One bound: `None` when empty, else its value and whether it is a percentage.
fn bound(text: &str) -> Result<Option<(f64, bool)>, ParseStatisticError> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.strip_suffix('%') {
        Some(number) => Ok(Some((percent(number)?, true))),
        None => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            Ok(Some((number(digits)? * if digits.len() < text.len() { -1.0 } else { 1.0 }, false)))
        }
    }
}

/// A number in `0..=100`.
fn percent(text: &str) -> Result<f64, ParseStatisticError> {
    let value = number(text)?;
    if value > 100.0 {
        return Err(ParseStatisticError::PercentOutOfRange(value));
    }
    Ok(value)
}

/// `digits` or `digits.digits`, at most [`MAX_DECIMALS`] after the point.
fn number(text: &str) -> Result<f64, ParseStatisticError> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) {
        return Err(ParseStatisticError::InvalidNumber(text.to_owned()));
    }
    if fraction.len() > MAX_DECIMALS {
        return Err(ParseStatisticError::TooManyDecimals(text.to_owned()));
    }
    let value: f64 = text.parse().map_err(|_| ParseStatisticError::InvalidNumber(text.to_owned()))?;
    if !value.is_finite() {
        return Err(ParseStatisticError::InvalidNumber(text.to_owned()));
    }
    Ok(value)
}
