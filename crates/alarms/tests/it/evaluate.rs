//! Metric alarm evaluation against CloudWatch's documented tables ("How alarm state is evaluated when data is
//! missing": five points fetched, oldest first; `0` not breaching, `X` breaching, `-` missing) and semantics.md's
//! vectors, for every way of treating missing data; then invariants over random ranges.

use proptest::prelude::*;
use skywatch_alarms::AlarmState::{self, Alarm, InsufficientData, Ok};
use skywatch_alarms::evaluate::{Decision, MissingData, Slot, evaluate, evaluation_range};

fn slots(text: &str) -> Vec<Slot> {
    text.split_whitespace()
        .map(|s| match s {
            "X" => Slot::Breaching,
            "0" => Slot::NotBreaching,
            "-" => Slot::Missing,
            other => panic!("bad slot {other}"),
        })
        .collect()
}

/// `None` stands for "retain the current state".
type Row = (&'static str, [Option<AlarmState>; 4]);
const KEEP: Option<AlarmState> = None;
const TREATMENTS: [MissingData; 4] =
    [MissingData::Missing, MissingData::Ignore, MissingData::Breaching, MissingData::NotBreaching];

fn check(m: usize, n: usize, rows: &[Row]) {
    for (points, expected) in rows {
        for (treatment, want) in TREATMENTS.iter().zip(expected) {
            let got = evaluate(&slots(points), n, m, *treatment).decision;
            let want = want.map_or(Decision::Keep, Decision::Set);
            assert_eq!(got, want, "{m} of {n}, {points}, {}", treatment.as_str());
        }
    }
}

#[test]
fn three_of_three_as_cloudwatch_documents() {
    let s = Some;
    check(
        3,
        3,
        &[
            ("0 - X - X", [s(Ok), s(Ok), s(Ok), s(Ok)]),
            ("0 - - - -", [s(Ok), s(Ok), s(Ok), s(Ok)]),
            ("- - - - -", [s(InsufficientData), KEEP, s(Alarm), s(Ok)]),
            ("0 X X - X", [s(Alarm), s(Alarm), s(Alarm), s(Alarm)]),
            ("- - - - X", [s(InsufficientData), KEEP, s(Alarm), s(Ok)]),
            ("X - - - -", [s(Alarm), KEEP, s(Alarm), s(Ok)]),
        ],
    );
}

#[test]
fn two_of_three_as_cloudwatch_documents() {
    let s = Some;
    check(
        2,
        3,
        &[
            ("0 - X - X", [s(Alarm), s(Alarm), s(Alarm), s(Alarm)]),
            ("0 0 X 0 X", [s(Alarm), s(Alarm), s(Alarm), s(Alarm)]),
            ("0 - X - -", [s(Ok), s(Ok), s(Alarm), s(Ok)]),
            ("- - - - 0", [s(Ok), s(Ok), s(Alarm), s(Ok)]),
            ("- - - - X", [s(InsufficientData), KEEP, s(Alarm), s(Ok)]),
        ],
    );
}

#[test]
fn the_ranges_are_n_plus_two_periods() {
    assert_eq!(evaluation_range(3), 5);
    assert_eq!(evaluation_range(1), 3);
}

#[test]
fn the_evaluated_points_are_the_most_recent_real_ones_then_the_fewest_fills() {
    let evaluation = evaluate(&slots("0 X X - X"), 3, 3, MissingData::Missing);
    let indexes: Vec<usize> = evaluation.evaluated.iter().map(|(i, _, _)| *i).collect();
    assert_eq!(indexes, [1, 2, 4]);
    let evaluation = evaluate(&slots("0 - X - -"), 3, 2, MissingData::Breaching);
    let filled: Vec<(usize, bool)> = evaluation.evaluated.iter().map(|(i, _, real)| (*i, *real)).collect();
    assert_eq!(filled, [(0, true), (2, true), (4, false)], "the most recent missing period is filled");
}

fn slot() -> impl Strategy<Value = Slot> {
    prop_oneof![Just(Slot::Missing), Just(Slot::Breaching), Just(Slot::NotBreaching)]
}

proptest! {
    /// Whatever the treatment: N real points decide alone; M breaching among the N most recent real ones is
    /// ALARM; a breaching point added to the newest missing period never turns ALARM into something else.
    #[test]
    fn evaluation_invariants(
        n in 1usize..8,
        m_offset in 0usize..8,
        range in prop::collection::vec(slot(), 1..12),
        treatment in prop::sample::select(TREATMENTS.to_vec()),
    ) {
        let m = 1 + m_offset % n;
        let evaluation = evaluate(&range, n, m, treatment);
        prop_assert!(evaluation.evaluated.len() == n);
        let real: Vec<Slot> = range.iter().copied().filter(|s| *s != Slot::Missing).collect();
        if real.len() >= n {
            let breaching = real[real.len() - n..].iter().filter(|s| **s == Slot::Breaching).count();
            let want = if breaching >= m { Alarm } else { Ok };
            for other in TREATMENTS {
                prop_assert_eq!(evaluate(&range, n, m, other).decision, Decision::Set(want));
            }
        }
        if evaluation.decision == Decision::Set(Alarm)
            && let Some(newest_missing) = range.iter().rposition(|s| *s == Slot::Missing)
        {
            let mut worse = range.clone();
            worse[newest_missing] = Slot::Breaching;
            prop_assert_eq!(evaluate(&worse, n, m, treatment).decision, Decision::Set(Alarm));
        }
        if range.iter().all(|s| *s == Slot::Missing) {
            let want = match treatment {
                MissingData::Missing => Decision::Set(InsufficientData),
                MissingData::Ignore => Decision::Keep,
                MissingData::Breaching => Decision::Set(Alarm),
                MissingData::NotBreaching => Decision::Set(Ok),
            };
            prop_assert_eq!(evaluation.decision, want);
        }
    }
}
