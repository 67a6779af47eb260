//! Aggregate queries: items sorted into groups by the GROUP BY properties' values, and COUNT, SUM, MIN, MAX, AVG
//! over each group. An item whose grouped property has several values (a path through an array) joins the group of
//! each value, or of each combination with several properties; an item without one joins none. Without GROUP BY
//! there is one group, even of no items. Groups come largest first (then by their values) unless ORDER BY says
//! otherwise; at most [`MAX_GROUPS`] are made, holding at most [`MAX_GROUP_CELLS`] values and aggregates in all.
//!
//! `COUNT(*)` counts items, `COUNT(p)` the values of `p` that are not null; SUM and AVG add up the numbers, MIN and
//! MAX take the least and greatest number (or string, when there are no numbers); these are null when there is no
//! value to work on.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::ast::{Aggregate, Function, OrderKey, Path, Query, SelectItem};
use crate::order::{self, SortKey, SortValue};
use crate::path;
use crate::project::insert;
use crate::{MAX_GROUP_CELLS, MAX_GROUPS, QueryError};

/// A grouped value as a hash key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Atom {
    Bool(bool),
    Number(u64),
    Str(String),
}

impl Atom {
    fn of(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(Atom::Bool(*b)),
            // -0 and 0 are one group.
            Value::Number(n) => n.as_f64().map(|x| Atom::Number(if x == 0.0 { 0.0f64 } else { x }.to_bits())),
            Value::String(s) => Some(Atom::Str(s.clone())),
            Value::Null | Value::Array(_) | Value::Object(_) => None,
        }
    }
}

/// One property's distinct values in an item.
type Distinct = Vec<(Atom, Value)>;

struct Group {
    /// One value per GROUP BY property.
    key: Vec<Value>,
    items: u64,
    accumulators: Vec<Accumulator>,
}

#[derive(Debug, Clone)]
enum Accumulator {
    Count(u64),
    Sum(Option<f64>),
    Avg(f64, u64),
    Min(Option<f64>, Option<String>),
    Max(Option<f64>, Option<String>),
}

impl Accumulator {
    fn new(function: Function) -> Self {
        match function {
            Function::Count => Accumulator::Count(0),
            Function::Sum => Accumulator::Sum(None),
            Function::Avg => Accumulator::Avg(0.0, 0),
            Function::Min => Accumulator::Min(None, None),
            Function::Max => Accumulator::Max(None, None),
        }
    }

    fn add(&mut self, value: &Value) {
        let number = value.as_f64();
        match (self, number) {
            (Accumulator::Count(n), _) if !value.is_null() => *n += 1,
            (Accumulator::Sum(total), Some(x)) => *total = Some(total.unwrap_or(0.0) + x),
            (Accumulator::Avg(total, n), Some(x)) => {
                *total += x;
                *n += 1;
            }
            (Accumulator::Min(least, _), Some(x)) => *least = Some(least.map_or(x, |l| l.min(x))),
            (Accumulator::Max(most, _), Some(x)) => *most = Some(most.map_or(x, |m| m.max(x))),
            (Accumulator::Min(_, text), None) => keep_text(text, value, |new, held| new < held),
            (Accumulator::Max(_, text), None) => keep_text(text, value, |new, held| new > held),
            _ => {}
        }
    }

    fn result(&self) -> Value {
        let number = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
        match self {
            Accumulator::Count(n) => Value::from(*n),
            Accumulator::Sum(total) => total.map_or(Value::Null, number),
            Accumulator::Avg(_, 0) => Value::Null,
            Accumulator::Avg(total, n) => number(total / *n as f64),
            Accumulator::Min(Some(x), _) | Accumulator::Max(Some(x), _) => number(*x),
            Accumulator::Min(None, text) | Accumulator::Max(None, text) => {
                text.clone().map_or(Value::Null, Value::String)
            }
        }
    }
}

fn keep_text(held: &mut Option<String>, value: &Value, better: fn(&str, &str) -> bool) {
    if let Value::String(new) = value
        && held.as_deref().is_none_or(|h| better(new, h))
    {
        *held = Some(new.clone());
    }
}

