//! An event as patterns see it: its leaves (every string, number, boolean and `null`) under the dotted path of
//! their keys, each with the array elements it sits in, so that fields of one pattern are never matched in
//! different elements of one array. Read in one pass of a borrowing JSON parser; numbers keep their text.

use std::collections::HashMap;

use jiter::{Jiter, Peek};

use crate::number::comparable;
use crate::{EventError, MAX_DEPTH, MAX_EVENT_BYTES};

/// A leaf's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A string, unescaped.
    Str(String),
    /// A number: its text as written, and its value if a double holds it exactly ([`crate::number`]).
    Num {
        /// The number as the event wrote it.
        text: String,
        /// Its value, when it is exactly a double.
        value: Option<f64>,
    },
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// One leaf of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// The leaf's value.
    pub value: Scalar,
    /// The array elements the leaf sits in, as (array, element index), outermost first.
    membership: Vec<(u32, u32)>,
}

impl Leaf {
    /// Whether two leaves could come from one element of every array they share.
    pub(crate) fn consistent_with(&self, other: &Leaf) -> bool {
        self.membership.iter().all(|(array, index)| other.membership.iter().all(|(a, i)| a != array || i == index))
    }
}

/// An event's leaves, grouped by path.
#[derive(Debug, Default, Clone)]
pub struct Event {
    paths: HashMap<String, Vec<Leaf>>,
}

impl Event {
    /// Reads an event's JSON text: an object, at most [`MAX_EVENT_BYTES`] and [`MAX_DEPTH`] deep. Nothing may
    /// follow the object but white space.
    pub fn parse(text: &str) -> Result<Event, EventError> {
        Event::parse_keeping(text, |_| true)
    }

    /// Reads an event keeping only the leaves whose path `keep` accepts (a rule set keeps the paths its patterns
    /// name; a path's prefixes are asked too, so a subtree no pattern names is skipped whole).
    pub fn parse_keeping(text: &str, keep: impl Fn(&str) -> bool) -> Result<Event, EventError> {
        if text.len() > MAX_EVENT_BYTES {
            return Err(EventError::TooLarge);
        }
        let mut jiter = Jiter::new(text.as_bytes());
        let peek = jiter.peek().map_err(|e| EventError::NotJson(e.description(&jiter)))?;
        if peek != Peek::Object {
            // Still refuse what is not JSON at all before calling it a non-object.
            jiter.known_skip(peek).map_err(|e| EventError::NotJson(e.description(&jiter)))?;
            return Err(EventError::NotObject);
        }
        let mut reader = Reader {
            jiter,
            keep: &keep,
            event: Event::default(),
            path: String::new(),
            arrays: 0,
            membership: Vec::new(),
        };
        reader.object(0)?;
        reader.jiter.finish().map_err(|e| EventError::NotJson(e.description(&reader.jiter)))?;
        Ok(reader.event)
    }

    /// The leaves at `path` (dotted), in the event's order.
    pub fn leaves(&self, path: &str) -> &[Leaf] {
        self.paths.get(path).map_or(&[], Vec::as_slice)
    }

    /// Whether the event has no leaf at all.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Every path with at least one leaf.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.keys().map(String::as_str)
    }
}

struct Reader<'j, K> {
    jiter: Jiter<'j>,
    keep: &'j K,
    event: Event,
    path: String,
    arrays: u32,
    membership: Vec<(u32, u32)>,
}

