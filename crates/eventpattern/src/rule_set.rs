//! Many patterns against one event: each clause is indexed under one of its fields that names exact strings (the
//! most selective test a clause usually has: `source`, `detail-type`), so an event visits only the clauses one
//! of its leaves points at, plus the few with no such field, and each visited clause is then checked whole.

use std::collections::{HashMap, HashSet};

use crate::EventError;
use crate::event::{Event, Scalar};
use crate::matcher::Matcher;
use crate::pattern::{Clause, FieldTest, Pattern};

/// A clause of a rule: (rule index, clause index).
type ClauseRef = (u32, u32);

/// Patterns under keys (a rule's name, a target's id), matched together.
#[derive(Debug, Clone)]
pub struct RuleSet<K> {
    rules: Vec<(K, Pattern)>,
    /// Path, then exact string, then the clauses indexed there.
    anchored: HashMap<String, HashMap<String, Vec<ClauseRef>>>,
    /// Clauses with no exact-string field, checked for every event.
    unanchored: Vec<ClauseRef>,
    /// Every path a clause names, and every prefix of one (an event's other subtrees are skipped unread).
    paths: HashSet<String>,
}

impl<K> Default for RuleSet<K> {
    fn default() -> Self {
        RuleSet { rules: Vec::new(), anchored: HashMap::new(), unanchored: Vec::new(), paths: HashSet::new() }
    }
}

/// The field a clause is indexed under: the one naming the fewest exact strings, and nothing else.
fn anchor(clause: &Clause) -> Option<&FieldTest> {
    clause
        .fields
        .iter()
        .filter(|f| f.matchers.iter().all(|m| matches!(m, Matcher::Str { ip: None, .. })))
        .min_by_key(|f| f.matchers.len())
}

impl<K> RuleSet<K> {
    /// An empty set.
    pub fn new() -> Self {
        RuleSet::default()
    }

    /// How many patterns the set holds.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the set holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Adds a pattern under a key.
    pub fn insert(&mut self, key: K, pattern: Pattern) {
        let rule = u32::try_from(self.rules.len()).unwrap_or(u32::MAX);
        for (index, clause) in pattern.clauses.iter().enumerate() {
            let at = (rule, u32::try_from(index).unwrap_or(u32::MAX));
            for field in &clause.fields {
                let mut prefix = field.path.as_str();
                self.paths.insert(prefix.to_owned());
                while let Some(dot) = prefix.rfind('.') {
                    prefix = &prefix[..dot];
                    self.paths.insert(prefix.to_owned());
                }
            }
            match anchor(clause) {
                Some(field) => {
                    let values = self.anchored.entry(field.path.clone()).or_default();
                    for matcher in &field.matchers {
                        if let Matcher::Str { text, .. } = matcher {
                            let clauses = values.entry(text.clone()).or_default();
                            if clauses.last() != Some(&at) {
                                clauses.push(at);
                            }
                        }
                    }
                }
                None => self.unanchored.push(at),
            }
        }
        self.rules.push((key, pattern));
    }

    /// Reads an event's JSON text keeping only the paths the set's patterns name.
    pub fn parse_event(&self, text: &str) -> Result<Event, EventError> {
        Event::parse_keeping(text, |path| self.paths.contains(path))
    }

    /// The keys of the patterns the event matches, in the order they were inserted, each once.
    pub fn matching(&self, event: &Event) -> Vec<&K> {
        let mut candidates: Vec<ClauseRef> = self.unanchored.clone();
        for (path, values) in &self.anchored {
            for leaf in event.leaves(path) {
                if let Scalar::Str(text) = &leaf.value
                    && let Some(clauses) = values.get(text)
                {
                    candidates.extend_from_slice(clauses);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut matched: Vec<&K> = Vec::new();
        let mut last_rule = None;
        for (rule, clause) in candidates {
            if last_rule == Some(rule) {
                continue;
            }
            let (key, pattern) = &self.rules[rule as usize];
            if pattern.clauses[clause as usize].matches(event) {
                matched.push(key);
                last_rule = Some(rule);
            }
        }
        matched
    }
}
