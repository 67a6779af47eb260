//! The filter language's tokens: words (keywords, `annotation.key`, `rootcause.fault.service`, ...), double-quoted
//! strings with `\"` and `\\` escapes, numbers, `#[...]` JSON, operators and brackets. Each token keeps its byte
//! offset for error messages.

use super::FilterError;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Word(String),
    Str(String),
    Num(f64),
    Json(String),
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Bang,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The tokens of `text`, each with its byte offset.
pub fn tokens(text: &str) -> Result<Vec<(Token, usize)>, FilterError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let at = i;
        let two = |next: u8| bytes.get(i + 1) == Some(&next);
        let token = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => Token::LParen,
            b')' => Token::RParen,
            b'{' => Token::LBrace,
            b'}' => Token::RBrace,
            b',' => Token::Comma,
            b':' => Token::Colon,
            b'=' if two(b'=') => return Err(FilterError::at("'==' is not an operator; use '='", at)),
            b'=' => Token::Eq,
            b'!' if two(b'=') => {
                i += 1;
                Token::Ne
            }
            b'!' => Token::Bang,
            b'<' if two(b'=') => {
                i += 1;
                Token::Le
            }
            b'<' if two(b'>') => return Err(FilterError::at("'<>' is not an operator; use '!='", at)),
            b'<' => Token::Lt,
            b'>' if two(b'=') => {
                i += 1;
                Token::Ge
            }
            b'>' => Token::Gt,
            b'"' => {
                let (value, end) = string(text, i)?;
                i = end;
                out.push((Token::Str(value), at));
                continue;
            }
            b'#' if two(b'[') => {
                let end = json_end(text, i + 1)?;
                out.push((Token::Json(text[i + 1..end].to_owned()), at));
                i = end;
                continue;
            }
            b'-' | b'0'..=b'9' => {
                let end = number_end(bytes, i);
                let value = text[i..end]
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| FilterError::at(format!("'{}' is not a number", &text[i..end]), at))?;
                out.push((Token::Num(value), at));
                i = end;
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.'))
                    .map_or(bytes.len(), |p| i + p);
                out.push((Token::Word(text[i..end].to_owned()), at));
                i = end;
                continue;
            }
            _ => {
                let shown = text[i..].chars().next().unwrap_or('?');
                return Err(FilterError::at(format!("unexpected character '{shown}'"), at));
            }
        };
        out.push((token, at));
        i += 1;
    }
    Ok(out)
}

/// A string from the `"` at `start`; returns its value and the offset after its closing quote.
fn string(text: &str, start: usize) -> Result<(String, usize), FilterError> {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((offset, c)) = chars.next() {
        match c {
            '"' => return Ok((value, start + 1 + offset + 1)),
            '\\' => match chars.next() {
                Some((_, escaped @ ('"' | '\\'))) => value.push(escaped),
                _ => return Err(FilterError::at("only \\\" and \\\\ may follow a backslash", start + 1 + offset)),
            },
            c => value.push(c),
        }
    }
    Err(FilterError::at("a string is not closed", start))
}

fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        let c = bytes[i];
        let exponent_sign = (c == b'-' || c == b'+') && matches!(bytes[i - 1], b'e' | b'E');
        if c.is_ascii_digit() || c == b'.' || c == b'e' || c == b'E' || exponent_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The offset after the `]` that closes the `[` at `open`, counting brackets outside JSON strings.
fn json_end(text: &str, open: usize) -> Result<usize, FilterError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, c) in text[open..].char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(open + offset + 1);
                }
            }
            _ => {}
        }
    }
    Err(FilterError::at("a #[...] value is not closed", open - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token> {
        tokens(text).unwrap().into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn operators_take_the_longest_match() {
        assert_eq!(
            kinds("a!=1 b<=2 c>=3 !d <4"),
            [
                Token::Word("a".into()),
                Token::Ne,
                Token::Num(1.0),
                Token::Word("b".into()),
                Token::Le,
                Token::Num(2.0),
                Token::Word("c".into()),
                Token::Ge,
                Token::Num(3.0),
                Token::Bang,
                Token::Word("d".into()),
                Token::Lt,
                Token::Num(4.0),
            ]
        );
    }

    #[test]
    fn strings_numbers_and_json() {
        assert_eq!(kinds(r#""a \"b\" \\c""#), [Token::Str(r#"a "b" \c"#.into())]);
        assert_eq!(kinds("-2.5e-1 1E3"), [Token::Num(-0.25), Token::Num(1000.0)]);
        assert_eq!(kinds(r#"#[{"Name":"a]"}]"#), [Token::Json(r#"[{"Name":"a]"}]"#.into())]);
        assert_eq!(
            kinds("http.url annotation.user_id"),
            [Token::Word("http.url".into()), Token::Word("annotation.user_id".into())]
        );
    }

    #[test]
    fn bad_tokens_name_their_position() {
        assert_eq!(tokens(r#"user = "open"#).unwrap_err().position, 7);
        assert_eq!(tokens("a == 1").unwrap_err().position, 2);
        assert_eq!(tokens("a = 1.2.3").unwrap_err().position, 4);
        assert_eq!(tokens("a ~ 1").unwrap_err().position, 2);
        assert_eq!(tokens("rootcause.json = #[{").unwrap_err().position, 17);
    }
}
