//! Running a query over configuration items: the items that advanced query can see (not deleted, recorded), those
//! the condition accepts, then either one reduced row per item, sorted by ORDER BY when there is one, or the
//! aggregate rows. Work is linear in the items (plus the sort).

use serde_json::Value;

use crate::QueryError;
use crate::aggregate;
use crate::ast::{OrderKey, Query, STAR_PROPERTIES, SelectItem};
use crate::filter::Filter;
use crate::order::{self, SortKey};
use crate::path;
use crate::project::Projection;

/// `configurationItemStatus` values of items advanced query does not return: deleted resources and resources the
/// recorder does not record.
const HIDDEN_STATUSES: [&str; 3] = ["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"];

impl Query {
    /// `QueryInfo.SelectFields`: each selected property as written, each aggregate as `COUNT(*)` or
    /// `SUM(configuration.size)`, and `*` as the properties it stands for.
    pub fn select_fields(&self) -> Vec<String> {
        let mut fields = Vec::new();
        for item in &self.select {
            match item {
                SelectItem::All => fields.extend(STAR_PROPERTIES.iter().map(|name| (*name).to_owned())),
                SelectItem::Property(path) => fields.push(path.to_string()),
                SelectItem::Aggregate(aggregate) => fields.push(aggregate.name()),
            }
        }
        fields
    }

    /// Every result row, as AWS returns each (one JSON document per row of `Results`): for a plain query the item
    /// reduced to the selected properties, nested as in the item (`{"resourceId":"i-1","configuration":
    /// {"instanceType":"t2.micro"}}`); for an aggregate query the grouped values, nested the same way, and each
    /// aggregate by its name (`{"resourceType":"AWS::EC2::Instance","COUNT(*)":2}`). Items whose
    /// `configurationItemStatus` is `ResourceDeleted`, `ResourceDeletedNotRecorded` or `ResourceNotRecorded` are
    /// skipped, as advanced query does not query them.
    pub fn evaluate<'a>(&self, items: impl IntoIterator<Item = &'a Value>) -> Result<Vec<Value>, QueryError> {
        let filter = self.condition.as_ref().map(Filter::new);
        let visible = items
            .into_iter()
            .filter(|item| !is_hidden(item))
            .filter(|item| filter.as_ref().is_none_or(|filter| filter.matches(item)));
        if self.is_aggregate() {
            return aggregate::rows(self, visible);
        }
        let projection = Projection::new(&self.select);
        if self.order_by.is_empty() {
            return Ok(visible.map(|item| projection.row(item)).collect());
        }
        let descending: Vec<bool> = self.order_by.iter().map(|term| term.descending).collect();
        let mut keyed: Vec<(SortKey, Value)> =
            visible.map(|item| (self.sort_keys(item), projection.row(item))).collect();
        keyed.sort_by(|(a, _), (b, _)| order::compare(a, b, &descending));
        Ok(keyed.into_iter().map(|(_, row)| row).collect())
    }

    /// An item's ORDER BY keys (a plain query sorts only by properties).
    fn sort_keys(&self, item: &Value) -> SortKey {
        self.order_by
            .iter()
            .map(|term| match &term.key {
                OrderKey::Property(path) => {
                    let mut key = None;
                    path::for_each(item, path, &mut |value| order::pick(&mut key, value, term.descending));
                    key
                }
                OrderKey::Aggregate(_) => None,
            })
            .collect()
    }
}

fn is_hidden(item: &Value) -> bool {
    item.get("configurationItemStatus").and_then(Value::as_str).is_some_and(|status| HIDDEN_STATUSES.contains(&status))
}
