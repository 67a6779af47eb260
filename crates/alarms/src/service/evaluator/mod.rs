//! The evaluator: a background task that evaluates every metric alarm every minute (high-resolution alarms every
//! period) and then every composite alarm, and commits each change of state with its history. It works from one
//! snapshot of the alarm tables and reads metrics through the query engine (never holding what ingestion needs),
//! and its changes are conditional on the state it read, so a concurrent SetAlarmState or deletion wins. States
//! live in the store, so they survive restarts; a restarted evaluator evaluates everything at once.

mod composite;
mod metric;

use std::time::Duration;

use composite::evaluate_composites;
pub use metric::{Outcome, evaluate_metric_alarm};

use crate::condition::Comparison;
use crate::definition::{Alarm, Kind, Source};
use crate::evaluate::{Decision, MissingData};
use crate::reason::{threshold_reason, threshold_reason_data};
use crate::service::Alarms;
use crate::service::storage::everything;
use crate::service::transition::Transition;
use crate::status::Status;

/// How often the evaluator wakes: the shortest alarm period.
pub const TICK_MS: i64 = 10_000;
const MINUTE_MS: i64 = 60_000;

/// What one pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pass {
    /// Metric alarms evaluated.
    pub evaluated: usize,
    /// Metric alarms whose evaluation failed (a metric-math error); their state is kept.
    pub failed: usize,
    /// Composite alarms evaluated.
    pub composites: usize,
    /// State changes committed.
    pub transitions: usize,
}

