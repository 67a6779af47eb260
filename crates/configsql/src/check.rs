//! The rules of a parsed query that the grammar does not state, with AWS's documented limitations: in an
//! aggregate query every selected or sorted property is grouped by and `*` is not selected; GROUP BY holds at
//! most [`MAX_GROUP_BY`] properties, and only one when ORDER BY sorts by an aggregate; and no two properties may
//! be spelled alike but for case ("mismatched identifiers").

use std::collections::BTreeSet;

use crate::ast::{Condition, OrderKey, Path, Query, SelectItem};
use crate::{MAX_GROUP_BY, QueryError};

pub fn check(query: &Query) -> Result<(), QueryError> {
    if query.is_aggregate() {
        check_aggregate(query)?;
    }
    check_identifiers(query)
}

fn check_aggregate(query: &Query) -> Result<(), QueryError> {
    if query.group_by.len() > MAX_GROUP_BY {
        return Err(QueryError::new(format!("GROUP BY clauses may contain up to {MAX_GROUP_BY} properties")));
    }
    let orders_by_aggregate = query.order_by.iter().any(|term| matches!(term.key, OrderKey::Aggregate(_)));
    if orders_by_aggregate && query.group_by.len() > 1 {
        return Err(QueryError::new(
            "GROUP BY with an ORDER BY clause referencing aggregate functions may contain only a single property",
        ));
    }
    let grouped = |path: &Path| query.group_by.contains(path);
    for item in &query.select {
        match item {
            SelectItem::All => {
                return Err(QueryError::new("SELECT * cannot be used with aggregate functions or GROUP BY"));
            }
            SelectItem::Property(path) if !grouped(path) => {
                return Err(QueryError::new(format!(
                    "'{path}' must appear in the GROUP BY clause or be used in an aggregate function"
                )));
            }
            _ => {}
        }
    }
    for term in &query.order_by {
        if let OrderKey::Property(path) = &term.key
            && !grouped(path)
        {
            return Err(QueryError::new(format!(
                "ORDER BY '{path}' must appear in the GROUP BY clause or be an aggregate function"
            )));
        }
    }
    Ok(())
}

/// Refuses two properties with the same spelling but different case, or where one, ignoring case, begins the other
/// with different case (`configuration.ipAddress` and `configuration.ipaddressPermissions`).
fn check_identifiers(query: &Query) -> Result<(), QueryError> {
    let mut names = BTreeSet::new();
    query.for_each_path(&mut |path| {
        names.insert(path.to_string());
    });
    // Sorted case-insensitively, a name that another begins (ignoring case) sits just before the names it begins,
    // so each name needs comparing only with the names that follow it while they still share its prefix.
    let mut folded: Vec<(String, &str)> = names.iter().map(|n| (n.to_ascii_lowercase(), n.as_str())).collect();
    folded.sort();
    for (i, (lower, name)) in folded.iter().enumerate() {
        for (other_lower, other) in &folded[i + 1..] {
            if !other_lower.starts_with(lower.as_str()) {
                break;
            }
            if !other.starts_with(name) {
                return Err(QueryError::new(format!(
                    "Mismatched identifiers: '{name}' and '{other}' differ only in case"
                )));
            }
        }
    }
    Ok(())
}

impl Query {
    /// Whether the query aggregates (an aggregate function anywhere, or GROUP BY).
    pub fn is_aggregate(&self) -> bool {
        !self.group_by.is_empty()
            || self.select.iter().any(|item| matches!(item, SelectItem::Aggregate(_)))
            || self.order_by.iter().any(|term| matches!(term.key, OrderKey::Aggregate(_)))
    }

    /// Calls `visit` with every property path the query names.
    pub fn for_each_path(&self, visit: &mut dyn FnMut(&Path)) {
        for item in &self.select {
            match item {
                SelectItem::Property(path) => visit(path),
                SelectItem::Aggregate(aggregate) => aggregate.argument.iter().for_each(&mut *visit),
                SelectItem::All => {}
            }
        }
        if let Some(condition) = &self.condition {
            condition.for_each_path(visit);
        }
        self.group_by.iter().for_each(&mut *visit);
        for term in &self.order_by {
            match &term.key {
                OrderKey::Property(path) => visit(path),
                OrderKey::Aggregate(aggregate) => aggregate.argument.iter().for_each(&mut *visit),
            }
        }
    }
}

impl Condition {
    /// Calls `visit` with every property path of the condition.
    pub fn for_each_path(&self, visit: &mut dyn FnMut(&Path)) {
        match self {
            Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|part| part.for_each_path(visit)),
            Condition::Not(inner) => inner.for_each_path(visit),
            Condition::Compare { path, .. }
            | Condition::In { path, .. }
            | Condition::Between { path, .. }
            | Condition::Like { path, .. } => visit(path),
        }
    }
}
