//! CreateArchive, DescribeArchive, ListArchives, UpdateArchive and DeleteArchive: archives of a bus's events, with
//! AWS's answers (`Archive X already exists.`, `Archive X does not exist.`, `Event bus X does not exist.`, and
//! UpdateArchive's `At least one of EventPattern, RetentionDays or Description must be provided.` before the
//! archive is looked up).

use serde::Serialize;
use skywatch_eventpattern::parse;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{EventsError, bus_missing, check_description, constraint, page_size, spec};
use crate::Events;
use crate::archive::storage::{ArchiveChange, archive, archives};
use crate::archive::{Archive, archive_arn};
use crate::model::DEFAULT_BUS;
use crate::names::{bus_arn, resolve_bus};
use crate::storage::bus;
use skywatch_model::EventResource;

const TOKEN_KIND: &str = "events-archives";
/// Archives one account may have in one region (EventBridge's quota).
pub const MAX_ARCHIVES: usize = 200;

fn archive_resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::Events::Archive".into(), arn: arn.to_owned() }
}

fn check_name(name: &str) -> Result<(), EventsError> {
    if !(1..=48).contains(&name.len()) {
        return Err(constraint(name, "archiveName", "have length between 1 and 48"));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        return Err(constraint(name, "archiveName", r"satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"));
    }
    Ok(())
}

fn check_pattern(pattern: Option<&str>) -> Result<(), EventsError> {
    match pattern {
        Some(text) => parse(text).map(|_| ()).map_err(|e| EventsError::InvalidPattern(e.to_string())),
        None => Ok(()),
    }
}

fn check_retention(days: Option<i64>) -> Result<(), EventsError> {
    match days {
        Some(d) if d < 0 => Err(constraint(&d.to_string(), "retentionDays", "have value greater than or equal to 0")),
        _ => Ok(()),
    }
}

pub(crate) fn archive_missing(name: &str) -> EventsError {
    EventsError::NotFound(format!("Archive {name} does not exist."))
}

/// CreateArchive's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateArchiveInput {
    pub archive_name: String,
    pub event_source_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_identifier: Option<String>,
}

/// What CreateArchive and UpdateArchive answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveState {
    pub arn: String,
    pub state: &'static str,
    pub created_ms: i64,
}

/// CreateArchive: an archive of one of the caller's buses.
pub struct CreateArchive;

impl Operation for CreateArchive {
    const SPEC: Spec = spec("CreateArchive", Access::Write).with_limits(&[
        Limit::aws("ArchiveName characters", 48),
        Limit::aws("archives an account and region", MAX_ARCHIVES as u64),
        Limit::aws("EventPattern characters", skywatch_eventpattern::MAX_PATTERN_LENGTH as u64),
    ]);
    type Engine = Events;
    type Input = CreateArchiveInput;
    type Output = ArchiveState;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: CreateArchiveInput,
    ) -> Result<Effect<ArchiveState, EventsError>, EventsError> {
        check_name(&input.archive_name)?;
        check_description(input.description.as_deref())?;
        check_pattern(input.event_pattern.as_deref())?;
        check_retention(input.retention_days)?;
        let named = resolve_bus(Some(&input.event_source_arn), &ctx.region)
            .filter(|(account, _)| account.is_some_and(|a| a == ctx.account));
        let Some((_, bus_name)) = named else {
            let shown = input.event_source_arn.rsplit('/').next().unwrap_or(&input.event_source_arn).to_owned();
            return Err(bus_missing(&shown));
        };
        let bus_name = bus_name.to_owned();
        let (account, region, name, lookup) =
            (ctx.account.clone(), ctx.region.clone(), input.archive_name.clone(), bus_name.clone());
        let (existing, stored_bus, count) = events
            .store
            .read(move |reader| {
                let existing = archive(reader, &account, &region, &name)?;
                let stored_bus = bus(reader, &account, &region, &lookup)?;
                let count = archives(reader, (&account, &region), "", None, MAX_ARCHIVES + 1)?.len();
                Ok((existing, stored_bus, count))
            })
            .await?;
        if stored_bus.is_none() && bus_name != DEFAULT_BUS {
            return Err(bus_missing(&bus_name));
        }
        if existing.is_some() {
            return Err(EventsError::AlreadyExists(format!("Archive {} already exists.", input.archive_name)));
        }
        if count >= MAX_ARCHIVES {
            return Err(super::over_quota());
        }
        let arn = archive_arn(&ctx.region, &ctx.account, &input.archive_name);
        let stored = Archive {
            name: input.archive_name,
            id: events.next_id(ctx.now_ms),
            bus: bus_name,
            description: input.description,
            event_pattern: input.event_pattern,
            retention_days: input.retention_days.unwrap_or(0),
            kms_key_identifier: input.kms_key_identifier,
            created_ms: ctx.now_ms,
            event_count: 0,
            size_bytes: 0,
        };
        let change =
            ArchiveChange::Put { account: ctx.account.clone(), region: ctx.region.clone(), archive: Box::new(stored) };
        let reply = ArchiveState { arn: arn.clone(), state: "ENABLED", created_ms: ctx.now_ms };
        Ok(Effect::commit(reply, vec![change.mutation()]).with_resources(vec![archive_resource(&arn)]))
    }
}

