//! Which rules of a bus an event matches: each bus's enabled pattern rules compiled once into a
//! [`RuleSet`] with their targets, and compiled again when the bus's rule version moves (every change to its
//! rules or targets moves it in the same commit). Schedule-only rules never match events.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use skywatch_eventpattern::{Event, RuleSet, parse};
use skywatch_store::{ReadError, Reader};

use crate::model::Target;
use crate::names::rule_arn;
use crate::ops::{MAX_RULES, MAX_TARGETS};
use crate::storage::{rule_version, rules, targets};

/// Buses whose compiled rules are kept (the least recently compiled goes first beyond this).
const CACHED_BUSES: usize = 1024;

/// One rule that can match events, with where it sends them.
#[derive(Debug)]
pub struct RouteRule {
    pub name: String,
    pub arn: String,
    pub targets: Vec<Target>,
    /// The rule's state is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS: it also gets read-only CloudTrail events.
    pub all_management: bool,
}

/// A bus's rules, compiled.
pub struct Routes {
    version: u64,
    set: RuleSet<usize>,
    rules: Vec<RouteRule>,
}

impl Routes {
    /// The rules `event` (flattened) matches, each once.
    pub fn matching(&self, event: &Event) -> Vec<&RouteRule> {
        let mut hits: Vec<usize> = self.set.matching(event).into_iter().copied().collect();
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter().filter_map(|i| self.rules.get(i)).collect()
    }

    /// Flattens an event's text for [`Routes::matching`], keeping only the fields some pattern tests.
    pub fn flatten(&self, text: &str) -> Result<Event, skywatch_eventpattern::EventError> {
        self.set.parse_event(text)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The compiled rules of each bus (account, region, name), with when they were compiled.
type Compiled = HashMap<(String, String, String), (u64, Arc<Routes>)>;

/// The compiled rules of every bus events were put on lately.
#[derive(Default)]
pub struct Router {
    buses: Mutex<Compiled>,
    compiled: std::sync::atomic::AtomicU64,
}

impl Router {
    /// The rules of bus (`account`, `region`, `bus`) as the store holds them in `reader`.
    pub fn routes(&self, reader: &Reader, account: &str, region: &str, bus: &str) -> Result<Arc<Routes>, ReadError> {
        let version = rule_version(reader, account, region, bus)?;
        let key = (account.to_owned(), region.to_owned(), bus.to_owned());
        if let Some((_, routes)) = self.lock().get(&key)
            && routes.version == version
        {
            return Ok(Arc::clone(routes));
        }
        let routes = Arc::new(compile(reader, (account, region, bus), version)?);
        let stamp = self.compiled.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut buses = self.lock();
        if buses.len() >= CACHED_BUSES
            && !buses.contains_key(&key)
            && let Some(oldest) = buses.iter().min_by_key(|(_, (stamp, _))| *stamp).map(|(k, _)| k.clone())
        {
            buses.remove(&oldest);
        }
        buses.insert(key, (stamp, Arc::clone(&routes)));
        Ok(routes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Compiled> {
        self.buses.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn compile(reader: &Reader, (account, region, bus): (&str, &str, &str), version: u64) -> Result<Routes, ReadError> {
    let mut set = RuleSet::new();
    let mut compiled = Vec::new();
    for rule in rules(reader, account, region, bus, "", None, MAX_RULES * 2)? {
        let Some(text) = rule.event_pattern.as_deref() else { continue };
        if !rule.state.is_enabled() {
            continue;
        }
        // Stored patterns were checked when put; one that no longer parses matches nothing.
        let Ok(pattern) = parse(text) else { continue };
        let targets = targets(reader, account, region, bus, &rule.name, None, MAX_TARGETS * 2)?;
        set.insert(compiled.len(), pattern);
        let all_management = rule.state == crate::model::RuleState::EnabledWithAllCloudtrailManagementEvents;
        compiled.push(RouteRule {
            arn: rule_arn(region, account, bus, &rule.name),
            name: rule.name,
            targets,
            all_management,
        });
    }
    Ok(Routes { version, set, rules: compiled })
}
