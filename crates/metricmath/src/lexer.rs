//! Splits expression text into tokens with their byte spans: numbers, quoted strings, words, operators and
//! punctuation.

use crate::ast::Span;
use crate::error::{ParseError, ParseErrorKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Number(f64),
    Str(String),
    /// Letters, digits and underscores, not starting with a digit: an id, a function name, a keyword.
    Word(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    AndAnd,
    OrOr,
    Bang,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

impl Token {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Token::Number(n) => format!("number {n}"),
            Token::Str(s) => format!("string '{s}'"),
            Token::Word(w) => format!("'{w}'"),
            Token::Plus => "'+'".into(),
            Token::Minus => "'-'".into(),
            Token::Star => "'*'".into(),
            Token::Slash => "'/'".into(),
            Token::Caret => "'^'".into(),
            Token::EqEq => "'=='".into(),
            Token::NotEq => "'!='".into(),
            Token::Lt => "'<'".into(),
            Token::Le => "'<='".into(),
            Token::Gt => "'>'".into(),
            Token::Ge => "'>='".into(),
            Token::AndAnd => "'&&'".into(),
            Token::OrOr => "'||'".into(),
            Token::Bang => "'!'".into(),
            Token::LParen => "'('".into(),
            Token::RParen => "')'".into(),
            Token::LBracket => "'['".into(),
            Token::RBracket => "']'".into(),
            Token::Comma => "','".into(),
        }
    }
}

/// Tokenizes the whole text.
pub fn lex(text: &str) -> Result<Vec<(Token, Span)>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c.is_ascii_digit() || c == '.' {
            let (token, end) = number(text, start)?;
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
            tokens.push((token, Span::new(start, end)));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut end = start;
            while let Some(&(i, w)) = chars.peek() {
                if !(w.is_ascii_alphanumeric() || w == '_') {
                    break;
                }
                end = i + w.len_utf8();
                chars.next();
            }
            tokens.push((Token::Word(text[start..end].to_string()), Span::new(start, end)));
            continue;
        }
        if c == '"' || c == '\'' {
            chars.next();
            let mut closed = None;
            for (i, s) in chars.by_ref() {
                if s == c {
                    closed = Some(i);
                    break;
                }
            }
            let Some(close) = closed else {
                return Err(ParseError::new(ParseErrorKind::UnterminatedString, Span::new(start, text.len())));
            };
            tokens.push((Token::Str(text[start + 1..close].to_string()), Span::new(start, close + 1)));
            continue;
        }
        chars.next();
        let next = chars.peek().map(|&(_, n)| n);
        let (token, len) = match (c, next) {
            ('=', Some('=')) => (Token::EqEq, 2),
            ('!', Some('=')) => (Token::NotEq, 2),
            ('<', Some('=')) => (Token::Le, 2),
            ('>', Some('=')) => (Token::Ge, 2),
            ('&', Some('&')) => (Token::AndAnd, 2),
            ('|', Some('|')) => (Token::OrOr, 2),
            ('<', _) => (Token::Lt, 1),
            ('>', _) => (Token::Gt, 1),
            ('!', _) => (Token::Bang, 1),
            ('+', _) => (Token::Plus, 1),
            ('-', _) => (Token::Minus, 1),
            ('*', _) => (Token::Star, 1),
            ('/', _) => (Token::Slash, 1),
            ('^', _) => (Token::Caret, 1),
            ('(', _) => (Token::LParen, 1),
            (')', _) => (Token::RParen, 1),
            ('[', _) => (Token::LBracket, 1),
            (']', _) => (Token::RBracket, 1),
            (',', _) => (Token::Comma, 1),
            _ => {
                return Err(ParseError::new(ParseErrorKind::UnexpectedChar(c), Span::new(start, start + c.len_utf8())));
            }
        };
        if len == 2 {
            chars.next();
        }
        tokens.push((token, Span::new(start, start + len)));
    }
    Ok(tokens)
}

/// Reads `digits [. digits] [e [+-] digits]` (or `. digits ...`) starting at `start`; returns the token and
/// the end offset. Only ASCII is consumed, so byte offsets stay on char boundaries.
fn number(text: &str, start: usize) -> Result<(Token, usize), ParseError> {
    let bytes = text.as_bytes();
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut end = digits(start);
    let whole = end > start;
    let mut fraction = false;
    if bytes.get(end) == Some(&b'.') {
        let after = digits(end + 1);
        fraction = after > end + 1;
        end = after;
    }
    if !whole && !fraction {
        return Err(ParseError::new(ParseErrorKind::InvalidNumber, Span::new(start, end)));
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut exp = end + 1;
        if matches!(bytes.get(exp), Some(b'+' | b'-')) {
            exp += 1;
        }
        let after = digits(exp);
        // `2e` or `2ex` is a number followed by a word: leave the `e` alone.
        if after > exp {
            end = after;
        }
    }
    let literal = &text[start..end];
    match literal.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok((Token::Number(value), end)),
        _ => Err(ParseError::new(ParseErrorKind::InvalidNumber, Span::new(start, end))),
    }
}
