//! Where traces live: every document as received with its [`Entity`] facts (`xray_segments_v1`, by account,
//! region, trace and document id, so a trace is one range), the traces changed since their summary was made
//! (`xray_pending_v1`), the hour each trace was first seen (`xray_trace_ages_v1`, which retention walks), and the
//! summaries (`xray_summaries_v1` by start time, found by trace through `xray_summary_index_v1`), and the service
//! graph's per-minute aggregates (`xray_graph_v1`), and the sampling rules (`xray_sampling_rules_v1`, with the time of
//! their last change in `xray_sampling_changed_v1`), and the groups (`xray_groups_v1`), and the annotation index
//! (`xray_annotations_v1`, see `annotation_index`, with its one-time catch-up marked in `xray_meta_v1`).
//! Values are postcard. A document replaces the one with the same id, except that an in-progress document never
//! replaces a finished one that arrived first.

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::document::{Document, Entity, Kind};
use crate::graph::{Aggregate, Element, contributions};
use crate::groups::Group;
use crate::id::{SegmentId, TraceId};
use crate::sampling::Rule;
use crate::summary::Summary;
use crate::trace_graph::ServiceKey;

/// (account, region, trace, document id) -> [`Stored`].
pub const SEGMENTS: Table = Table::new("xray_segments_v1");
/// (account, region, trace) -> [`Pending`].
pub const PENDING: Table = Table::new("xray_pending_v1");
/// (hour ms, account, region, trace) -> nothing.
pub const AGES: Table = Table::new("xray_trace_ages_v1");

/// (account, region, start ms, trace) -> [`Summary`].
pub const SUMMARIES: Table = Table::new("xray_summaries_v1");
/// (account, region, trace) -> [`SummaryPlace`].
pub const SUMMARY_INDEX: Table = Table::new("xray_summary_index_v1");

/// (account, region, group, minute ms, entity) -> [`Aggregate`]; group "" holds every trace.
pub const GRAPH: Table = Table::new("xray_graph_v1");

/// (account, region, rule name) -> [`Rule`]; the Default rule is stored once it is changed.
pub const SAMPLING_RULES: Table = Table::new("xray_sampling_rules_v1");
/// (account, region) -> the last change to the rules, ms.
pub const SAMPLING_CHANGED: Table = Table::new("xray_sampling_changed_v1");

/// (account, region, group name) -> [`Group`].
pub const GROUPS: Table = Table::new("xray_groups_v1");

/// (account, region, annotation key, value, start ms, trace) -> nothing: see `annotation_index`.
pub const ANNOTATIONS: Table = Table::new("xray_annotations_v1");
/// Markers of one-time work done on the store (the annotation index's catch-up).
pub const META: Table = Table::new("xray_meta_v1");

/// Every table of the trace store.
pub const TABLES: &[Table] = &[
    SEGMENTS,
    PENDING,
    AGES,
    SUMMARIES,
    SUMMARY_INDEX,
    GRAPH,
    SAMPLING_RULES,
    SAMPLING_CHANGED,
    GROUPS,
    ANNOTATIONS,
    META,
];

const HOUR_MS: i64 = 3_600_000;

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub received_ms: i64,
    pub kind: Kind,
    pub in_progress: bool,
    pub json: String,
    pub entities: Vec<Entity>,
}

/// A trace waiting for its summary: when its last document arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub last_ms: i64,
}

fn encode(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    postcard::to_stdvec(value).map_err(|e| WriteError::Storage(e.to_string()))
}

fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ReadError> {
    postcard::from_bytes(bytes).map_err(|e| ReadError::Storage(e.to_string()))
}

pub fn trace_key(account: &str, region: &str, trace: TraceId) -> Key {
    let (high, low) = trace.halves();
    Key::new().str(account).str(region).u64(high).u64(low)
}

fn segment_key(account: &str, region: &str, trace: TraceId, id: SegmentId) -> Key {
    trace_key(account, region, trace).u64(id.0)
}

