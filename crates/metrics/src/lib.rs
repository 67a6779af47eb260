//! CloudWatch metrics: validates PutMetricData the way CloudWatch does (a request with any bad datum is refused
//! whole), names series, and turns datapoints into store mutations.

mod ingest;
mod series;

pub use ingest::{MAX_DIMENSIONS, MAX_METRICS_PER_REQUEST, MetricDatum, PutMetricDataError, StatisticValues, plan_put};
pub use series::series_key;
