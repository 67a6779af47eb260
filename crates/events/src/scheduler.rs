//! Schedule rules firing. Each enabled rule with a schedule (on the default bus) has a row with its next fire
//! time (`events_schedules_v1`), written in the commit that puts, enables, disables or deletes the rule. The
//! scheduler fires due rows: the rule's "Scheduled Event" (`source` `aws.events`, the rule's ARN in `resources`,
//! `time` the time it was due) queued for the rule's own targets and the row advanced to the next time, in one
//! commit that applies only if the row still holds the time fired, so a rule fires once a time, even across a
//! restart. Times missed while the server was down fire once, late; the row then moves to the next time to come.

use std::future::Future;
use std::ops::ControlFlow;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::delivery::metrics::Tally;
use crate::delivery::storage::{Delivery, DeliveryChange, PendingEvent};
use crate::envelope::{EventParts, envelope};
use crate::model::Rule;
use crate::names::rule_arn;
use crate::schedule::{next_fire, parse};
use crate::storage::{json, rule, targets};
use crate::{Events, EventsError};

/// (account, region, bus, rule) -> [`ScheduleRow`] (JSON).
pub const SCHEDULES: Table = Table::new("events_schedules_v1");
/// Schedule rows fired per round, at most.
const ROUND: usize = 256;
/// How often the scheduler looks for due rows (a rule fires within this of its time).
const TICK: Duration = Duration::from_millis(250);

/// When an enabled schedule rule fires next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub expression: String,
    /// When its rate counts from (the rule was put or enabled).
    pub start_ms: i64,
    pub next_ms: i64,
}

fn key(account: &str, region: &str, bus: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(bus).str(name)
}

/// Keeps `rule`'s schedule row as the rule now is: a row from `now_ms` when it is enabled with a schedule that
/// fires again, none otherwise.
pub(crate) fn plan(
    tx: &mut Tx<'_>,
    (account, region): (&str, &str),
    rule: &Rule,
    now_ms: i64,
) -> Result<(), WriteError> {
    let key = key(account, region, &rule.bus, &rule.name);
    let row = rule
        .schedule_expression
        .as_deref()
        .filter(|_| rule.state.is_enabled())
        .and_then(|text| Some((text, parse(text)?)))
        .and_then(|(text, schedule)| {
            let next_ms = next_fire(&schedule, now_ms, now_ms)?;
            Some(ScheduleRow { expression: text.to_owned(), start_ms: now_ms, next_ms })
        });
    match row {
        Some(row) => tx.put(SCHEDULES, key.as_bytes(), &json(&row)?),
        None => tx.remove(SCHEDULES, key.as_bytes()),
    }
}

/// Drops the schedule row of a deleted rule.
pub(crate) fn forget(
    tx: &mut Tx<'_>,
    (account, region, bus, name): (&str, &str, &str, &str),
) -> Result<(), WriteError> {
    tx.remove(SCHEDULES, key(account, region, bus, name).as_bytes())
}

/// A row that is due: where it is and what it holds.
#[derive(Debug, Clone)]
pub struct Due {
    pub account: String,
    pub region: String,
    pub bus: String,
    pub rule: String,
    pub row: ScheduleRow,
}