fn age_key(hour_ms: i64, account: &str, region: &str, trace: TraceId) -> Key {
    let (high, low) = trace.halves();
    Key::new().i64(hour_ms).str(account).str(region).u64(high).u64(low)
}

/// Stores documents of one account and region, received at `now_ms`, and marks their traces pending. The rows
/// are keyed and encoded when the change is made (on the caller's thread), so the store's single writer only
/// writes them.
#[derive(Debug)]
pub struct PutDocuments {
    account: String,
    region: String,
    now_ms: i64,
    rows: Vec<DocumentRow>,
}

/// One document ready to write.
#[derive(Debug)]
struct DocumentRow {
    trace: TraceId,
    key: Key,
    in_progress: bool,
    value: Vec<u8>,
}

impl PutDocuments {
    pub fn new(account: &str, region: &str, now_ms: i64, documents: Vec<Document>) -> Result<Self, WriteError> {
        let rows = documents
            .into_iter()
            .map(|document| {
                let stored = Stored {
                    received_ms: now_ms,
                    kind: document.kind,
                    in_progress: document.in_progress,
                    json: document.json,
                    entities: document.entities,
                };
                Ok(DocumentRow {
                    trace: document.trace,
                    key: segment_key(account, region, document.trace, document.id),
                    in_progress: document.in_progress,
                    value: encode(&stored)?,
                })
            })
            .collect::<Result<_, WriteError>>()?;
        Ok(Self { account: account.to_owned(), region: region.to_owned(), now_ms, rows })
    }

    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for PutDocuments {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let (account, region) = (self.account.as_str(), self.region.as_str());
        let mut traces = std::collections::BTreeSet::new();
        for row in &self.rows {
            if row.in_progress
                && let Some(existing) = tx.get(SEGMENTS, row.key.as_bytes())?
                && postcard::from_bytes::<Stored>(&existing).is_ok_and(|s| !s.in_progress)
            {
                continue;
            }
            tx.put(SEGMENTS, row.key.as_bytes(), &row.value)?;
            traces.insert(row.trace);
        }
        let pending = encode(&Pending { last_ms: self.now_ms })?;
        let hour = self.now_ms - self.now_ms.rem_euclid(HOUR_MS);
        for trace in traces {
            tx.put(PENDING, trace_key(account, region, trace).as_bytes(), &pending)?;
            tx.put(AGES, age_key(hour, account, region, trace).as_bytes(), &[])?;
        }
        Ok(())
    }
}

pub fn documents(reader: &Reader, account: &str, region: &str, trace: TraceId) -> Result<Vec<Stored>, ReadError> {
    reader.prefixed(SEGMENTS, &trace_key(account, region, trace))?.iter().map(|(_, value)| decode(value)).collect()
}

/// The traces waiting for a summary: (account, region, trace, pending).
pub fn pending(reader: &Reader) -> Result<Vec<(String, String, TraceId, Pending)>, ReadError> {
    let mut out = Vec::new();
    for (key, value) in reader.all(PENDING)? {
        let mut key = KeyReader::new(&key);
        let (Some(account), Some(region), Some(high), Some(low)) = (key.str(), key.str(), key.u64(), key.u64()) else {
            continue;
        };
        out.push((account, region, TraceId::from_halves(high, low), decode(&value)?));
    }
    Ok(out)
}

/// Where a trace's summary is, and how often it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryPlace {
    pub start_ms: i64,
    pub revision: u32,
}

fn summary_key(account: &str, region: &str, start_ms: i64, trace: TraceId) -> Key {
    let (high, low) = trace.halves();
    Key::new().str(account).str(region).i64(start_ms).u64(high).u64(low)
}

/// The summary's start in whole milliseconds (its key).
pub fn start_ms(summary: &Summary) -> i64 {
    (summary.start * 1000.0).floor() as i64
}

