//! CloudWatch's metric operations, run by the AWS front door and the console alike: PutMetricData,
//! GetMetricStatistics, GetMetricData, ListMetrics and GetMetricWidgetImage. The account always comes from the
//! context, never from the input. Inputs serialise as CloudTrail records them (lower-camel member names).

use serde::ser::{Serialize, Serializer};
use serde_json::{Value, json};
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, Limit, Operation, Spec, codes};
use skywatch_tsdb::{SeriesKey, Tsdb};

use crate::data::{DataRequest, DataResponse, QueryKind, get_metric_data_paged};
use crate::error::MetricsQueryError;
use crate::handle::Metrics;
use crate::ingest::{DatumRef, DatumSource, Datums, Dims, PutMetricDataError, plan_put_refs};
use crate::list::{ListPage, ListRequest, list_metrics};
use crate::statistics::{StatisticsDatapoint, StatisticsRequest, get_metric_statistics};
use crate::widget_image::{WidgetImageError, get_metric_widget_image};

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "monitoring", event_source: "monitoring.amazonaws.com", name, access, limits: &[] }
}

impl AwsError for PutMetricDataError {
    fn code(&self) -> ErrorCode {
        match self {
            PutMetricDataError::MissingParameter(_) => codes::cloudwatch::MISSING_PARAMETER,
            PutMetricDataError::InvalidParameterValue(_) => codes::cloudwatch::INVALID_PARAMETER_VALUE,
            PutMetricDataError::InvalidParameterCombination(_) => codes::cloudwatch::INVALID_PARAMETER_COMBINATION,
        }
    }
}

impl AwsError for MetricsQueryError {
    fn code(&self) -> ErrorCode {
        match self {
            MetricsQueryError::MissingParameter(_) => codes::cloudwatch::MISSING_PARAMETER,
            MetricsQueryError::InvalidParameterValue(_) => codes::cloudwatch::INVALID_PARAMETER_VALUE,
            MetricsQueryError::InvalidParameterCombination(_) => codes::cloudwatch::INVALID_PARAMETER_COMBINATION,
            MetricsQueryError::InvalidNextToken(_) => codes::cloudwatch::INVALID_NEXT_TOKEN,
            MetricsQueryError::Validation(_) => codes::cloudwatch::VALIDATION,
            MetricsQueryError::Storage(skywatch_tsdb::QueryError::TooLarge { .. }) => {
                codes::cloudwatch::INVALID_PARAMETER_COMBINATION
            }
            MetricsQueryError::Storage(_) | MetricsQueryError::Unavailable(_) => codes::INTERNAL,
        }
    }
}

impl AwsError for WidgetImageError {
    fn code(&self) -> ErrorCode {
        match self {
            WidgetImageError::InvalidWidget(_) => codes::cloudwatch::VALIDATION,
            WidgetImageError::Query(query) => query.code(),
            WidgetImageError::Draw(_) => codes::INTERNAL,
        }
    }
}

fn dimensions_json(dimensions: &[(String, String)]) -> Value {
    dimensions.iter().map(|(name, value)| json!({ "name": name, "value": value })).collect()
}

fn metric_json(series: &SeriesKey) -> Value {
    json!({
        "namespace": series.namespace,
        "metricName": series.metric_name,
        "dimensions": dimensions_json(&series.dimensions),
    })
}

fn time(ms: i64) -> Value {
    json!(ms as f64 / 1000.0)
}

/// Serialises a value through its JSON form (for the inputs defined in other modules).
fn as_json<S: Serializer>(value: Value, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize(serializer)
}

/// PutMetricData's input: the namespace and the datums (the account and region are the context's). The datums are
/// owned, or spans of the request body the front door decoded them from; both forms of one request are equal and
/// serialise to the same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct PutMetricDataInput {
    pub namespace: String,
    pub metric_data: Datums,
}

/// A `Dimensions` list as CloudTrail records it, serialised without building a JSON tree (this runs for every
/// PutMetricData).
struct Dimensions<'a>(Dims<'a>);

impl Serialize for Dimensions<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Dimension<'a> {
            name: &'a str,
            value: &'a str,
        }
        serializer.collect_seq(self.0.iter().map(|(name, value)| Dimension { name, value }))
    }
}

/// The finite numbers of a list (CloudTrail's JSON has no NaN), serialised without copying them.
struct Finite<'a>(&'a [f64]);

impl Serialize for Finite<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().filter(|v| v.is_finite()))
    }
}

/// One datum as CloudTrail records it.
struct Datum<'a>(DatumRef<'a>);

