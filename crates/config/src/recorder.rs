//! The recorder's pass: turns the notices of changes into configuration items. For each changed resource it
//! reads the current state (its engine's [`Describe`], or what PutResourceConfig stored), compares it with the
//! newest item, and records a new item — `ResourceDiscovered` the first time, `OK` after, `ResourceDeleted`
//! once gone — carrying the CloudTrail event ids of the calls that made the change. Nothing is recorded unless
//! the account and region's recorder is recording and its group takes the type. A pass commits its items, the
//! rule evaluations they trigger and the handled notices together, so a crash repeats a pass, never half of one.

use std::collections::BTreeMap;

use skywatch_store::{Mutation, ReadError, Reader};

use crate::describe::{self, Describe, Identity};
use crate::model::{ITEM_VERSION, Item, ItemStatus};
use crate::storage::{self, Notice, RecorderChange, Resource};

/// Notices read in one pass.
pub const NOTICES_A_PASS: usize = 512;
/// Resources one discovery (a recorder starting) records at most per type.
pub const DISCOVERY_LIMIT: usize = 10_000;
/// The resource type of a notice that asks for a discovery of the whole account and region.
pub const DISCOVER_ALL: &str = "*";
/// Related events kept on one item.
const MAX_RELATED_EVENTS: usize = 20;

/// What one pass found to do.
#[derive(Debug, Default)]
pub struct Pass {
    /// The items to record (already compared with the newest ones).
    pub items: Vec<Item>,
    /// Everything to commit: the items, their resources, and the handled notices.
    pub changes: Vec<Mutation>,
    /// Notices handled (including those that recorded nothing).
    pub notices: usize,
}

/// One resource a pass looks at, with every event that touched it.
struct Touched {
    scope: (String, String),
    resource_type: String,
    identity: Identity,
    external: bool,
    events: Vec<String>,
}

/// Plans one pass over the oldest notices at `now_ms`.
pub fn plan(reader: &Reader, describer: &dyn Describe, now_ms: i64) -> Result<Pass, ReadError> {
    let notices = storage::notices(reader, NOTICES_A_PASS)?;
    let mut touched: BTreeMap<(String, String, String, String), Touched> = BTreeMap::new();
    let mut keys = Vec::with_capacity(notices.len());
    for (key, notice) in &notices {
        keys.push(key.clone());
        if notice.resource_type == DISCOVER_ALL {
            discover(reader, describer, notice, &mut touched)?;
        } else {
            touch(describer, notice, &mut touched);
        }
    }
    let mut pass = Pass { notices: notices.len(), ..Pass::default() };
    let mut recording: BTreeMap<(String, String), Option<crate::model::Recorder>> = BTreeMap::new();
    for touched in touched.into_values() {
        let (account, region) = (&touched.scope.0, &touched.scope.1);
        let recorder = match recording.get(&touched.scope) {
            Some(found) => found.clone(),
            None => {
                let found = storage::recorders(reader, account, region)?.into_iter().next();
                recording.insert(touched.scope.clone(), found.clone());
                found
            }
        };
        let Some(recorder) = recorder else { continue };
        if !recorder.status.recording || !recorder.group.records(&touched.resource_type) {
            continue;
        }
        if let Some(item) = next_item(reader, describer, &touched, now_ms)? {
            let before = storage::resource(reader, account, region, &item.resource_type, &item.resource_id)?;
            let resource = Resource {
                resource_type: item.resource_type.clone(),
                resource_id: item.resource_id.clone(),
                resource_name: item.resource_name.clone(),
                last_capture_ms: item.capture_ms,
                deleted_ms: item.status.is_deleted().then_some(item.capture_ms),
                compliance: before.as_ref().and_then(|r| r.compliance.clone()),
                rule_compliance: before.map(|r| r.rule_compliance).unwrap_or_default(),
            };
            pass.changes
                .push(RecorderChange::Record { item: Box::new(item.clone()), resource: Box::new(resource) }.mutation());
            pass.items.push(item);
        }
    }
    pass.changes.extend(crate::rules::pass::on_items(reader, &pass.items, now_ms)?);
    if !keys.is_empty() {
        pass.changes.push(RecorderChange::Handled(keys).mutation());
    }
    Ok(pass)
}

