//! The series catalogue as queries see it: which series exist (one per metric and unit), their identity, unit
//! and when they were last written (ListMetrics, SEARCH, and resolving a MetricStat to its series ids).

use std::sync::Arc;

use crate::engine::Tsdb;
use crate::head::Series;
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
        self.head().series_of(key).iter().filter(|series| series.is_durable()).map(|series| info(series)).collect()
    }

    /// Every series `keep` accepts, in no particular order: a metric written with several units is listed once a
    /// unit.
    pub fn series_where(&self, mut keep: impl FnMut(&SeriesKey) -> bool) -> Vec<SeriesInfo> {
        let mut out = Vec::new();
        self.head().for_each(|series| {
            if series.is_durable() && keep(&series.key) {
                out.push(info(series));
            }
        });
        out
    }

    /// How many series exist (a metric counts once a unit).
    pub fn series_count(&self) -> usize {
        self.head().len()
    }

    /// One series by id.
    pub fn series_info(&self, id: u64) -> Option<SeriesInfo> {
        self.head().get(id).map(|series| info(&series))
    }
}

fn info(series: &Series) -> SeriesInfo {
    SeriesInfo {
        id: series.id,
        key: Arc::clone(&series.key),
        unit: series.unit.clone(),
        last_put_ms: series.last_put_ms(),
    }
}
