//! awsQuery form bodies → nested JSON: `MetricData.member.1.Dimensions.member.2.Name=x` becomes
//! `{"MetricData":[{"Dimensions":[{..}, {"Name":"x"}]}]}` and `Attributes.entry.1.key=k&Attributes.entry.1.value=v`
//! becomes `{"Attributes":{"k":"v"}}`. Values stay strings: handlers coerce numbers, booleans and timestamps
//! using the operation's shape.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::decode::DecodeError;

/// The largest list index accepted (`member.1000`); larger ones are rejected rather than allocated.
pub const MAX_LIST_INDEX: usize = 1000;
/// The most dotted steps a key may have.
pub const MAX_KEY_DEPTH: usize = 32;

enum Step<'a> {
    Key(&'a str),
    Index { index: usize, entry: bool },
}

enum Node {
    Leaf(String),
    Object(BTreeMap<String, Node>),
    List { entry: bool, items: BTreeMap<usize, Node> },
}

impl Node {
    fn for_next(next: Option<&Step<'_>>) -> Node {
        match next {
            None => Node::Leaf(String::new()),
            Some(Step::Key(_)) => Node::Object(BTreeMap::new()),
            Some(Step::Index { entry, .. }) => Node::List { entry: *entry, items: BTreeMap::new() },
        }
    }
}

/// Decodes an `application/x-www-form-urlencoded` awsQuery body. `Action` and `Version` are dropped; list
/// indices are 1-based and gaps are closed up in index order.
pub fn decode_query(body: &[u8]) -> Result<Value, DecodeError> {
    let mut root: BTreeMap<String, Node> = BTreeMap::new();
    for (key, value) in super::form_pairs::pairs(body) {
        if key == "Action" || key == "Version" {
            continue;
        }
        let steps = parse_key(&key)?;
        let Some((Step::Key(first), rest)) = steps.split_first() else {
            return Err(malformed(&key, "a key must start with a name"));
        };
        let child = root.entry((*first).to_string()).or_insert_with(|| Node::for_next(rest.first()));
        insert(child, rest, value.into_owned(), &key)?;
    }
    Ok(Value::Object(root.into_iter().map(|(k, v)| (k, to_value(v))).collect()))
}

fn malformed(key: &str, reason: &str) -> DecodeError {
    DecodeError::InvalidQueryKey { key: key.to_string(), reason: reason.to_string() }
}

fn parse_key(key: &str) -> Result<Vec<Step<'_>>, DecodeError> {
    let segments: Vec<&str> = key.split('.').collect();
    let mut steps = Vec::with_capacity(segments.len());
    let mut i = 0;
    while let Some(&segment) = segments.get(i) {
        if segment.is_empty() {
            return Err(malformed(key, "empty segment"));
        }
        let next_is_index = segments.get(i + 1).is_some_and(|s| is_index(s));
        if (segment == "member" || segment == "entry") && next_is_index {
            let index = parse_index(key, segments.get(i + 1).copied().unwrap_or_default())?;
            steps.push(Step::Index { index, entry: segment == "entry" });
            i += 2;
        } else if is_index(segment) {
            steps.push(Step::Index { index: parse_index(key, segment)?, entry: false });
            i += 1;
        } else {
            steps.push(Step::Key(segment));
            i += 1;
        }
        if steps.len() > MAX_KEY_DEPTH {
            return Err(malformed(key, "too deeply nested"));
        }
    }
    Ok(steps)
}

fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

fn parse_index(key: &str, segment: &str) -> Result<usize, DecodeError> {
    match segment.parse::<usize>() {
        Ok(index) if (1..=MAX_LIST_INDEX).contains(&index) => Ok(index),
        _ => Err(DecodeError::IndexOutOfRange { key: key.to_string(), max: MAX_LIST_INDEX }),
    }
}

fn insert(node: &mut Node, steps: &[Step<'_>], value: String, key: &str) -> Result<(), DecodeError> {
    let conflict = || DecodeError::ConflictingQueryKey(key.to_string());
    let Some((step, rest)) = steps.split_first() else {
        return match node {
            Node::Leaf(old) => {
                *old = value;
                Ok(())
            }
            _ => Err(conflict()),
        };
    };
    let child = match (node, step) {
        (Node::Object(fields), Step::Key(name)) => {
            fields.entry((*name).to_string()).or_insert_with(|| Node::for_next(rest.first()))
        }
        (Node::List { entry, items }, Step::Index { index, entry: step_entry }) if *entry == *step_entry => {
            items.entry(*index).or_insert_with(|| Node::for_next(rest.first()))
        }
        _ => return Err(conflict()),
    };
    insert(child, rest, value, key)
}

fn to_value(node: Node) -> Value {
    match node {
        Node::Leaf(s) => Value::String(s),
        Node::Object(fields) => Value::Object(fields.into_iter().map(|(k, v)| (k, to_value(v))).collect()),
        Node::List { entry: false, items } => Value::Array(items.into_values().map(to_value).collect()),
        Node::List { entry: true, items } => {
            let entries: Vec<Value> = items.into_values().map(to_value).collect();
            entries_to_map(&entries).map_or(Value::Array(entries), Value::Object)
        }
    }
}

/// `[{key|Name: k, value|Value: v}, ..]` → `{k: v, ..}`; `None` when an entry has another shape.
fn entries_to_map(entries: &[Value]) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for entry in entries {
        let fields = entry.as_object()?;
        if fields.len() != 2 {
            return None;
        }
        let key = fields.get("key").or_else(|| fields.get("Name"))?.as_str()?;
        let value = fields.get("value").or_else(|| fields.get("Value"))?;
        map.insert(key.to_string(), value.clone());
    }
    Some(map)
}