/// One summary to store.
#[derive(Debug)]
pub struct NewSummary {
    pub account: String,
    pub region: String,
    pub summary: Summary,
    /// The wait that was read before summarizing: it ends only if no document arrived since.
    pub pending_ms: i64,
}

/// Stores summaries in place of their previous ones, ends their traces' waits, and corrects the service graph's
/// aggregates: each previous summary's contribution taken back, each new one's added, one read and write per
/// aggregate row touched.
#[derive(Debug)]
pub struct PutSummaries(pub Vec<NewSummary>);

impl PutSummaries {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

fn service_parts(key: Key, service: &ServiceKey) -> Key {
    key.str(&service.name).str(service.kind.as_deref().unwrap_or(""))
}

fn graph_key(account: &str, region: &str, group: &str, minute: i64, entity: &Element) -> Key {
    let key = Key::new().str(account).str(region).str(group).i64(minute);
    match entity {
        Element::Node(service) => service_parts(key.str("n"), service),
        Element::Edge(from, to) => service_parts(service_parts(key.str("e"), from), to),
    }
}

fn read_service(key: &mut KeyReader<'_>) -> Option<ServiceKey> {
    let name = key.str()?;
    let kind = key.str()?;
    Some(ServiceKey { name, kind: (!kind.is_empty()).then_some(kind) })
}

impl Change for PutSummaries {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        type Rows = std::collections::BTreeMap<(i64, Element), Aggregate>;
        let mut deltas: std::collections::BTreeMap<(String, String, String), Rows> = std::collections::BTreeMap::new();
        for item in &self.0 {
            let (account, region, trace) = (item.account.as_str(), item.region.as_str(), item.summary.id);
            let mut previous = None;
            let index_key = trace_key(account, region, trace);
            if let Some(old) = tx.get(SUMMARY_INDEX, index_key.as_bytes())?
                && let Ok(old) = postcard::from_bytes::<SummaryPlace>(&old)
            {
                let old_key = summary_key(account, region, old.start_ms, trace);
                if let Some(bytes) = tx.get(SUMMARIES, old_key.as_bytes())? {
                    previous = postcard::from_bytes::<Summary>(&bytes).ok();
                }
                tx.remove(SUMMARIES, old_key.as_bytes())?;
            }
            let at = |group: &str| (item.account.clone(), item.region.clone(), group.to_owned());
            if let Some(previous) = &previous {
                for entry in crate::annotation_index::entries(account, region, previous) {
                    tx.remove(ANNOTATIONS, &entry)?;
                }
                for group in std::iter::once("").chain(previous.groups.iter().map(String::as_str)) {
                    contributions(&previous.graph, -1, deltas.entry(at(group)).or_default());
                }
            }
            for group in std::iter::once("").chain(item.summary.groups.iter().map(String::as_str)) {
                contributions(&item.summary.graph, 1, deltas.entry(at(group)).or_default());
            }
            for entry in crate::annotation_index::entries(account, region, &item.summary) {
                tx.put(ANNOTATIONS, &entry, &[])?;
            }
            let start = start_ms(&item.summary);
            tx.put(SUMMARIES, summary_key(account, region, start, trace).as_bytes(), &encode(&item.summary)?)?;
            let place = SummaryPlace { start_ms: start, revision: item.summary.revision };
            tx.put(SUMMARY_INDEX, index_key.as_bytes(), &encode(&place)?)?;
            let unchanged = tx
                .get(PENDING, index_key.as_bytes())?
                .and_then(|p| postcard::from_bytes::<Pending>(&p).ok())
                .is_some_and(|p| p.last_ms == item.pending_ms);
            if unchanged {
                tx.remove(PENDING, index_key.as_bytes())?;
            }
        }
        for ((account, region, group), rows) in deltas {
            for ((minute, entity), delta) in rows {
                let key = graph_key(&account, &region, &group, minute, &entity);
                let mut aggregate = match tx.get(GRAPH, key.as_bytes())? {
                    Some(bytes) => postcard::from_bytes::<Aggregate>(&bytes).unwrap_or_default(),
                    None => Aggregate::default(),
                };
                aggregate.merge(&delta);
                tx.put(GRAPH, key.as_bytes(), &encode(&aggregate)?)?;
            }
        }
        Ok(())
    }
}

