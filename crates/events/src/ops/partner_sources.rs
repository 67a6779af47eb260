//! Partner event sources, simulated for demos and tests: the partner's side (CreatePartnerEventSource,
//! DeletePartnerEventSource, DescribePartnerEventSource, ListPartnerEventSources, ListPartnerEventSourceAccounts,
//! PutPartnerEvents) and the customer's (ListEventSources, DescribeEventSource, ActivateEventSource,
//! DeactivateEventSource). A source's events reach its customer's partner bus while the source is ACTIVE.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::put_events::{EntryResult, MAX_ENTRIES, MAX_REQUEST_BYTES, PutEventsEntry, PutEventsOutput};
use super::{EventsError, constraint, page_size, spec};
use crate::Events;
use crate::delivery::metrics::Tally;
use crate::envelope::{EventParts, check_detail, compact, envelope};
use crate::partner::{
    PENDING_FOR_MS, PartnerChange, PartnerSource, SourceState, source, source_arn, sources, valid_name,
};
use crate::storage::bus;

/// Customer accounts one source name may have.
const MAX_ACCOUNTS: usize = 1000;

fn check_name(name: &str) -> Result<(), EventsError> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(constraint(name, "name", r"satisfy regular expression pattern: aws\.partner(/[\.\-_A-Za-z0-9]+){2,}"))
    }
}

fn check_account(account: &str) -> Result<(), EventsError> {
    if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(constraint(account, "account", r"satisfy regular expression pattern: \d{12}"))
    }
}

fn missing(name: &str) -> EventsError {
    EventsError::NotFound(format!("Event source {name} does not exist."))
}

/// A source and customer account, as the partner names them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerSourceInput {
    pub name: String,
    pub account: String,
}

/// CreatePartnerEventSource: a source of the caller (the partner) for a customer account.
pub struct CreatePartnerEventSource;

impl Operation for CreatePartnerEventSource {
    const SPEC: Spec = spec("CreatePartnerEventSource", Access::Write).with_limits(&[
        Limit::aws("Name characters", 256),
        Limit::own("customer accounts a source", MAX_ACCOUNTS as u64),
    ]);
    type Engine = Events;
    type Input = PartnerSourceInput;
    type Output = String;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: PartnerSourceInput,
    ) -> Result<Effect<String, EventsError>, EventsError> {
        check_name(&input.name)?;
        check_account(&input.account)?;
        let (region, name, account) = (ctx.region.clone(), input.name.clone(), input.account.clone());
        let (existing, others, bus_exists) = events
            .store
            .read(move |reader| {
                let existing = source(reader, &region, &name, &account)?;
                let others =
                    sources(reader, &region, &name, MAX_ACCOUNTS + 1)?.into_iter().filter(|s| s.name == name).count();
                let bus_exists = bus(reader, &account, &region, &name)?.is_some();
                Ok((existing, others, bus_exists))
            })
            .await?;
        if existing.is_some() {
            return Err(EventsError::AlreadyExists(format!("Event source {} already exists.", input.name)));
        }
        if others >= MAX_ACCOUNTS {
            return Err(super::over_quota());
        }
        let created = PartnerSource {
            name: input.name.clone(),
            account: input.account,
            created_by: ctx.account.clone(),
            created_ms: ctx.now_ms,
            state: if bus_exists { SourceState::Active } else { SourceState::Pending },
            deactivated: false,
        };
        let change = PartnerChange::Put { region: ctx.region.clone(), source: Box::new(created) };
        Ok(Effect::commit(source_arn(&ctx.region, &input.name), vec![change.mutation()]))
    }
}

/// DeletePartnerEventSource: the partner takes a customer's source away.
pub struct DeletePartnerEventSource;

