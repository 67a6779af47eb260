//! A simulated Application Load Balancer in front of the EC2 fleet: one target group per auto scaling group,
//! reporting requests, response codes, response-time distributions and target health, per load balancer and per
//! target group.

use skywatch_core::metrics::MetricDatum;

use super::datum::{dims, distribution, value};
use super::ec2::{self, FLEET, Group};
use super::schedule::{Incident, incident_at};
use super::signal::{Window, count, day_curve, jitter, key};

/// CloudWatch refuses custom metrics in namespaces starting with `AWS/`, so the demo's load balancer lives under
/// `Demo/`.
pub const NAMESPACE: &str = "Demo/ApplicationELB";
pub const LOAD_BALANCER: &str = "app/shop-alb/50dc6c495c0c9188";

struct TargetGroup {
    name: &'static str,
    targets: &'static Group,
    /// Median response time in seconds at night; it grows with load.
    latency: f64,
    /// How much slower it answers during a latency spike.
    spike_factor: f64,
    /// The share of 5xx answers during an error burst.
    burst_errors: f64,
}

const TARGET_GROUPS: [TargetGroup; 2] = [
    TargetGroup {
        name: "targetgroup/shop-web/6d0ecf831eec9f09",
        targets: &ec2::WEB,
        latency: 0.045,
        spike_factor: 2.5,
        burst_errors: 0.03,
    },
    TargetGroup {
        name: "targetgroup/shop-api/943f017f100becff",
        targets: &ec2::API,
        latency: 0.085,
        spike_factor: 6.0,
        burst_errors: 0.14,
    },
];

/// Response-time buckets: multiples of the median and the share of requests in each, a long tail to the right.
const BUCKETS: [(f64, f64); 8] =
    [(0.35, 0.06), (0.6, 0.18), (0.85, 0.28), (1.2, 0.24), (1.8, 0.14), (3.0, 0.07), (6.0, 0.025), (14.0, 0.005)];

/// One target group's traffic over a window.
struct Traffic {
    requests: f64,
    codes: [f64; 3],
    response_times: Vec<(f64, f64)>,
    healthy: f64,
    unhealthy: f64,
}

fn traffic(seed: u64, group: &TargetGroup, window: Window) -> Traffic {
    let t = window.start;
    let k = key(group.name);
    let noise = |what: &str, spread: f64| jitter(1.0, spread, seed, k ^ key(what), t);
    let members: Vec<usize> =
        FLEET.iter().enumerate().filter(|(_, i)| i.group.name == group.targets.name).map(|(i, _)| i).collect();
    let unhealthy = members.iter().filter(|i| ec2::is_failing(seed, **i, t)).count() as f64;
    let healthy = members.len() as f64 - unhealthy;
    let requests = count(window.total(ec2::group_requests_per_second(group.targets, t)) * noise("RequestCount", 0.06));
    let incident = incident_at(t);
    let burst = if incident == Some(Incident::ErrorBurst) { group.burst_errors } else { 0.0 };
    let degraded = if unhealthy > 0.0 { 0.01 } else { 0.0 };
    let c5 = count(requests * (0.0015 * noise("5XX", 0.5) + burst + degraded));
    let c4 = count(requests * 0.018 * noise("4XX", 0.3)).min(requests - c5);
    let spike = if incident == Some(Incident::LatencySpike) { group.spike_factor } else { 1.0 };
    let median = group.latency * (0.8 + 0.4 * day_curve(t)) * spike;
    let response_times = BUCKETS
        .iter()
        .enumerate()
        .map(|(i, (multiple, share))| {
            let seconds = (median * multiple * 10_000.0).round() / 10_000.0;
            (seconds, count(requests * share * jitter(1.0, 0.15, seed, k ^ i as u64, t)))
        })
        .collect();
    Traffic { requests, codes: [(requests - c4 - c5).max(0.0), c4, c5], response_times, healthy, unhealthy }
}

const CODES: [&str; 3] = ["HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count"];