/// The service graph's aggregates of one account, region and group over `[from_ms, to_ms)`, summed per element.
pub fn graph(
    reader: &Reader,
    account: &str,
    region: &str,
    group: &str,
    window: (i64, i64),
) -> Result<std::collections::BTreeMap<Element, Aggregate>, ReadError> {
    let mut out: std::collections::BTreeMap<Element, Aggregate> = std::collections::BTreeMap::new();
    graph_minutes(reader, (account, region, group), window, |_, element, aggregate| {
        out.entry(element).or_default().merge(&aggregate);
    })?;
    Ok(out)
}

/// Visits each aggregate row of one account, region and group in `[from_ms, to_ms)`: its minute, element and
/// aggregate, in minute order.
pub fn graph_minutes(
    reader: &Reader,
    (account, region, group): (&str, &str, &str),
    (from_ms, to_ms): (i64, i64),
    mut visit: impl FnMut(i64, Element, Aggregate),
) -> Result<(), ReadError> {
    let prefix = || Key::new().str(account).str(region).str(group);
    let from = prefix().i64(from_ms).into_bytes();
    let to = prefix().i64(to_ms).into_bytes();
    let mut failure = None;
    reader.scan(GRAPH, (Some(&from), Some(&to)), skywatch_store::Direction::Forward, |key, value| {
        let mut key = KeyReader::new(key);
        let row = (|| {
            let (_, _, _) = (key.str()?, key.str()?, key.str()?);
            let minute = key.i64()?;
            let element = match key.str()?.as_str() {
                "n" => Element::Node(read_service(&mut key)?),
                "e" => Element::Edge(read_service(&mut key)?, read_service(&mut key)?),
                _ => return None,
            };
            Some((minute, element))
        })();
        match (row, postcard::from_bytes::<Aggregate>(value)) {
            (Some((minute, element)), Ok(aggregate)) => visit(minute, element, aggregate),
            (_, Err(error)) => {
                failure = Some(ReadError::Storage(error.to_string()));
                return std::ops::ControlFlow::Break(());
            }
            (None, _) => {}
        }
        std::ops::ControlFlow::Continue(())
    })?;
    failure.map_or(Ok(()), Err)
}

/// Where `trace`'s summary is, if it has one.
pub fn summary_place(
    reader: &Reader,
    account: &str,
    region: &str,
    trace: TraceId,
) -> Result<Option<SummaryPlace>, ReadError> {
    reader.get(SUMMARY_INDEX, trace_key(account, region, trace).as_bytes())?.map(|v| decode(&v)).transpose()
}

/// The summary of `trace`, if it has one.
pub fn summary(reader: &Reader, account: &str, region: &str, trace: TraceId) -> Result<Option<Summary>, ReadError> {
    let Some(place) = summary_place(reader, account, region, trace)? else { return Ok(None) };
    reader
        .get(SUMMARIES, summary_key(account, region, place.start_ms, trace).as_bytes())?
        .map(|v| decode(&v))
        .transpose()
}

/// The summary stored at `start_ms` for `trace`, if there is one.
pub fn summary_at(
    reader: &Reader,
    account: &str,
    region: &str,
    start_ms: i64,
    trace: TraceId,
) -> Result<Option<Summary>, ReadError> {
    reader.get(SUMMARIES, summary_key(account, region, start_ms, trace).as_bytes())?.map(|v| decode(&v)).transpose()
}