/// The rows of an aggregate query over the items that passed its condition.
pub fn rows<'a>(query: &Query, items: impl Iterator<Item = &'a Value>) -> Result<Vec<Value>, QueryError> {
    let aggregates = aggregates_of(query);
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Vec<Atom>, usize> = HashMap::new();
    let new_group = |key: Vec<Value>| Group {
        key,
        items: 0,
        accumulators: aggregates.iter().map(|a| Accumulator::new(a.function)).collect(),
    };
    if query.group_by.is_empty() {
        groups.push(new_group(Vec::new()));
        index.insert(Vec::new(), 0);
    }
    for item in items {
        let values = match group_values(item, &query.group_by)? {
            Some(values) => values,
            None => continue,
        };
        for combination in Combinations::new(&values) {
            let atoms: Vec<Atom> = combination.iter().map(|(atom, _)| atom.clone()).collect();
            let at = match index.get(&atoms) {
                Some(at) => *at,
                None => {
                    let cells = (groups.len() + 1).saturating_mul(1 + query.group_by.len() + aggregates.len());
                    if groups.len() >= MAX_GROUPS || cells > MAX_GROUP_CELLS {
                        return Err(too_many_groups());
                    }
                    groups.push(new_group(combination.iter().map(|(_, value)| value.clone()).collect()));
                    index.insert(atoms, groups.len() - 1);
                    groups.len() - 1
                }
            };
            if let Some(group) = groups.get_mut(at) {
                group.items += 1;
                for (aggregate, accumulator) in aggregates.iter().zip(&mut group.accumulators) {
                    match &aggregate.argument {
                        None => accumulator.add(&Value::Bool(true)),
                        Some(path) => path::for_each(item, path, &mut |value| accumulator.add(value)),
                    }
                }
            }
        }
    }
    let groups = sorted(query, &aggregates, groups);
    Ok(rows_of(query, &aggregates, &groups))
}

fn too_many_groups() -> QueryError {
    QueryError::new(format!(
        "The query makes too many groups (at most {MAX_GROUPS}, and {MAX_GROUP_CELLS} grouped values and \
         aggregates in all); narrow its condition or GROUP BY"
    ))
}

/// The aggregates the query selects or sorts by, each once.
fn aggregates_of(query: &Query) -> Vec<&Aggregate> {
    let mut out: Vec<&Aggregate> = Vec::new();
    let selected = query.select.iter().filter_map(|item| match item {
        SelectItem::Aggregate(aggregate) => Some(aggregate),
        _ => None,
    });
    let sorted = query.order_by.iter().filter_map(|term| match &term.key {
        OrderKey::Aggregate(aggregate) => Some(aggregate),
        OrderKey::Property(_) => None,
    });
    for aggregate in selected.chain(sorted) {
        if !out.contains(&aggregate) {
            out.push(aggregate);
        }
    }
    out
}

/// Each GROUP BY property's distinct scalar values in `item`; `None` when one has none. Refuses an item whose
/// combinations alone would pass [`MAX_GROUPS`].
fn group_values(item: &Value, group_by: &[Path]) -> Result<Option<Vec<Distinct>>, QueryError> {
    let mut out = Vec::with_capacity(group_by.len());
    let mut combinations: usize = 1;
    for path in group_by {
        let mut seen = HashSet::new();
        let mut values = Vec::new();
        path::for_each(item, path, &mut |value| {
            if let Some(atom) = Atom::of(value)
                && seen.insert(atom.clone())
            {
                values.push((atom, value.clone()));
            }
        });
        if values.is_empty() {
            return Ok(None);
        }
        combinations =
            combinations.checked_mul(values.len()).filter(|n| *n <= MAX_GROUPS).ok_or_else(too_many_groups)?;
        out.push(values);
    }
    Ok(Some(out))
}

/// Every way of taking one value from each list, the last list varying fastest.
struct Combinations<'v, T> {
    lists: &'v [Vec<T>],
    next: Option<Vec<usize>>,
}

