//! The catalogue index: each account and region's metrics (one entry a metric, whatever its units) in the
//! catalogue's sort order, with postings by namespace, metric name, dimension name, dimension, and word, the
//! distinct lower-cased fields for substring searches, and listed-metric counts by namespace and dimension-name
//! set. Listing, searching and counting read it instead of walking every series.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::head::Series;
use crate::series::SeriesKey;

/// The catalogue's order of metrics: namespace, metric name, then each dimension (sorted by name), with
/// separators below any printable character so that a shorter key sorts first. ListMetrics' tokens name a place
/// in this order.
pub fn sort_text(key: &SeriesKey) -> String {
    let mut out = String::with_capacity(
        key.namespace.len()
            + key.metric_name.len()
            + 1
            + key.dimensions.iter().map(|(n, v)| n.len() + v.len() + 2).sum::<usize>(),
    );
    out.push_str(&key.namespace);
    out.push('\u{1f}');
    out.push_str(&key.metric_name);
    for (name, value) in &key.dimensions {
        out.push('\u{1f}');
        out.push_str(name);
        out.push('\u{1e}');
        out.push_str(value);
    }
    out
}

/// The words a catalogue term matches: a lower-cased field itself and each of its alphanumeric runs.
pub fn words(lower_field: &str) -> impl Iterator<Item = &str> {
    std::iter::once(lower_field)
        .chain(lower_field.split(|c: char| !c.is_alphanumeric()).filter(move |w| !w.is_empty() && *w != lower_field))
}

/// What a posting list is kept for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    Namespace(Box<str>),
    MetricName(Box<str>),
    DimensionName(Box<str>),
    Dimension(Box<str>, Box<str>),
    /// A lower-cased word (see [`words`]).
    Word(Box<str>),
}

/// Which metrics a lookup may return: a superset of what the caller's own test accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogFilter {
    /// Every metric of the scope.
    All,
    Term(Term),
    /// Metrics with a field (namespace, metric name, dimension name or value) whose lower-cased text contains
    /// this lower-cased text.
    Substring(String),
    And(Vec<CatalogFilter>),
    Or(Vec<CatalogFilter>),
}

pub(crate) struct Slot {
    pub key: Arc<SeriesKey>,
    /// One series a unit.
    pub series: Vec<Arc<Series>>,
    /// Counted among the listed metrics (written in the past two weeks, or of unknown age).
    listed: bool,
}

/// A namespace and a set of dimension names.
type Group = (Box<str>, Box<[Box<str>]>);

/// One account and region.
#[derive(Default)]
pub(crate) struct Scope {
    pub slots: Vec<Slot>,
    pub order: BTreeMap<Box<str>, u32>,
    postings: FxHashMap<Term, Vec<u32>>,
    fields: FxHashMap<Box<str>, Vec<u32>>,
    /// Listed metrics by namespace and dimension-name set.
    groups: BTreeMap<Group, usize>,
}

fn push(list: &mut Vec<u32>, slot: u32) {
    if list.last() != Some(&slot) {
        list.push(slot);
    }
}

impl Scope {
    fn add(&mut self, series: &Arc<Series>, listed: bool) {
        let key = &series.key;
        let text = sort_text(key);
        if let Some(&slot) = self.order.get(text.as_str()) {
            let entry = &mut self.slots[slot as usize];
            if !entry.series.iter().any(|s| Arc::ptr_eq(s, series)) {
                entry.series.push(Arc::clone(series));
            }
            if listed {
                self.set_listed(slot, true);
            }
            return;
        }
        let slot = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.order.insert(text.into_boxed_str(), slot);
        let mut terms =
            vec![Term::Namespace(key.namespace.as_str().into()), Term::MetricName(key.metric_name.as_str().into())];
        for (name, value) in &key.dimensions {
            terms.push(Term::DimensionName(name.as_str().into()));
            terms.push(Term::Dimension(name.as_str().into(), value.as_str().into()));
        }
        let fields = [key.namespace.as_str(), key.metric_name.as_str()]
            .into_iter()
            .chain(key.dimensions.iter().flat_map(|(n, v)| [n.as_str(), v.as_str()]));
        for field in fields {
            let lower = field.to_lowercase();
            terms.extend(words(&lower).map(|w| Term::Word(w.into())));
            push(self.fields.entry(lower.into_boxed_str()).or_default(), slot);
        }
        for term in terms {
            push(self.postings.entry(term).or_default(), slot);
        }
        self.slots.push(Slot { key: Arc::clone(key), series: vec![Arc::clone(series)], listed: false });
        if listed {
            self.set_listed(slot, true);
        }
    }

