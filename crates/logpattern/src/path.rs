//! JSON property selectors: `$.eventType`, `$.users[0].id`, `$.coordinates[0][1]`, `$.['cluster.name']`,
//! `$.arrayKey[*]`, `$.*`. They start at the root object (`$.`); keys are ASCII letters, digits, `-` and `_`, or any
//! text in brackets and single or double quotes; array indexes follow a property; `[*]` is any element of an array
//! and `.*` any property of an object. Reading one resolves it against a parsed event without copying.

use std::fmt;

use serde_json::Value;

use crate::PatternError;

/// One step of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A property of an object.
    Key(String),
    /// An element of an array, from 0.
    Index(usize),
    /// `[*]`: every element of an array.
    AnyElement,
    /// `.*`: every property of an object.
    AnyField,
}

/// A property selector: the steps from the root object to the value a condition tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

/// Whether `c` may appear in a key written after a dot.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

impl JsonPath {
    /// The steps, from the root.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// How many wildcard steps (`[*]`, `.*`) the selector takes.
    pub fn wildcards(&self) -> usize {
        self.segments.iter().filter(|s| matches!(s, Segment::AnyElement | Segment::AnyField)).count()
    }

    /// Reads the selector that starts at byte `start` of `text` (at its `$`), up to the first character that
    /// cannot continue it; returns the selector and the byte offset after it. A character that cannot follow
    /// where it stands is refused, naming the selector's text up to it, as AWS does (`$."`).
    pub(crate) fn read(text: &str, start: usize) -> Result<(JsonPath, usize), PatternError> {
        let rest = &text[start..];
        // The selector's text up to and including the character at byte `end` (or the last one, past the end).
        let bad = |end: usize| {
            let upto = rest.char_indices().take_while(|&(at, _)| at < end).count();
            let shown: String = rest.chars().take(upto + 1).collect();
            PatternError::invalid_characters(shown)
        };
        if !rest.starts_with("$.") {
            return Err(bad(rest.len().min(1)));
        }
        let mut at = 1;
        let mut segments = Vec::new();
        loop {
            let next = rest[at..].chars().next();
            match next {
                Some('.') => {
                    at += 1;
                    match rest[at..].chars().next() {
                        Some('*') => {
                            segments.push(Segment::AnyField);
                            at += 1;
                        }
                        Some('[') => {
                            let (segment, end) = Self::bracket(rest, at).map_err(bad)?;
                            if !matches!(segment, Segment::Key(_)) {
                                return Err(bad(at + 1));
                            }
                            segments.push(segment);
                            at = end;
                        }
                        Some(c) if is_key_char(c) => {
                            let end = rest[at..].find(|c: char| !is_key_char(c)).map_or(rest.len(), |n| at + n);
                            segments.push(Segment::Key(rest[at..end].to_owned()));
                            at = end;
                        }
                        _ => return Err(bad(at)),
                    }
                }
                Some('[') if !segments.is_empty() => {
                    let (segment, end) = Self::bracket(rest, at).map_err(bad)?;
                    segments.push(segment);
                    at = end;
                }
                _ => break,
            }
        }
        if segments.is_empty() {
            return Err(bad(at));
        }
        Ok((JsonPath { segments }, start + at))
    }

    /// Reads a bracketed step at byte `at` of `text` (its `[`): an index, `*`, or a quoted key. On failure, the
    /// offset of the offending character.
    fn bracket(text: &str, at: usize) -> Result<(Segment, usize), usize> {
        let inner = at + 1;
        let rest = &text[inner..];
        match rest.chars().next() {
            Some('*') if rest[1..].starts_with(']') => Ok((Segment::AnyElement, inner + 2)),
            Some(quote @ ('\'' | '"')) => {
                let body = &rest[1..];
                let close = body.find(quote).ok_or(text.len().saturating_sub(1))?;
                let after = inner + 1 + close + 1;
                if !text[after..].starts_with(']') {
                    return Err(after.min(text.len().saturating_sub(1)));
                }
                Ok((Segment::Key(body[..close].to_owned()), after + 1))
            }
            Some(c) if c.is_ascii_digit() => {
                let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
                let end = inner + digits;
                if !text[end..].starts_with(']') {
                    return Err(end.min(text.len().saturating_sub(1)));
                }
                let index = rest[..digits].parse::<usize>().map_err(|_| inner)?;
                Ok((Segment::Index(index), end + 1))
            }
            _ => Err(inner.min(text.len().saturating_sub(1))),
        }
    }

    /// Calls `visit` on every value the selector reaches in `root`, until `visit` returns true; returns whether it
    /// did. Without wildcards there is at most one such value.
    pub(crate) fn any(&self, root: &Value, visit: &mut dyn FnMut(&Value) -> bool) -> bool {
        walk(root, &self.segments, visit)
    }

    /// The first value the selector reaches in `root`.
    pub(crate) fn first<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        first(root, &self.segments)
    }
}

fn walk(value: &Value, segments: &[Segment], visit: &mut dyn FnMut(&Value) -> bool) -> bool {
    let Some((segment, rest)) = segments.split_first() else {
        return visit(value);
    };
    match (segment, value) {
        (Segment::Key(key), Value::Object(map)) => map.get(key).is_some_and(|child| walk(child, rest, visit)),
        (Segment::Index(index), Value::Array(items)) => items.get(*index).is_some_and(|child| walk(child, rest, visit)),
        (Segment::AnyElement, Value::Array(items)) => items.iter().any(|child| walk(child, rest, visit)),
        (Segment::AnyField, Value::Object(map)) => map.values().any(|child| walk(child, rest, visit)),
        _ => false,
    }
}