/// Why a pass failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum EvaluatorError {
    #[error("reading alarms failed: {0}")]
    Read(#[from] skywatch_store::ReadError),
    #[error("committing alarm states failed: {0}")]
    Write(#[from] skywatch_store::WriteError),
}

/// Whether an alarm of `period_s` is due at `now_ms` when the previous pass ran at `previous_ms`: once a minute
/// for periods of a minute or more, once a period for high-resolution alarms. (An alarm the evaluator has not
/// evaluated yet, at start or since it was put, is evaluated at the next pass whatever the time.)
pub fn is_due(period_s: i64, now_ms: i64, previous_ms: Option<i64>) -> bool {
    let step = if period_s < 60 { period_s.max(1) * 1000 } else { MINUTE_MS };
    previous_ms.is_some_and(|previous| now_ms.div_euclid(step) > previous.div_euclid(step))
}

/// One alarm of the snapshot.
pub(crate) struct Entry {
    pub account: String,
    pub region: String,
    pub alarm: Alarm,
    pub status: Status,
}

/// Composite alarms whose actions, held for their suppressor's wait period, are due: they run now unless the
/// suppressor went into ALARM meanwhile.
fn held_actions_due(entries: &[Entry], now_ms: i64) -> Vec<Transition> {
    entries
        .iter()
        .filter(|e| e.status.pending_actions_at_ms.is_some_and(|due| due <= now_ms))
        .map(|e| {
            let mut new = e.status.clone();
            new.pending_actions_at_ms = None;
            new.updated_ms = now_ms;
            Transition {
                account: e.account.clone(),
                region: e.region.clone(),
                alarm: e.alarm.clone(),
                old: e.status.clone(),
                new,
                held_actions_due: true,
            }
        })
        .collect()
}

/// The new state of a metric alarm from an evaluation, and its reason.
fn decide(alarm: &Alarm, current: &Status, outcome: &Outcome, now_ms: i64) -> Option<Status> {
    let Kind::Metric(metric) = &alarm.kind else { return None };
    let new = match outcome.decision {
        Decision::Set(state) => state,
        Decision::Keep => return None,
    };
    if new == current.value {
        return None;
    }
    let comparison = Comparison::parse(&metric.comparison)?;
    let missing = metric.treat_missing_data.as_deref().and_then(MissingData::parse).unwrap_or_default();
    let n = metric.evaluation_periods.max(1) as usize;
    let m = metric.datapoints_to_alarm.map_or(n, |m| m as usize);
    let reason = threshold_reason(current.value, new, comparison, &outcome.judged, m, missing);
    let statistic = match &metric.source {
        Source::Metric { stat, .. } => Some(stat.stat.as_str()),
        Source::Queries { .. } => None,
    };
    let data = threshold_reason_data(now_ms, statistic, metric.source.period(), metric.threshold, &outcome.judged);
    Some(current.moved(new, reason, Some(data), now_ms))
}

impl Alarms {
    /// One pass at `now_ms`: the metric alarms due since the full pass at `previous_ms` and those put since they
    /// were last evaluated (none when `metrics` is false), then every composite alarm. Returns what it did.
    pub async fn evaluate(&self, now_ms: i64, previous_ms: Option<i64>, metrics: bool) -> Result<Pass, EvaluatorError> {
        let snapshot = self.store.read(everything).await?;
        let mut entries: Vec<Entry> = snapshot
            .into_iter()
            .map(|(account, region, alarm, status)| {
                let status = status.unwrap_or_else(|| Status::created(alarm.configured_ms));
                Entry { account, region, alarm, status }
            })
            .collect();
        let mut pass = Pass::default();
        let mut changes: Vec<Transition> = Vec::new();
        let mut evaluated = std::mem::take(&mut *self.evaluated.lock().unwrap_or_else(|e| e.into_inner()));
        let mut seen = std::collections::HashMap::with_capacity(entries.len());
        if metrics {
            for entry in entries.iter_mut() {
                let Kind::Metric(metric) = &entry.alarm.kind else { continue };
                let key = (entry.account.clone(), entry.region.clone(), entry.alarm.name.clone());
                let reconfigured = evaluated.remove(&key) != Some(entry.alarm.configured_ms);
                seen.insert(key, entry.alarm.configured_ms);
                if !reconfigured && !is_due(metric.source.period(), now_ms, previous_ms) {
                    continue;
                }
                pass.evaluated += 1;
                match evaluate_metric_alarm(&self.tsdb, &entry.account, &entry.region, metric, now_ms).await {
                    Ok(outcome) => {
                        if let Some(new) = decide(&entry.alarm, &entry.status, &outcome, now_ms) {
                            changes.push(Transition {
                                account: entry.account.clone(),
                                region: entry.region.clone(),
                                alarm: entry.alarm.clone(),
                                old: entry.status.clone(),
                                new: new.clone(),
                                held_actions_due: false,
                            });
                            entry.status = new;
                        }
                    }
                    Err(error) => {
                        pass.failed += 1;
                        tracing::debug!(alarm = %entry.alarm.name, %error, "alarm evaluation failed");
                    }
                }
            }
        }
        if metrics {
            // Alarms gone since the last pass are forgotten.
            *self.evaluated.lock().unwrap_or_else(|e| e.into_inner()) = seen;
        } else {
            *self.evaluated.lock().unwrap_or_else(|e| e.into_inner()) = evaluated;
        }
        let (composite_changes, composites) = evaluate_composites(&mut entries, now_ms);
        pass.composites = composites;
        changes.extend(composite_changes);
        changes.extend(held_actions_due(&entries, now_ms));
        pass.transitions = self.commit(changes).await?;
        Ok(pass)
    }

    /// The evaluator's loop, until `stop` resolves: a pass every [`TICK_MS`] (on the tick), and one whenever
    /// [`wake`](Self::wake) is called (a put or SetAlarmState), which evaluates new and changed alarms and every
    /// composite alarm at once.
    pub async fn run(self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        let mut previous: Option<i64> = None;
        loop {
            let now = chrono::Utc::now().timestamp_millis();
            let wait = (now.div_euclid(TICK_MS) + 1) * TICK_MS - now;
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(Duration::from_millis(u64::try_from(wait).unwrap_or(0))) => {}
                () = self.woken() => {}
            }
            let now = chrono::Utc::now().timestamp_millis();
            match self.evaluate(now, previous, true).await {
                Ok(pass) if pass.transitions > 0 || pass.failed > 0 => {
                    tracing::info!(?pass, "alarms evaluated");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "alarm evaluation pass failed"),
            }
            previous = Some(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_due;

    #[test]
    fn standard_alarms_are_due_each_minute_and_high_resolution_ones_each_period() {
        let minute = 600_000_000;
        assert!(is_due(300, minute, Some(minute - 10_000)), "a five-minute alarm is still evaluated each minute");
        assert!(!is_due(60, minute + 20_000, Some(minute + 10_000)));
        assert!(is_due(10, minute + 20_000, Some(minute + 10_000)));
        assert!(!is_due(30, minute + 20_000, Some(minute + 10_000)));
        assert!(is_due(30, minute + 30_000, Some(minute + 20_000)));
        assert!(!is_due(60, minute, None), "before any pass, only alarms not yet evaluated run (the caller's rule)");
    }
}
