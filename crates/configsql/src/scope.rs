//! Which resource types a query's condition can match, so that the caller reads only those items: `resourceType =`
//! and `resourceType IN` name them, `AND` keeps the types both sides allow, `OR` those of either (when both sides
//! name some). Anything else (`NOT`, `LIKE`, other properties alone) may match any type.

use std::collections::BTreeSet;

use crate::ast::{CompareOp, Condition, Literal, Query};

impl Query {
    /// The resource types the condition can match, sorted; `None` when it may match any type. `Some` of an empty
    /// list means that no item can match.
    pub fn resource_types(&self) -> Option<Vec<String>> {
        self.condition.as_ref().and_then(types).map(|set| set.into_iter().collect())
    }
}

fn types(condition: &Condition) -> Option<BTreeSet<String>> {
    match condition {
        Condition::Compare { path, op: CompareOp::Eq, value: Literal::Str(value) } if path.is("resourceType") => {
            Some(BTreeSet::from([value.clone()]))
        }
        Condition::In { path, negated: false, values } if path.is("resourceType") => Some(
            values
                .iter()
                .filter_map(|value| match value {
                    Literal::Str(value) => Some(value.clone()),
                    _ => None,
                })
                .collect(),
        ),
        Condition::And(parts) => parts.iter().filter_map(types).reduce(|a, b| a.intersection(&b).cloned().collect()),
        Condition::Or(parts) => parts.iter().map(types).try_fold(BTreeSet::new(), |mut all, part| {
            all.extend(part?);
            Some(all)
        }),
        _ => None,
    }
}
