//! CreateEventBus, DescribeEventBus, ListEventBuses and DeleteEventBus. Every account has a default bus in every
//! region without creating it; it is stored only once something is set on it.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::{
    EventsError, NAME_PATTERN, Tag, bus_missing, bus_resource, check_description, check_tags, constraint, over_quota,
    page_size, spec,
};
use crate::Events;
use crate::model::{DEFAULT_BUS, EventBus};
use crate::names::{bus_arn, resolve_bus, valid_bus_name};
use crate::partner::PartnerChange;
use crate::storage::{EventsChange, bus, buses, rules};

/// Custom buses one account may have in one region (EventBridge's default quota).
pub const MAX_BUSES: usize = 100;
const TOKEN_KIND: &str = "events-buses";

/// Where events a bus cannot deliver go.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadLetterConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

/// CreateEventBus' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateEventBusInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_source_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter_config: Option<DeadLetterConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// What CreateEventBus answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatedBus {
    pub event_bus_arn: String,
    pub description: Option<String>,
    pub kms_key_identifier: Option<String>,
    pub dead_letter_config: Option<DeadLetterConfig>,
}

/// CreateEventBus: a custom bus (a partner bus when it names its event source).
pub struct CreateEventBus;

impl Operation for CreateEventBus {
    const SPEC: Spec = spec("CreateEventBus", Access::Write).with_limits(&[
        Limit::aws("Name characters", 256),
        Limit::aws("buses an account and region", MAX_BUSES as u64),
        Limit::aws("tags a bus", super::MAX_TAGS as u64),
        Limit::aws("Description characters", super::MAX_DESCRIPTION as u64),
    ]);
    type Engine = Events;
    type Input = CreateEventBusInput;
    type Output = CreatedBus;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: CreateEventBusInput,
    ) -> Result<Effect<CreatedBus, EventsError>, EventsError> {
        if !valid_bus_name(&input.name) {
            return Err(constraint(&input.name, "name", NAME_PATTERN));
        }
        // A custom bus has a plain name; a partner bus is named after its event source (`aws.partner/...`).
        match &input.event_source_name {
            None if input.name.contains('/') || input.name.starts_with("aws.") => {
                return Err(EventsError::Validation(format!(
                    "Event bus name {} is not valid: custom event bus names cannot contain '/' or start with 'aws.'.",
                    input.name
                )));
            }
            Some(source) if *source != input.name || !source.starts_with("aws.partner/") => {
                return Err(EventsError::Validation(format!(
                    "Event source {source} does not exist; a partner event bus is named as its event source."
                )));
            }
            _ => {}
        }
        check_description(input.description.as_deref())?;
        check_tags(&input.tags)?;
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.name.clone());
        let (existing, count, source) = events
            .store
            .read(move |reader| {
                let existing = bus(reader, &account, &region, &name)?;
                let count = buses(reader, &account, &region, "", None, MAX_BUSES + 2)?.len();
                let source = crate::partner::source(reader, &region, &name, &account)?;
                Ok((existing, count, source))
            })
            .await?;
        if let Some(wanted) = &input.event_source_name
            && source.is_none()
        {
            return Err(EventsError::NotFound(format!("Event source {wanted} does not exist.")));
        }
        if existing.is_some() || input.name == DEFAULT_BUS {
            return Err(EventsError::AlreadyExists(format!("Event bus {} already exists.", input.name)));
        }
        if count >= MAX_BUSES {
            return Err(over_quota());
        }
        let arn = bus_arn(&ctx.region, &ctx.account, &input.name);
        let bus = EventBus {
            name: input.name,
            description: input.description.clone(),
            policy: None,
            event_source_name: input.event_source_name,
            kms_key_identifier: input.kms_key_identifier.clone(),
            dead_letter_arn: input.dead_letter_config.as_ref().and_then(|d| d.arn.clone()),
            tags: input.tags.into_iter().map(|t| (t.key, t.value)).collect(),
            created_ms: ctx.now_ms,
            modified_ms: ctx.now_ms,
        };
        let partner = bus.event_source_name.is_some();
        let mut changes = vec![
            EventsChange::PutBus { account: ctx.account.clone(), region: ctx.region.clone(), bus: Box::new(bus) }
                .mutation(),
        ];
        if partner {
            let name = arn.rsplit_once("event-bus/").map(|(_, n)| n.to_owned()).unwrap_or_default();
            let change = PartnerChange::BusExists {
                region: ctx.region.clone(),
                name,
                account: ctx.account.clone(),
                exists: true,
            };
            changes.push(change.mutation());
        }
        let reply = CreatedBus {
            event_bus_arn: arn.clone(),
            description: input.description,
            kms_key_identifier: input.kms_key_identifier,
            dead_letter_config: input.dead_letter_config,
        };
        Ok(Effect::commit(reply, changes).with_resources(vec![bus_resource(&arn)]))
    }
}

/// A bus as DescribeEventBus and ListEventBuses show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BusDescription {
    pub name: String,
    pub arn: String,
    pub description: Option<String>,
    pub policy: Option<String>,
    pub kms_key_identifier: Option<String>,
    pub dead_letter_config: Option<DeadLetterConfig>,
    /// Absent for a default bus nothing was ever set on.
    pub created_ms: Option<i64>,
    pub modified_ms: Option<i64>,
}

fn describe(ctx: &Context, name: &str, stored: Option<EventBus>) -> BusDescription {
    let arn = bus_arn(&ctx.region, &ctx.account, name);
    match stored {
        None => BusDescription { name: name.to_owned(), arn, ..Default::default() },
        Some(bus) => BusDescription {
            name: bus.name,
            arn,
            description: bus.description,
            policy: bus.policy,
            kms_key_identifier: bus.kms_key_identifier,
            dead_letter_config: bus.dead_letter_arn.map(|arn| DeadLetterConfig { arn: Some(arn) }),
            created_ms: Some(bus.created_ms),
            modified_ms: Some(bus.modified_ms),
        },
    }
}

