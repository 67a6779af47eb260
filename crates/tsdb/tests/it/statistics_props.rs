//! Property tests of the sketch, summaries and statistics against a reference over raw values: every statistic
//! within its stated bound, the three PutMetricData forms alike, merging in any grouping alike, encodings that
//! round-trip and decode of arbitrary bytes that never panics, and statistic spellings that round-trip.

use crate::statistics_reference;

use proptest::prelude::*;
use skywatch_tsdb::sketch::Sketch;
use skywatch_tsdb::statistic::{Bounds, Statistic};
use skywatch_tsdb::summary::{Distribution, Summary};
use statistics_reference::{Reference, check, dataset, iqm, one_at_a_time, percent, value};

/// The statistics checked on one data set: fixed spellings, random percentages, and absolute bounds both random
/// and equal to values of the data (to land on bucket and bound edges).
fn statistics_for(data: &[f64], percents: &[f64], picks: &[prop::sample::Index], randoms: &[f64]) -> Vec<Statistic> {
    let mut stats = vec![
        Statistic::SampleCount,
        Statistic::Sum,
        Statistic::Average,
        Statistic::Minimum,
        Statistic::Maximum,
        Statistic::InterquartileMean,
    ];
    for p in
        [0.0, 0.1, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 100.0].into_iter().chain(percents.iter().copied())
    {
        stats.push(Statistic::Percentile(p));
    }
    let mut bounds = vec![
        Bounds::Percent { lower: None, upper: Some(90.0) },
        Bounds::Percent { lower: Some(10.0), upper: Some(90.0) },
        Bounds::Percent { lower: Some(80.0), upper: None },
        iqm(),
    ];
    for pair in percents.chunks_exact(2) {
        let (l, u) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
        bounds.push(Bounds::Percent { lower: Some(l), upper: Some(u) });
        bounds.push(Bounds::Percent { lower: Some(l), upper: None });
        bounds.push(Bounds::Percent { lower: None, upper: Some(u) });
    }
    let picked: Vec<f64> = picks.iter().map(|i| *i.get(data)).chain(randoms.iter().copied()).collect();
    let mut absolute = Vec::new();
    for pair in picked.chunks_exact(2) {
        let (l, u) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
        absolute.push((Some(l), Some(u)));
        absolute.push((None, Some(u)));
        absolute.push((Some(l), None));
    }
    for &(lower, upper) in &absolute {
        bounds.push(Bounds::Absolute { lower, upper });
        stats.push(Statistic::PercentileRank { lower, upper });
    }
    for b in bounds {
        stats.extend([
            Statistic::TrimmedMean(b),
            Statistic::WinsorizedMean(b),
            Statistic::TrimmedCount(b),
            Statistic::TrimmedSum(b),
        ]);
    }
    stats
}

/// Distinct values in first-seen order with how often each occurs: the `Values` + `Counts` form of `data`.
fn grouped(data: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut values: Vec<f64> = Vec::new();
    let mut counts: Vec<f64> = Vec::new();
    for &v in data {
        match values.iter().position(|&w| w == v) {
            Some(i) => counts[i] += 1.0,
            None => {
                values.push(v);
                counts.push(1.0);
            }
        }
    }
    (values, counts)
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-11 * (scale + 1.0)
}

fn magnitude(data: &[f64]) -> f64 {
    data.iter().map(|v| v.abs()).sum()
}

/// A summary of any kind: of values, of a statistic set (with or without a distribution), or empty.
fn any_summary() -> impl Strategy<Value = Summary> {
    prop_oneof![
        3 => dataset().prop_map(|d| one_at_a_time(&d)),
        1 => (prop::collection::vec(value(), 1..50), prop::collection::vec(0.01..1e6f64, 50))
            .prop_map(|(v, c)| Summary::from_values_counts(&v, &c[..v.len()])),
        1 => (1.0..1e6f64, value(), value(), value())
            .prop_map(|(n, s, a, b)| Summary::from_statistic_set(n, s, a.min(b), a.max(b))),
        1 => (value(), 1.0..1e6f64).prop_map(|(v, n)| Summary::from_statistic_set(n, v * n, v, v)),
        1 => Just(Summary::empty()),
    ]
}

