//! A simulated EC2 fleet: six instances in two auto scaling groups behind the shop's load balancer, reporting the
//! metrics EC2 publishes per instance, aggregated per auto scaling group, and (CPU only, to keep the demo light)
//! per instance type and across the fleet.

use skywatch_core::metrics::MetricDatum;

use super::datum::{dims, statistic_set, summary, value};
use super::schedule::{cpu_spike_at, status_check_failure_at};
use super::signal::{Window, count, day_curve, jitter, key, percent, uniform, wave};

/// CloudWatch refuses custom metrics in namespaces starting with `AWS/`, so the demo's EC2 lives under `Demo/`.
pub const NAMESPACE: &str = "Demo/EC2";

/// An auto scaling group: its instances' type and the traffic its target group takes at the day's peak.
pub struct Group {
    pub name: &'static str,
    pub instance_type: &'static str,
    pub peak_requests_per_second: f64,
    /// CPU percent per request per second on one instance, on top of `idle_cpu`.
    cpu_per_request: f64,
    idle_cpu: f64,
    bytes_in_per_request: f64,
    bytes_out_per_request: f64,
    /// Disk operations per second at the peak.
    disk_ops: f64,
}

pub const WEB: Group = Group {
    name: "shop-web-asg",
    instance_type: "m5.large",
    peak_requests_per_second: 120.0,
    cpu_per_request: 1.7,
    idle_cpu: 4.0,
    bytes_in_per_request: 1_800.0,
    bytes_out_per_request: 24_000.0,
    disk_ops: 40.0,
};
pub const API: Group = Group {
    name: "shop-api-asg",
    instance_type: "c5.xlarge",
    peak_requests_per_second: 40.0,
    cpu_per_request: 2.4,
    idle_cpu: 8.0,
    bytes_in_per_request: 4_200.0,
    bytes_out_per_request: 6_500.0,
    disk_ops: 120.0,
};

pub struct Instance {
    pub id: &'static str,
    pub group: &'static Group,
}

pub const FLEET: [Instance; 6] = [
    Instance { id: "i-0a1b2c3d4e5f60718", group: &WEB },
    Instance { id: "i-07d9c41e8b2f35a6c", group: &WEB },
    Instance { id: "i-0f3e8a7b1c9d24e50", group: &WEB },
    Instance { id: "i-0c52b8e91d4f7a063", group: &WEB },
    Instance { id: "i-09e4d7a2f6b13c58e", group: &API },
    Instance { id: "i-0b6f1a3c8e2d59740", group: &API },
];

/// The metrics each instance reports, with their units.
const METRICS: [(&str, &str); 8] = [
    ("CPUUtilization", "Percent"),
    ("NetworkIn", "Bytes"),
    ("NetworkOut", "Bytes"),
    ("DiskReadBytes", "Bytes"),
    ("DiskWriteBytes", "Bytes"),
    ("DiskReadOps", "Count"),
    ("DiskWriteOps", "Count"),
    ("StatusCheckFailed", "Count"),
];

/// Whether the instance at `index` fails its status checks at `t` (it then takes no traffic).
pub fn is_failing(seed: u64, index: usize, t: i64) -> bool {
    status_check_failure_at(seed, t, FLEET.len()) == Some(index)
}

/// Requests per second a group's target group receives at `t`.
pub fn group_requests_per_second(group: &Group, t: i64) -> f64 {
    group.peak_requests_per_second * day_curve(t)
}

