//! The reason an evaluation gives for a state, in CloudWatch's words: the `StateReason` text ("Threshold Crossed:
//! 1 out of the last 1 datapoints [3.0 (08/12/22 19:53:00)] was greater than or equal to the threshold (1.0)
//! (minimum 1 datapoint for OK -> ALARM transition).") and the `StateReasonData` JSON beside it.

use serde_json::{Value, json};

use crate::AlarmState;
use crate::condition::{Bound, Comparison};
use crate::evaluate::{MissingData, Slot};

/// One evaluated period: when it starts, its value (None when it was missing and filled), how it was judged, and
/// its sample count when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub timestamp_ms: i64,
    pub value: Option<f64>,
    pub slot: Slot,
    pub bound: Option<Bound>,
    pub sample_count: Option<f64>,
}

/// A number as CloudWatch writes it in reasons: always with a fraction (`1.0`, `80.5`).
pub fn number(value: f64) -> String {
    format!("{value:?}")
}

/// `dd/mm/yy HH:MM:SS` in UTC, as in reasons.
fn short_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%d/%m/%y %H:%M:%S").to_string()
}

/// `2022-08-12T19:53:00.000+0000`, as in reason data.
pub fn data_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn was(count: usize) -> &'static str {
    if count == 1 { "was" } else { "were" }
}

/// What a threshold is in words: `the threshold (80.0)`, or the band's edges (`(48.5..51.5)`) at the datapoints.
fn bound_words(comparison: Comparison, points: &[&Judged]) -> String {
    if !comparison.is_band() {
        let threshold = points.iter().find_map(|p| match p.bound {
            Some(Bound::Threshold(t)) => Some(t),
            _ => None,
        });
        return format!("the threshold ({})", threshold.map(number).unwrap_or_default());
    }
    let edges: Vec<String> = points
        .iter()
        .filter_map(|p| match p.bound {
            Some(Bound::Band { lower, upper }) => Some(format!("{}..{}", number(lower), number(upper))),
            _ => None,
        })
        .collect();
    format!("({})", edges.join(", "))
}

/// The `StateReason` of a state set by an evaluation of `evaluated` (oldest first) for an M of N alarm.
pub fn threshold_reason(
    old: AlarmState,
    new: AlarmState,
    comparison: Comparison,
    evaluated: &[Judged],
    datapoints_to_alarm: usize,
    missing: MissingData,
) -> String {
    let n = evaluated.len();
    if new == AlarmState::InsufficientData {
        let unknown = evaluated.iter().filter(|p| p.value.is_none()).count().max(1);
        return format!("Insufficient Data: {} {} unknown.", plural(unknown, "datapoint", "datapoints"), was(unknown));
    }
    let wanted = if new == AlarmState::Alarm { Slot::Breaching } else { Slot::NotBreaching };
    let real: Vec<&Judged> = evaluated.iter().rev().filter(|p| p.value.is_some() && p.slot == wanted).collect();
    let filled = evaluated.iter().filter(|p| p.value.is_none() && p.slot == wanted).count();
    let not = if new == AlarmState::Alarm { "" } else { "not " };
    let phrase = format!("{not}{} {}", comparison.phrase(), bound_words(comparison, &real));
    let fill_name = match missing {
        MissingData::Breaching => "Breaching",
        _ => "NonBreaching",
    };
    let minimum = if new == AlarmState::Alarm { datapoints_to_alarm } else { 1 };
    let transition = format!(
        "(minimum {} for {} -> {} transition)",
        plural(minimum, "datapoint", "datapoints"),
        old.as_str(),
        new.as_str()
    );
    if real.is_empty() {
        return format!(
            "Threshold Crossed: no datapoints were received for {} and {} missing {} {} treated as [{fill_name}].",
            plural(n, "period", "periods"),
            filled,
            if filled == 1 { "datapoint" } else { "datapoints" },
            was(filled),
        );
    }
    let listed: Vec<String> = real
        .iter()
        .filter_map(|p| p.value.map(|v| format!("{} ({})", number(v), short_time(p.timestamp_ms))))
        .collect();
    let mut text = format!(
        "Threshold Crossed: {} out of the last {n} datapoints [{}] {} {phrase}",
        real.len(),
        listed.join(", "),
        was(real.len())
    );
    if filled > 0 {
        text.push_str(&format!(
            " and {filled} missing {} {} treated as [{fill_name}]",
            if filled == 1 { "datapoint" } else { "datapoints" },
            was(filled)
        ));
    }
    text.push(' ');
    text.push_str(&transition);
    text.push('.');
    text
}