/// DescribeArchive's and DeleteArchive's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveNameInput {
    pub archive_name: String,
}

/// An archive as DescribeArchive and ListArchives show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveDescription {
    pub archive: Archive,
    pub arn: String,
    pub event_source_arn: String,
}

fn described(ctx: &Context, archive: Archive) -> ArchiveDescription {
    ArchiveDescription {
        arn: archive_arn(&ctx.region, &ctx.account, &archive.name),
        event_source_arn: bus_arn(&ctx.region, &ctx.account, &archive.bus),
        archive,
    }
}

async fn existing(events: &Events, ctx: &Context, name: &str) -> Result<Archive, EventsError> {
    check_name(name)?;
    let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.to_owned());
    events
        .store
        .read(move |reader| archive(reader, &account, &region, &lookup))
        .await?
        .ok_or_else(|| archive_missing(name))
}

/// DescribeArchive.
pub struct DescribeArchive;

impl Operation for DescribeArchive {
    const SPEC: Spec = spec("DescribeArchive", Access::Read).with_limits(&[Limit::aws("ArchiveName characters", 48)]);
    type Engine = Events;
    type Input = ArchiveNameInput;
    type Output = ArchiveDescription;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ArchiveNameInput,
    ) -> Result<Effect<ArchiveDescription, EventsError>, EventsError> {
        Ok(Effect::reply(described(ctx, existing(events, ctx, &input.archive_name).await?)))
    }
}

/// ListArchives' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListArchivesInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_source_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of archives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArchivePage {
    pub archives: Vec<ArchiveDescription>,
    pub next_token: Option<String>,
}

/// ListArchives: by name, filtered by prefix, source bus and state.
pub struct ListArchives;

