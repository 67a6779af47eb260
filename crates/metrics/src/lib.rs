//! CloudWatch metrics on the time-series engine: PutMetricData validation (a request with any bad datum is
//! refused whole), GetMetricStatistics, GetMetricData with metric math and SEARCH, and ListMetrics, with
//! CloudWatch's period and retention rules.

mod answers;
mod data;
mod error;
mod fetch;
mod handle;
mod ingest;
mod label;
mod list;
mod operations;
mod paging;
mod periods;
pub mod search;
mod stat_pages;
mod statistics;
mod units;
mod widget_data;
mod widget_image;

pub use answers::{AnswerCache, KEPT_FOR_MS, MAX_KEPT_BYTES};
pub use data::{
    DataQuery, DataRequest, DataResponse, DataResult, QueryKind, StatusCode, get_metric_data, get_metric_data_paged,
};
pub use error::MetricsQueryError;
pub use handle::Metrics;
pub use ingest::{
    DatumRef, DatumSource, Datums, Dims, MAX_DIMENSIONS, MAX_METRICS_PER_REQUEST, MAX_VALUES, MetricDatum,
    PutMetricDataError, STANDARD_UNITS, StatisticValues, Text, WireData, WireDataBuilder, WireDatum, plan_put,
    plan_put_refs, plan_service_put,
};
pub use list::{ListPage, ListRequest, ListView, MAX_PAGE_SIZE as MAX_LIST_PAGE_SIZE, contains_all, list_metrics};
pub use operations::{
    GetMetricData, GetMetricStatistics, GetMetricWidgetImage, ListMetrics, PutMetricData, PutMetricDataInput,
    StatisticsReply, WidgetImageInput,
};
pub use periods::{AUTOMATIC_PERIODS, Plan, automatic_period, is_kept, is_valid_period, plan};
pub use skywatch_tsdb as tsdb;
pub use statistics::{StatisticsDatapoint, StatisticsRequest, get_metric_statistics};
pub use widget_data::{MetricDataSource, PeriodChoice, WidgetData, row_ids, widget_data};
pub use widget_image::{MAX_WIDGET_BYTES, MAX_WIDGET_METRICS, WidgetImageError, get_metric_widget_image};
