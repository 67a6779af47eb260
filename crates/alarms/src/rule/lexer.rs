//! Tokens of a composite alarm rule, each with the character position it starts at.

use super::RuleError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Open,
    Close,
    /// A bare word: a keyword, a state function's name, or a bare alarm name.
    Word(String),
    /// A double-quoted alarm name, unescaped.
    Quoted(String),
}

fn syntax(position: usize, message: impl Into<String>) -> RuleError {
    RuleError::Syntax { position, message: message.into() }
}

/// Splits a rule into tokens. Bare words run until whitespace, a parenthesis or a quote.
pub(super) fn lex(text: &str) -> Result<Vec<(usize, Token)>, RuleError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().enumerate().peekable();
    while let Some(&(position, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' => {
                chars.next();
                tokens.push((position, if c == '(' { Token::Open } else { Token::Close }));
            }
            '"' => {
                chars.next();
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((at, '\\')) => match chars.next() {
                            Some((_, escaped @ ('"' | '\\'))) => name.push(escaped),
                            _ => return Err(syntax(at, "a backslash in a quoted name must escape \" or \\")),
                        },
                        Some((_, c)) => name.push(c),
                        None => return Err(syntax(position, "a quoted name is not closed")),
                    }
                }
                tokens.push((position, Token::Quoted(name)));
            }
            _ => {
                let mut word = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push((position, Token::Word(word)));
            }
        }
    }
    Ok(tokens)
}
