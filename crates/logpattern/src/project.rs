//! The parts of a JSON event a pattern reads, so that matching parses only those: a tree of the properties and
//! array elements the pattern's selectors name, built once from the pattern. Deserializing an event through it
//! keeps those values (whole values below a wildcard step), skips everything else without allocating (still
//! checking that it is JSON, with serde_json's nesting limit), and leaves the kept values where the selectors find
//! them: an array keeps its elements up to the last index read, with `null` in the positions nobody reads; an
//! object or array that is only tested (not descended into) comes out empty, which is all a test needs of it.
//!
//! [`crate::FilterPattern::evaluate`] does not use this: what a match extracts may name any property.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::path::{JsonPath, Segment};

/// What to keep of a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Projection {
    /// Keep the value whole (below a wildcard step).
    whole: bool,
    /// The properties to keep, if it is an object.
    keys: Vec<(String, Projection)>,
    /// The elements to keep, if it is an array.
    indexes: Vec<(usize, Projection)>,
}

impl Projection {
    /// Adds what `path` reads.
    pub(crate) fn add(&mut self, path: &JsonPath) {
        let mut node = self;
        for segment in path.segments() {
            if node.whole {
                return;
            }
            node = match segment {
                Segment::Key(key) => {
                    let at = match node.keys.iter().position(|(k, _)| k == key) {
                        Some(at) => at,
                        None => {
                            node.keys.push((key.clone(), Projection::default()));
                            node.keys.len() - 1
                        }
                    };
                    &mut node.keys[at].1
                }
                Segment::Index(index) => {
                    let at = match node.indexes.iter().position(|(i, _)| i == index) {
                        Some(at) => at,
                        None => {
                            node.indexes.push((*index, Projection::default()));
                            node.indexes.len() - 1
                        }
                    };
                    &mut node.indexes[at].1
                }
                Segment::AnyElement | Segment::AnyField => {
                    node.whole = true;
                    node.keys.clear();
                    node.indexes.clear();
                    return;
                }
            };
        }
    }

    /// The event `message` holds, reduced to this projection; None unless it is a JSON object.
    pub(crate) fn event(&self, message: &str) -> Option<Value> {
        if message.trim_start().as_bytes().first() != Some(&b'{') {
            return None;
        }
        let mut deserializer = serde_json::Deserializer::from_str(message);
        let value = self.deserialize(&mut deserializer).ok()?;
        deserializer.end().ok()?;
        value.is_object().then_some(value)
    }

    fn key(&self, key: &str) -> Option<&Projection> {
        self.keys.iter().find(|(k, _)| k == key).map(|(_, node)| node)
    }

    fn index(&self, index: usize) -> Option<&Projection> {
        self.indexes.iter().find(|(i, _)| *i == index).map(|(_, node)| node)
    }
}

impl<'de> DeserializeSeed<'de> for &Projection {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.whole {
            return serde::Deserialize::deserialize(deserializer);
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for &Projection {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let last = self.indexes.iter().map(|(index, _)| *index).max();
        let mut items = Vec::new();
        if let Some(last) = last {
            for index in 0..=last {
                let item = match self.index(index) {
                    Some(node) => seq.next_element_seed(node)?,
                    None => seq.next_element::<Skip>()?.map(|_| Value::Null),
                };
                match item {
                    Some(item) => items.push(item),
                    None => return Ok(Value::Array(items)),
                }
            }
        }
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(kept) = map.next_key_seed(KeySeed(self))? {
            match kept {
                Some((key, node)) => {
                    let value = map.next_value_seed(node)?;
                    object.insert(key, value);
                }
                None => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(Value::Object(object))
    }
}

/// A value read and dropped, allocating nothing. Unlike serde's `IgnoredAny` (which serde_json skips with a
/// scanner that neither limits nesting nor checks numbers' range), it goes through `deserialize_any`, so that what
/// the projection accepts is exactly the JSON a full parse accepts.
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Skip, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// Reads a property name, and says whether (and how) to keep its value; allocates only for kept names.
struct KeySeed<'p>(&'p Projection);

impl<'de, 'p> DeserializeSeed<'de> for KeySeed<'p> {
    type Value = Option<(String, &'p Projection)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'p> Visitor<'de> for KeySeed<'p> {
    type Value = Option<(String, &'p Projection)>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.key(key).map(|node| (key.to_owned(), node)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn projection(paths: &[&str]) -> Projection {
        let mut projection = Projection::default();
        for text in paths {
            match JsonPath::read(text, 0) {
                Ok((path, _)) => projection.add(&path),
                Err(error) => panic!("{text}: {error:?}"),
            }
        }
        projection
    }

    #[test]
    fn keeps_what_the_selectors_read() {
        let message = r#"{"a": {"b": [1, {"c": "x", "d": [1, 2]}, 3, 4], "e": "skip"}, "f": {"g": 1}, "h": [1, 2], "i": null,
                          "j": {"k": [true, {"l": 1}]}, "f": {"g": 2}}"#;
        let kept = projection(&["$.a.b[1].c", "$.f", "$.i", "$.j[*]", "$.missing", "$.h[5]"]).event(message);
        assert_eq!(
            kept,
            Some(
                json!({"a": {"b": [null, {"c": "x"}]}, "f": {}, "i": null, "j": {"k": [true, {"l": 1}]}, "h": [null, null]})
            )
        );
        assert_eq!(projection(&[]).event(message), Some(json!({})));
        assert_eq!(projection(&["$.n"]).event(r#"{"n": 12.0, "m": 1e400}"#), None, "1e400 is no JSON number here");
        assert_eq!(projection(&["$.n"]).event(r#"{"n": 12.0, "m": 1}"#), Some(json!({"n": 12.0})));
        assert_eq!(projection(&["$.n"]).event(r#"{"n": "\u0041"}"#), Some(json!({"n": "A"})));
    }

    #[test]
    fn refuses_what_is_not_a_json_object() {
        let all = projection(&["$.a"]);
        for message in ["", "a", "[1]", "1", "\"x\"", "{", "{\"a\": 1} x", "{\"a\": [1, }", "{\"a\": 1, \"b\": tru}"] {
            assert_eq!(all.event(message), None, "{message:?}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(all.event(&deep), None, "past serde_json's recursion limit");
        assert_eq!(all.event(" {\"a\": 1} "), Some(json!({"a": 1})));
    }
}
