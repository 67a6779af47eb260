//! The simulated shop: five services whose traffic follows a day curve and suffers periodic incidents.

use chrono::{DateTime, Timelike, Utc};
use rand::Rng;
use serde_json::{Value, json};

const SERVICES: [(&str, f64, f64); 5] = [
    // name, requests per tick at peak, typical latency in ms
    ("gateway", 1200.0, 35.0),
    ("orders", 400.0, 60.0),
    ("payments", 150.0, 120.0),
    ("inventory", 600.0, 25.0),
    ("database", 2000.0, 4.0),
];
/// One simulated day lasts this many seconds of wall time.
const DAY_SECONDS: f64 = 1800.0;
/// An incident starts every this many seconds and lasts a minute.
const INCIDENT_EVERY: i64 = 300;
const INCIDENT_LASTS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incident {
    LatencySpike,
    ErrorBurst,
}

pub struct Report {
    /// A PutMetricData request body.
    pub metrics: Value,
    /// Whether the on-call operator checks the audit trail this tick.
    pub operator_looks: bool,
}

pub struct Shop {
    ticks: u64,
}

/// Load between 0.15 (night) and 1.0 (midday peak) for a moment of the compressed day.
pub fn day_curve(now: DateTime<Utc>) -> f64 {
    let seconds = f64::from(now.num_seconds_from_midnight()) % DAY_SECONDS;
    let phase = seconds / DAY_SECONDS * std::f64::consts::TAU;
    0.575 - 0.425 * phase.cos()
}

/// The incident running at `now`, if any: they alternate between latency spikes and error bursts.
pub fn incident_at(now: DateTime<Utc>) -> Option<Incident> {
    let t = now.timestamp();
    if t.rem_euclid(INCIDENT_EVERY) >= INCIDENT_LASTS {
        return None;
    }
    Some(if (t / INCIDENT_EVERY) % 2 == 0 { Incident::LatencySpike } else { Incident::ErrorBurst })
}

impl Shop {
    pub fn new() -> Self {
        Self { ticks: 0 }
    }

    pub fn tick(&mut self, now: DateTime<Utc>) -> Report {
        self.ticks += 1;
        let mut rng = rand::thread_rng();
        let load = day_curve(now);
        let incident = incident_at(now);
        let mut data = Vec::new();
        for (name, peak, latency) in SERVICES {
            let hit = incident.is_some() && matches!(name, "payments" | "database");
            let requests = (peak * load * rng.gen_range(0.9..1.1)).round();
            let latency_factor = if hit && incident == Some(Incident::LatencySpike) { 8.0 } else { 1.0 };
            let error_rate = if hit && incident == Some(Incident::ErrorBurst) { 0.25 } else { 0.004 };
            let errors = (requests * error_rate * rng.gen_range(0.5..1.5)).round();
            // A latency distribution as Values/Counts, the way SDK clients pre-aggregate.
            let base = latency * latency_factor * (0.8 + 0.4 * load);
            let values: Vec<f64> =
                [0.5, 0.8, 1.0, 1.4, 2.5, 6.0].iter().map(|m| (base * m * 100.0).round() / 100.0).collect();
            let counts: Vec<f64> =
                [0.1, 0.3, 0.35, 0.18, 0.06, 0.01].iter().map(|share| (requests * share).max(1.0).round()).collect();
            let dims = json!([{"Name": "Service", "Value": name}, {"Name": "Environment", "Value": "demo"}]);
            data.push(json!({"MetricName": "RequestCount", "Dimensions": dims, "Value": requests, "Unit": "Count"}));
            data.push(json!({"MetricName": "Errors", "Dimensions": dims, "Value": errors, "Unit": "Count"}));
            data.push(json!({"MetricName": "Latency", "Dimensions": dims, "Values": values, "Counts": counts, "Unit": "Milliseconds"}));
        }
        // One high-resolution metric: checkout queue depth.
        data.push(json!({
            "MetricName": "CheckoutQueueDepth",
            "Dimensions": [{"Name": "Service", "Value": "orders"}],
            "Value": (load * 40.0 * rng.gen_range(0.8..1.2)).round(),
            "Unit": "Count",
            "StorageResolution": 1
        }));
        Report {
            metrics: json!({"Namespace": "Shop", "MetricData": data}),
            operator_looks: self.ticks.is_multiple_of(6),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_curve_has_a_night_and_a_peak() {
        let at = |s: i64| day_curve(DateTime::from_timestamp(s, 0).unwrap());
        assert!((at(0) - 0.15).abs() < 1e-9);
        assert!((at(900) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn incidents_alternate_and_end() {
        let at = |s: i64| incident_at(DateTime::from_timestamp(s, 0).unwrap());
        assert_eq!(at(10), Some(Incident::LatencySpike));
        assert_eq!(at(310), Some(Incident::ErrorBurst));
        assert_eq!(at(100), None);
    }

    #[test]
    fn reports_are_valid_put_metric_data() {
        let report = Shop::new().tick(Utc::now());
        assert_eq!(report.metrics["Namespace"], "Shop");
        assert_eq!(report.metrics["MetricData"].as_array().map(Vec::len), Some(16));
    }
}
