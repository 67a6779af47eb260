//! PutEvents: up to ten entries (256 KiB in all), each answered on its own: an event id, or the error AWS gives
//! that entry (`InvalidArgument`, `MalformedDetail`, `NotAuthorizedForSourceException`, `AccessDeniedException`
//! for another account's bus whose policy does not let the caller in). An accepted event is routed on its bus,
//! and its deliveries are queued in the commit that records the call, so nothing acknowledged is lost.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::{EventsError, spec};
use crate::Events;
use crate::delivery::metrics::Tally;
use crate::envelope::{EventParts, check_detail, compact, envelope};
use crate::model::DEFAULT_BUS;
use crate::names::{bus_arn, valid_bus_name};
use crate::{policy, storage};

/// Entries a request, at most.
pub const MAX_ENTRIES: usize = 10;
/// Bytes of the entries of one request, at most (as AWS counts them).
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;

/// One PutEvents entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutEventsEntry {
    /// The event's time, epoch ms (now when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bus_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_header: Option<String>,
}

impl PutEventsEntry {
    /// The entry's size as AWS counts it: 14 bytes for a time, and the UTF-8 bytes of the source, detail type,
    /// detail and resources.
    pub fn size(&self) -> usize {
        let text = |s: &Option<String>| s.as_deref().map_or(0, str::len);
        usize::from(self.time_ms.is_some()) * 14
            + text(&self.source)
            + text(&self.detail_type)
            + text(&self.detail)
            + self.resources.iter().map(String::len).sum::<usize>()
    }
}

/// PutEvents' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutEventsInput {
    pub entries: Vec<PutEventsEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
}

/// One entry's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryResult {
    Accepted { event_id: String },
    Failed { code: String, message: String },
}

/// PutEvents' answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PutEventsOutput {
    pub entries: Vec<EntryResult>,
}

impl PutEventsOutput {
    pub fn failed_count(&self) -> usize {
        self.entries.iter().filter(|e| matches!(e, EntryResult::Failed { .. })).count()
    }
}

fn failed(code: &str, message: impl Into<String>) -> EntryResult {
    EntryResult::Failed { code: code.to_owned(), message: message.into() }
}

fn required(member: &str) -> EntryResult {
    failed("InvalidArgument", format!("Parameter {member} is not valid. Reason: {member} is a required argument."))
}

/// AWS's refusal of more than ten entries: the entries as Java prints them.
fn too_many(entries: &[PutEventsEntry]) -> EventsError {
    let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "null".into());
    let printed: Vec<String> = entries
        .iter()
        .map(|e| {
            let resources = if e.resources.is_empty() { "null".to_owned() } else { format!("[{}]", e.resources.join(", ")) };
            format!(
                "PutEventsRequestEntry(time={}, source={}, resources={resources}, detailType={}, detail={}, eventBusName={}, traceHeader={}, kmsKeyIdentifier=null, internalMetadata=null)",
                e.time_ms.map_or("null".to_owned(), |t| t.to_string()),
                show(&e.source),
                show(&e.detail_type),
                show(&e.detail),
                show(&e.event_bus_name),
                show(&e.trace_header),
            )
        })
        .collect();
    EventsError::Validation(format!(
        "1 validation error detected: Value '[{}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10",
        printed.join(", ")
    ))
}

/// The bus an entry names: (account, region, name), or the entry's failure.
fn entry_bus(ctx: &Context, given: Option<&str>) -> Result<(String, String, String), EntryResult> {
    let invalid = |why: &str| failed("InvalidArgument", format!("Parameter EventBusName is not valid. Reason: {why}"));
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        return Ok((ctx.account.clone(), ctx.region.clone(), DEFAULT_BUS.to_owned()));
    };
    if !given.starts_with("arn:") {
        if !valid_bus_name(given) {
            return Err(invalid("the name is not a valid event bus name."));
        }
        return Ok((ctx.account.clone(), ctx.region.clone(), given.to_owned()));
    }
    match crate::delivery::TargetKind::of(given) {
        crate::delivery::TargetKind::Bus { region, account, name } if valid_bus_name(&name) => {
            Ok((account, region, name))
        }
        _ => Err(invalid("the ARN is not an event bus ARN.")),
    }
}

/// PutEvents.
pub struct PutEvents;

impl Operation for PutEvents {
    const SPEC: Spec = spec("PutEvents", Access::Write).with_limits(&[
        Limit::aws("Entries a request", MAX_ENTRIES as u64),
        Limit::aws("entry bytes a request", MAX_REQUEST_BYTES as u64),
    ]);
    type Engine = Events;
    type Input = PutEventsInput;
    type Output = PutEventsOutput;
    type Error = EventsError;

