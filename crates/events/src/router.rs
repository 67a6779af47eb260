//! Which rules and archives of a bus an event matches: each bus's enabled pattern rules and its archives compiled
//! once into a [`RuleSet`] with the rules' targets, and compiled again when the bus's rule version moves (every
//! change to its rules, targets or archives moves it in the same commit). Schedule-only rules never match events;
//! an archive without a pattern keeps every event.

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

/// An archive of the bus.
#[derive(Debug)]
pub struct RouteArchive {
    pub name: String,
    /// Its incarnation.
    pub id: u64,
}

/// What a pattern of the set belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Rule(usize),
    Archive(usize),
}

/// A bus's rules and archives, compiled.
pub struct Routes {
    version: u64,
    set: RuleSet<Slot>,
    rules: Vec<RouteRule>,
    archives: Vec<RouteArchive>,
    /// Archives without a pattern: they keep every event.
    keep_all: Vec<usize>,
}

impl Routes {
    /// The rules `event` (flattened) matches, and the archives that keep it, each once.
    pub fn matching(&self, event: &Event) -> (Vec<&RouteRule>, Vec<&RouteArchive>) {
        let mut hits: Vec<Slot> = self.set.matching(event).into_iter().copied().collect();
        hits.extend(self.keep_all.iter().map(|&i| Slot::Archive(i)));
        hits.sort_unstable();
        hits.dedup();
        let mut rules = Vec::new();
        let mut archives = Vec::new();
        for hit in hits {
            match hit {
                Slot::Rule(i) => rules.extend(self.rules.get(i)),
                Slot::Archive(i) => archives.extend(self.archives.get(i)),
            }
        }
        (rules, archives)
    }

    /// Flattens an event's text for [`Routes::matching`], keeping only the fields some pattern tests.
    pub fn flatten(&self, text: &str) -> Result<Event, skywatch_eventpattern::EventError> {
        self.set.parse_event(text)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.archives.is_empty()
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
        set.insert(Slot::Rule(compiled.len()), pattern);
        let all_management = rule.state == crate::model::RuleState::EnabledWithAllCloudtrailManagementEvents;
        compiled.push(RouteRule {
            arn: rule_arn(region, account, bus, &rule.name),
            name: rule.name,
            targets,
            all_management,
        });
    }
    let mut archives = Vec::new();
    let mut keep_all = Vec::new();
    for archive in crate::archive::storage::bus_archives(reader, account, region, bus)? {
        match archive.event_pattern.as_deref().map(parse) {
            None => keep_all.push(archives.len()),
            Some(Ok(pattern)) => set.insert(Slot::Archive(archives.len()), pattern),
            // A stored pattern that no longer parses keeps nothing.
            Some(Err(_)) => continue,
        }
        archives.push(RouteArchive { name: archive.name, id: archive.id });
    }
    Ok(Routes { version, set, rules: compiled, archives, keep_all })
}