impl Serialize for Datum<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Statistics {
            sample_count: f64,
            sum: f64,
            minimum: f64,
            maximum: f64,
        }
        let d = &self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("metricName", d.metric_name)?;
        if !d.dimensions.is_empty() {
            map.serialize_entry("dimensions", &Dimensions(d.dimensions))?;
        }
        if let Some(t) = d.timestamp_ms {
            map.serialize_entry("timestamp", &(t as f64 / 1000.0))?;
        }
        if let Some(v) = d.value.filter(|v| v.is_finite()) {
            map.serialize_entry("value", &v)?;
        }
        if let Some(s) = &d.statistic_values {
            let stats = Statistics { sample_count: s.sample_count, sum: s.sum, minimum: s.minimum, maximum: s.maximum };
            map.serialize_entry("statisticValues", &stats)?;
        }
        if !d.values.is_empty() {
            map.serialize_entry("values", &Finite(d.values))?;
        }
        if !d.counts.is_empty() {
            map.serialize_entry("counts", &Finite(d.counts))?;
        }
        if let Some(unit) = d.unit {
            map.serialize_entry("unit", unit)?;
        }
        if let Some(resolution) = d.storage_resolution {
            map.serialize_entry("storageResolution", &resolution)?;
        }
        map.end()
    }
}

impl Serialize for PutMetricDataInput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("namespace", &self.namespace)?;
        map.serialize_entry("metricData", &DataList(&self.metric_data))?;
        map.end()
    }
}

/// The datums, serialised one by one (serialisation stops at CloudTrail's size limit).
struct DataList<'a>(&'a Datums);

impl Serialize for DataList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((0..self.0.len()).map(|i| Datum(self.0.get(i))))
    }
}

/// The fewest bytes a datum takes in `requestParameters` with the comma after it: `{"metricName":""},`.
const MIN_AUDITED_DATUM_BYTES: usize = 18;

/// PutMetricData: the whole request validated, then its log record committed with the audit record, then the
/// points made visible.
pub struct PutMetricData;

impl Operation for PutMetricData {
    const SPEC: Spec = spec("PutMetricData", Access::Write).with_limits(&[
        Limit::aws("MetricData members", crate::MAX_METRICS_PER_REQUEST as u64),
        Limit::aws("Dimensions a datum", crate::MAX_DIMENSIONS as u64),
        Limit::aws("Values a datum", 150),
        Limit::aws("request body bytes", 1024 * 1024),
    ]);
    type Engine = Tsdb;
    type Input = PutMetricDataInput;
    type Output = ();
    type Error = PutMetricDataError;

    /// Each datum is at least `{"metricName":""}` and a comma: a request of 1,000 datums is over CloudTrail's
    /// limit, and its record leaves the parameters out without serialising 16 KiB of them first.
    fn audited_bytes_at_least(input: &PutMetricDataInput) -> usize {
        input.metric_data.len().saturating_mul(MIN_AUDITED_DATUM_BYTES)
    }

    async fn run(
        tsdb: &Tsdb,
        ctx: &Context,
        input: PutMetricDataInput,
    ) -> Result<Effect<(), PutMetricDataError>, PutMetricDataError> {
        let mut dims = Vec::new();
        let points =
            plan_put_refs(&ctx.account, &ctx.region, &input.namespace, &input.metric_data, ctx.now_ms, &mut dims)?;
        let mut prepared = tsdb.prepare_refs(&points);
        let changes = std::mem::take(&mut prepared.mutations);
        let (tsdb, now_ms) = (tsdb.clone(), ctx.now_ms);
        Ok(Effect::commit((), changes).then(move || tsdb.apply(prepared, now_ms)))
    }
}

/// The series of a request, moved into the context's account.
fn in_account(series: &SeriesKey, ctx: &Context) -> SeriesKey {
    SeriesKey::new(
        ctx.account.as_str(),
        series.region.as_str(),
        series.namespace.as_str(),
        series.metric_name.as_str(),
        series.dimensions.clone(),
    )
}

impl Serialize for StatisticsRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = metric_json(&self.series);
        out["startTime"] = time(self.start_ms);
        out["endTime"] = time(self.end_ms);
        out["period"] = json!(self.period_seconds);
        if !self.statistics.is_empty() {
            out["statistics"] = json!(self.statistics);
        }
        if !self.extended_statistics.is_empty() {
            out["extendedStatistics"] = json!(self.extended_statistics);
        }
        if let Some(unit) = &self.unit {
            out["unit"] = json!(unit);
        }
        as_json(out, serializer)
    }
}

