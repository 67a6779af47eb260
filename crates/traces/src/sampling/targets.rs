//! How a rule's reservoir is shared among the clients that use it (X-Ray's GetSamplingTargets): each client that
//! reported in the last 30 seconds gets an equal whole share, the remainder going to the busiest ones, valid for
//! five minutes and renewed at the 10-second reporting interval; the reports' counts are summed in 10-second
//! windows for GetSamplingStatisticSummaries. Kept in memory: after a restart, clients borrow until they report.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// Seconds between a client's reports.
pub const INTERVAL_S: i64 = 10;
/// How long a quota holds without a new one.
pub const QUOTA_TTL_MS: i64 = 300_000;
/// A client that has not reported for this long no longer shares a reservoir.
const ACTIVE_MS: i64 = 30_000;
/// The statistics windows.
pub const WINDOW_MS: i64 = 10_000;
/// Windows kept per rule.
const WINDOWS_KEPT: usize = 6;
/// Clients kept per rule (the least recent are forgotten first).
const MAX_CLIENTS: usize = 10_000;

/// One statistics document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub rule: String,
    pub client: String,
    pub requests: i64,
    pub sampled: i64,
    pub borrowed: i64,
}

/// A client's quota of one rule's reservoir.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub rule: String,
    pub fixed_rate: f64,
    pub quota: i64,
    pub ttl_ms: i64,
    pub interval_s: i64,
}

/// One rule's summed counts over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub requests: i64,
    pub sampled: i64,
    pub borrowed: i64,
}

#[derive(Default)]
struct RuleState {
    /// client -> (last report ms, requests in it)
    clients: HashMap<String, (i64, i64)>,
    windows: BTreeMap<i64, Counts>,
}

/// The reservoirs of every account and region.
#[derive(Default)]
pub struct Allotment {
    rules: Mutex<HashMap<(String, String, String), RuleState>>,
}

impl Allotment {
    /// Records `report` at `now_ms` and returns the client's share of `reservoir`.
    pub fn report(&self, (account, region): (&str, &str), now_ms: i64, report: &Report, reservoir: i64) -> i64 {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let state = rules.entry((account.to_owned(), region.to_owned(), report.rule.clone())).or_default();
        state.clients.insert(report.client.clone(), (now_ms, report.requests.max(0)));
        state.clients.retain(|_, (last, _)| now_ms - *last <= ACTIVE_MS);
        if state.clients.len() > MAX_CLIENTS {
            let mut by_age: Vec<(String, i64)> = state.clients.iter().map(|(c, (t, _))| (c.clone(), *t)).collect();
            by_age.sort_by_key(|(_, t)| *t);
            for (client, _) in by_age.into_iter().take(state.clients.len() - MAX_CLIENTS) {
                state.clients.remove(&client);
            }
        }
        let window = now_ms - now_ms.rem_euclid(WINDOW_MS);
        let counts = state.windows.entry(window).or_default();
        counts.requests += report.requests.max(0);
        counts.sampled += report.sampled.max(0);
        counts.borrowed += report.borrowed.max(0);
        while state.windows.len() > WINDOWS_KEPT {
            state.windows.pop_first();
        }
        // Equal whole shares; the remainder to the busiest clients (ties by id, so every client agrees).
        let reservoir = reservoir.max(0);
        let mut ranked: Vec<(&String, i64)> = state.clients.iter().map(|(c, (_, r))| (c, *r)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let n = i64::try_from(ranked.len()).unwrap_or(i64::MAX).max(1);
        let rank = ranked.iter().position(|(c, _)| **c == report.client).unwrap_or(0);
        reservoir / n + i64::from(i64::try_from(rank).unwrap_or(i64::MAX) < reservoir % n)
    }

    /// Each rule's counts in the newest window that has ended by `now_ms`: (rule, window start ms, counts).
    pub fn summaries(&self, (account, region): (&str, &str), now_ms: i64) -> Vec<(String, i64, Counts)> {
        let rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, i64, Counts)> = rules
            .iter()
            .filter(|((a, r, _), _)| a == account && r == region)
            .filter_map(|((_, _, rule), state)| {
                let (start, counts) = state.windows.iter().rev().find(|(start, _)| **start + WINDOW_MS <= now_ms)?;
                Some((rule.clone(), *start, *counts))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Forgets a deleted rule.
    pub fn forget(&self, (account, region): (&str, &str), rule: &str) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.remove(&(account.to_owned(), region.to_owned(), rule.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(client: &str, requests: i64) -> Report {
        Report { rule: "r".into(), client: client.into(), requests, sampled: 1, borrowed: 0 }
    }

    const AT: (&str, &str) = ("0", "us-east-1");

    #[test]
    fn the_reservoir_is_shared_evenly_with_the_remainder_to_the_busiest() {
        let allot = Allotment::default();
        assert_eq!(allot.report(AT, 0, &report("a", 5), 10), 10, "alone, a client gets it all");
        allot.report(AT, 1, &report("b", 50), 10);
        allot.report(AT, 2, &report("c", 1), 10);
        // 10 among 3: 4 for the busiest (b), 3 each for the others.
        assert_eq!(allot.report(AT, 3, &report("b", 50), 10), 4);
        assert_eq!(allot.report(AT, 4, &report("a", 5), 10), 3);
        assert_eq!(allot.report(AT, 5, &report("c", 1), 10), 3);
        // One a second among three: only the busiest gets it.
        assert_eq!(allot.report(AT, 6, &report("b", 50), 1), 1);
        assert_eq!(allot.report(AT, 7, &report("a", 5), 1), 0);
    }

    #[test]
    fn clients_that_stop_reporting_stop_sharing() {
        let allot = Allotment::default();
        allot.report(AT, 0, &report("a", 1), 10);
        allot.report(AT, 0, &report("b", 1), 10);
        assert_eq!(allot.report(AT, 1_000, &report("a", 1), 10), 5);
        assert_eq!(allot.report(AT, 40_000, &report("a", 1), 10), 10, "b went quiet");
    }

    #[test]
    fn statistics_are_summed_per_ten_second_window() {
        let allot = Allotment::default();
        allot.report(
            AT,
            20_000,
            &Report { rule: "r".into(), client: "a".into(), requests: 7, sampled: 3, borrowed: 1 },
            1,
        );
        allot.report(
            AT,
            25_000,
            &Report { rule: "r".into(), client: "b".into(), requests: 5, sampled: 2, borrowed: 0 },
            1,
        );
        allot.report(AT, 31_000, &report("a", 100), 1);
        let summaries = allot.summaries(AT, 32_000);
        assert_eq!(summaries, [("r".to_owned(), 20_000, Counts { requests: 12, sampled: 5, borrowed: 1 })]);
        assert!(allot.summaries(("other", "us-east-1"), 32_000).is_empty());
        allot.forget(AT, "r");
        assert!(allot.summaries(AT, 32_000).is_empty());
    }
}
