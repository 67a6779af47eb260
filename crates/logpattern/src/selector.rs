//! Metric value and dimension selectors, as `PutMetricFilter`'s metric transformations write them: a number
//! (`1`, `0.5`), a JSON property of the event (`$.latency`, `$.requestParameters.bytes`; no wildcards), or a
//! space-delimited field named in the pattern (`$bytes`, or by position, `$7`).

use std::fmt;
use std::str::FromStr;

use crate::SelectorError;
use crate::ast::{Field, FilterPattern, Number};
use crate::number::parse_number;
use crate::path::JsonPath;

/// Where a metric filter takes a value from, parsed once when the filter is put.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// A number, the same for every match.
    Number(Number),
    /// A JSON property; any property of the event, whether the pattern names it or not.
    Json(JsonPath),
    /// A space-delimited field, by the name the pattern gives it (or by position, from 1, for `$7`).
    Field(String),
}

impl Selector {
    /// Reads a selector.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let refuse = |reason: &str| SelectorError { text: text.to_owned(), reason: reason.to_owned() };
        if text.starts_with("$.") {
            let (path, end) = JsonPath::read(text, 0).map_err(|error| refuse(&error.to_string()))?;
            if end != text.len() {
                return Err(refuse("a JSON property selector must be all of the selector"));
            }
            if path.wildcards() > 0 {
                return Err(refuse("a metric value or dimension selector cannot use wildcards"));
            }
            return Ok(Selector::Json(path));
        }
        if let Some(name) = text.strip_prefix('$') {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(refuse("a field selector is $ and the name of a field: letters, digits and _"));
            }
            return Ok(Selector::Field(name.to_owned()));
        }
        match parse_number(text) {
            Some(value) => Ok(Selector::Number(Number { text: text.to_owned(), value })),
            None => Err(refuse(
                "a selector is a number, a $.property of a JSON pattern or a $field of a space-delimited pattern",
            )),
        }
    }

    /// The position (from 1) a `$7`-style field selector names.
    pub(crate) fn position(name: &str) -> Option<usize> {
        name.parse::<usize>().ok().filter(|&position| position > 0)
    }
}

impl FromStr for Selector {
    type Err = SelectorError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Selector::parse(text)
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Number(number) => number.fmt(f),
            Selector::Json(path) => path.fmt(f),
            Selector::Field(name) => write!(f, "${name}"),
        }
    }
}

impl FilterPattern {
    /// Whether events this pattern matches can give `selector` a value: numbers always; JSON properties for JSON
    /// patterns; fields the pattern names (or positions) for space-delimited ones. A metric filter whose metric
    /// value or dimension fails this can never publish a value.
    pub fn resolves(&self, selector: &Selector) -> bool {
        match (selector, self) {
            (Selector::Number(_), _) => true,
            (Selector::Json(_), FilterPattern::Json(_)) => true,
            (Selector::Field(name), FilterPattern::Delimited(pattern)) => {
                Selector::position(name).is_some()
                    || pattern.fields().iter().any(|field| matches!(field, Field::Named { name: n, .. } if n == name))
            }
            _ => false,
        }
    }
}