/// GetMetricStatistics' reply: the label (the metric's name) and the datapoints.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticsReply {
    pub label: String,
    pub datapoints: Vec<StatisticsDatapoint>,
}

/// GetMetricStatistics.
pub struct GetMetricStatistics;

impl Operation for GetMetricStatistics {
    const SPEC: Spec = spec("GetMetricStatistics", Access::Read).with_limits(&[
        Limit::aws("datapoints a call", crate::statistics::MAX_DATAPOINTS as u64),
        Limit::aws("ExtendedStatistics", 10),
    ]);
    type Engine = Tsdb;
    type Input = StatisticsRequest;
    type Output = StatisticsReply;
    type Error = MetricsQueryError;

    async fn run(
        tsdb: &Tsdb,
        ctx: &Context,
        mut request: StatisticsRequest,
    ) -> Result<Effect<Self::Output, MetricsQueryError>, MetricsQueryError> {
        request.series = in_account(&request.series, ctx);
        let datapoints = get_metric_statistics(tsdb, &request, ctx.now_ms).await?;
        Ok(Effect::reply(StatisticsReply { label: request.series.metric_name.clone(), datapoints }))
    }
}

impl Serialize for DataRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let queries: Vec<Value> = self
            .queries
            .iter()
            .map(|q| {
                let mut out = json!({ "id": q.id });
                match &q.kind {
                    QueryKind::MetricStat { series, period_seconds, stat, unit } => {
                        let mut stat = json!({ "metric": metric_json(series), "period": period_seconds, "stat": stat });
                        if let Some(unit) = unit {
                            stat["unit"] = json!(unit);
                        }
                        out["metricStat"] = stat;
                    }
                    QueryKind::Expression { expression, period_seconds } => {
                        out["expression"] = json!(expression);
                        if let Some(period) = period_seconds {
                            out["period"] = json!(period);
                        }
                    }
                }
                if let Some(label) = &q.label {
                    out["label"] = json!(label);
                }
                if !q.return_data {
                    out["returnData"] = json!(false);
                }
                out
            })
            .collect();
        let mut out = json!({
            "metricDataQueries": queries,
            "startTime": time(self.start_ms),
            "endTime": time(self.end_ms),
        });
        if self.ascending {
            out["scanBy"] = json!("TimestampAscending");
        }
        if let Some(max) = self.max_datapoints {
            out["maxDatapoints"] = json!(max);
        }
        if let Some(token) = &self.next_token {
            out["nextToken"] = json!(token);
        }
        as_json(out, serializer)
    }
}

/// GetMetricData.
pub struct GetMetricData;

impl Operation for GetMetricData {
    const SPEC: Spec = spec("GetMetricData", Access::Read).with_limits(&[
        Limit::aws("MetricDataQueries", crate::data::MAX_QUERIES as u64),
        Limit::aws("datapoints a metric (grid slots)", crate::data::MAX_GRID_SLOTS as u64),
        Limit::aws("Expression characters", skywatch_metricmath::MAX_LENGTH as u64),
        Limit::aws("series a SEARCH returns", crate::data::MAX_SEARCH_RESULTS as u64),
        Limit::own("SEARCH text characters", crate::search::MAX_LENGTH as u64),
        Limit::own("SEARCH nesting of ( and NOT", crate::search::MAX_DEPTH as u64),
        Limit::own("SEARCH calls a request", crate::data::MAX_SEARCHES as u64),
        Limit::own("expression nesting", skywatch_metricmath::MAX_NESTING as u64),
        Limit::own("series slots in memory", crate::data::MAX_CELLS as u64),
    ]);
    type Engine = Metrics;
    type Input = DataRequest;
    type Output = DataResponse;
    type Error = MetricsQueryError;

    async fn run(
        metrics: &Metrics,
        ctx: &Context,
        mut request: DataRequest,
    ) -> Result<Effect<DataResponse, MetricsQueryError>, MetricsQueryError> {
        request.account = ctx.account.clone();
        for query in &mut request.queries {
            if let QueryKind::MetricStat { series, .. } = &mut query.kind {
                *series = in_account(series, ctx);
            }
        }
        get_metric_data_paged(metrics, &request, ctx.now_ms).await.map(Effect::reply)
    }
}

