//! One evaluation of a metric alarm over the datapoints of its evaluation range, as CloudWatch documents it
//! ("How alarm state is evaluated when data is missing"):
//!
//! - With at least `EvaluationPeriods` (N) real datapoints in the range, the N most recent real ones are evaluated
//!   and how missing data is treated does not matter.
//! - With fewer, every real datapoint is evaluated, and missing ones fill the rest of N, as few as possible: the
//!   most recent missing periods. `breaching` and `notBreaching` fill with breaching and non-breaching points;
//!   `missing` and `ignore` fill with nothing.
//! - The state is ALARM when at least `DatapointsToAlarm` (M) evaluated points breach. Otherwise it is OK when an
//!   evaluated point is real and not breaching (ALARM cannot follow from the data), and when none is real it is
//!   INSUFFICIENT_DATA (`missing`) or the current state (`ignore`). When the only real points breach but fewer
//!   than M: `missing` gives ALARM if the oldest evaluated point is one of them, else INSUFFICIENT_DATA; `ignore`
//!   keeps the current state.
//!
//! The range holds N + 2 periods ([`evaluation_range`]), as in CloudWatch's own examples (five points for 3 of 3).

use crate::AlarmState;

/// How an alarm treats missing datapoints (`TreatMissingData`); `missing` by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingData {
    #[default]
    Missing,
    Ignore,
    Breaching,
    NotBreaching,
}

impl MissingData {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MissingData::Missing => "missing",
            MissingData::Ignore => "ignore",
            MissingData::Breaching => "breaching",
            MissingData::NotBreaching => "notBreaching",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [MissingData::Missing, MissingData::Ignore, MissingData::Breaching, MissingData::NotBreaching]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// One period of the evaluation range: missing, or whether its datapoint breaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Missing,
    Breaching,
    NotBreaching,
}

/// What an evaluation decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Set(AlarmState),
    /// Keep the current state (`ignore` with nothing to decide on).
    Keep,
}

/// An evaluation's outcome: the decision, and which slots of the range were evaluated (oldest first; filled
/// slots are listed with what they were filled with), for the state reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    /// `(index in the range, slot as evaluated, real)`.
    pub evaluated: Vec<(usize, Slot, bool)>,
}

/// How many periods an alarm of `evaluation_periods` looks at.
pub fn evaluation_range(evaluation_periods: usize) -> usize {
    evaluation_periods.saturating_add(2)
}

/// Evaluates `range` (oldest first) for an M (`datapoints_to_alarm`) out of N (`evaluation_periods`) alarm.
pub fn evaluate(
    range: &[Slot],
    evaluation_periods: usize,
    datapoints_to_alarm: usize,
    missing: MissingData,
) -> Evaluation {
    let n = evaluation_periods.max(1);
    let m = datapoints_to_alarm.clamp(1, n);
    let real: Vec<usize> = (0..range.len()).filter(|&i| range[i] != Slot::Missing).collect();
    let mut evaluated: Vec<(usize, Slot, bool)> = if real.len() >= n {
        real[real.len() - n..].iter().map(|&i| (i, range[i], true)).collect()
    } else {
        let fill = match missing {
            MissingData::Breaching => Slot::Breaching,
            MissingData::NotBreaching => Slot::NotBreaching,
            MissingData::Missing | MissingData::Ignore => Slot::Missing,
        };
        let wanted = n - real.len();
        let filled = (0..range.len()).rev().filter(|&i| range[i] == Slot::Missing).take(wanted);
        // A range shorter than N is filled as if it went back further.
        let short = wanted.saturating_sub(range.len() - real.len());
        let mut slots: Vec<(usize, Slot, bool)> = real.iter().map(|&i| (i, range[i], true)).collect();
        slots.extend(filled.map(|i| (i, fill, false)));
        slots.extend((0..short).map(|_| (0, fill, false)));
        slots
    };
    evaluated.sort_by_key(|(i, _, real)| (*i, !*real));
    let breaching = evaluated.iter().filter(|(_, slot, _)| *slot == Slot::Breaching).count();
    let real_not_breaching = evaluated.iter().any(|(_, slot, real)| *real && *slot == Slot::NotBreaching);
    let filled_not_breaching = evaluated.iter().any(|(_, slot, real)| !*real && *slot == Slot::NotBreaching);
    let any_real = evaluated.iter().any(|(_, _, real)| *real);
    let decision = if breaching >= m {
        Decision::Set(AlarmState::Alarm)
    } else if real_not_breaching || filled_not_breaching {
        Decision::Set(AlarmState::Ok)
    } else {
        match missing {
            MissingData::Ignore => Decision::Keep,
            _ if !any_real => Decision::Set(AlarmState::InsufficientData),
            _ if evaluated.first().is_some_and(|(_, slot, real)| *real && *slot == Slot::Breaching) => {
                Decision::Set(AlarmState::Alarm)
            }
            _ => Decision::Set(AlarmState::InsufficientData),
        }
    };
    Evaluation { decision, evaluated }
}
