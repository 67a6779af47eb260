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

/// The field a clause is indexed under: of those naming only exact strings, the one whose strings index the
/// fewest clauses so far (so rules that share `detail.kind: order` but differ in `source` are told apart by their
/// source), then the one naming the fewest strings, then the shallowest (the envelope's `source` and
/// `detail-type` before fields of the detail).
fn anchor<'c>(
    clause: &'c Clause,
    anchored: &HashMap<String, HashMap<String, Vec<ClauseRef>>>,
) -> Option<&'c FieldTest> {
    let crowd = |field: &FieldTest| -> usize {
        let Some(values) = anchored.get(&field.path) else { return 0 };
        field
            .matchers
            .iter()
            .map(|m| match m {
                Matcher::Str { text, .. } => values.get(text).map_or(0, Vec::len),
                _ => 0,
            })
            .sum()
    };
    clause
        .fields
        .iter()
        .filter(|f| f.matchers.iter().all(|m| matches!(m, Matcher::Str { ip: None, .. })))
        .min_by_key(|f| (crowd(f), f.matchers.len(), f.path.matches('.').count()))
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
            match anchor(clause, &self.anchored).map(|f| (f.path.clone(), f)) {
                Some((path, field)) => {
                    let values = self.anchored.entry(path).or_default();
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
        let mut matched: Vec<&K> = Vec::new();
        let mut last_rule = None;
        for (rule, clause) in self.candidates(event) {
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

    /// The clauses worth checking against an event, in order, each once.
    fn candidates(&self, event: &Event) -> Vec<ClauseRef> {
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
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16's PutEvents benchmark shape: rules that share `detail.kind` and differ in `source` are indexed by
    /// their source, so an event is checked against its own rule only.
    #[test]
    fn clauses_are_indexed_under_their_most_selective_field() {
        let mut set = RuleSet::new();
        for i in 0..100 {
            let text = format!(r#"{{"source": ["load.r{i}"], "detail": {{"kind": ["order"]}}}}"#);
            set.insert(i, crate::parse(&text).unwrap());
        }
        let event =
            set.parse_event(r#"{"source": "load.r42", "detail-type": "t", "detail": {"kind": "order"}}"#).unwrap();
        assert_eq!(set.candidates(&event).len(), 1);
        assert_eq!(set.matching(&event), vec![&42]);
    }
}
