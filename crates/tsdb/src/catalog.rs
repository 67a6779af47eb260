//! The series catalogue as queries see it: which series exist, their identity, unit and when they were last
//! written (ListMetrics, SEARCH, and resolving a MetricStat to a series id).

use std::sync::Arc;

use crate::engine::Tsdb;
use crate::series::SeriesKey;

/// One series as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesInfo {
    pub id: u64,
    pub key: Arc<SeriesKey>,
    pub unit: Option<String>,
    /// Epoch ms of the last write that reached it (0 if unknown, e.g. imported data).
    pub last_put_ms: i64,
}

impl Tsdb {
    /// The id of an existing series.
    pub fn series_id(&self, key: &SeriesKey) -> Option<u64> {
        self.head().ids.get(key).copied()
    }

    /// Every series `keep` accepts, in no particular order.
    pub fn series_where(&self, mut keep: impl FnMut(&SeriesKey) -> bool) -> Vec<SeriesInfo> {
        let head = self.head();
        head.series
            .iter()
            .filter(|(_, state)| state.durable && keep(&state.key))
            .map(|(id, state)| SeriesInfo {
                id: *id,
                key: Arc::clone(&state.key),
                unit: state.unit.clone(),
                last_put_ms: state.last_put_ms,
            })
            .collect()
    }

    /// How many series exist.
    pub fn series_count(&self) -> usize {
        self.head().series.len()
    }
}

impl Tsdb {
    /// One series by id.
    pub fn series_info(&self, id: u64) -> Option<SeriesInfo> {
        let head = self.head();
        head.series.get(&id).map(|state| SeriesInfo {
            id,
            key: Arc::clone(&state.key),
            unit: state.unit.clone(),
            last_put_ms: state.last_put_ms,
        })
    }
}
