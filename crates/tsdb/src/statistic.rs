//! CloudWatch statistics: the [`Statistic`] every spelling parses to, its canonical spelling, and its value over
//! a [`Summary`].
//!
//! # Definitions
//!
//! Let `n` be the total count and `x(r)` the value at rank position `r` in `[0, n)`: sorted values laid end to
//! end, each covering a stretch of ranks as long as its count.
//!
//! * `SampleCount`, `Sum`, `Minimum`, `Maximum` are the summary's exact fields; `Average` is `Sum / SampleCount`.
//! * `pP` is the lower quantile `q = P / 100`: the value at rank `q * (n - 1)`, i.e. `x[floor(q * (n - 1))]` for
//!   unit counts. `p0` is the Minimum and `p100` the Maximum.
//! * Percentage bounds `TM(a%:b%)` keep the rank stretch `[a/100 * n, b/100 * n]` (an omitted lower bound is 0%,
//!   an omitted upper 100%). Values straddling an end count with the fraction of them inside, so `TC` may be
//!   fractional, as AWS documents. `TC` is the stretch's length, `TS` the integral of `x(r)` over it, `TM` is
//!   `TS / TC`, and `WM` is the mean of all values after those below the stretch are raised to its first value
//!   and those above lowered to its last. `IQM` is `TM(25%:75%)`; `tmP` is `TM(:P%)`, likewise `wmP`, `tcP`,
//!   `tsP`.
//! * Absolute bounds `TM(a:b)` keep the values in `(a, b]`: `TC` counts them, `TS` sums them, `TM` averages
//!   them, `PR(a:b)` is `100 * TC / n` (a percentage), and `WM` is the mean after clamping every value into
//!   `[a, b]`.
//! * `TM` has no value when nothing is kept, nor has `WM` with percentage bounds; `TC`, `TS` and `PR` are then 0.
//!
//! # Accuracy
//!
//! Statistics are read from the summary's sketch, each of whose listed values `v` stands for true values `x` with
//! `|v - x| <= a * |x| + z` (`a` = [`RELATIVE_ACCURACY`](crate::sketch::RELATIVE_ACCURACY), `z` =
//! [`ZERO_THRESHOLD`](crate::sketch::ZERO_THRESHOLD); `a = z = 0` while the sketch is exact), listed values are
//! clamped into `[Minimum, Maximum]`, and the mapping never reorders values. Hence, up to float rounding:
//!
//! * SampleCount, Sum, Minimum, Maximum, Average, `p0`, `p100` are exact.
//! * `pP`: within `a * |x| + z` of the exact `x` at that rank.
//! * Percentage bounds: `TC` is exact; `TS` is within `a * S + z * TC`, with `S` the kept integral of `|x(r)|`;
//!   `TM` within `a * S / TC + z` (so within `a * max|x| + z`); `WM` within `a * W + z`, with `W` the mean
//!   magnitude of the winsorized values.
//! * Absolute bounds: a value can be put on the wrong side of a bound `c` only if `|x - c| <= a * |x| + z`; call
//!   those values the boundary band, `B` their total count. `TC` is within `B`, `PR` within `100 * B / n`, `TS`
//!   within `a * S + (1 + a) * Sb + z * (TC + B)` with `S` the sum of kept magnitudes and `Sb` the sum of band
//!   magnitudes; `WM` is within `a * W + z` (clamping never reorders). `TM` is within `a * S / TC + z` when the
//!   band is empty; otherwise it stays between the smallest and largest `x -+ (a * |x| + z)` over the kept and
//!   band values.

mod eval;
mod parse;

use std::fmt;

pub use parse::ParseStatisticError;

use crate::summary::Summary;

/// A CloudWatch statistic, basic or extended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    SampleCount,
    Sum,
    Average,
    Minimum,
    Maximum,
    /// `pP`, `P` in `0..=100`.
    Percentile(f64),
    /// `TM(..)` / `tmP`.
    TrimmedMean(Bounds),
    /// `IQM`, the same as `TM(25%:75%)`.
    InterquartileMean,
    /// `WM(..)` / `wmP`.
    WinsorizedMean(Bounds),
    /// `PR(a:b)`: absolute bounds only, lower exclusive, upper inclusive; a percentage in `0..=100`.
    PercentileRank {
        lower: Option<f64>,
        upper: Option<f64>,
    },
    /// `TC(..)` / `tcP`.
    TrimmedCount(Bounds),
    /// `TS(..)` / `tsP`.
    TrimmedSum(Bounds),
}

/// The bounds of a trimmed statistic; either side may be omitted, but both sides are of one kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    /// Percentages of the rank range, in `0..=100`.
    Percent { lower: Option<f64>, upper: Option<f64> },
    /// Values: those in `(lower, upper]` are kept.
    Absolute { lower: Option<f64>, upper: Option<f64> },
}

impl Statistic {
    /// Everything but the five basic statistics: what GetMetricStatistics takes as `ExtendedStatistics`.
    pub fn is_extended(&self) -> bool {
        !matches!(self, Self::SampleCount | Self::Sum | Self::Average | Self::Minimum | Self::Maximum)
    }

    /// Whether the statistic reads the distribution (all extended ones do).
    pub fn needs_distribution(&self) -> bool {
        self.is_extended()
    }

    /// The statistic over `summary`; `None` when it is empty, when an extended statistic meets an unavailable
    /// distribution, and for `TM` (and percentage `WM`) when nothing is kept. See the module docs for definitions
    /// and accuracy.
    pub fn evaluate(&self, summary: &Summary) -> Option<f64> {
        eval::evaluate(self, summary)
    }
}

impl fmt::Display for Statistic {
    /// The canonical spelling: `tmP` (and `wmP`, `tcP`, `tsP`) when only an upper percentage is given, else the
    /// function form; numbers in their shortest form (`p99.9`, `TC(0.005:0.03)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (short, long, bounds) = match self {
            Self::SampleCount => return f.write_str("SampleCount"),
            Self::Sum => return f.write_str("Sum"),
            Self::Average => return f.write_str("Average"),
            Self::Minimum => return f.write_str("Minimum"),
            Self::Maximum => return f.write_str("Maximum"),
            Self::InterquartileMean => return f.write_str("IQM"),
            Self::Percentile(p) => return write!(f, "p{p}"),
            Self::PercentileRank { lower, upper } => {
                return write!(f, "PR({}:{})", Optional(*lower, ""), Optional(*upper, ""));
            }
            Self::TrimmedMean(bounds) => ("tm", "TM", bounds),
            Self::WinsorizedMean(bounds) => ("wm", "WM", bounds),
            Self::TrimmedCount(bounds) => ("tc", "TC", bounds),
            Self::TrimmedSum(bounds) => ("ts", "TS", bounds),
        };
        match *bounds {
            Bounds::Percent { lower: None, upper: Some(upper) } => write!(f, "{short}{upper}"),
            Bounds::Percent { lower, upper } => {
                write!(f, "{long}({}:{})", Optional(lower, "%"), Optional(upper, "%"))
            }
            Bounds::Absolute { lower, upper } => write!(f, "{long}({}:{})", Optional(lower, ""), Optional(upper, "")),
        }
    }
}

/// A bound as written: nothing when omitted, else the number and its suffix.
struct Optional(Option<f64>, &'static str);

impl fmt::Display for Optional {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(value) => write!(f, "{value}{}", self.1),
            None => Ok(()),
        }
    }
}