impl<'v, T> Combinations<'v, T> {
    fn new(lists: &'v [Vec<T>]) -> Self {
        let next = lists.iter().all(|l| !l.is_empty()).then(|| vec![0; lists.len()]);
        Self { lists, next }
    }
}

impl<'v, T> Iterator for Combinations<'v, T> {
    type Item = Vec<&'v T>;

    fn next(&mut self) -> Option<Self::Item> {
        let current = self.next.take()?;
        let item = current.iter().zip(self.lists).filter_map(|(i, list)| list.get(*i)).collect();
        let mut following = current;
        for position in (0..following.len()).rev() {
            following[position] += 1;
            if following[position] < self.lists[position].len() {
                self.next = Some(following);
                return Some(item);
            }
            following[position] = 0;
        }
        Some(item)
    }
}

/// Where a select item's or an ORDER BY term's value is in a group, worked out once per query.
#[derive(Debug, Clone)]
enum Column<'q> {
    /// The GROUP BY property at this index (its path, for nesting the value in the row).
    Key(usize, &'q Path),
    /// The aggregate at this index, with its name.
    Aggregate(usize, String),
}

impl Column<'_> {
    fn value(&self, group: &Group) -> Option<Value> {
        match self {
            Column::Key(i, _) => group.key.get(*i).cloned(),
            Column::Aggregate(i, _) => group.accumulators.get(*i).map(Accumulator::result),
        }
    }
}

fn key_column<'q>(query: &'q Query, path: &'q Path) -> Option<Column<'q>> {
    query.group_by.iter().position(|p| p == path).map(|i| Column::Key(i, path))
}

fn aggregate_column<'q>(aggregates: &[&'q Aggregate], aggregate: &'q Aggregate) -> Option<Column<'q>> {
    aggregates.iter().position(|a| *a == aggregate).map(|i| Column::Aggregate(i, aggregate.name()))
}

/// The groups in their result order: ORDER BY's, then largest first, then by their values.
fn sorted(query: &Query, aggregates: &[&Aggregate], groups: Vec<Group>) -> Vec<Group> {
    let ascending = vec![false; query.group_by.len()];
    let descending: Vec<bool> = query.order_by.iter().map(|term| term.descending).collect();
    let columns: Vec<Option<Column<'_>>> = query
        .order_by
        .iter()
        .map(|term| match &term.key {
            OrderKey::Property(path) => key_column(query, path),
            OrderKey::Aggregate(aggregate) => aggregate_column(aggregates, aggregate),
        })
        .collect();
    let mut keyed: Vec<(SortKey, SortKey, Group)> = groups
        .into_iter()
        .map(|group| {
            let ordered = columns
                .iter()
                .map(|column| column.as_ref().and_then(|c| c.value(&group)).as_ref().and_then(SortValue::of))
                .collect();
            let values = group.key.iter().map(SortValue::of).collect();
            (ordered, values, group)
        })
        .collect();
    keyed.sort_by(|(a_ordered, a_values, a), (b_ordered, b_values, b)| {
        order::compare(a_ordered, b_ordered, &descending)
            .then_with(|| b.items.cmp(&a.items))
            .then_with(|| order::compare(a_values, b_values, &ascending))
    });
    keyed.into_iter().map(|(_, _, group)| group).collect()
}

/// The rows of the sorted groups: each selected key nested by its path, each aggregate by its name.
fn rows_of(query: &Query, aggregates: &[&Aggregate], groups: &[Group]) -> Vec<Value> {
    let columns: Vec<Column<'_>> = query
        .select
        .iter()
        .filter_map(|item| match item {
            SelectItem::Property(path) => key_column(query, path),
            SelectItem::Aggregate(aggregate) => aggregate_column(aggregates, aggregate),
            SelectItem::All => None,
        })
        .collect();
    groups
        .iter()
        .map(|group| {
            let mut row = Map::new();
            for column in &columns {
                let Some(value) = column.value(group) else { continue };
                match column {
                    Column::Key(_, path) => insert(&mut row, path, value),
                    Column::Aggregate(_, name) => {
                        row.insert(name.clone(), value);
                    }
                }
            }
            Value::Object(row)
        })
        .collect()
}
