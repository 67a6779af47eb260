//! Units belong to datapoints: which of a metric's unit series a query reads, and which unit a query without a
//! Unit answers with when the metric holds several (the first in name order, with AWS's `MultipleUnits` message).

use std::collections::BTreeSet;

use skywatch_tsdb::{SeriesKey, Tsdb, normalise_unit};

/// How CloudWatch names the unit of datapoints sent without one.
pub const NO_UNIT: &str = "None";

/// The code of a result message saying the metric had data in several units.
pub const MULTIPLE_UNITS: &str = "MultipleUnits";

/// One series of a metric: its id and its unit as CloudWatch names it (`None` for the unitless series).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSeries {
    pub id: u64,
    pub unit: String,
}

/// The unit name of a stored series' unit.
pub fn unit_name(unit: Option<&str>) -> &str {
    normalise_unit(unit).unwrap_or(NO_UNIT)
}

/// The series of `key` a query reads: every unit's when `wanted` is `None`, else only the series of that unit
/// (`None` names the unitless one), sorted by unit name.
pub fn candidates(tsdb: &Tsdb, key: &SeriesKey, wanted: Option<&str>) -> Vec<UnitSeries> {
    let wanted = wanted.map(|unit| unit_name(Some(unit)));
    let mut out: Vec<UnitSeries> = tsdb
        .series_of(key)
        .into_iter()
        .map(|info| UnitSeries { id: info.id, unit: unit_name(info.unit.as_deref()).to_owned() })
        .filter(|series| wanted.is_none_or(|wanted| series.unit == wanted))
        .collect();
    out.sort_by(|a, b| a.unit.cmp(&b.unit));
    out
}

/// The choice among a query's unit series, fed with each series that has data in the query's range: AWS answers a
/// query without a Unit with the datapoints of one unit, in the recordings (Count before Milliseconds before
/// Seconds) the first in name order, which is the rule here; how datapoints without a unit (`None`) take part is not
/// recorded, and here `None` sorts as its name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitChoice {
    units: BTreeSet<String>,
}

impl UnitChoice {
    /// Records that the series of `unit` has data; true when it is now the chosen one (its values replace those
    /// of any unit chosen before).
    pub fn offer(&mut self, unit: &str) -> bool {
        let first = self.units.first().is_none_or(|chosen| unit < chosen.as_str());
        self.units.insert(unit.to_owned());
        first
    }

    /// The unit answered with, if any series had data.
    pub fn chosen(&self) -> Option<&str> {
        self.units.first().map(String::as_str)
    }

    /// The result message AWS adds when the metric had data in more than one unit, listing them all in order:
    /// `Multiple units returned: '[Count, Milliseconds, Seconds]'`.
    pub fn message(&self) -> Option<(String, String)> {
        (self.units.len() > 1).then(|| {
            let units: Vec<&str> = self.units.iter().map(String::as_str).collect();
            (MULTIPLE_UNITS.to_owned(), format!("Multiple units returned: '[{}]'", units.join(", ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The recorded AWS cases (LocalStack's `test_get_metric_data_different_units_no_unit_in_query`), offered in
    /// every order: the chosen unit and the message do not depend on which series is read first.
    #[test]
    fn the_first_unit_by_name_is_chosen_and_all_are_named() {
        let cases: &[(&[&str], &str, Option<&str>)] = &[
            (&["Seconds"], "Seconds", None),
            (&["Milliseconds", "Seconds"], "Milliseconds", Some("Multiple units returned: '[Milliseconds, Seconds]'")),
            (
                &["Seconds", "Count", "Milliseconds"],
                "Count",
                Some("Multiple units returned: '[Count, Milliseconds, Seconds]'"),
            ),
        ];
        for (units, chosen, message) in cases {
            for rotation in 0..units.len() {
                let mut order = units.to_vec();
                order.rotate_left(rotation);
                let mut choice = UnitChoice::default();
                let taken: Vec<&str> = order.iter().copied().filter(|unit| choice.offer(unit)).collect();
                assert_eq!(taken.last(), Some(chosen), "{order:?}");
                assert_eq!(choice.chosen(), Some(*chosen));
                let expected = message.map(|m| (MULTIPLE_UNITS.to_owned(), m.to_owned()));
                assert_eq!(choice.message(), expected, "{order:?}");
            }
        }
        assert_eq!(UnitChoice::default().chosen(), None);
        assert_eq!(UnitChoice::default().message(), None);
    }

    #[test]
    fn unitless_series_are_named_none() {
        for (stored, name) in [(None, "None"), (Some("None"), "None"), (Some(""), "None"), (Some("Count"), "Count")] {
            assert_eq!(unit_name(stored), name, "{stored:?}");
        }
    }
}
