//! What a match extracts ([`Extracted`]), for `TestMetricFilter`'s `extractedValues` and for metric filters'
//! values and dimensions:
//! * space-delimited patterns extract every field of the event: `$name` for a field the pattern names, `$n` (its
//!   position, from 1) for one under the `...`, one whose name is empty, or any field of `[]`, as AWS's examples
//!   show (`{"$size": "1534", "$6": "200", ...}` for `[..., size]`);
//! * JSON patterns extract the properties their conditions name, keyed by selector (`$.latency`), when they are
//!   strings, numbers or booleans (not through wildcard selectors); a metric filter can read any other property of
//!   the event too;
//! * terms and regular expressions extract nothing (`{}` in AWS's examples).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ast::JsonPattern;
use crate::number::parse_number;
use crate::selector::Selector;

/// What one matched event gave. It borrows the pattern and the message.
#[derive(Debug, Clone)]
pub struct Extracted<'a> {
    source: Source<'a>,
}

#[derive(Debug, Clone)]
enum Source<'a> {
    Nothing,
    Json { event: Value, pattern: &'a JsonPattern },
    Fields(Vec<(FieldKey<'a>, &'a str)>),
}

/// How an extracted field is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey<'a> {
    /// By the name the pattern gives it.
    Name(&'a str),
    /// By its position in the event, from 1.
    Position(usize),
}

impl<'a> Extracted<'a> {
    pub(crate) fn nothing() -> Self {
        Extracted { source: Source::Nothing }
    }

    pub(crate) fn json(event: Value, pattern: &'a JsonPattern) -> Self {
        Extracted { source: Source::Json { event, pattern } }
    }

    pub(crate) fn from_fields(fields: Vec<(FieldKey<'a>, &'a str)>) -> Self {
        Extracted { source: Source::Fields(fields) }
    }

    /// `TestMetricFilter`'s `extractedValues`: `$name` or `$n` to field text, or `$.selector` to the text of the
    /// property (a string as it is, a number or boolean as JSON prints it).
    pub fn values(&self) -> BTreeMap<String, String> {
        let mut values = BTreeMap::new();
        match &self.source {
            Source::Nothing => {}
            Source::Fields(fields) => {
                for (key, text) in fields {
                    let key = match key {
                        FieldKey::Name(name) => format!("${name}"),
                        FieldKey::Position(position) => format!("${position}"),
                    };
                    values.insert(key, (*text).to_owned());
                }
            }
            Source::Json { event, pattern } => {
                pattern.expr().each(&mut |condition| {
                    // A wildcard selector reaches many values, and which one matched is not kept: none is shown.
                    if condition.path().wildcards() > 0 {
                        return;
                    }
                    if let Some(text) = condition.path().first(event).and_then(scalar_text) {
                        values.entry(condition.path().to_string()).or_insert(text);
                    }
                });
            }
        }
        values
    }

    /// The fields of a space-delimited match, in the event's order (empty for the other forms).
    pub fn fields(&self) -> &[(FieldKey<'a>, &'a str)] {
        match &self.source {
            Source::Fields(fields) => fields,
            Source::Nothing | Source::Json { .. } => &[],
        }
    }

    /// The parsed event of a JSON match.
    pub fn event(&self) -> Option<&Value> {
        match &self.source {
            Source::Json { event, .. } => Some(event),
            Source::Nothing | Source::Fields(_) => None,
        }
    }

    /// The text `selector` picks from this match, for a dimension value: the number itself, a JSON property that
    /// is a string, number or boolean (any property of the event), or a field (by name; `$n` by position when no
    /// field has that name). None when the match has no such value.
    pub fn value(&self, selector: &Selector) -> Option<String> {
        match (selector, &self.source) {
            (Selector::Number(number), _) => Some(number.text().to_owned()),
            (Selector::Json(path), Source::Json { event, .. }) => path.first(event).and_then(scalar_text),
            (Selector::Field(name), Source::Fields(fields)) => self.field(name, fields).map(str::to_owned),
            _ => None,
        }
    }

    /// The number `selector` picks from this match, for a metric value: the number itself, a JSON number (or a
    /// string in the number grammar), or a field in the number grammar. None when there is no such number.
    pub fn number(&self, selector: &Selector) -> Option<f64> {
        match (selector, &self.source) {
            (Selector::Number(number), _) => Some(number.value()),
            (Selector::Json(path), Source::Json { event, .. }) => match path.first(event)? {
                Value::Number(number) => number.as_f64(),
                Value::String(text) => parse_number(text),
                _ => None,
            },
            (Selector::Field(name), Source::Fields(fields)) => parse_number(self.field(name, fields)?),
            _ => None,
        }
    }

    fn field(&self, name: &str, fields: &[(FieldKey<'a>, &'a str)]) -> Option<&'a str> {
        let by_name = fields.iter().rev().find(|(key, _)| *key == FieldKey::Name(name));
        let by_position = || Selector::position(name).and_then(|position| fields.get(position - 1));
        by_name.or_else(by_position).map(|(_, text)| *text)
    }
}

/// The text of a string, number or boolean.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}
