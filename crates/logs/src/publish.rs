//! Publishing what metric filters and embedded metrics gathered from a batch into the metrics store, through the
//! same checks PutMetricData makes: the points' write-ahead records commit with the batch, and become visible once
//! it is durable. A namespace whose datums CloudWatch would refuse publishes nothing; the events are stored anyway.

use std::collections::BTreeMap;

use skywatch_metrics::tsdb::PreparedWrite;
use skywatch_metrics::{MetricDatum, plan_put};
use skywatch_ops::Context;

use crate::Logs;

/// The write of what a batch's `sources` gathered (each one's datums by namespace: metric filters', embedded
/// metrics'), if there is anything to publish and somewhere to publish it. Each source is checked apart, so one's
/// refusal does not drop another's.
pub fn prepare(
    logs: &Logs,
    ctx: &Context,
    sources: impl IntoIterator<Item = BTreeMap<String, Vec<MetricDatum>>>,
) -> Option<PreparedWrite> {
    let tsdb = logs.metrics.as_ref()?;
    let mut points = Vec::new();
    for source in sources {
        for (namespace, data) in source {
            for chunk in data.chunks(skywatch_metrics::MAX_METRICS_PER_REQUEST) {
                match plan_put(&ctx.account, &ctx.region, &namespace, chunk, ctx.now_ms) {
                    Ok(planned) => points.extend(planned),
                    Err(error) => tracing::debug!(%error, namespace, "log metrics not published"),
                }
            }
        }
    }
    (!points.is_empty()).then(|| tsdb.prepare(&points))
}
