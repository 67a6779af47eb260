//! ORDER BY: sort keys and how rows compare. A key is a scalar; values of different kinds order booleans, then
//! numbers, then strings. A property with several values (a path through an array) sorts by its least value going
//! up and its greatest going down; a row without the property sorts last either way. Sorting is stable, so equal
//! rows keep the order they had.

use std::cmp::Ordering;

use serde_json::Value;

/// A row's sort key: one value (or none) per ORDER BY term.
pub type SortKey = Vec<Option<SortValue>>;

/// One sortable value.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Bool(bool),
    Number(f64),
    Str(String),
}

impl SortValue {
    /// The key of a scalar value; `None` for null, arrays and objects.
    pub fn of(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(SortValue::Bool(*b)),
            Value::Number(n) => n.as_f64().map(SortValue::Number),
            Value::String(s) => Some(SortValue::Str(s.clone())),
            Value::Null | Value::Array(_) | Value::Object(_) => None,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            SortValue::Bool(_) => 0,
            SortValue::Number(_) => 1,
            SortValue::Str(_) => 2,
        }
    }

    pub fn ordering(&self, other: &Self) -> Ordering {
        match (self, other) {
            (SortValue::Bool(a), SortValue::Bool(b)) => a.cmp(b),
            (SortValue::Number(a), SortValue::Number(b)) => a.total_cmp(b),
            (SortValue::Str(a), SortValue::Str(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// Keeps the least (ascending) or greatest (descending) of the values offered.
pub fn pick(current: &mut Option<SortValue>, candidate: &Value, descending: bool) {
    let Some(candidate) = SortValue::of(candidate) else { return };
    let better = match current {
        None => true,
        Some(held) => {
            let ordering = candidate.ordering(held);
            if descending { ordering == Ordering::Greater } else { ordering == Ordering::Less }
        }
    };
    if better {
        *current = Some(candidate);
    }
}

/// How two rows' keys order, term by term; `descending[i]` is term i's direction.
pub fn compare(a: &[Option<SortValue>], b: &[Option<SortValue>], descending: &[bool]) -> Ordering {
    for ((a, b), descending) in a.iter().zip(b).zip(descending) {
        let ordering = match (a, b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(a), Some(b)) if *descending => b.ordering(a),
            (Some(a), Some(b)) => a.ordering(b),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_keys_sort_last_both_ways() {
        let one = [Some(SortValue::Number(1.0))];
        let none = [None];
        assert_eq!(compare(&one, &none, &[false]), Ordering::Less);
        assert_eq!(compare(&one, &none, &[true]), Ordering::Less);
        assert_eq!(compare(&none, &none, &[true]), Ordering::Equal);
    }

    #[test]
    fn arrays_sort_by_their_least_or_greatest_value() {
        let mut up = None;
        let mut down = None;
        for v in [json!(3), json!(1), json!(2), json!(null)] {
            pick(&mut up, &v, false);
            pick(&mut down, &v, true);
        }
        assert_eq!(up, Some(SortValue::Number(1.0)));
        assert_eq!(down, Some(SortValue::Number(3.0)));
    }

    #[test]
    fn kinds_order_booleans_numbers_strings() {
        let (b, n, s) = (SortValue::Bool(true), SortValue::Number(-5.0), SortValue::Str("a".into()));
        assert_eq!(b.ordering(&n), Ordering::Less);
        assert_eq!(n.ordering(&s), Ordering::Less);
        assert_eq!(s.ordering(&b), Ordering::Greater);
    }
}