fn first<'v>(value: &'v Value, segments: &[Segment]) -> Option<&'v Value> {
    let Some((segment, rest)) = segments.split_first() else {
        return Some(value);
    };
    match (segment, value) {
        (Segment::Key(key), Value::Object(map)) => map.get(key).and_then(|child| first(child, rest)),
        (Segment::Index(index), Value::Array(items)) => items.get(*index).and_then(|child| first(child, rest)),
        (Segment::AnyElement, Value::Array(items)) => items.iter().find_map(|child| first(child, rest)),
        (Segment::AnyField, Value::Object(map)) => map.values().find_map(|child| first(child, rest)),
        _ => None,
    }
}

impl fmt::Display for JsonPath {
    /// `$`, then `.key` for plain keys, `.['key']` (or `.["key"]` when the key holds a `'`) for the others,
    /// `[n]`, `[*]` and `.*`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.segments {
            match segment {
                Segment::Key(key) if !key.is_empty() && key.chars().all(is_key_char) => write!(f, ".{key}")?,
                Segment::Key(key) if key.contains('\'') => write!(f, ".[\"{key}\"]")?,
                Segment::Key(key) => write!(f, ".['{key}']")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::AnyElement => f.write_str("[*]")?,
                Segment::AnyField => f.write_str(".*")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(text: &str) -> Result<(JsonPath, usize), PatternError> {
        JsonPath::read(text, 0)
    }

    fn path(text: &str) -> JsonPath {
        match read(text) {
            Ok((path, end)) if end == text.len() => path,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn reads_and_prints() {
        for text in [
            "$.eventId",
            "$.users[0]",
            "$.users[0].id",
            "$.requestParameters.instanceId",
            "$.coordinates[0][1]",
            "$.['cluster.name']",
            "$.a.['b c'][2]",
            "$.arrayKey[*]",
            "$.*",
            "$.detail-type",
            "$.a.*.b",
            "$.[\"it's\"]",
        ] {
            assert_eq!(path(text).to_string(), text);
        }
        assert_eq!(path("$.[\"plain\"]").to_string(), "$.plain");
        assert_eq!(path("$.a['b']").to_string(), "$.a.b");
        assert_eq!(path("$.a[007]").to_string(), "$.a[7]");
        assert_eq!(read("$.a = 1").map(|(p, end)| (p.to_string(), end)), Ok(("$.a".to_owned(), 3)));
        assert_eq!(read("$.a&&").map(|(_, end)| end), Ok(3));
    }

    #[test]
    fn refusals_name_the_text_up_to_the_bad_character() {
        let refused = |text: &str| read(text).err();
        assert_eq!(refused("$.\"sc-status\""), Some(PatternError::invalid_characters("$.\"")));
        assert_eq!(refused("$[0]"), Some(PatternError::invalid_characters("$[")));
        assert_eq!(refused("$"), Some(PatternError::invalid_characters("$")));
        assert_eq!(refused("$."), Some(PatternError::invalid_characters("$.")));
        assert_eq!(refused("$.a[x]"), Some(PatternError::invalid_characters("$.a[x")));
        assert_eq!(refused("$.a[1"), Some(PatternError::invalid_characters("$.a[1")));
        assert_eq!(refused("$.['a'"), Some(PatternError::invalid_characters("$.['a'")));
        assert_eq!(refused("$.[0]"), Some(PatternError::invalid_characters("$.[0")));
        assert!(refused("$.a[99999999999999999999999]").is_some());
        assert!(refused("$.a[*").is_some());
        // Offsets at the end of a multi-byte character are no slicing points.
        assert_eq!(refused("$.['\u{e9}"), Some(PatternError::invalid_characters("$.['\u{e9}")));
        assert_eq!(refused("$.a[\u{e9}"), Some(PatternError::invalid_characters("$.a[\u{e9}")));
        assert_eq!(refused("$.['a'\u{e9}"), Some(PatternError::invalid_characters("$.['a'\u{e9}")));
        assert_eq!(refused("$.a[1\u{e9}"), Some(PatternError::invalid_characters("$.a[1\u{e9}")));
        assert!(refused("$.@timestamp").is_some());
    }

    #[test]
    fn resolves() {
        let event = json!({"a": {"b": [10, {"c": "x"}]}, "list": [1, 2, 3], "obj": {"p": 1, "q": "two"}});
        let first = |text: &str| path(text).first(&event).cloned();
        assert_eq!(first("$.a.b[0]"), Some(json!(10)));
        assert_eq!(first("$.a.b[1].c"), Some(json!("x")));
        assert_eq!(first("$.a.b[2]"), None);
        assert_eq!(first("$.a.c"), None);
        assert_eq!(first("$.list[*]"), Some(json!(1)));
        assert_eq!(first("$.obj[*]"), None);
        assert_eq!(first("$.obj.*"), Some(json!(1)));
        assert_eq!(first("$.list.*"), None);
        let mut seen = Vec::new();
        assert!(!path("$.list[*]").any(&event, &mut |v| {
            seen.push(v.clone());
            false
        }));
        assert_eq!(seen, vec![json!(1), json!(2), json!(3)]);
        assert!(path("$.obj.*").any(&event, &mut |v| v == &json!("two")));
    }
}
