//! The incident timeline every simulated system shares, a pure function of the seed and the clock: the shop's
//! latency spikes and error bursts (which the load balancer sees too), a CPU spike on one instance every quarter
//! of an hour, and one instance failing its status checks once an hour.

use super::signal::{mix, occurrence};

/// A shop incident starts every this many seconds and lasts a minute, alternating between the two kinds.
const INCIDENT_EVERY: i64 = 300;
const INCIDENT_LASTS: i64 = 60;
/// One instance runs hot for six and a half minutes every quarter of an hour (long enough for a "5 of 5 minutes"
/// alarm to fire).
const CPU_SPIKE_EVERY: i64 = 900;
const CPU_SPIKE_OFFSET: i64 = 420;
const CPU_SPIKE_LASTS: i64 = 390;
/// One instance fails its status checks for four minutes every hour.
const STATUS_FAILURE_EVERY: i64 = 3600;
const STATUS_FAILURE_OFFSET: i64 = 2100;
const STATUS_FAILURE_LASTS: i64 = 240;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incident {
    /// Payments and the database slow down; target response times climb.
    LatencySpike,
    /// Payments fail (one provider at a time); targets answer 5xx.
    ErrorBurst,
}

/// The shop incident under way at `t`, if any.
pub fn incident_at(t: i64) -> Option<Incident> {
    let n = occurrence(t, INCIDENT_EVERY, 0, INCIDENT_LASTS)?;
    Some(if n.rem_euclid(2) == 0 { Incident::LatencySpike } else { Incident::ErrorBurst })
}

/// During an error burst, which of `providers` payment providers is failing.
pub fn failing_provider(seed: u64, t: i64, providers: usize) -> Option<usize> {
    if incident_at(t) != Some(Incident::ErrorBurst) {
        return None;
    }
    let n = occurrence(t, INCIDENT_EVERY, 0, INCIDENT_LASTS)?;
    pick(seed ^ 0x7061_796d, n, providers)
}

/// Which of `instances` instances (an index into the fleet) runs at full CPU at `t`, if any.
pub fn cpu_spike_at(seed: u64, t: i64, instances: usize) -> Option<usize> {
    let n = occurrence(t, CPU_SPIKE_EVERY, CPU_SPIKE_OFFSET, CPU_SPIKE_LASTS)?;
    pick(seed ^ 0x0063_7075, n, instances)
}

/// Which of `instances` instances fails its status checks at `t`, if any.
pub fn status_check_failure_at(seed: u64, t: i64, instances: usize) -> Option<usize> {
    let n = occurrence(t, STATUS_FAILURE_EVERY, STATUS_FAILURE_OFFSET, STATUS_FAILURE_LASTS)?;
    pick(seed ^ 0x7374_6174, n, instances)
}

/// A pseudo-random choice among `among`, fixed for one occurrence.
fn pick(seed: u64, occurrence: i64, among: usize) -> Option<usize> {
    let among = u64::try_from(among).ok().filter(|n| *n > 0)?;
    usize::try_from(mix(seed ^ mix(occurrence as u64)) % among).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incidents_alternate_and_end() {
        assert_eq!(incident_at(10), Some(Incident::LatencySpike));
        assert_eq!(incident_at(310), Some(Incident::ErrorBurst));
        assert_eq!(incident_at(100), None);
    }

    #[test]
    fn a_provider_fails_only_during_error_bursts() {
        assert_eq!(failing_provider(1, 10, 3), None);
        assert!(failing_provider(1, 310, 3).is_some_and(|p| p < 3));
        assert_eq!(failing_provider(1, 310, 0), None);
    }

    #[test]
    fn spikes_and_failures_come_around_and_pick_a_real_instance() {
        let hour = 0..3600;
        let spikes = hour.clone().filter(|t| cpu_spike_at(9, *t, 6).is_some()).count() as i64;
        assert_eq!(spikes, 4 * CPU_SPIKE_LASTS);
        let failures = hour.clone().filter(|t| status_check_failure_at(9, *t, 6).is_some()).count() as i64;
        assert_eq!(failures, STATUS_FAILURE_LASTS);
        assert!(hour.filter_map(|t| cpu_spike_at(9, t, 6)).all(|i| i < 6));
        assert_eq!(cpu_spike_at(9, CPU_SPIKE_OFFSET, 6), cpu_spike_at(9, CPU_SPIKE_OFFSET + 10, 6));
        assert_eq!(cpu_spike_at(9, CPU_SPIKE_OFFSET, 0), None);
    }
}