impl Operation for ListArchives {
    const SPEC: Spec = spec("ListArchives", Access::Read).with_limits(&[Limit::aws("Limit", super::MAX_PAGE as u64)]);
    type Engine = Events;
    type Input = ListArchivesInput;
    type Output = ArchivePage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListArchivesInput,
    ) -> Result<Effect<ArchivePage, EventsError>, EventsError> {
        let limit = page_size(input.limit)?;
        let after = match &input.next_token {
            Some(t) => Some(
                token::decode(TOKEN_KIND, t)
                    .ok_or_else(|| EventsError::Validation("The NextToken provided is invalid.".into()))?,
            ),
            None => None,
        };
        let source_bus = match &input.event_source_arn {
            Some(arn) => match resolve_bus(Some(arn), &ctx.region) {
                Some((account, name)) if account.is_none_or(|a| a == ctx.account) => Some(name.to_owned()),
                _ => return Err(bus_missing(arn.rsplit('/').next().unwrap_or(arn))),
            },
            None => None,
        };
        let (account, region, prefix, bus_name) = (
            ctx.account.clone(),
            ctx.region.clone(),
            input.name_prefix.clone().unwrap_or_default(),
            source_bus.clone(),
        );
        let (found, bus_exists) = events
            .store
            .read(move |reader| {
                let exists = match &bus_name {
                    Some(name) => name == DEFAULT_BUS || bus(reader, &account, &region, name)?.is_some(),
                    None => true,
                };
                let found = archives(reader, (&account, &region), &prefix, after.as_deref(), usize::MAX)?;
                Ok((found, exists))
            })
            .await?;
        if !bus_exists {
            return Err(bus_missing(source_bus.as_deref().unwrap_or_default()));
        }
        let mut matching: Vec<Archive> = found
            .into_iter()
            .filter(|a| source_bus.as_ref().is_none_or(|b| *b == a.bus))
            .filter(|_| input.state.as_deref().is_none_or(|s| s == "ENABLED"))
            .take(limit + 1)
            .collect();
        let next_token = (matching.len() > limit).then(|| {
            matching.truncate(limit);
            token::encode(TOKEN_KIND, &matching.last().map(|a| a.name.clone()).unwrap_or_default())
        });
        Ok(Effect::reply(ArchivePage {
            archives: matching.into_iter().map(|a| described(ctx, a)).collect(),
            next_token,
        }))
    }
}

/// UpdateArchive's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateArchiveInput {
    pub archive_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_identifier: Option<String>,
}

/// UpdateArchive: what is given replaces what the archive had.
pub struct UpdateArchive;

impl Operation for UpdateArchive {
    const SPEC: Spec = spec("UpdateArchive", Access::Write).with_limits(&[
        Limit::aws("ArchiveName characters", 48),
        Limit::aws("EventPattern characters", skywatch_eventpattern::MAX_PATTERN_LENGTH as u64),
    ]);
    type Engine = Events;
    type Input = UpdateArchiveInput;
    type Output = ArchiveState;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: UpdateArchiveInput,
    ) -> Result<Effect<ArchiveState, EventsError>, EventsError> {
        if input.event_pattern.is_none() && input.retention_days.is_none() && input.description.is_none() {
            return Err(EventsError::Validation(
                "At least one of EventPattern, RetentionDays or Description must be provided.".into(),
            ));
        }
        check_description(input.description.as_deref())?;
        check_pattern(input.event_pattern.as_deref())?;
        check_retention(input.retention_days)?;
        let mut stored = existing(events, ctx, &input.archive_name).await?;
        if input.description.is_some() {
            stored.description = input.description;
        }
        if input.event_pattern.is_some() {
            stored.event_pattern = input.event_pattern;
        }
        if let Some(days) = input.retention_days {
            stored.retention_days = days;
        }
        if input.kms_key_identifier.is_some() {
            stored.kms_key_identifier = input.kms_key_identifier;
        }
        let arn = archive_arn(&ctx.region, &ctx.account, &stored.name);
        let reply = ArchiveState { arn: arn.clone(), state: "ENABLED", created_ms: stored.created_ms };
        let change =
            ArchiveChange::Put { account: ctx.account.clone(), region: ctx.region.clone(), archive: Box::new(stored) };
        Ok(Effect::commit(reply, vec![change.mutation()]).with_resources(vec![archive_resource(&arn)]))
    }
}

/// DeleteArchive: the archive goes at once, its events are swept later.
pub struct DeleteArchive;

impl Operation for DeleteArchive {
    const SPEC: Spec = spec("DeleteArchive", Access::Write).with_limits(&[Limit::aws("ArchiveName characters", 48)]);
    type Engine = Events;
    type Input = ArchiveNameInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ArchiveNameInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        let stored = existing(events, ctx, &input.archive_name).await?;
        let arn = archive_arn(&ctx.region, &ctx.account, &stored.name);
        let change =
            ArchiveChange::Delete { account: ctx.account.clone(), region: ctx.region.clone(), name: stored.name };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![archive_resource(&arn)]))
    }
}
