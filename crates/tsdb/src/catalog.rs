//! The series catalogue as queries see it: which series exist (one per metric and unit), their identity, unit
//! and when they were last written (ListMetrics, SEARCH, and resolving a MetricStat to its series ids).

use std::sync::Arc;

use crate::engine::Tsdb;
use crate::head::SeriesState;
use crate::series::SeriesKey;

/// One series as listed: one metric under one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesInfo {
    pub id: u64,
    pub key: Arc<SeriesKey>,
    /// The unit of all its points; `None` for the unitless series (points sent without a unit or as `None`).
    pub unit: Option<String>,
    /// Epoch ms of the last write that reached it (0 if unknown, e.g. imported data).
    pub last_put_ms: i64,
}

impl Tsdb {
    /// Every series of one metric, one per unit it was written with, in no particular order.
    pub fn series_of(&self, key: &SeriesKey) -> Vec<SeriesInfo> {
        let head = self.head();
        head.ids_of(key)
            .iter()
            .filter_map(|id| head.series.get(id).filter(|state| state.durable).map(|state| info(*id, state)))
            .collect()
    }

    /// Every series `keep` accepts, in no particular order: a metric written with several units is listed once a
    /// unit.
    pub fn series_where(&self, mut keep: impl FnMut(&SeriesKey) -> bool) -> Vec<SeriesInfo> {
        let head = self.head();
        head.series
            .iter()
            .filter(|(_, state)| state.durable && keep(&state.key))
            .map(|(id, state)| info(*id, state))
            .collect()
    }

    /// How many series exist (a metric counts once a unit).
    pub fn series_count(&self) -> usize {
        self.head().series.len()
    }
}

impl Tsdb {
    /// One series by id.
    pub fn series_info(&self, id: u64) -> Option<SeriesInfo> {
        let head = self.head();
        head.series.get(&id).map(|state| info(id, state))
    }
}

fn info(id: u64, state: &SeriesState) -> SeriesInfo {
    SeriesInfo { id, key: Arc::clone(&state.key), unit: state.unit.clone(), last_put_ms: state.last_put_ms }
}
