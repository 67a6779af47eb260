//! The series catalogue as queries see it: which series exist (one per metric and unit), their identity, unit
//! and when they were last written; and the catalogue index (`index.rs`) that lists, searches and counts a scope's
//! metrics without walking every series (issue 15).

mod index;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

pub(crate) use index::Index;
pub use index::{CatalogFilter, Term as CatalogTerm, sort_text, words as catalog_words};

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

/// One metric of the catalogue and its series, one a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogMetric {
    pub key: Arc<SeriesKey>,
    pub series: Vec<SeriesInfo>,
}

impl CatalogMetric {
    /// The series last written (the first, if none says when).
    pub fn newest(&self) -> Option<&SeriesInfo> {
        self.series.iter().rev().max_by_key(|s| s.last_put_ms)
    }
}

/// How many listed metrics a namespace has with one set of dimension names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogGroup {
    pub namespace: String,
    pub dimension_names: Vec<String>,
    pub metrics: usize,
}

/// The index behind its lock.
#[derive(Default)]
pub(crate) struct Catalog(RwLock<Index>);

impl Catalog {
    pub fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Index> {
        self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn metric(slot: &index::Slot) -> CatalogMetric {
    CatalogMetric { key: Arc::clone(&slot.key), series: slot.series.iter().map(|s| info(s)).collect() }
}

impl Tsdb {
    /// Every series of one metric, one per unit it was written with, in no particular order.
    pub fn series_of(&self, key: &SeriesKey) -> Vec<SeriesInfo> {
        self.head().series_of(key).iter().filter(|series| series.is_durable()).map(|series| info(series)).collect()
    }

    /// How many series exist (a metric counts once a unit).
    pub fn series_count(&self) -> usize {
        self.head().len()
    }

    /// One series by id.
    pub fn series_info(&self, id: u64) -> Option<SeriesInfo> {
        self.head().get(id).map(|series| info(&series))
    }

    /// The metrics of an account and region in the catalogue's order ([`sort_text`]) after `after`, those whose
    /// sort text starts with `prefix`, until `visit` returns false.
    pub fn catalog_scan(
        &self,
        account: &str,
        region: &str,
        after: Option<&str>,
        prefix: &str,
        mut visit: impl FnMut(&str, CatalogMetric) -> bool,
    ) {
        let index = self.inner.catalog.read();
        if let Some(scope) = index.scope(account, region) {
            scope.scan(after, prefix, |text, slot| visit(text, metric(slot)));
        }
    }

    /// The metrics of an account and region that `filter` may match and `keep` accepts, in no particular order.
    pub fn catalog_matching(
        &self,
        account: &str,
        region: &str,
        filter: &CatalogFilter,
        mut keep: impl FnMut(&SeriesKey) -> bool,
    ) -> Vec<CatalogMetric> {
        let index = self.inner.catalog.read();
        let Some(scope) = index.scope(account, region) else { return Vec::new() };
        scope.matching(filter).filter(|slot| keep(&slot.key)).map(metric).collect()
    }

    /// Listed metrics (written in the past [`crate::Config::listed_for`], or of unknown age) counted by namespace
    /// and dimension-name set, in that order. A metric past its time leaves the counts at the next maintenance
    /// pass and comes back with its next write.
    pub fn catalog_groups(&self, account: &str, region: &str) -> Vec<CatalogGroup> {
        let index = self.inner.catalog.read();
        let Some(scope) = index.scope(account, region) else { return Vec::new() };
        scope
            .groups()
            .map(|(namespace, names, metrics)| CatalogGroup {
                namespace: namespace.to_owned(),
                dimension_names: names.iter().map(|n| n.to_string()).collect(),
                metrics,
            })
            .collect()
    }

    /// Adds series that became durable to the index, and lists again those written after they expired.
    pub(crate) fn catalog_note(&self, became_durable: &[Arc<Series>], relisted: &[Arc<Series>]) {
        if became_durable.is_empty() && relisted.is_empty() {
            return;
        }
        let mut index = self.inner.catalog.write();
        for series in became_durable {
            series.listed.store(true, Ordering::SeqCst);
            index.add(series, true);
        }
        for series in relisted {
            series.listed.store(true, Ordering::SeqCst);
            index.relist(series);
        }
    }

    /// Builds the index from the head (at open): series not written for [`crate::Config::listed_for`] are not
    /// counted.
    pub(crate) fn catalog_build(&self, now_ms: i64) {
        let cutoff = now_ms.saturating_sub(crate::config::millis(self.inner.config.listed_for));
        let mut index = self.inner.catalog.write();
        self.head().for_each(|series| {
            let last = series.last_put_ms();
            let listed = last == 0 || last >= cutoff;
            series.listed.store(listed, Ordering::SeqCst);
            index.add(series, listed);
        });
    }

    /// Stops counting metrics not written for [`crate::Config::listed_for`] (a maintenance step).
    pub(crate) fn catalog_expire(&self, now_ms: i64) -> usize {
        let cutoff = now_ms.saturating_sub(crate::config::millis(self.inner.config.listed_for));
        let mut index = self.inner.catalog.write();
        let expired = index.expire(cutoff);
        let mut count = 0;
        for metric in &expired {
            metric.iter().for_each(|series| series.listed.store(false, Ordering::SeqCst));
            // A write that raced the expiry (its time stored before it read the flag) lists it again.
            match metric.iter().find(|series| series.last_put_ms() >= cutoff) {
                Some(written) => {
                    index.relist(written);
                    metric.iter().for_each(|series| series.listed.store(true, Ordering::SeqCst));
                }
                None => count += 1,
            }
        }
        count
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
