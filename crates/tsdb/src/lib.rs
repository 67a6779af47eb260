//! The metrics time-series engine: series identity interned to ids, points in Gorilla-compressed chunks kept in
//! redb (through `skywatch-store`) behind a write-ahead log, per-period summaries with exact SampleCount, Sum,
//! Minimum, Maximum and a mergeable distribution sketch, CloudWatch's roll-ups and retention, and period queries.
//!
//! The write path: [`Tsdb::prepare`] interns series and returns the log record as store mutations; the caller
//! commits them (with its audit record) and calls [`Tsdb::apply`], which makes the points visible. Checkpoints
//! fold the log into chunks; [`Tsdb::run_background`] drives them, roll-ups and retention.

mod accumulate;
pub mod blocks;
mod catalog;
pub mod codec;
mod config;
mod engine;
mod error;
mod head;
mod maintenance;
mod point;
mod query;
mod rollup;
mod series;
pub mod sketch;
pub mod statistic;
pub mod storage;
pub mod summary;
mod varint;
mod wal;

pub use catalog::{CatalogFilter, CatalogGroup, CatalogMetric, CatalogTerm, SeriesInfo, catalog_words, sort_text};
pub use config::{Config, LATEST_ARRIVAL, Retention};
pub use engine::{PointRef, PreparedWrite, Tsdb, WritePoint};
pub use error::{MaintenanceError, OpenTsdbError, QueryError};
pub use maintenance::MaintenanceReport;
pub use point::Sample;
pub use query::{BucketQuery, Buckets, MAX_QUERY_BUCKETS, Source};
pub use series::{MetricId, SeriesKey, SeriesRef, normalise_unit};
pub use summary::{Distribution, Summary};
