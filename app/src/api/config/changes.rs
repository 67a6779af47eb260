//! What one configuration item changed, compared with the item before it: the resource discovered (with the
//! configuration it started with), deleted, or updated, with the diff lines of its name, ARN, availability zone,
//! configuration, supplementary configuration, tags and relationships. Pure.

use serde_json::Value;
use skywatch_core::config::model::Item;

use super::diff::{self, Kind};
use super::{ChangeKind, DiffKind, DiffLine};

/// Diff lines one change shows at most.
pub const MAX_LINES: usize = 200;

/// A value as the page shows it: objects and arrays pretty, the rest as JSON.
pub fn display(value: &Value) -> String {
    match value {
        Value::Object(map) if !map.is_empty() => serde_json::to_string_pretty(value).unwrap_or_default(),
        Value::Array(list) if !list.is_empty() => serde_json::to_string_pretty(value).unwrap_or_default(),
        _ => value.to_string(),
    }
}

fn optional(text: &Option<String>) -> Value {
    text.as_ref().map_or(Value::Null, |t| Value::from(t.clone()))
}

fn map<V: Clone + Into<Value>>(entries: &std::collections::BTreeMap<String, V>) -> Value {
    Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect())
}

/// The parts of an item a change can touch, each under its path.
fn parts(item: &Item) -> Vec<(&'static str, Value)> {
    vec![
        ("resourceName", optional(&item.resource_name)),
        ("arn", optional(&item.arn)),
        ("availabilityZone", optional(&item.availability_zone)),
        ("configuration", item.configuration.clone().unwrap_or(Value::Null)),
        ("supplementaryConfiguration", map(&item.supplementary)),
        ("tags", map(&item.tags)),
        ("relationships", serde_json::to_value(&item.relationships).unwrap_or(Value::Null)),
    ]
}

/// The diff lines from `before` to `after`, at most [`MAX_LINES`], and how many more there were.
pub fn lines(before: &Item, after: &Item) -> (Vec<DiffLine>, usize) {
    let mut out = Vec::new();
    let mut more = 0;
    for ((root, old), (_, new)) in parts(before).into_iter().zip(parts(after)) {
        let (found, left_out) = diff::diff(root, &old, &new, MAX_LINES.saturating_sub(out.len()));
        more += left_out;
        out.extend(found.into_iter().map(|d| DiffLine {
            path: d.path,
            kind: match d.kind {
                Kind::Added => DiffKind::Added,
                Kind::Removed => DiffKind::Removed,
                Kind::Changed => DiffKind::Changed,
            },
            before: d.before.as_ref().map(display),
            after: d.after.as_ref().map(display),
        }));
    }
    (out, more)
}

/// What `item` was, given the item before it (`None`: it is the first read; `earlier_unread`: older items exist
/// that the console did not read). Returns the kind, the diff lines and lines left out, and the configuration a
/// discovered resource started with.
pub fn describe(
    item: &Item,
    previous: Option<&Item>,
    earlier_unread: bool,
) -> (ChangeKind, Vec<DiffLine>, usize, Option<String>) {
    if item.status.is_deleted() {
        return (ChangeKind::Deleted, Vec::new(), 0, None);
    }
    match previous {
        // A resource deleted and made again starts over.
        Some(previous) if !previous.status.is_deleted() => {
            let (lines, more) = lines(previous, item);
            (ChangeKind::Updated, lines, more, None)
        }
        None if earlier_unread => (ChangeKind::Unknown, Vec::new(), 0, None),
        _ => (ChangeKind::Discovered, Vec::new(), 0, item.configuration.as_ref().map(display)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use skywatch_core::config::model::{ItemStatus, Relationship};

    use super::*;

    fn item(configuration: Value) -> Item {
        Item {
            version: "1.3".into(),
            account_id: "123456789012".into(),
            aws_region: "us-east-1".into(),
            resource_type: "AWS::EC2::SecurityGroup".into(),
            resource_id: "sg-1".into(),
            resource_name: Some("web".into()),
            arn: None,
            availability_zone: None,
            capture_ms: 1,
            status: ItemStatus::Ok,
            resource_creation_ms: None,
            tags: Default::default(),
            related_events: Vec::new(),
            relationships: Vec::new(),
            configuration: Some(configuration),
            supplementary: Default::default(),
            schema_version_id: Some("1".into()),
        }
    }

    #[test]
    fn an_update_lists_configuration_tags_and_relationships() {
        let before = item(json!({"description": "a", "ipPermissions": []}));
        let mut after = item(json!({"description": "b", "ipPermissions": [{"fromPort": 22}]}));
        after.resource_name = Some("web-2".into());
        after.tags.insert("env".into(), "prod".into());
        after.relationships.push(Relationship {
            resource_type: "AWS::EC2::VPC".into(),
            resource_id: "vpc-1".into(),
            resource_name: None,
            relationship_name: "Is contained in Vpc".into(),
        });
        let (kind, lines, more, snapshot) = describe(&after, Some(&before), false);
        assert_eq!((kind, more, snapshot), (ChangeKind::Updated, 0, None));
        let summary: Vec<(&str, DiffKind)> = lines.iter().map(|l| (l.path.as_str(), l.kind)).collect();
        assert_eq!(
            summary,
            [
                ("resourceName", DiffKind::Changed),
                ("configuration.description", DiffKind::Changed),
                ("configuration.ipPermissions[0]", DiffKind::Added),
                ("tags.env", DiffKind::Added),
                ("relationships[0]", DiffKind::Added),
            ]
        );
        assert_eq!(lines[1].before.as_deref(), Some("\"a\""));
        assert_eq!(lines[1].after.as_deref(), Some("\"b\""));
        assert_eq!(lines[2].after.as_deref(), Some("{\n  \"fromPort\": 22\n}"));
    }

    #[test]
    fn first_deleted_and_unknown_items() {
        let first = item(json!({"a": 1}));
        let (kind, lines, _, snapshot) = describe(&first, None, false);
        assert_eq!(kind, ChangeKind::Discovered);
        assert!(lines.is_empty());
        assert_eq!(snapshot.as_deref(), Some("{\n  \"a\": 1\n}"));
        assert_eq!(describe(&first, None, true).0, ChangeKind::Unknown);
        let mut gone = item(json!(null));
        gone.configuration = None;
        gone.status = ItemStatus::ResourceDeleted;
        assert_eq!(describe(&gone, Some(&first), false).0, ChangeKind::Deleted);
        // Made again after its deletion: discovered anew.
        assert_eq!(describe(&first, Some(&gone), false).0, ChangeKind::Discovered);
    }

    #[test]
    fn lines_are_bounded() {
        let before = item(json!({}));
        let after = item(Value::Object((0..(MAX_LINES + 5)).map(|i| (format!("k{i}"), json!(i))).collect()));
        let (lines, more) = lines(&before, &after);
        assert_eq!(lines.len(), MAX_LINES);
        assert_eq!(more, 5);
    }

    #[test]
    fn values_are_shown_as_json() {
        assert_eq!(display(&json!("a")), "\"a\"");
        assert_eq!(display(&json!({})), "{}");
        assert_eq!(display(&json!([])), "[]");
        assert_eq!(display(&json!([1])), "[\n  1\n]");
    }
}