fn any_statistic() -> impl Strategy<Value = Statistic> {
    let number = prop_oneof![
        (-1_000_000i64..1_000_000).prop_map(|v| v as f64),
        (-10_000_000i64..10_000_000).prop_map(|v| v as f64 / 1000.0)
    ];
    let number = number.boxed();
    let maybe_percent = proptest::option::of(percent()).boxed();
    let maybe_number = proptest::option::of(number).boxed();
    let percent_bounds = (maybe_percent.clone(), maybe_percent)
        .prop_filter("a bound and ordered", |(l, u)| match (l, u) {
            (None, None) => false,
            (Some(l), Some(u)) => l < u,
            _ => true,
        })
        .prop_map(|(lower, upper)| Bounds::Percent { lower, upper });
    let absolute = (maybe_number.clone(), maybe_number)
        .prop_filter("a bound and ordered", |(l, u)| match (l, u) {
            (None, None) => false,
            (Some(l), Some(u)) => l < u,
            _ => true,
        })
        .boxed();
    let bounds =
        prop_oneof![percent_bounds, absolute.clone().prop_map(|(lower, upper)| Bounds::Absolute { lower, upper }),]
            .boxed();
    prop_oneof![
        Just(Statistic::SampleCount),
        Just(Statistic::Sum),
        Just(Statistic::Average),
        Just(Statistic::Minimum),
        Just(Statistic::Maximum),
        Just(Statistic::InterquartileMean),
        percent().prop_map(Statistic::Percentile),
        (0u64..=100_000_000_000u64).prop_map(|v| Statistic::Percentile(v as f64 / 1e9)),
        bounds.clone().prop_map(Statistic::TrimmedMean),
        bounds.clone().prop_map(Statistic::WinsorizedMean),
        bounds.clone().prop_map(Statistic::TrimmedCount),
        bounds.prop_map(Statistic::TrimmedSum),
        absolute.prop_map(|(lower, upper)| Statistic::PercentileRank { lower, upper }),
    ]
}

