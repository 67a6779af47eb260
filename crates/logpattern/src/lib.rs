//! CloudWatch Logs filter patterns: the language metric filters, subscription filters, FilterLogEvents,
//! TestMetricFilter and Live Tail share. [`parse`] a pattern into a [`FilterPattern`] (bounded before any work),
//! then [`FilterPattern::matches`] messages (the fast path: a term pattern is a substring search) or
//! [`FilterPattern::evaluate`] them for what a match extracts ([`Extracted`]), which metric filters read through
//! [`Selector`]s (`$.latency`, `$bytes`, `1`).
//!
//! The language, as AWS documents it (`FilterAndPatternSyntax.html`), in three forms chosen by the first character:
//! * `{` — a JSON pattern (`json.rs`): `{ $.level = "ERROR" && ($.latency > 1.5 || $.code != 2*) }`, `IS TRUE`,
//!   `IS FALSE`, `IS NULL`, `NOT EXISTS`, `%regex%` values, `$.a.b[0]`, `$.['dotted.key']`, `$.list[*]`, `$.*`.
//! * `[` — a space-delimited pattern (`delimited.rs`): `[ip, user, ..., status = 4* || status = 5*, bytes > 1000]`,
//!   fields by position over events whose `"quoted"` and `[bracketed]` runs are single fields (`fields.rs`).
//! * `%` — a standalone regular expression (`%ERROR [0-9]+%`), of AWS's documented subset (`regexp.rs`).
//! * anything else — terms (`terms.rs`): `ERROR Exception`, `"exact phrase"`, `?ERROR ?WARN`, `ERROR -DEBUG`; the
//!   empty pattern matches every event.
//!
//! The form is the pattern's very first character: AWS does not trim, so ` {$.a = 1}` is a term pattern, and one
//! with an invalid term. A `{` pattern must end with `}` and a `[` one with `]`, with nothing after them.
//!
//! Refusals are [`PatternError`]s carrying AWS's `InvalidParameterException` messages where they are known
//! (`Invalid character(s) in term ':'`, `If a filter pattern starts with '{' it must end with '}'`, `Invalid
//! filter pattern` / `Invalid metric filter pattern`), and a sentence naming the documented quota otherwise.
//! Printing a pattern (`Display`) gives its canonical text, which parses back to the same pattern.

mod ast;
mod compare;
mod delimited;
mod error;
mod extract;
mod fields;
mod glob;
mod json;
mod lexer;
mod number;
mod parser;
mod path;
mod printer;
mod project;
mod regexp;
mod selector;
mod terms;

#[cfg(test)]
mod proptests;

pub use ast::{
    CompareOp, Comparison, DelimitedPattern, Expr, Field, FieldCondition, FilterPattern, JsonCondition, JsonPattern,
    JsonTest, Kind, Number, Operand, Term, TermMode, TermPattern,
};
pub use error::{PatternError, SelectorError};
pub use extract::{Extracted, FieldKey};
pub use glob::Glob;
pub use path::{JsonPath, Segment};
pub use regexp::RegexLiteral;
pub use selector::Selector;

/// The longest pattern taken, in characters (the model's `FilterPattern` is at most 1,024).
pub const MAX_LENGTH: usize = 1024;
/// The deepest nesting of parentheses in a JSON or space-delimited pattern.
pub const MAX_DEPTH: usize = 32;
/// The most regular expressions a JSON or space-delimited pattern holds (AWS's quota).
pub const MAX_REGEXES: usize = 2;
/// The most wildcard selectors (`[*]`, `.*`) a JSON pattern holds, one per selector at most (AWS's quotas).
pub const MAX_WILDCARDS: usize = 3;

/// Parses a filter pattern. The length is checked first, then the text is read with the depth and quota bounds
/// above; a refusal is AWS's `InvalidParameterException` message.
pub fn parse(pattern: &str) -> Result<FilterPattern, PatternError> {
    // Four bytes per character at most: text of at most MAX_LENGTH bytes is within the limit without counting.
    if pattern.len() > MAX_LENGTH {
        let length = pattern.chars().count();
        if length > MAX_LENGTH {
            return Err(PatternError::TooLong { length });
        }
    }
    parse_unbounded(pattern)
}