impl Operation for DeletePartnerEventSource {
    const SPEC: Spec =
        spec("DeletePartnerEventSource", Access::Write).with_limits(&[Limit::aws("Name characters", 256)]);
    type Engine = Events;
    type Input = PartnerSourceInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: PartnerSourceInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        check_name(&input.name)?;
        check_account(&input.account)?;
        let (region, name, account) = (ctx.region.clone(), input.name.clone(), input.account.clone());
        let found = events.store.read(move |reader| source(reader, &region, &name, &account)).await?;
        // Only the partner that made it may delete it; anything else is already gone.
        let changes = match found {
            Some(s) if s.created_by == ctx.account => {
                vec![
                    PartnerChange::Delete { region: ctx.region.clone(), name: input.name, account: input.account }
                        .mutation(),
                ]
            }
            _ => Vec::new(),
        };
        Ok(Effect::commit((), changes))
    }
}

/// A source name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceNameInput {
    pub name: String,
}

/// A source as its customer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDescription {
    pub arn: String,
    pub source: PartnerSource,
    pub expires_ms: Option<i64>,
}

fn describe(region: &str, source: PartnerSource) -> SourceDescription {
    let expires_ms = (source.state == SourceState::Pending).then_some(source.created_ms + PENDING_FOR_MS);
    SourceDescription { arn: source_arn(region, &source.name), source, expires_ms }
}

async fn own_source(events: &Events, ctx: &Context, name: &str) -> Result<PartnerSource, EventsError> {
    check_name(name)?;
    let (region, lookup, account) = (ctx.region.clone(), name.to_owned(), ctx.account.clone());
    events.store.read(move |reader| source(reader, &region, &lookup, &account)).await?.ok_or_else(|| missing(name))
}

/// DescribeEventSource: a source shared with the caller.
pub struct DescribeEventSource;

impl Operation for DescribeEventSource {
    const SPEC: Spec = spec("DescribeEventSource", Access::Read).with_limits(&[Limit::aws("Name characters", 256)]);
    type Engine = Events;
    type Input = SourceNameInput;
    type Output = SourceDescription;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: SourceNameInput,
    ) -> Result<Effect<SourceDescription, EventsError>, EventsError> {
        Ok(Effect::reply(describe(&ctx.region, own_source(events, ctx, &input.name).await?)))
    }
}

/// ListEventSources' and ListPartnerEventSources' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSourcesInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// ListEventSources: the sources shared with the caller.
pub struct ListEventSources;

impl Operation for ListEventSources {
    const SPEC: Spec =
        spec("ListEventSources", Access::Read).with_limits(&[Limit::aws("Limit", super::MAX_PAGE as u64)]);
    type Engine = Events;
    type Input = ListSourcesInput;
    type Output = Vec<SourceDescription>;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListSourcesInput,
    ) -> Result<Effect<Vec<SourceDescription>, EventsError>, EventsError> {
        let limit = page_size(input.limit)?;
        let prefix = input.name_prefix.clone().unwrap_or_else(|| "aws.partner/".into());
        let region = ctx.region.clone();
        let found = events.store.read(move |reader| sources(reader, &region, &prefix, 100_000)).await?;
        let mine = found.into_iter().filter(|s| s.account == ctx.account).take(limit).map(|s| describe(&ctx.region, s));
        Ok(Effect::reply(mine.collect()))
    }
}

/// ActivateEventSource and DeactivateEventSource: the customer turns a source's events on or off.
async fn set_active(
    events: &Events,
    ctx: &Context,
    name: &str,
    active: bool,
) -> Result<Effect<(), EventsError>, EventsError> {
    let mut found = own_source(events, ctx, name).await?;
    found.deactivated = !active;
    let (region, lookup, account) = (ctx.region.clone(), name.to_owned(), ctx.account.clone());
    let bus_exists = events.store.read(move |reader| Ok(bus(reader, &account, &region, &lookup)?.is_some())).await?;
    found.state = if active && bus_exists { SourceState::Active } else { SourceState::Pending };
    let change = PartnerChange::Put { region: ctx.region.clone(), source: Box::new(found) };
    Ok(Effect::commit((), vec![change.mutation()]))
}

/// ActivateEventSource.
pub struct ActivateEventSource;

impl Operation for ActivateEventSource {
    const SPEC: Spec = spec("ActivateEventSource", Access::Write).with_limits(&[Limit::aws("Name characters", 256)]);
    type Engine = Events;
    type Input = SourceNameInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: SourceNameInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        set_active(events, ctx, &input.name, true).await
    }
}

