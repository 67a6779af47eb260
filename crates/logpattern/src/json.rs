//! JSON patterns, `{ SELECTOR OPERATOR VALUE && ... || ... }`: reading them, and testing them on events. An event
//! matches only if its message is a JSON object; each condition holds if some value its selector reaches (one,
//! without wildcards) passes the test, `NOT EXISTS` if the selector reaches nothing.
//!
//! Conditions: `=` and `!=` with strings (quoted or not, `*` wildcards), numbers and `%regex%`; `<`, `<=`, `>`, `>=`
//! with numbers; `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS` (keywords in any case). AWS's `IS NOT` and
//! `EXISTS` are documented as unsupported and refused. Quotas: one wildcard per selector, three in a pattern, two
//! regular expressions in a pattern.

use serde_json::Value;

use crate::ast::{JsonCondition, JsonPattern, JsonTest};
use crate::lexer::{Token, tokens};
use crate::parser::Parser;
use crate::project::Projection;
use crate::{MAX_WILDCARDS, PatternError};

/// Reads a JSON pattern; `pattern` starts with `{`, and must end with `}`.
pub(crate) fn parse(pattern: &str) -> Result<JsonPattern, PatternError> {
    let Some(inner) = pattern.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) else {
        return Err(PatternError::UnclosedJson);
    };
    let tokens = tokens(inner, 1, true)?;
    let mut parser = Parser::new(&tokens, pattern.chars().count() - 1);
    if parser.peek().is_none() {
        return Err(PatternError::syntax("a JSON pattern has no conditions"));
    }
    let mut wildcards = 0;
    let expr = parser.expr(0, &mut |parser| condition(parser, &mut wildcards))?;
    if parser.peek().is_some() {
        return Err(parser.expected("'&&', '||' or the end of the pattern"));
    }
    let mut projection = Projection::default();
    expr.each(&mut |condition: &JsonCondition| projection.add(&condition.path));
    Ok(JsonPattern { expr, projection })
}

/// One condition: a selector and its test.
fn condition(parser: &mut Parser<'_>, wildcards: &mut usize) -> Result<JsonCondition, PatternError> {
    let Some(Token::Selector(path)) = parser.peek() else {
        return Err(parser.expected("a property selector ($.)"));
    };
    parser.next();
    match path.wildcards() {
        0 => {}
        1 => {
            *wildcards += 1;
            if *wildcards > MAX_WILDCARDS {
                return Err(PatternError::unsupported(format!(
                    "A filter pattern can use at most {MAX_WILDCARDS} wildcard selectors"
                )));
            }
        }
        _ => return Err(PatternError::unsupported("A property selector can use at most one wildcard")),
    }
    let keyword =
        |token: Option<&Token>, wanted: &str| matches!(token, Some(Token::Word(w)) if w.eq_ignore_ascii_case(wanted));
    let test = if keyword(parser.peek(), "IS") {
        parser.next();
        let test = match parser.peek() {
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("TRUE") => JsonTest::IsTrue,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("FALSE") => JsonTest::IsFalse,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("NULL") => JsonTest::IsNull,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("NOT") => {
                return Err(PatternError::unsupported("IS NOT is not supported in filter patterns"));
            }
            _ => return Err(parser.expected("TRUE, FALSE or NULL after IS")),
        };
        parser.next();
        test
    } else if keyword(parser.peek(), "NOT") {
        parser.next();
        if !keyword(parser.peek(), "EXISTS") {
            return Err(parser.expected("EXISTS after NOT"));
        }
        parser.next();
        JsonTest::NotExists
    } else if keyword(parser.peek(), "EXISTS") {
        return Err(PatternError::unsupported("EXISTS is not supported in filter patterns; use NOT EXISTS"));
    } else {
        JsonTest::Compare(parser.comparison()?)
    };
    Ok(JsonCondition { path: path.clone(), test })
}

/// The whole event a message holds, if it is a JSON object. Anything else is no JSON event: its first non-blank
/// character tells without parsing.
pub(crate) fn event(message: &str) -> Option<Value> {
    if message.trim_start().as_bytes().first() != Some(&b'{') {
        return None;
    }
    serde_json::from_str::<Value>(message).ok().filter(Value::is_object)
}

impl JsonPattern {
    /// Whether the pattern matches the message, parsing only what the conditions read.
    pub(crate) fn matches(&self, message: &str) -> bool {
        self.projection.event(message).is_some_and(|event| self.holds(&event))
    }

    /// Whether the pattern matches the parsed event.
    pub(crate) fn holds(&self, event: &Value) -> bool {
        self.expr.holds(&mut |condition| condition.holds(event))
    }
}

impl JsonCondition {
    fn holds(&self, event: &Value) -> bool {
        match &self.test {
            JsonTest::NotExists => !self.path.any(event, &mut |_| true),
            JsonTest::IsNull => self.path.any(event, &mut Value::is_null),
            JsonTest::IsTrue => self.path.any(event, &mut |value| value == &Value::Bool(true)),
            JsonTest::IsFalse => self.path.any(event, &mut |value| value == &Value::Bool(false)),
            JsonTest::Compare(comparison) => self.path.any(event, &mut |value| comparison.holds_for_json(value)),
        }
    }
}
