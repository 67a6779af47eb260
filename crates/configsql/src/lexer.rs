//! The tokens of a query: words (keywords and dotted property paths such as `configuration.ipPermissions.fromPort`),
//! single-quoted strings (`''` is a quote inside one), numbers, operators and punctuation. Each token keeps the byte
//! offset where it starts, for AWS's `syntax error at line L, column C`.

use crate::QueryError;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// Letters, digits, `_` and `.`, starting with a letter or `_`: a keyword or a property path.
    Word(String),
    Str(String),
    /// A number as written (an optional `-`, digits, an optional fraction and exponent) and its value.
    Number(String, f64),
    LParen,
    RParen,
    Comma,
    Star,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The tokens of `text`, each with its byte offset.
pub fn tokens(text: &str) -> Result<Vec<(Token, usize)>, QueryError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let at = i;
        let next = bytes.get(i + 1).copied();
        let (token, len) = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => (Token::LParen, 1),
            b')' => (Token::RParen, 1),
            b',' => (Token::Comma, 1),
            b'*' => (Token::Star, 1),
            b'=' => (Token::Eq, 1),
            b'!' if next == Some(b'=') => (Token::Ne, 2),
            b'<' if next == Some(b'=') => (Token::Le, 2),
            b'<' if next == Some(b'>') => (Token::Ne, 2),
            b'<' => (Token::Lt, 1),
            b'>' if next == Some(b'=') => (Token::Ge, 2),
            b'>' => (Token::Gt, 1),
            b'\'' => {
                let (value, end) = string(text, i)?;
                out.push((Token::Str(value), at));
                i = end;
                continue;
            }
            b'"' => return Err(QueryError::syntax(text, at, "strings are written in single quotes")),
            c if c.is_ascii_digit() || (c == b'-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let end = number_end(bytes, i);
                let literal = &text[i..end];
                let value = literal.parse::<f64>().ok().filter(|v| v.is_finite());
                let followed_by_word = bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
                match value {
                    Some(value) if !followed_by_word => (Token::Number(literal.to_owned(), value), end - i),
                    _ => return Err(QueryError::syntax(text, at, format!("'{literal}' is not a number"))),
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.'))
                    .map_or(bytes.len(), |p| i + p);
                (Token::Word(text[i..end].to_owned()), end - i)
            }
            _ => {
                let shown = text[i..].chars().next().unwrap_or('?');
                return Err(QueryError::syntax(text, at, format!("unexpected character '{shown}'")));
            }
        };
        out.push((token, at));
        i += len;
    }
    Ok(out)
}

/// The string whose opening quote is at `start`: its value and the offset after its closing quote.
fn string(text: &str, start: usize) -> Result<(String, usize), QueryError> {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if c != '\'' {
            value.push(c);
            continue;
        }
        if chars.peek().is_some_and(|(_, n)| *n == '\'') {
            chars.next();
            value.push('\'');
            continue;
        }
        return Ok((value, start + 1 + offset + 1));
    }
    Err(QueryError::syntax(text, start, "a string is not closed"))
}

/// The end of the number starting at `start`: `-`? digits (`.` digits)? ([eE] [+-]? digits)?
fn number_end(bytes: &[u8], start: usize) -> usize {
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut end = digits(if bytes[start] == b'-' { start + 1 } else { start });
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits(end + 1);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut exponent = end + 1;
        if matches!(bytes.get(exponent), Some(b'+' | b'-')) {
            exponent += 1;
        }
        if bytes.get(exponent).is_some_and(u8::is_ascii_digit) {
            end = digits(exponent);
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token> {
        tokens(text).unwrap().into_iter().map(|(t, _)| t).collect()
    }

    fn word(w: &str) -> Token {
        Token::Word(w.to_owned())
    }

    #[test]
    fn operators_take_the_longest_match() {
        assert_eq!(
            kinds("a!=1 b<>2 c<=3 d>=4 e<5 f>6 g=7"),
            [
                word("a"),
                Token::Ne,
                Token::Number("1".into(), 1.0),
                word("b"),
                Token::Ne,
                Token::Number("2".into(), 2.0),
                word("c"),
                Token::Le,
                Token::Number("3".into(), 3.0),
                word("d"),
                Token::Ge,
                Token::Number("4".into(), 4.0),
                word("e"),
                Token::Lt,
                Token::Number("5".into(), 5.0),
                word("f"),
                Token::Gt,
                Token::Number("6".into(), 6.0),
                word("g"),
                Token::Eq,
                Token::Number("7".into(), 7.0),
            ]
        );
    }

    #[test]
    fn strings_numbers_and_paths() {
        assert_eq!(kinds("'it''s' ''"), [Token::Str("it's".into()), Token::Str(String::new())]);
        assert_eq!(
            kinds("-1 2.5 1e3 4E-1"),
            [
                Token::Number("-1".into(), -1.0),
                Token::Number("2.5".into(), 2.5),
                Token::Number("1e3".into(), 1000.0),
                Token::Number("4E-1".into(), 0.4),
            ]
        );
        assert_eq!(
            kinds("configuration.ipPermissions.fromPort COUNT(*)"),
            [word("configuration.ipPermissions.fromPort"), word("COUNT"), Token::LParen, Token::Star, Token::RParen,]
        );
    }

    #[test]
    fn bad_tokens_are_syntax_errors_at_their_place() {
        let message = |text: &str| tokens(text).unwrap_err().message;
        assert_eq!(message("SELECT a WHERE b = 'open"), "syntax error at line 1, column 20");
        assert_eq!(message("SELECT a WHERE b = \"x\""), "syntax error at line 1, column 20");
        assert_eq!(message("SELECT a;"), "syntax error at line 1, column 9");
        assert_eq!(message("SELECT a\nWHERE b = 12abc"), "syntax error at line 2, column 11");
        assert_eq!(message("a = 1e999"), "syntax error at line 1, column 5");
        assert_eq!(message("a = 7.x"), "syntax error at line 1, column 6");
    }
}