/// DeactivateEventSource.
pub struct DeactivateEventSource;

impl Operation for DeactivateEventSource {
    const SPEC: Spec = spec("DeactivateEventSource", Access::Write).with_limits(&[Limit::aws("Name characters", 256)]);
    type Engine = Events;
    type Input = SourceNameInput;
    type Output = ();
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: SourceNameInput,
    ) -> Result<Effect<(), EventsError>, EventsError> {
        set_active(events, ctx, &input.name, false).await
    }
}

/// DescribePartnerEventSource: one of the caller's (the partner's) sources.
pub struct DescribePartnerEventSource;

impl Operation for DescribePartnerEventSource {
    const SPEC: Spec =
        spec("DescribePartnerEventSource", Access::Read).with_limits(&[Limit::aws("Name characters", 256)]);
    type Engine = Events;
    type Input = SourceNameInput;
    type Output = String;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: SourceNameInput,
    ) -> Result<Effect<String, EventsError>, EventsError> {
        check_name(&input.name)?;
        let (region, name) = (ctx.region.clone(), input.name.clone());
        let found = events.store.read(move |reader| sources(reader, &region, &name, MAX_ACCOUNTS + 1)).await?;
        if !found.iter().any(|s| s.name == input.name && s.created_by == ctx.account) {
            return Err(missing(&input.name));
        }
        Ok(Effect::reply(source_arn(&ctx.region, &input.name)))
    }
}

/// ListPartnerEventSources: the caller's (the partner's) source names.
pub struct ListPartnerEventSources;

impl Operation for ListPartnerEventSources {
    const SPEC: Spec =
        spec("ListPartnerEventSources", Access::Read).with_limits(&[Limit::aws("Limit", super::MAX_PAGE as u64)]);
    type Engine = Events;
    type Input = ListSourcesInput;
    type Output = Vec<String>;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: ListSourcesInput,
    ) -> Result<Effect<Vec<String>, EventsError>, EventsError> {
        let limit = page_size(input.limit)?;
        let (region, prefix) = (ctx.region.clone(), input.name_prefix.clone().unwrap_or_default());
        let found = events.store.read(move |reader| sources(reader, &region, &prefix, 100_000)).await?;
        let mut names: Vec<String> =
            found.into_iter().filter(|s| s.created_by == ctx.account).map(|s| s.name).collect();
        names.dedup();
        names.truncate(limit);
        Ok(Effect::reply(names))
    }
}

/// ListPartnerEventSourceAccounts' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceAccountsInput {
    pub event_source_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// ListPartnerEventSourceAccounts: the customers of one of the caller's sources.
pub struct ListPartnerEventSourceAccounts;

impl Operation for ListPartnerEventSourceAccounts {
    const SPEC: Spec = spec("ListPartnerEventSourceAccounts", Access::Read)
        .with_limits(&[Limit::aws("Limit", super::MAX_PAGE as u64)]);
    type Engine = Events;
    type Input = SourceAccountsInput;
    type Output = Vec<SourceDescription>;
    type Error = EventsError;

    async fn run(
        events: &Events,
        ctx: &Context,
        input: SourceAccountsInput,
    ) -> Result<Effect<Vec<SourceDescription>, EventsError>, EventsError> {
        check_name(&input.event_source_name)?;
        let limit = page_size(input.limit)?;
        let (region, name) = (ctx.region.clone(), input.event_source_name.clone());
        let found = events.store.read(move |reader| sources(reader, &region, &name, MAX_ACCOUNTS + 1)).await?;
        let mine: Vec<SourceDescription> = found
            .into_iter()
            .filter(|s| s.name == input.event_source_name && s.created_by == ctx.account)
            .take(limit)
            .map(|s| describe(&ctx.region, s))
            .collect();
        if mine.is_empty() {
            return Err(missing(&input.event_source_name));
        }
        Ok(Effect::reply(mine))
    }
}

/// PutPartnerEvents' input: entries whose Source is one of the caller's sources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutPartnerEventsInput {
    pub entries: Vec<PutEventsEntry>,
}

