//! StartReplay, DescribeReplay, ListReplays and CancelReplay, with AWS's answers: a replay goes back to its
//! archive's own bus (`Cross event bus replay is not permitted.`), its range must be forward, its name unique, at
//! most ten are active at once; an unknown archive is a ValidationException, as AWS answers.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{EventsError, bus_missing, check_description, constraint, over_quota, page_size, spec};
use crate::Events;
use crate::archive::storage::{ArchiveChange, active_replays, archive, replay, replays};
use crate::archive::{Replay, ReplayState, archive_arn, archive_name, replay_arn};
use crate::model::DEFAULT_BUS;
use crate::names::{bus_arn, resolve_bus};
use crate::storage::bus;
use skywatch_model::EventResource;

const TOKEN_KIND: &str = "events-replays";
/// Replays active at once in an account and region (EventBridge's quota).
pub const MAX_ACTIVE_REPLAYS: usize = 10;

fn replay_resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::Events::Replay".into(), arn: arn.to_owned() }
}

fn check_name(name: &str) -> Result<(), EventsError> {
    if !(1..=64).contains(&name.len()) {
        return Err(constraint(name, "replayName", "have length between 1 and 64"));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        return Err(constraint(name, "replayName", r"satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"));
    }
    Ok(())
}

fn replay_missing(name: &str) -> EventsError {
    EventsError::NotFound(format!("Replay {name} does not exist."))
}

/// StartReplay's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartReplayInput {
    pub replay_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub event_source_arn: String,
    pub event_start_ms: i64,
    pub event_end_ms: i64,
    pub destination_arn: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filter_arns: Vec<String>,
}

/// What StartReplay and CancelReplay answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayStarted {
    pub arn: String,
    pub state: ReplayState,
    pub started_ms: Option<i64>,
}

/// StartReplay.
pub struct StartReplay;

impl Operation for StartReplay {
    const SPEC: Spec = spec("StartReplay", Access::Write).with_limits(&[
        Limit::aws("ReplayName characters", 64),
        Limit::aws("active replays an account and region", MAX_ACTIVE_REPLAYS as u64),
        Limit::aws("FilterArns", 100),
    ]);
    type Engine = Events;
    type Input = StartReplayInput;
    type Output = ReplayStarted;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: StartReplayInput,
    ) -> Result<Effect<ReplayStarted, EventsError>, EventsError> {
        check_name(&input.replay_name)?;
        check_description(input.description.as_deref())?;
        if input.filter_arns.len() > 100 {
            return Err(constraint("", "destination.filterArns", "have length less than or equal to 100"));
        }
        // AWS compares whole seconds.
        if input.event_end_ms.div_euclid(1000) <= input.event_start_ms.div_euclid(1000) {
            return Err(EventsError::Validation(
                "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.".into(),
            ));
        }
        let Some(archive_name) = archive_name(&input.event_source_arn, &ctx.region, &ctx.account).map(str::to_owned)
        else {
            let shown = input.event_source_arn.rsplit('/').next().unwrap_or_default();
            return Err(EventsError::Validation(format!(
                "Parameter EventSourceArn is not valid. Reason: Archive {shown} does not exist."
            )));
        };
        let destination = resolve_bus(Some(&input.destination_arn), &ctx.region)
            .filter(|(account, _)| account.is_none_or(|a| a == ctx.account))
            .map(|(_, name)| name.to_owned());
        let Some(destination) = destination else {
            return Err(bus_missing(input.destination_arn.rsplit('/').next().unwrap_or_default()));
        };
        let (account, region, name, lookup, dest) = (
            ctx.account.clone(),
            ctx.region.clone(),
            input.replay_name.clone(),
            archive_name.clone(),
            destination.clone(),
        );
        let (stored, existing, dest_exists, active) = events
            .store
            .read(move |reader| {
                let stored = archive(reader, &account, &region, &lookup)?;
                let existing = replay(reader, &account, &region, &name)?;
                let dest_exists = dest == DEFAULT_BUS || bus(reader, &account, &region, &dest)?.is_some();
                let active = active_replays(reader, usize::MAX)?
                    .into_iter()
                    .filter(|(a, r, _)| *a == account && *r == region)
                    .count();
                Ok((stored, existing, dest_exists, active))
            })
            .await?;
        let Some(stored) = stored else {
            return Err(EventsError::Validation(format!(
                "Parameter EventSourceArn is not valid. Reason: Archive {archive_name} does not exist."
            )));
        };
        if !dest_exists {
            return Err(bus_missing(&destination));
        }
        if destination != stored.bus {
            return Err(EventsError::Validation(
                "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.".into(),
            ));
        }
        if existing.is_some() {
            return Err(EventsError::AlreadyExists(format!("Replay {} already exists.", input.replay_name)));
        }
        if active >= MAX_ACTIVE_REPLAYS {
            return Err(over_quota());
        }
        let arn = replay_arn(&ctx.region, &ctx.account, &input.replay_name);
        let started = Replay {
            name: input.replay_name,
            archive: stored.name.clone(),
            archive_id: stored.id,
            archive_arn: archive_arn(&ctx.region, &ctx.account, &stored.name),
            description: input.description,
            bus_arn: bus_arn(&ctx.region, &ctx.account, &stored.bus),
            bus: stored.bus,
            filter_arns: input.filter_arns,
            event_start_ms: input.event_start_ms,
            event_end_ms: input.event_end_ms,
            state: ReplayState::Starting,
            started_ms: ctx.now_ms,
            ended_ms: None,
            last_replayed_ms: None,
            cursor: None,
            replayed: 0,
        };
        let change = ArchiveChange::PutReplay {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            replay: Box::new(started),
        };
        let reply = ReplayStarted { arn: arn.clone(), state: ReplayState::Starting, started_ms: Some(ctx.now_ms) };
        Ok(Effect::commit(reply, vec![change.mutation()]).with_resources(vec![replay_resource(&arn)]))
    }
}

