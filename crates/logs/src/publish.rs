//! Publishing what metric filters and embedded metrics gathered from a batch into the metrics store, through the
//! same checks PutMetricData makes: the points' write-ahead records commit with the batch, and become visible once
//! it is durable. A namespace whose datums CloudWatch would refuse publishes nothing; the events are stored anyway.

use skywatch_metrics::plan_put;
use skywatch_metrics::tsdb::PreparedWrite;
use skywatch_ops::Context;

use crate::Logs;
use crate::filters::Datums;

/// The write of `datums`, if there is anything to publish and somewhere to publish it.
pub fn prepare(logs: &Logs, ctx: &Context, datums: Datums) -> Option<PreparedWrite> {
    let tsdb = logs.metrics.as_ref()?;
    if datums.is_empty() {
        return None;
    }
    let mut points = Vec::new();
    for (namespace, data) in datums.into_datums() {
        for chunk in data.chunks(skywatch_metrics::MAX_METRICS_PER_REQUEST) {
            match plan_put(&ctx.account, &ctx.region, &namespace, chunk, ctx.now_ms) {
                Ok(planned) => points.extend(planned),
                Err(error) => tracing::debug!(%error, namespace, "log metrics not published"),
            }
        }
    }
    (!points.is_empty()).then(|| tsdb.prepare(&points))
}