fn touch(describer: &dyn Describe, notice: &Notice, touched: &mut BTreeMap<(String, String, String, String), Touched>) {
    let external = !describer.resource_types().contains(&notice.resource_type.as_str());
    let identity = if external {
        Identity { resource_id: notice.arn.clone(), resource_name: None, arn: None }
    } else {
        match describer.identify(&notice.resource_type, &notice.arn) {
            Some(identity) => identity,
            None => return,
        }
    };
    let key =
        (notice.account.clone(), notice.region.clone(), notice.resource_type.clone(), identity.resource_id.clone());
    let entry = touched.entry(key).or_insert_with(|| Touched {
        scope: (notice.account.clone(), notice.region.clone()),
        resource_type: notice.resource_type.clone(),
        identity,
        external,
        events: Vec::new(),
    });
    if !notice.event_id.is_empty()
        && !entry.events.contains(&notice.event_id)
        && entry.events.len() < MAX_RELATED_EVENTS
    {
        entry.events.push(notice.event_id.clone());
    }
}

/// A recorder started: every resource Skywatch knows in its account and region is looked at.
fn discover(
    reader: &Reader,
    describer: &dyn Describe,
    notice: &Notice,
    touched: &mut BTreeMap<(String, String, String, String), Touched>,
) -> Result<(), ReadError> {
    let scope = (notice.account.as_str(), notice.region.as_str());
    for resource_type in describer.resource_types() {
        for identity in describer.list(reader, scope, resource_type, DISCOVERY_LIMIT)? {
            let key = (
                notice.account.clone(),
                notice.region.clone(),
                (*resource_type).to_owned(),
                identity.resource_id.clone(),
            );
            touched.entry(key).or_insert_with(|| Touched {
                scope: (notice.account.clone(), notice.region.clone()),
                resource_type: (*resource_type).to_owned(),
                identity,
                external: false,
                events: Vec::new(),
            });
        }
    }
    Ok(())
}

/// The item to record for a touched resource, if its state changed since the newest item.
fn next_item(
    reader: &Reader,
    describer: &dyn Describe,
    touched: &Touched,
    now_ms: i64,
) -> Result<Option<Item>, ReadError> {
    let scope = (touched.scope.0.as_str(), touched.scope.1.as_str());
    let id = &touched.identity.resource_id;
    let described = if touched.external {
        describe::reported(reader, scope, &touched.resource_type, id)?
    } else {
        describer.describe(reader, scope, &touched.resource_type, &touched.identity)?
    };
    let previous = storage::latest(reader, scope, &touched.resource_type, id)?;
    let capture_ms = previous.as_ref().map_or(now_ms, |p| now_ms.max(p.capture_ms.saturating_add(1)));
    let item = match described {
        Some(described) => Item {
            version: ITEM_VERSION.into(),
            account_id: touched.scope.0.clone(),
            aws_region: touched.scope.1.clone(),
            resource_type: touched.resource_type.clone(),
            resource_id: id.clone(),
            resource_name: described.identity.resource_name,
            arn: described.identity.arn,
            availability_zone: None,
            capture_ms,
            status: match &previous {
                Some(previous) if !previous.status.is_deleted() => ItemStatus::Ok,
                _ => ItemStatus::ResourceDiscovered,
            },
            resource_creation_ms: described.created_ms,
            tags: described.tags,
            related_events: touched.events.clone(),
            relationships: described.relationships,
            configuration: Some(described.configuration),
            supplementary: described.supplementary,
            schema_version_id: described.schema_version_id,
        },
        None => match &previous {
            Some(previous) if !previous.status.is_deleted() => Item {
                capture_ms,
                status: ItemStatus::ResourceDeleted,
                related_events: touched.events.clone(),
                configuration: None,
                supplementary: BTreeMap::new(),
                relationships: Vec::new(),
                ..previous.clone()
            },
            _ => return Ok(None),
        },
    };
    match &previous {
        Some(previous) if previous.same_state(&item) && !previous.status.is_deleted() => Ok(None),
        _ => Ok(Some(item)),
    }
}
