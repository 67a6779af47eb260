//! A parsed pattern: its `$or`s expanded into clauses (any clause matching is a match), each clause a set of
//! field tests that must all hold, with leaves from one element of every array they share.

use crate::event::{Event, Leaf};
use crate::matcher::Matcher;

/// The most leaf combinations one clause tries on one event before giving up on it (only events with many
/// array elements under several of a clause's fields get near it).
const MAX_STEPS: usize = 100_000;

/// A pattern, ready to match.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub(crate) clauses: Vec<Clause>,
}

/// One way for a pattern to match: every field test holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// The tests, by path.
    pub fields: Vec<FieldTest>,
}

/// The match values of one path: any of them may hold.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldTest {
    /// The dotted path.
    pub path: String,
    /// The values, any of which may match.
    pub matchers: Vec<Matcher>,
}

impl FieldTest {
    /// Whether the field may also hold by having no leaf (`{"exists": false}` among its values).
    pub fn allows_absence(&self) -> bool {
        self.matchers.contains(&Matcher::Exists(false))
    }

    /// Whether some value needs a leaf.
    fn needs_leaf(&self) -> bool {
        self.matchers.iter().any(|m| *m != Matcher::Exists(false))
    }

    /// Whether one leaf satisfies a value of the field.
    pub fn accepts(&self, leaf: &Leaf) -> bool {
        self.matchers.iter().any(|m| *m != Matcher::Exists(false) && m.matches(&leaf.value))
    }
}

impl Pattern {
    /// The clauses, any of which matching makes the pattern match.
    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// Whether the event matches.
    pub fn matches(&self, event: &Event) -> bool {
        self.clauses.iter().any(|clause| clause.matches(event))
    }
}

impl Clause {
    /// Whether every field test holds with leaves that can come from one element of each array.
    pub fn matches(&self, event: &Event) -> bool {
        // Candidates a field: the leaves that satisfy it. A field that needs a leaf and has none fails at once.
        let mut fields: Vec<(&FieldTest, Vec<&Leaf>)> = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let candidates: Vec<&Leaf> = if field.needs_leaf() {
                event.leaves(&field.path).iter().filter(|l| field.accepts(l)).collect()
            } else {
                Vec::new()
            };
            if candidates.is_empty() && !field.allows_absence() {
                return false;
            }
            fields.push((field, candidates));
        }
        // Fields that need a leaf first, fewest candidates first; those that may be absent last, since whether
        // a field is absent depends on the leaves already chosen.
        fields.sort_by_key(|(field, candidates)| (field.allows_absence(), candidates.len()));
        let mut chosen = Vec::with_capacity(fields.len());
        let mut steps = 0;
        search(event, &fields, &mut chosen, &mut steps)
    }
}

fn search<'e>(
    event: &'e Event,
    fields: &[(&FieldTest, Vec<&'e Leaf>)],
    chosen: &mut Vec<&'e Leaf>,
    steps: &mut usize,
) -> bool {
    let Some(((field, candidates), rest)) = fields.split_first() else { return true };
    for &leaf in candidates {
        *steps += 1;
        if *steps > MAX_STEPS {
            return false;
        }
        if chosen.iter().all(|c| c.consistent_with(leaf)) {
            chosen.push(leaf);
            let found = search(event, rest, chosen, steps);
            chosen.pop();
            if found {
                return true;
            }
        }
    }
    field.allows_absence()
        && !event.leaves(&field.path).iter().any(|leaf| chosen.iter().all(|c| c.consistent_with(leaf)))
        && search(event, rest, chosen, steps)
}
