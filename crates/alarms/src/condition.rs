//! When a datapoint breaches: the comparison operators against a static threshold or an anomaly detection band,
//! and which percentile datapoints have too few samples to judge (`EvaluateLowSampleCountPercentile`).

use crate::evaluate::Slot;

/// `ComparisonOperator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
    /// Band comparisons: the threshold is an `ANOMALY_DETECTION_BAND` named by `ThresholdMetricId`.
    LessThanLowerOrGreaterThanUpperThreshold,
    LessThanLowerThreshold,
    GreaterThanUpperThreshold,
}

impl Comparison {
    pub const ALL: [Comparison; 7] = [
        Comparison::GreaterThanOrEqualToThreshold,
        Comparison::GreaterThanThreshold,
        Comparison::LessThanThreshold,
        Comparison::LessThanOrEqualToThreshold,
        Comparison::LessThanLowerOrGreaterThanUpperThreshold,
        Comparison::LessThanLowerThreshold,
        Comparison::GreaterThanUpperThreshold,
    ];

    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            Comparison::GreaterThanThreshold => "GreaterThanThreshold",
            Comparison::LessThanThreshold => "LessThanThreshold",
            Comparison::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
            Comparison::LessThanLowerOrGreaterThanUpperThreshold => "LessThanLowerOrGreaterThanUpperThreshold",
            Comparison::LessThanLowerThreshold => "LessThanLowerThreshold",
            Comparison::GreaterThanUpperThreshold => "GreaterThanUpperThreshold",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Comparison::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// Whether the operator compares with a band (and so needs `ThresholdMetricId`, not `Threshold`).
    pub fn is_band(self) -> bool {
        matches!(
            self,
            Comparison::LessThanLowerOrGreaterThanUpperThreshold
                | Comparison::LessThanLowerThreshold
                | Comparison::GreaterThanUpperThreshold
        )
    }

    /// The words of the state reason: "was greater than", "was not less than or equal to", ...
    pub fn phrase(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => "greater than or equal to",
            Comparison::GreaterThanThreshold => "greater than",
            Comparison::LessThanThreshold => "less than",
            Comparison::LessThanOrEqualToThreshold => "less than or equal to",
            Comparison::LessThanLowerOrGreaterThanUpperThreshold => "outside the band",
            Comparison::LessThanLowerThreshold => "less than the lower bound of the band",
            Comparison::GreaterThanUpperThreshold => "greater than the upper bound of the band",
        }
    }
}

/// What a datapoint is compared with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Threshold(f64),
    Band { lower: f64, upper: f64 },
}

/// A period's slot: missing without a value (or, for a band comparison, without the band at that time),
/// else whether the value breaches. A static operator given a band, or a band operator given a threshold, never
/// breaches (validation refuses such alarms before they are evaluated).
pub fn slot(comparison: Comparison, value: Option<f64>, bound: Option<Bound>) -> Slot {
    let (Some(value), Some(bound)) = (value.filter(|v| v.is_finite()), bound) else {
        return Slot::Missing;
    };
    let breaches = match (comparison, bound) {
        (Comparison::GreaterThanOrEqualToThreshold, Bound::Threshold(t)) => value >= t,
        (Comparison::GreaterThanThreshold, Bound::Threshold(t)) => value > t,
        (Comparison::LessThanThreshold, Bound::Threshold(t)) => value < t,
        (Comparison::LessThanOrEqualToThreshold, Bound::Threshold(t)) => value <= t,
        (Comparison::LessThanLowerOrGreaterThanUpperThreshold, Bound::Band { lower, upper }) => {
            value < lower || value > upper
        }
        (Comparison::LessThanLowerThreshold, Bound::Band { lower, .. }) => value < lower,
        (Comparison::GreaterThanUpperThreshold, Bound::Band { upper, .. }) => value > upper,
        _ => false,
    };
    if breaches { Slot::Breaching } else { Slot::NotBreaching }
}

/// `EvaluateLowSampleCountPercentile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LowSamples {
    /// Judge the datapoint anyway (the default).
    #[default]
    Evaluate,
    /// Keep the alarm's state while a judged datapoint has too few samples.
    Ignore,
}

impl LowSamples {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "evaluate" => Some(LowSamples::Evaluate),
            "ignore" => Some(LowSamples::Ignore),
            _ => None,
        }
    }
}

/// Whether a `percentile` (0 to 100) datapoint from `samples` samples is too thin to judge: CloudWatch's rule is
/// fewer than 10 / (1 - p) samples for p from 0.5 up, fewer than 10 / p below (p as a fraction). p0 and p100
/// are the minimum and the maximum, exact from any number of samples.
pub fn is_low_sample(percentile: f64, samples: f64) -> bool {
    let p = percentile / 100.0;
    if !(p > 0.0 && p < 1.0) {
        return false;
    }
    let needed = if p >= 0.5 { 10.0 / (1.0 - p) } else { 10.0 / p };
    samples < needed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_compare_as_named() {
        let t = Some(Bound::Threshold(80.0));
        let cases = [
            (Comparison::GreaterThanOrEqualToThreshold, 80.0, Slot::Breaching),
            (Comparison::GreaterThanThreshold, 80.0, Slot::NotBreaching),
            (Comparison::LessThanThreshold, 79.9, Slot::Breaching),
            (Comparison::LessThanOrEqualToThreshold, 80.1, Slot::NotBreaching),
        ];
        for (comparison, value, want) in cases {
            assert_eq!(slot(comparison, Some(value), t), want, "{} {value}", comparison.as_str());
        }
        let band = Some(Bound::Band { lower: 10.0, upper: 20.0 });
        assert_eq!(slot(Comparison::LessThanLowerOrGreaterThanUpperThreshold, Some(25.0), band), Slot::Breaching);
        assert_eq!(slot(Comparison::LessThanLowerOrGreaterThanUpperThreshold, Some(15.0), band), Slot::NotBreaching);
        assert_eq!(slot(Comparison::LessThanLowerThreshold, Some(25.0), band), Slot::NotBreaching);
        assert_eq!(slot(Comparison::GreaterThanUpperThreshold, Some(25.0), band), Slot::Breaching);
        assert_eq!(slot(Comparison::GreaterThanUpperThreshold, Some(25.0), None), Slot::Missing, "no band then");
        assert_eq!(slot(Comparison::GreaterThanThreshold, None, t), Slot::Missing);
        assert_eq!(slot(Comparison::GreaterThanThreshold, Some(f64::NAN), t), Slot::Missing);
        for comparison in Comparison::ALL {
            assert_eq!(Comparison::parse(comparison.as_str()), Some(comparison));
        }
    }

    /// CloudWatch's example: a p99 alarm needs 1,000 samples; below the median the rule mirrors.
    #[test]
    fn low_sample_percentiles_follow_the_documented_rule() {
        assert!(is_low_sample(99.0, 999.0));
        assert!(!is_low_sample(99.0, 1000.0));
        assert!(is_low_sample(50.0, 19.0) && !is_low_sample(50.0, 20.0));
        assert!(is_low_sample(10.0, 99.0) && !is_low_sample(10.0, 100.0));
        assert!(!is_low_sample(100.0, 1.0) && !is_low_sample(0.0, 1.0), "the minimum and maximum are exact");
    }
}