    fn group_of(key: &SeriesKey) -> Group {
        (key.namespace.as_str().into(), key.dimensions.iter().map(|(n, _)| n.as_str().into()).collect())
    }

    fn set_listed(&mut self, slot: u32, listed: bool) {
        let Some(entry) = self.slots.get_mut(slot as usize) else { return };
        if entry.listed == listed {
            return;
        }
        entry.listed = listed;
        let group = Self::group_of(&entry.key);
        if listed {
            *self.groups.entry(group).or_default() += 1;
        } else if let Some(count) = self.groups.get_mut(&group) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.groups.remove(&group);
            }
        }
    }

    /// Slots that may match, ascending; `None` for all of them.
    fn candidates(&self, filter: &CatalogFilter) -> Option<Vec<u32>> {
        match filter {
            CatalogFilter::All => None,
            CatalogFilter::Term(term) => Some(self.postings.get(term).cloned().unwrap_or_default()),
            CatalogFilter::Substring(text) => {
                let mut out: Vec<u32> = self
                    .fields
                    .iter()
                    .filter(|(field, _)| field.contains(text.as_str()))
                    .flat_map(|(_, slots)| slots.iter().copied())
                    .collect();
                out.sort_unstable();
                out.dedup();
                Some(out)
            }
            // The narrowest part bounds the whole; the caller's test does the rest.
            CatalogFilter::And(parts) => parts.iter().filter_map(|p| self.candidates(p)).min_by_key(Vec::len),
            CatalogFilter::Or(parts) => {
                let mut out = Vec::new();
                for part in parts {
                    out.extend(self.candidates(part)?);
                }
                out.sort_unstable();
                out.dedup();
                Some(out)
            }
        }
    }
}

/// Every scope's index.
#[derive(Default)]
pub(crate) struct Index {
    scopes: FxHashMap<String, FxHashMap<String, Scope>>,
}

impl Index {
    pub fn scope(&self, account: &str, region: &str) -> Option<&Scope> {
        self.scopes.get(account)?.get(region)
    }

    fn scope_mut(&mut self, key: &SeriesKey) -> &mut Scope {
        self.scopes.entry(key.account.clone()).or_default().entry(key.region.clone()).or_default()
    }

    /// Adds a series that became durable (or was restored), listed or not.
    pub fn add(&mut self, series: &Arc<Series>, listed: bool) {
        self.scope_mut(&series.key).add(series, listed);
    }

    /// Counts the metric of `series` as listed again (it was written after it had expired).
    pub fn relist(&mut self, series: &Series) {
        let scope = self.scope_mut(&series.key);
        if let Some(&slot) = scope.order.get(sort_text(&series.key).as_str()) {
            scope.set_listed(slot, true);
        }
    }

    /// Stops counting metrics none of whose series was written since `cutoff_ms` (those of unknown age stay);
    /// returns the series of each metric no longer listed.
    pub fn expire(&mut self, cutoff_ms: i64) -> Vec<Vec<Arc<Series>>> {
        let mut expired = Vec::new();
        for scope in self.scopes.values_mut().flat_map(|regions| regions.values_mut()) {
            for slot in 0..scope.slots.len() {
                let entry = &scope.slots[slot];
                let newest = entry.series.iter().map(|s| s.last_put_ms()).max().unwrap_or(0);
                if entry.listed && newest != 0 && newest < cutoff_ms {
                    expired.push(entry.series.clone());
                    scope.set_listed(slot as u32, false);
                }
            }
        }
        expired
    }
}

impl Scope {
    /// Metrics in sort order after `after` (exclusive) whose sort text starts with `prefix`, until `visit` says
    /// stop.
    pub fn scan(&self, after: Option<&str>, prefix: &str, mut visit: impl FnMut(&str, &Slot) -> bool) {
        let start = match after {
            Some(after) if after >= prefix => Bound::Excluded(after),
            _ => Bound::Included(prefix),
        };
        for (text, slot) in self.order.range::<str, _>((start, Bound::Unbounded)) {
            if !text.starts_with(prefix) {
                break;
            }
            if !visit(text, &self.slots[*slot as usize]) {
                break;
            }
        }
    }

    /// The metrics `filter` may match, in slot order.
    pub fn matching(&self, filter: &CatalogFilter) -> Box<dyn Iterator<Item = &Slot> + '_> {
        match self.candidates(filter) {
            None => Box::new(self.slots.iter()),
            Some(slots) => Box::new(slots.into_iter().filter_map(|slot| self.slots.get(slot as usize))),
        }
    }

    /// Listed metrics by namespace and dimension-name set, in that order.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &[Box<str>], usize)> {
        self.groups.iter().map(|((namespace, names), count)| (namespace.as_ref(), names.as_ref(), *count))
    }
}
