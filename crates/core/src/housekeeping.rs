//! Background removal of what has outlived its retention: CloudTrail event history past its days, alarm history
//! past two weeks, X-Ray traces and graphs past 30 days, and console sessions that have ended. Idempotent, so a restart only delays it.

use crate::Services;

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub audit_events: usize,
    pub alarm_history: usize,
    pub traces: usize,
    pub sessions: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum HousekeepingError {
    #[error("event history retention failed: {0}")]
    Audit(#[from] skywatch_audit::RetentionError),
    #[error("alarm history retention failed: {0}")]
    AlarmHistory(#[from] skywatch_alarms::service::retention::HistoryRetentionError),
    #[error("trace retention failed: {0}")]
    Traces(#[from] skywatch_traces::retention::RetentionError),
    #[error("session sweep failed: {0}")]
    Sessions(#[from] skywatch_auth::SessionError),
}

/// Sessions removed per sweep at most (the sweep runs hourly; sign-ins are throttled).
const SESSIONS_PER_SWEEP: usize = 10_000;

impl Services {
    /// Removes CloudTrail records older than `audit_retention_days`, alarm history older than two weeks, traces
    /// older than 30 days, and sessions ended by `now_ms`.
    pub async fn housekeep(&self, now_ms: i64, audit_retention_days: u32) -> Result<Swept, HousekeepingError> {
        let cutoff = now_ms.saturating_sub(i64::from(audit_retention_days).saturating_mul(86_400_000));
        let audit_events = skywatch_audit::expire(&self.store, cutoff).await?;
        let alarm_history = skywatch_alarms::service::retention::expire_history(&self.store, now_ms).await?;
        let (traces, _) = self.traces.expire(now_ms).await?;
        let sessions = self.sessions.sweep(now_ms, SESSIONS_PER_SWEEP).await?;
        Ok(Swept { audit_events, alarm_history, traces, sessions })
    }
}
