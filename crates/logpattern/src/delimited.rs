//! Space-delimited patterns, `[name, name = value || name = value, ..., name > 1000]`: reading them, and testing
//! them on events split into fields ([`crate::fields`]). Fields match by position: as many fields as the pattern
//! names, or at least as many as it names beside its `...`, which stands for any number of fields (none included)
//! and may appear once. `[]` names no field: it matches every event and extracts every field by position.
//!
//! A field is a name (letters, digits, `_`; empty between two commas), optionally with conditions that all name it
//! (`status_code = 4* && status_code != 403`): `=` and `!=` with strings (`*` wildcards), numbers and `%regex%`,
//! the ordering operators with numbers. AWS refuses conditions naming another field in a field's place (its own
//! documentation's `status_code = 4* && bytes > 1000` example is refused), and so does this.

use crate::PatternError;
use crate::ast::{DelimitedPattern, Expr, Field, FieldCondition};
use crate::fields::Fields;
use crate::lexer::{Token, tokens};
use crate::parser::Parser;

/// Reads a space-delimited pattern; `pattern` starts with `[`, and must end with `]`.
pub(crate) fn parse(pattern: &str) -> Result<DelimitedPattern, PatternError> {
    let Some(inner) = pattern.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) else {
        return Err(PatternError::UnclosedDelimited);
    };
    let tokens = tokens(inner, 1, false)?;
    let mut parser = Parser::new(&tokens, pattern.chars().count() - 1);
    let mut fields = Vec::new();
    if parser.peek().is_none() {
        return Ok(DelimitedPattern { fields });
    }
    loop {
        fields.push(field(&mut parser)?);
        match parser.peek() {
            None => break,
            Some(Token::Comma) => {
                parser.next();
            }
            Some(_) => return Err(parser.expected("',' or the end of the pattern")),
        }
    }
    if fields.iter().filter(|field| matches!(field, Field::Ellipsis)).count() > 1 {
        return Err(PatternError::unsupported("A space-delimited filter pattern can contain '...' only once"));
    }
    Ok(DelimitedPattern { fields })
}

/// One field: `...`, a bare (possibly empty) name, or conditions on one name.
fn field(parser: &mut Parser<'_>) -> Result<Field, PatternError> {
    let ends_field = |token: Option<&Token>| matches!(token, None | Some(Token::Comma));
    match parser.peek() {
        token if ends_field(token) => return Ok(Field::Named { name: String::new(), condition: None }),
        Some(Token::Word(word)) if ends_field(parser.peek_second()) => {
            parser.next();
            if word == "..." {
                return Ok(Field::Ellipsis);
            }
            check_name(word)?;
            return Ok(Field::Named { name: word.clone(), condition: None });
        }
        _ => {}
    }
    let mut name: Option<String> = None;
    let expr = parser.expr(0, &mut |parser| {
        let Some(Token::Word(word)) = parser.peek() else {
            return Err(parser.expected("a field name"));
        };
        check_name(word)?;
        match &name {
            None => name = Some(word.clone()),
            Some(first) if first == word => {}
            Some(first) => {
                return Err(PatternError::syntax(format!(
                    "the conditions of field '{first}' name another field, '{word}', at character {}",
                    parser.at()
                )));
            }
        }
        parser.next();
        Ok(FieldCondition { name: word.clone(), comparison: parser.comparison()? })
    })?;
    Ok(Field::Named { name: name.unwrap_or_default(), condition: Some(expr) })
}

/// Field names are letters, digits and `_`.
fn check_name(word: &str) -> Result<(), PatternError> {
    match word.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        Some(bad) => Err(PatternError::invalid_characters(bad.to_string())),
        None => Ok(()),
    }
}

/// Where a message field lands in the pattern.
pub(crate) enum Slot<'p> {
    /// At this pattern field.
    Field(&'p Field),
    /// Under the `...` (or anywhere, for `[]`).
    Covered,
}

impl DelimitedPattern {
    /// Calls `visit` with each field of `message`, its position (from 0) and its slot in the pattern, once the field
    /// count fits; returns false, without visiting, if it does not, and otherwise stops at the first false `visit`.
    /// Counting takes a first pass over the message when the pattern has a `...`; nothing is allocated.
    pub(crate) fn each_field<'p, 'm>(
        &'p self,
        message: &'m str,
        visit: &mut impl FnMut(usize, &'m str, Slot<'p>) -> bool,
    ) -> bool {
        if self.fields.is_empty() {
            return Fields::new(message).enumerate().all(|(at, text)| visit(at, text, Slot::Covered));
        }
        let Some(ellipsis) = self.ellipsis() else {
            let mut count = 0;
            for (at, text) in Fields::new(message).enumerate() {
                let Some(field) = self.fields.get(at) else { return false };
                if !visit(at, text, Slot::Field(field)) {
                    return false;
                }
                count += 1;
            }
            return count == self.fields.len();
        };
        let after = self.fields.len() - ellipsis - 1;
        let total = Fields::new(message).count();
        if total < ellipsis + after {
            return false;
        }
        let tail = total - after;
        Fields::new(message).enumerate().all(|(at, text)| {
            let slot = if at < ellipsis {
                self.fields.get(at).map_or(Slot::Covered, Slot::Field)
            } else if at >= tail {
                self.fields.get(ellipsis + 1 + at - tail).map_or(Slot::Covered, Slot::Field)
            } else {
                Slot::Covered
            };
            visit(at, text, slot)
        })
    }

    /// Whether the message matches: the field count fits and every field meets its conditions.
    pub(crate) fn matches(&self, message: &str) -> bool {
        self.each_field(message, &mut |_, text, slot| slot_holds(&slot, text))
    }
}

/// Whether a message field meets the conditions of its slot.
pub(crate) fn slot_holds(slot: &Slot<'_>, text: &str) -> bool {
    match slot {
        Slot::Field(Field::Named { condition: Some(expr), .. }) => holds(expr, text),
        Slot::Field(_) | Slot::Covered => true,
    }
}

fn holds(expr: &Expr<FieldCondition>, text: &str) -> bool {
    expr.holds(&mut |condition| condition.comparison.holds_for_text(text))
}