impl Serialize for ListRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = json!({});
        if let Some(namespace) = &self.namespace {
            out["namespace"] = json!(namespace);
        }
        if let Some(name) = &self.metric_name {
            out["metricName"] = json!(name);
        }
        if !self.dimensions.is_empty() {
            let filters: Vec<Value> = self
                .dimensions
                .iter()
                .map(|(name, value)| match value {
                    Some(value) => json!({ "name": name, "value": value }),
                    None => json!({ "name": name }),
                })
                .collect();
            out["dimensions"] = json!(filters);
        }
        if self.recently_active {
            out["recentlyActive"] = json!("PT3H");
        }
        if let Some(token) = &self.next_token {
            out["nextToken"] = json!(token);
        }
        as_json(out, serializer)
    }
}

/// ListMetrics: the one rule for which metrics are listed, for the API and every console listing.
pub struct ListMetrics;

impl Operation for ListMetrics {
    const SPEC: Spec = spec("ListMetrics", Access::Read).with_limits(&[
        Limit::aws("metrics a page", crate::list::PAGE_SIZE as u64),
        Limit::aws("Dimensions filters", crate::MAX_DIMENSIONS as u64),
    ]);
    type Engine = Tsdb;
    type Input = ListRequest;
    type Output = ListPage;
    type Error = MetricsQueryError;

    async fn run(
        tsdb: &Tsdb,
        ctx: &Context,
        mut request: ListRequest,
    ) -> Result<Effect<ListPage, MetricsQueryError>, MetricsQueryError> {
        request.account = ctx.account.clone();
        request.region = ctx.region.clone();
        list_metrics(tsdb, &request, ctx.now_ms).map(Effect::reply)
    }
}

/// GetMetricWidgetImage's input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetImageInput {
    pub metric_widget: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
}

/// GetMetricWidgetImage: the widget drawn as PNG.
pub struct GetMetricWidgetImage;

impl Operation for GetMetricWidgetImage {
    const SPEC: Spec = spec("GetMetricWidgetImage", Access::Read).with_limits(&[
        Limit::own("MetricWidget bytes", crate::MAX_WIDGET_BYTES as u64),
        Limit::own("metric rows a widget", crate::MAX_WIDGET_METRICS as u64),
        Limit::aws("datapoints a metric (grid slots)", crate::data::MAX_GRID_SLOTS as u64),
    ]);
    type Engine = Tsdb;
    type Input = WidgetImageInput;
    type Output = Vec<u8>;
    type Error = WidgetImageError;

    async fn run(
        tsdb: &Tsdb,
        ctx: &Context,
        input: WidgetImageInput,
    ) -> Result<Effect<Vec<u8>, WidgetImageError>, WidgetImageError> {
        match input.output_format.as_deref() {
            None | Some("png") | Some("image/png") => {}
            Some(other) => {
                return Err(WidgetImageError::Query(MetricsQueryError::InvalidParameterValue(format!(
                    "The value {other} for parameter OutputFormat is invalid; only png is supported."
                ))));
            }
        }
        get_metric_widget_image(tsdb, &ctx.account, &ctx.region, &input.metric_widget, ctx.now_ms)
            .await
            .map(Effect::reply)
    }
}

#[cfg(test)]
mod tests {
    use skywatch_ops::{MAX_AUDITED_PARAMETER_BYTES, Operation};

    use super::*;
    use crate::MetricDatum;

    fn input(datums: Vec<MetricDatum>) -> PutMetricDataInput {
        PutMetricDataInput { namespace: String::new(), metric_data: datums.into() }
    }

    #[test]
    fn issue_15_put_metric_data_audit_floor_never_exceeds_the_parameters_bytes() {
        let smallest = MetricDatum::default();
        let full = MetricDatum {
            metric_name: "Latency".into(),
            dimensions: vec![("Service".into(), "orders".into())],
            timestamp_ms: Some(1_700_000_000_000),
            value: Some(f64::NAN),
            values: vec![1.0, f64::INFINITY],
            counts: vec![2.0],
            unit: Some("Seconds".into()),
            storage_resolution: Some(1),
            ..MetricDatum::default()
        };
        for count in [0, 1, 2, 3, 10, 500, 910, 1_000] {
            for datum in [&smallest, &full] {
                let request = input(vec![datum.clone(); count]);
                let bytes = serde_json::to_vec(&request).map_or(0, |json| json.len());
                let floor = PutMetricData::audited_bytes_at_least(&request);
                assert!(floor <= bytes, "{count} datums: floor {floor} over the {bytes} bytes serialised");
            }
        }
        // A full request of the smallest datums is left out of its record without being serialised.
        assert!(PutMetricData::audited_bytes_at_least(&input(vec![smallest; 1_000])) > MAX_AUDITED_PARAMETER_BYTES);
    }
}