/// Spellings built from the grammar (valid or not).
fn any_spelling() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        (0u32..200).prop_map(|v| v.to_string()),
        (0u32..200, 0u32..1000).prop_map(|(a, b)| format!("{a}.{b}")),
        (0u32..100, 0u64..100_000_000_000).prop_map(|(a, b)| format!("{a}.{b:011}")),
        Just(String::new()),
        Just("-3".to_owned()),
        Just("1e3".to_owned()),
        Just(".5".to_owned()),
    ];
    let bound =
        (number.clone(), any::<bool>()).prop_map(|(n, pct)| if pct && !n.is_empty() { format!("{n}%") } else { n });
    let name = prop::sample::select(vec![
        "TM", "WM", "TC", "TS", "PR", "tm", "Tm", "p", "P", "tm", "wm", "tc", "ts", "IQM", "iqm",
    ]);
    prop_oneof![
        (name.clone(), bound.clone(), bound).prop_map(|(name, l, u)| format!("{name}({l}:{u})")),
        (name, number).prop_map(|(name, n)| format!("{name}{n}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_statistic_is_within_its_stated_bound(
        data in dataset(),
        percents in prop::collection::vec(percent(), 0..6),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        randoms in prop::collection::vec(value(), 0..4),
    ) {
        let summary = one_at_a_time(&data);
        let reference = Reference::new(&data);
        for statistic in statistics_for(&data, &percents, &picks, &randoms) {
            if let Err(message) = check(&statistic, &summary, &reference) {
                prop_assert!(false, "{}", message);
            }
        }
    }

    #[test]
    fn the_three_put_metric_data_forms_agree(data in dataset()) {
        let single = one_at_a_time(&data);
        let (values, counts) = grouped(&data);
        let with_counts = Summary::from_values_counts(&values, &counts);
        let unit_values = Summary::from_values_counts(&data, &[]);
        let sum: f64 = data.iter().sum();
        let (minimum, maximum) = (single.minimum, single.maximum);
        let set = Summary::from_statistic_set(data.len() as f64, sum, minimum, maximum);
        let scale = magnitude(&data);
        prop_assert_eq!(&unit_values, &single);
        for other in [&with_counts, &set] {
            prop_assert_eq!(other.sample_count, single.sample_count);
            prop_assert_eq!(other.minimum, single.minimum);
            prop_assert_eq!(other.maximum, single.maximum);
            prop_assert!(close(other.sum, single.sum, scale), "{} vs {}", other.sum, single.sum);
            let (a, b) = (other.average().unwrap_or(f64::NAN), single.average().unwrap_or(f64::NAN));
            prop_assert!(close(a, b, scale / data.len() as f64), "{} vs {}", a, b);
        }
        prop_assert_eq!(set.sum, single.sum);
        // Values + Counts gives the very same sketch, hence the very same percentile family.
        prop_assert_eq!(&with_counts.distribution, &single.distribution);
        for p in [0.0, 1.0, 50.0, 99.0, 99.9, 100.0] {
            let percentile = Statistic::Percentile(p);
            prop_assert_eq!(percentile.evaluate(&with_counts), percentile.evaluate(&single));
        }
        // A statistic set carries a distribution only when SampleCount is 1 or Minimum equals Maximum.
        if data.len() == 1 || minimum == maximum {
            prop_assert_eq!(&set.distribution, &single.distribution);
        } else {
            prop_assert_eq!(&set.distribution, &Distribution::Unavailable);
            prop_assert_eq!(Statistic::Percentile(50.0).evaluate(&set), None);
            prop_assert_eq!(Statistic::TrimmedMean(iqm()).evaluate(&set), None);
            prop_assert_eq!(Statistic::Maximum.evaluate(&set), Some(maximum));
        }
    }

    #[test]
    fn merging_parts_in_any_grouping_equals_the_whole(
        data in dataset(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        order in any::<prop::sample::Index>(),
    ) {
        let whole = one_at_a_time(&data);
        let mut positions: Vec<usize> = cuts.iter().map(|c| c.index(data.len() + 1)).collect();
        positions.extend([0, data.len()]);
        positions.sort_unstable();
        let parts: Vec<Summary> = positions.windows(2).map(|w| one_at_a_time(&data[w[0]..w[1]])).collect();
        // Left fold, right fold, and a rotation of the parts.
        let mut left = Summary::empty();
        for part in &parts {
            left.merge(part);
        }
        let mut right = Summary::empty();
        for part in parts.iter().rev() {
            let mut next = part.clone();
            next.merge(&right);
            right = next;
        }
        let mut rotated = Summary::empty();
        let shift = order.index(parts.len());
        for part in parts[shift..].iter().chain(&parts[..shift]) {
            rotated.merge(part);
        }
        let scale = magnitude(&data);
        for merged in [&left, &right, &rotated] {
            prop_assert_eq!(merged.sample_count, whole.sample_count);
            prop_assert_eq!(merged.minimum, whole.minimum);
            prop_assert_eq!(merged.maximum, whole.maximum);
            prop_assert!(close(merged.sum, whole.sum, scale));
            prop_assert_eq!(&merged.distribution, &whole.distribution);
        }
    }

    #[test]
    fn summaries_round_trip_through_their_encoding(
        summary in any_summary(),
        trailing in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let mut bytes = Vec::new();
        summary.encode(&mut bytes);
        let used = bytes.len();
        bytes.extend(&trailing);
        let decoded = Summary::decode(&bytes);
        prop_assert_eq!(decoded, Ok((summary.clone(), used)));
        if let Some(sketch) = summary.sketch() {
            let mut bytes = Vec::new();
            sketch.encode(&mut bytes);
            prop_assert_eq!(Sketch::decode(&bytes), Ok((sketch.clone(), bytes.len())));
        }
    }

    #[test]
    fn decoding_damaged_encodings_never_panics(
        summary in any_summary(),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = Vec::new();
        summary.encode(&mut bytes);
        for (at, byte) in damage {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = Summary::decode(&bytes);
        let _ = Summary::decode(&bytes[..cut.index(bytes.len() + 1)]);
        let _ = Sketch::decode(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(
        first in prop::sample::select(vec![0u8, 1, 2, 3, 4, 5, 6, 8, 12, 20, 28, 0x20, 0x40, 0x60, 0x80, 0xa0, 0xff]),
        rest in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        // A plausible tag or flags byte first, so that decoding gets past it often.
        let mut bytes = vec![first];
        bytes.extend(rest);
        // Whatever decodes re-encodes to something that decodes to the same.
        if let Ok((summary, used)) = Summary::decode(&bytes) {
            prop_assert!(used <= bytes.len());
            let mut again = Vec::new();
            summary.encode(&mut again);
            prop_assert_eq!(Summary::decode(&again), Ok((summary, again.len())));
        }
        if let Ok((sketch, used)) = Sketch::decode(&bytes) {
            prop_assert!(used <= bytes.len());
            let mut again = Vec::new();
            sketch.encode(&mut again);
            prop_assert_eq!(Sketch::decode(&again), Ok((sketch, again.len())));
        }
    }

    #[test]
    fn statistics_round_trip_through_their_spelling(statistic in any_statistic()) {
        let spelled = statistic.to_string();
        prop_assert_eq!(spelled.parse::<Statistic>(), Ok(statistic), "{}", spelled);
    }

    #[test]
    fn whatever_parses_spells_back_to_itself(spelling in any_spelling()) {
        if let Ok(statistic) = spelling.parse::<Statistic>() {
            let again = statistic.to_string();
            prop_assert_eq!(again.parse::<Statistic>(), Ok(statistic), "{} -> {}", spelling, again);
            prop_assert!(statistic.is_extended());
        }
    }
}
