//! The result row of a plain query: the item reduced to the selected properties, nested as in the item, e.g.
//! `{"resourceId":"i-1","configuration":{"instanceType":"t2.micro"}}`. Arrays keep their shape with each element
//! reduced (`tags.key` gives `{"tags":[{"key":"env"}]}`); elements, objects and arrays left with nothing selected
//! are dropped, and a selected property the item lacks is absent.

use serde_json::{Map, Value};

use crate::ast::{Path, STAR_PROPERTIES, SelectItem};
use crate::path::derived_tag;

/// How many arrays inside arrays a projection follows.
const MAX_ARRAY_NESTING: usize = 32;

/// The selected paths as a tree of segments.
#[derive(Debug, Default)]
pub struct Projection {
    /// A selected path ends here: the whole value is kept.
    whole: bool,
    children: Vec<(String, Projection)>,
}

impl Projection {
    pub fn new(select: &[SelectItem]) -> Self {
        let mut root = Projection::default();
        for item in select {
            match item {
                SelectItem::All => {
                    for name in STAR_PROPERTIES {
                        root.add(&[name.to_owned()]);
                    }
                }
                SelectItem::Property(path) => root.add(path.segments()),
                SelectItem::Aggregate(_) => {}
            }
        }
        root
    }

    fn add(&mut self, segments: &[String]) {
        let Some((first, rest)) = segments.split_first() else {
            self.whole = true;
            return;
        };
        let index = match self.children.iter().position(|(name, _)| name == first) {
            Some(index) => index,
            None => {
                self.children.push((first.clone(), Projection::default()));
                self.children.len() - 1
            }
        };
        if let Some((_, child)) = self.children.get_mut(index) {
            child.add(rest);
        }
    }

    /// The row for `item`: an object, empty when the item has none of the selected properties.
    pub fn row(&self, item: &Value) -> Value {
        self.reduce(item, 0, Place::Item).unwrap_or_else(|| Value::Object(Map::new()))
    }

    /// `value` reduced to this tree; `None` when nothing selected is in it.
    fn reduce(&self, value: &Value, nesting: usize, place: Place) -> Option<Value> {
        if self.whole {
            return Some(value.clone());
        }
        match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (name, child) in &self.children {
                    let inner = if place == Place::Item && name == "tags" { Place::Tags } else { Place::Inner };
                    let reduced = match map.get(name) {
                        Some(member) => child.reduce(member, nesting, inner),
                        None if place == Place::Tags && name == "tag" && child.whole => derived_tag(map),
                        None => None,
                    };
                    if let Some(reduced) = reduced {
                        out.insert(name.clone(), reduced);
                    }
                }
                (!out.is_empty()).then_some(Value::Object(out))
            }
            Value::Array(elements) if nesting < MAX_ARRAY_NESTING => {
                let kept: Vec<Value> =
                    elements.iter().filter_map(|element| self.reduce(element, nesting + 1, place)).collect();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            _ => None,
        }
    }
}

/// Where a value being reduced sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The configuration item itself.
    Item,
    /// The item's `tags` (or a tag in it): a tag has the derived member `tag`, `key=value`.
    Tags,
    Inner,
}

/// Puts `value` into `row` at `path`, making the objects on the way (a non-object in the way is left alone).
pub fn insert(row: &mut Map<String, Value>, path: &Path, value: Value) {
    let Some((last, parents)) = path.segments().split_last() else { return };
    let mut map = row;
    for segment in parents {
        let entry = map.entry(segment.clone()).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(next) = entry else { return };
        map = next;
    }
    map.insert(last.clone(), value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(select: &[&str], item: &Value) -> Value {
        let select: Vec<SelectItem> = select.iter().map(|s| SelectItem::Property(Path::parse(s).unwrap())).collect();
        Projection::new(&select).row(item)
    }

    #[test]
    fn selected_properties_keep_their_nesting() {
        let item = json!({
            "resourceId": "i-1",
            "resourceName": null,
            "configuration": {"instanceType": "t2.micro", "placement": {"tenancy": "default"}, "imageId": "ami-1"},
            "tags": [{"key": "env", "value": "prod"}, {"key": "team", "value": "web"}]
        });
        assert_eq!(
            row(&["resourceId", "configuration.instanceType", "configuration.placement.tenancy"], &item),
            json!({"resourceId": "i-1", "configuration": {"instanceType": "t2.micro", "placement": {"tenancy": "default"}}})
        );
        assert_eq!(row(&["resourceName", "missing"], &item), json!({"resourceName": null}));
        assert_eq!(row(&["configuration", "configuration.imageId"], &item)["configuration"], item["configuration"]);
        assert_eq!(row(&["tags.key"], &item), json!({"tags": [{"key": "env"}, {"key": "team"}]}));
        assert_eq!(
            row(&["tags.tag", "tags.value"], &item),
            json!({"tags": [{"tag": "env=prod", "value": "prod"}, {"tag": "team=web", "value": "web"}]})
        );
        assert_eq!(row(&["tags"], &item), json!({"tags": item["tags"]}));
        assert_eq!(row(&["configuration.instanceType.x"], &item), json!({}));
    }

    #[test]
    fn arrays_keep_only_elements_with_something_selected() {
        let item = json!({"configuration": {"ipPermissions": [
            {"fromPort": 22, "ipRanges": ["0.0.0.0/0"]},
            {"ipProtocol": "-1"},
            {"fromPort": 443, "ipRanges": []}
        ]}});
        assert_eq!(
            row(&["configuration.ipPermissions.fromPort"], &item),
            json!({"configuration": {"ipPermissions": [{"fromPort": 22}, {"fromPort": 443}]}})
        );
        assert_eq!(
            row(&["configuration.ipPermissions.ipRanges"], &item),
            json!({"configuration": {"ipPermissions": [{"ipRanges": ["0.0.0.0/0"]}, {"ipRanges": []}]}})
        );
    }

    #[test]
    fn insert_nests_by_path() {
        let mut map = Map::new();
        insert(&mut map, &Path::parse("configuration.complianceType").unwrap(), json!("COMPLIANT"));
        insert(&mut map, &Path::parse("configuration.size").unwrap(), json!(3));
        insert(&mut map, &Path::parse("configuration.size.x").unwrap(), json!(4));
        assert_eq!(Value::Object(map), json!({"configuration": {"complianceType": "COMPLIANT", "size": 3}}));
    }
}