/// Parses without the length bound (the depth and quota bounds still hold): for tests that re-parse printed
/// patterns, which may be longer than what was parsed.
pub(crate) fn parse_unbounded(pattern: &str) -> Result<FilterPattern, PatternError> {
    Ok(match pattern.chars().next() {
        Some('{') => FilterPattern::Json(json::parse(pattern)?),
        Some('[') => FilterPattern::Delimited(delimited::parse(pattern)?),
        Some('%') => {
            let source = pattern.strip_prefix('%').and_then(|rest| rest.strip_suffix('%')).ok_or_else(|| {
                PatternError::syntax("a regular expression pattern starts and ends with %, with nothing around it")
            })?;
            FilterPattern::Regex(RegexLiteral::compile(source)?)
        }
        _ => FilterPattern::Terms(terms::parse(pattern)?),
    })
}

impl FilterPattern {
    /// The pattern's form.
    pub fn kind(&self) -> Kind {
        match self {
            FilterPattern::Terms(_) | FilterPattern::Regex(_) => Kind::Terms,
            FilterPattern::Json(_) => Kind::Json,
            FilterPattern::Delimited(_) => Kind::SpaceDelimited,
        }
    }

    /// Whether `message` matches. Term patterns are substring searches (memchr's `memmem`); JSON patterns parse
    /// the properties their selectors read, skipping the rest (a message that is not a JSON object never matches);
    /// space-delimited ones split the message without allocating.
    pub fn matches(&self, message: &str) -> bool {
        match self {
            FilterPattern::Terms(terms) => terms.matches(message),
            FilterPattern::Regex(regex) => regex.is_match(message),
            FilterPattern::Json(pattern) => pattern.matches(message),
            FilterPattern::Delimited(pattern) => pattern.matches(message),
        }
    }

    /// What a match extracts, or None if `message` does not match.
    pub fn evaluate<'a>(&'a self, message: &'a str) -> Option<Extracted<'a>> {
        match self {
            FilterPattern::Terms(_) | FilterPattern::Regex(_) => self.matches(message).then(Extracted::nothing),
            FilterPattern::Json(pattern) => {
                let event = json::event(message)?;
                pattern.holds(&event).then(|| Extracted::json(event, pattern))
            }
            FilterPattern::Delimited(pattern) => {
                let mut fields = Vec::new();
                let matched = pattern.each_field(message, &mut |at, text, slot| {
                    let key = match slot {
                        delimited::Slot::Field(Field::Named { name, .. }) if !name.is_empty() => FieldKey::Name(name),
                        _ => FieldKey::Position(at + 1),
                    };
                    fields.push((key, text));
                    delimited::slot_holds(&slot, text)
                });
                matched.then(|| Extracted::from_fields(fields))
            }
        }
    }

    /// Whether every message matches (the empty pattern, `" "`, `[]`), so that a search need not test events.
    pub fn matches_everything(&self) -> bool {
        match self {
            FilterPattern::Terms(terms) => terms.matches_everything(),
            FilterPattern::Delimited(pattern) => pattern.fields().is_empty(),
            FilterPattern::Regex(_) | FilterPattern::Json(_) => false,
        }
    }

    /// How many regular expressions the pattern holds (AWS allows five regex patterns per log group).
    pub fn regex_count(&self) -> usize {
        let mut count = 0;
        let mut visit =
            |comparison: &Comparison| count += usize::from(matches!(comparison.operand(), Operand::Regex(_)));
        match self {
            FilterPattern::Terms(_) => {}
            FilterPattern::Regex(_) => count = 1,
            FilterPattern::Json(pattern) => pattern.expr().each(&mut |condition| {
                if let JsonTest::Compare(comparison) = condition.test() {
                    visit(comparison);
                }
            }),
            FilterPattern::Delimited(pattern) => {
                for field in pattern.fields() {
                    if let Field::Named { condition: Some(expr), .. } = field {
                        expr.each(&mut |condition| visit(condition.comparison()));
                    }
                }
            }
        }
        count
    }

    /// Whether a metric filter with this pattern may have dimensions: AWS takes them for JSON and space-delimited
    /// patterns only ("The specified filter pattern does not support dimensions").
    pub fn supports_dimensions(&self) -> bool {
        self.kind() != Kind::Terms
    }
}