    fn audited_bytes_at_least(input: &PutEventsInput) -> usize {
        input.entries.iter().map(PutEventsEntry::size).sum()
    }

    async fn run(
        events: &Events,
        ctx: &Context,
        input: PutEventsInput,
    ) -> Result<Effect<PutEventsOutput, EventsError>, EventsError> {
        if input.entries.is_empty() {
            return Err(EventsError::Validation(
                "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
            ));
        }
        if input.entries.len() > MAX_ENTRIES {
            return Err(too_many(&input.entries));
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
                    let (result, change) = accept(&engine, reader, &ctx_copy, entry, now_ms, &mut tally)?;
                    results.push(result);
                    changes.extend(change);
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

/// One entry: checked, given an id and an envelope, and routed on its bus.
fn accept(
    events: &Events,
    reader: &skywatch_store::Reader,
    ctx: &Context,
    entry: &PutEventsEntry,
    now_ms: i64,
    tally: &mut Tally,
) -> Result<(EntryResult, Vec<skywatch_store::Mutation>), skywatch_store::ReadError> {
    let Some(source) = entry.source.as_deref().filter(|s| !s.is_empty()) else {
        return Ok((required("Source"), Vec::new()));
    };
    let Some(detail_type) = entry.detail_type.as_deref().filter(|s| !s.is_empty()) else {
        return Ok((required("DetailType"), Vec::new()));
    };
    let Some(detail) = entry.detail.as_deref() else { return Ok((required("Detail"), Vec::new())) };
    if !check_detail(detail) {
        return Ok((failed("MalformedDetail", "Detail is malformed."), Vec::new()));
    }
    if source.starts_with("aws.") {
        return Ok((failed("NotAuthorizedForSourceException", "Not authorized for the source."), Vec::new()));
    }
    let (account, region, bus) = match entry_bus(ctx, entry.event_bus_name.as_deref()) {
        Ok(bus) => bus,
        Err(result) => return Ok((result, Vec::new())),
    };
    let event_id = uuid::Uuid::new_v4().to_string();
    let stored = storage::bus(reader, &account, &region, &bus)?;
    if account != ctx.account {
        let arn = bus_arn(&region, &account, &bus);
        let policy = stored.as_ref().and_then(|b| b.policy.as_deref());
        if !policy::allows(policy, &ctx.account, "events:PutEvents", &arn) {
            return Ok((
                failed(
                    "AccessDeniedException",
                    format!(
                        "User: arn:aws:iam::{}:root is not authorized to perform: events:PutEvents on resource: {arn} because no resource-based policy allows the events:PutEvents action",
                        ctx.account
                    ),
                ),
                Vec::new(),
            ));
        }
    }
    if stored.is_none() && bus != DEFAULT_BUS {
        // AWS answers with an id and drops the event.
        return Ok((EntryResult::Accepted { event_id }, Vec::new()));
    }
    let detail = compact(detail);
    let event = envelope(&EventParts {
        id: &event_id,
        detail_type,
        source,
        account: &ctx.account,
        time_ms: entry.time_ms.unwrap_or(now_ms),
        region: &ctx.region,
        replay_name: None,
        resources: &entry.resources,
        detail: &detail,
    });
    let routed = events.route(reader, (&account, &region, &bus), event, now_ms, 0, tally)?;
    Ok((EntryResult::Accepted { event_id }, routed.changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_sizes_count_as_aws_counts_them() {
        let entry = PutEventsEntry {
            time_ms: Some(1),
            source: Some("abc".into()),
            detail_type: Some("de".into()),
            detail: Some("{}".into()),
            resources: vec!["r1".into(), "r22".into()],
            ..PutEventsEntry::default()
        };
        assert_eq!(entry.size(), 14 + 3 + 2 + 2 + 5);
    }

    #[test]
    fn eleven_entries_are_printed_as_java_prints_them() {
        let entry = PutEventsEntry {
            source: Some("s".into()),
            detail_type: Some("t".into()),
            detail: Some("{}".into()),
            event_bus_name: Some("b".into()),
            ..PutEventsEntry::default()
        };
        let EventsError::Validation(message) = too_many(&vec![entry; 11]) else { panic!() };
        assert!(message.starts_with("1 validation error detected: Value '[PutEventsRequestEntry(time=null, source=s, resources=null, detailType=t, detail={}, eventBusName=b, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null), "));
        assert!(message.ends_with(
            "]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"
        ));
    }
}