/// Every load balancer datum for `window`.
pub fn sample(seed: u64, window: Window) -> Vec<MetricDatum> {
    let at = window.timestamp_ms();
    let groups: Vec<Traffic> = TARGET_GROUPS.iter().map(|g| traffic(seed, g, window)).collect();
    let mut data = Vec::with_capacity(5 + 7 * groups.len());
    let balancer = dims(&[("LoadBalancer", LOAD_BALANCER)]);
    data.push(value("RequestCount", &balancer, "Count", at, groups.iter().map(|g| g.requests).sum()));
    for (i, code) in CODES.iter().enumerate() {
        data.push(value(code, &balancer, "Count", at, groups.iter().map(|g| g.codes[i]).sum()));
    }
    let all_times = groups.iter().flat_map(|g| g.response_times.iter().copied());
    data.extend(distribution("TargetResponseTime", &balancer, "Seconds", at, all_times));
    for (group, traffic) in TARGET_GROUPS.iter().zip(&groups) {
        let dimensions = dims(&[("LoadBalancer", LOAD_BALANCER), ("TargetGroup", group.name)]);
        data.push(value("RequestCount", &dimensions, "Count", at, traffic.requests));
        for (code, n) in CODES.iter().zip(traffic.codes) {
            data.push(value(code, &dimensions, "Count", at, n));
        }
        let times = traffic.response_times.iter().copied();
        data.extend(distribution("TargetResponseTime", &dimensions, "Seconds", at, times));
        data.push(value("HealthyHostCount", &dimensions, "Count", at, traffic.healthy));
        data.push(value("UnHealthyHostCount", &dimensions, "Count", at, traffic.unhealthy));
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(data: &'a [MetricDatum], name: &str, group: Option<&str>) -> Option<&'a MetricDatum> {
        data.iter().find(|d| {
            d.metric_name == name
                && d.dimensions.iter().find(|(n, _)| n == "TargetGroup").map(|(_, v)| v.as_str()) == group
        })
    }

    #[test]
    fn codes_add_up_to_the_requests() {
        for start in (1_700_000_000..1_700_007_200).step_by(60) {
            let window = Window { start, seconds: 60 };
            for group in &TARGET_GROUPS {
                let t = traffic(3, group, window);
                assert_eq!(t.codes.iter().sum::<f64>(), t.requests);
                assert!(t.codes.iter().all(|c| *c >= 0.0 && c.fract() == 0.0), "{:?}", t.codes);
                assert_eq!(t.healthy + t.unhealthy, if group.targets.name == "shop-web-asg" { 4.0 } else { 2.0 });
            }
        }
    }

    #[test]
    fn an_error_burst_shows_as_5xx_and_a_latency_spike_as_slow_answers() {
        // A multiple of the incident cycle: a latency spike starts here, an error burst 300 s later.
        const CYCLE: i64 = 1_699_999_800;
        let window = |start| Window { start, seconds: 60 };
        let calm = sample(3, window(CYCLE + 150));
        let burst = sample(3, window(CYCLE + 300));
        assert_eq!(incident_at(CYCLE + 150), None);
        assert_eq!(incident_at(CYCLE + 300), Some(Incident::ErrorBurst));
        let errors = |data: &[MetricDatum]| find(data, "HTTPCode_Target_5XX_Count", None).and_then(|d| d.value);
        assert!(errors(&burst).unwrap_or_default() > 10.0 * errors(&calm).unwrap_or_default().max(1.0));
        let spike = sample(3, window(CYCLE + 600));
        assert_eq!(incident_at(CYCLE + 600), Some(Incident::LatencySpike));
        let slowest = |data: &[MetricDatum]| {
            let datum = find(data, "TargetResponseTime", Some(TARGET_GROUPS[1].name));
            datum.map(|d| d.values.iter().fold(0.0, |a: f64, v| a.max(*v))).unwrap_or_default()
        };
        assert!(slowest(&spike) > 3.0 * slowest(&calm));
    }

    #[test]
    fn both_dimension_sets_are_reported() {
        let data = sample(3, Window { start: 1_700_000_000, seconds: 10 });
        assert_eq!(data.len(), 5 + 7 * TARGET_GROUPS.len());
        assert!(find(&data, "RequestCount", None).is_some());
        assert!(find(&data, "HealthyHostCount", Some(TARGET_GROUPS[0].name)).is_some());
    }
}
