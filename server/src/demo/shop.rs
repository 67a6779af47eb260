//! The simulated shop's own application metrics: five services whose traffic follows the day curve and suffers
//! the shared incidents, plus orders, checkout latency, cart sizes, payment errors per provider and a
//! high-resolution checkout queue depth.

use skywatch_core::metrics::{MetricDatum, StatisticValues};

use super::datum::{dims, distribution, statistic_set, summary, value};
use super::schedule::{Incident, failing_provider, incident_at};
use super::signal::{Window, count, day_curve, jitter, key, uniform, wave};

pub const NAMESPACE: &str = "Shop";
const ENVIRONMENT: &str = "demo";

const SERVICES: [(&str, f64, f64); 5] = [
    // name, requests per second at peak, typical latency in ms
    ("gateway", 120.0, 35.0),
    ("orders", 40.0, 60.0),
    ("payments", 15.0, 120.0),
    ("inventory", 60.0, 25.0),
    ("database", 200.0, 4.0),
];
/// Latency buckets: multiples of the typical latency and the share of requests in each.
const LATENCY_BUCKETS: [(f64, f64); 6] = [(0.5, 0.1), (0.8, 0.3), (1.0, 0.35), (1.4, 0.18), (2.5, 0.06), (6.0, 0.01)];
/// Orders per channel, as a share of all orders.
const CHANNELS: [(&str, f64); 2] = [("web", 0.62), ("mobile", 0.38)];
/// Items per cart, 1 to 8, as shares of all orders.
const CART_SIZES: [f64; 8] = [0.22, 0.24, 0.18, 0.13, 0.09, 0.07, 0.04, 0.03];
/// Payment providers and their share of payments.
const PROVIDERS: [(&str, f64); 3] = [("stripe", 0.55), ("adyen", 0.3), ("paypal", 0.15)];

/// How finely the high-resolution queue depth is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueDetail {
    /// One datum per second, stored at one-second resolution (the live ticks).
    PerSecond,
    /// One statistic set per window summarising its seconds (the backfill, which keeps minutes).
    PerWindow,
}

/// Every shop datum for `window`.
pub fn sample(seed: u64, window: Window, queue: QueueDetail) -> Vec<MetricDatum> {
    let t = window.start;
    let at = window.timestamp_ms();
    let load = day_curve(t);
    let incident = incident_at(t);
    let noise = |what: &str, spread: f64| jitter(1.0, spread, seed, key(what), t);
    let mut data = Vec::new();
    let mut requests_of = [0.0; SERVICES.len()];
    for (i, (name, peak, latency)) in SERVICES.iter().enumerate() {
        let hit = incident.is_some() && matches!(*name, "payments" | "database");
        let requests = count(window.total(peak * load) * noise(name, 0.1));
        requests_of[i] = requests;
        let latency_factor = if hit && incident == Some(Incident::LatencySpike) { 8.0 } else { 1.0 };
        let error_rate = if hit && incident == Some(Incident::ErrorBurst) { 0.25 } else { 0.004 };
        let errors = count(requests * error_rate * noise(&format!("{name}/errors"), 0.5));
        // A latency distribution as Values/Counts, the way SDK clients pre-aggregate.
        let typical = latency * latency_factor * (0.8 + 0.4 * load);
        let buckets =
            LATENCY_BUCKETS.iter().map(|(m, share)| ((typical * m * 100.0).round() / 100.0, count(requests * share)));
        let dimensions = dims(&[("Service", name), ("Environment", ENVIRONMENT)]);
        data.push(value("RequestCount", &dimensions, "Count", at, requests));
        data.push(value("Errors", &dimensions, "Count", at, errors));
        data.extend(distribution("Latency", &dimensions, "Milliseconds", at, buckets));
    }
    let orders_service = dims(&[("Service", "orders"), ("Environment", ENVIRONMENT)]);
    // A third of order requests place an order; fewer get through while payments fail.
    let conversion = if incident == Some(Incident::ErrorBurst) { 0.22 } else { 0.3 };
    let mut orders = 0.0;
    for (channel, share) in CHANNELS {
        let placed = count(requests_of[1] * conversion * share * noise(channel, 0.1));
        orders += placed;
        let dimensions = dims(&[("Service", "orders"), ("Environment", ENVIRONMENT), ("Channel", channel)]);
        data.push(value("OrdersPlaced", &dimensions, "Count", at, placed));
    }
    data.extend(
        checkout_latency(seed, t, orders, load, incident)
            .and_then(|stats| statistic_set("CheckoutLatency", &orders_service, "Milliseconds", at, stats)),
    );
    let carts = CART_SIZES.iter().enumerate().map(|(i, share)| ((i + 1) as f64, count(orders * share)));
    data.extend(distribution("CartSize", &orders_service, "Count", at, carts));
    let failing = failing_provider(seed, t, PROVIDERS.len());
    for (i, (provider, share)) in PROVIDERS.iter().enumerate() {
        let rate = if failing == Some(i) { 0.3 } else { 0.002 };
        let errors = count(requests_of[2] * share * rate * noise(provider, 0.5));
        let dimensions = dims(&[("Service", "payments"), ("PaymentProvider", provider)]);
        data.push(value("PaymentErrors", &dimensions, "Count", at, errors));
    }
    data.extend(queue_depth(seed, window, queue));
    data
}