/// The `StateReasonData` of an evaluation: the query and range dates, the statistic (for a single-metric alarm),
/// the period, the recent datapoints, the threshold, and each evaluated datapoint.
pub fn threshold_reason_data(
    now_ms: i64,
    statistic: Option<&str>,
    period_s: i64,
    threshold: Option<f64>,
    evaluated: &[Judged],
) -> String {
    let start = evaluated.first().map_or(now_ms, |p| p.timestamp_ms);
    let recent: Vec<Value> = evaluated.iter().filter_map(|p| p.value).map(|v| json!(v)).collect();
    let points: Vec<Value> = evaluated
        .iter()
        .map(|p| {
            let mut point = json!({ "timestamp": data_time(p.timestamp_ms) });
            if let Some(count) = p.sample_count {
                point["sampleCount"] = json!(count);
            }
            if let Some(value) = p.value {
                point["value"] = json!(value);
            }
            if let Some(Bound::Band { lower, upper }) = p.bound {
                point["threshold"] = json!({ "lower": lower, "upper": upper });
            }
            point
        })
        .collect();
    let mut data = json!({
        "version": "1.0",
        "queryDate": data_time(now_ms),
        "startDate": data_time(start),
        "period": period_s,
        "recentDatapoints": recent,
        "evaluatedDatapoints": points,
    });
    if let Some(statistic) = statistic {
        data["statistic"] = json!(statistic);
    }
    if let Some(threshold) = threshold {
        data["threshold"] = json!(threshold);
    }
    data.to_string()
}

/// A child alarm whose state a composite alarm's new state follows from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub arn: String,
    pub state: AlarmState,
    /// When the child's state last changed.
    pub at_ms: i64,
}

/// The `StateReason` of a composite alarm, as CloudWatch words it: each child that triggered the change
/// ("arn:...:alarm:cpu transitioned to ALARM at Friday 23 October, 2020 00:06:11 UTC"), or the rule when no child
/// did (a rule of TRUE or FALSE, or a reconfiguration).
pub fn composite_reason(rule: &str, triggers: &[Trigger]) -> String {
    if triggers.is_empty() {
        return format!("The alarm rule {rule} was evaluated.");
    }
    let words: Vec<String> = triggers
        .iter()
        .map(|t| {
            let at = chrono::DateTime::from_timestamp_millis(t.at_ms).unwrap_or_default();
            format!("{} transitioned to {} at {} UTC", t.arn, t.state, at.format("%A %d %B, %Y %H:%M:%S"))
        })
        .collect();
    words.join("; ")
}

/// The `StateReasonData` of a composite alarm: `{"triggeringAlarms": [{"arn", "state": {"value", "timestamp"}}]}`.
pub fn composite_reason_data(triggers: &[Trigger]) -> String {
    let alarms: Vec<Value> = triggers
        .iter()
        .map(|t| json!({ "arn": t.arn, "state": { "value": t.state.as_str(), "timestamp": data_time(t.at_ms) } }))
        .collect();
    json!({ "triggeringAlarms": alarms }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(ms: i64, value: Option<f64>, slot: Slot) -> Judged {
        Judged { timestamp_ms: ms, value, slot, bound: Some(Bound::Threshold(1.0)), sample_count: value.map(|_| 1.0) }
    }

    /// AWS's own example reason, from a 1 of 1 alarm whose datapoint was 3.0 at 19:53 on 12 August 2022.
    #[test]
    fn an_alarm_reason_reads_as_cloudwatch_writes_it() {
        let at = 1_660_333_980_000; // 2022-08-12T19:53:00Z
        let reason = threshold_reason(
            AlarmState::Ok,
            AlarmState::Alarm,
            Comparison::GreaterThanOrEqualToThreshold,
            &[point(at, Some(3.0), Slot::Breaching)],
            1,
            MissingData::Missing,
        );
        assert_eq!(
            reason,
            "Threshold Crossed: 1 out of the last 1 datapoints [3.0 (12/08/22 19:53:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition)."
        );
    }

    #[test]
    fn ok_and_insufficient_reasons() {
        let points = [point(0, Some(0.5), Slot::NotBreaching), point(60_000, None, Slot::Missing)];
        let ok = threshold_reason(
            AlarmState::Alarm,
            AlarmState::Ok,
            Comparison::GreaterThanThreshold,
            &points,
            2,
            MissingData::Missing,
        );
        assert_eq!(
            ok,
            "Threshold Crossed: 1 out of the last 2 datapoints [0.5 (01/01/70 00:00:00)] was not greater than the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition)."
        );
        let insufficient = threshold_reason(
            AlarmState::Ok,
            AlarmState::InsufficientData,
            Comparison::GreaterThanThreshold,
            &[point(0, None, Slot::Missing)],
            1,
            MissingData::Missing,
        );
        assert_eq!(insufficient, "Insufficient Data: 1 datapoint was unknown.");
        let filled = threshold_reason(
            AlarmState::Ok,
            AlarmState::Alarm,
            Comparison::GreaterThanThreshold,
            &[point(0, None, Slot::Breaching), point(60_000, None, Slot::Breaching)],
            2,
            MissingData::Breaching,
        );
        assert_eq!(
            filled,
            "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching]."
        );
    }

    #[test]
    fn reason_data_is_json_with_each_evaluated_point() {
        let data = threshold_reason_data(
            120_000,
            Some("Average"),
            60,
            Some(1.0),
            &[point(60_000, Some(3.0), Slot::Breaching)],
        );
        let value: Value = serde_json::from_str(&data).unwrap();
        assert_eq!(value["version"], "1.0");
        assert_eq!(value["statistic"], "Average");
        assert_eq!(value["recentDatapoints"], json!([3.0]));
        assert_eq!(value["evaluatedDatapoints"][0]["timestamp"], "1970-01-01T00:01:00.000+0000");
        assert_eq!(value["queryDate"], "1970-01-01T00:02:00.000+0000");
    }
}