/// Every schedule row, soonest first up to `limit`, with those due by `now_ms` marked.
pub fn schedules(reader: &Reader, limit: usize) -> Result<Vec<Due>, ReadError> {
    let mut out = Vec::new();
    reader.scan(SCHEDULES, (None, None), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        if let (Some(account), Some(region), Some(bus), Some(rule), Ok(row)) =
            (parts.str(), parts.str(), parts.str(), parts.str(), serde_json::from_slice::<ScheduleRow>(value))
        {
            out.push(Due { account, region, bus, rule, row });
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    out.sort_by_key(|d| d.row.next_ms);
    Ok(out)
}

/// One firing: the row moves from `fired_ms` to `next_ms` (or goes, when it never fires again) and the event's
/// deliveries are queued, only if the row still holds `fired_ms`.
#[derive(Debug, Clone)]
pub struct Fire {
    pub due: Due,
    pub next_ms: Option<i64>,
    pub enqueue: Option<DeliveryChange>,
}

impl Change for Fire {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let Due { account, region, bus, rule, row } = &self.due;
        let key = key(account, region, bus, rule);
        let current = tx.get(SCHEDULES, key.as_bytes())?.and_then(|b| serde_json::from_slice::<ScheduleRow>(&b).ok());
        if current.as_ref() != Some(row) {
            // Fired already, or the rule changed since it was read.
            return Ok(());
        }
        match self.next_ms {
            Some(next_ms) => tx.put(SCHEDULES, key.as_bytes(), &json(&ScheduleRow { next_ms, ..row.clone() })?)?,
            None => tx.remove(SCHEDULES, key.as_bytes())?,
        }
        match &self.enqueue {
            Some(enqueue) => enqueue.apply(tx),
            None => Ok(()),
        }
    }
}

/// The scheduled event of rule `name` at `time_ms`.
pub fn scheduled_event(id: &str, (account, region): (&str, &str), arn: &str, time_ms: i64) -> String {
    envelope(&EventParts {
        id,
        detail_type: "Scheduled Event",
        source: "aws.events",
        account,
        time_ms,
        region,
        replay_name: None,
        resources: &[arn.to_owned()],
        detail: "{}",
    })
}

impl Events {
    /// Fires the schedule rows due by `now_ms`; how many fired.
    pub async fn fire_due(&self, now_ms: i64) -> Result<usize, EventsError> {
        let events = self.clone();
        let (changes, tally, fired) = self
            .store
            .read(move |reader| {
                let mut changes = Vec::new();
                let mut tally = Tally::default();
                let mut fired = 0;
                for due in schedules(reader, usize::MAX)?.into_iter().filter(|d| d.row.next_ms <= now_ms).take(ROUND) {
                    changes.push(Mutation::new(events.fire(reader, due, now_ms, &mut tally)?));
                    fired += 1;
                }
                Ok((changes, tally, fired))
            })
            .await?;
        if fired > 0 {
            self.commit_counted(changes, tally, now_ms).await?;
        }
        Ok(fired)
    }

    fn fire(&self, reader: &Reader, due: Due, now_ms: i64, tally: &mut Tally) -> Result<Fire, ReadError> {
        let fired_ms = due.row.next_ms;
        let next_ms = parse(&due.row.expression).and_then(|s| next_fire(&s, due.row.start_ms, now_ms.max(fired_ms)));
        let Some(stored) = rule(reader, &due.account, &due.region, &due.bus, &due.rule)? else {
            return Ok(Fire { due, next_ms: None, enqueue: None });
        };
        let scope = (due.account.as_str(), due.region.as_str());
        tally.rule(scope, (&due.bus, &due.rule), "TriggeredRules", 1.0);
        let arn = rule_arn(&due.region, &due.account, &due.bus, &due.rule);
        let targets =
            targets(reader, &due.account, &due.region, &due.bus, &stored.name, None, crate::ops::MAX_TARGETS * 2)?;
        if targets.is_empty() {
            return Ok(Fire { due, next_ms, enqueue: None });
        }
        let id = uuid::Uuid::new_v4().to_string();
        let event = scheduled_event(&id, scope, &arn, fired_ms);
        let event_id = self.next_id(now_ms);
        let deliveries: Vec<Delivery> = targets
            .into_iter()
            .map(|target| Delivery {
                id: self.next_id(now_ms),
                event: event_id,
                account: due.account.clone(),
                region: due.region.clone(),
                bus: due.bus.clone(),
                rule: due.rule.clone(),
                rule_arn: arn.clone(),
                target,
                attempts: 0,
                created_ms: now_ms,
                due_ms: now_ms,
                last_error: None,
            })
            .collect();
        tally.total(scope, "InvocationsCreated", deliveries.len() as f64);
        let pending = PendingEvent { event, ingested_ms: now_ms, hops: 0 };
        let enqueue = DeliveryChange::Enqueue { id: event_id, event: Box::new(pending), deliveries };
        Ok(Fire { due, next_ms, enqueue: Some(enqueue) })
    }

    /// Fires schedules and advances replays until `stop`, looking every quarter second; archive retention runs
    /// every minute.
    pub async fn run_schedules(self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        let mut last_sweep = 0;
        loop {
            let now = now_ms();
            if let Err(error) = self.fire_due(now).await {
                tracing::warn!(%error, "firing schedules failed");
            }
            if let Err(error) = self.run_replays(now).await {
                tracing::warn!(%error, "replaying failed");
            }
            if now - last_sweep >= 60_000 {
                last_sweep = now;
                if let Err(error) = self.sweep_archives(now).await {
                    tracing::warn!(%error, "archive retention failed");
                }
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(TICK) => {}
            }
        }
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
