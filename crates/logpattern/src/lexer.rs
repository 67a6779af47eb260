//! Tokens of the structured forms, the text between `{` and `}` or `[` and `]`: parentheses, `&&`, `||`, commas,
//! comparison operators, words (names, unquoted values, keywords), quoted strings, `%regex%` and, in JSON patterns,
//! property selectors. A character that starts no token is refused as AWS refuses it: `Invalid character(s) in
//! term`, naming it.

use crate::PatternError;
use crate::ast::CompareOp;
use crate::path::JsonPath;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    LParen,
    RParen,
    And,
    Or,
    Comma,
    Op(CompareOp),
    /// An unquoted run of letters, digits and `_` `.` `*` `+` `-`.
    Word(String),
    /// A double-quoted string, unescaped (`\"` and `\\` are the escapes; any other backslash is itself).
    Quoted(String),
    /// The source of a `%regex%`.
    Regex(String),
    Selector(JsonPath),
}

/// A token and the character offset (from 0, in the whole pattern) where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned {
    pub token: Token,
    pub at: usize,
}

/// Whether `c` may appear in an unquoted word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '*' | '+' | '-')
}

/// The tokens of `text`, which starts at character `offset` of the pattern; `selectors` says whether `$` starts a
/// property selector (JSON patterns) or is refused (space-delimited ones).
pub(crate) fn tokens(text: &str, offset: usize, selectors: bool) -> Result<Vec<Spanned>, PatternError> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(byte, _)| byte);
    // The index of the first character at or after byte `byte`.
    let index_of = |byte: usize| chars.partition_point(|&(b, _)| b < byte);
    let next_is = |i: usize, wanted: char| chars.get(i).is_some_and(|&(_, c)| c == wanted);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&(start, c)) = chars.get(i) {
        let at = offset + i;
        let mut push = |token| out.push(Spanned { token, at });
        match c {
            c if c.is_whitespace() => i += 1,
            '(' | ')' | ',' => {
                push(match c {
                    '(' => Token::LParen,
                    ')' => Token::RParen,
                    _ => Token::Comma,
                });
                i += 1;
            }
            '&' | '|' => {
                if !next_is(i + 1, c) {
                    return Err(PatternError::invalid_characters(c.to_string()));
                }
                push(if c == '&' { Token::And } else { Token::Or });
                i += 2;
            }
            '=' | '!' | '<' | '>' => {
                let equals = next_is(i + 1, '=');
                let op = match (c, equals) {
                    ('=', false) => CompareOp::Eq,
                    ('!', true) => CompareOp::Ne,
                    ('<', false) => CompareOp::Lt,
                    ('<', true) => CompareOp::Le,
                    ('>', false) => CompareOp::Gt,
                    ('>', true) => CompareOp::Ge,
                    _ => return Err(PatternError::invalid_characters(if equals { "==" } else { "!" })),
                };
                push(Token::Op(op));
                i += if equals { 2 } else { 1 };
            }
            '"' => {
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i).map(|&(_, c)| c) {
                        None => return Err(PatternError::syntax(format!("unterminated quoted string at {at}"))),
                        Some('"') => break,
                        Some('\\') if next_is(i + 1, '"') || next_is(i + 1, '\\') => {
                            i += 1;
                            value.push(chars[i].1);
                        }
                        Some(other) => value.push(other),
                    }
                    i += 1;
                }
                push(Token::Quoted(value));
                i += 1;
            }
            '%' => {
                let body = start + 1;
                let Some(close) = text[body..].find('%') else {
                    return Err(PatternError::syntax(format!(
                        "a regular expression opened with % at {at} is not closed"
                    )));
                };
                push(Token::Regex(text[body..body + close].to_owned()));
                i = index_of(body + close + 1);
            }
            '$' if selectors => {
                let (path, end) = JsonPath::read(text, start)?;
                push(Token::Selector(path));
                i = index_of(end);
            }
            c if is_word_char(c) => {
                let end = (i..chars.len()).find(|&j| !is_word_char(chars[j].1)).unwrap_or(chars.len());
                push(Token::Word(text[start..byte_at(end)].to_owned()));
                i = end;
            }
            other => return Err(PatternError::invalid_characters(other.to_string())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, selectors: bool) -> Vec<Token> {
        match tokens(text, 0, selectors) {
            Ok(tokens) => tokens.into_iter().map(|t| t.token).collect(),
            Err(error) => panic!("{text}: {error:?}"),
        }
    }

    fn word(text: &str) -> Token {
        Token::Word(text.to_owned())
    }

    #[test]
    fn tokens_of_conditions() {
        assert_eq!(
            kinds("status_code = 4* && bytes>1000||(x!=\"a \\\"b\\\" \\\\ \\n\")", false),
            vec![
                word("status_code"),
                Token::Op(CompareOp::Eq),
                word("4*"),
                Token::And,
                word("bytes"),
                Token::Op(CompareOp::Gt),
                word("1000"),
                Token::Or,
                Token::LParen,
                word("x"),
                Token::Op(CompareOp::Ne),
                Token::Quoted("a \"b\" \\ \\n".to_owned()),
                Token::RParen,
            ]
        );
        assert_eq!(
            kinds("..., ip=%127\\.0\\.0\\.[1-9]%,<=>=", false),
            vec![
                word("..."),
                Token::Comma,
                word("ip"),
                Token::Op(CompareOp::Eq),
                Token::Regex("127\\.0\\.0\\.[1-9]".to_owned()),
                Token::Comma,
                Token::Op(CompareOp::Le),
                Token::Op(CompareOp::Ge),
            ]
        );
        let selector = kinds("$.a[0].b=1", true);
        assert!(
            matches!(selector.as_slice(), [Token::Selector(_), Token::Op(CompareOp::Eq), Token::Word(w)] if w == "1")
        );
    }

    #[test]
    fn refusals() {
        let refused = |text: &str, selectors: bool| tokens(text, 0, selectors).err();
        assert_eq!(refused("a = b:c", false), Some(PatternError::invalid_characters(":")));
        assert_eq!(refused("a & b", false), Some(PatternError::invalid_characters("&")));
        assert_eq!(refused("a | b", false), Some(PatternError::invalid_characters("|")));
        assert_eq!(refused("a ! b", false), Some(PatternError::invalid_characters("!")));
        assert_eq!(refused("a == b", false), Some(PatternError::invalid_characters("==")));
        assert_eq!(refused("$.a = 1", false), Some(PatternError::invalid_characters("$")));
        assert_eq!(refused("$.\"x\" = 1", true), Some(PatternError::invalid_characters("$.\"")));
        assert!(matches!(refused("a = \"open", false), Some(PatternError::Syntax { .. })));
        assert!(matches!(refused("a = %open", false), Some(PatternError::Syntax { .. })));
        assert_eq!(refused("a = caf\u{e9}", false), Some(PatternError::invalid_characters("\u{e9}")));
    }
}
