//! Unstructured patterns: terms separated by white space, each a word (ASCII letters, digits and `_`) or a quoted
//! phrase (`"INTERNAL SERVER ERROR"`, `"[ERROR]"`; `\"` and `\\` are its escapes), prefixed with `?` (optional)
//! or `-` (excluded). Each is a case-sensitive substring of the message (`ERROR` is in `ERRORCODE`).
//!
//! A message matches when it contains every included term and no excluded one; in a pattern of optional terms
//! only, when it contains one of them. Beside included or excluded terms, optional terms are ignored, as AWS
//! documents. A phrase of white space only (`" "`) is in every message, so `" "` matches everything, as does the
//! empty pattern.

use crate::PatternError;
use crate::ast::{Term, TermMode, TermPattern};

/// Reads an unstructured pattern.
pub(crate) fn parse(pattern: &str) -> Result<TermPattern, PatternError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut terms = Vec::new();
    let mut at = 0;
    loop {
        while chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        let Some(&first) = chars.get(at) else { break };
        let mode = match first {
            '?' => TermMode::Optional,
            '-' => TermMode::Exclude,
            _ => TermMode::Include,
        };
        if mode != TermMode::Include {
            at += 1;
        }
        let text = if chars.get(at) == Some(&'"') {
            let (text, end) = quoted(&chars, at)?;
            at = end;
            if let Some(&next) = chars.get(at).filter(|c| !c.is_whitespace()) {
                return Err(PatternError::invalid_characters(next.to_string()));
            }
            text
        } else {
            let start = at;
            while chars.get(at).is_some_and(|c| !c.is_whitespace()) {
                at += 1;
            }
            let word = &chars[start..at];
            if word.is_empty() {
                return Err(PatternError::invalid_characters(first.to_string()));
            }
            if let Some(bad) = word.iter().find(|c| !is_word_char(**c)) {
                return Err(PatternError::invalid_characters(bad.to_string()));
            }
            word.iter().collect()
        };
        terms.push(Term::new(mode, text));
    }
    let optional_only = terms.iter().all(|term| term.mode == TermMode::Optional);
    Ok(TermPattern { terms, optional_only })
}

/// Whether `c` may appear in an unquoted term.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The phrase whose opening quote is at `start`, unescaped, and the index after its closing quote.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), PatternError> {
    let mut text = String::new();
    let mut at = start + 1;
    loop {
        match chars.get(at) {
            None => return Err(PatternError::syntax(format!("unterminated quoted term at character {start}"))),
            Some('"') => return Ok((text, at + 1)),
            Some('\\') if matches!(chars.get(at + 1), Some('"' | '\\')) => {
                at += 1;
                text.push(chars[at]);
            }
            Some(&c) => text.push(c),
        }
        at += 1;
    }
}

impl TermPattern {
    /// Whether the message matches the terms (see the module's documentation).
    pub(crate) fn matches(&self, message: &str) -> bool {
        if self.terms.is_empty() {
            return true;
        }
        if self.optional_only {
            return self.terms.iter().any(|term| term.found_in(message));
        }
        self.terms.iter().all(|term| match term.mode {
            TermMode::Include => term.found_in(message),
            TermMode::Exclude => !term.found_in(message),
            TermMode::Optional => true,
        })
    }

    /// Whether every message matches (no terms, or only phrases of white space).
    pub(crate) fn matches_everything(&self) -> bool {
        let blank = |term: &Term| term.finder.is_none();
        if self.optional_only {
            return self.terms.is_empty() || self.terms.iter().any(blank);
        }
        self.terms.iter().all(|term| match term.mode {
            TermMode::Include => blank(term),
            TermMode::Exclude => false,
            TermMode::Optional => true,
        })
    }
}