/// One instance's readings over `window`, in the order of [`METRICS`].
fn readings(seed: u64, index: usize, window: Window) -> [f64; 8] {
    let Some(instance) = FLEET.get(index) else { return [0.0; 8] };
    let group = instance.group;
    let t = window.start;
    let id = key(instance.id);
    let noise = |metric: &str, spread: f64| jitter(1.0, spread, seed, id ^ key(metric), t);
    let in_group = || FLEET.iter().enumerate().filter(|(_, i)| i.group.name == group.name);
    let serving = in_group().filter(|(i, _)| !is_failing(seed, *i, t)).count().max(1);
    if is_failing(seed, index, t) {
        // A hung instance: no traffic, almost no CPU, its status check failing for the whole window.
        return [percent(1.2 * noise("CPUUtilization", 0.3)), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
    }
    let requests = group_requests_per_second(group, t) / serving as f64;
    let load = day_curve(t);
    let cpu = if cpu_spike_at(seed, t, FLEET.len()) == Some(index) {
        // A runaway process: pinned near 100 %.
        88.0 + 11.0 * uniform(seed, id, t)
    } else {
        let background = 3.0 * wave(t, 240, uniform(seed, id, 0));
        (group.idle_cpu + group.cpu_per_request * requests + background) * noise("CPUUtilization", 0.08)
    };
    let read_ops = count(window.total(group.disk_ops * (0.3 + 0.4 * load)) * noise("DiskReadOps", 0.2));
    let write_ops = count(window.total(group.disk_ops * (0.2 + 0.6 * load)) * noise("DiskWriteOps", 0.2));
    [
        percent(cpu),
        count(window.total(requests * group.bytes_in_per_request + 2_000.0) * noise("NetworkIn", 0.1)),
        count(window.total(requests * group.bytes_out_per_request + 1_500.0) * noise("NetworkOut", 0.1)),
        count(read_ops * 16_384.0 * noise("DiskReadBytes", 0.15)),
        count(write_ops * 32_768.0 * noise("DiskWriteBytes", 0.15)),
        read_ops,
        write_ops,
        0.0,
    ]
}

/// Every EC2 datum for `window`.
pub fn sample(seed: u64, window: Window) -> Vec<MetricDatum> {
    let at = window.timestamp_ms();
    let all: Vec<[f64; 8]> = (0..FLEET.len()).map(|i| readings(seed, i, window)).collect();
    let mut data = Vec::with_capacity(FLEET.len() * METRICS.len() + 2 * METRICS.len() + 3);
    for (instance, reading) in FLEET.iter().zip(&all) {
        let dimensions = dims(&[("InstanceId", instance.id)]);
        for ((name, unit), v) in METRICS.iter().zip(reading) {
            data.push(value(name, &dimensions, unit, at, *v));
        }
    }
    // Aggregates are statistic sets over the member instances, as CloudWatch computes them: Average is the mean
    // instance, Sum the group's total, SampleCount the number of instances.
    let members = |pick: &dyn Fn(&Instance) -> bool, metric: usize| -> Vec<f64> {
        FLEET.iter().zip(&all).filter(|(i, _)| pick(i)).map(|(_, r)| r[metric]).collect()
    };
    for group in [&WEB, &API] {
        let dimensions = dims(&[("AutoScalingGroupName", group.name)]);
        for (metric, (name, unit)) in METRICS.iter().enumerate() {
            let samples = members(&|i| i.group.name == group.name, metric);
            data.extend(summary(&samples).and_then(|s| statistic_set(name, &dimensions, unit, at, s)));
        }
    }
    for group in [&WEB, &API] {
        let dimensions = dims(&[("InstanceType", group.instance_type)]);
        let samples = members(&|i| i.group.instance_type == group.instance_type, 0);
        data.extend(summary(&samples).and_then(|s| statistic_set("CPUUtilization", &dimensions, "Percent", at, s)));
    }
    let fleet = members(&|_| true, 0);
    data.extend(summary(&fleet).and_then(|s| statistic_set("CPUUtilization", &[], "Percent", at, s)));
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_look_like_ec2s() {
        for instance in &FLEET {
            let hex = instance.id.strip_prefix("i-").unwrap_or_default();
            assert_eq!(hex.len(), 17, "{}", instance.id);
            assert!(hex.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{}", instance.id);
        }
    }

    #[test]
    fn readings_stay_in_range_for_a_day() {
        for t in (0..86_400).step_by(30) {
            let window = Window { start: 1_700_000_000 + t, seconds: 60 };
            for index in 0..FLEET.len() {
                let r = readings(7, index, window);
                assert!((0.0..=100.0).contains(&r[0]), "cpu {}", r[0]);
                for v in &r[1..] {
                    assert!(*v >= 0.0 && v.fract() == 0.0, "{r:?}");
                }
                assert!(r[7] == 0.0 || r[7] == 1.0);
            }
        }
    }

    #[test]
    fn an_instance_spikes_and_one_fails_its_checks() {
        let hour = (1_700_000_000..1_700_003_600).step_by(10);
        let windows: Vec<Window> = hour.map(|start| Window { start, seconds: 10 }).collect();
        let hot = windows.iter().any(|w| (0..FLEET.len()).any(|i| readings(7, i, *w)[0] > 85.0));
        let failed = windows.iter().any(|w| (0..FLEET.len()).any(|i| readings(7, i, *w)[7] == 1.0));
        assert!(hot && failed);
    }

    #[test]
    fn every_series_reports_once_per_window() {
        let data = sample(7, Window { start: 1_700_000_000, seconds: 10 });
        assert_eq!(data.len(), FLEET.len() * METRICS.len() + 2 * METRICS.len() + 3);
        let group_cpu = data.iter().find(|d| {
            d.metric_name == "CPUUtilization" && d.dimensions == dims(&[("AutoScalingGroupName", "shop-web-asg")])
        });
        assert_eq!(group_cpu.and_then(|d| d.statistic_values).map(|s| s.sample_count), Some(4.0));
    }
}