/// DescribeReplay's and CancelReplay's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplayNameInput {
    pub replay_name: String,
}

/// A replay as DescribeReplay and ListReplays show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayDescription {
    pub replay: Replay,
    pub arn: String,
}

async fn existing(events: &Events, ctx: &Context, name: &str) -> Result<Replay, EventsError> {
    check_name(name)?;
    let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.to_owned());
    events
        .store
        .read(move |reader| replay(reader, &account, &region, &lookup))
        .await?
        .ok_or_else(|| replay_missing(name))
}

/// DescribeReplay.
pub struct DescribeReplay;

impl Operation for DescribeReplay {
    const SPEC: Spec = spec("DescribeReplay", Access::Read).with_limits(&[Limit::aws("ReplayName characters", 64)]);
    type Engine = Events;
    type Input = ReplayNameInput;
    type Output = ReplayDescription;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ReplayNameInput,
    ) -> Result<Effect<ReplayDescription, EventsError>, EventsError> {
        let replay = existing(events, ctx, &input.replay_name).await?;
        Ok(Effect::reply(ReplayDescription { arn: replay_arn(&ctx.region, &ctx.account, &replay.name), replay }))
    }
}

/// ListReplays' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListReplaysInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of replays.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplayPage {
    pub replays: Vec<ReplayDescription>,
    pub next_token: Option<String>,
}

/// ListReplays: by name, filtered by prefix, state and archive.
pub struct ListReplays;

impl Operation for ListReplays {
    const SPEC: Spec = spec("ListReplays", Access::Read).with_limits(&[Limit::aws("Limit", super::MAX_PAGE as u64)]);
    type Engine = Events;
    type Input = ListReplaysInput;
    type Output = ReplayPage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListReplaysInput,
    ) -> Result<Effect<ReplayPage, EventsError>, EventsError> {
        let limit = page_size(input.limit)?;
        let state = match input.state.as_deref() {
            Some(text) => Some(ReplayState::parse(text).ok_or_else(|| {
                constraint(
                    text,
                    "state",
                    "satisfy enum value set: [CANCELLED, CANCELLING, COMPLETED, FAILED, RUNNING, STARTING]",
                )
            })?),
            None => None,
        };
        let after = match &input.next_token {
            Some(t) => Some(
                token::decode(TOKEN_KIND, t)
                    .ok_or_else(|| EventsError::Validation("The NextToken provided is invalid.".into()))?,
            ),
            None => None,
        };
        let (account, region, prefix) =
            (ctx.account.clone(), ctx.region.clone(), input.name_prefix.clone().unwrap_or_default());
        let found = events
            .store
            .read(move |reader| replays(reader, (&account, &region), &prefix, after.as_deref(), usize::MAX))
            .await?;
        let mut matching: Vec<Replay> = found
            .into_iter()
            .filter(|r| state.is_none_or(|s| s == r.state))
            .filter(|r| input.event_source_arn.as_ref().is_none_or(|arn| *arn == r.archive_arn))
            .take(limit + 1)
            .collect();
        let next_token = (matching.len() > limit).then(|| {
            matching.truncate(limit);
            token::encode(TOKEN_KIND, &matching.last().map(|r| r.name.clone()).unwrap_or_default())
        });
        let replays = matching
            .into_iter()
            .map(|replay| ReplayDescription { arn: replay_arn(&ctx.region, &ctx.account, &replay.name), replay })
            .collect();
        Ok(Effect::reply(ReplayPage { replays, next_token }))
    }
}

/// CancelReplay: an active replay stops at its next turn.
pub struct CancelReplay;

impl Operation for CancelReplay {
    const SPEC: Spec = spec("CancelReplay", Access::Write).with_limits(&[Limit::aws("ReplayName characters", 64)]);
    type Engine = Events;
    type Input = ReplayNameInput;
    type Output = ReplayStarted;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ReplayNameInput,
    ) -> Result<Effect<ReplayStarted, EventsError>, EventsError> {
        let current = existing(events, ctx, &input.replay_name).await?;
        let arn = replay_arn(&ctx.region, &ctx.account, &current.name);
        if !matches!(current.state, ReplayState::Starting | ReplayState::Running) {
            return Err(EventsError::IllegalStatus(format!(
                "Replay {} is not in a state that can be cancelled.",
                current.name
            )));
        }
        let expected = current.state;
        let cancelling = Replay { state: ReplayState::Cancelling, ..current };
        let change = ArchiveChange::Advance {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            replay: Box::new(cancelling),
            expected,
            deliveries: Vec::new(),
        };
        let reply = ReplayStarted { arn: arn.clone(), state: ReplayState::Cancelling, started_ms: None };
        Ok(Effect::commit(reply, vec![change.mutation()]).with_resources(vec![replay_resource(&arn)]))
    }
}