/// Summaries of one account and region that start in `[from_ms, to_ms)`, in start order, from `after` (the key
/// of the last one a previous page returned) on; stops after `limit` or when `visit` says so.
pub fn summaries(
    reader: &Reader,
    account: &str,
    region: &str,
    (from_ms, to_ms): (i64, i64),
    after: Option<(i64, TraceId)>,
    mut visit: impl FnMut(Summary) -> std::ops::ControlFlow<()>,
) -> Result<(), ReadError> {
    let from = match after {
        Some((start, trace)) => {
            let mut bytes = summary_key(account, region, start, trace).into_bytes();
            bytes.push(0);
            bytes
        }
        None => Key::new().str(account).str(region).i64(from_ms).into_bytes(),
    };
    let to = Key::new().str(account).str(region).i64(to_ms).into_bytes();
    let mut failure = None;
    reader.scan(SUMMARIES, (Some(&from), Some(&to)), skywatch_store::Direction::Forward, |_, value| {
        match decode::<Summary>(value) {
            Ok(summary) => visit(summary),
            Err(error) => {
                failure = Some(error);
                std::ops::ControlFlow::Break(())
            }
        }
    })?;
    failure.map_or(Ok(()), Err)
}

fn rule_key(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

/// A change to the sampling rules of one account and region, at `now_ms`.
#[derive(Debug)]
pub enum RuleChange {
    Put { account: String, region: String, rule: Box<Rule>, now_ms: i64 },
    Delete { account: String, region: String, name: String, now_ms: i64 },
}

impl RuleChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for RuleChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let (account, region, now_ms) = match self {
            RuleChange::Put { account, region, rule, now_ms } => {
                tx.put(SAMPLING_RULES, rule_key(account, region, &rule.name).as_bytes(), &encode(rule.as_ref())?)?;
                (account, region, now_ms)
            }
            RuleChange::Delete { account, region, name, now_ms } => {
                tx.remove(SAMPLING_RULES, rule_key(account, region, name).as_bytes())?;
                (account, region, now_ms)
            }
        };
        let key = Key::new().str(account).str(region);
        tx.put(SAMPLING_CHANGED, key.as_bytes(), &now_ms.to_be_bytes())
    }
}

/// The rules of one account and region, the Default rule included, in the order clients apply them.
pub fn rules(reader: &Reader, account: &str, region: &str) -> Result<Vec<Rule>, ReadError> {
    let mut out: Vec<Rule> = reader
        .prefixed(SAMPLING_RULES, &Key::new().str(account).str(region))?
        .iter()
        .map(|(_, value)| decode(value))
        .collect::<Result<_, _>>()?;
    if !out.iter().any(|r| r.name == crate::sampling::DEFAULT_RULE) {
        out.push(Rule::default_rule());
    }
    Ok(crate::sampling::rule::in_order(out))
}

/// When the rules of one account and region last changed (0 if never).
pub fn rules_changed(reader: &Reader, account: &str, region: &str) -> Result<i64, ReadError> {
    let value = reader.get(SAMPLING_CHANGED, Key::new().str(account).str(region).as_bytes())?;
    Ok(value.and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok()).map_or(0, i64::from_be_bytes))
}

fn group_key(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

/// A change to the groups of one account and region.
#[derive(Debug)]
pub enum GroupChange {
    Put { account: String, region: String, group: Box<Group> },
    Delete { account: String, region: String, name: String },
}

impl GroupChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for GroupChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            GroupChange::Put { account, region, group } => {
                tx.put(GROUPS, group_key(account, region, &group.name).as_bytes(), &encode(group.as_ref())?)
            }
            GroupChange::Delete { account, region, name } => {
                tx.remove(GROUPS, group_key(account, region, name).as_bytes())
            }
        }
    }
}

/// The groups of one account and region (the Default group, which every account has, is not stored), by name.
pub fn groups(reader: &Reader, account: &str, region: &str) -> Result<Vec<Group>, ReadError> {
    reader.prefixed(GROUPS, &Key::new().str(account).str(region))?.iter().map(|(_, value)| decode(value)).collect()
}