impl<K: Fn(&str) -> bool> Reader<'_, K> {
    fn json_error(&self, error: jiter::JiterError) -> EventError {
        EventError::NotJson(error.description(&self.jiter))
    }

    /// The object whose `{` is next.
    fn object(&mut self, depth: usize) -> Result<(), EventError> {
        if depth >= MAX_DEPTH {
            return Err(EventError::TooDeep);
        }
        let first = self.jiter.known_object().map(|k| k.map(str::to_owned));
        let mut key = first.map_err(|e| self.json_error(e))?;
        while let Some(name) = key {
            let outer = self.path.len();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(&name);
            let peek = self.jiter.peek().map_err(|e| self.json_error(e))?;
            if (self.keep)(&self.path) {
                self.value(peek, depth + 1)?;
            } else {
                self.jiter.known_skip(peek).map_err(|e| self.json_error(e))?;
            }
            self.path.truncate(outer);
            let next = self.jiter.next_key().map(|k| k.map(str::to_owned));
            key = next.map_err(|e| self.json_error(e))?;
        }
        Ok(())
    }

    fn value(&mut self, peek: Peek, depth: usize) -> Result<(), EventError> {
        let value = match peek {
            Peek::Object => return self.object(depth),
            Peek::Array => return self.array(depth),
            Peek::Null => {
                self.jiter.known_null().map_err(|e| self.json_error(e))?;
                Scalar::Null
            }
            Peek::True | Peek::False => Scalar::Bool(self.jiter.known_bool(peek).map_err(|e| self.json_error(e))?),
            Peek::String => {
                let text = self.jiter.known_str().map(str::to_owned);
                Scalar::Str(text.map_err(|e| self.json_error(e))?)
            }
            _ => {
                let bytes = self.jiter.known_number_bytes(peek).map(|b| String::from_utf8_lossy(b).into_owned());
                let text = bytes.map_err(|e| self.json_error(e))?;
                Scalar::Num { value: comparable(&text), text }
            }
        };
        let leaf = Leaf { value, membership: self.membership.clone() };
        match self.event.paths.get_mut(self.path.as_str()) {
            Some(leaves) => leaves.push(leaf),
            None => {
                self.event.paths.insert(self.path.clone(), vec![leaf]);
            }
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<(), EventError> {
        if depth >= MAX_DEPTH {
            return Err(EventError::TooDeep);
        }
        let id = self.arrays;
        self.arrays += 1;
        let mut index = 0;
        let mut next = self.jiter.known_array().map_err(|e| self.json_error(e))?;
        while let Some(peek) = next {
            self.membership.push((id, index));
            self.value(peek, depth + 1)?;
            self.membership.pop();
            index += 1;
            next = self.jiter.array_step().map_err(|e| self.json_error(e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Event, Scalar};

    #[test]
    fn leaves_are_grouped_by_dotted_path_and_arrays_are_transparent() {
        let event = Event::parse(r#"{"a":{"b":[1,"x",[null,true]]},"a.b":"dotted","e":[],"o":{},"n":2.50}"#).unwrap();
        let values: Vec<&Scalar> = event.leaves("a.b").iter().map(|l| &l.value).collect();
        assert_eq!(values.len(), 5);
        assert_eq!(values[1], &Scalar::Str("x".into()));
        assert_eq!(values[4], &Scalar::Str("dotted".into()));
        assert!(event.leaves("e").is_empty() && event.leaves("o").is_empty() && event.leaves("a").is_empty());
        assert_eq!(event.leaves("n")[0].value, Scalar::Num { text: "2.50".into(), value: Some(2.5) });
    }

    #[test]
    fn leaves_of_different_elements_are_inconsistent() {
        let event = Event::parse(r#"{"e":[{"f":"John","l":"Doe"},{"f":"Anna","l":"Smith"}]}"#).unwrap();
        let (f, l) = (event.leaves("e.f"), event.leaves("e.l"));
        assert!(f[0].consistent_with(&l[0]) && f[1].consistent_with(&l[1]));
        assert!(!f[1].consistent_with(&l[0]));
    }

    #[test]
    fn duplicate_keys_keep_every_value_and_bad_json_is_refused() {
        assert_eq!(Event::parse(r#"{"a":"x","a":"y"}"#).unwrap().leaves("a").len(), 2);
        assert!(Event::parse("[1]").is_err() && Event::parse("{").is_err() && Event::parse(r#"{"a":1} x"#).is_err());
        assert!(Event::parse(&format!("{{\"a\":{}1{}}}", "[".repeat(200), "]".repeat(200))).is_err());
    }
}
