//! What the demo sends for a stretch of time: every simulated system's datums, as PutMetricData requests. A live
//! tick covers the seconds since the previous one; a longer gap (the start, or a stall) is filled in minutes.

use skywatch_core::metrics::MetricDatum;

use super::datum::{Batch, split};
use super::shop::QueueDetail;
use super::signal::Window;
use super::{ec2, elb, shop};

/// The longest stretch a live tick reports as one window; longer gaps are backfilled minute by minute.
pub const MAX_LIVE_WINDOW: i64 = 60;
/// CloudTrail keeps the parameters of requests up to 16 KiB: live requests stay well under, so the audit trail
/// shows what the demo sent.
const LIVE_REQUEST_BYTES: usize = 12 * 1024;
/// Backfill requests are bounded by the datum limit first; this only guards the 1 MiB request limit.
const BACKFILL_REQUEST_BYTES: usize = 512 * 1024;
/// Backfilled data has one-minute resolution.
const BACKFILL_STEP: i64 = 60;

/// Every system's datums for one window, by namespace.
fn sample_all(seed: u64, window: Window, queue: QueueDetail) -> [(&'static str, Vec<MetricDatum>); 3] {
    [
        (ec2::NAMESPACE, ec2::sample(seed, window)),
        (elb::NAMESPACE, elb::sample(seed, window)),
        (shop::NAMESPACE, shop::sample(seed, window, queue)),
    ]
}

/// The requests for `[from, until)`: one live window when it is short, minutes when it is long.
pub fn requests(seed: u64, from: i64, until: i64) -> Vec<Batch> {
    if until <= from {
        return Vec::new();
    }
    if until - from <= MAX_LIVE_WINDOW {
        let window = Window { start: from, seconds: until - from };
        return sample_all(seed, window, QueueDetail::PerSecond)
            .into_iter()
            .flat_map(|(namespace, data)| split(namespace, data, LIVE_REQUEST_BYTES))
            .collect();
    }
    let mut by_namespace: [(&'static str, Vec<MetricDatum>); 3] =
        [(ec2::NAMESPACE, Vec::new()), (elb::NAMESPACE, Vec::new()), (shop::NAMESPACE, Vec::new())];
    for window in Window::split(from, until, BACKFILL_STEP) {
        for ((_, all), (_, data)) in by_namespace.iter_mut().zip(sample_all(seed, window, QueueDetail::PerWindow)) {
            all.extend(data);
        }
    }
    by_namespace.into_iter().flat_map(|(namespace, data)| split(namespace, data, BACKFILL_REQUEST_BYTES)).collect()
}

#[cfg(test)]
mod tests {
    use skywatch_core::metrics::{MAX_DIMENSIONS, MAX_METRICS_PER_REQUEST, plan_put};

    use super::*;

    const SEED: u64 = 0x5eed;
    const NOW: i64 = 1_700_000_000;
    const THREE_HOURS: i64 = 3 * 3600;

    fn check(batches: &[Batch], now: i64) {
        for batch in batches {
            assert!(batch.data.len() <= MAX_METRICS_PER_REQUEST);
            assert!(batch.data.iter().all(|d| d.dimensions.len() <= MAX_DIMENSIONS));
            let planned = plan_put("123456789012", "us-east-1", batch.namespace, &batch.data, now * 1000);
            assert!(planned.is_ok(), "{}: {planned:?}", batch.namespace);
        }
    }

    #[test]
    fn a_live_tick_is_light_valid_and_visible_in_the_audit_trail() {
        let batches = requests(SEED, NOW - 10, NOW);
        check(&batches, NOW);
        let datums: usize = batches.iter().map(|b| b.data.len()).sum();
        assert!((100..=300).contains(&datums), "{datums} datums per tick");
        for batch in &batches {
            assert!(batch.body().to_string().len() < 16 * 1024, "{} too large to audit", batch.namespace);
        }
        let namespaces: Vec<&str> = batches.iter().map(|b| b.namespace).collect();
        for namespace in ["Demo/EC2", "Demo/ApplicationELB", "Shop"] {
            assert!(namespaces.contains(&namespace), "{namespaces:?}");
        }
    }

    #[test]
    fn the_backfill_is_a_few_valid_requests_of_minutes() {
        let from = (NOW - THREE_HOURS).div_euclid(60) * 60;
        let batches = requests(SEED, from, NOW);
        check(&batches, NOW);
        assert!(batches.len() <= 25, "{} requests", batches.len());
        let stamps: std::collections::BTreeSet<i64> =
            batches.iter().flat_map(|b| &b.data).filter_map(|d| d.timestamp_ms).collect();
        assert_eq!(stamps.first(), Some(&(from * 1000)));
        assert!(stamps.len() >= 180 && stamps.iter().all(|t| t % 60_000 == 0), "{} minutes", stamps.len());
    }

    #[test]
    fn every_form_is_used() {
        let data: Vec<MetricDatum> = requests(SEED, NOW - 10, NOW).into_iter().flat_map(|b| b.data).collect();
        assert!(data.iter().any(|d| d.value.is_some()));
        assert!(data.iter().any(|d| d.statistic_values.is_some()));
        assert!(data.iter().any(|d| !d.values.is_empty() && d.counts.len() == d.values.len()));
        assert!(data.iter().any(|d| d.storage_resolution == Some(1)));
    }

    #[test]
    fn the_same_seed_and_clock_give_the_same_data() {
        assert_eq!(requests(SEED, NOW - 10, NOW), requests(SEED, NOW - 10, NOW));
        assert_ne!(requests(SEED, NOW - 10, NOW), requests(SEED + 1, NOW - 10, NOW));
        assert!(requests(SEED, NOW, NOW).is_empty());
    }
}