/// PutPartnerEvents: each entry goes to the partner bus of every customer whose source is active.
pub struct PutPartnerEvents;

impl Operation for PutPartnerEvents {
    const SPEC: Spec = spec("PutPartnerEvents", Access::Write).with_limits(&[
        Limit::aws("Entries a request", MAX_ENTRIES as u64),
        Limit::aws("entry bytes a request", MAX_REQUEST_BYTES as u64),
    ]);
    type Engine = Events;
    type Input = PutPartnerEventsInput;
    type Output = PutEventsOutput;
    type Error = EventsError;

    fn audited_bytes_at_least(input: &PutPartnerEventsInput) -> usize {
        input.entries.iter().map(PutEventsEntry::size).sum()
    }

    async fn run(
        events: &Events,
        ctx: &Context,
        input: PutPartnerEventsInput,
    ) -> Result<Effect<PutEventsOutput, EventsError>, EventsError> {
        if input.entries.is_empty() || input.entries.len() > MAX_ENTRIES {
            return Err(constraint("", "entries", "have length between 1 and 10"));
        }
        if input.entries.iter().map(PutEventsEntry::size).sum::<usize>() > MAX_REQUEST_BYTES {
            return Err(EventsError::Validation("Total size of the entries in the request is over the limit.".into()));
        }
        let (engine, ctx_copy, now_ms) = (events.clone(), ctx.clone(), ctx.now_ms);
        let (results, changes, tally) = events
            .store
            .read(move |reader| {
                let mut tally = Tally::default();
                let mut changes = Vec::new();
                let mut results = Vec::with_capacity(input.entries.len());
                for entry in &input.entries {
                    let Some(name) = entry.source.as_deref().filter(|s| valid_name(s)) else {
                        results.push(EntryResult::Failed {
                            code: "InvalidArgument".into(),
                            message: "Parameter Source is not valid. Reason: Source must be a partner event source."
                                .into(),
                        });
                        continue;
                    };
                    let detail = entry.detail.as_deref().unwrap_or("{}");
                    if !check_detail(detail) {
                        results.push(EntryResult::Failed {
                            code: "MalformedDetail".into(),
                            message: "Detail is malformed.".into(),
                        });
                        continue;
                    }
                    let customers: Vec<PartnerSource> = sources(reader, &ctx_copy.region, name, MAX_ACCOUNTS + 1)?
                        .into_iter()
                        .filter(|s| s.name == name && s.created_by == ctx_copy.account)
                        .collect();
                    if customers.is_empty() {
                        results.push(EntryResult::Failed {
                            code: "InvalidArgument".into(),
                            message: format!(
                                "Parameter Source is not valid. Reason: Event source {name} does not exist."
                            ),
                        });
                        continue;
                    }
                    let event_id = uuid::Uuid::new_v4().to_string();
                    let detail = compact(detail);
                    for customer in customers.iter().filter(|s| s.state == SourceState::Active) {
                        let text = envelope(&EventParts {
                            id: &event_id,
                            detail_type: entry.detail_type.as_deref().unwrap_or_default(),
                            source: name,
                            account: &customer.account,
                            time_ms: entry.time_ms.unwrap_or(now_ms),
                            region: &ctx_copy.region,
                            replay_name: None,
                            resources: &entry.resources,
                            detail: &detail,
                        });
                        tally.by((&customer.account, &ctx_copy.region), ("EventSourceName", name), "Events", 1.0);
                        let routed = engine.route(
                            reader,
                            (&customer.account, &ctx_copy.region, name),
                            text,
                            now_ms,
                            0,
                            &mut tally,
                        )?;
                        changes.extend(routed.changes);
                    }
                    results.push(EntryResult::Accepted { event_id });
                }
                Ok((results, changes, tally))
            })
            .await?;
        let planned = events.with_metrics(changes, tally, now_ms);
        let effect = Effect::commit(PutEventsOutput { entries: results }, planned.changes);
        Ok(match planned.after {
            Some(after) => effect.then(after),
            None => effect,
        })
    }
}