/// DescribeEventBus' input: a name or an ARN; the default bus when absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeEventBusInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// DescribeEventBus.
pub struct DescribeEventBus;

impl Operation for DescribeEventBus {
    const SPEC: Spec =
        spec("DescribeEventBus", Access::Read).with_limits(&[Limit::aws("Name characters (a name or an ARN)", 1600)]);
    type Engine = Events;
    type Input = DescribeEventBusInput;
    type Output = BusDescription;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: DescribeEventBusInput,
    ) -> Result<Effect<BusDescription, EventsError>, EventsError> {
        let given = input.name.as_deref().unwrap_or(DEFAULT_BUS);
        let name = own_bus(ctx, input.name.as_deref())?;
        let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.to_owned());
        let stored = events.store.read(move |reader| bus(reader, &account, &region, &lookup)).await?;
        if stored.is_none() && name != DEFAULT_BUS {
            return Err(bus_missing(given));
        }
        Ok(Effect::reply(describe(ctx, name, stored)))
    }
}

/// The name of the bus a call names (by name or ARN) when it is the caller's own; `NotFound` for another
/// account's or region's.
pub(crate) fn own_bus<'a>(ctx: &Context, given: Option<&'a str>) -> Result<&'a str, EventsError> {
    let shown = given.unwrap_or(DEFAULT_BUS);
    match resolve_bus(given, &ctx.region) {
        Some((account, name)) if account.is_none_or(|a| a == ctx.account) => {
            if valid_bus_name(name) {
                Ok(name)
            } else {
                Err(constraint(shown, "name", NAME_PATTERN))
            }
        }
        _ => Err(bus_missing(shown)),
    }
}

/// ListEventBuses' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListEventBusesInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A page of buses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BusPage {
    pub event_buses: Vec<BusDescription>,
    pub next_token: Option<String>,
}

/// ListEventBuses: the caller's buses by name, the default bus among them.
pub struct ListEventBuses;

impl Operation for ListEventBuses {
    const SPEC: Spec = spec("ListEventBuses", Access::Read).with_limits(&[Limit::aws("buses a page", 100)]);
    type Engine = Events;
    type Input = ListEventBusesInput;
    type Output = BusPage;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListEventBusesInput,
    ) -> Result<Effect<BusPage, EventsError>, EventsError> {
        let size = page_size(input.limit)?;
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(TOKEN_KIND, t)
                    .ok_or_else(|| EventsError::Validation("The NextToken is not valid.".into()))?,
            ),
        };
        let prefix = input.name_prefix.clone().unwrap_or_default();
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        // Every bus fits in memory: there are at most MAX_BUSES and the default one.
        let stored =
            events.store.read(move |reader| buses(reader, &account, &region, &prefix, None, MAX_BUSES * 2)).await?;
        let prefix = input.name_prefix.unwrap_or_default();
        let mut listed: Vec<(String, Option<EventBus>)> =
            stored.into_iter().map(|b| (b.name.clone(), Some(b))).collect();
        if DEFAULT_BUS.starts_with(&prefix) && !listed.iter().any(|(name, _)| name == DEFAULT_BUS) {
            listed.push((DEFAULT_BUS.to_owned(), None));
        }
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        listed.retain(|(name, _)| after.as_deref().is_none_or(|after| name.as_str() > after));
        let more = listed.len() > size;
        listed.truncate(size);
        let next_token = if more { listed.last().map(|(name, _)| token::encode(TOKEN_KIND, name)) } else { None };
        let event_buses = listed.into_iter().map(|(name, bus)| describe(ctx, &name, bus)).collect();
        Ok(Effect::reply(BusPage { event_buses, next_token }))
    }
}

/// The input of calls that name one bus by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusNameInput {
    pub name: String,
}

/// DeleteEventBus: refused for the default bus and for a bus with rules; a bus that does not exist is deleted
/// already.
pub struct DeleteEventBus;

impl Operation for DeleteEventBus {
    const SPEC: Spec = spec("DeleteEventBus", Access::Write).with_limits(&[Limit::aws("Name characters", 256)]);
    type Engine = Events;
    type Input = BusNameInput;
    type Output = ();
    type Error = EventsError;

    async fn run(events: &Events, ctx: &Context, input: BusNameInput) -> Result<Effect<(), EventsError>, EventsError> {
        let name = own_bus(ctx, Some(&input.name))?.to_owned();
        if name == DEFAULT_BUS {
            return Err(EventsError::Validation("Cannot delete event bus default.".into()));
        }
        let (account, region, lookup) = (ctx.account.clone(), ctx.region.clone(), name.clone());
        let has_rules = events
            .store
            .read(move |reader| Ok(!rules(reader, &account, &region, &lookup, "", None, 1)?.is_empty()))
            .await?;
        if has_rules {
            return Err(EventsError::Validation("EventBus can't be deleted since it has rules.".into()));
        }
        let arn = bus_arn(&ctx.region, &ctx.account, &name);
        // A partner bus going turns its source back to PENDING (nothing happens for other buses).
        let source = PartnerChange::BusExists {
            region: ctx.region.clone(),
            name: name.clone(),
            account: ctx.account.clone(),
            exists: false,
        };
        let change = EventsChange::DeleteBus { account: ctx.account.clone(), region: ctx.region.clone(), name };
        Ok(Effect::commit((), vec![change.mutation(), source.mutation()]).with_resources(vec![bus_resource(&arn)]))
    }
}
