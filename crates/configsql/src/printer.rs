//! Prints a query back as text that parses to the same tree: keywords in capitals, single spaces, strings in
//! single quotes with `''` for a quote, numbers as written, and parentheses only around an `OR` inside an `AND` or a
//! `NOT`, and around an `AND` inside a `NOT`.

use std::fmt;

use crate::ast::{Condition, Literal, OrderKey, OrderTerm, Query, SelectItem};

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SELECT ")?;
        list(f, &self.select)?;
        if let Some(condition) = &self.condition {
            write!(f, " WHERE {condition}")?;
        }
        if !self.group_by.is_empty() {
            f.write_str(" GROUP BY ")?;
            list(f, &self.group_by)?;
        }
        if !self.order_by.is_empty() {
            f.write_str(" ORDER BY ")?;
            list(f, &self.order_by)?;
        }
        Ok(())
    }
}

fn list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for SelectItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectItem::All => f.write_str("*"),
            SelectItem::Property(path) => write!(f, "{path}"),
            SelectItem::Aggregate(aggregate) => f.write_str(&aggregate.name()),
        }
    }
}

impl fmt::Display for OrderTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            OrderKey::Property(path) => write!(f, "{path}")?,
            OrderKey::Aggregate(aggregate) => f.write_str(&aggregate.name())?,
        }
        if self.descending { f.write_str(" DESC") } else { Ok(()) }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Str(text) => write!(f, "'{}'", text.replace('\'', "''")),
            Literal::Number { text, .. } => f.write_str(text),
            Literal::Bool(true) => f.write_str("TRUE"),
            Literal::Bool(false) => f.write_str("FALSE"),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not = |negated: bool| if negated { "NOT " } else { "" };
        match self {
            Condition::And(parts) => joined(f, parts, " AND ", |part| matches!(part, Condition::Or(_))),
            Condition::Or(parts) => joined(f, parts, " OR ", |_| false),
            Condition::Not(inner) => match **inner {
                Condition::And(_) | Condition::Or(_) => write!(f, "NOT ({inner})"),
                _ => write!(f, "NOT {inner}"),
            },
            Condition::Compare { path, op, value } => write!(f, "{path} {} {value}", op.symbol()),
            Condition::In { path, negated, values } => {
                write!(f, "{path} {}IN (", not(*negated))?;
                list(f, values)?;
                f.write_str(")")
            }
            Condition::Between { path, negated, low, high } => {
                write!(f, "{path} {}BETWEEN {low} AND {high}", not(*negated))
            }
            Condition::Like { path, negated, pattern } => {
                write!(f, "{path} {}LIKE {}", not(*negated), Literal::Str(pattern.clone()))
            }
        }
    }
}

fn joined(
    f: &mut fmt::Formatter<'_>,
    parts: &[Condition],
    separator: &str,
    parens: fn(&Condition) -> bool,
) -> fmt::Result {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        if parens(part) { write!(f, "({part})")? } else { write!(f, "{part}")? }
    }
    Ok(())
}