/// The checkout latency of `orders` checkouts as a statistic set (none without orders).
fn checkout_latency(seed: u64, t: i64, orders: f64, load: f64, incident: Option<Incident>) -> Option<StatisticValues> {
    let slow = if incident == Some(Incident::LatencySpike) { 5.0 } else { 1.0 };
    let mean = 180.0 * (0.8 + 0.4 * load) * slow * jitter(1.0, 0.05, seed, key("checkout"), t);
    (orders >= 1.0).then(|| StatisticValues {
        sample_count: orders,
        sum: (orders * mean).round(),
        minimum: (mean * 0.35).round(),
        maximum: (mean * (3.0 + 2.0 * uniform(seed, key("checkout/max"), t))).round(),
    })
}

/// The checkout queue's depth at second `t`: follows the load, sways on a 45-second cycle and builds up while
/// payments are slow.
fn depth_at(seed: u64, t: i64) -> f64 {
    let backlog = if incident_at(t) == Some(Incident::LatencySpike) { 4.0 } else { 1.0 };
    count((40.0 * day_curve(t) + 6.0 * wave(t, 45, 0.0)) * backlog * jitter(1.0, 0.15, seed, key("queue"), t))
}

fn queue_depth(seed: u64, window: Window, detail: QueueDetail) -> Vec<MetricDatum> {
    let dimensions = dims(&[("Service", "orders")]);
    let seconds = window.start..window.start + window.seconds.clamp(0, 60);
    match detail {
        QueueDetail::PerSecond => seconds
            .map(|s| MetricDatum {
                storage_resolution: Some(1),
                ..value("CheckoutQueueDepth", &dimensions, "Count", s.saturating_mul(1000), depth_at(seed, s))
            })
            .collect(),
        QueueDetail::PerWindow => {
            let depths: Vec<f64> = seconds.map(|s| depth_at(seed, s)).collect();
            let at = window.timestamp_ms();
            summary(&depths)
                .and_then(|s| statistic_set("CheckoutQueueDepth", &dimensions, "Count", at, s))
                .into_iter()
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CYCLE: i64 = 1_699_999_800;

    fn named<'a>(data: &'a [MetricDatum], name: &str) -> Vec<&'a MetricDatum> {
        data.iter().filter(|d| d.metric_name == name).collect()
    }

    #[test]
    fn every_series_reports_and_the_queue_per_second() {
        let data = sample(5, Window { start: CYCLE + 150, seconds: 10 }, QueueDetail::PerSecond);
        assert_eq!(named(&data, "RequestCount").len(), 5);
        assert_eq!(named(&data, "OrdersPlaced").len(), 2);
        assert_eq!(named(&data, "PaymentErrors").len(), 3);
        assert_eq!(named(&data, "CheckoutLatency").len(), 1);
        assert_eq!(named(&data, "CartSize").len(), 1);
        let queue = named(&data, "CheckoutQueueDepth");
        let stamps: Vec<Option<i64>> = queue.iter().map(|d| d.timestamp_ms).collect();
        let expected: Vec<Option<i64>> = (0..10).map(|s| Some((CYCLE + 150 + s) * 1000)).collect();
        assert_eq!(stamps, expected);
        assert!(queue.iter().all(|d| d.storage_resolution == Some(1)));
    }

    #[test]
    fn the_backfill_summarises_the_queue_per_minute() {
        let data = sample(5, Window { start: CYCLE, seconds: 60 }, QueueDetail::PerWindow);
        let queue = named(&data, "CheckoutQueueDepth");
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].statistic_values.map(|s| s.sample_count), Some(60.0));
        assert_eq!(queue[0].storage_resolution, None);
    }

    #[test]
    fn one_provider_fails_in_an_error_burst() {
        let data = sample(5, Window { start: CYCLE + 300, seconds: 60 }, QueueDetail::PerWindow);
        let errors: Vec<f64> = named(&data, "PaymentErrors").iter().filter_map(|d| d.value).collect();
        assert_eq!(errors.len(), 3);
        assert!(errors.iter().filter(|e| **e >= 5.0).count() == 1, "{errors:?}");
    }

    #[test]
    fn the_checkout_latency_set_is_consistent() {
        for start in (CYCLE..CYCLE + 3600).step_by(60) {
            let data = sample(5, Window { start, seconds: 60 }, QueueDetail::PerWindow);
            let sets: Vec<StatisticValues> =
                named(&data, "CheckoutLatency").iter().filter_map(|d| d.statistic_values).collect();
            assert_eq!(sets.len(), 1);
            for s in sets {
                let mean = s.sum / s.sample_count;
                assert!(s.sample_count >= 1.0 && s.minimum <= mean && mean <= s.maximum, "{s:?}");
            }
        }
    }
}
